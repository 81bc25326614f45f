using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Shared;

/// <summary>Texts of the layout and of messages used on every page.</summary>
internal sealed class LayoutTexts : ITextCatalog
{
    public IEnumerable<(string En, string Tr)> Entries =>
    [
        ("Skip to content", "İçeriğe geç"),
        ("Main", "Ana menü"),
        ("Dashboard", "Pano"),
        ("Patients", "Hastalar"),
        ("Exports", "Dışa aktarım"),
        ("Simulator", "Simülatör"),
        ("Admin", "Yönetim"),
        ("Audit", "Denetim"),
        ("Language", "Dil"),
        ("Change", "Değiştir"),
        ("Password", "Parola"),
        ("Sign out", "Çıkış yap"),
        ("Sign in", "Giriş yap"),
        ("KetaCare computes, checks and records; a clinician decides.", "KetaCare hesaplar, denetler ve kaydeder; karar klinisyenindir."),
        ("Save", "Kaydet"),
        ("Cancel", "Vazgeç"),
        ("Reason", "Gerekçe"),
        ("Date", "Tarih"),
        ("Time", "Saat"),
        ("Status", "Durum"),
        ("Search", "Ara"),
        ("Details", "Ayrıntılar"),
        ("None", "Yok"),
        ("Yes", "Evet"),
        ("No", "Hayır"),
    ];
}
