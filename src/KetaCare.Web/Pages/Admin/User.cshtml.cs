using System.Globalization;
using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>One account: change its roles, lock or unlock it, set a new password. Each change is audited.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class UserModel(KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request, IStringLocalizer<Strings> T) : PageModel
{
    public UserSummary Account { get; private set; } = null!;

    public bool IsSelf => Account.Id == request.RequiredUser;

    public string? Error { get; private set; }

    [BindProperty]
    public List<string> Roles { get; set; } = [];

    [BindProperty]
    public string? Stamp { get; set; }

    [BindProperty]
    public string NewPassword { get; set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostRolesAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, d => d.SetRolesAsync(new UserId(id), Roles, request.RequiredUser, Stamp, cancellationToken), "Roles of {0} saved.", cancellationToken);

    public Task<IActionResult> OnPostLockAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, d => d.LockAsync(new UserId(id), request.RequiredUser, Stamp, cancellationToken), "{0} is locked.", cancellationToken);

    public Task<IActionResult> OnPostUnlockAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, d => d.UnlockAsync(new UserId(id), request.RequiredUser, Stamp, cancellationToken), "{0} is unlocked.", cancellationToken);

    public Task<IActionResult> OnPostTwoFactorAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, d => d.ResetTwoFactorAsync(new UserId(id), request.RequiredUser, Stamp, cancellationToken), "Two-factor sign-in of {0} is off; the user sets it up again.", cancellationToken);

    public Task<IActionResult> OnPostPasswordAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, d => d.SetPasswordAsync(new UserId(id), NewPassword, request.RequiredUser, cancellationToken), "New password of {0} set.", cancellationToken);

    private async Task<IActionResult> ChangeAsync(Guid id, Func<UserDirectory, Task<Outcome<UserSummary>>> change, string done, CancellationToken cancellationToken)
    {
        var r = await change(Directory());
        if (!r.IsSuccess)
        {
            Error = FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture);
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }

        TempData["Message"] = T[done, r.Value.UserName].Value;
        return RedirectToPage("/Admin/User", new { id });
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await Directory().FindAsync(id.ToString(), cancellationToken);
        if (found is null)
        {
            return false;
        }

        Account = found;
        return true;
    }

    private UserDirectory Directory() => new(users, db, request.Clock);
}
