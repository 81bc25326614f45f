using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>The administration hub: users and roles, protocol library, drug library, alert thresholds.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class IndexModel(KetaCareDbContext db, UserManager<ClinicUser> users, ClinicRequest request) : PageModel
{
    public int UserCount { get; private set; }

    public int LockedCount { get; private set; }

    public int ProtocolCount { get; private set; }

    public int ThresholdVersion { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await new UserDirectory(users, db, request.Clock).ListAsync(cancellationToken);
        UserCount = all.Count;
        LockedCount = all.Count(u => u.IsLocked);
        ProtocolCount = (await new ProtocolService(db, request.Clock).ListAsync(cancellationToken)).Count;
        ThresholdVersion = (await new SettingsService(db, request.Clock).AlertThresholdsAsync(cancellationToken)).Version;
    }
}
