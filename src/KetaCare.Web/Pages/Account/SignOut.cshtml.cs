using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Account;

/// <summary>Sign-out (POST only, with antiforgery, so a link on another site cannot sign a nurse out mid-session).</summary>
public sealed class SignOutModel(SignInManager<ClinicUser> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync().ConfigureAwait(false);
        return RedirectToPage("/Account/SignIn");
    }
}
