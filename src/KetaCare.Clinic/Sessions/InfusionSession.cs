using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Sessions;

/// <summary>States of a session.</summary>
public enum SessionState
{
    /// <summary>Booked.</summary>
    Scheduled,

    /// <summary>Pre-infusion checks in progress.</summary>
    PreAssessment,

    /// <summary>Drug running (or a single dose given).</summary>
    Running,

    /// <summary>Infusion paused.</summary>
    Paused,

    /// <summary>Infusion finished as planned.</summary>
    Completed,

    /// <summary>Infusion stopped before the planned end, with a reason.</summary>
    StoppedEarly,

    /// <summary>Recovery observation.</summary>
    Recovery,

    /// <summary>Discharged home.</summary>
    Discharged,

    /// <summary>Cancelled before any drug was given, with a reason.</summary>
    Cancelled,
}

/// <summary>A period at one constant pump rate. Rate changes, pauses and resumptions start new segments.</summary>
/// <param name="Index">0-based position in the session.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="End">End (UTC), null while running.</param>
/// <param name="RateMlPerHour">Pump rate, mL/h.</param>
/// <param name="ConcentrationMgPerMl">Concentration of the preparation, mg/mL.</param>
/// <param name="Reason">Why this segment started ("start", "resume", "rate change: …").</param>
public sealed record RateSegment(int Index, DateTimeOffset Start, DateTimeOffset? End, double RateMlPerHour, double ConcentrationMgPerMl, string Reason)
{
    /// <summary>Drug rate, mg/h.</summary>
    public DoseRate Rate => DoseRate.FromMilligramsPerHour(RateMlPerHour * ConcentrationMgPerMl);

