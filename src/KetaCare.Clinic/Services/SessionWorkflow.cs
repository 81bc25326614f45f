using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>What the pre-assessment step did: the baseline's alerts and whether the checks passed (with their findings).</summary>
/// <param name="Session">The session as saved.</param>
/// <param name="Alerts">Alerts the baseline observation raised.</param>
/// <param name="Checks">The pre-assessment checks: success, or the findings that are still missing.</param>
public sealed record PreAssessmentResult(InfusionSession Session, IReadOnlyList<VitalAlert> Alerts, Outcome Checks);

/// <summary>
/// What starting would meet now, for display before the step: the dose check of the recorded program against the drug
/// library in force and the vital-sign gate. The start itself runs both again.
/// </summary>
/// <param name="DoseCheck">The dose check of the recorded program (null before a program is recorded, or for a single dose without a weight).</param>
/// <param name="Gate">The gate's findings at this moment.</param>
public sealed record StartPreview(DoseCheckResult? DoseCheck, IReadOnlyList<Finding> Gate)
{
    /// <summary>Every finding that needs a physician's override (soft dose limits and alert-level vitals).</summary>
    public IReadOnlyList<Finding> NeedsOverride => [.. (DoseCheck?.SoftFindings.Select(f => f.ToFinding()) ?? []).Concat(Gate.Where(f => f.Severity == FindingSeverity.NeedsOverride))];

    /// <summary>Every hard stop (hard dose limits, hard-level vitals, missing vitals).</summary>
    public IReadOnlyList<Finding> HardStops => [.. (DoseCheck?.Findings.Where(f => f.Severity == LimitSeverity.Hard).Select(f => f.ToFinding()) ?? []).Concat(Gate.Where(f => f.Severity == FindingSeverity.HardStop))];
}

/// <summary>What discharge would meet now: the readiness findings and the effect-site prediction ("predicted ready at").</summary>
/// <param name="Findings">Readiness findings with the given Aldrete and escort (empty: ready).</param>
/// <param name="Prediction">The predicted effect-site concentration and when it falls below the threshold.</param>
public sealed record DischargePreview(IReadOnlyList<Finding> Findings, RecoveryPrediction Prediction);

/// <summary>
/// The clinical workflow of a session — schedule, pre-assess, program, blind second check, start, pause, resume, rate
/// change, stop, complete, recover, discharge, observations, alerts and adverse events — in one place, for the web
/// pages, the API, the CLI and the demo seed alike. Each step loads the session, gathers what its rules need (the
/// chart, the plan, the drug library and thresholds in force, the acting user as the staff directory knows them),
/// lets the session decide, and saves the change with its audit event in one transaction against the version the user
/// saw. Starting always runs the dose check of the recorded program: no caller can start without it. One instance per
/// unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock of recorded times.</param>
/// <param name="staff">Who users are (roles, active); the database's accounts unless a caller supplies its own.</param>
public sealed class SessionWorkflow(KetaCareDbContext db, TimeProvider clock, IStaffDirectory staff)
{
    private readonly SessionService _sessions = new(db, clock);
    private readonly SettingsService _settings = new(db, clock);
    private SessionSettings? _sessionSettings;
    private DrugLibrary? _drugs;

    /// <summary>A workflow on the database's own staff directory.</summary>
    public SessionWorkflow(KetaCareDbContext db, TimeProvider clock)
        : this(db, clock, new StaffDirectory(db, clock))
    {
    }

