using System.ComponentModel.DataAnnotations;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Route = KetaCare.Pharmacology.Models.Route;

namespace KetaCare.Web.Api;

/// <summary>
/// Treatment plans: list and read (audited), prescribe, and preview a proposed plan (dose-limit findings and the
/// predicted profile) without storing it. Prescribing runs the same steps as <c>ketacare plan prescribe</c>: the
/// drug library's dose check on today's covariates, then the authorisation (a hard limit refuses; a soft one needs
/// the override reason), then <c>TreatmentService.PrescribeAsync</c>.
/// </summary>
internal static class PlansApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/patients/{id:guid}/plans", ListAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Plans")
            .WithName("ListPlans")
            .WithSummary("The patient's treatment plans, oldest first; an audited read.")
            .Produces<IReadOnlyList<PlanView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/plans/{id:guid}", GetAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Plans")
            .WithName("GetPlan")
            .WithSummary("One treatment plan with its dose changes and titration decisions; an audited read.")
            .Produces<PlanView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/patients/{id:guid}/plans", PrescribeAsync)
            .RequireAuthorization(Policies.Prescribe)
            .WithTags("Plans")
            .WithName("PrescribePlan")
            .WithSummary("Prescribes a protocol: the dose is checked against the drug library's limits and the predicted peak first; a hard limit refuses, a soft limit needs overrideReason.")
            .Accepts<ProposedPlan>("application/json")
            .Produces<Prescription>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/patients/{id:guid}/plans/preview", PreviewAsync)
            .RequireAuthorization(Policies.Prescribe)
            .WithTags("Plans")
            .WithName("PreviewPlan")
            .WithSummary("The dose-limit findings and the predicted plasma profile (Cmax, Tmax, AUC over the session and the 4 h after it) of a proposed plan for the patient; nothing is stored.")
            .Accepts<ProposedPlan>("application/json")
            .Produces<PlanPreview>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(Guid id, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        if (!await PatientsApi.ExistsAsync(db, id, ct).ConfigureAwait(false))
        {
            return ApiProblems.NotFound("patient", id);
        }

        var plans = await new TreatmentService(db, request.Clock).PlansAsync(new PatientId(id), request.RequiredUser, ct).ConfigureAwait(false);
        return TypedResults.Ok(plans.Select(PlanView.From).ToList());
    }

    private static async Task<IResult> GetAsync(Guid id, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var plan = await new TreatmentService(db, request.Clock).GetPlanAsync(new PlanId(id), request.RequiredUser, ct).ConfigureAwait(false);
        return plan.IsSuccess ? TypedResults.Ok(PlanView.From(plan.Value)) : ApiProblems.Refused(plan.Refusal);
    }

    private static async Task<IResult> PrescribeAsync(Guid id, JsonBody<ProposedPlan> body, TreatmentService treatments, ClinicRequest request, CancellationToken ct)
    {
        var (proposal, problem) = Parse(id, body);
        if (proposal is null)
        {
            return problem!;
        }

        // The preview is built again inside PrescribeAsync; this one only reports the dose check with a refusal.
        var preview = await treatments.PreviewAsync(proposal, ct).ConfigureAwait(false);
        if (!preview.IsSuccess)
        {
            return ApiProblems.Refused(preview.Refusal);
        }

        var check = preview.Value.First.Check;
        var findings = new Dictionary<string, object?>(StringComparer.Ordinal) { ["doseCheck"] = DoseCheckView.From(check) };
        var plan = await treatments.PrescribeAsync(proposal, body.Value!.OverrideReason, request.RequiredUser, ct).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            return ApiProblems.Refused(plan.Refusal, findings);
        }

        var reason = body.Value.OverrideReason?.Trim();
        List<LimitOverrideView> overrides = string.IsNullOrEmpty(reason)
            ? []
            : [.. check.SoftFindings.Select(f => f.LimitId).Distinct(StringComparer.Ordinal).Select(limit => new LimitOverrideView(limit, reason))];
        return TypedResults.Created($"/api/v1/plans/{plan.Value.Id}", new Prescription(PlanView.From(plan.Value), DoseCheckView.From(check), overrides));
    }

    private static async Task<IResult> PreviewAsync(Guid id, JsonBody<ProposedPlan> body, TreatmentService treatments, CancellationToken ct)
    {
        var (proposal, problem) = Parse(id, body);
        if (proposal is null)
        {
            return problem!;
        }

        var preview = await treatments.PreviewAsync(proposal, ct).ConfigureAwait(false);
        if (!preview.IsSuccess)
        {
            return ApiProblems.Refused(preview.Refusal);
        }

        // The same preview as the page: the first session's check and its one simulation.
        var first = preview.Value.First;
        ProfileSummary? profile = null;
        var notes = new List<string>();
        if (first.Simulation is { } run)
        {
            var m = run.Metrics("plasma");
            var horizon = run.Times[^1] / 60.0;
            profile = new ProfileSummary(preview.Value.Model.Id, Quantity.Of(m.Cmax.NanogramsPerMilliliter, "ng/mL"), Quantity.Of(m.Tmax.Minutes, "min"), Quantity.Of(m.AucNgHoursPerMl, "ng·h/mL"), Quantity.Of(horizon, "h"));
            notes.AddRange(run.Warnings.Select(w => w.Message));
        }
        else if (first.SimulationError is { } why)
        {
            notes.Add(why);
        }

        return TypedResults.Ok(new PlanPreview(DoseCheckView.From(first.Check), profile, notes));
    }

    /// <summary>Parses the proposal into typed values; the rules run in the clinic's <see cref="TreatmentService"/>.</summary>
    private static (PrescriptionRequest? Proposal, IResult? Problem) Parse(Guid id, JsonBody<ProposedPlan> body)
    {
        var input = ApiInput.From(body, out var p);
        if (input.Problem is { } unreadable)
        {
            return (null, unreadable);
        }

        var protocolId = input.Required(p.ProtocolId, "protocolId", "a protocol id of the library, e.g. outpatient-seed");
        var modelId = input.Required(p.ModelId, "modelId", "a PK model id, e.g. domino1984; see GET /api/v1/models");
        var preparationId = input.Required(p.PreparationId, "preparationId", "a preparation of the drug library, e.g. bag-1");
        var dose = ApiJson.Dose(p.StartDose, "startDose");
        input.Add(dose.Error);
        return input.Problem is { } invalid
            ? (null, invalid)
            : (new PrescriptionRequest(new PatientId(id), protocolId!.Trim(), modelId!.Trim(), preparationId!.Trim(), dose.Value), null);
    }
}

