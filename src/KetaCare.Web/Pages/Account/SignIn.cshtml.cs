using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Account;

/// <summary>Sign-in with user name and password; five failures lock the account for 15 minutes (Identity lockout).</summary>
public sealed class SignInModel(SignInManager<ClinicUser> signIn, IWebHostEnvironment environment, IConfiguration configuration) : PageModel
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

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.PasswordSignInAsync(UserName.Trim(), Password, isPersistent: false, lockoutOnFailure: true).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        Error = result.IsLockedOut
            ? "This account is locked after repeated failed sign-ins. Try again in 15 minutes or ask an administrator."
            : "User name or password is wrong.";
        Password = string.Empty;
        return Page();
    }
}
