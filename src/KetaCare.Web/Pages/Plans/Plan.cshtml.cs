using Microsoft.Extensions.Localization;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Titration;
using KetaCare.Interop.Charts;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Models;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Patients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Plans;

/// <summary>
/// A treatment plan: its protocol and doses, its sessions, the titration advisor's proposal for the next session
/// (accepted or overridden with a reason by a physician, <see cref="Policies.Prescribe"/>), scheduling the next session,
/// and the preview of the first and the highest planned session. Scheduling books a session at the dose the physician
/// already set (no dosing decision), so a nurse may do it (<see cref="Policies.RecordSession"/>), and so may the
/// prescribing physician (<see cref="Policies.Prescribe"/>).
/// </summary>
[Authorize(Policy = Policies.ReadClinical)]
public sealed class PlanModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IAuthorizationService auth, IStringLocalizer<Strings> T) : PageModel
{
    public TreatmentPlan Plan { get; private set; } = null!;

    public Patient Patient { get; private set; } = null!;

    public IReadOnlyList<InfusionSession> Sessions { get; private set; } = [];

    public Outcome<TitrationProposal>? Proposal { get; private set; }

    /// <summary>The individualised proposal beside the advisor's; null when the plan is not active.</summary>
    public Outcome<Clinic.Analytics.IndividualProposal>? Individual { get; private set; }

    public Clinic.Plans.PlanPreview? Preview { get; private set; }

    public string? PreviewError { get; private set; }

    public IReadOnlyDictionary<UserId, string> Users { get; private set; } = new Dictionary<UserId, string>();

    public bool CanDecide { get; private set; }

    public bool CanSchedule { get; private set; }

    public string Today => ClinicTime.ShowDate(time.Today(request.Clock));

    public DateTimeOffset Now => request.Clock.GetUtcNow();

    /// <summary>The concentration chart of the preview, or null without a preview.</summary>
    public string? ChartUrl { get; private set; }

    [BindProperty]
    public long Version { get; set; }

    [BindProperty]
    public string? Dose { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Date { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();

    /// <summary>The concentration chart of the first and the highest planned session (SVG).</summary>
    public async Task<IActionResult> OnGetChartAsync(Guid id, CancellationToken cancellationToken)
    {
        var svg = await LoadAsync(id, cancellationToken).ConfigureAwait(false)
            ? Preview?.ChartSvg(T["First session"], T["Highest planned session"], ChartText.For(CultureInfo.CurrentUICulture))
            : null;
        return svg is null ? NotFound() : Content(svg, "image/svg+xml");
    }

    /// <summary>The physician accepts the advisor's proposal (computed afresh from the stored sessions).</summary>
    public async Task<IActionResult> OnPostAcceptAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await AllowedAsync(Policies.Prescribe).ConfigureAwait(false))
        {
            return Forbid();
        }

        var r = await new TreatmentService(db, request.Clock).AcceptTitrationAsync(new PlanId(id), Version, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        return await DoneAsync(id, r.IsSuccess ? null : Say(r.Refusal), T["Proposal accepted."], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The physician overrides the proposal with another dose and a reason; never above the maximum.</summary>
    public async Task<IActionResult> OnPostOverrideAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await AllowedAsync(Policies.Prescribe).ConfigureAwait(false))
        {
            return Forbid();
        }

        var service = new TreatmentService(db, request.Clock);
        var plan = await service.GetPlanAsync(new PlanId(id), request.RequiredUser, cancellationToken).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            return NotFound();
        }

        if (!PlanInput.TryDose(Dose, plan.Value.Protocol.Ceiling.Basis, T["Dose"], out var dose, out var error))
        {
            return await DoneAsync(id, error, null, cancellationToken).ConfigureAwait(false);
        }

        var r = await service.OverrideTitrationAsync(new PlanId(id), Version, dose, Reason ?? string.Empty, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        return await DoneAsync(id, r.IsSuccess ? null : Say(r.Refusal), T["Proposal overridden."], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Schedules a session of the plan at its current dose.</summary>
    public async Task<IActionResult> OnPostScheduleAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await AllowedAsync(Policies.RecordSession).ConfigureAwait(false) && !await AllowedAsync(Policies.Prescribe).ConfigureAwait(false))
        {
            return Forbid();
        }

        if (!PatientInput.TryDate(Date, T["Date"], out var date, out var error))
        {
            return await DoneAsync(id, error, null, cancellationToken).ConfigureAwait(false);
        }

        var r = await HttpContext.RequestServices.GetRequiredService<SessionWorkflow>().ScheduleAsync(new PlanId(id), date, request.RequiredUser, cancellationToken).ConfigureAwait(false);
        return await DoneAsync(id, r.IsSuccess ? null : Say(r.Refusal), r.IsSuccess ? T["Session scheduled for {0}.", ClinicTime.ShowDate(date)].Value : null, cancellationToken).ConfigureAwait(false);
    }

    private static string Say(Refusal refusal) => FindingText.Render(refusal.Findings, refusal.Error, CultureInfo.CurrentCulture);

    private async Task<IActionResult> DoneAsync(Guid id, string? error, string? message, CancellationToken cancellationToken)
    {
        if (error is null)
        {
            TempData["Message"] = message;
            return Redirect("/Plans/" + id);
        }

        Error = error;
        return await LoadAsync(id, cancellationToken).ConfigureAwait(false) ? Page() : NotFound();
    }

    private async Task<bool> AllowedAsync(string policy) => (await auth.AuthorizeAsync(User, policy).ConfigureAwait(false)).Succeeded;

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var by = request.RequiredUser;
        var treatments = new TreatmentService(db, request.Clock);
        var plan = await treatments.GetPlanAsync(new PlanId(id), by, cancellationToken).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            return false;
        }

        Plan = plan.Value;
        var chart = await new PatientService(db, request.Clock).OpenChartAsync(Plan.PatientId, by, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return false;
        }

        Patient = chart.Value;
        Sessions = [.. (await new SessionService(db, request.Clock).ForPatientAsync(Plan.PatientId, by, cancellationToken).ConfigureAwait(false)).Where(s => s.PlanId == Plan.Id)];
        if (Plan.Status == PlanStatus.Active)
        {
            Proposal = await treatments.ProposeTitrationAsync(Plan.Id, by, cancellationToken).ConfigureAwait(false);
            Individual = await treatments.IndividualiseAsync(Plan.Id, by, cancellationToken).ConfigureAwait(false);
        }

        var model = ModelLibrary.Get(Plan.ModelId);
        var preview = model.IsSuccess
            ? Clinic.Plans.PlanPreview.Build(Patient.Snapshot(), time.Today(request.Clock), Plan.Protocol, model.Value, Plan.Preparation, Plan.StartDose, await new SettingsService(db, request.Clock).DrugLibraryAsync(cancellationToken).ConfigureAwait(false))
            : Refusal.From(model);
        Preview = preview.IsSuccess ? preview.Value : null;
        ChartUrl = Preview is null ? null : $"/Plans/{id}?handler=Chart";
        PreviewError = preview.IsSuccess ? null : Say(preview.Refusal);
        Users = await PatientInput.UserNamesAsync(db, cancellationToken).ConfigureAwait(false);
        CanDecide = await AllowedAsync(Policies.Prescribe).ConfigureAwait(false);
        CanSchedule = CanDecide || await AllowedAsync(Policies.RecordSession).ConfigureAwait(false);
        Version = Plan.Version;
        return true;
    }
}
