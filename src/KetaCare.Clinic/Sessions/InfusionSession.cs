using System.Globalization;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
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

/// <summary>A premedication or rescue dose given: which order, what, how much, by which route, when and by whom.</summary>
/// <param name="OrderIndex">Position of the order in the protocol's <see cref="Protocol.AncillaryOrders"/>.</param>
/// <param name="Drug">The drug.</param>
/// <param name="Purpose">Premedication or rescue.</param>
/// <param name="DoseMg">The dose given, mg.</param>
/// <param name="Route">The route.</param>
/// <param name="At">When (UTC).</param>
/// <param name="By">Who gave it.</param>
public sealed record AncillaryDose(int OrderIndex, AncillaryDrug Drug, OrderPurpose Purpose, double DoseMg, Route Route, DateTimeOffset At, UserId By);

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
/// <param name="Checklist">The pre-session checklist as answered.</param>
public sealed record PreAssessmentInput(PatientSnapshot Patient, EligibilityAssessment? Eligibility, PhysicianReview? Review, PreSessionChecklist Checklist)
{
    /// <summary>The monitoring schedule of the session's course as of the session date (<see cref="MonitoringSchedule"/>); every item must be done.</summary>
    public IReadOnlyList<MonitoringItem> Monitoring { get; init; } = [];

    /// <summary>The investigation ranges and thresholds in force, by which results recorded after the screening are judged.</summary>
    public InvestigationSettings Investigations { get; init; } = InvestigationSettings.Default;
}

/// <summary>
/// One treatment session as a state machine: scheduled → pre-assessment → running ⇄ paused → completed or
/// stopped early → recovery → discharged (or cancelled before start). Every refused transition is an
/// <see cref="Outcome"/> with coded findings naming the current state and what is missing. The session enforces its
/// own safety rules — gating on the patient's vitals at start and resume, a blind second check by another clinician,
/// the dose check the program was authorised under, acknowledged stop alerts, discharge readiness — so no caller can
/// reach an unsafe state. The dose given is computed from the rate segments as the pump delivers them (capped at the
/// VTBI), never typed. Aggregate with <see cref="Version"/>; not thread-safe.
/// </summary>
public sealed class InfusionSession
{
    private readonly List<RateSegment> _segments = [];
    private readonly List<SingleDoseGiven> _singleDoses = [];
    private readonly List<Transition> _transitions = [];
    private readonly List<RaisedAlert> _alerts = [];

    // Added after the first stored sessions: a document without them restores them as null, read as empty.
    private List<AlertAcknowledgement>? _acknowledgements = [];
    private List<SafetyOverride>? _overrides = [];
    private List<SecondCheckAttempt>? _checkAttempts = [];
    private List<Finding>? _recordFindings = [];
    private List<Finding>? _checklistFindings = [];
    private List<AncillaryDose>? _ancillaryDoses = [];

    private InfusionSession(TreatmentPlan plan, DateOnly date, DoseLevel plannedDose)
    {
        Id = SessionId.New();
        PlanId = plan.Id;
        PatientId = plan.PatientId;
        Protocol = plan.Protocol;
        ScheduledFor = date;
        PlannedDose = plannedDose;
    }

    /// <summary>The session's identity.</summary>
    public SessionId Id { get; }

    /// <summary>The plan the session belongs to.</summary>
    public PlanId PlanId { get; }

    /// <summary>The patient treated.</summary>
    public PatientId PatientId { get; }

    /// <summary>Protocol of the plan, at the version prescribed.</summary>
    public Protocol Protocol { get; }

    /// <summary>Session date; the weight valid on this date is used.</summary>
    public DateOnly ScheduledFor { get; }

    /// <summary>The plan's dose for this session.</summary>
    public DoseLevel PlannedDose { get; }

    /// <summary>Current state.</summary>
    public SessionState State { get; private set; } = SessionState.Scheduled;

    /// <summary>Concurrency version: +1 per change.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>True once the pre-assessment checks passed.</summary>
    public bool PreAssessmentPassed { get; private set; }

    /// <summary>The measurement valid on the session date, fixed when the pre-assessment passed; every dose of the session uses it.</summary>
    public BodyMeasurement? Weight { get; private set; }

    /// <summary>
    /// The pump program (infusions): in pre-assessment the one recorded by <see cref="RecordPumpProgram"/> (with its
    /// second check once done; cleared when the check found a mismatch), from the start the one running.
    /// </summary>
    public PumpProgram? Program { get; private set; }

    /// <summary>The pre-session checklist as answered when the pre-assessment passed; null before (and in sessions stored before the checklist).</summary>
    public PreSessionChecklist? Checklist { get; private set; }

    /// <summary>
    /// What the checklist found when the pre-assessment passed: findings that need a physician's reason (a short fast,
    /// a new medication to review) are part of the start's gate; warnings are shown and kept.
    /// </summary>
    public IReadOnlyList<Finding> ChecklistFindings => _checklistFindings ??= [];

    /// <summary>The dose authorisation, with any soft-limit overrides.</summary>
    public DoseAuthorization? Authorization { get; private set; }

    /// <summary>Discharge Aldrete score.</summary>
    public AldreteScore? DischargeAldrete { get; private set; }

    /// <summary>The weight per-kg doses use, kg, fixed at pre-assessment by the protocol's dosing-weight rule; null in sessions stored before the rule (their dosing weight is the measured weight).</summary>
    public double? DosingWeightKg { get; private set; }

