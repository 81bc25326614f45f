using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Output;

/// <summary>
/// One segment of a re-planned session: the plan from a change time (or 0) to the next change (or the end), made
/// from the predicted state at its start with the target and the patient in force then.
/// </summary>
/// <param name="Number">1 for the first segment.</param>
/// <param name="View">The segment's plan (its last update period may run past <paramref name="End"/>; see <see cref="Steps"/>).</param>
/// <param name="End">Where the next segment takes over, or the plan's end.</param>
/// <param name="Reason">What started the segment ("start", "--retarget", "--reweigh" or both).</param>
internal sealed record TciSegment(int Number, TciView View, Duration End, string Reason)
{
    public Duration Start => View.Plan.Start;

    public Concentration Target => View.Plan.Settings.Target;

    public BodyWeight Weight => View.Patient.Weight;

    /// <summary>Predicted plasma at the start, from the carried-over state in this segment's model build.</summary>
    public Concentration PlasmaAtStart => View.Plan.InitialState.Plasma(View.Plan.System);

    /// <summary>Predicted effect site at the start, or null without an effect site.</summary>
    public Concentration? EffectAtStart => View.Plan.InitialState.Effect(View.Plan.System);

    /// <summary>
    /// The segment's fine steps up to <see cref="End"/>: an update period cut by the change ends there, with the
    /// exact predicted state at that time (<see cref="TciPlan.StateAt"/>).
    /// </summary>
    public IReadOnlyList<TciStep> Steps
    {
        get
        {
            var plan = View.Plan;
            var steps = new List<TciStep>();
            foreach (var s in plan.Steps)
            {
                if (s.Start.Minutes >= End.Minutes - 1e-9)
                {
                    break;
                }

                if (s.End.Minutes > End.Minutes + 1e-9)
                {
                    var state = plan.StateAt(End).Value;
                    steps.Add(s with { End = End, PlasmaAtEnd = state.Plasma(plan.System), EffectAtEnd = state.Effect(plan.System) });
                    break;
                }

                steps.Add(s);
            }

            return steps;
        }
    }

    /// <summary>The state where the next segment starts.</summary>
    public TciState FinalState => View.Plan.StateAt(End).Value;
}

/// <summary>A TCI plan re-planned at change times: its segments in order and the joined fine schedule.</summary>
internal sealed class TciSession
{
    public TciSession(IReadOnlyList<TciSegment> segments)
    {
        ArgumentOutOfRangeException.ThrowIfZero(segments.Count);
        Segments = segments;
        Steps = [.. segments.SelectMany(s => s.Steps)];
        var peak = Steps.MaxBy(s => s.PlasmaAtEnd)!;
        PeakPlasma = peak.PlasmaAtEnd;
        PeakPlasmaTime = peak.End;
        PeakEffect = Steps[0].EffectAtEnd is null ? null : Steps.Max(s => s.EffectAtEnd!.Value);
        TotalAmount = segments.Count == 1 ? segments[0].View.Plan.TotalAmount : Mass.FromMilligrams(Steps.Sum(s => s.Rate.MilligramsPerMinute * (s.End.Minutes - s.Start.Minutes)));

        // The first segment's warnings as they are; a later segment's new ones say from when they apply.
        var warnings = new List<string>(segments[0].View.Warnings);
        var seen = new HashSet<string>(warnings, StringComparer.Ordinal);
        foreach (var segment in segments.Skip(1))
        {
            warnings.AddRange(segment.View.Warnings.Where(seen.Add).Select(w => $"from {Format.Clock(segment.Start.Minutes)} (segment {segment.Number}): {w}"));
        }

        Warnings = warnings;
    }

    public IReadOnlyList<TciSegment> Segments { get; }

    /// <summary>The first segment's view: model, first patient, settings shared by all segments.</summary>
    public TciView First => Segments[0].View;

    public bool Replanned => Segments.Count > 1;

    /// <summary>The fine schedule of all segments, in order, each cut at the next change.</summary>
    public IReadOnlyList<TciStep> Steps { get; }

    public Concentration PeakPlasma { get; }

    public Duration PeakPlasmaTime { get; }

    public Concentration? PeakEffect { get; }

    public Mass TotalAmount { get; }

    public Duration End => Segments[^1].End;

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Target in force at <paramref name="minutes"/>.</summary>
    public Concentration TargetAt(double minutes) => Segments.Last(s => s.Start.Minutes <= minutes + 1e-9 || s.Number == 1).Target;

    /// <summary>The condensed rows of every segment, cut at the segment's end, each with its segment number.</summary>
    public IReadOnlyList<(int Segment, CondensedRow Row)> Condensed() =>
        [.. Segments.SelectMany(seg => seg.View.Condensed()
            .Where(r => r.Start < seg.End.Minutes - 1e-9)
            .Select(r => (seg.Number, r.End > seg.End.Minutes ? Cut(seg, r) : r)))];

    private static CondensedRow Cut(TciSegment seg, CondensedRow r)
    {
        var last = seg.Steps[^1];
        var minutes = seg.End.Minutes - r.Start;
        var mg = seg.Steps.Where(s => s.Start.Minutes >= r.Start - 1e-9).Sum(s => s.Rate.MilligramsPerMinute * (s.End.Minutes - s.Start.Minutes));
        var mgPerHour = mg / minutes < TciView.ZeroRate ? 0 : mg / minutes * 60;
        return r with
        {
            End = seg.End.Minutes,
            MeanMgPerHour = mgPerHour,
            MeanMlPerHour = mgPerHour / seg.View.Plan.Settings.Concentration.MilligramsPerMilliliter,
            Milligrams = mgPerHour == 0 ? 0 : mg,
            PlasmaAtEnd = last.PlasmaAtEnd.NanogramsPerMilliliter,
            EffectAtEnd = last.EffectAtEnd?.NanogramsPerMilliliter,
        };
    }
}
