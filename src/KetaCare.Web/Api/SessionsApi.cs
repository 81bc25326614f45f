using System.ComponentModel.DataAnnotations;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>
/// Infusion sessions: read (audited), schedule, record observations (returning the alerts raised), and the state
/// actions pause, resume, stop, complete and acknowledge through <see cref="SessionWorkflow"/> — the same steps as the
/// session page and <c>ketacare session</c>. Starting an infusion is not an API action: it needs the pre-assessment, the
/// pump program and an independent second person's blind check, which the session pages carry out.
/// </summary>
internal static class SessionsApi
{
    /// <summary>
    /// The state actions: name → what the request needs and the workflow step it calls. The rules (gating, alerts,
    /// pump volume, who may override) are the workflow's; a refusal comes back as its coded findings.
    /// </summary>
    private static readonly Dictionary<string, Func<SessionAction, ApiInput, Func<SessionWorkflow, SessionId, long, UserId, CancellationToken, Task<Outcome<InfusionSession>>>?>> Actions = new(StringComparer.Ordinal)
    {
        ["pause"] = (a, input) => input.Required(a.Reason, "reason", "why the infusion is paused") is { } why ? (w, id, v, by, ct) => w.PauseAsync(id, v, why, by, ct) : null,
        ["resume"] = (a, input) =>
        {
            var rate = input.Unit(a.Rate, "rate", "mL/h");
            return input.IsValid ? (w, id, v, by, ct) => w.ResumeAsync(id, v, rate?.Value, a.OverrideReason, by, ct) : null;
        },
        ["stop"] = (a, input) =>
        {
            var why = input.Required(a.Reason, "reason", "why the infusion is stopped early");
            var volume = input.Unit(a.PumpVolume, "pumpVolume", "mL");
            return input.IsValid ? (w, id, v, by, ct) => w.StopAsync(id, v, why!, volume?.Value, by, ct) : null;
        },
        ["complete"] = (a, input) =>
        {
            var volume = input.Unit(a.PumpVolume, "pumpVolume", "mL");
            return input.IsValid ? (w, id, v, by, ct) => w.CompleteAsync(id, v, volume?.Value, by, ct) : null;
        },
        ["acknowledge"] = (a, input) =>
        {
            var index = input.Required(a.AlertIndex, "alertIndex", "the alert's number in the session's alerts, from GET /api/v1/sessions/{id}");
            var action = input.Required(a.Reason, "reason", "the action taken about the alert");
            return input.IsValid ? (w, id, v, by, ct) => w.AcknowledgeAlertAsync(id, v, index!.Value, action!, by, ct) : null;
        },
    };

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/sessions/{id:guid}", GetAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Sessions")
            .WithName("GetSession")
            .WithSummary("A session with its timeline: transitions, rate segments, observations, alerts, adverse events and the dose given; an audited read.")
            .Produces<SessionView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/sessions/{id:guid}/exposure", ExposureAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Sessions")
            .WithName("GetSessionExposure")
            .WithSummary("The exposure the drug delivered predicts, computed on read with the plan's model and the chart's covariates on the session date: AUC (ng·h/mL, to 24 h after the last dose), Cmax, Tmax and time at or above 70 and above 160 ng/mL, in plasma and at the effect site; an audited read. Refused (outcome.no-drug-given) before any drug was given.")
            .Produces<ExposureView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/patients/{id:guid}/sessions", ListAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Sessions")
            .WithName("ListSessions")
            .WithSummary("The patient's sessions, oldest first; an audited read.")
            .Produces<IReadOnlyList<SessionView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/plans/{id:guid}/sessions", ScheduleAsync)
            .RequireAuthorization(Policies.Schedule)
            .WithTags("Sessions")
            .WithName("ScheduleSession")
            .WithSummary("Schedules a session of an active plan at the plan's current dose.")
            .Accepts<NewSession>("application/json")
            .Produces<SessionView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/sessions/{id:guid}/observations", ObserveAsync)
            .RequireAuthorization(Policies.RecordSession)
            .WithTags("Sessions")
            .WithName("RecordObservation")
            .WithSummary("Records an observation (vital signs, sedation, dissociation, pain) against the session version read; returns the alerts it raised with the suggested action.")
            .Accepts<NewObservation>("application/json")
            .Produces<ObservationRecorded>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/sessions/{id:guid}/actions/{action}", ActAsync)
            .RequireAuthorization(Policies.RecordSession)
            .WithTags("Sessions")
            .WithName("ChangeSessionState")
            .WithSummary("A state action on a running or paused infusion: pause (reason), resume (optional lower rate in mL/h; overrideReason by a physician for vitals outside the alert thresholds), stop (early, reason, optional pumpVolume), complete (pumpVolume in mL, required for infusions) or acknowledge (alertIndex, reason = the action taken).")
            .Accepts<SessionAction>("application/json")
            .Produces<SessionView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> GetAsync(Guid id, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var session = await new SessionService(db, request.Clock).GetAsync(new SessionId(id), request.RequiredUser, ct).ConfigureAwait(false);
        return session.IsSuccess ? TypedResults.Ok(SessionView.From(session.Value, request.Clock.GetUtcNow())) : ApiProblems.Refused(session.Refusal);
    }

    private static async Task<IResult> ExposureAsync(Guid id, KetaCareDbContext db, SessionWorkflow workflow, ClinicRequest request, CancellationToken ct)
    {
        var session = await new SessionService(db, request.Clock).GetAsync(new SessionId(id), request.RequiredUser, ct).ConfigureAwait(false);
        if (!session.IsSuccess)
        {
            return ApiProblems.Refused(session.Refusal);
        }

        var exposure = await workflow.ExposureAsync(session.Value, ct).ConfigureAwait(false);
        return exposure.IsSuccess ? TypedResults.Ok(ExposureView.From(exposure.Value)) : ApiProblems.Refused(exposure.Refusal);
    }

    private static async Task<IResult> ListAsync(Guid id, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        if (!await PatientsApi.ExistsAsync(db, id, ct).ConfigureAwait(false))
        {
            return ApiProblems.NotFound("patient", id);
        }

        var now = request.Clock.GetUtcNow();
        var sessions = await new SessionService(db, request.Clock).ForPatientAsync(new PatientId(id), request.RequiredUser, ct).ConfigureAwait(false);
        return TypedResults.Ok(sessions.Select(s => SessionView.From(s, now)).ToList());
    }

    private static async Task<IResult> ScheduleAsync(Guid id, JsonBody<NewSession> body, SessionWorkflow workflow, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var s);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var date = s.Date ?? DateOnly.FromDateTime(request.Clock.GetUtcNow().UtcDateTime);
        var session = await workflow.ScheduleAsync(new PlanId(id), date, request.RequiredUser, ct).ConfigureAwait(false);
        return session.IsSuccess
            ? TypedResults.Created($"/api/v1/sessions/{session.Value.Id}", SessionView.From(session.Value, request.Clock.GetUtcNow()))
            : ApiProblems.Refused(session.Refusal);
    }

    private static async Task<IResult> ObserveAsync(Guid id, JsonBody<NewObservation> body, SessionWorkflow workflow, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var o);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(o.ExpectedVersion, "expectedVersion", "the session version you read, from GET /api/v1/sessions/{id}");
        var at = o.At is null ? request.Clock.GetUtcNow() : input.UtcTime(o.At, "at");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var observation = Observation.Create(at!.Value, o.Systolic, o.Diastolic, o.HeartRate, o.SpO2, o.RespiratoryRate, o.Sedation is { } sd ? new SedationScore(sd.Scale, sd.Value) : null, o.Cadss, o.PainNrs, o.Note);
        if (!observation.IsSuccess)
        {
            return ApiProblems.Refused(observation.Refusal);
        }

        var alerts = await workflow.ObserveAsync(new SessionId(id), version!.Value, observation.Value, request.RequiredUser, ct).ConfigureAwait(false);
        return alerts.IsSuccess
            ? TypedResults.Created($"/api/v1/sessions/{id:D}", new ObservationRecorded(version.Value + 1, [.. alerts.Value.Select(AlertView.From)]))
            : ApiProblems.Refused(alerts.Refusal);
    }

    private static async Task<IResult> ActAsync(Guid id, string action, JsonBody<SessionAction> body, SessionWorkflow workflow, ClinicRequest request, CancellationToken ct)
    {
        if (!Actions.TryGetValue(action, out var build))
        {
            return ApiProblems.Invalid([$"action: \"{action}\" is not a session action; use {string.Join(", ", Actions.Keys)}."]);
        }

        var input = ApiInput.From(body, out var a);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(a.ExpectedVersion, "expectedVersion", "the session version you read, from GET /api/v1/sessions/{id}");
        var step = build(a, input);
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var changed = await step!(workflow, new SessionId(id), version!.Value, request.RequiredUser, ct).ConfigureAwait(false);
        return changed.IsSuccess ? TypedResults.Ok(SessionView.From(changed.Value, request.Clock.GetUtcNow())) : ApiProblems.Refused(changed.Refusal);
    }
}

