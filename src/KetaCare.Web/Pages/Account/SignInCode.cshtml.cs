using System.Security.Claims;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Account;

/// <summary>
/// The second step of a sign-in for an account with two-factor sign-in on: the password step left a short-lived
/// cookie naming the account (Identity's two-factor scheme, 5 minutes) and nothing else; this page takes the
/// authenticator code or a recovery code through <see cref="SignInGuard.CheckCodeAsync"/> (counted and paused like
/// wrong passwords) and only then signs in.
/// </summary>
public sealed class SignInCodeModel(SignInManager<ClinicUser> signIn, UserManager<ClinicUser> users, SignInGuard guard) : PageModel
{
    [BindProperty]
    public string Code { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    /// <summary>Marks the account as waiting for its code (after a right password); the caller redirects here.</summary>
    public static Task BeginAsync(HttpContext http, ClinicUser user) =>
        http.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Id.ToString())], IdentityConstants.TwoFactorUserIdScheme)));

    public async Task<IActionResult> OnGetAsync() => await PendingAsync().ConfigureAwait(false) is null ? Redirect("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await PendingAsync().ConfigureAwait(false);
        if (user is null)
        {
            return Redirect("/Account/SignIn");
        }

        var attempt = await guard.CheckCodeAsync(user, Code, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken).ConfigureAwait(false);
        Code = string.Empty;
        if (attempt.Verdict == SignInVerdict.Succeeded)
        {
            await HttpContext.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme).ConfigureAwait(false);
            await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "mfa").ConfigureAwait(false);
            return LocalRedirect(await Landing.AfterSignInAsync(users, user, ReturnUrl, Url).ConfigureAwait(false));
        }

        Error = attempt.Verdict switch
        {
            SignInVerdict.Throttled => "This account is locked after repeated failed sign-ins. Try again in 15 minutes or ask an administrator.",
            SignInVerdict.Locked => "This account is locked. Ask an administrator.",
            _ => "The code is wrong or has expired.",
        };
        return Page();
    }

    private async Task<ClinicUser?> PendingAsync()
    {
        var result = await HttpContext.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme).ConfigureAwait(false);
        var id = result.Principal?.FindFirstValue(ClaimTypes.Name);
        return id is null ? null : await users.FindByIdAsync(id).ConfigureAwait(false);
    }
}