/// <summary>A plan as proposed by the prescriber.</summary>
/// <param name="ProtocolId">Protocol id from the clinic's library (latest version), e.g. outpatient-seed.</param>
/// <param name="ModelId">PK model for predictions, e.g. domino1984.</param>
/// <param name="PreparationId">Preparation from the drug library, e.g. bag-1 (1 mg/mL bag).</param>
/// <param name="StartDose">First session's dose in the protocol's unit: {"value":0.5,"unit":"mg/kg/h"} (units mg/kg/h, mg/kg or mg).</param>
/// <param name="OverrideReason">Why a soft dose limit may be exceeded; hard limits cannot be overridden.</param>
public sealed record ProposedPlan([property: MaxLength(64)] string? ProtocolId, [property: MaxLength(64)] string? ModelId, [property: MaxLength(64)] string? PreparationId, Quantity? StartDose, [property: MaxLength(ChartInput.MaxNoteLength)] string? OverrideReason);

/// <summary>A dose limit the planned dose exceeds.</summary>
/// <param name="LimitId">Stable id (rate-mg-kg-h, rate-mg-h, bolus-mg-kg, single-dose-mg, session-total, vtbi, preparation, pk-peak, dose-unit).</param>
/// <param name="Severity">Hard (refused) or Soft (needs an override reason).</param>
/// <param name="Message">What is exceeded, with both numbers and their units.</param>
/// <param name="Source">Where the limit comes from.</param>
public sealed record LimitFindingView(string LimitId, LimitSeverity Severity, string Message, string Source)
{
    /// <summary>The finding code ("limit." + the limit id) a client translates.</summary>
    public string Code { get; init; } = string.Empty;
}

