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
        ("Two-factor sign-in", "İki aşamalı giriş"),
        ("Recovery codes", "Kurtarma kodları"),
        ("Keep these codes somewhere safe, apart from the phone. Each signs you in once when the phone is not at hand. They are shown only now.", "Bu kodları telefondan ayrı, güvenli bir yerde saklayın. Telefon yanınızda değilken her biri bir kez giriş sağlar. Yalnızca şimdi gösterilirler."),
        ("Two-factor sign-in is on: after the password, the sign-in asks for the code of your authenticator app.", "İki aşamalı giriş açık: parolanın ardından giriş, doğrulama uygulamanızın kodunu ister."),
        ("Recovery codes left: {0}", "Kalan kurtarma kodu: {0}"),
        ("Current code from the app", "Uygulamadaki geçerli kod"),
        ("New recovery codes", "Yeni kurtarma kodları"),
        ("Turn two-factor sign-in off", "İki aşamalı girişi kapat"),
        ("Two-factor sign-in is off. With it on, a stolen password is not enough to sign in: the sign-in also asks for a code from an authenticator app on your phone.", "İki aşamalı giriş kapalı. Açıkken çalınan bir parola giriş için yetmez: giriş, telefonunuzdaki doğrulama uygulamasından bir kod da ister."),
        ("Scan the QR code with an authenticator app (or type the key).", "QR kodu bir doğrulama uygulamasıyla tarayın (veya anahtarı yazın)."),
        ("Type the six-digit code the app shows, to confirm.", "Onaylamak için uygulamanın gösterdiği altı haneli kodu yazın."),
        ("QR code of the authenticator key", "Doğrulama anahtarının QR kodu"),
        ("Key", "Anahtar"),
        ("Code from the app", "Uygulamadaki kod"),
        ("Turn two-factor sign-in on", "İki aşamalı girişi aç"),
        ("The code is not the app's current code. Check the time on the phone and type the six digits shown now.", "Kod, uygulamanın geçerli kodu değil. Telefondaki saati kontrol edin ve şu an gösterilen altı haneyi yazın."),
        ("Two-factor sign-in is off.", "İki aşamalı giriş kapatıldı."),
        ("The code is wrong or has expired.", "Kod yanlış veya süresi dolmuş."),
        ("Type the code your authenticator app shows now, or one of your recovery codes.", "Doğrulama uygulamanızın şu an gösterdiği kodu veya kurtarma kodlarınızdan birini yazın."),
        ("Code", "Kod"),
    ];
}