    /// <summary>Amount infused in this segment up to <paramref name="asOf"/> (its end when closed).</summary>
    public Mass AmountUntil(DateTimeOffset asOf)
    {
        var end = End ?? asOf;
        var minutes = Math.Max(0, (Min(end, asOf) - Start).TotalMinutes);
        return Rate * Duration.FromMinutes(minutes);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>A single dose (injection, intranasal) given.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Level">The dose level.</param>
/// <param name="Amount">The amount given.</param>
public sealed record SingleDoseGiven(DateTimeOffset At, DoseLevel Level, Mass Amount);

/// <summary>A state change, kept for the record.</summary>
/// <param name="From">Previous state.</param>
/// <param name="To">New state.</param>
/// <param name="At">When (UTC).</param>
/// <param name="By">Who.</param>
/// <param name="Reason">Why, where a reason is required.</param>
public sealed record Transition(SessionState From, SessionState To, DateTimeOffset At, UserId By, string? Reason);

/// <summary>An alert raised by an observation, with the observation's time.</summary>
/// <param name="At">Observation time.</param>
/// <param name="Alert">The alert.</param>
/// <param name="SegmentIndex">Segment running at the time, if any.</param>
/// <param name="Observation">The observation entry that raised it.</param>
/// <param name="Revision">The revision of that entry.</param>
public sealed record RaisedAlert(DateTimeOffset At, VitalAlert Alert, int? SegmentIndex, EntryId Observation, int Revision);

/// <summary>What the pre-assessment checks besides the recorded observations.</summary>
/// <param name="Patient">Current patient snapshot.</param>
/// <param name="Eligibility">Latest eligibility assessment.</param>
/// <param name="Review">Physician review of the assessment, when it needed one.</param>
/// <param name="NegativePregnancyTestOn">Date of a negative pregnancy test, when one was done.</param>
public sealed record PreAssessmentInput(PatientSnapshot Patient, EligibilityAssessment? Eligibility, PhysicianReview? Review, DateOnly? NegativePregnancyTestOn);

/// <summary>
/// One treatment session as a state machine: scheduled → pre-assessment → running ⇄ paused → completed or
/// stopped early → recovery → discharged (or cancelled before start). Every refused transition is an
/// <see cref="Outcome"/> naming the current state and what is missing. The dose given is computed from the rate
/// segments and single doses, never typed. Aggregate with <see cref="Version"/>; not thread-safe.
/// </summary>
public sealed class InfusionSession
{
    private readonly List<RateSegment> _segments = [];
    private readonly List<SingleDoseGiven> _singleDoses = [];
    private readonly List<Transition> _transitions = [];
    private readonly List<RaisedAlert> _alerts = [];

    private InfusionSession(TreatmentPlan plan, DateOnly date, DoseLevel plannedDose)
    {
        Id = SessionId.New();
        PlanId = plan.Id;
        PatientId = plan.PatientId;
        Protocol = plan.Protocol;
        ScheduledFor = date;
        PlannedDose = plannedDose;
    }

    /// <summary>Id.</summary>
    public SessionId Id { get; }

    /// <summary>Plan.</summary>
    public PlanId PlanId { get; }

    /// <summary>Patient.</summary>
    public PatientId PatientId { get; }

    /// <summary>Protocol of the plan.</summary>
    public Protocol Protocol { get; }

    /// <summary>Session date; the weight valid on this date is used.</summary>
    public DateOnly ScheduledFor { get; }

    /// <summary>The plan's dose for this session.</summary>
    public DoseLevel PlannedDose { get; }

    /// <summary>Current state.</summary>
    public SessionState State { get; private set; } = SessionState.Scheduled;

    /// <summary>Concurrency version.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>True once the pre-assessment checks passed.</summary>
    public bool PreAssessmentPassed { get; private set; }

    /// <summary>The measurement valid on the session date, fixed when the pre-assessment passed; every dose of the session uses it.</summary>
    public BodyMeasurement? Weight { get; private set; }

    /// <summary>
    /// The pump program (infusions): in pre-assessment the one recorded by <see cref="RecordPumpProgram"/> (with its
    /// second check once done), from the start the one running.
    /// </summary>
    public PumpProgram? Program { get; private set; }

    /// <summary>The dose authorisation, with any soft-limit overrides.</summary>
    public DoseAuthorization? Authorization { get; private set; }

    /// <summary>Discharge Aldrete score.</summary>
    public AldreteScore? DischargeAldrete { get; private set; }

    /// <summary>Observations (amendable, never deleted).</summary>
    public ChartHistory<Observation> Observations { get; } = new();

    /// <summary>Adverse events (amendable, never deleted).</summary>
    public ChartHistory<AdverseEvent> AdverseEvents { get; } = new();

    /// <summary>Rate segments.</summary>
    public IReadOnlyList<RateSegment> Segments => _segments;

    /// <summary>Single doses given.</summary>
    public IReadOnlyList<SingleDoseGiven> SingleDoses => _singleDoses;

    /// <summary>State changes.</summary>
    public IReadOnlyList<Transition> Transitions => _transitions;

    /// <summary>Every alert ever raised, including those of observations later amended or marked entered-in-error.</summary>
    public IReadOnlyList<RaisedAlert> Alerts => _alerts;

    /// <summary>Alerts raised by the active version of each observation (the ones rules use).</summary>
    public IEnumerable<RaisedAlert> ActiveAlerts => _alerts.Where(a => Observations.Active.Any(e => e.Id == a.Observation && e.Revision == a.Revision));

    /// <summary>Schedules a session of an active plan at the plan's current dose.</summary>
    public static Outcome<InfusionSession> Schedule(TreatmentPlan plan, DateOnly date, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(clock);
        if (plan.Status != PlanStatus.Active)
        {
            return new Refusal($"plan: status is {plan.Status}; sessions are scheduled only for active plans.");
        }

        var s = new InfusionSession(plan, date, plan.CurrentDose);
        s._transitions.Add(new(SessionState.Scheduled, SessionState.Scheduled, clock.GetUtcNow(), by, "scheduled"));
        return Outcome<InfusionSession>.Ok(s);
    }

    /// <summary>Total drug given up to <paramref name="asOf"/>: the sum over rate segments and single doses.</summary>
    public Mass DoseGiven(DateTimeOffset asOf) =>
        _segments.Aggregate(Mass.Zero, (sum, s) => sum + s.AmountUntil(asOf)) + _singleDoses.Where(d => d.At <= asOf).Aggregate(Mass.Zero, (sum, d) => sum + d.Amount);

    /// <summary>Scheduled → pre-assessment.</summary>
    public Outcome BeginPreAssessment(UserId by, TimeProvider clock) => Move([SessionState.Scheduled], SessionState.PreAssessment, by, clock, null);

    /// <summary>
    /// Runs the pre-infusion checks: a vital-signs set and a pain NRS recorded during pre-assessment, valid
    /// off-label consent, a current eligibility assessment, and a negative pregnancy test on the day when one is
    /// applicable. Refusal lists everything missing.
    /// </summary>
    public Outcome CompletePreAssessment(PreAssessmentInput input, SessionSettings settings, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.PreAssessment)
        {
            return new Refusal($"session: is {State}; pre-assessment checks run in {SessionState.PreAssessment}.");
        }

        var missing = new List<string>();
        var pre = Observations.ActiveValues.ToList();
        if (!pre.Any(o => o.HasVitalSigns))
        {
            missing.Add("vital signs (BP, HR, SpO2) not recorded");
        }

        if (!pre.Any(o => o.PainNrs is not null))
        {
            missing.Add("pain NRS not recorded");
        }

        if (input.Patient.Id != PatientId)
        {
            missing.Add("patient snapshot is for another patient");
        }

        if (!input.Patient.HasValidOffLabelConsent(ScheduledFor))
        {
            missing.Add("no valid off-label consent on the session date");
        }

        if (input.Eligibility is null)
        {
            missing.Add("no eligibility assessment");
        }
        else
        {
            var current = input.Eligibility.IsCurrent(ScheduledFor, settings.EligibilityRuleSetVersion, settings.EligibilityValidDays, input.Review);
            if (!current.IsSuccess)
            {
                missing.Add(current.Error);
            }
        }

        if (input.Patient.Pregnancy?.State == PregnancyState.Pregnant)
        {
            missing.Add("patient is pregnant");
        }
        else if (input.Patient.PregnancyTestApplicable && input.NegativePregnancyTestOn != ScheduledFor)
        {
            missing.Add("negative pregnancy test on the session date required");
        }

        var weight = input.Patient.MeasurementOn(ScheduledFor);
        if (!weight.IsSuccess)
        {
            missing.Add(weight.Error);
        }

        if (missing.Count > 0)
        {
            return new Refusal("pre-assessment: " + string.Join("; ", missing) + ".");
        }

        Weight = weight.Value;
        PreAssessmentPassed = true;
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// Records the pump program computed for this session's dose and weight in pre-assessment, so that another user —
    /// on another device — can do the independent second check before the start. Programming again replaces the
    /// program and drops its check.
    /// </summary>
    public Outcome RecordPumpProgram(PumpProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (State != SessionState.PreAssessment)
        {
            return new Refusal($"session: is {State}; the pump is programmed in {SessionState.PreAssessment}.");
        }

        if (!PreAssessmentPassed)
        {
            return new Refusal("session: pre-assessment checks have not passed.");
        }

        if (!Protocol.IsInfusion)
        {
            return new Refusal($"session: {Protocol.Name} is a single-dose protocol; it has no pump program.");
        }

        if (program.Prescribed != PlannedDose)
        {
            return new Refusal($"pump program: programmed for {program.Prescribed}, but this session's dose is {PlannedDose}.");
        }

        if (program.Weight != Weight!.Weight)
        {
            return new Refusal($"pump program: computed for {program.Weight}, but the weight valid on {ScheduledFor:yyyy-MM-dd} is {Weight.Weight}; program again.");
        }

        Program = program;
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// The independent second check of the program recorded by <see cref="RecordPumpProgram"/>: refused for the
    /// programmer, or when the rate and VTBI the checker read do not match (<see cref="PumpProgram.WithSecondCheck"/>).
    /// </summary>
    public Outcome RecordSecondCheck(UserId checker, double checkerRateMlPerHour, double checkerVtbiMl, PumpSettings pump, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(pump);
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.PreAssessment)
        {
            return new Refusal($"session: is {State}; the pump program is checked in {SessionState.PreAssessment}.");
        }

        if (Program is null)
        {
            return new Refusal("second check: no pump program has been recorded for this session yet.");
        }

        if (Program.Check is { } done)
        {
            return Refusal.Because($"second check: already done by {done.By} at {done.At:yyyy-MM-dd HH:mm} UTC.");
        }

        var checkedProgram = Program.WithSecondCheck(checker, checkerRateMlPerHour, checkerVtbiMl, pump, clock);
        if (!checkedProgram.IsSuccess)
        {
            return new Refusal(checkedProgram.Error);
        }

        Program = checkedProgram.Value;
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// Pre-assessment → running for an infusion: needs passed checks, a pump program for this session's dose
    /// with an independent second check, and a dose authorisation (no hard stop, soft limits overridden).
    /// </summary>
    public Outcome StartInfusion(PumpProgram program, DoseAuthorization authorization, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(clock);
        var ready = ReadyToGive(authorization);
        if (!ready.IsSuccess)
        {
            return ready;
        }

        if (!Protocol.IsInfusion)
        {
            return new Refusal($"session: {Protocol.Name} is a single-dose protocol; use {nameof(GiveSingleDose)}.");
        }

        if (program.Check is null)
        {
            return new Refusal("pump program: needs an independent second check before starting.");
        }

        if (program.Prescribed != PlannedDose)
        {
            return new Refusal($"pump program: programmed for {program.Prescribed}, but this session's dose is {PlannedDose}.");
        }

        if (program.Weight != Weight!.Weight)
        {
            return new Refusal($"pump program: computed for {program.Weight}, but the weight valid on {ScheduledFor:yyyy-MM-dd} is {Weight.Weight}; program again.");
        }

        var plan = authorization.Check.Plan;
        if (plan.Dose != program.BackCalculated || plan.VtbiMl != program.VtbiMl || plan.Patient.Weight != program.Weight || plan.Preparation != program.Preparation)
        {
            return new Refusal("dose check: it was run for another rate, VTBI, weight or preparation than this pump program; check again.");
        }

        var now = clock.GetUtcNow();
        Program = program;
        Authorization = authorization;
        _segments.Add(new RateSegment(0, now, null, program.RateMlPerHour, program.Preparation.Concentration.MilligramsPerMilliliter, "start"));
        return Move([SessionState.PreAssessment], SessionState.Running, by, clock, null);
    }

    /// <summary>Pre-assessment → running for a single dose (IM, intranasal): records the amount for the session's weight.</summary>
    public Outcome GiveSingleDose(DoseAuthorization authorization, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(clock);
        var ready = ReadyToGive(authorization);
        if (!ready.IsSuccess)
        {
            return ready;
        }

        if (Protocol.IsInfusion)
        {
            return new Refusal($"session: {Protocol.Name} is an infusion; use {nameof(StartInfusion)}.");
        }

        var plan = authorization.Check.Plan;
        if (plan.Dose != PlannedDose || plan.Patient.Weight != Weight!.Weight)
        {
            return new Refusal($"dose check: it was run for {plan.Dose} at {plan.Patient.Weight}; this session gives {PlannedDose} at {Weight!.Weight}; check again.");
        }

        Authorization = authorization;
        _singleDoses.Add(new SingleDoseGiven(clock.GetUtcNow(), PlannedDose, PlannedDose.AmountFor(Weight.Weight, null)));
        return Move([SessionState.PreAssessment], SessionState.Running, by, clock, null);
    }

    /// <summary>Running → paused; closes the running segment.</summary>
    public Outcome Pause(string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: a pause needs a reason.");
        }

        if (State != SessionState.Running)
        {
            return Refuse(SessionState.Paused);
        }

        if (_segments.Count == 0)
        {
            return new Refusal("session: a single dose cannot be paused; only infusions have a rate.");
        }

        CloseSegment(clock.GetUtcNow());
        return Move([SessionState.Running], SessionState.Paused, by, clock, reason);
    }

    /// <summary>Paused → running at the last rate, or at a lower one; a new segment.</summary>
    public Outcome Resume(UserId by, TimeProvider clock, double? rateMlPerHour = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.Paused)
        {
            return Refuse(SessionState.Running);
        }

        var last = _segments[^1];
        var rate = rateMlPerHour ?? last.RateMlPerHour;
        var allowed = CheckRate(rate);
        if (!allowed.IsSuccess)
        {
            return allowed;
        }

        _segments.Add(last with { Index = _segments.Count, Start = clock.GetUtcNow(), End = null, RateMlPerHour = rate, Reason = "resume" });
        return Move([SessionState.Paused], SessionState.Running, by, clock, null);
    }

    /// <summary>Changes the rate while running: closes the segment and opens a new one. Never above the authorised program rate.</summary>
    public Outcome ChangeRate(double rateMlPerHour, string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.Running || _segments.Count == 0)
        {
            return new Refusal($"session: is {State}; the rate can change only while an infusion runs.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: a rate change needs a reason.");
        }

        var allowed = CheckRate(rateMlPerHour);
        if (!allowed.IsSuccess)
        {
            return allowed;
        }

        var now = clock.GetUtcNow();
        CloseSegment(now);
        _segments.Add(_segments[^1] with { Index = _segments.Count, Start = now, End = null, RateMlPerHour = rateMlPerHour, Reason = "rate change: " + reason.Trim() });
        Version++;
        return Outcome.Ok();
    }