/// <summary>The drug library's dose check of a planned dose.</summary>
/// <param name="Dose">The dose checked.</param>
/// <param name="WeightUsed">The weight valid today, used for the check.</param>
/// <param name="Findings">Limits exceeded; empty when the dose is within every limit.</param>
/// <param name="HasHardStop">True when a hard limit is exceeded: the dose cannot be prescribed.</param>
/// <param name="PredictedPeak">Predicted peak plasma concentration of one session, when the simulation ran.</param>
/// <param name="PredictionNotes">Model warnings, or why the prediction did not run.</param>
/// <param name="DrugLibraryVersion">The drug library version used.</param>
public sealed record DoseCheckView(Quantity Dose, Quantity WeightUsed, IReadOnlyList<LimitFindingView> Findings, bool HasHardStop, Quantity? PredictedPeak, IReadOnlyList<string> PredictionNotes, string DrugLibraryVersion)
{
    internal static DoseCheckView From(DoseCheckResult c) => new(
        ApiJson.Dose(c.Plan.Dose),
        Quantity.Of(c.Plan.Patient.Weight.Kilograms, "kg"),
        [.. c.Findings.Select(f => new LimitFindingView(f.LimitId, f.Severity, FindingText.Render(f, System.Globalization.CultureInfo.InvariantCulture), f.Source.ToString()) { Code = f.ToFinding().Code })],
        c.HasHardStop,
        c.PredictedPeak is { } peak ? Quantity.Of(peak.NanogramsPerMilliliter, "ng/mL") : null,
        c.PredictionNotes,
        c.DrugLibraryVersion);
}

/// <summary>A soft limit overridden at prescription.</summary>
/// <param name="LimitId">The limit.</param>
/// <param name="Reason">Why.</param>
public sealed record LimitOverrideView(string LimitId, string Reason);

/// <summary>The predicted plasma profile of one planned session.</summary>
/// <param name="ModelId">The PK model.</param>
/// <param name="Cmax">Peak plasma concentration.</param>
/// <param name="Tmax">Time of the peak from the start of the session.</param>
/// <param name="Auc">Area under the plasma curve over the horizon.</param>
/// <param name="Horizon">The simulated span (the session and 4 h after it, 1-min grid).</param>
public sealed record ProfileSummary(string ModelId, Quantity Cmax, Quantity Tmax, Quantity Auc, Quantity Horizon);

/// <summary>A proposed plan's check and prediction; nothing was stored.</summary>
/// <param name="DoseCheck">The dose check.</param>
/// <param name="Profile">The predicted profile, or null when it could not be simulated (see notes).</param>
/// <param name="Notes">Model warnings and assumptions of the prediction.</param>
public sealed record PlanPreview(DoseCheckView DoseCheck, ProfileSummary? Profile, IReadOnlyList<string> Notes);

/// <summary>A stored prescription.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="DoseCheck">The dose check it passed.</param>
/// <param name="Overrides">Soft limits overridden, with the reason.</param>
public sealed record Prescription(PlanView Plan, DoseCheckView DoseCheck, IReadOnlyList<LimitOverrideView> Overrides);

/// <summary>A protocol as prescribed (the version is kept with the plan).</summary>
/// <param name="Id">Protocol id.</param>
/// <param name="Version">Protocol version.</param>
/// <param name="Name">Name.</param>
/// <param name="Route">Route.</param>
/// <param name="Start">Start dose.</param>
/// <param name="Step">Step between sessions.</param>
/// <param name="Ceiling">Ceiling.</param>
/// <param name="InfusionDuration">Infusion duration, for infusions.</param>
/// <param name="NumberOfSessions">Sessions in the course.</param>
/// <param name="IntervalDays">Days between sessions.</param>
public sealed record ProtocolView(string Id, int Version, string Name, Route Route, Quantity Start, Quantity Step, Quantity Ceiling, Quantity? InfusionDuration, int NumberOfSessions, int IntervalDays)
{
    internal static ProtocolView From(Protocol p) => new(
        p.Id, p.Version, p.Name, p.Route, ApiJson.Dose(p.Start), ApiJson.Dose(p.Step), ApiJson.Dose(p.Ceiling),
        p.InfusionDuration is { } d ? Quantity.Of(d.Minutes, "min") : null, p.NumberOfSessions, p.IntervalDays);
}

