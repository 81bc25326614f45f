using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary>
/// The peer-comparison workloads of docs/performance.md (Workloads): Domino 1984 with 30 % log-normal
/// variability (ω² = 0.09) on V1 and the five rate constants, weight ~ N(75, 15²) kg truncated to
/// [40, 150], seed 20240601; percentiles 5/50/95 at every minute and the fraction with peak &gt; 300 ng/mL.
/// The population is drawn with the C reference's draws (weight by rejection, then six etas), so both
/// simulate identical subjects.
/// </summary>
internal static class PeerWorkloads
{
    /// <summary>The workloads' seed.</summary>
    public const ulong Seed = 20240601;

    /// <summary>The peak criterion of the workloads, ng/mL.</summary>
    public const double PeakThresholdNgPerMl = 300;

    /// <summary>Largest N of <c>ketacare bench</c>: the 10⁶ subjects of the scaling measurement, as for 'population'.</summary>
    public const int MaxSubjects = PopulationCommand.MaxSubjects;

    /// <summary>The etas of the workloads, in the peers' column order (V1, k10, k12, k21, k13, k31).</summary>
    public static readonly IReadOnlyList<string> EtaNames = ["V1", "k10", "k12", "k21", "k13", "k31"];

    /// <summary>W1 or W2 (case-insensitive), or null for anything else.</summary>
    public static string? Parse(string workload) => workload.ToUpperInvariant() switch
    {
        "W1" => "W1",
        "W2" => "W2",
        _ => null,
    };

    /// <summary>Horizon: 24 h for W1, 10 days for W2.</summary>
    public static Duration Until(string workload) => Duration.FromMinutes(workload == "W2" ? 14400 : 1440);

    /// <summary>W1 one 0.5 mg/kg infusion over 60 min; W2 ten daily 60-min infusions of 0.5, 0.75, … mg/kg capped at 2.0.</summary>
    public static Regimen RegimenOf(string workload)
    {
        var days = workload == "W2" ? 10 : 1;
        return new Regimen(Enumerable.Range(0, days).Select(d => new Administration(
            Duration.FromMinutes(1440.0 * d),
            DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(workload == "W2" ? Math.Min(0.5 + (0.25 * d), 2.0) : 0.5), Duration.FromMinutes(60)))));
    }

    /// <summary>The workload's request: 1-min grid, percentiles 5/50/95, peak above 300 ng/mL; no thresholds or ranges beyond.</summary>
    public static PopulationRequest Request(PkModel model, VirtualPopulation population, string workload, int threads) => new(model, population, RegimenOf(workload))
    {
        Until = Until(workload),
        Step = Duration.FromMinutes(1),
        Percentiles = [5, 50, 95],
        Targets = [new PeakAbove("peak > 300 ng/mL", Concentration.FromNanogramsPerMilliliter(PeakThresholdNgPerMl))],
        MaxDegreeOfParallelism = threads,
        // The command runs once and exits: the stepping arrays may take the population's memory.
        ReleasePopulationAfterBuild = true,
    };

    /// <summary>The workload's own population of <paramref name="n"/> subjects.</summary>
    public static VirtualPopulation Draw(PkModel model, int n)
    {
        var spec = new PopulationSpec
        {
            WeightKg = CovariateDistribution.TruncatedNormal(75, 15, 40, 150),
            Omega = OmegaMatrix.Diagonal("benchmark workload: 30 % log-normal (ω² = 0.09) on V1 and every rate constant", [.. EtaNames.Select(x => (x, 0.09))]),
        };
        return PopulationSampler.Sample(model, spec, n, Seed).Value;
    }

    /// <summary>
    /// Reads the peers' shared population (gen_subjects.py: a header, then id,weight,V1,k10,k12,k21,k13,k31 per
    /// row) and turns the individual values into etas against <paramref name="model"/>'s typical values.
    /// </summary>
    /// <returns>The population, or an error naming the row.</returns>
    public static ParseResult<VirtualPopulation> Read(PkModel model, TextReader reader, int n)
    {
        var typical = EtaNames.Select(x => model.Parameters.Single(p => p.Name == x).Value).ToArray();
        var weights = new double[n];
        var etas = new double[n * EtaNames.Count];
        Span<double> v = stackalloc double[8];
        _ = reader.ReadLine();
        for (var row = 0; row < n; row++)
        {
            var line = reader.ReadLine();
            if (line is null)
            {
                return ParseResult<VirtualPopulation>.Fail(string.Create(CultureInfo.InvariantCulture, $"--subjects: the file has {row} rows, {n} wanted."));
            }

            var rest = line.AsSpan();
            for (var f = 0; f < 8; f++)
            {
                var comma = rest.IndexOf(',');
                var field = comma < 0 ? rest : rest[..comma];
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out v[f]) || (comma < 0 && f < 7))
                {
                    return ParseResult<VirtualPopulation>.Fail(string.Create(CultureInfo.InvariantCulture, $"--subjects: row {row + 1} is not id,weight,V1,k10,k12,k21,k13,k31."));
                }

                rest = comma < 0 ? [] : rest[(comma + 1)..];
            }

            var weight = v[1];
            weights[row] = weight;
            etas[row * 6] = Math.Log(v[2] / (typical[0] * weight));
            for (var j = 1; j < 6; j++)
            {
                etas[(row * 6) + j] = Math.Log(v[2 + j] / typical[j]);
            }
        }

        return ParseResult<VirtualPopulation>.Ok(VirtualPopulation.FromColumns(weights, [], [], EtaNames, etas));
    }
}
