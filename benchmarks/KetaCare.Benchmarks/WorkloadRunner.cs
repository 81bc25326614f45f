using System.Diagnostics;
using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Benchmarks;

/// <summary>
/// The peer-comparison workloads W1 and W2: Domino 1984 with 30 % log-normal variability on V1 and the five
/// rate constants, weight ~ N(75, 15²) kg truncated to [40, 150], seed 20240601; output percentiles 5/50/95
/// at every minute and the fraction with peak &gt; 300 ng/mL, printed exactly as the peers print them.
/// </summary>
public static class WorkloadRunner
{
    public const ulong Seed = 20240601;
    private static readonly long[] Checks = [30, 60, 120, 360, 1440, 8700, 13020, 14400];
    private static readonly string[] EtaNames = ["V1", "k10", "k12", "k21", "k13", "k31"];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        if (args.Length < 2)
        {
            stderr.WriteLine("usage: workload W1|W2 N [--csv FILE] [--all] [--threads K]");
            return 2;
        }

        var w = args[0].ToUpperInvariant();
        var n = int.Parse(args[1], CultureInfo.InvariantCulture);
        string? csv = null;
        var all = false;
        var threads = 0;
        for (var i = 2; i < args.Length; i++)
        {
            if (args[i] == "--csv" && i + 1 < args.Length)
            {
                csv = args[++i];
            }
            else if (args[i] == "--all")
            {
                all = true;
            }
            else if (args[i] == "--threads" && i + 1 < args.Length)
            {
                threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }

        if (w is not ("W1" or "W2"))
        {
            stderr.WriteLine("workload must be W1 or W2");
            return 2;
        }

        var model = new Domino1984();
        var population = csv is null ? Draw(model, n) : Read(model, csv, n);
        var request = new PopulationRequest(model, population, RegimenOf(w))
        {
            Until = Duration.FromMinutes(w == "W2" ? 14400 : 1440),
            Step = Duration.FromMinutes(1),
            Percentiles = [5, 50, 95],
            Targets = [new PeakAbove("peak > 300 ng/mL", Concentration.FromNanogramsPerMilliliter(300))],
            MaxDegreeOfParallelism = threads,
        };
        var popSeconds = clock.Elapsed.TotalSeconds;
        var result = PopulationSimulator.Run(request);
        if (!result.IsSuccess)
        {
            stderr.WriteLine(result.Error);
            return 1;
        }

        var s = result.Value;
        var output = new System.Text.StringBuilder();
        output.Append(CultureInfo.InvariantCulture, $"# peer=ketacare workload={w} N={n} pop={(csv is null ? "rng" : "csv")}\n");
        output.Append("t p05 p50 p95\n");
        for (var k = 0; k < s.Times.Count; k++)
        {
            var t = (long)Math.Round(s.Times[k]);
            if (all || Array.IndexOf(Checks, t) >= 0)
            {
                output.Append(CultureInfo.InvariantCulture, $"{t} {G10(s.PercentileNgPerMl(0, k))} {G10(s.PercentileNgPerMl(1, k))} {G10(s.PercentileNgPerMl(2, k))}\n");
            }
        }

        output.Append(CultureInfo.InvariantCulture, $"frac_peak_gt_300 {s.Targets[0].Fraction:F6}\n");
        stdout.Write(output.ToString());
        stdout.Flush();
        var tm = s.Timings;
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timing ketacare {w} N={n}: population {popSeconds:F3} s, setup(build+expm) {tm.SetupSeconds:F3} s, stepping {tm.SteppingSeconds:F3} s, summaries {tm.SummarySeconds:F3} s, full selections {tm.FullSelections}, window retries {tm.WindowRetries}, total-in-main {clock.Elapsed.TotalSeconds:F3} s, threads {(threads > 0 ? threads : Environment.ProcessorCount)}"));
        return 0;
    }

    /// <summary>The workload's regimen: W1 one 0.5 mg/kg infusion over 60 min; W2 ten daily 60-min infusions of 0.5, 0.75, … mg/kg capped at 2.0.</summary>
    public static Regimen RegimenOf(string workload)
    {
        var days = workload == "W2" ? 10 : 1;
        return new Regimen(Enumerable.Range(0, days).Select(d => new Administration(
            Duration.FromMinutes(1440.0 * d),
            DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(workload == "W2" ? Math.Min(0.5 + (0.25 * d), 2.0) : 0.5), Duration.FromMinutes(60)))));
    }

    /// <summary>The workload's own population (same draws as the C reference's: weight by rejection, then six etas).</summary>
    public static VirtualPopulation Draw(PkModel model, int n)
    {
        var spec = new PopulationSpec
        {
            WeightKg = CovariateDistribution.TruncatedNormal(75, 15, 40, 150),
            Omega = OmegaMatrix.Diagonal("benchmark workload: 30 % log-normal (ω² = 0.09) on V1 and every rate constant", [.. EtaNames.Select(x => (x, 0.09))]),
        };
        return PopulationSampler.Sample(model, spec, n, Seed).Value;
    }

    /// <summary>Reads the peers' shared population (gen_subjects.py: id,weight,V1,k10,k12,k21,k13,k31) and turns the individual values into etas.</summary>
    public static VirtualPopulation Read(PkModel model, string path, int n)
    {
        var typical = EtaNames.Select(x => model.Parameters.Single(p => p.Name == x).Value).ToArray();
        var weights = new double[n];
        var etas = new double[n * EtaNames.Length];
        Span<double> v = stackalloc double[8];
        var rows = -1; // the header line is row -1
        var field = 0;
        var buffer = new byte[1 << 16];
        var carry = 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        while (rows < n)
        {
            var read = stream.Read(buffer, carry, buffer.Length - carry);
            var end = carry + read;
            var start = 0;
            for (var i = 0; i < end && rows < n; i++)
            {
                var ch = buffer[i];
                if (ch != (byte)',' && ch != (byte)'\n')
                {
                    continue;
                }

                if (rows >= 0 && field < 8)
                {
                    v[field] = double.Parse(buffer.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture);
                }

                field++;
                start = i + 1;
                if (ch == (byte)'\n')
                {
                    if (rows >= 0)
                    {
                        var weight = v[1];
                        weights[rows] = weight;
                        etas[(rows * 6) + 0] = Math.Log(v[2] / (typical[0] * weight));
                        for (var j = 1; j < 6; j++)
                        {
                            etas[(rows * 6) + j] = Math.Log(v[2 + j] / typical[j]);
                        }
                    }

                    rows++;
                    field = 0;
                }
            }

            if (read == 0)
            {
                break;
            }

            carry = end - start;
            buffer.AsSpan(start, carry).CopyTo(buffer);
        }

        if (rows != n)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"csv has {Math.Max(rows, 0)} rows, wanted {n}"));
        }

        // The internal constructor takes the arrays as they are (FromColumns would copy 5 MB at N = 100,000).
        return new VirtualPopulation(weights, null, null, EtaNames, etas);
    }

    private static string G10(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