    /// <summary>Running → completed (given as planned).</summary>
    public Outcome Complete(UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.Running)
        {
            return Refuse(SessionState.Completed);
        }

        CloseSegment(clock.GetUtcNow());
        return Move([SessionState.Running], SessionState.Completed, by, clock, null);
    }

    /// <summary>Running or paused → stopped early, with a reason.</summary>
    public Outcome StopEarly(string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: stopping early needs a reason.");
        }

        if (State is not (SessionState.Running or SessionState.Paused))
        {
            return Refuse(SessionState.StoppedEarly);
        }

        CloseSegment(clock.GetUtcNow());
        return Move([SessionState.Running, SessionState.Paused], SessionState.StoppedEarly, by, clock, reason);
    }

    /// <summary>Completed or stopped early → recovery.</summary>
    public Outcome BeginRecovery(UserId by, TimeProvider clock) =>
        Move([SessionState.Completed, SessionState.StoppedEarly], SessionState.Recovery, by, clock, null);

    /// <summary>Recovery → discharged: needs vital signs recorded in recovery, modified Aldrete ≥ 9 and an escort.</summary>
    public Outcome Discharge(AldreteScore aldrete, bool escortPresent, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(aldrete);
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.Recovery)
        {
            return Refuse(SessionState.Discharged);
        }

        var recoveryStart = _transitions.Last(t => t.To == SessionState.Recovery).At;
        if (!Observations.ActiveValues.Any(o => o.HasVitalSigns && o.At >= recoveryStart))
        {
            return new Refusal("discharge: record vital signs during recovery first.");
        }

        if (!aldrete.AllowsDischarge)
        {
            return Refusal.Because($"discharge: modified Aldrete {aldrete.Total} is below {AldreteScore.DischargeThreshold}.");
        }

        if (!escortPresent)
        {
            return new Refusal("discharge: an escort must be present.");
        }

        DischargeAldrete = aldrete;
        return Move([SessionState.Recovery], SessionState.Discharged, by, clock, null);
    }

    /// <summary>Scheduled or pre-assessment → cancelled, with a reason (no drug given).</summary>
    public Outcome Cancel(string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return string.IsNullOrWhiteSpace(reason)
            ? new Refusal("reason: cancelling needs a reason.")
            : Move([SessionState.Scheduled, SessionState.PreAssessment], SessionState.Cancelled, by, clock, reason);
    }

    /// <summary>Records an observation and returns the alerts it raises. Refused before pre-assessment, after discharge, or in the future.</summary>
    public Outcome<IReadOnlyList<VitalAlert>> RecordObservation(Observation observation, SessionSettings settings, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        if (State is SessionState.Scheduled or SessionState.Discharged or SessionState.Cancelled)
        {
            return new Refusal($"session: is {State}; observations are recorded from pre-assessment until discharge.");
        }

        var now = clock.GetUtcNow();
        if (observation.At > now)
        {
            return new Refusal("time: an observation cannot be in the future.");
        }

        var entry = Observations.Add(observation, now, by);
        var alerts = Raise(entry, settings);
        Version++;
        return Outcome<IReadOnlyList<VitalAlert>>.Ok(alerts);
    }

    /// <summary>Amends an observation with a reason; its alerts are evaluated again for the corrected values.</summary>
    public Outcome<IReadOnlyList<VitalAlert>> AmendObservation(EntryId id, Observation corrected, string reason, SessionSettings settings, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        var r = Observations.Amend(id, corrected, reason, clock.GetUtcNow(), by);
        if (!r.IsSuccess)
        {
            return new Refusal(r.Error);
        }

        var alerts = Raise(r.Value, settings);
        Version++;
        return Outcome<IReadOnlyList<VitalAlert>>.Ok(alerts);
    }

    /// <summary>Marks an observation entered-in-error with a reason; it and its alerts stay in the record and no longer count.</summary>
    public Outcome MarkObservationEnteredInError(EntryId id, string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var r = Observations.MarkEnteredInError(id, reason, clock.GetUtcNow(), by);
        if (r.IsSuccess)
        {
            Version++;
        }

        return r;
    }

    /// <summary>
    /// Updates an adverse event (grade, seriousness, action, outcome — e.g. resolving → resolved) as an amendment
    /// with a reason; type, onset, description and segment stay as first recorded.
    /// </summary>
    public Outcome<ChartEntry<AdverseEvent>> AmendAdverseEvent(EntryId id, int grade, bool serious, AdverseEventAction action, AdverseEventOutcome outcome, string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var current = AdverseEvents.Active.FirstOrDefault(e => e.Id == id);
        if (current is null)
        {
            return new Refusal($"adverse event {id}: no active entry with this id.");
        }

        var old = current.Value;
        var updated = AdverseEvent.Create(Id, old.SegmentIndex, old.Type, grade, serious, action, outcome, old.OnsetAt, old.Description);
        if (!updated.IsSuccess)
        {
            return new Refusal(updated.Error);
        }

        var r = AdverseEvents.Amend(id, updated.Value, reason, clock.GetUtcNow(), by);
        if (r.IsSuccess)
        {
            Version++;
        }

        return r;
    }

    /// <summary>Marks an adverse event entered-in-error with a reason.</summary>
    public Outcome MarkAdverseEventEnteredInError(EntryId id, string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var r = AdverseEvents.MarkEnteredInError(id, reason, clock.GetUtcNow(), by);
        if (r.IsSuccess)
        {
            Version++;
        }

        return r;
    }

    /// <summary>Records an adverse event, linked to the segment running at onset.</summary>
    public Outcome<ChartEntry<AdverseEvent>> RecordAdverseEvent(AdverseEventType type, int grade, bool serious, AdverseEventAction action, AdverseEventOutcome outcome, DateTimeOffset onsetAt, string description, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (State is SessionState.Scheduled or SessionState.Cancelled)
        {
            return new Refusal($"session: is {State}; adverse events are recorded once the session has begun.");
        }

        var ae = AdverseEvent.Create(Id, SegmentAt(onsetAt), type, grade, serious, action, outcome, onsetAt, description);
        if (!ae.IsSuccess)
        {
            return new Refusal(ae.Error);
        }

        var entry = AdverseEvents.Add(ae.Value, clock.GetUtcNow(), by);
        Version++;
        return Outcome<ChartEntry<AdverseEvent>>.Ok(entry);
    }

    /// <summary>The index of the segment running at <paramref name="at"/>, or null.</summary>
    public int? SegmentAt(DateTimeOffset at) =>
        _segments.LastOrDefault(s => s.Start <= at && (s.End is null || at < s.End))?.Index;

    private IReadOnlyList<VitalAlert> Raise(ChartEntry<Observation> entry, SessionSettings settings)
    {
        var alerts = VitalSignAlerts.Evaluate(entry.Value, settings.Alerts);
        var segment = SegmentAt(entry.Value.At);
        _alerts.AddRange(alerts.Select(a => new RaisedAlert(entry.Value.At, a, segment, entry.Id, entry.Revision)));
        return alerts;
    }

    private Outcome ReadyToGive(DoseAuthorization authorization)
    {
        if (State != SessionState.PreAssessment)
        {
            return Refuse(SessionState.Running);
        }

        if (!PreAssessmentPassed)
        {
            return new Refusal("session: pre-assessment checks have not passed.");
        }

        return authorization.Check.HasHardStop
            ? new Refusal("dose: a hard limit is exceeded; the dose cannot be given.")
            : Outcome.Ok();
    }

    private Outcome CheckRate(double rateMlPerHour)
    {
        if (!double.IsFinite(rateMlPerHour) || rateMlPerHour <= 0)
        {
            return Refusal.Because($"rate: {rateMlPerHour} mL/h must be greater than 0; pause instead.");
        }

        return Program is { } p && rateMlPerHour > p.RateMlPerHour * (1 + 1e-9)
            ? Refusal.Because($"rate: {SafeNumber.Format(rateMlPerHour)} mL/h is above the checked program's {SafeNumber.Format(p.RateMlPerHour)} mL/h; a higher rate needs a new program, dose check and second check.")
            : Outcome.Ok();
    }

    private void CloseSegment(DateTimeOffset at)
    {
        if (_segments.Count > 0 && _segments[^1].End is null)
        {
            _segments[^1] = _segments[^1] with { End = at };
        }
    }

    private Refusal Refuse(SessionState to) => new($"session: cannot go from {State} to {to}.");

    private Outcome Move(SessionState[] from, SessionState to, UserId by, TimeProvider clock, string? reason)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (!from.Contains(State))
        {
            return Refuse(to);
        }

        _transitions.Add(new Transition(State, to, clock.GetUtcNow(), by, reason?.Trim()));
        State = to;
        Version++;
        return Outcome.Ok();
    }
}