    /// <summary>The weight this session's per-kg doses use: the protocol's dosing weight, else the measured weight; null before pre-assessment.</summary>
    public BodyWeight? DosingWeight => DosingWeightKg is { } kg ? BodyWeight.FromKilograms(kg) : Weight?.Weight;

    /// <summary>The volume the pump showed as infused when the infusion was completed, mL.</summary>
    public double? PumpVolumeMl { get; private set; }

    /// <summary>Predicted effect-site concentration at discharge, ng/mL.</summary>
    public double? DischargeEffectSiteNgPerMl { get; private set; }

    /// <summary>Observations (amendable, never deleted).</summary>
    public ChartHistory<Observation> Observations { get; } = new();

    /// <summary>Adverse events (amendable, never deleted).</summary>
    public ChartHistory<AdverseEvent> AdverseEvents { get; } = new();

    /// <summary>Rate segments as recorded (a segment may run past the VTBI, where the pump delivered nothing more).</summary>
    public IReadOnlyList<RateSegment> Segments => _segments;

    /// <summary>Single doses given.</summary>
    public IReadOnlyList<SingleDoseGiven> SingleDoses => _singleDoses;

    /// <summary>State changes.</summary>
    public IReadOnlyList<Transition> Transitions => _transitions;

    /// <summary>Premedication and rescue doses given, oldest first.</summary>
    public IReadOnlyList<AncillaryDose> AncillaryDoses => _ancillaryDoses ??= [];

    /// <summary>Every alert ever raised, including those of observations later amended or marked entered-in-error.</summary>
    public IReadOnlyList<RaisedAlert> Alerts => _alerts;

    /// <summary>Acknowledgements of alerts, by a named user with the action taken.</summary>
    public IReadOnlyList<AlertAcknowledgement> Acknowledgements => _acknowledgements ??= [];

    /// <summary>Physicians' overrides of gating and discharge findings, with reasons.</summary>
    public IReadOnlyList<SafetyOverride> Overrides => _overrides ??= [];

    /// <summary>Every second-check attempt, matched or not.</summary>
    public IReadOnlyList<SecondCheckAttempt> CheckAttempts => _checkAttempts ??= [];

    /// <summary>Findings recorded with the session (e.g. a pump volume that differs from the computed one).</summary>
    public IReadOnlyList<Finding> RecordFindings => _recordFindings ??= [];

    /// <summary>Alerts raised by the active version of each observation (the ones rules use).</summary>
    public IEnumerable<RaisedAlert> ActiveAlerts => _alerts.Where(a => Observations.Active.Any(e => e.Id == a.Observation && e.Revision == a.Revision));

    /// <summary>Indexes (into <see cref="Alerts"/>) of active stop-level alerts nobody has acknowledged; they block resume and rate increases.</summary>
    public IReadOnlyList<int> UnacknowledgedStopAlerts =>
        [.. Enumerable.Range(0, _alerts.Count).Where(i => _alerts[i].Alert.Action == SuggestedAction.Stop && IsActive(_alerts[i]) && !Acknowledgements.Any(a => a.AlertIndex == i))];

    /// <summary>When the drug stopped running (completed or stopped early), or null.</summary>
    public DateTimeOffset? DrugEndedAt => _transitions.LastOrDefault(t => t.To is SessionState.Completed or SessionState.StoppedEarly)?.At;

    /// <summary>Schedules a session of an active plan at the plan's current dose.</summary>
    public static Outcome<InfusionSession> Schedule(TreatmentPlan plan, DateOnly date, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(clock);
        if (plan.Status != PlanStatus.Active)
        {
            return Refusal.Coded(FindingCodes.SessionState, FindingArg.Of("from", "plan " + plan.Status), FindingArg.Of("to", nameof(SessionState.Scheduled)));
        }

        var s = new InfusionSession(plan, date, plan.CurrentDose);
        s._transitions.Add(new(SessionState.Scheduled, SessionState.Scheduled, clock.GetUtcNow(), by, "scheduled"));
        return Outcome<InfusionSession>.Ok(s);
    }

    /// <summary>The drug delivered up to <paramref name="asOf"/>: segments as the pump delivers them (capped at the VTBI) and single doses.</summary>
    public DoseAccount Account(DateTimeOffset asOf) => DoseAccount.Of(_segments, Program, asOf);

    /// <summary>Total drug given up to <paramref name="asOf"/>: rate segments up to the VTBI, plus single doses.</summary>
    public Mass DoseGiven(DateTimeOffset asOf) =>
        Account(asOf).Amount + _singleDoses.Where(d => d.At <= asOf).Aggregate(Mass.Zero, (sum, d) => sum + d.Amount);

    /// <summary>
    /// The segments as the pump ran them up to <paramref name="asOf"/>: an open segment ends at <paramref name="asOf"/>,
    /// the segment in which the VTBI was reached ends there, and later segments are dropped.
    /// </summary>
    public IReadOnlyList<RateSegment> DeliveredSegments(DateTimeOffset asOf)
    {
        var reached = Account(asOf).VtbiReachedAt;
        var delivered = new List<RateSegment>();
        foreach (var s in _segments)
        {
            var end = s.End ?? asOf;
            if (reached is { } r)
            {
                if (s.Start >= r)
                {
                    break;
                }

                end = end < r ? end : r;
            }

            delivered.Add(s with { End = end });
        }

        return delivered;
    }

    /// <summary>The drug one recorded segment delivered up to <paramref name="asOf"/>: zero for a segment that started after the VTBI was reached.</summary>
    public Mass DeliveredAmount(RateSegment segment, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return DeliveredSegments(asOf).FirstOrDefault(d => d.Index == segment.Index) is { } delivered ? delivered.AmountUntil(asOf) : Mass.Zero;
    }