    /// <summary>Schedules a session of an active plan at the plan's current dose.</summary>
    public Task<Outcome<InfusionSession>> ScheduleAsync(PlanId planId, DateOnly date, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ScheduleAsync(planId, date, by, cancellationToken);

    /// <summary>A session with its timeline (audited read).</summary>
    public Task<Outcome<InfusionSession>> GetAsync(SessionId id, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.GetAsync(id, by, cancellationToken);

    /// <summary>The settings in force (thresholds, windows, discharge threshold).</summary>
    public async Task<SessionSettings> SettingsAsync(CancellationToken cancellationToken = default) =>
        _sessionSettings ??= await _settings.SessionSettingsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Pre-assessment: records the baseline observation (beginning the pre-assessment when scheduled), then runs the
    /// checks with the pre-session checklist. The baseline is saved even when the checks do not pass yet; their findings
    /// come back in the result.
    /// </summary>
    public async Task<Outcome<PreAssessmentResult>> PreAssessAsync(SessionId id, long expectedVersion, Observation baseline, PreSessionChecklist checklist, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(checklist);
        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<VitalAlert> alerts = [];
        var recorded = await _sessions.ChangeAsync(id, expectedVersion, s =>
        {
            var begin = s.State == SessionState.Scheduled ? s.BeginPreAssessment(by, clock) : Outcome.Ok();
            if (!begin.IsSuccess)
            {
                return begin;
            }

            var o = s.RecordObservation(baseline, settings, by, clock);
            alerts = o.IsSuccess ? o.Value : [];
            return o.IsSuccess ? Outcome.Ok() : o.Refusal;
        }, by, cancellationToken).ConfigureAwait(false);
        if (!recorded.IsSuccess)
        {
            return recorded.Refusal;
        }

        var checks = await RunChecksAsync(id, recorded.Value.Version, checklist, by, cancellationToken).ConfigureAwait(false);
        var session = checks.IsSuccess ? checks.Value : recorded.Value;
        return Outcome<PreAssessmentResult>.Ok(new PreAssessmentResult(session, alerts, checks.IsSuccess ? Outcome.Ok() : checks.Refusal));
    }

    /// <summary>Runs the pre-assessment checks on the patient's current chart, latest eligibility assessment and the pre-session checklist.</summary>
    public async Task<Outcome<InfusionSession>> RunChecksAsync(SessionId id, long expectedVersion, PreSessionChecklist checklist, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checklist);
        var patientId = await PatientOfAsync(id, cancellationToken).ConfigureAwait(false);
        if (patientId is not { } pid)
        {
            return Refusal.NotFound("session", id);
        }

        var patients = new PatientService(db, clock);
        var chart = await patients.OpenChartAsync(pid, by, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return chart.Refusal;
        }

        // Medications the patient reports as new go on the chart first (source: the checklist, today's date), so the
        // checks below and every later interaction screen see them; whether the session's checks pass does not change
        // what the patient takes.
        if (checklist.NewMedications is { } reported && chart.Value.NotOnChart(reported).Count > 0)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            chart = await patients.ChangeAsync(pid, chart.Value.Version, p => p.RecordReportedMedications(reported, today, by, clock) is { IsSuccess: false } r ? r.Refusal : Outcome.Ok(), by, cancellationToken).ConfigureAwait(false);
            if (!chart.IsSuccess)
            {
                return chart.Refusal;
            }
        }

        var latest = (await new TreatmentService(db, clock).AssessmentsAsync(pid, by, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        var courses = await new MonitoringService(db).CoursesAsync(pid, cancellationToken).ConfigureAwait(false);
        var (investigations, _) = await _settings.InvestigationSettingsAsync(cancellationToken).ConfigureAwait(false);
        return await _sessions.ChangeAsync(id, expectedVersion, s =>
        {
            var snapshot = chart.Value.Snapshot();
            var input = new PreAssessmentInput(snapshot, latest.Assessment, latest.Review, checklist)
            {
                Monitoring = MonitoringSchedule.For(snapshot, courses, s.ScheduledFor, investigations),
                Investigations = investigations,
            };
            return s.CompletePreAssessment(input, settings, by, clock);
        }, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Computes the pump program for this session's dose, the weight fixed at pre-assessment and the plan's preparation, and records it for the second check.</summary>
    public async Task<Outcome<InfusionSession>> ProgramPumpAsync(SessionId id, long expectedVersion, UserId by, CancellationToken cancellationToken = default)
    {
        var plan = await PlanOfAsync(id, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return Refusal.NotFound("session", id);
        }

        return await _sessions.ChangeAsync(id, expectedVersion, s =>
        {
            if (!s.Protocol.IsInfusion || s.Protocol.InfusionDuration is not { } duration)
            {
                return Refusal.Coded(FindingCodes.SingleDoseProtocol, FindingArg.Of("protocol", s.Protocol.Name));
            }

            if (s.DosingWeight is not { } weight)
            {
                return Refusal.Coded(FindingCodes.PreAssessmentNotPassed);
            }

            var program = PumpProgram.Compute(s.PlannedDose, weight, plan.Preparation, duration, PumpSettings.Default, by, clock);
            return program.IsSuccess ? s.RecordPumpProgram(program.Value) : program.Refusal;
        }, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The blind second check by <paramref name="by"/>, with what they read on the pump and label. The checker must be
    /// a registered, active nurse or physician other than the programmer. A mismatch is saved (the attempt with both
    /// values, the program cleared for reprogramming) and comes back as a refusal whose findings name each value.
    /// </summary>
    public async Task<Outcome<InfusionSession>> SecondCheckAsync(SessionId id, long expectedVersion, PumpReading reading, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var checker = await staff.FindAsync(by, cancellationToken).ConfigureAwait(false);
        if (checker is null)
        {
            return Refusal.Coded(FindingCodes.CheckCheckerNotEligible, FindingArg.Of("checker", by.ToString()));
        }

        SecondCheckAttempt? attempt = null;
        var saved = await _sessions.ChangeAsync(id, expectedVersion, s =>
        {
            var r = s.RecordSecondCheck(checker, reading, PumpSettings.Default, clock);
            attempt = r.IsSuccess ? r.Value : null;
            return r.IsSuccess ? Outcome.Ok() : r.Refusal;
        }, by, cancellationToken).ConfigureAwait(false);
        if (!saved.IsSuccess)
        {
            return saved;
        }

        return attempt is { Matched: false } failed ? Refusal.Of(failed.Mismatches) : saved;
    }

    /// <summary>What starting would meet now: the dose check of the recorded program and the vital-sign gate.</summary>
    public async Task<Outcome<StartPreview>> PreviewStartAsync(InfusionSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        var check = await DoseCheckAsync(session, cancellationToken).ConfigureAwait(false);
        var custody = session.Protocol.IsInfusion ? await new StockService(db, clock, staff).StartFindingAsync(session, cancellationToken).ConfigureAwait(false) : null;
        return Outcome<StartPreview>.Ok(new StartPreview(check.IsSuccess ? check.Value : null, [.. session.StartFindings(settings, clock.GetUtcNow()), .. custody is null ? [] : new[] { custody }]));
    }

    /// <summary>
    /// Starts the infusion (or gives the single dose): runs the dose check of the recorded program against the drug
    /// library in force, authorises it, and lets the session apply the vital-sign gate. Findings that need an override
    /// pass only when <paramref name="overrideReason"/> is given by an active physician; the reason is recorded for
    /// each of them.
    /// </summary>
    public async Task<Outcome<InfusionSession>> StartAsync(SessionId id, long expectedVersion, string? overrideReason, UserId by, CancellationToken cancellationToken = default)
    {
        var current = await _sessions.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return Refusal.NotFound("session", id);
        }

        if (current.Protocol.IsInfusion && current.Program is null)
        {
            return Refusal.Coded(FindingCodes.ProgramMissing);
        }

        if (current.Protocol.IsInfusion && await new StockService(db, clock, staff).StartFindingAsync(current, cancellationToken).ConfigureAwait(false) is { } custody)
        {
            return Refusal.Of(custody);
        }

        var check = await DoseCheckAsync(current, cancellationToken).ConfigureAwait(false);
        if (!check.IsSuccess)
        {
            return check.Refusal;
        }

        var physician = await OverrideOfAsync(overrideReason, by, cancellationToken).ConfigureAwait(false);
        if (!physician.IsSuccess)
        {
            return physician.Refusal;
        }

        var reason = physician.Value?.Reason;
        var reasons = reason is null ? null : check.Value.SoftFindings.Select(f => f.LimitId).Distinct(StringComparer.Ordinal).ToDictionary(x => x, _ => reason, StringComparer.Ordinal);
        var authorized = DoseAuthorization.Authorize(check.Value, reasons, by, clock);
        if (!authorized.IsSuccess)
        {
            return authorized.Refusal;
        }

        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return await _sessions.ChangeAsync(id, expectedVersion, s => s.Protocol.IsInfusion
            ? s.StartInfusion(authorized.Value, physician.Value, settings, by, clock)
            : s.GiveSingleDose(authorized.Value, physician.Value, settings, by, clock), by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives one dose of the plan's premedication or rescue order number <paramref name="orderIndex"/>, checked against the
    /// drug library in force and against the patient's current medications (the chart's list, which holds what
    /// pre-session checklists reported, and this session's checklist); a soft limit or a sedative beside a sedative
    /// passes only with an active physician's <paramref name="overrideReason"/>.
    /// </summary>
    public async Task<Outcome<InfusionSession>> GiveAncillaryAsync(SessionId id, long expectedVersion, int orderIndex, double doseMg, string? overrideReason, UserId by, CancellationToken cancellationToken = default)
    {
        var physician = await OverrideOfAsync(overrideReason, by, cancellationToken).ConfigureAwait(false);
        if (!physician.IsSuccess)
        {
            return physician.Refusal;
        }

        var patientId = await PatientOfAsync(id, cancellationToken).ConfigureAwait(false);
        if (patientId is not { } pid)
        {
            return Refusal.NotFound("session", id);
        }

        var chart = await new PatientService(db, clock).OpenChartAsync(pid, by, cancellationToken).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return chart.Refusal;
        }

        var medications = chart.Value.Snapshot().Medications;
        var drugs = _drugs ??= await _settings.DrugLibraryAsync(cancellationToken).ConfigureAwait(false);
        return await _sessions.ChangeAsync(id, expectedVersion, s => s.GiveAncillary(orderIndex, doseMg, drugs.Ancillary, medications, physician.Value, by, clock), by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pauses the infusion with a reason.</summary>
    public Task<Outcome<InfusionSession>> PauseAsync(SessionId id, long expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s => s.Pause(reason, by, clock), by, cancellationToken);

    /// <summary>Resumes at the last rate or a lower one; gated like a start, and refused while a stop-level alert is unacknowledged.</summary>
    public async Task<Outcome<InfusionSession>> ResumeAsync(SessionId id, long expectedVersion, double? rateMlPerHour, string? overrideReason, UserId by, CancellationToken cancellationToken = default)
    {
        var physician = await OverrideOfAsync(overrideReason, by, cancellationToken).ConfigureAwait(false);
        if (!physician.IsSuccess)
        {
            return physician.Refusal;
        }

        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return await _sessions.ChangeAsync(id, expectedVersion, s => s.Resume(by, clock, rateMlPerHour, physician.Value, settings), by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes the rate (never above the checked program; no increase while a stop-level alert is unacknowledged).</summary>
    public Task<Outcome<InfusionSession>> ChangeRateAsync(SessionId id, long expectedVersion, double rateMlPerHour, string reason, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s => s.ChangeRate(rateMlPerHour, reason, by, clock), by, cancellationToken);

    /// <summary>Stops early with a reason; the pump volume may be recorded.</summary>
    public async Task<Outcome<InfusionSession>> StopAsync(SessionId id, long expectedVersion, string reason, double? pumpVolumeMl, UserId by, CancellationToken cancellationToken = default)
    {
        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return await _sessions.ChangeAsync(id, expectedVersion, s => s.StopEarly(reason, by, clock, pumpVolumeMl, settings), by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes the infusion with the volume the pump shows as infused (required for infusions).</summary>
    public async Task<Outcome<InfusionSession>> CompleteAsync(SessionId id, long expectedVersion, double? pumpVolumeMl, UserId by, CancellationToken cancellationToken = default)
    {
        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return await _sessions.ChangeAsync(id, expectedVersion, s => s.Complete(by, clock, pumpVolumeMl, settings), by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Begins recovery after the drug has stopped.</summary>
    public Task<Outcome<InfusionSession>> BeginRecoveryAsync(SessionId id, long expectedVersion, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s => s.BeginRecovery(by, clock), by, cancellationToken);

    /// <summary>Cancels before any drug was given, with a reason.</summary>
    public Task<Outcome<InfusionSession>> CancelAsync(SessionId id, long expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s => s.Cancel(reason, by, clock), by, cancellationToken);

    /// <summary>What discharge would meet now with the given Aldrete and escort, and when the patient is predicted ready.</summary>
    public async Task<Outcome<DischargePreview>> PreviewDischargeAsync(InfusionSession session, AldreteScore? aldrete, bool escortPresent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var prediction = await PredictRecoveryAsync(session, cancellationToken).ConfigureAwait(false);
        if (!prediction.IsSuccess)
        {
            return prediction.Refusal;
        }

        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<DischargePreview>.Ok(new DischargePreview(session.DischargeFindings(aldrete, escortPresent, prediction.Value, settings, clock.GetUtcNow()), prediction.Value));
    }

    /// <summary>
    /// Discharges when ready: the minimum observation time, recovery vitals inside the thresholds, the Aldrete from its
    /// five items, an escort and the predicted effect-site concentration below the clinic's threshold. A physician may
    /// override what needs an override with a reason, which is recorded.
    /// </summary>
    public async Task<Outcome<InfusionSession>> DischargeAsync(SessionId id, long expectedVersion, AldreteScore aldrete, bool escortPresent, string? overrideReason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aldrete);
        var current = await _sessions.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return Refusal.NotFound("session", id);
        }

        var prediction = await PredictRecoveryAsync(current, cancellationToken).ConfigureAwait(false);
        if (!prediction.IsSuccess)
        {
            return prediction.Refusal;
        }

        var physician = await OverrideOfAsync(overrideReason, by, cancellationToken).ConfigureAwait(false);
        if (!physician.IsSuccess)
        {
            return physician.Refusal;
        }

        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return await _sessions.ChangeAsync(id, expectedVersion, s => s.Discharge(aldrete, escortPresent, prediction.Value, physician.Value, settings, by, clock), by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records an observation against the thresholds in force; returns the alerts it raised.</summary>
    public async Task<Outcome<IReadOnlyList<VitalAlert>>> ObserveAsync(SessionId id, long expectedVersion, Observation observation, UserId by, CancellationToken cancellationToken = default) =>
        await _sessions.RecordObservationAsync(id, expectedVersion, observation, await SettingsAsync(cancellationToken).ConfigureAwait(false), by, cancellationToken).ConfigureAwait(false);

    /// <summary>Acknowledges an alert with the action taken.</summary>
    public Task<Outcome<InfusionSession>> AcknowledgeAlertAsync(SessionId id, long expectedVersion, int alertIndex, string actionTaken, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s => s.AcknowledgeAlert(alertIndex, actionTaken, by, clock), by, cancellationToken);

    /// <summary>Marks an observation entered-in-error with a reason.</summary>
    public Task<Outcome<InfusionSession>> MarkObservationEnteredInErrorAsync(SessionId id, long expectedVersion, EntryId entry, string reason, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s => s.MarkObservationEnteredInError(entry, reason, by, clock), by, cancellationToken);

    /// <summary>Amends an observation with a reason; its alerts are evaluated again.</summary>
    public async Task<Outcome<InfusionSession>> AmendObservationAsync(SessionId id, long expectedVersion, EntryId entry, Observation corrected, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return await _sessions.ChangeAsync(id, expectedVersion, s =>
        {
            var r = s.AmendObservation(entry, corrected, reason, settings, by, clock);
            return r.IsSuccess ? Outcome.Ok() : r.Refusal;
        }, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records an adverse event, linked to the segment running at onset.</summary>
    public Task<Outcome<InfusionSession>> RecordAdverseEventAsync(SessionId id, long expectedVersion, AdverseEventType type, int grade, bool serious, AdverseEventAction action, AdverseEventOutcome outcome, DateTimeOffset onsetAt, string description, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s =>
        {
            var r = s.RecordAdverseEvent(type, grade, serious, action, outcome, onsetAt, description, by, clock);
            return r.IsSuccess ? Outcome.Ok() : r.Refusal;
        }, by, cancellationToken);

    /// <summary>Amends an adverse event (grade, seriousness, action, outcome) with a reason.</summary>
    public Task<Outcome<InfusionSession>> AmendAdverseEventAsync(SessionId id, long expectedVersion, EntryId entry, int grade, bool serious, AdverseEventAction action, AdverseEventOutcome outcome, string reason, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s =>
        {
            var r = s.AmendAdverseEvent(entry, grade, serious, action, outcome, reason, by, clock);
            return r.IsSuccess ? Outcome.Ok() : r.Refusal;
        }, by, cancellationToken);

    /// <summary>Marks an adverse event entered-in-error with a reason.</summary>
    public Task<Outcome<InfusionSession>> MarkAdverseEventEnteredInErrorAsync(SessionId id, long expectedVersion, EntryId entry, string reason, UserId by, CancellationToken cancellationToken = default) =>
        _sessions.ChangeAsync(id, expectedVersion, s => s.MarkAdverseEventEnteredInError(entry, reason, by, clock), by, cancellationToken);

    /// <summary>The dose check of the session's recorded program (or its single dose) for the covariates on the session date, against the drug library in force.</summary>
    public async Task<Outcome<DoseCheckResult>> DoseCheckAsync(InfusionSession session, CancellationToken cancellationToken = default)
    {
        var context = await PlanAndCovariatesAsync(session, forDosing: true, cancellationToken).ConfigureAwait(false);
        if (!context.IsSuccess)
        {
            return context.Refusal;
        }

        var (plan, covariates, raisedPressure) = context.Value;
        var drugs = _drugs ??= await _settings.DrugLibraryAsync(cancellationToken).ConfigureAwait(false);
        var planned = session.Program is { } pp
            ? new PlannedDose(session.Protocol, covariates, pp.BackCalculated, pp.Preparation, plan.ModelId) { VtbiMl = pp.VtbiMl, DosingWeight = session.DosingWeight, RaisedPressure = raisedPressure }
            : new PlannedDose(session.Protocol, covariates, session.PlannedDose, plan.Preparation, plan.ModelId) { DosingWeight = session.DosingWeight, RaisedPressure = raisedPressure };
        return Outcome<DoseCheckResult>.Ok(DoseCheck.Evaluate(planned, drugs));
    }

    /// <summary>The predicted effect-site concentration of the drug this session delivered, with the plan's model and the covariates on the session date.</summary>
    public async Task<Outcome<RecoveryPrediction>> PredictRecoveryAsync(InfusionSession session, CancellationToken cancellationToken = default)
    {
        var context = await PlanAndCovariatesAsync(session, forDosing: false, cancellationToken).ConfigureAwait(false);
        if (!context.IsSuccess)
        {
            return context.Refusal;
        }

        var settings = await SettingsAsync(cancellationToken).ConfigureAwait(false);
        return Outcome<RecoveryPrediction>.Ok(RecoveryPrediction.Predict(session, context.Value.Plan.ModelId, context.Value.Covariates, settings.DischargeEffectSiteNgPerMl, clock.GetUtcNow()));
    }

    /// <summary>
    /// The exposure the drug this session delivered predicts (<see cref="SessionExposure"/>), with the plan's model and
    /// the covariates on the session date as the chart now records them; a running segment counts up to now.
    /// </summary>
    public async Task<Outcome<SessionExposure>> ExposureAsync(InfusionSession session, CancellationToken cancellationToken = default)
    {
        var context = await PlanAndCovariatesAsync(session, forDosing: false, cancellationToken).ConfigureAwait(false);
        return context.IsSuccess
            ? SessionExposure.Compute(session, context.Value.Plan.ModelId, context.Value.Covariates, session.Segments.Any(s => s.End is null) ? clock.GetUtcNow() : null)
            : context.Refusal;
    }

    /// <summary>
    /// The session's plan, the patient's covariates on the session date and whether the chart records raised pressure now,
    /// as the dose check and the prediction need them; for dosing, a weight older than the protocol's window is refused.
    /// </summary>
    private async Task<Outcome<(TreatmentPlan Plan, Pharmacology.Models.Covariates Covariates, bool RaisedPressure)>> PlanAndCovariatesAsync(InfusionSession session, bool forDosing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var plan = await PlanAsync(session.PlanId, cancellationToken).ConfigureAwait(false);
        var patient = await PatientAsync(session.PatientId, cancellationToken).ConfigureAwait(false);
        if (plan is null || patient is null)
        {
            return Refusal.NotFound(plan is null ? "plan" : "patient", plan is null ? session.PlanId : session.PatientId);
        }

        var snapshot = patient.Snapshot();
        var covariates = forDosing ? PreSessionChecklistRules.DosingCovariates(snapshot, session.ScheduledFor, session.Protocol) : snapshot.CovariatesOn(session.ScheduledFor);
        return covariates.IsSuccess ? Outcome<(TreatmentPlan, Pharmacology.Models.Covariates, bool)>.Ok((plan, covariates.Value, snapshot.HasRaisedPressure)) : covariates.Refusal;
    }

    /// <summary>The acting user's override: none without a reason; with one, the user must be an active physician.</summary>
    private async Task<Outcome<PhysicianOverride?>> OverrideOfAsync(string? reason, UserId by, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Outcome<PhysicianOverride?>.Ok(null);
        }

        var member = await staff.FindAsync(by, cancellationToken).ConfigureAwait(false);
        return member is { IsActivePhysician: true }
            ? Outcome<PhysicianOverride?>.Ok(new PhysicianOverride(member, reason.Trim()))
            : Refusal.Coded(FindingCodes.RoleRequired, FindingArg.Of("role", Users.ClinicRoles.Physician));
    }

    private async Task<PatientId?> PatientOfAsync(SessionId id, CancellationToken cancellationToken) =>
        await db.Sessions.AsNoTracking().Where(s => s.Id == id).Select(s => (PatientId?)s.PatientId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    private async Task<TreatmentPlan?> PlanOfAsync(SessionId id, CancellationToken cancellationToken)
    {
        var planId = await db.Sessions.AsNoTracking().Where(s => s.Id == id).Select(s => (PlanId?)s.PlanId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return planId is { } p ? await PlanAsync(p, cancellationToken).ConfigureAwait(false) : null;
    }

    // Plan and chart are read here for rules, not shown: the step's own audit event records the change.
    private async Task<TreatmentPlan?> PlanAsync(PlanId id, CancellationToken cancellationToken)
    {
        var doc = await db.Plans.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return doc is null ? null : StateJson.Deserialize<TreatmentPlan>(doc);
    }

    private async Task<Patient?> PatientAsync(PatientId id, CancellationToken cancellationToken)
    {
        var doc = await db.Patients.AsNoTracking().Where(p => p.Id == id).Select(p => p.Document).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return doc is null ? null : StateJson.Deserialize<Patient>(doc);
    }
}
