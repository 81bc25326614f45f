using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Population;

/// <summary>A probability-of-target-attainment criterion evaluated per subject on the output grid. Immutable.</summary>
/// <param name="Name">Label for tables, e.g. "70–200 ng/mL, last half of the infusion".</param>
public abstract record TargetCriterion(string Name);

/// <summary>
/// Attained when the concentration stays within [<paramref name="Low"/>, <paramref name="High"/>] (inclusive)
/// at every output time t with <paramref name="From"/> ≤ t ≤ <paramref name="To"/>.
/// </summary>
/// <param name="Name">Label.</param>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound (≥ Low).</param>
/// <param name="From">Start of the interval (from the start of the regimen).</param>
/// <param name="To">End of the interval (≥ From).</param>
public sealed record StaysWithin(string Name, Concentration Low, Concentration High, Duration From, Duration To) : TargetCriterion(Name);

/// <summary>Attained when the highest concentration on the output grid exceeds <paramref name="Threshold"/> (strictly).</summary>
/// <param name="Name">Label.</param>
/// <param name="Threshold">Threshold.</param>
public sealed record PeakAbove(string Name, Concentration Threshold) : TargetCriterion(Name);

/// <summary>
/// Everything a population simulation needs. Units: times in <see cref="Duration"/>, concentrations in
/// <see cref="Concentration"/>; the summary reports mg/L (and ng/mL accessors). Immutable; safe to share
/// between threads and to reuse for several runs.
/// </summary>
/// <param name="Model">The PK model (its <see cref="PkModel.Build"/> is called once per subject).</param>
/// <param name="Population">The virtual patients (their etas are passed to the model by name).</param>
/// <param name="Regimen">What is given when; doses per kg are resolved with each subject's weight.</param>
public sealed record PopulationRequest(PkModel Model, VirtualPopulation Population, Regimen Regimen)
{
    /// <summary>End of the output grid (default 24 h; &gt; 0). The grid is 0, Step, 2·Step, …, Until (Until included even off-step).</summary>
    public Duration Until { get; init; } = Duration.FromHours(24);

    /// <summary>Grid step (default 1 min; &gt; 0; at most <see cref="Simulator.MaxGridPoints"/> points).</summary>
    public Duration Step { get; init; } = Duration.FromMinutes(1);

    /// <summary>Percentiles to report, in percent (0–100), e.g. [5, 50, 95].</summary>
    public IReadOnlyList<double> Percentiles { get; init; } = [5, 50, 95];

    /// <summary>Concentrations for which the fraction of subjects above (&gt;) and below (&lt;) is reported at every output time.</summary>
    public IReadOnlyList<Concentration> Thresholds { get; init; } = [];

    /// <summary>Target-attainment criteria (fraction of subjects that attain each).</summary>
    public IReadOnlyList<TargetCriterion> Targets { get; init; } = [];

    /// <summary>Output key to summarise: "plasma" (default), or "effect" with <see cref="EffectSite"/>.</summary>
    public string Output { get; init; } = "plasma";

    /// <summary>Effect-site constant (adds the effect compartment), or null.</summary>
    public Ke0Option? EffectSite { get; init; }

    /// <summary>Route parameters replacing the defaults.</summary>
    public IReadOnlyDictionary<Route, RouteParameters>? RouteOverrides { get; init; }

    /// <summary>Largest number of threads to use; 0 or less means all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>
    /// True when <see cref="Population"/> serves this one run only: once every subject is built, the run empties it
    /// (<see cref="VirtualPopulation.IsReleased"/>) and collects it, so that the stepping arrays reuse its memory and a
    /// short-lived process (the CLI) peaks lower — by 5.6 MB at 100,000 subjects with six etas. Results do not depend on it.
    /// </summary>
    public bool ReleasePopulationAfterBuild { get; init; }
}

/// <summary>Fraction of subjects attaining one criterion.</summary>
/// <param name="Criterion">The criterion.</param>
/// <param name="Count">Subjects that attained it.</param>
/// <param name="Fraction">Count / N.</param>
public sealed record TargetResult(TargetCriterion Criterion, long Count, double Fraction);