    /// <summary>Scheduled → pre-assessment.</summary>
    public Outcome BeginPreAssessment(UserId by, TimeProvider clock) => Move([SessionState.Scheduled], SessionState.PreAssessment, by, clock, null);

    /// <summary>
    /// Runs the pre-infusion checks: a vital-signs set and a pain NRS recorded during pre-assessment, valid
    /// off-label consent, a current eligibility assessment, not pregnant, a negative pregnancy test on the day when
    /// one is applicable, a weight inside the protocol's window, and the pre-session checklist
    /// (<see cref="PreSessionChecklistRules"/>). Refusal lists every hard finding; once passed, the checklist is kept
    /// with its findings, and those that need a physician's reason wait for the start.
    /// </summary>
    public Outcome CompletePreAssessment(PreAssessmentInput input, SessionSettings settings, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.PreAssessment)
        {
            return Refuse(SessionState.PreAssessment);
        }

        var missing = new List<Finding>();
        var pre = Observations.ActiveValues.ToList();
        if (!pre.Any(o => o.HasVitalSigns))
        {
            missing.Add(Finding.Refused(FindingCodes.PreVitalsMissing));
        }

        if (!pre.Any(o => o.PainNrs is not null))
        {
            missing.Add(Finding.Refused(FindingCodes.PrePainMissing));
        }

        if (input.Patient.Id != PatientId)
        {
            missing.Add(Finding.Refused(FindingCodes.PrePatientMismatch));
        }

        if (!input.Patient.HasValidOffLabelConsent(ScheduledFor))
        {
            missing.Add(Finding.Refused(FindingCodes.PreConsentMissing, DateArg(ScheduledFor)));
        }

        if (input.Eligibility is null)
        {
            missing.Add(Finding.Refused(FindingCodes.PreEligibilityMissing));
        }
        else
        {
            var current = input.Eligibility.IsCurrent(ScheduledFor, settings.EligibilityRuleSetVersion, settings.EligibilityValidDays, input.Review);
            if (!current.IsSuccess)
            {
                // The screening's own coded reason travels as the cause, so each reader gets it in their language.
                var cause = current.Findings.Single();
                missing.Add(Finding.Refused(FindingCodes.PreEligibilityNotCurrent, [FindingArg.Of("cause", cause.Code), .. cause.Args]));
            }
        }

        if (input.Patient.Pregnancy?.State == PregnancyState.Pregnant)
        {
            missing.Add(Finding.Of(FindingCodes.PrePregnant, FindingSeverity.HardStop, Source.Cohen2018));
        }

        ArgumentNullException.ThrowIfNull(input.Checklist);
        var checklist = PreSessionChecklistRules.Evaluate(input.Checklist, Protocol, input.Patient.PregnancyTestApplicable, ScheduledFor, clock.GetUtcNow());
        missing.AddRange(checklist.Where(f => f.Severity == FindingSeverity.HardStop && !missing.Contains(f)));

        // Checked on the chart as it is now, not only through the screening: an allergy recorded after an eligible
        // screening must stop the next session.
        if (input.Patient.KetamineAllergy is { } allergy)
        {
            missing.Add(Finding.Of(FindingCodes.PreKetamineAllergy, FindingSeverity.HardStop, Source.KetaminePreparationAllergy, FindingArg.Of("substance", allergy.Substance.Display)));
        }

        // Investigations the course needs must be on the chart, and a result recorded after the screening that needs a
        // physician's review sends the patient back to screening (the review cannot have seen it).
        foreach (var item in input.Monitoring.Where(m => m.Status != MonitoringStatus.Done))
        {
            missing.Add(item.DueOn is { } due
                ? Finding.Of(FindingCodes.PreInvestigationDue, FindingSeverity.HardStop, item.Source, FindingArg.Of("investigation", item.Kind.ToString()), DateArg(due))
                : Finding.Of(FindingCodes.PreInvestigationDue, FindingSeverity.HardStop, item.Source, FindingArg.Of("investigation", item.Kind.ToString())));
        }

        if (input.Eligibility is { } screened)
        {
            foreach (var f in InvestigationRules.Evaluate(input.Patient, input.Investigations, screened.AssessedOn).Where(f => f.Level == FindingLevel.Review))
            {
                missing.Add(Finding.Of(FindingCodes.PreInvestigationAbnormal, FindingSeverity.HardStop, f.Source, FindingArg.Of("rule", f.RuleId), FindingArg.Of("detail", f.Message)));
            }
        }

        var weight = PreSessionChecklistRules.DosingMeasurement(input.Patient, ScheduledFor, Protocol);
        if (!weight.IsSuccess)
        {
            missing.AddRange(weight.Findings.Any(f => f.Code == FindingCodes.WeightStale)
                ? weight.Findings
                : [Finding.Refused(FindingCodes.PreWeightMissing, [FindingArg.Of("cause", weight.Findings.Single().Code), .. weight.Findings.Single().Args])]);
        }

        var dosingWeight = weight.IsSuccess ? DosingWeights.For(Protocol.DosingWeight, input.Patient.CovariatesOn(ScheduledFor).Value) : Outcome<BodyWeight>.Ok(BodyWeight.FromKilograms(1));
        missing.AddRange(dosingWeight.Findings);

        if (missing.Count > 0)
        {
            return Refusal.Of(missing);
        }