/// <summary>A session to schedule.</summary>
/// <param name="Date">The session date, yyyy-MM-dd (default: today, UTC).</param>
public sealed record NewSession(DateOnly? Date);

/// <summary>A sedation score on one scale.</summary>
/// <param name="Scale">Rass (−5 to +4) or Moaas (0 to 5).</param>
/// <param name="Value">The score.</param>
public sealed record SedationInput(SedationScale Scale, int Value);

/// <summary>An observation to record; every value is optional, and each is checked against its range.</summary>
/// <param name="ExpectedVersion">The session version the client read; a session changed since is refused with 409.</param>
/// <param name="At">When it was observed, ISO 8601 with Z or an offset, e.g. 2026-03-02T09:15:00Z (stored in UTC; default: now); never in the future.</param>
/// <param name="Systolic">Systolic BP, mmHg (40–300), with diastolic.</param>
/// <param name="Diastolic">Diastolic BP, mmHg (20–200), with systolic.</param>
/// <param name="HeartRate">Heart rate, /min (20–250).</param>
/// <param name="SpO2">SpO2, % (0–100).</param>
/// <param name="RespiratoryRate">Respiratory rate, /min (0–80).</param>
/// <param name="Sedation">Sedation on one scale.</param>
/// <param name="Cadss">Dissociation, CADSS total (0–92).</param>
/// <param name="PainNrs">Pain NRS (0–10).</param>
/// <param name="Note">Free-text note.</param>
public sealed record NewObservation(long? ExpectedVersion, [property: MaxLength(40)] string? At, int? Systolic, int? Diastolic, int? HeartRate, int? SpO2, int? RespiratoryRate, SedationInput? Sedation, int? Cadss, int? PainNrs, [property: MaxLength(ChartInput.MaxNoteLength)] string? Note);

