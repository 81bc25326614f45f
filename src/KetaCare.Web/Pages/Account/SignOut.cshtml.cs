using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Account;

/// <summary>
/// Sign-out (POST only, with antiforgery, so a link on another site cannot sign a nurse out mid-session). It replaces
/// the account's security stamp, so every cookie of this account — a copy saved before sign-out, a forgotten tablet —
/// is refused from its next request on, on every instance (sign out everywhere).
/// </summary>
public sealed class SignOutModel(SignInManager<ClinicUser> signIn, UserManager<ClinicUser> users) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true && await users.GetUserAsync(User).ConfigureAwait(false) is { } user)
        {
            await users.UpdateSecurityStampAsync(user).ConfigureAwait(false);
        }

        await signIn.SignOutAsync().ConfigureAwait(false);
        return RedirectToPage("/Account/SignIn");
    }
}