        Checklist = input.Checklist;
        _checklistFindings = [.. checklist.Where(f => f.Severity != FindingSeverity.HardStop)];
        Weight = weight.Value;
        DosingWeightKg = dosingWeight.Value.Kilograms;
        PreAssessmentPassed = true;
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// Gives one dose of the protocol's order number <paramref name="orderIndex"/>: premedication once the pre-assessment
    /// passed and before the start, rescue from then until discharge. The dose and the session's total of the drug are
    /// checked against the drug library (<see cref="AncillaryDrugs.CheckDose"/>): above a hard limit refused, above a
    /// soft limit only with an active physician's reason, which is recorded. The interactions are checked again at the
    /// bedside: a sedative drug beside a sedative among <paramref name="medications"/> (the chart's current list) or the
    /// medications this session's pre-session checklist reported needs the same reason
    /// (<see cref="FindingCodes.OrderSedativeInteraction"/>), since either may have changed since prescribing.
    /// </summary>
    public Outcome GiveAncillary(int orderIndex, double doseMg, IReadOnlyList<AncillaryDrugEntry> library, IReadOnlyList<Medication> medications, PhysicianOverride? physicianOverride, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(medications);
        ArgumentNullException.ThrowIfNull(clock);
        var orders = Protocol.AncillaryOrders;
        if (orderIndex < 0 || orderIndex >= orders.Count)
        {
            return Refusal.Coded(FindingCodes.NotFound, FindingArg.Of("what", "order"), FindingArg.Of("id", orderIndex.ToString(CultureInfo.InvariantCulture)));
        }

        var order = orders[orderIndex];
        SessionState[] allowed = order.Purpose == OrderPurpose.Premedication
            ? [SessionState.PreAssessment]
            : [SessionState.PreAssessment, SessionState.Running, SessionState.Paused, SessionState.Completed, SessionState.StoppedEarly, SessionState.Recovery];
        if (!allowed.Contains(State))
        {
            return Refusal.Coded(FindingCodes.OrderState, FindingArg.Of("purpose", order.Purpose.ToString()), FindingArg.Of("state", State.ToString()));
        }

        if (!PreAssessmentPassed)
        {
            return Refusal.Coded(FindingCodes.PreAssessmentNotPassed);
        }

        if (library.FirstOrDefault(e => e.Drug == order.Drug) is not { } entry)
        {
            return Refusal.Coded(FindingCodes.OrderNotInLibrary, FindingArg.Of("drug", order.Drug.ToString()));
        }

        var given = AncillaryDoses.Where(d => d.Drug == order.Drug).Sum(d => d.DoseMg);
        var now = clock.GetUtcNow();
        var orderMaximum = AncillaryDrugs.CheckOrderMaximum(order, doseMg, given);
        if (orderMaximum.Count > 0)
        {
            return Refusal.Of(orderMaximum);
        }

        IEnumerable<Medication> current = [.. medications, .. Checklist?.NewMedications ?? []];
        var interactions = AncillaryDrugs.InteractionFindings(entry, current.DistinctBy(m => m.Name.Trim(), StringComparer.OrdinalIgnoreCase));
        var decided = Decide("ancillary", [.. AncillaryDrugs.CheckDose(entry, doseMg, order.Route, given), .. interactions], physicianOverride, now);
        if (!decided.IsSuccess)
        {
            return decided;
        }

        (_ancillaryDoses ??= []).Add(new AncillaryDose(orderIndex, order.Drug, order.Purpose, doseMg, order.Route, now, by));
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// Records the pump program computed for this session's dose and weight in pre-assessment, so that another user —
    /// on another device — can do the blind second check before the start. Programming again replaces the program and
    /// drops its check.
    /// </summary>
    public Outcome RecordPumpProgram(PumpProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (State != SessionState.PreAssessment)
        {
            return Refuse(SessionState.PreAssessment);
        }

        if (!PreAssessmentPassed)
        {
            return Refusal.Coded(FindingCodes.PreAssessmentNotPassed);
        }

        if (!Protocol.IsInfusion)
        {
            return Refusal.Coded(FindingCodes.SingleDoseProtocol, FindingArg.Of("protocol", Protocol.Name));
        }

        var matches = ProgramMatches(program);
        if (!matches.IsSuccess)
        {
            return matches;
        }

        Program = program;
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// The blind, independent second check (ISMP): the checker reads rate, VTBI, concentration and weight on the pump
    /// and label without seeing the program, and the session compares. Refused (nothing recorded) when the checker is
    /// the programmer or not an active nurse or physician. When a value differs the attempt is recorded with both
    /// values and the program is cleared, so the pump must be programmed again; the result lists the mismatches.
    /// </summary>
    public Outcome<SecondCheckAttempt> RecordSecondCheck(StaffMember checker, PumpReading reading, PumpSettings pump, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(checker);
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(pump);
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.PreAssessment)
        {
            return Refuse(SessionState.PreAssessment);
        }

        if (Program is null)
        {
            return Refusal.Coded(FindingCodes.ProgramMissing);
        }

        if (Program.Check is { } done)
        {
            return Refusal.Coded(FindingCodes.CheckAlreadyDone, FindingArg.Of("by", done.By.ToString()), FindingArg.Of("at", done.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        }

        if (checker.Id == Program.ProgrammedBy)
        {
            return Refusal.Coded(FindingCodes.CheckSameUser);
        }

        if (!checker.IsActiveClinician)
        {
            return Refusal.Coded(FindingCodes.CheckCheckerNotEligible, FindingArg.Of("checker", checker.Id.ToString()));
        }

        var mismatches = Program.Compare(reading, pump);
        var attempt = new SecondCheckAttempt(checker.Id, clock.GetUtcNow(), reading, mismatches);
        (_checkAttempts ??= []).Add(attempt);
        Program = mismatches.Count == 0 ? Program.WithCheck(new SecondCheck(checker.Id, attempt.At)) : null;
        Version++;
        return Outcome<SecondCheckAttempt>.Ok(attempt);
    }

    /// <summary>
    /// Pre-assessment → running for an infusion: needs passed checks, the recorded pump program for this session's dose
    /// with its independent second check, a dose authorisation run for exactly this program (no hard stop, soft limits
    /// overridden), and the vital-sign gate: a complete vitals set within the window, inside the hard thresholds, and
    /// inside the alert thresholds or overridden by a physician with a reason.
    /// </summary>
    public Outcome StartInfusion(DoseAuthorization authorization, PhysicianOverride? physicianOverride, SessionSettings settings, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        var ready = ReadyToGive(authorization);
        if (!ready.IsSuccess)
        {
            return ready;
        }

        if (!Protocol.IsInfusion)
        {
            return Refusal.Coded(FindingCodes.SingleDoseProtocol, FindingArg.Of("protocol", Protocol.Name));
        }

        if (Program is not { } program)
        {
            return Refusal.Coded(FindingCodes.ProgramMissing);
        }

        if (program.Check is null)
        {
            return Refusal.Coded(FindingCodes.ProgramNotChecked);
        }

        var matches = ProgramMatches(program);
        if (!matches.IsSuccess)
        {
            return matches;
        }

        var plan = authorization.Check.Plan;
        if (plan.Dose != program.BackCalculated || plan.VtbiMl != program.VtbiMl || plan.DoseWeight != program.Weight || plan.Preparation != program.Preparation)
        {
            return Refusal.Coded(FindingCodes.DoseCheckStale);
        }

        var now = clock.GetUtcNow();
        var gate = Gate("start", physicianOverride, settings, now);
        if (!gate.IsSuccess)
        {
            return gate;
        }

        Authorization = authorization;
        _segments.Add(new RateSegment(0, now, null, program.RateMlPerHour, program.Preparation.Concentration.MilligramsPerMilliliter, "start"));
        return Move([SessionState.PreAssessment], SessionState.Running, by, clock, null);
    }

    /// <summary>Pre-assessment → running for a single dose (IM, intranasal): the same gates as a start; records the amount for the session's weight.</summary>
    public Outcome GiveSingleDose(DoseAuthorization authorization, PhysicianOverride? physicianOverride, SessionSettings settings, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        var ready = ReadyToGive(authorization);
        if (!ready.IsSuccess)
        {
            return ready;
        }

        if (Protocol.IsInfusion)
        {
            return Refusal.Coded(FindingCodes.InfusionProtocol, FindingArg.Of("protocol", Protocol.Name));
        }

        var plan = authorization.Check.Plan;
        if (plan.Dose != PlannedDose || plan.DoseWeight != DosingWeight)
        {
            return Refusal.Coded(FindingCodes.DoseCheckStale);
        }

        var now = clock.GetUtcNow();
        var gate = Gate("start", physicianOverride, settings, now);
        if (!gate.IsSuccess)
        {
            return gate;
        }

        Authorization = authorization;
        _singleDoses.Add(new SingleDoseGiven(now, PlannedDose, PlannedDose.AmountFor(DosingWeight!.Value, null)));
        return Move([SessionState.PreAssessment], SessionState.Running, by, clock, null);
    }

    /// <summary>Running → paused; closes the running segment.</summary>
    public Outcome Pause(string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (RequireReason(reason, "reason") is { } missing)
        {
            return missing;
        }

        if (State != SessionState.Running)
        {
            return Refuse(SessionState.Paused);
        }

        if (_segments.Count == 0)
        {
            return Refusal.Coded(FindingCodes.SingleDoseProtocol, FindingArg.Of("protocol", Protocol.Name));
        }

        CloseSegment(clock.GetUtcNow());
        return Move([SessionState.Running], SessionState.Paused, by, clock, reason);
    }

    /// <summary>
    /// Paused → running at the last rate, or at a lower one; a new segment. Gated like a start (vitals within the
    /// window and inside the thresholds, or a physician's override), and refused while a stop-level alert is not
    /// acknowledged.
    /// </summary>
    public Outcome Resume(UserId by, TimeProvider clock, double? rateMlPerHour = null, PhysicianOverride? physicianOverride = null, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.Paused)
        {
            return Refuse(SessionState.Running);
        }

        if (UnacknowledgedStopAlerts is { Count: > 0 } open)
        {
            return Refusal.Coded(FindingCodes.GateUnacknowledgedAlert, FindingArg.Of("count", open.Count));
        }

        var last = _segments[^1];
        var rate = rateMlPerHour ?? last.RateMlPerHour;
        var allowed = CheckRate(rate);
        if (!allowed.IsSuccess)
        {
            return allowed;
        }

        var now = clock.GetUtcNow();
        var gate = Gate("resume", physicianOverride, settings ?? SessionSettings.Default, now);
        if (!gate.IsSuccess)
        {
            return gate;
        }

        _segments.Add(last with { Index = _segments.Count, Start = now, End = null, RateMlPerHour = rate, Reason = "resume" });
        return Move([SessionState.Paused], SessionState.Running, by, clock, null);
    }

    /// <summary>
    /// Changes the rate while running: closes the segment and opens a new one. Never above the checked program's rate,
    /// never below what the pump can deliver, and no increase while a stop-level alert is not acknowledged.
    /// </summary>
    public Outcome ChangeRate(double rateMlPerHour, string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.Running || _segments.Count == 0)
        {
            return Refuse(SessionState.Running);
        }

        if (RequireReason(reason, "reason") is { } missing)
        {
            return missing;
        }

        var allowed = CheckRate(rateMlPerHour);
        if (!allowed.IsSuccess)
        {
            return allowed;
        }

        if (rateMlPerHour > _segments[^1].RateMlPerHour && UnacknowledgedStopAlerts is { Count: > 0 } open)
        {
            return Refusal.Coded(FindingCodes.GateUnacknowledgedAlert, FindingArg.Of("count", open.Count));
        }

        var now = clock.GetUtcNow();
        CloseSegment(now);
        _segments.Add(_segments[^1] with { Index = _segments.Count, Start = now, End = null, RateMlPerHour = rateMlPerHour, Reason = "rate change: " + reason.Trim() });
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// Running → completed (given as planned). For an infusion the nurse records the volume the pump shows as infused;
    /// a difference from the computed volume above the tolerance is recorded as a warning finding with both volumes.
    /// </summary>
    public Outcome Complete(UserId by, TimeProvider clock, double? pumpVolumeMl = null, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.Running)
        {
            return Refuse(SessionState.Completed);
        }

        var now = clock.GetUtcNow();
        if (_segments.Count > 0)
        {
            var recorded = RecordPumpVolume(pumpVolumeMl, settings ?? SessionSettings.Default, now);
            if (!recorded.IsSuccess)
            {
                return recorded;
            }
        }

        CloseSegment(now);
        return Move([SessionState.Running], SessionState.Completed, by, clock, null);
    }

    /// <summary>Running or paused → stopped early, with a reason; the pump volume may be recorded as at completion.</summary>
    public Outcome StopEarly(string reason, UserId by, TimeProvider clock, double? pumpVolumeMl = null, SessionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (RequireReason(reason, "reason") is { } missing)
        {
            return missing;
        }

        if (State is not (SessionState.Running or SessionState.Paused))
        {
            return Refuse(SessionState.StoppedEarly);
        }

        var now = clock.GetUtcNow();
        if (pumpVolumeMl is not null && _segments.Count > 0)
        {
            var recorded = RecordPumpVolume(pumpVolumeMl, settings ?? SessionSettings.Default, now);
            if (!recorded.IsSuccess)
            {
                return recorded;
            }
        }

        CloseSegment(now);
        return Move([SessionState.Running, SessionState.Paused], SessionState.StoppedEarly, by, clock, reason);
    }

    /// <summary>Completed or stopped early → recovery.</summary>
    public Outcome BeginRecovery(UserId by, TimeProvider clock) =>
        Move([SessionState.Completed, SessionState.StoppedEarly], SessionState.Recovery, by, clock, null);

    /// <summary>
    /// What stands between the patient and going home at <paramref name="now"/>: the minimum observation time after the
    /// end of the drug, a complete vitals set recorded after the end and inside the thresholds, the modified Aldrete
    /// (from its five items) at or above 9, an escort, and the predicted effect-site concentration below the clinic's
    /// threshold. Empty when ready. Pure.
    /// </summary>
    public IReadOnlyList<Finding> DischargeFindings(AldreteScore? aldrete, bool escortPresent, RecoveryPrediction prediction, SessionSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(settings);
        var findings = new List<Finding>();
        var end = DrugEndedAt ?? _singleDoses.Select(d => (DateTimeOffset?)d.At).Max() ?? now;
        var required = MinimumObservation(settings);
        var elapsed = now - end;
        if (elapsed < required)
        {
            findings.Add(Finding.Of(FindingCodes.DischargeObservationTime, FindingSeverity.NeedsOverride, settings.Source,
                FindingArg.Of("elapsed", Math.Floor(elapsed.TotalMinutes), "min"), FindingArg.Of("required", required.TotalMinutes, "min"), TimeArg("readyAt", end + required)));
        }

        var recovery = Observations.ActiveValues.Where(o => o.At >= end).ToList();
        if (!recovery.Any(VitalGate.IsCompleteSet))
        {
            findings.Add(Finding.Refused(FindingCodes.DischargeRecoveryVitalsMissing) with { Severity = FindingSeverity.NeedsOverride });
        }
        else
        {
            findings.AddRange(VitalGate.Evaluate(recovery, settings.Alerts, TimeSpan.FromDays(1), now, end));
        }

        if (aldrete is null || !aldrete.AllowsDischarge)
        {
            findings.Add(Finding.Of(FindingCodes.DischargeAldreteLow, FindingSeverity.NeedsOverride, Source.AldreteScale,
                FindingArg.Of("total", aldrete?.Total ?? 0), FindingArg.Of("threshold", AldreteScore.DischargeThreshold)));
        }

        if (!escortPresent)
        {
            findings.Add(Finding.Refused(FindingCodes.DischargeEscortMissing) with { Severity = FindingSeverity.NeedsOverride });
        }

        if (prediction.Unavailable is { } why)
        {
            findings.Add(Finding.Refused(FindingCodes.DischargePredictionUnavailable, FindingArg.Of("detail", why)) with { Severity = FindingSeverity.NeedsOverride });
        }
        else if (!prediction.IsBelowThreshold)
        {
            var args = new List<FindingArg> { FindingArg.Of("value", prediction.NowNgPerMl ?? 0, "ng/mL"), FindingArg.Of("limit", prediction.ThresholdNgPerMl, "ng/mL") };
            if (prediction.ReadyAt is { } readyAt)
            {
                args.Add(TimeArg("readyAt", readyAt));
            }

            findings.Add(new Finding(FindingCodes.DischargeEffectSiteHigh, FindingSeverity.NeedsOverride, args, settings.Source));
        }

        return findings;
    }

    /// <summary>
    /// Recovery → discharged when <see cref="DischargeFindings"/> is empty; findings that need an override pass only with a
    /// physician's override and reason (recorded); a hard stop (a vital sign past its hard threshold) never passes.
    /// </summary>
    public Outcome Discharge(AldreteScore aldrete, bool escortPresent, RecoveryPrediction prediction, PhysicianOverride? physicianOverride, SessionSettings settings, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(aldrete);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        if (State != SessionState.Recovery)
        {
            return Refuse(SessionState.Discharged);
        }

        var now = clock.GetUtcNow();
        var decided = Decide("discharge", DischargeFindings(aldrete, escortPresent, prediction, settings, now), physicianOverride, now);
        if (!decided.IsSuccess)
        {
            return decided;
        }

        DischargeAldrete = aldrete;
        DischargeEffectSiteNgPerMl = prediction.NowNgPerMl;
        return Move([SessionState.Recovery], SessionState.Discharged, by, clock, null);
    }

    /// <summary>Acknowledges an alert (by its index in <see cref="Alerts"/>) with the action taken; refused for an unknown or already acknowledged alert.</summary>
    public Outcome AcknowledgeAlert(int alertIndex, string actionTaken, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (RequireReason(actionTaken, "actionTaken") is { } missing)
        {
            return missing;
        }

        if (alertIndex < 0 || alertIndex >= _alerts.Count || Acknowledgements.Any(a => a.AlertIndex == alertIndex))
        {
            return Refusal.Coded(FindingCodes.AlertNotOpen, FindingArg.Of("alert", alertIndex));
        }

        (_acknowledgements ??= []).Add(new AlertAcknowledgement(alertIndex, actionTaken.Trim(), by, clock.GetUtcNow()));
        Version++;
        return Outcome.Ok();
    }

    /// <summary>Scheduled or pre-assessment → cancelled, with a reason (no drug given).</summary>
    public Outcome Cancel(string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return RequireReason(reason, "reason") is { } missing
            ? missing
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
            return Refuse(State);
        }

        var now = clock.GetUtcNow();
        var earliest = new DateTimeOffset(ScheduledFor.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1);
        if (observation.At > now || observation.At < earliest)
        {
            // Neither in the future nor before the session's day (a slip of the year or the date would chart it elsewhere).
            return Refusal.Coded(FindingCodes.ObservationTimeOutOfRange, TimeArg("earliest", earliest), TimeArg("latest", now));
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
            return r.Refusal;
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
            return Refusal.NotFound("adverse event", id);
        }

        var old = current.Value;
        var updated = AdverseEvent.Create(Id, old.SegmentIndex, old.Type, grade, serious, action, outcome, old.OnsetAt, old.Description);
        if (!updated.IsSuccess)
        {
            return updated.Refusal;
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
            return Refuse(State);
        }

        var ae = AdverseEvent.Create(Id, SegmentAt(onsetAt), type, grade, serious, action, outcome, onsetAt, description);
        if (!ae.IsSuccess)
        {
            return ae.Refusal;
        }

        var entry = AdverseEvents.Add(ae.Value, clock.GetUtcNow(), by);
        Version++;
        return Outcome<ChartEntry<AdverseEvent>>.Ok(entry);
    }

