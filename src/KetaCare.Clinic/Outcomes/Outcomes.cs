using System.Globalization;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Outcomes;

/// <summary>Small pure functions on pain scores.</summary>
public static class OutcomesMath
{
    /// <summary>IMMPACT "moderately important" reduction, % (Dworkin 2008).</summary>
    public const double ModerateReductionPercent = 30;

    /// <summary>IMMPACT "substantial" reduction, % (Dworkin 2008).</summary>
    public const double SubstantialReductionPercent = 50;

    /// <summary>Percent reduction from baseline: 100 × (baseline − current) / baseline; null when either is missing or the baseline is 0.</summary>
    public static double? PercentReduction(int? baseline, int? current) =>
        baseline is { } b && current is { } c && b > 0 ? 100.0 * (b - c) / b : null;
}

/// <summary>Responder status against baseline (IMMPACT, clinical-reference: Scales and codes (dworkin2008)).</summary>
/// <param name="Baseline">Baseline NRS.</param>
/// <param name="Current">Current NRS.</param>
/// <param name="ReductionPercent">Reduction from baseline, %; null when the baseline is 0.</param>
public sealed record ResponderStatus(int Baseline, int Current, double? ReductionPercent)
{
    /// <summary>≥ 30 % reduction: moderately important (exactly 30 % counts).</summary>
    public bool Moderate => ReductionPercent >= OutcomesMath.ModerateReductionPercent;

    /// <summary>≥ 50 % reduction: substantial (exactly 50 % counts).</summary>
    public bool Substantial => ReductionPercent >= OutcomesMath.SubstantialReductionPercent;

    /// <summary>Which scores were compared, when the status was computed over a course; null for a bare classification.</summary>
    public ResponderBasis? Basis { get; init; }

    /// <summary>Source of the thresholds.</summary>
    public static Source Source => Source.Immpact;

    /// <summary>Classifies a current score against a baseline; both 0–10.</summary>
    public static Outcome<ResponderStatus> Classify(int baseline, int current)
    {
        foreach (var (name, v) in new[] { ("baseline NRS", baseline), ("current NRS", current) })
        {
            if (v is < 0 or > 10)
            {
                return Refusal.OutOfRange(name, v, 0, 10);
            }
        }

        return Outcome<ResponderStatus>.Ok(new(baseline, current, OutcomesMath.PercentReduction(baseline, current)));
    }
}

/// <summary>Where a pain score used for responder status comes from.</summary>
public enum PainScoreKind
{
    /// <summary>The score taken before an infusion started (the pre-assessment).</summary>
    PreInfusion,

    /// <summary>A score recorded between sessions or after the course (telephone or clinic follow-up).</summary>
    FollowUp,
}

/// <summary>
/// The scores a course's responder status compares: the pre-course baseline (the pre-infusion score of the first
/// session) and the latest sustained score (a follow-up, or a later session's pre-infusion score). A score taken during
/// or right after an infusion is never used: it measures the acute drug effect, not the relief the course aims at.
/// </summary>
/// <param name="BaselineAt">When the baseline score was taken.</param>
/// <param name="CurrentAt">When the compared score was taken.</param>
/// <param name="CurrentKind">What the compared score is.</param>
/// <param name="CurrentSource">Who gave the compared score: staff, or the patient in the portal's pain diary.</param>
public sealed record ResponderBasis(DateTimeOffset BaselineAt, DateTimeOffset CurrentAt, PainScoreKind CurrentKind, ReportSource CurrentSource = ReportSource.Staff);

/// <summary>Brief Pain Inventory short form: severity = mean of worst/least/average/now; interference = mean of 7 items (clinical-reference: Scales and codes (cleeland1994)).</summary>
public sealed record BpiShortForm
{
    private BpiShortForm(int[] severity, int[] interference)
    {
        SeverityItems = severity;
        InterferenceItems = interference;
    }

    /// <summary>Worst, least, average, now (0–10).</summary>
    public IReadOnlyList<int> SeverityItems { get; }

    /// <summary>General activity, mood, walking, work, relations, sleep, enjoyment of life (0–10).</summary>
    public IReadOnlyList<int> InterferenceItems { get; }

    /// <summary>Severity score, 0–10.</summary>
    public double Severity => SeverityItems.Average();

    /// <summary>Interference score, 0–10.</summary>
    public double Interference => InterferenceItems.Average();

