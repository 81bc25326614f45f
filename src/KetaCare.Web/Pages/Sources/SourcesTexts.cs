using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Sources;

/// <summary>Texts of the sources page (the citations themselves stay as published).</summary>
internal sealed class SourcesTexts : ITextCatalog
{
    public IEnumerable<(string En, string Tr)> Entries =>
    [
        ("The published works KetaCare's models, dose limits, rules and patient documents rest on. A rule or model names its source by the key shown here.", "KetaCare'in modellerinin, doz sınırlarının, kurallarının ve hasta belgelerinin dayandığı yayımlanmış çalışmalar. Bir kural veya model kaynağını burada gösterilen anahtarla anar."),
        ("Search sources", "Kaynaklarda ara"),
        ("No source matches.", "Eşleşen kaynak yok."),
        ("Pharmacokinetics", "Farmakokinetik"),
        ("Pharmacodynamics", "Farmakodinamik"),
        ("Clinical practice", "Klinik uygulama"),
        ("Scales and codes", "Ölçekler ve kodlar"),
        ("read in the work itself", "çalışmanın kendisinden okundu"),
        ("read through a secondary source", "ikincil bir kaynaktan okundu"),
        ("not checked against the work", "çalışmayla karşılaştırılmadı"),
    ];
}
