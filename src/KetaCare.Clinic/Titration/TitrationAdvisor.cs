using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Titration;

/// <summary>What one past session tells the advisor.</summary>
/// <param name="Session">Session id.</param>
/// <param name="Dose">Dose level given.</param>
/// <param name="PainBefore">First pain NRS of the session (pre-assessment), if recorded.</param>
/// <param name="PainAfter">Last pain NRS of the session, if recorded.</param>
/// <param name="MaxAdverseEventGrade">Highest CTCAE grade of its active adverse events (0 when none).</param>
/// <param name="SeriousAdverseEvent">True when any adverse event was serious.</param>
/// <param name="PauseAlerts">Alerts suggesting a pause.</param>
/// <param name="StopAlerts">Alerts suggesting a stop.</param>
/// <param name="StoppedEarly">True when the infusion was stopped early.</param>
public sealed record SessionSummary(SessionId Session, DoseLevel Dose, int? PainBefore, int? PainAfter, int MaxAdverseEventGrade, bool SeriousAdverseEvent, int PauseAlerts, int StopAlerts, bool StoppedEarly)
{
    /// <summary>Summarises a session from its active observations, adverse events, active alerts and transitions.</summary>
    public static SessionSummary From(InfusionSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var pain = session.Observations.ActiveValues.Where(o => o.PainNrs is not null).OrderBy(o => o.At).ToList();
        var aes = session.AdverseEvents.ActiveValues.ToList();
        return new SessionSummary(
            session.Id,
            session.PlannedDose,
            pain.FirstOrDefault()?.PainNrs,
            pain.Count > 1 ? pain[^1].PainNrs : null,
            aes.Count == 0 ? 0 : aes.Max(a => a.Grade),
            aes.Any(a => a.Serious),
            session.ActiveAlerts.Count(a => a.Alert.Action == SuggestedAction.Pause),
            session.ActiveAlerts.Count(a => a.Alert.Action == SuggestedAction.Stop),
            session.Transitions.Any(t => t.To == SessionState.StoppedEarly));
    }
}

/// <summary>What the advisor proposes.</summary>
public enum TitrationAction
{
    /// <summary>First session: the protocol's start dose.</summary>
    Start,

    /// <summary>One step up.</summary>
    Increase,

    /// <summary>Same dose.</summary>
    Hold,

    /// <summary>One step down.</summary>
    Decrease,

    /// <summary>Stop the course; a physician decides how to go on.</summary>
    StopCourse,

    /// <summary>All sessions of the protocol are done.</summary>
    CourseComplete,
}

/// <summary>The advisor's proposal, with its reasons. <see cref="NextDose"/> is never above the ceiling or a hard limit.</summary>
/// <param name="Action">What to do.</param>
/// <param name="NextDose">Proposed dose for the next session; null when the course should stop or is complete.</param>
/// <param name="MaximumDose">The lower of the protocol ceiling and the hard limits.</param>
/// <param name="Findings">Why, in order of the rules that fired: coded reasons (severity info) that faces translate.</param>
/// <param name="Source">Where the rules come from.</param>
public sealed record TitrationProposal(TitrationAction Action, DoseLevel? NextDose, DoseLevel MaximumDose, IReadOnlyList<Finding> Findings, Source Source)
{
    // Proposals stored before reasons were coded have no findings: the document restores the field as null.
    private readonly IReadOnlyList<Finding>? _findings = Findings;

    /// <summary>Why, in order of the rules that fired; empty on proposals stored before reasons were coded (see <see cref="Reasons"/>).</summary>
    public IReadOnlyList<Finding> Findings
    {
        get => _findings ?? [];
        init => _findings = value;
    }

    /// <summary>
    /// The English sentences of proposals stored before reasons were coded, shown as they were written; empty on
    /// proposals made since.
    /// </summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];
}

