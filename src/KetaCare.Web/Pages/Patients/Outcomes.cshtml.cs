using Microsoft.Extensions.Localization;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Charts;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Patients;

/// <summary>
/// The course outcome (<see cref="OutcomeService.CourseAsync"/>): pain NRS per session and over the course against the
/// IMMPACT responder lines, predicted relief (Dahan 2011) beside the observed, doses given; and the forms for
/// follow-up NRS, BPI short form and PGIC (recording needs <see cref="Policies.RecordPatient"/>, checked per handler).
/// </summary>
[Authorize(Policy = Policies.ReadClinical)]
public sealed class OutcomesModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IAuthorizationService auth, IStringLocalizer<Strings> T) : PageModel
{
    /// <summary>The BPI interference items in the form's order (clinical-reference: Scales and codes (cleeland1994)).</summary>
    public static IReadOnlyList<string> InterferenceItems { get; } = ["General activity", "Mood", "Walking ability", "Normal work", "Relations with other people", "Sleep", "Enjoyment of life"];

    public Patient Patient { get; private set; } = null!;

    public CourseOutcome Course { get; private set; } = null!;

    public bool CanRecord { get; private set; }

    public string? Error { get; private set; }

    public string? ErrorForm { get; private set; }

    public string Today => ClinicTime.ShowDate(time.Today(request.Clock));

    public string NowLocal => time.Local(request.Clock.GetUtcNow()).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    /// <summary>Width and height of the course-outcome chart, px.</summary>
    public const int ChartWidth = 900, ChartHeight = 700;

    /// <summary>The course-outcome chart.</summary>
    public string ChartUrl => $"/Patients/{Patient.Id.Value}/Outcomes?handler=Chart";

    [BindProperty]
    public long Version { get; set; }

    [BindProperty]
    public string? At { get; set; }

    [BindProperty]
    public string? Nrs { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? CompletedOn { get; set; }

    [BindProperty]
    public string? Worst { get; set; }

    [BindProperty]
    public string? Least { get; set; }

    [BindProperty]
    public string? Average { get; set; }

    [BindProperty]
    public string? Now { get; set; }

    [BindProperty]
    public List<string?> Interference { get; set; } = [];

    [BindProperty]
    public string? Pgic { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    /// <summary>The course-outcome chart (SVG): NRS with the responder lines, predicted beside observed relief, dose per session.</summary>
    public async Task<IActionResult> OnGetChartAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken).ConfigureAwait(false)
            ? Content(CourseOutcomeChart.Svg(Course, ChartWidth, ChartHeight, ChartText.For(CultureInfo.CurrentUICulture)), "image/svg+xml")
            : NotFound();

    public async Task<IActionResult> OnPostFollowUpAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await CanRecordAsync().ConfigureAwait(false))
        {
            return Forbid();
        }

        if (!time.TryParseLocal(At, time.Today(request.Clock), T["When"], out var at, out var error) || !PatientInput.TryWhole(Nrs, T["Pain NRS"], 0, 10, out var nrs, out error))
        {
            return await FailAsync(id, "followup", error!, cancellationToken).ConfigureAwait(false);
        }

        var r = await new OutcomeService(db, request.Clock).RecordFollowUpAsync(new PatientId(id), Version, at, nrs, Note, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        return await DoneAsync(id, "followup", r.IsSuccess ? null : Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostBpiAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await CanRecordAsync().ConfigureAwait(false))
        {
            return Forbid();
        }

        if (!PatientInput.TryDate(CompletedOn, T["Completed on"], out var on, out var error) | !PatientInput.TryBpi(Worst, Least, Average, Now, Interference, T, out var severity, out var items, out var itemError))
        {
            error ??= itemError;
        }

        if (error is not null)
        {
            return await FailAsync(id, "bpi", error, cancellationToken).ConfigureAwait(false);
        }

        var r = await new OutcomeService(db, request.Clock).RecordBpiAsync(new PatientId(id), Version, on, severity[0], severity[1], severity[2], severity[3], items, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        return await DoneAsync(id, "bpi", r.IsSuccess ? null : Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IActionResult> OnPostPgicAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await CanRecordAsync().ConfigureAwait(false))
        {
            return Forbid();
        }

        if (!PatientInput.TryDate(CompletedOn, T["Completed on"], out var on, out var error) || !PatientInput.TryWhole(Pgic, "PGIC", 1, 7, out var score, out error))
        {
            return await FailAsync(id, "pgic", error!, cancellationToken).ConfigureAwait(false);
        }

        var r = await new OutcomeService(db, request.Clock).RecordPgicAsync(new PatientId(id), Version, on, score, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        return await DoneAsync(id, "pgic", r.IsSuccess ? null : Say(r.Refusal), cancellationToken).ConfigureAwait(false);
    }

    private static string Say(Refusal refusal) => FindingText.Render(refusal.Findings, refusal.Error, CultureInfo.CurrentCulture);

    private async Task<IActionResult> DoneAsync(Guid id, string form, string? error, CancellationToken cancellationToken)
    {
        if (error is not null)
        {
            return await FailAsync(id, form, error, cancellationToken).ConfigureAwait(false);
        }

        TempData["Message"] = T["Recorded."].Value;
        return Redirect($"/Patients/{id}/Outcomes");
    }

    private async Task<IActionResult> FailAsync(Guid id, string form, string error, CancellationToken cancellationToken)
    {
        Error = error;
        ErrorForm = form;
        return await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    private async Task<bool> CanRecordAsync() => (await auth.AuthorizeAsync(User, Policies.RecordPatient).ConfigureAwait(false)).Succeeded;

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var by = request.RequiredUser;
        var chart = await new PatientService(db, request.Clock).OpenChartAsync(new PatientId(id), by, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return false;
        }

        var course = await new OutcomeService(db, request.Clock).CourseAsync(new PatientId(id), by, cancellationToken).ConfigureAwait(false);
        if (!course.IsSuccess)
        {
            return false;
        }

        Patient = chart.Value;
        Course = course.Value;
        Version = Patient.Version;
        CanRecord = await CanRecordAsync().ConfigureAwait(false);
        return true;
    }
}