/// <summary>A vital-sign alert.</summary>
/// <param name="Id">Alert id.</param>
/// <param name="Measured">The measured value.</param>
/// <param name="Threshold">The threshold crossed.</param>
/// <param name="Action">The suggested action.</param>
/// <param name="Message">What was crossed.</param>
/// <param name="Source">Where the threshold comes from.</param>
public sealed record AlertView(string Id, int Measured, int Threshold, SuggestedAction Action, string Message, string Source)
{
    /// <summary>The finding code ("vital." + the id) a client translates.</summary>
    public string Code { get; init; } = string.Empty;

    /// <summary>True when the hard threshold was crossed (a start or resume would be refused).</summary>
    public bool Hard { get; init; }

    internal static AlertView From(VitalAlert a) => new(a.Id, a.Measured, a.Threshold, a.Action, FindingText.Render(a.Finding, System.Globalization.CultureInfo.InvariantCulture), a.Source.ToString()) { Code = a.Finding.Code, Hard = a.Hard };
}

/// <summary>The result of recording an observation.</summary>
/// <param name="Version">The session's version after the change.</param>
/// <param name="Alerts">The alerts the observation raised (empty when none).</param>
public sealed record ObservationRecorded(long Version, IReadOnlyList<AlertView> Alerts);

/// <summary>The body of a state action.</summary>
/// <param name="ExpectedVersion">The session version the client read; a session changed since is refused with 409.</param>
/// <param name="Reason">Why (pause and stop).</param>
/// <param name="Rate">resume only: a new rate in mL/h, not above the checked program's (default: the last rate).</param>
/// <param name="PumpVolume">complete (required for infusions) and stop: the volume the pump shows as infused, in mL.</param>
/// <param name="OverrideReason">resume only: a physician's reason for resuming with vitals outside the alert thresholds.</param>
/// <param name="AlertIndex">acknowledge only: the alert's number in the session's alerts; the action taken goes in reason.</param>
public sealed record SessionAction(long? ExpectedVersion, [property: MaxLength(PhysicianOverride.MaxReasonLength)] string? Reason, Quantity? Rate, Quantity? PumpVolume = null, [property: MaxLength(PhysicianOverride.MaxReasonLength)] string? OverrideReason = null, int? AlertIndex = null);

