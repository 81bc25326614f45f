using System.Globalization;
using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>Every account with its roles and lock state, and the form to create one.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class UsersModel(KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request, IStringLocalizer<Strings> T) : PageModel
{
    public IReadOnlyList<UserSummary> Users { get; private set; } = [];

    [BindProperty]
    public string NewUserName { get; set; } = string.Empty;

    [BindProperty]
    public string NewDisplayName { get; set; } = string.Empty;

    [BindProperty]
    public string NewPassword { get; set; } = string.Empty;

    [BindProperty]
    public List<string> NewRoles { get; set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Users = await Directory().ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var created = await Directory().CreateAsync(new NewUser(NewUserName, NewDisplayName, NewPassword, NewRoles), request.RequiredUser, cancellationToken);
        if (!created.IsSuccess)
        {
            Error = FindingText.Render(created.Findings, created.Error, CultureInfo.CurrentCulture);
            Users = await Directory().ListAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = T["Account {0} created with roles {1}.", created.Value.UserName, string.Join(", ", created.Value.Roles.Select(r => T[RoleLabels.Of(r)]))].Value;
        return RedirectToPage("/Admin/Users");
    }

    private UserDirectory Directory() => new(users, db, request.Clock);
}