/// <summary>
/// Proposes the next session's dose from the last session's response and tolerability. Pure and deterministic.
/// Rules, first match wins: stop at a serious or high-grade adverse event; step down after a severe adverse
/// event, a stop alert or an early stop; hold after a moderate adverse event or a pause alert; hold once the pain
/// reduction reaches the protocol's hold threshold (minimum effective dose); otherwise step up to the maximum.
/// </summary>
public static class TitrationAdvisor
{
    /// <summary>Proposes the next dose.</summary>
    /// <param name="protocol">The plan's protocol (start, step, ceiling, titration rules).</param>
    /// <param name="limits">The drug library's limits for the protocol.</param>
    /// <param name="weight">The patient's current weight (for absolute mg/h limits).</param>
    /// <param name="current">The plan's current dose.</param>
    /// <param name="history">Past sessions, oldest first.</param>
    /// <param name="baselineNrs">Baseline pain NRS; when null, the first session's pre-assessment NRS.</param>
    /// <param name="betweenSessionsNrs">
    /// The latest pain score since the last session ended (a follow-up, or the next session's pre-infusion score): the
    /// relief that lasted. When null, the last session's own pre-infusion score. A score taken during or right after an
    /// infusion is never used: it measures the acute drug effect, not the relief the course aims at.
    /// </param>
    public static TitrationProposal Propose(Protocol protocol, DoseLimits limits, BodyWeight weight, DoseLevel current, IReadOnlyList<SessionSummary> history, int? baselineNrs = null, int? betweenSessionsNrs = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(history);
        var rules = protocol.Titration;
        var max = Maximum(protocol, limits, weight);
        var reasons = new List<Finding>();
        void Add(string code, params FindingArg[] args) => reasons.Add(Finding.Of(code, FindingSeverity.Info, rules.Source, args));
        TitrationProposal Make(TitrationAction a, DoseLevel? dose) =>
            new(a, dose is { } d ? DoseLevel.Min(d, max) : null, max, reasons, rules.Source);

        if (history.Count == 0)
        {
            Add(FindingCodes.TitrationFirstSession, DoseArg("dose", protocol.Start));
            return Make(TitrationAction.Start, protocol.Start);
        }

        if (history.Count >= protocol.NumberOfSessions)
        {
            Add(FindingCodes.TitrationCourseComplete, FindingArg.Of("done", history.Count), FindingArg.Of("total", protocol.NumberOfSessions));
            return Make(TitrationAction.CourseComplete, null);
        }

        var last = history[^1];
        if (last.SeriousAdverseEvent || last.MaxAdverseEventGrade >= rules.StopAtAdverseEventGrade)
        {
            if (last.SeriousAdverseEvent)
            {
                Add(FindingCodes.TitrationSeriousAdverseEvent);
            }
            else
            {
                Add(FindingCodes.TitrationAdverseEvent, FindingArg.Of("grade", last.MaxAdverseEventGrade));
            }

            Add(FindingCodes.TitrationStopCourse);
            return Make(TitrationAction.StopCourse, null);
        }

        if (last.MaxAdverseEventGrade >= rules.ReduceAtAdverseEventGrade || last.StopAlerts > 0 || last.StoppedEarly)
        {
            reasons.AddRange(Describe(last, rules.Source));
            if (protocol.Step.Value <= 0)
            {
                return Hold(FindingCodes.TitrationHoldNoStep);
            }

            var lower = current.Minus(protocol.Step);
            if (lower.Value <= 0)
            {
                Add(FindingCodes.TitrationNoLowerStep, DoseArg("dose", current));
                return Make(TitrationAction.StopCourse, null);
            }

            Add(FindingCodes.TitrationStepDown, DoseArg("dose", lower));
            return Make(TitrationAction.Decrease, lower);
        }

        if (last.MaxAdverseEventGrade >= rules.HoldAtAdverseEventGrade || last.PauseAlerts > 0)
        {
            reasons.AddRange(Describe(last, rules.Source));
            return Hold(FindingCodes.TitrationHold);
        }

        var baseline = baselineNrs ?? history[0].PainBefore;
        var now = betweenSessionsNrs ?? last.PainBefore;
        if (Outcomes.OutcomesMath.PercentReduction(baseline, now) is { } reduction && reduction >= rules.HoldAtReductionPercent)
        {
            Add(FindingCodes.TitrationHoldAtReduction, FindingArg.Of("reduction", Math.Round(reduction, 1), "%"), FindingArg.Of("baseline", baseline!.Value),
                FindingArg.Of("now", now!.Value), FindingArg.Of("threshold", rules.HoldAtReductionPercent, "%"));
            return Make(TitrationAction.Hold, current);
        }

        if (current >= max)
        {
            Add(FindingCodes.TitrationHoldAtMaximum, DoseArg("dose", current), DoseArg("max", max));
            return Make(TitrationAction.Hold, current);
        }

        var next = DoseLevel.Min(current.Plus(protocol.Step), max);
        if (next <= current)
        {
            return Hold(FindingCodes.TitrationHoldNoStep);
        }

        Add(FindingCodes.TitrationStepUp, DoseArg("dose", next), DoseArg("max", max));
        return Make(TitrationAction.Increase, next);

        TitrationProposal Hold(string code)
        {
            Add(code, DoseArg("dose", current));
            return Make(TitrationAction.Hold, current);
        }
    }