    /// <summary>Creates a form; every item 0–10, four severity items and seven interference items.</summary>
    public static Outcome<BpiShortForm> Create(int worst, int least, int average, int now, IReadOnlyList<int> interference)
    {
        ArgumentNullException.ThrowIfNull(interference);
        if (interference.Count != 7)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"BPI interference: {interference.Count} items given; exactly 7 are required."),
                [Finding.Refused(FindingCodes.OutcomeBpiItemCount, FindingArg.Of("field", "BPI interference"), FindingArg.Of("count", interference.Count), FindingArg.Of("required", 7))]);
        }

        int[] severity = [worst, least, average, now];
        string[] names = ["worst", "least", "average", "now"];
        for (var i = 0; i < 4; i++)
        {
            if (severity[i] is < 0 or > 10)
            {
                return Refusal.OutOfRange("BPI " + names[i], severity[i], 0, 10);
            }
        }

        for (var i = 0; i < 7; i++)
        {
            if (interference[i] is < 0 or > 10)
            {
                return Refusal.OutOfRange(string.Create(CultureInfo.InvariantCulture, $"BPI interference item {i + 1}"), interference[i], 0, 10);
            }
        }

        return Outcome<BpiShortForm>.Ok(new BpiShortForm(severity, [.. interference]));
    }
}

/// <summary>Patient Global Impression of Change: 1 very much improved … 7 very much worse (clinical-reference: Scales and codes (scales)).</summary>
public readonly record struct Pgic
{
    private Pgic(int value) => Value = value;

    /// <summary>Score 1–7.</summary>
    public int Value { get; }

    /// <summary>Responder = 1 or 2 (much or very much improved).</summary>
    public bool IsResponder => Value is 1 or 2;

    /// <summary>Creates a score; refused outside 1–7.</summary>
    public static Outcome<Pgic> Create(int value) => value is < 1 or > 7
        ? Refusal.OutOfRange("PGIC", value, 1, 7)
        : Outcome<Pgic>.Ok(new Pgic(value));
}

/// <summary>A pain score at a time, from a session or a follow-up.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Nrs">NRS 0–10.</param>
/// <param name="Session">The session it was recorded in, or null for a follow-up.</param>
public sealed record PainPoint(DateTimeOffset At, int Nrs, SessionId? Session)
{
    /// <summary>Who gave the score: staff (every session score) or the patient (a diary entry).</summary>
    public ReportSource Source { get; init; }
}

/// <summary>Pain and dose of one session.</summary>
/// <param name="Session">Session id.</param>
/// <param name="Date">Session date.</param>
/// <param name="Before">First pain NRS of the session, if recorded.</param>
/// <param name="After">Last pain NRS of the session (when more than one was recorded).</param>
/// <param name="DoseGiven">Drug given, computed from the rate segments and single doses.</param>
public sealed record SessionPain(SessionId Session, DateOnly Date, int? Before, int? After, Mass DoseGiven)
{
    /// <summary>Reduction within the session, %.</summary>
    public double? ReductionPercent => OutcomesMath.PercentReduction(Before, After);
}

/// <summary>An observed score beside the model's prediction.</summary>
/// <param name="At">When.</param>
/// <param name="ObservedReductionPercent">Observed reduction from baseline, %.</param>
/// <param name="PredictedFractionOfMaxEffect">Predicted fraction of the maximal relief effect, 0–1 (Dahan 2011 model; not an NRS reduction).</param>
public sealed record ReliefComparison(DateTimeOffset At, double? ObservedReductionPercent, double PredictedFractionOfMaxEffect);

/// <summary>Course-level outcome analysis. Pure apart from the engine's deterministic simulation.</summary>
public static class OutcomeAnalysis
{
    /// <summary>All active pain NRS scores of the sessions, plus follow-up scores, in time order.</summary>
    public static IReadOnlyList<PainPoint> Trajectory(IEnumerable<InfusionSession> sessions, IEnumerable<PainPoint>? followUps = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var points = sessions.SelectMany(s => s.Observations.ActiveValues.Where(o => o.PainNrs is not null).Select(o => new PainPoint(o.At, o.PainNrs!.Value, s.Id)));
        return [.. points.Concat(followUps ?? []).OrderBy(p => p.At)];
    }