/// <summary>A change of the next session's dose.</summary>
/// <param name="Dose">The new dose.</param>
/// <param name="Reason">Why, in English.</param>
/// <param name="By">Who (user id).</param>
/// <param name="At">When (UTC).</param>
public sealed record DoseChangeView(Quantity Dose, string Reason, Guid By, DateTime At)
{
    /// <summary>The reason's finding codes, in order (e.g. "plan.titration-accepted", "titration.step-up"); empty for a change stored before reasons were coded.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    internal static DoseChangeView From((DoseLevel Dose, string Reason, UserId By, DateTimeOffset At, IReadOnlyList<Clinic.Findings.Finding>? Findings) c) =>
        new(ApiJson.Dose(c.Dose), c.Findings is { } f ? FindingText.Render(f, c.Reason, System.Globalization.CultureInfo.InvariantCulture) : c.Reason, c.By.Value, ApiJson.Utc(c.At))
        {
            Codes = [.. c.Findings?.Select(x => x.Code) ?? []],
        };
}

/// <summary>A titration decision: the advisor's proposal with the physician's acceptance or override.</summary>
/// <param name="ProposedAction">The advisor's action.</param>
/// <param name="ProposedDose">The advisor's dose, if any.</param>
/// <param name="Overridden">True when the physician chose another dose.</param>
/// <param name="Dose">The dose chosen, if any.</param>
/// <param name="Reason">The override reason.</param>
/// <param name="By">Who decided.</param>
/// <param name="At">When (UTC).</param>
public sealed record TitrationDecisionView(string ProposedAction, Quantity? ProposedDose, bool Overridden, Quantity? Dose, string? Reason, Guid By, DateTime At);

/// <summary>A treatment plan.</summary>
/// <param name="Id">Plan id.</param>
/// <param name="PatientId">Patient.</param>
/// <param name="Version">Plan version.</param>
/// <param name="Status">Active, Completed, Discontinued or EnteredInError.</param>
/// <param name="StatusReason">Reason for the last status change.</param>
/// <param name="Protocol">The protocol at the version prescribed.</param>
/// <param name="ModelId">PK model for predictions.</param>
/// <param name="PreparationId">Preparation id.</param>
/// <param name="Concentration">The preparation's concentration.</param>
/// <param name="StartDose">First session's dose.</param>
/// <param name="CurrentDose">Next session's dose.</param>
/// <param name="PrescribedBy">Prescriber (user id).</param>
/// <param name="PrescribedAt">When (UTC).</param>
/// <param name="DoseChanges">Changes of the next session's dose.</param>
/// <param name="TitrationDecisions">Titration decisions, oldest first.</param>
public sealed record PlanView(
    Guid Id,
    Guid PatientId,
    long Version,
    PlanStatus Status,
    string? StatusReason,
    ProtocolView Protocol,
    string ModelId,
    string PreparationId,
    Quantity Concentration,
    Quantity StartDose,
    Quantity CurrentDose,
    Guid PrescribedBy,
    DateTime PrescribedAt,
    IReadOnlyList<DoseChangeView> DoseChanges,
    IReadOnlyList<TitrationDecisionView> TitrationDecisions)
{
    internal static PlanView From(TreatmentPlan p) => new(
        p.Id.Value,
        p.PatientId.Value,
        p.Version,
        p.Status,
        p.StatusReason,
        ProtocolView.From(p.Protocol),
        p.ModelId,
        p.Preparation.Id,
        Quantity.Of(p.Preparation.Concentration.MilligramsPerMilliliter, "mg/mL"),
        ApiJson.Dose(p.StartDose),
        ApiJson.Dose(p.CurrentDose),
        p.PrescribedBy.Value,
        ApiJson.Utc(p.PrescribedAt),
        [.. p.DoseChanges.Select(DoseChangeView.From)],
        [.. p.TitrationDecisions.Select(t => new TitrationDecisionView(
            t.Proposal.Action.ToString(),
            t.Proposal.NextDose is { } n ? ApiJson.Dose(n) : null,
            t.Overridden,
            t.Dose is { } d ? ApiJson.Dose(d) : null,
            t.Reason,
            t.By.Value,
            ApiJson.Utc(t.At)))]);
}
