using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Account;

/// <summary>
/// Change one's own password (any signed-in user, with or without a role). The new security stamp ends the account's
/// other sign-ins; this one is re-issued with it.
/// </summary>
[Authorize(Policy = KetaCare.Web.Infrastructure.Policies.SignedIn)]
public sealed class ChangePasswordModel(UserManager<ClinicUser> users, SignInManager<ClinicUser> signIn) : PageModel
{
    [BindProperty]
    public string Current { get; set; } = string.Empty;

    [BindProperty]
    public string New { get; set; } = string.Empty;

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User).ConfigureAwait(false);
        if (user is null)
        {
            return Challenge();
        }

        var result = await users.ChangePasswordAsync(user, Current, New).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            Errors = [.. result.Errors.Select(e => e.Description)];
            return Page();
        }

        await signIn.RefreshSignInAsync(user).ConfigureAwait(false);
        TempData["Message"] = "Password changed.";
        return LocalRedirect(await KetaCare.Web.Infrastructure.Landing.AfterSignInAsync(users, user, null, Url).ConfigureAwait(false));
    }
}
