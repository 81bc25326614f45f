using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Output;

/// <summary>One output series of a simulation, ready for presentation.</summary>
/// <param name="Key">Engine output key ("plasma", "effect", "norketamine", "relief-site", …).</param>
/// <param name="Label">Label from the model.</param>
/// <param name="Column">CSV/JSON column name, e.g. "plasma_ng_ml".</param>
/// <param name="NgPerMl">Concentrations on the grid.</param>
/// <param name="Metrics">Cmax, Tmax, AUC.</param>
/// <param name="TimeAbove">Time at or above the threshold (ketamine series only; null for metabolites and the relief site).</param>
internal sealed record SeriesView(string Key, string Label, string Column, double[] NgPerMl, SeriesMetrics Metrics, Duration? TimeAbove);

/// <summary>A simulation with everything the table, CSV, JSON and chart writers show.</summary>
internal sealed class Profile
{
    public Profile(SimulationRequest request, SimulationResult result, Concentration threshold)
    {
        Request = request;
        Result = result;
        Threshold = threshold;
        Series =
        [
            .. result.System.Outputs.Select(o => new SeriesView(
                o.Key,
                o.Label,
                o.Key.Replace('-', '_') + "_ng_ml",
                result.NgPerMl(o.Key),
                result.Metrics(o.Key),
                o.Key is "plasma" or "effect" ? result.TimeAbove(o.Key, threshold) : null)),
        ];
        if (result.Has("relief-site"))
        {
            Relief = [.. result.NgPerMl("relief-site").Select(c => PainReliefModel.FractionOfMaxEffect(Concentration.FromNanogramsPerMilliliter(c)))];
        }

        Balance = result.Balance();
    }

    public SimulationRequest Request { get; }

    public SimulationResult Result { get; }

    public Concentration Threshold { get; }

    public IReadOnlyList<SeriesView> Series { get; }

    /// <summary>Fraction of the maximal pain-relief effect on the grid (Dahan 2011), when --relief was asked.</summary>
    public double[]? Relief { get; }

    public MassBalance Balance { get; }
}
