using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using System.Globalization;
using System.Text;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace KetaCare.Web.Pages.Account;

/// <summary>
/// Two-factor sign-in for one's own account (offered to every signed-in user; meant for physicians and
/// administrators): an authenticator app (TOTP, RFC 6238) is set up by scanning the QR code or typing the key and
/// confirming one code; ten one-time recovery codes are shown once. Turning it on or off, or new recovery codes,
/// change the security stamp, which ends the account's other sign-ins; this one is re-issued.
/// </summary>
[Authorize(Policy = KetaCare.Web.Infrastructure.Policies.SignedIn)]
public sealed class TwoFactorModel(UserManager<ClinicUser> users, SignInManager<ClinicUser> signIn, IStringLocalizer<Strings> T) : PageModel
{
    /// <summary>How many recovery codes a user gets.</summary>
    public const int RecoveryCodeCount = 10;

    [BindProperty]
    public string Code { get; set; } = string.Empty;

    public bool Enabled { get; private set; }

    /// <summary>The shared key in groups of four, for typing into an authenticator app.</summary>
    public string Key { get; private set; } = string.Empty;

    /// <summary>The otpauth URI the QR code carries.</summary>
    public string Uri { get; private set; } = string.Empty;

    /// <summary>The QR code as a PNG data URI (the CSP allows data: images).</summary>
    public string QrCode { get; private set; } = string.Empty;

    /// <summary>Recovery codes just generated; shown once.</summary>
    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public int RecoveryCodesLeft { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync().ConfigureAwait(false) ? Page() : Challenge();

    /// <summary>Confirms the app with one code, turns two-factor sign-in on and shows the recovery codes.</summary>
    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await users.GetUserAsync(User).ConfigureAwait(false);
        if (user is null)
        {
            return Challenge();
        }

        if (!await VerifyAsync(user).ConfigureAwait(false))
        {
            Error = "The code is not the app's current code. Check the time on the phone and type the six digits shown now.";
            await LoadAsync().ConfigureAwait(false);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true).ConfigureAwait(false);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount).ConfigureAwait(false) ?? []];
        await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        await LoadAsync().ConfigureAwait(false);
        return Page();
    }

    /// <summary>New recovery codes (the old ones stop working), with a current code.</summary>
    public Task<IActionResult> OnPostRecoveryCodesAsync() => WithCurrentCodeAsync(async user =>
    {
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount).ConfigureAwait(false) ?? []];
        await LoadAsync().ConfigureAwait(false);
        return Page();
    });

    /// <summary>Turns two-factor sign-in off with a current code; the key is replaced, so the old app entry is useless.</summary>
    public Task<IActionResult> OnPostDisableAsync() => WithCurrentCodeAsync(async user =>
    {
        await users.SetTwoFactorEnabledAsync(user, false).ConfigureAwait(false);
        await users.ResetAuthenticatorKeyAsync(user).ConfigureAwait(false);
        await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        TempData["Message"] = T["Two-factor sign-in is off."].Value;
        return Redirect("/Account/TwoFactor");
    });

    // Changes to two-factor sign-in once it is on need the app's current code, not only the session.
    private async Task<IActionResult> WithCurrentCodeAsync(Func<ClinicUser, Task<IActionResult>> then)
    {
        var user = await users.GetUserAsync(User).ConfigureAwait(false);
        if (user is null)
        {
            return Challenge();
        }

        if (!user.TwoFactorEnabled || !await VerifyAsync(user).ConfigureAwait(false))
        {
            Error = "The code is not the app's current code. Check the time on the phone and type the six digits shown now.";
            await LoadAsync().ConfigureAwait(false);
            return Page();
        }

        return await then(user).ConfigureAwait(false);
    }

    private async Task<bool> VerifyAsync(ClinicUser user)
    {
        var code = new string(Code.Where(char.IsAsciiDigit).ToArray());
        Code = string.Empty;
        return code.Length == 6 && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code).ConfigureAwait(false);
    }

    private async Task<bool> LoadAsync()
    {
        var user = await users.GetUserAsync(User).ConfigureAwait(false);
        if (user is null)
        {
            return false;
        }

        Enabled = user.TwoFactorEnabled;
        RecoveryCodesLeft = Enabled ? await users.CountRecoveryCodesAsync(user).ConfigureAwait(false) : 0;
        if (Enabled)
        {
            return true;
        }

        var key = await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user).ConfigureAwait(false);
            await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
            key = await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false) ?? string.Empty;
        }

        Key = Grouped(key);
        var account = System.Uri.EscapeDataString("KetaCare:" + (user.UserName ?? string.Empty));
        Uri = string.Create(CultureInfo.InvariantCulture, $"otpauth://totp/{account}?secret={key}&issuer=KetaCare&digits=6&period=30");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(Uri, QRCodeGenerator.ECCLevel.M);
        QrCode = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
        return true;
    }

    private static string Grouped(string key)
    {
        var sb = new StringBuilder(key.Length + (key.Length / 4));
        for (var i = 0; i < key.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                sb.Append(' ');
            }

            sb.Append(char.ToLowerInvariant(key[i]));
        }

        return sb.ToString();
    }
}
