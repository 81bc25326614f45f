using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Pages;

/// <summary>First-run setup: creates the first administrator, and only while no account exists at all.</summary>
public sealed class SetupModel(UserManager<ClinicUser> users, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    public string DisplayName { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    public bool Open { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task OnGetAsync() => Open = !await users.Users.AnyAsync().ConfigureAwait(false);

    public async Task<IActionResult> OnPostAsync()
    {
        Open = !await users.Users.AnyAsync().ConfigureAwait(false);
        if (!Open)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var user = new ClinicUser { Id = Guid.NewGuid(), UserName = UserName.Trim(), DisplayName = DisplayName.Trim(), CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, Password).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            Errors = [.. created.Errors.Select(e => e.Description)];
            return Page();
        }

        await users.AddToRoleAsync(user, ClinicRoles.Admin).ConfigureAwait(false);
        TempData["Message"] = "Administrator created; sign in.";
        return RedirectToPage("/Account/SignIn");
    }
}
