using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Patients;

/// <summary>
/// Eligibility screening: runs the versioned rule set on the current chart for one condition (and the intended
/// protocol), stores the immutable assessment and shows each finding with its reason and source. Running it needs
/// <see cref="Policies.Screen"/>; the physician's sign-off of a "needs review" result needs <see cref="Policies.Prescribe"/>,
/// checked in its handler.
/// </summary>
[Authorize(Policy = Policies.Screen)]
public sealed class ScreenModel(KetaCareDbContext db, ClinicRequest request, IAuthorizationService auth, IStringLocalizer<Strings> T) : PageModel
{
    public Patient Patient { get; private set; } = null!;

    public IReadOnlyList<ProtocolVersionInfo> Protocols { get; private set; } = [];

    public IReadOnlyList<(EligibilityAssessment Assessment, PhysicianReview? Review)> Assessments { get; private set; } = [];

    public IReadOnlyDictionary<UserId, string> Users { get; private set; } = new Dictionary<UserId, string>();

    /// <summary>The assessment shown (just run, or chosen from the history).</summary>
    [BindProperty(SupportsGet = true, Name = "assessment")]
    public Guid? Shown { get; set; }

    // Kept in the redirect after a screening, so the form shows what was just screened.
    [BindProperty(SupportsGet = true)]
    public Guid? ConditionId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ProtocolId { get; set; }

    [BindProperty]
    public string? Approved { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public string? Error { get; private set; }

    public bool CanSignOff { get; private set; }

    public (EligibilityAssessment Assessment, PhysicianReview? Review)? Current =>
        Shown is { } a ? Assessments.Where(x => x.Assessment.Id.Value == a).Select(x => ((EligibilityAssessment, PhysicianReview?)?)x).FirstOrDefault() : null;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    /// <summary>Runs the screen and shows the stored result (post/redirect/get).</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (ConditionId is not { } condition)
        {
            return await FailAsync(id, T["Condition"] + ": " + T["choose the condition to screen."], cancellationToken).ConfigureAwait(false);
        }

        var protocol = string.IsNullOrWhiteSpace(ProtocolId) ? null : ProtocolId.Trim();
        var result = await new TreatmentService(db, request.Clock).AssessEligibilityAsync(new PatientId(id), new EntryId(condition), request.RequiredUser, protocol, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return await FailAsync(id, FindingText.Render(result.Findings, result.Error, System.Globalization.CultureInfo.CurrentCulture), cancellationToken).ConfigureAwait(false);
        }

        TempData["Message"] = T["Screening stored."].Value;
        var again = protocol is null ? string.Empty : "&ProtocolId=" + Uri.EscapeDataString(protocol);
        return Redirect($"/Patients/{id}/Screen?assessment={result.Value.Id.Value}&ConditionId={condition}{again}");
    }

    /// <summary>The physician's one-time sign-off of a "needs physician review" result.</summary>
    public async Task<IActionResult> OnPostReviewAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!(await auth.AuthorizeAsync(User, Policies.Prescribe).ConfigureAwait(false)).Succeeded)
        {
            return Forbid();
        }

        if (Shown is not { } assessment)
        {
            return BadRequest();
        }

        var treatments = new TreatmentService(db, request.Clock);
        if (!(await treatments.AssessmentsAsync(new PatientId(id), request.RequiredUser, cancellationToken).ConfigureAwait(false)).Any(a => a.Assessment.Id.Value == assessment))
        {
            return NotFound();
        }

        if (Approved is not ("yes" or "no"))
        {
            return await FailAsync(id, T["Decision"] + ": " + T["approve or do not approve treatment."], cancellationToken).ConfigureAwait(false);
        }

        var review = await treatments.ReviewAsync(new AssessmentId(assessment), Approved == "yes", Reason ?? string.Empty, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        if (!review.IsSuccess)
        {
            return await FailAsync(id, FindingText.Render(review.Findings, review.Error, System.Globalization.CultureInfo.CurrentCulture), cancellationToken).ConfigureAwait(false);
        }

        TempData["Message"] = T["Physician review recorded."].Value;
        return Redirect($"/Patients/{id}/Screen?assessment={assessment}");
    }

    private async Task<IActionResult> FailAsync(Guid id, string error, CancellationToken cancellationToken)
    {
        Error = error;
        return await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var by = request.RequiredUser;
        var chart = await new PatientService(db, request.Clock).OpenChartAsync(new PatientId(id), by, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return false;
        }

        Patient = chart.Value;
        Protocols = await new ProtocolService(db, request.Clock).ListAsync(cancellationToken).ConfigureAwait(false);
        Assessments = await new TreatmentService(db, request.Clock).AssessmentsAsync(Patient.Id, by, cancellationToken).ConfigureAwait(false);
        Users = await PatientInput.UserNamesAsync(db, cancellationToken).ConfigureAwait(false);
        CanSignOff = (await auth.AuthorizeAsync(User, Policies.Prescribe).ConfigureAwait(false)).Succeeded;
        return true;
    }
}