    /// <summary>
    /// Responder status over a course (IMMPACT): the pre-infusion score of the first session as baseline against the
    /// latest sustained score — a follow-up, or the pre-infusion score of a later session — never a score taken during
    /// or after an infusion. Null when there is no baseline or nothing later to compare.
    /// </summary>
    /// <param name="trajectory">Every session score and follow-up, in time order (<see cref="Trajectory"/>).</param>
    public static ResponderStatus? CourseResponder(IReadOnlyList<PainPoint> trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var preInfusion = trajectory.Where(p => p.Session is not null).GroupBy(p => p.Session).Select(g => g.MinBy(p => p.At)!).OrderBy(p => p.At).ToList();
        if (preInfusion.Count == 0)
        {
            return null;
        }

        var baseline = preInfusion[0];
        var current = trajectory.Where(p => p.Session is null && p.At > baseline.At).Concat(preInfusion.Skip(1)).MaxBy(p => p.At);
        return current is null || ResponderStatus.Classify(baseline.Nrs, current.Nrs) is not { IsSuccess: true } classified
            ? null
            : classified.Value with { Basis = new ResponderBasis(baseline.At, current.At, current.Session is null ? PainScoreKind.FollowUp : PainScoreKind.PreInfusion, current.Source) };
    }

    /// <summary>
    /// The latest follow-up score after the last of <paramref name="sessions"/> ended (the relief that lasted between
    /// sessions), or null when none was recorded since.
    /// </summary>
    public static int? BetweenSessions(Patients.Patient patient, IEnumerable<InfusionSession> sessions)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(sessions);
        var ends = sessions.SelectMany(s => s.Segments.Where(x => x.End is not null).Select(x => x.End!.Value).Concat(s.SingleDoses.Select(d => d.At))).ToList();
        if (ends.Count == 0)
        {
            return null;
        }

