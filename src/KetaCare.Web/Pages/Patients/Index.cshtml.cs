using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Patients;

/// <summary>Patients by family name, searched by record number or name. A list is not a chart read (no chart opened).</summary>
[Authorize(Policy = Policies.ReadClinical)]
public sealed class IndexModel(KetaCareDbContext db, ClinicRequest request, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>Rows shown at most; more matches ask the user to narrow the search.</summary>
    public const int PageSize = 100;

    public IReadOnlyList<PatientSummary> Patients { get; private set; } = [];

    public bool HasMore { get; private set; }

    public bool CanRegister { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // A search longer than any record number or name matches nothing; it is cut rather than refused.
        var query = Query is { Length: > ChartInput.MaxNameLength * 2 } ? Query[..(ChartInput.MaxNameLength * 2)] : Query;
        (Patients, HasMore) = await new PatientService(db, request.Clock).SearchPageAsync(query, 0, PageSize, cancellationToken).ConfigureAwait(false);
        CanRegister = (await auth.AuthorizeAsync(User, Policies.RecordPatient).ConfigureAwait(false)).Succeeded;
    }
}
