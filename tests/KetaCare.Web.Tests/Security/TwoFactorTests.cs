using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Security;

/// <summary>
/// Two-factor sign-in (TOTP) from set-up to use: the codes are computed here independently of ASP.NET Core Identity,
/// by RFC 6238 (HMAC-SHA1, 30-second steps, six digits) from the key the page shows.
/// </summary>
public sealed partial class TwoFactorTests : IDisposable
{
    private const string Password = "a long walk by the river";
    private readonly WebAppFactory _app = new();

    // The authenticator's clock: the phone reads the same system time as the server here.
    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    [Fact]
    public async Task TwoFactor_SetUpThenSignIn_PasswordAloneIsNotEnoughAndCodesAreCountedAndRecoveryCodesWorkOnce()
    {
        await CreatePhysicianAsync("tf.physician");
        var owner = await _app.SignedInAsync("tf.physician", Password);
        var elsewhere = await _app.SignedInAsync("tf.physician", Password);
        var setUp = await owner.GetStringAsync("/Account/TwoFactor");
        Assert.Contains("data-testid=\"twofactor-qr\"", setUp, StringComparison.Ordinal);
        var key = Base32(KeyPattern().Match(setUp).Groups[1].Value);

        var wrong = await owner.PostFormAsync("/Account/TwoFactor", new() { ["Code"] = Totp(key, Now.AddMinutes(10)) }, "/Account/TwoFactor?handler=Enable");
        Assert.Contains("data-testid=\"twofactor-error\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var enabled = await (await owner.PostFormAsync("/Account/TwoFactor", new() { ["Code"] = Totp(key, Now) }, "/Account/TwoFactor?handler=Enable")).Content.ReadAsStringAsync();
        var recovery = RecoveryPattern().Matches(enabled[enabled.IndexOf("data-testid=\"recovery-codes\"", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recovery.Count);

        // Turning it on ends the account's other sign-ins; this one goes on.
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/")).StatusCode);

        // The password alone leads to the code step and signs nobody in.
        var client = await PasswordStepAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/Patients")).StatusCode);
        Assert.Equal("The code is wrong or has expired.", await CodeAsync(client, "000000" == Totp(key, Now) ? "111111" : "000000"));
        Assert.Null(await CodeAsync(client, Totp(key, Now)));
        Assert.Contains("data-testid=\"signed-in-user\">tf.physician<", await client.GetStringAsync("/"), StringComparison.Ordinal);

        // A recovery code signs in once.
        Assert.Null(await CodeAsync(await PasswordStepAsync(), recovery[0]));
        Assert.Equal("The code is wrong or has expired.", await CodeAsync(await PasswordStepAsync(), recovery[0]));

        // Wrong codes are counted: after the limit even the right code is refused for a while.
        var guesser = await PasswordStepAsync();
        string? answer;
        var tries = 0;
        do
        {
            answer = await CodeAsync(guesser, (100000 + tries++).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        while (answer == "The code is wrong or has expired." && tries <= SignInGuard.PerSourceLimit + 1);

        Assert.Contains("locked", answer ?? "signed in", StringComparison.Ordinal);
        Assert.Contains("locked", await CodeAsync(guesser, Totp(key, Now)) ?? "signed in", StringComparison.Ordinal);
        Assert.Contains("locked", await CodeAsync(guesser, Totp(key, Now)) ?? "signed in", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoFactor_TurnedOffWithACode_PasswordSignsInAgainAndTheOldKeyIsUseless()
    {
        await CreatePhysicianAsync("tf.off");
        var owner = await _app.SignedInAsync("tf.off", Password);
        var key = Base32(KeyPattern().Match(await owner.GetStringAsync("/Account/TwoFactor")).Groups[1].Value);
        await owner.PostFormAsync("/Account/TwoFactor", new() { ["Code"] = Totp(key, Now) }, "/Account/TwoFactor?handler=Enable");

        var off = await owner.PostFormAsync("/Account/TwoFactor", new() { ["Code"] = Totp(key, Now) }, "/Account/TwoFactor?handler=Disable");

        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        var page = await owner.GetStringAsync("/Account/TwoFactor");
        Assert.Contains("Two-factor sign-in is off.", page, StringComparison.Ordinal);
        Assert.NotEqual(key, Base32(KeyPattern().Match(page).Groups[1].Value));
        Assert.Equal(HttpStatusCode.Redirect, (await _app.NewClient().PostFormAsync("/Account/SignIn", new() { ["UserName"] = "tf.off", ["Password"] = Password })).StatusCode);
        await _app.SignedInAsync("tf.off", Password);
    }

    [Fact]
    public async Task TwoFactor_PhoneLost_AdministratorResetsItAuditedAndThePasswordSignsInAgain()
    {
        var id = await CreatePhysicianAsync("tf.lost");
        var owner = await _app.SignedInAsync("tf.lost", Password);
        var key = Base32(KeyPattern().Match(await owner.GetStringAsync("/Account/TwoFactor")).Groups[1].Value);
        await owner.PostFormAsync("/Account/TwoFactor", new() { ["Code"] = Totp(key, Now) }, "/Account/TwoFactor?handler=Enable");
        var admin = await _app.SignedInAsync("admin");
        var page = $"/Admin/Users/{id.Value}";
        Assert.Contains("data-testid=\"user-2fa-form\"", await admin.GetStringAsync(page), StringComparison.Ordinal);

        var reset = await admin.PostFormAsync(page, [], page + "?handler=TwoFactor");

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.DoesNotContain("data-testid=\"user-2fa-form\"", await admin.GetStringAsync(page), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.GetAsync("/")).StatusCode); // the open session ended
        await _app.SignedInAsync("tf.lost", Password);
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Clinic.Persistence.KetaCareDbContext>();
        Assert.Single(db.AuditEvents.Where(a => a.Action == "user-2fa-reset" && a.EntityId == id.Value.ToString()));
    }

    [Fact]
    public async Task TwoFactor_PatientSignsInWithACode_LandsOnThePortalWhateverTheReturnAddress()
    {
        var owner = await _app.SignedInAsync("patient", Startup.DemoPassword);
        var key = Base32(KeyPattern().Match(await owner.GetStringAsync("/Account/TwoFactor")).Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostFormAsync("/Account/TwoFactor", new() { ["Code"] = Totp(key, Now) }, "/Account/TwoFactor?handler=Enable")).StatusCode);

        foreach (var (asked, expected) in new[] { ((string?)null, "/Portal"), ("/", "/Portal"), ("/Patients", "/Portal"), ("/Portal/Diary", "/Portal/Diary") })
        {
            var client = _app.NewClient();
            var query = asked is null ? string.Empty : "?ReturnUrl=" + Uri.EscapeDataString(asked);
            var step = await client.PostFormAsync("/Account/SignIn" + query, new() { ["UserName"] = "patient", ["Password"] = Startup.DemoPassword });
            Assert.StartsWith("/Account/SignInCode", step.Headers.Location?.OriginalString, StringComparison.Ordinal);
            var signedIn = await client.PostFormAsync(step.Headers.Location!.OriginalString, new() { ["Code"] = Totp(key, Now) });
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal(expected, signedIn.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(expected)).StatusCode);
        }
    }

    [Fact]
    public async Task TwoFactorPages_SignedOut_LeadToTheSignIn()
    {
        var anonymous = _app.NewClient();
        foreach (var page in new[] { "/Account/TwoFactor", "/Account/SignInCode" })
        {
            var location = (await anonymous.GetAsync(page)).Headers.Location!;
            Assert.Equal("/Account/SignIn", (location.IsAbsoluteUri ? location : new Uri(new Uri("http://localhost"), location)).AbsolutePath);
        }
    }

    public void Dispose() => _app.Dispose();

    /// <summary>RFC 6238 TOTP: HMAC-SHA1 over the 30-second step count, dynamic truncation, six digits.</summary>
    internal static string Totp(byte[] key, DateTimeOffset at)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, at.ToUnixTimeSeconds() / 30);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF) % 1_000_000;
        return value.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 4648 base32 (the key as the page shows it: lower case, in groups).</summary>
    internal static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var buffer = 0;
        var bytes = new List<byte>();
        foreach (var c in text.ToUpperInvariant().Where(c => c is not (' ' or '=')))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }

    private async Task<Clinic.UserId> CreatePhysicianAsync(string userName)
    {
        using var scope = _app.Services.CreateScope();
        var directory = new UserDirectory(scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>(), scope.ServiceProvider.GetRequiredService<Clinic.Persistence.KetaCareDbContext>(), TimeProvider.System);
        var created = await directory.CreateAsync(new NewUser(userName, userName, Password, [ClinicRoles.Physician]), Startup.DemoAccounts.Single(a => a.UserName == "admin").Id);
        Assert.True(created.IsSuccess, created.Error);
        return created.Value.Id;
    }

    private async Task<HttpClient> PasswordStepAsync()
    {
        var client = _app.NewClient();
        var response = await client.PostFormAsync("/Account/SignIn", new() { ["UserName"] = "tf.physician", ["Password"] = Password });
        Assert.Equal("/Account/SignInCode", response.Headers.Location?.OriginalString);
        return client;
    }

    /// <summary>Posts a code on the code step; null when signed in, else the error shown.</summary>
    private static async Task<string?> CodeAsync(HttpClient client, string code)
    {
        var response = await client.PostFormAsync("/Account/SignInCode", new() { ["Code"] = code });
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            return null;
        }

        var m = ErrorPattern().Match(await response.Content.ReadAsStringAsync());
        return m.Success ? WebUtility.HtmlDecode(m.Groups[1].Value) : $"{(int)response.StatusCode} without an error";
    }

    [GeneratedRegex("data-testid=\"twofactor-key\">([a-z2-7 ]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryPattern();

    [GeneratedRegex("data-testid=\"signin-error\">([^<]*)<")]
    private static partial Regex ErrorPattern();
}