/// <summary>A state transition.</summary>
/// <param name="From">From state.</param>
/// <param name="To">To state.</param>
/// <param name="At">When (UTC).</param>
/// <param name="By">Who.</param>
/// <param name="Reason">Why, when given.</param>
public sealed record TransitionView(SessionState From, SessionState To, DateTime At, Guid By, string? Reason);

/// <summary>A period at one pump rate.</summary>
/// <param name="Index">0-based index.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="End">End (UTC), null while running.</param>
/// <param name="Rate">Pump rate, mL/h.</param>
/// <param name="DoseRate">Drug rate, mg/h.</param>
/// <param name="Reason">Why the segment began.</param>
public sealed record SegmentView(int Index, DateTime Start, DateTime? End, Quantity Rate, Quantity DoseRate, string Reason);

/// <summary>An observation.</summary>
/// <param name="At">When observed (UTC).</param>
/// <param name="Systolic">Systolic BP, mmHg.</param>
/// <param name="Diastolic">Diastolic BP, mmHg.</param>
/// <param name="HeartRate">Heart rate, /min.</param>
/// <param name="SpO2">SpO2, %.</param>
/// <param name="RespiratoryRate">Respiratory rate, /min.</param>
/// <param name="Sedation">Sedation score.</param>
/// <param name="Cadss">CADSS total.</param>
/// <param name="PainNrs">Pain NRS.</param>
/// <param name="Note">Note.</param>
public sealed record ObservationView(DateTime At, int? Systolic, int? Diastolic, int? HeartRate, int? SpO2, int? RespiratoryRate, SedationInput? Sedation, int? Cadss, int? PainNrs, string? Note);

/// <summary>An alert raised during the session.</summary>
/// <param name="At">Time of the observation that raised it (UTC).</param>
/// <param name="Alert">The alert.</param>
/// <param name="SegmentIndex">The rate segment running then.</param>
public sealed record RaisedAlertView(DateTime At, AlertView Alert, int? SegmentIndex)
{
    /// <summary>The alert's number in the session: what the <c>acknowledge</c> action takes as alertIndex.</summary>
    public int Index { get; init; }

    /// <summary>Who acknowledged the alert and the action taken, or null while it is open.</summary>
    public string? Acknowledged { get; init; }
}

/// <summary>An adverse event.</summary>
/// <param name="Type">Type.</param>
/// <param name="Grade">CTCAE grade 1–5.</param>
/// <param name="Serious">Serious.</param>
/// <param name="Action">Action taken.</param>
/// <param name="Outcome">Outcome.</param>
/// <param name="OnsetAt">Onset (UTC).</param>
/// <param name="Description">What happened.</param>
public sealed record AdverseEventView(AdverseEventType Type, int Grade, bool Serious, AdverseEventAction Action, AdverseEventOutcome Outcome, DateTime OnsetAt, string Description);

/// <summary>A pump program as run.</summary>
/// <param name="Rate">Rate, mL/h.</param>
/// <param name="Vtbi">Volume to be infused, mL.</param>
/// <param name="BackCalculated">The dose the rate delivers for the session's weight.</param>
/// <param name="ProgrammedBy">Who programmed it.</param>
/// <param name="CheckedBy">The independent second checker.</param>
public sealed record PumpProgramView(Quantity Rate, Quantity Vtbi, Quantity BackCalculated, Guid ProgrammedBy, Guid? CheckedBy);

/// <summary>The pre-session checklist as answered when the pre-assessment passed, with what it found.</summary>
/// <param name="FastingSince">When the patient last ate (UTC).</param>
/// <param name="EscortConfirmed">An escort takes the patient home.</param>
/// <param name="NoDrivingAcknowledged">The patient acknowledged not driving for 24 h.</param>
/// <param name="Pregnancy">What was established about pregnancy today.</param>
/// <param name="NewMedications">Medications started since the last session, by name.</param>
/// <param name="Findings">Findings that needed a physician's reason at the start, and warnings.</param>
public sealed record ChecklistView(DateTime? FastingSince, bool EscortConfirmed, bool NoDrivingAcknowledged, PregnancyCheck Pregnancy, IReadOnlyList<string>? NewMedications, IReadOnlyList<FindingView> Findings)
{
    internal static ChecklistView? From(InfusionSession s) => s.Checklist is { } c
        ? new(c.FastingSince is { } f ? ApiJson.Utc(f) : null, c.EscortConfirmed, c.NoDrivingAcknowledged, c.Pregnancy, c.NewMedications?.Select(m => m.Name).ToList(), [.. s.ChecklistFindings.Select(FindingView.From)])
        : null;
}