    /// <summary>The index of the segment running at <paramref name="at"/>, or null.</summary>
    public int? SegmentAt(DateTimeOffset at) =>
        _segments.LastOrDefault(s => s.Start <= at && (s.End is null || at < s.End))?.Index;

    /// <summary>The vitals window in force: the protocol's, else the clinic's.</summary>
    public TimeSpan VitalsWindow(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return TimeSpan.FromMinutes(Protocol.VitalsWindowMinutes ?? settings.VitalsWindowMinutes);
    }

    /// <summary>The minimum observation after the drug: the protocol's, else the clinic's (2 h for intranasal protocols).</summary>
    public TimeSpan MinimumObservation(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.MinimumObservation(Protocol);
    }

    /// <summary>The findings of the vital-sign gate at <paramref name="now"/> (what a start or resume would need).</summary>
    public IReadOnlyList<Finding> GateFindings(SessionSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return VitalGate.Evaluate(Observations.ActiveValues, settings.Alerts, VitalsWindow(settings), now);
    }

    private static FindingArg DateArg(DateOnly date) => FindingArg.Of("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static FindingArg TimeArg(string name, DateTimeOffset at) => FindingArg.Of(name, at.ToString("O", CultureInfo.InvariantCulture));

    private static Refusal? RequireReason(string? reason, string field) =>
        string.IsNullOrWhiteSpace(reason) || reason.Length > PhysicianOverride.MaxReasonLength
            ? Refusal.Coded(FindingCodes.ReasonRequired, FindingArg.Of("field", field), FindingArg.Of("max", PhysicianOverride.MaxReasonLength))
            : null;

    private bool IsActive(RaisedAlert alert) => Observations.Active.Any(e => e.Id == alert.Observation && e.Revision == alert.Revision);

    /// <summary>What the start is gated on: <see cref="GateFindings"/> and the checklist's findings (<see cref="ChecklistFindings"/>).</summary>
    public IReadOnlyList<Finding> StartFindings(SessionSettings settings, DateTimeOffset now) => [.. GateFindings(settings, now), .. ChecklistFindings];

    private Outcome Gate(string step, PhysicianOverride? physicianOverride, SessionSettings settings, DateTimeOffset now) =>
        Decide(step, step == "start" ? StartFindings(settings, now) : GateFindings(settings, now), physicianOverride, now);

    /// <summary>
    /// Hard stops refuse; findings that need an override pass only with an active physician's override and a reason,
    /// which is recorded; warnings and info pass.
    /// </summary>
    private Outcome Decide(string step, IReadOnlyList<Finding> findings, PhysicianOverride? physicianOverride, DateTimeOffset now)
    {
        var hard = findings.Where(f => f.Severity == FindingSeverity.HardStop).ToList();
        if (hard.Count > 0)
        {
            return Refusal.Of(hard);
        }

        var needs = findings.Where(f => f.Severity == FindingSeverity.NeedsOverride).ToList();
        if (needs.Count == 0)
        {
            return Outcome.Ok();
        }

        if (physicianOverride is null)
        {
            return Refusal.Of(needs);
        }

        if (!physicianOverride.Physician.IsActivePhysician)
        {
            return Refusal.Of([Finding.Refused(FindingCodes.RoleRequired, FindingArg.Of("role", Users.ClinicRoles.Physician)), .. needs]);
        }

        if (RequireReason(physicianOverride.Reason, "overrideReason") is { } missing)
        {
            return missing;
        }

        (_overrides ??= []).Add(new SafetyOverride(step, [.. needs.Select(f => f.Code)], physicianOverride.Reason.Trim(), physicianOverride.Physician.Id, now));
        return Outcome.Ok();
    }

    private Outcome ProgramMatches(PumpProgram program)
    {
        if (program.Prescribed != PlannedDose)
        {
            return Refusal.Coded(FindingCodes.ProgramDoseMismatch, FindingArg.Of("programmed", program.Prescribed.ToString()), FindingArg.Of("planned", PlannedDose.ToString()));
        }

        return program.Weight != DosingWeight
            ? Refusal.Coded(FindingCodes.ProgramWeightMismatch, FindingArg.Of("programmed", program.Weight.Kilograms, "kg"), FindingArg.Of("session", DosingWeight!.Value.Kilograms, "kg"))
            : Outcome.Ok();
    }

    private Outcome RecordPumpVolume(double? pumpVolumeMl, SessionSettings settings, DateTimeOffset now)
    {
        var container = Program?.Preparation.ContainerVolume.Milliliters ?? PumpProgram.MaxVolumeMl;
        if (pumpVolumeMl is not { } read || !double.IsFinite(read) || read < 0 || read > container)
        {
            var value = pumpVolumeMl is { } v && double.IsFinite(v) ? FindingArg.Of("value", v, "mL") : FindingArg.Of("value", "—");
            return Refusal.Coded(FindingCodes.PumpVolumeOutOfRange, value, FindingArg.Of("max", container, "mL"));
        }

        var computed = Account(now).VolumeMl;
        var tolerance = Math.Max(settings.PumpVolumeToleranceMl, computed * settings.PumpVolumeTolerancePercent / 100);
        if (Math.Abs(read - computed) > tolerance)
        {
            (_recordFindings ??= []).Add(Finding.Of(FindingCodes.PumpVolumeDifference, FindingSeverity.Warning, settings.Source,
                FindingArg.Of("pump", read, "mL"), FindingArg.Of("computed", Math.Round(computed, 2), "mL"), FindingArg.Of("tolerance", Math.Round(tolerance, 2), "mL")));
        }

        PumpVolumeMl = read;
        return Outcome.Ok();
    }

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
            return Refusal.Coded(FindingCodes.PreAssessmentNotPassed);
        }

