using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Exports;

internal sealed class ExportsTexts : ITextCatalog
{
    public IEnumerable<(string En, string Tr)> Entries =>
    [
        ("Research export", "Araştırma dışa aktarımı"),
        ("Sessions and course outcomes of every patient as CSV (one archive, two files). The de-identified export has no names, record numbers or birth dates, replaces ids by pseudonyms and shifts each patient's dates by a random number of days; the key is never stored.", "Tüm hastaların seansları ve kür sonuçları CSV olarak (bir arşivde iki dosya). Kimliksizleştirilmiş dışa aktarımda ad, dosya numarası ve doğum tarihi yoktur; kimlikler takma adlarla değiştirilir ve her hastanın tarihleri rastgele gün sayısı kadar kaydırılır; anahtar hiçbir zaman saklanmaz."),
        ("Identification", "Kimlik bilgisi"),
        ("De-identified", "Kimliksizleştirilmiş"),
        ("With names (for the clinic only)", "Adlarla (yalnızca klinik için)"),
        ("Download CSV (zip)", "CSV indir (zip)"),
        ("Session report (PDF)", "Seans raporu (PDF)"),
        ("Course summary (PDF)", "Kür özeti (PDF)"),
        ("Patient leaflet (PDF)", "Hasta bilgilendirme broşürü (PDF)"),
        ("Consent form (PDF)", "Onam formu (PDF)"),
    ];
}
