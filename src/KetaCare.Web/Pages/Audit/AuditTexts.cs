using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Audit;

/// <summary>Texts of the audit pages.</summary>
internal sealed class AuditTexts : ITextCatalog
{
    public IEnumerable<(string En, string Tr)> Entries =>
    [
        ("Audit log", "Denetim kaydı"),
        ("Verify the chain", "Zinciri doğrula"),
        ("Patient (record number or id)", "Hasta (dosya numarası veya kimlik)"),
        ("User (user name or name)", "Kullanıcı (kullanıcı adı veya ad)"),
        ("Action", "İşlem"),
        ("Any", "Tümü"),
        ("Record kind", "Kayıt türü"),
        ("From (date)", "Başlangıç (tarih)"),
        ("To (date, inclusive)", "Bitiş (tarih, dahil)"),
        ("{0} events; page {1} of {2}, newest first.", "{0} olay; sayfa {1}/{2}, en yeni önce."),
        ("User", "Kullanıcı"),
        ("Record", "Kayıt"),
        ("Patient", "Hasta"),
        ("Pages", "Sayfalar"),
        ("Newer", "Daha yeni"),
        ("Older", "Daha eski"),
        ("Verify the audit chain", "Denetim zincirini doğrula"),
        ("Every event carries the SHA-256 hash of its content and of the event before it; an altered, inserted or deleted event breaks the chain.", "Her olay, içeriğinin ve kendinden önceki olayın SHA-256 özetini taşır; değiştirilen, eklenen veya silinen bir olay zinciri bozar."),
        ("Intact: {0} events checked.", "Sağlam: {0} olay denetlendi."),
        ("Last hash (keep it outside the database to also detect removal of the newest events):", "Son özet (en yeni olayların silinmesini de fark etmek için veritabanı dışında saklayın):"),
        ("NOT intact: {0} problems in {1} events.", "Sağlam DEĞİL: {1} olayda {0} sorun."),
        ("Verify again", "Yeniden doğrula"),
    ];
}