    /// <summary>The lower of the protocol ceiling and the hard limits in the protocol's unit (mg/h limits converted with the weight).</summary>
    public static DoseLevel Maximum(Protocol protocol, DoseLimits limits, BodyWeight weight)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(limits);
        var max = protocol.Ceiling.Value;
        switch (protocol.Ceiling.Basis)
        {
            case DoseBasis.MgPerKgPerHour:
                max = Math.Min(max, limits.HardMgPerKgPerHour?.Value ?? double.MaxValue);
                max = Math.Min(max, (limits.HardMgPerHour?.Value ?? double.MaxValue) / weight.Kilograms);
                return DoseLevel.MgPerKgPerHour(max);
            case DoseBasis.MgPerKg:
                return DoseLevel.MgPerKg(Math.Min(max, limits.HardBolusMgPerKg?.Value ?? double.MaxValue));
            default:
                return DoseLevel.Milligrams(Math.Min(max, limits.HardSingleDoseMg?.Value ?? double.MaxValue));
        }
    }

    // What the last session showed that made the advisor step down or hold: one finding per observation.
    private static IEnumerable<Finding> Describe(SessionSummary s, Source source)
    {
        if (s.MaxAdverseEventGrade > 0)
        {
            yield return Finding.Of(FindingCodes.TitrationAdverseEvent, FindingSeverity.Info, source, FindingArg.Of("grade", s.MaxAdverseEventGrade));
        }

        if (s.StopAlerts > 0)
        {
            yield return Finding.Of(FindingCodes.TitrationStopAlerts, FindingSeverity.Info, source, FindingArg.Of("count", s.StopAlerts));
        }

        if (s.PauseAlerts > 0)
        {
            yield return Finding.Of(FindingCodes.TitrationPauseAlerts, FindingSeverity.Info, source, FindingArg.Of("count", s.PauseAlerts));
        }

        if (s.StoppedEarly)
        {
            yield return Finding.Of(FindingCodes.TitrationStoppedEarly, FindingSeverity.Info, source);
        }
    }

    private static FindingArg DoseArg(string name, DoseLevel dose) => FindingArg.Of(name, dose.Value, Plans.TreatmentPlan.UnitOf(dose));
}

/// <summary>A physician's decision on a proposal: accepted, or overridden with a reason.</summary>
/// <param name="Proposal">The proposal.</param>
/// <param name="Dose">The dose chosen; null when the course stops.</param>
/// <param name="Overridden">True when the physician chose differently.</param>
/// <param name="Reason">The override reason; null when accepted.</param>
/// <param name="By">The physician.</param>
/// <param name="At">When (UTC).</param>
public sealed record TitrationDecision(TitrationProposal Proposal, DoseLevel? Dose, bool Overridden, string? Reason, UserId By, DateTimeOffset At)
{
    /// <summary>Accepts the proposal as it is.</summary>
    public static TitrationDecision Accept(TitrationProposal proposal, UserId physician, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(clock);
        return new(proposal, proposal.NextDose, false, null, physician, clock.GetUtcNow());
    }

    /// <summary>Overrides the proposal; refused without a reason, in another unit, or above the maximum (ceiling or hard limit).</summary>
    public static Outcome<TitrationDecision> Override(TitrationProposal proposal, DoseLevel dose, string reason, UserId physician, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(clock);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: overriding the titration proposal needs a reason.", [Finding.Refused(FindingCodes.TitrationOverrideReasonMissing, FindingArg.Of("field", "reason"))]);
        }

        if (!dose.SameBasis(proposal.MaximumDose))
        {
            return new Refusal(
                $"dose: {dose} is not in the protocol's unit ({proposal.MaximumDose}).",
                [Finding.Refused(FindingCodes.TitrationOverrideUnit, FindingArg.Of("field", "dose"), dose.Arg("value"), proposal.MaximumDose.Arg("max"))]);
        }

        if (dose > proposal.MaximumDose)
        {
            return new Refusal(
                $"dose: {dose} is above the maximum {proposal.MaximumDose} (protocol ceiling or hard limit); it cannot be overridden.",
                [Finding.Refused(FindingCodes.TitrationOverrideAboveMaximum, FindingArg.Of("field", "dose"), dose.Arg("value"), proposal.MaximumDose.Arg("max"))]);
        }

        return Outcome<TitrationDecision>.Ok(new(proposal, dose, true, reason.Trim(), physician, clock.GetUtcNow()));
    }
}