/// <summary>A premedication or rescue dose given.</summary>
/// <param name="Drug">The drug.</param>
/// <param name="Purpose">Premedication or rescue.</param>
/// <param name="Dose">The dose, mg.</param>
/// <param name="Route">The route.</param>
/// <param name="At">When (UTC).</param>
/// <param name="By">Who gave it.</param>
public sealed record AncillaryDoseView(AncillaryDrug Drug, OrderPurpose Purpose, Quantity Dose, KetaCare.Pharmacology.Models.Route Route, DateTime At, Guid By);

/// <summary>An infusion session.</summary>
/// <param name="Id">Session id.</param>
/// <param name="PlanId">Plan.</param>
/// <param name="PatientId">Patient.</param>
/// <param name="Version">Session version (send it as expectedVersion).</param>
/// <param name="State">State.</param>
/// <param name="ScheduledFor">Session date.</param>
/// <param name="ProtocolId">Protocol id.</param>
/// <param name="PlannedDose">The dose planned.</param>
/// <param name="Weight">The weight checked at pre-assessment, kg.</param>
/// <param name="Program">The pump program, once started.</param>
/// <param name="DoseGiven">Amount given so far, from the rate segments and single doses, mg.</param>
/// <param name="Transitions">State transitions.</param>
/// <param name="Segments">Rate segments.</param>
/// <param name="Observations">Observations with their history.</param>
/// <param name="Alerts">Alerts raised by the active observations.</param>
/// <param name="AdverseEvents">Adverse events with their history.</param>
public sealed record SessionView(
    Guid Id,
    Guid PlanId,
    Guid PatientId,
    long Version,
    SessionState State,
    DateOnly ScheduledFor,
    string ProtocolId,
    Quantity PlannedDose,
    Quantity? Weight,
    PumpProgramView? Program,
    Quantity DoseGiven,
    IReadOnlyList<TransitionView> Transitions,
    IReadOnlyList<SegmentView> Segments,
    IReadOnlyList<Entry<ObservationView>> Observations,
    IReadOnlyList<RaisedAlertView> Alerts,
    IReadOnlyList<Entry<AdverseEventView>> AdverseEvents)
{
    /// <summary>The pre-session checklist, once the pre-assessment passed with one.</summary>
    public ChecklistView? Checklist { get; init; }

    /// <summary>The protocol's premedication and rescue orders.</summary>
    public IReadOnlyList<AncillaryOrder> Orders { get; init; } = [];

    /// <summary>Premedication and rescue doses given, oldest first.</summary>
    public IReadOnlyList<AncillaryDoseView> AncillaryDoses { get; init; } = [];

    internal static SessionView From(InfusionSession s, DateTimeOffset now) => new(
        s.Id.Value,
        s.PlanId.Value,
        s.PatientId.Value,
        s.Version,
        s.State,
        s.ScheduledFor,
        s.Protocol.Id,
        ApiJson.Dose(s.PlannedDose),
        s.Weight is { } w ? Quantity.Of(w.Weight.Kilograms, "kg") : null,
        s.Program is { } p ? new PumpProgramView(Quantity.Of(p.RateMlPerHour, "mL/h"), Quantity.Of(p.VtbiMl, "mL"), ApiJson.Dose(p.BackCalculated), p.ProgrammedBy.Value, p.Check?.By.Value) : null,
        Quantity.Of(s.DoseGiven(now).Milligrams, "mg"),
        [.. s.Transitions.Select(t => new TransitionView(t.From, t.To, ApiJson.Utc(t.At), t.By.Value, t.Reason))],
        [.. s.Segments.Select(g => new SegmentView(g.Index, ApiJson.Utc(g.Start), g.End is { } e ? ApiJson.Utc(e) : null, Quantity.Of(g.RateMlPerHour, "mL/h"), Quantity.Of(g.Rate.MilligramsPerHour, "mg/h"), g.Reason))],
        ApiJson.Entries(s.Observations, o => new ObservationView(ApiJson.Utc(o.At), o.Systolic, o.Diastolic, o.HeartRate, o.SpO2, o.RespiratoryRate, o.Sedation is { } sd ? new SedationInput(sd.Scale, sd.Value) : null, o.Cadss, o.PainNrs, o.Note)),
        [.. s.Alerts.Select((a, i) => (Alert: a, Index: i)).Where(x => s.ActiveAlerts.Contains(x.Alert)).Select(x => new RaisedAlertView(ApiJson.Utc(x.Alert.At), AlertView.From(x.Alert.Alert), x.Alert.SegmentIndex)
        {
            Index = x.Index,
            Acknowledged = s.Acknowledgements.FirstOrDefault(k => k.AlertIndex == x.Index) is { } k ? $"{k.By}: {k.ActionTaken}" : null,
        })],
        ApiJson.Entries(s.AdverseEvents, e => new AdverseEventView(e.Type, e.Grade, e.Serious, e.Action, e.Outcome, ApiJson.Utc(e.OnsetAt), e.Description)))
    {
        Checklist = ChecklistView.From(s),
        Orders = s.Protocol.AncillaryOrders,
        AncillaryDoses = [.. s.AncillaryDoses.Select(g => new AncillaryDoseView(g.Drug, g.Purpose, Quantity.Of(g.DoseMg, "mg"), g.Route, ApiJson.Utc(g.At), g.By.Value))],
    };
}