/// <summary>Where the time of a population run went, s (wall clock, for benchmarks).</summary>
/// <param name="SetupSeconds">Building subjects' systems and propagators.</param>
/// <param name="SteppingSeconds">Advancing all subjects.</param>
/// <param name="SummarySeconds">Percentiles, means and fractions.</param>
/// <param name="FullSelections">Output times × percentiles where no search window held the order statistics and a full selection ran.</param>
/// <param name="WindowRetries">Output times × percentiles where the first search window missed and a wider one was searched.</param>
public sealed record PopulationTimings(double SetupSeconds, double SteppingSeconds, double SummarySeconds, int FullSelections, int WindowRetries);

/// <summary>
/// Streaming summaries of a population run at every output time. Concentrations are in mg/L
/// (the engine's canonical unit; multiply by 1000 for ng/mL, or use the NgPerMl accessors). Immutable.
/// </summary>
public sealed class PopulationSummary
{
    /// <summary>"p5", "p97.5": the short name of a percentile in tables, CSV headers and chart legends.</summary>
    public static string PercentileLabel(double percentile) => "p" + percentile.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private readonly double[] _percentiles;
    private readonly double[] _mean;
    private readonly double[] _above;
    private readonly double[] _below;

    internal PopulationSummary(int subjects, string output, double[] times, IReadOnlyList<double> percentiles, double[] percentileValues, double[] mean,
        IReadOnlyList<Concentration> thresholds, double[] above, double[] below, IReadOnlyList<TargetResult> targets, IReadOnlyList<EngineWarning> warnings, PopulationTimings timings)
    {
        SubjectCount = subjects;
        Output = output;
        Times = times;
        Percentiles = percentiles;
        _percentiles = percentileValues;
        _mean = mean;
        Thresholds = thresholds;
        _above = above;
        _below = below;
        Targets = targets;
        Warnings = warnings;
        Timings = timings;
    }

    /// <summary>Number of subjects N.</summary>
    public int SubjectCount { get; }

    /// <summary>Output key summarised ("plasma", "effect").</summary>
    public string Output { get; }

    /// <summary>Output times, min.</summary>
    public IReadOnlyList<double> Times { get; }

    /// <summary>Percentiles reported, percent.</summary>
    public IReadOnlyList<double> Percentiles { get; }

    /// <summary>Thresholds of <see cref="FractionAbove"/> and <see cref="FractionBelow"/>.</summary>
    public IReadOnlyList<Concentration> Thresholds { get; }

    /// <summary>Target attainment, one per requested criterion.</summary>
    public IReadOnlyList<TargetResult> Targets { get; }

    /// <summary>Population-range findings and labelled assumptions (deduplicated across subjects).</summary>
    public IReadOnlyList<EngineWarning> Warnings { get; }

    /// <summary>Where the time went.</summary>
    public PopulationTimings Timings { get; }

    /// <summary>Percentile <paramref name="j"/> (index into <see cref="Percentiles"/>) at output time <paramref name="k"/>, mg/L.</summary>
    public double PercentileMgPerLiter(int j, int k) => _percentiles[(j * Times.Count) + k];

    /// <summary>Percentile <paramref name="j"/> at output time <paramref name="k"/>, ng/mL.</summary>
    public double PercentileNgPerMl(int j, int k) => PercentileMgPerLiter(j, k) * 1000.0;

    /// <summary>Percentile <paramref name="j"/> at every output time, mg/L.</summary>
    public ReadOnlySpan<double> PercentileSeries(int j) => _percentiles.AsSpan(j * Times.Count, Times.Count);

    /// <summary>Mean concentration at every output time, mg/L.</summary>
    public ReadOnlySpan<double> MeanMgPerLiter => _mean;

    /// <summary>Fraction of subjects with concentration &gt; threshold <paramref name="i"/> at every output time.</summary>
    public ReadOnlySpan<double> FractionAbove(int i) => _above.AsSpan(i * Times.Count, Times.Count);

    /// <summary>Fraction of subjects with concentration &lt; threshold <paramref name="i"/> at every output time.</summary>
    public ReadOnlySpan<double> FractionBelow(int i) => _below.AsSpan(i * Times.Count, Times.Count);
}