        var lastEnd = ends.Max();
        return patient.FollowUpPains.ActiveValues.Where(f => f.At > lastEnd).MaxBy(f => f.At)?.Nrs;
    }

    /// <summary>Per-session pain before and after, with the dose given, in session-date order.</summary>
    /// <param name="sessions">The sessions.</param>
    /// <param name="asOf">Time up to which running infusions are counted.</param>
    public static IReadOnlyList<SessionPain> PerSession(IEnumerable<InfusionSession> sessions, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return [.. sessions.OrderBy(s => s.ScheduledFor).Select(s =>
        {
            var pain = s.Observations.ActiveValues.Where(o => o.PainNrs is not null).OrderBy(o => o.At).ToList();
            return new SessionPain(s.Id, s.ScheduledFor, pain.FirstOrDefault()?.PainNrs, pain.Count > 1 ? pain[^1].PainNrs : null, s.DoseGiven(asOf));
        })];
    }

    /// <summary>
    /// Duration of relief after a session ends: time until the first later score whose reduction from baseline falls
    /// below 30 % (IMMPACT's moderately important threshold, used here as the definition of "relief"). Null when
    /// relief has not been lost by the last score (still relieved) or was never reached; see <paramref name="lastRelieved"/>.
    /// </summary>
    /// <param name="baseline">Baseline NRS.</param>
    /// <param name="sessionEnd">End of the session.</param>
    /// <param name="scores">Scores after the session.</param>
    /// <param name="lastRelieved">The last time a score still showed ≥ 30 % relief, if any.</param>
    public static Duration? DurationOfRelief(int baseline, DateTimeOffset sessionEnd, IEnumerable<PainPoint> scores, out DateTimeOffset? lastRelieved)
    {
        ArgumentNullException.ThrowIfNull(scores);
        lastRelieved = null;
        foreach (var p in scores.Where(p => p.At >= sessionEnd).OrderBy(p => p.At))
        {
            var r = OutcomesMath.PercentReduction(baseline, p.Nrs);
            if (r >= OutcomesMath.ModerateReductionPercent)
            {
                lastRelieved = p.At;
                continue;
            }

            return lastRelieved is null ? null : Duration.FromMinutes((p.At - sessionEnd).TotalMinutes);
        }

        return null;
    }

    /// <summary>
    /// The drug actually given in the sessions as an engine regimen (rate segments as constant-rate infusions, single
    /// doses as boluses), with times relative to <paramref name="origin"/>. A segment still running counts up to
    /// <paramref name="runningUntil"/> when that is given (a live session's screen or report), and not at all otherwise.
    /// </summary>
    public static Regimen RegimenGiven(IEnumerable<InfusionSession> sessions, DateTimeOffset origin, DateTimeOffset? runningUntil = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var items = new List<Administration>();
        foreach (var s in sessions)
        {
            // The segments as the pump delivered them: an infusion stops at its VTBI, however long a segment stayed open.
            var asOf = runningUntil ?? s.Segments.Select(x => x.End ?? DateTimeOffset.MinValue).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            foreach (var seg in s.DeliveredSegments(asOf))
            {
                if (runningUntil is null && s.Segments[seg.Index].End is null)
                {
                    continue;
                }

                var end = seg.End;
                if (end is not { } e || e <= seg.Start)
                {
                    continue;
                }

                var start = Duration.FromMinutes((seg.Start - origin).TotalMinutes);
                var length = Duration.FromMinutes((e - seg.Start).TotalMinutes);
                items.Add(new Administration(start, DoseExpression.AtRate(seg.Rate, length), s.Protocol.Route));
            }

            foreach (var d in s.SingleDoses.Where(d => d.Amount.Milligrams > 0))
            {
                items.Add(new Administration(Duration.FromMinutes((d.At - origin).TotalMinutes), DoseExpression.Bolus(d.Amount), s.Protocol.Route));
            }
        }

        return new Regimen(items);
    }

    /// <summary>
    /// Predicted relief (engine's <see cref="PainReliefModel"/>, relief-site output, Dahan 2011) at each observed score
    /// time, beside the observed reduction from baseline.
    /// </summary>
    public static Outcome<IReadOnlyList<ReliefComparison>> PredictedBesideObserved(IReadOnlyList<InfusionSession> sessions, Covariates patient, string modelId, int baseline, IReadOnlyList<PainPoint> observed)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(observed);
        var model = ModelLibrary.Get(modelId, "model");
        if (!model.IsSuccess)
        {
            return Refusal.From(model);
        }

        var origin = sessions.SelectMany(s => s.Segments.Select(x => x.Start).Concat(s.SingleDoses.Select(d => d.At))).DefaultIfEmpty().Min();
        var regimen = RegimenGiven(sessions, origin);
        if (regimen.Administrations.Count == 0)
        {
            return new Refusal("sessions: no drug has been given yet.", [Finding.Refused(FindingCodes.OutcomeNoDrugGiven, FindingArg.Of("field", "sessions"))]);
        }

        var ordered = observed.Where(p => p.At >= origin).OrderBy(p => p.At).ToList();
        if (ordered.Count == 0)
        {
            return new Refusal("observed: no scores after the first dose.", [Finding.Refused(FindingCodes.OutcomeNoScoresAfterDose, FindingArg.Of("field", "observed"))]);
        }

        var times = new[] { 0.0 }.Concat(ordered.Select(p => (p.At - origin).TotalMinutes)).Distinct().ToArray();
        var run = Simulator.Run(new SimulationRequest(model.Value, patient, regimen) { PainRelief = true }, times);
        if (!run.IsSuccess)
        {
            return Refusal.From(run);
        }

        var site = run.Value.MgPerLiter("relief-site");
        var result = ordered.Select(p =>
        {
            var k = Array.IndexOf(times, (p.At - origin).TotalMinutes);
            var fraction = PainReliefModel.FractionOfMaxEffect(Concentration.FromMilligramsPerLiter(site[k]));
            return new ReliefComparison(p.At, OutcomesMath.PercentReduction(baseline, p.Nrs), fraction);
        }).ToList();
        return Outcome<IReadOnlyList<ReliefComparison>>.Ok(result);
    }

    /// <summary>
    /// "NRS 7 → 3 (57 % reduction): substantial responder; baseline: pre-infusion score of the first session, 2026-05-01;
    /// compared: follow-up, 2026-06-02" (the basis only when the status has one).
    /// </summary>
    public static string Describe(ResponderStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var label = status.Substantial ? "substantial responder" : status.Moderate ? "moderate responder" : "non-responder";
        var text = status.ReductionPercent is { } r
            ? string.Create(CultureInfo.InvariantCulture, $"NRS {status.Baseline} → {status.Current} ({SafeNumber.Format(r, 3)} % reduction): {label}")
            : string.Create(CultureInfo.InvariantCulture, $"NRS {status.Baseline} → {status.Current}: no reduction can be computed from a baseline of 0");
        return status.Basis is { } b
            ? text + string.Create(CultureInfo.InvariantCulture, $"; baseline: pre-infusion score of the first session, {b.BaselineAt:yyyy-MM-dd}; compared: {(b.CurrentKind == PainScoreKind.FollowUp ? "follow-up" : "pre-infusion score of a later session")}, {b.CurrentAt:yyyy-MM-dd}")
            : text;
    }
}
