using KetaCare.Clinic.Persistence;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Audit;

/// <summary>Checks the whole hash chain of the audit log on every visit (a read; nothing is written).</summary>
[Authorize(Policy = Policies.Audit)]
public sealed class VerifyModel(KetaCareDbContext db) : PageModel
{
    public AuditVerification Result { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Result = await AuditChain.VerifyAsync(db, cancellationToken);
}
