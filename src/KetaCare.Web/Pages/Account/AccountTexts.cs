using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Account;

internal sealed class AccountTexts : ITextCatalog
{
    public IEnumerable<(string En, string Tr)> Entries =>
    [
        ("User name", "Kullanıcı adı"),
        ("User name or password is wrong.", "Kullanıcı adı veya parola yanlış."),
        ("This account is locked after repeated failed sign-ins. Try again in 15 minutes or ask an administrator.", "Bu hesap art arda başarısız girişler nedeniyle kilitlendi. 15 dakika sonra yeniden deneyin veya bir yöneticiye başvurun."),
        ("This account is locked. Ask an administrator.", "Bu hesap kilitli. Bir yöneticiye başvurun."),
        ("Not allowed", "İzin yok"),
        ("Your role does not allow this page or action.", "Rolünüz bu sayfaya veya işleme izin vermiyor."),
        ("Change password", "Parolayı değiştir"),
        ("Current password", "Geçerli parola"),
        ("New password (at least 10 characters)", "Yeni parola (en az 10 karakter)"),
        ("First-run setup", "İlk kurulum"),
        ("Create the first administrator", "İlk yöneticiyi oluşturun"),
        ("Display name", "Görünen ad"),
        ("Something went wrong", "Bir sorun oluştu"),
        ("Demo sign-ins (Development only)", "Demo girişleri (yalnızca geliştirme)"),
        ("Password for all: {0}", "Hepsi için parola: {0}"),
        ("Physician", "Hekim"),
        ("Nurse", "Hemşire"),
        ("Auditor", "Denetçi"),
        ("Signing out ends your sign-in on every device.", "Çıkış yapmak tüm cihazlardaki oturumunuzu sonlandırır."),
    ];
}