        return authorization.Check.HasHardStop
            ? Refusal.Of(authorization.Check.Findings.Where(f => f.Severity == LimitSeverity.Hard).Select(f => f.ToFinding()))
            : Outcome.Ok();
    }

    private Outcome CheckRate(double rateMlPerHour)
    {
        var min = PumpSettings.Default.RateIncrementMlPerHour;
        var max = Program?.RateMlPerHour ?? PumpProgram.MaxRateMlPerHour;
        if (!double.IsFinite(rateMlPerHour) || rateMlPerHour < min * (1 - 1e-9))
        {
            return Refusal.Coded(FindingCodes.RateOutOfRange, FindingArg.Of("value", double.IsFinite(rateMlPerHour) ? rateMlPerHour : 0, "mL/h"), FindingArg.Of("min", min, "mL/h"), FindingArg.Of("max", max, "mL/h"));
        }

        return rateMlPerHour > max * (1 + 1e-9)
            ? Refusal.Coded(FindingCodes.RateAboveProgram, FindingArg.Of("value", rateMlPerHour, "mL/h"), FindingArg.Of("limit", max, "mL/h"))
            : Outcome.Ok();
    }

    private void CloseSegment(DateTimeOffset at)
    {
        if (_segments.Count > 0 && _segments[^1].End is null)
        {
            _segments[^1] = _segments[^1] with { End = at };
        }
    }

    private Refusal Refuse(SessionState to) => Refusal.Coded(FindingCodes.SessionState, FindingArg.Of("from", State.ToString()), FindingArg.Of("to", to.ToString()));

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
