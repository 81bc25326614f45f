using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Account;

/// <summary>
/// Sign-in with user name and password through <see cref="SignInGuard"/>: five failures from one address within 15
/// minutes block that address for the account, fifty from all addresses block the account; an administrator's lock
/// blocks it until unlocked. The answer never tells an unknown name from a wrong password.
/// </summary>
public sealed class SignInModel(SignInManager<ClinicUser> signIn, SignInGuard guard, IWebHostEnvironment environment, IConfiguration configuration) : PageModel
{
    /// <summary>The demo accounts, listed on the page in Development only.</summary>
    public IReadOnlyList<KetaCare.Web.Infrastructure.DemoAccount> DemoAccounts =>
        environment.IsDevelopment() && KetaCare.Web.Infrastructure.Startup.SeedsDemo(environment, configuration) ? KetaCare.Web.Infrastructure.Startup.DemoAccounts : [];

    [BindProperty]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var source = HttpContext.Connection.RemoteIpAddress?.ToString();
        var attempt = await guard.CheckAsync(UserName, Password, source, cancellationToken).ConfigureAwait(false);
        Password = string.Empty;
        if (attempt is { Verdict: SignInVerdict.Succeeded, User: { } user })
        {
            if (user.TwoFactorEnabled)
            {
                // The password alone does not sign in: the code step does (SignInCodeModel).
                await SignInCodeModel.BeginAsync(HttpContext, user).ConfigureAwait(false);
                return Redirect("/Account/SignInCode" + (Url.IsLocalUrl(ReturnUrl) ? "?ReturnUrl=" + Uri.EscapeDataString(ReturnUrl!) : string.Empty));
            }

            await signIn.SignInAsync(user, isPersistent: false).ConfigureAwait(false);

            return LocalRedirect(await Landing.AfterSignInAsync(signIn.UserManager, user, ReturnUrl, Url).ConfigureAwait(false));
        }

        Error = attempt.Verdict switch
        {
            SignInVerdict.Throttled => "This account is locked after repeated failed sign-ins. Try again in 15 minutes or ask an administrator.",
            SignInVerdict.Locked => "This account is locked. Ask an administrator.",
            _ => "User name or password is wrong.",
        };
        return Page();
    }
}
