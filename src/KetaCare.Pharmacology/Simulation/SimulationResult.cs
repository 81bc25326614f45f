using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Simulation;

/// <summary>Summary metrics of one concentration series.</summary>
/// <param name="Key">Output key ("plasma", "effect", "norketamine", …).</param>
/// <param name="Cmax">Highest concentration on the grid.</param>
/// <param name="Tmax">Time of <paramref name="Cmax"/> (first occurrence).</param>
/// <param name="Auc">Exact area under the curve from 0 to the end of the grid, mg·min/L.</param>
/// <param name="AucTrapezoid">Trapezoidal AUC on the grid, mg·min/L (for comparison with NCA software).</param>
public sealed record SeriesMetrics(string Key, Concentration Cmax, Duration Tmax, double Auc, double AucTrapezoid)
{
    /// <summary>AUC in ng·h/mL, the unit most ketamine papers report.</summary>
    public double AucNgHoursPerMl => Auc * 1000.0 / 60.0;
}

/// <summary>Amounts at the end of the simulation, mg (metabolites in parent-equivalent mg).</summary>
/// <param name="AdministeredMg">Nominal dose given (before bioavailability).</param>
/// <param name="EnteredMg">Amount that entered the system (after bioavailability) by the end time.</param>
/// <param name="InBodyMg">Amount in all body compartments and depots, all species.</param>
/// <param name="EliminatedMg">Amount eliminated, all species.</param>
public sealed record MassBalance(double AdministeredMg, double EnteredMg, double InBodyMg, double EliminatedMg)
{
    /// <summary>|entered − (in body + eliminated)| / entered; 0 for a perfect solver.</summary>
    public double RelativeError => EnteredMg == 0 ? Math.Abs(InBodyMg + EliminatedMg) : Math.Abs(EnteredMg - InBodyMg - EliminatedMg) / EnteredMg;
}

/// <summary>
/// A simulated profile: concentrations on a time grid for every output of the model, metrics, and the
/// mass balance. Concentrations are in mg/L internally; accessors convert.
/// </summary>
public sealed class SimulationResult
{
    private readonly double[] _states;
    private readonly Dictionary<string, double[]> _series = new(StringComparer.Ordinal);

    internal SimulationResult(CompartmentSystem system, DosingSchedule schedule, double[] times, double[] states, IReadOnlyList<EngineWarning> warnings)
    {
        System = system;
        Schedule = schedule;
        Times = times;
        _states = states;
        Warnings = warnings;
        var n = system.Order;
        foreach (var o in system.Outputs)
        {
            var s = new double[times.Length];
            for (var k = 0; k < times.Length; k++)
            {
                s[k] = Math.Max(0, states[(k * n) + o.State] * o.Scale);
            }

            _series[o.Key] = s;
        }
    }

    /// <summary>The subject's system.</summary>
    public CompartmentSystem System { get; }

    /// <summary>The resolved inputs.</summary>
    public DosingSchedule Schedule { get; }

    /// <summary>Output times, min.</summary>
    public IReadOnlyList<double> Times { get; }

    /// <summary>Population-range warnings and labelled assumptions that apply to this run.</summary>
    public IReadOnlyList<EngineWarning> Warnings { get; }

    /// <summary>Output keys available ("plasma" always; "effect", "norketamine", "hnk", "relief-site" when modelled).</summary>
    public IEnumerable<string> Keys => System.Outputs.Select(o => o.Key);

    /// <summary>Concentrations of one output on the grid, mg/L.</summary>
    public IReadOnlyList<double> MgPerLiter(string key) => _series.TryGetValue(key, out var s) ? s : throw new KeyNotFoundException($"No output \"{key}\"; available: {string.Join(", ", Keys)}.");

    /// <summary>Concentrations of one output on the grid, ng/mL.</summary>
    public double[] NgPerMl(string key) => [.. MgPerLiter(key).Select(v => v * 1000.0)];

    /// <summary>True when the model reports this output.</summary>
    public bool Has(string key) => _series.ContainsKey(key);

    /// <summary>State i at grid point k (mg for amounts, mg/L for effect sites).</summary>
    public double State(int k, int i) => _states[(k * System.Order) + i];

    /// <summary>Metrics of one output.</summary>
    public SeriesMetrics Metrics(string key)
    {
        var s = (double[])MgPerLiter(key);
        var o = System.Output(key)!;
        var kmax = 0;
        for (var k = 1; k < s.Length; k++)
        {
            if (s[k] > s[kmax])
            {
                kmax = k;
            }
        }

        var trap = 0.0;
        for (var k = 1; k < s.Length; k++)
        {
            trap += 0.5 * (s[k] + s[k - 1]) * (Times[k] - Times[k - 1]);
        }

        var auc = o.AucState >= 0 ? State(Times.Count - 1, o.AucState) : trap;
        return new SeriesMetrics(key, Concentration.FromMilligramsPerLiter(s[kmax]), Duration.FromMinutes(Times[kmax]), auc, trap);
    }

    /// <summary>
    /// Time the output spends at or above a threshold, min, from the grid with linear interpolation of
    /// the crossings (exact for the grid's piecewise-linear interpolant).
    /// </summary>
    public Duration TimeAbove(string key, Concentration threshold)
    {
        var s = MgPerLiter(key);
        var c = threshold.MilligramsPerLiter;
        var total = 0.0;
        for (var k = 1; k < s.Count; k++)
        {
            double a = s[k - 1] - c, b = s[k] - c, dt = Times[k] - Times[k - 1];
            if (a >= 0 && b >= 0)
            {
                total += dt;
            }
            else if (a >= 0 || b >= 0)
            {
                // One end above: the fraction of the interval above the line.
                total += dt * (a >= 0 ? a : b) / Math.Abs(b - a);
            }
        }

        return Duration.FromMinutes(total);
    }

    /// <summary>Mass balance at grid point k (default: the last).</summary>
    public MassBalance Balance(int? k = null)
    {
        var index = k ?? (Times.Count - 1);
        double inBody = 0, eliminated = 0;
        for (var i = 0; i < System.Order; i++)
        {
            var c = System.Compartments[i];
            if (c.InBody)
            {
                inBody += State(index, i);
            }
            else if (c.Role == CompartmentRole.Eliminated)
            {
                eliminated += State(index, i);
            }
        }

        return new MassBalance(Schedule.AdministeredMg, Schedule.EnteredBy(Times[index]), inBody, eliminated);
    }
}
