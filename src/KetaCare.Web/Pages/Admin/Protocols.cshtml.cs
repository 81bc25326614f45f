using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Admin;

/// <summary>The latest version of every protocol in the library.</summary>
[Authorize(Policy = Policies.Administer)]
public sealed class ProtocolsModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time) : PageModel
{
    public IReadOnlyList<ProtocolVersionInfo> Protocols { get; private set; } = [];

    public IReadOnlyDictionary<UserId, string> Names { get; private set; } = new Dictionary<UserId, string>();

    public ClinicTime Time => time;

    /// <summary>A dose level with the number in the user's culture.</summary>
    public string Dose(DoseLevel level) => Patients.PatientView.Dose(level);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Protocols = await new ProtocolService(db, request.Clock).ListAsync(cancellationToken);
        Names = await new AuditLogService(db).DisplayNamesAsync(Protocols.Select(p => p.CreatedBy), cancellationToken);
    }
}