/// <summary>A session's predicted exposure (<see cref="SessionExposure"/>).</summary>
/// <param name="Model">PK model id.</param>
/// <param name="Ke0">Effect-site constant used, /min.</param>
/// <param name="Ke0Borrowed">True when the ke0 was not estimated with the model.</param>
/// <param name="Dose">Drug delivered, mg.</param>
/// <param name="Band">The analgesic band the times refer to, ng/mL.</param>
/// <param name="Plasma">Plasma exposure.</param>
/// <param name="EffectSite">Effect-site exposure.</param>
/// <param name="Notes">Engine note codes (borrowed ke0, covariates outside the model's population).</param>
public sealed record ExposureView(string Model, double Ke0, bool Ke0Borrowed, Quantity Dose, BandView Band, ExposureMetricsView Plasma, ExposureMetricsView EffectSite, IReadOnlyList<string> Notes)
{
    internal static ExposureView From(SessionExposure e) => new(
        e.ModelId,
        e.Ke0.Ke0PerMinute,
        e.Ke0.Borrowed,
        Quantity.Of(e.Dose.Milligrams, "mg"),
        new BandView(SessionExposure.Band.Key, SessionExposure.Band.LowNgPerMl, SessionExposure.Band.HighNgPerMl, SessionExposure.Band.Citation),
        ExposureMetricsView.From(e.Plasma),
        ExposureMetricsView.From(e.EffectSite),
        [.. e.Notes.Select(n => n.Code)]);
}

/// <summary>A concentration band, ng/mL.</summary>
/// <param name="Key">"analgesia".</param>
/// <param name="Low">Lower edge, ng/mL.</param>
/// <param name="High">Upper edge, ng/mL.</param>
/// <param name="Citation">Where the band comes from.</param>
public sealed record BandView(string Key, double Low, double High, string Citation);

/// <summary>Exposure of one output.</summary>
/// <param name="Auc">AUC from the first dose to 24 h after the last, ng·h/mL.</param>
/// <param name="Cmax">Peak, ng/mL.</param>
/// <param name="Tmax">Time of the peak after the first dose, min.</param>
/// <param name="InOrAboveBand">Time at or above the band's lower edge, min.</param>
/// <param name="AboveBand">Time above the band's upper edge, min.</param>
public sealed record ExposureMetricsView(Quantity Auc, Quantity Cmax, Quantity Tmax, Quantity InOrAboveBand, Quantity AboveBand)
{
    internal static ExposureMetricsView From(ExposureMetrics m) => new(
        Quantity.Of(m.AucNgHoursPerMl, "ng·h/mL"),
        Quantity.Of(m.Cmax.NanogramsPerMilliliter, "ng/mL"),
        Quantity.Of(m.Tmax.Minutes, "min"),
        Quantity.Of(m.InOrAboveAnalgesia.Minutes, "min"),
        Quantity.Of(m.AboveAnalgesia.Minutes, "min"));
}
