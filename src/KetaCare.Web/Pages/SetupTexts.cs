using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages;

internal sealed class SetupTexts : ITextCatalog
{
    public IEnumerable<(string En, string Tr)> Entries =>
    [
        ("Setup is closed: user accounts exist. Sign in as an administrator to manage users.", "Kurulum kapalı: kullanıcı hesapları var. Kullanıcıları yönetmek için yönetici olarak giriş yapın."),
        ("Nothing was saved by the request that failed. Go back and try again; if it happens again, tell the administrator the time it happened.", "Başarısız olan istek hiçbir şey kaydetmedi. Geri dönüp yeniden deneyin; tekrar olursa saatini yöneticiye bildirin."),
    ];
}
