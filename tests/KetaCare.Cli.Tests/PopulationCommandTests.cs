using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KetaCare.Cli.Commands;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Tests;

public partial class PopulationCommandTests
{
    private const int N = 1000;

    private static readonly string[] Base = ["population", "--model", "domino1984", "--n", "1000", "--dose", "0.5 mg/kg over 60 min", "--until", "6h", "--step", "1min"];

    private static readonly string[] WithIiv = [.. Base, "--iiv", "30%"];

    [GeneratedRegex("  +")]
    private static partial Regex Gap();

    /// <summary>The summary the command should show, made directly with the sampler and the simulator.</summary>
    private static PopulationSummary Expected(double? iivPercent, ulong seed = PopulationCommand.DefaultSeed, int n = N, double? low = null, double? high = null)
    {
        var model = ModelLibrary.Get("domino1984").Value;
        var spec = new PopulationSpec
        {
            WeightKg = CovariateDistribution.TruncatedNormal(75, 15, 40, 150),
            Omega = iivPercent is { } cv ? OmegaMatrix.FromCv("test", ("V1", cv), ("k12", cv), ("k21", cv), ("k13", cv), ("k31", cv), ("k10", cv)) : null,
        };
        var population = PopulationSampler.Sample(model, spec, n, seed);
        Assert.True(population.IsSuccess, population.Error);
        var request = new PopulationRequest(model, population.Value, Regimen.Single(DoseExpression.Parse("0.5 mg/kg over 60 min").Value))
        {
            Until = Duration.FromHours(6),
            Step = Duration.FromMinutes(1),
            Percentiles = [5, 50, 95],
            Thresholds = [Concentration.FromNanogramsPerMilliliter(300)],
            Targets =
            [
                new StaysWithin("range", Concentration.FromNanogramsPerMilliliter(low ?? 70), Concentration.FromNanogramsPerMilliliter(high ?? 160), Duration.FromMinutes(30), Duration.FromMinutes(60)),
                new PeakAbove("peak", Concentration.FromNanogramsPerMilliliter(300)),
            ],
        };
        var run = PopulationSimulator.Run(request);
        Assert.True(run.IsSuccess, run.Error);
        return run.Value;
    }

    /// <summary>The data rows of the plain-text table under the heading that starts with <paramref name="heading"/>, split into cells.</summary>
    private static string[][] Table(CliRun run, string heading)
    {
        var lines = run.OutLines;
        var start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no heading '{heading}' in:\n{run.Out}");
        Assert.StartsWith("---", lines[start + 2].TrimStart(), StringComparison.Ordinal);
        return [.. lines.Skip(start + 3).TakeWhile(l => l.Trim().Length > 0 && !l.StartsWith("Highest:", StringComparison.Ordinal)).Select(l => Gap().Split(l.Trim()))];
    }

    /// <summary><paramref name="args"/> with <paramref name="option"/> set to <paramref name="value"/> (replaced or added).</summary>
    private static string[] With(string[] args, string option, string value)
    {
        var list = new List<string>(args);
        var i = list.IndexOf(option);
        if (i >= 0)
        {
            list[i + 1] = value;
        }
        else
        {
            list.AddRange([option, value]);
        }

        return [.. list];
    }

    private static string WithoutTimings(string text) => string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("Timings:", StringComparison.Ordinal)));

    private static CliRun RunUnder(string culture, params string[] args)
    {
        var saved = CultureInfo.CurrentCulture;
        var savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            return Cli.Run(args);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    private static double[][] Csv(CliRun run, out string[] header)
    {
        var lines = run.OutLines;
        header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())];
    }

    [Fact]
    public void Table_EqualsTheSimulatorsSummary_ForTheSameSeedAndSpec()
    {
        var expected = Expected(30);

        var run = Cli.Run([.. WithIiv, "--every", "30min"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        var rows = Table(run, "Plasma, ng/mL");
        Assert.Equal(13, rows.Length); // 0, 30 min, …, 6 h
        for (var r = 0; r < rows.Length; r++)
        {
            var k = r * 30;
            Assert.Equal(Format.Time(expected.Times[k]), rows[r][0]);
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(Format.N(expected.PercentileNgPerMl(j, k)), rows[r][1 + j]);
            }

            Assert.Equal(Format.N(expected.MeanMgPerLiter[k] * 1000), rows[r][4]);
            Assert.Equal(Format.Percent(expected.FractionAbove(0)[k]), rows[r][5]);
        }

        // The end of the infusion falls between table rows; the maxima line shows the peak of each band.
        var p95 = expected.PercentileSeries(2).ToArray();
        var peak = Array.IndexOf(p95, p95.Max());
        Assert.Contains($"p95 {Format.N(p95[peak] * 1000)} ng/mL at {Format.Time(expected.Times[peak])}", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetAttainment_EqualsTheSummarys()
    {
        var expected = Expected(30);

        var run = Cli.Run(WithIiv);

        Assert.Equal(0, run.ExitCode);
        var within = run.OutLines.Single(l => l.StartsWith("stays within 70–160 ng/mL (acute analgesia, Zanos 2018) from 30 min to 1 h", StringComparison.Ordinal));
        var peak = run.OutLines.Single(l => l.StartsWith("peak above 300 ng/mL", StringComparison.Ordinal));
        var w = Gap().Split(within.Trim());
        var p = Gap().Split(peak.Trim());
        Assert.Equal(expected.Targets[0].Count.ToString("N0", CultureInfo.InvariantCulture), w[^2]);
        Assert.Equal(Format.Percent(expected.Targets[0].Fraction), w[^1]);
        Assert.Equal(expected.Targets[1].Count.ToString("N0", CultureInfo.InvariantCulture), p[^2]);
        Assert.Equal(Format.Percent(expected.Targets[1].Fraction), p[^1]);
        Assert.InRange(expected.Targets[0].Fraction, 0.01, 0.99);
        Assert.InRange(expected.Targets[1].Fraction, 0.01, 0.99);

        var json = JsonDocument.Parse(Cli.Run([.. WithIiv, "--json"]).Out).RootElement.GetProperty("target_attainment");
        Assert.Equal(expected.Targets[0].Count, json[0].GetProperty("count").GetInt64());
        Assert.Equal(expected.Targets[0].Fraction, json[0].GetProperty("fraction").GetDouble());
        Assert.Equal(30, json[0].GetProperty("from_min").GetDouble());
        Assert.Equal(60, json[0].GetProperty("to_min").GetDouble());
        Assert.Equal(expected.Targets[1].Fraction, json[1].GetProperty("fraction").GetDouble());
    }

    [Fact]
    public void TargetRange_ChangesTheRange()
    {
        var expected = Expected(30, low: 70, high: 200);

        var run = Cli.Run([.. WithIiv, "--target-range", "70-200 ng/mL", "--json"]);

        Assert.Equal(0, run.ExitCode);
        var t = JsonDocument.Parse(run.Out).RootElement.GetProperty("target_attainment")[0];
        Assert.Equal(200, t.GetProperty("high_ng_ml").GetDouble());
        Assert.Equal(expected.Targets[0].Count, t.GetProperty("count").GetInt64());
        Assert.Contains("(--target-range)", t.GetProperty("criterion").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_OneRowPerOutputTime_ParsesInvariantly_AndEqualsTheSummary()
    {
        var expected = Expected(30);

        var run = Cli.Run([.. WithIiv, "--csv"]);

        Assert.Equal(0, run.ExitCode);
        var rows = Csv(run, out var header);
        Assert.Equal(["time_min", "p5_ng_ml", "p50_ng_ml", "p95_ng_ml", "mean_ng_ml", "frac_above_300_ng_ml"], header);
        Assert.Equal(361, rows.Length);
        for (var k = 0; k < rows.Length; k++)
        {
            Assert.Equal(expected.Times[k], rows[k][0]);
            Assert.Equal(expected.PercentileNgPerMl(1, k), rows[k][2]);
            Assert.Equal(expected.MeanMgPerLiter[k] * 1000, rows[k][4]);
            Assert.Equal(expected.FractionAbove(0)[k], rows[k][5]);
        }

        // Warnings go to stderr, where they do not break the CSV.
        Assert.Contains("warning: Inter-individual variability is a user assumption (--iiv 30 %)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Percentiles_AreAList()
    {
        var run = Cli.Run([.. Base, "--percentiles", "2.5, 50,97.5,25,75", "--csv"]);

        Assert.Equal(0, run.ExitCode);
        Csv(run, out var header);
        Assert.Equal(["time_min", "p2_5_ng_ml", "p25_ng_ml", "p50_ng_ml", "p75_ng_ml", "p97_5_ng_ml", "mean_ng_ml", "frac_above_300_ng_ml"], header);
    }

    [Fact]
    public void Json_Parses_AndHasEverything()
    {
        var run = Cli.Run([.. WithIiv, "--json", "--threshold", "150 ng/mL", "--threshold", "300 ng/mL"]);

        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("domino1984", root.GetProperty("model").GetProperty("id").GetString());
        var pop = root.GetProperty("population");
        Assert.Equal(N, pop.GetProperty("n").GetInt32());
        Assert.Equal(20240601UL, pop.GetProperty("seed").GetUInt64());
        Assert.True(pop.GetProperty("weight_kg").GetProperty("default").GetBoolean());
        Assert.Equal(75, pop.GetProperty("weight_kg").GetProperty("mean").GetDouble());
        Assert.Equal("user assumption", pop.GetProperty("variability").GetProperty("kind").GetString());
        Assert.Equal(6, pop.GetProperty("variability").GetProperty("parameters").GetArrayLength());
        var series = root.GetProperty("series");
        Assert.Equal(361, series.GetProperty("time_min").GetArrayLength());
        Assert.Equal(361, series.GetProperty("p95_ng_ml").GetArrayLength());
        Assert.Equal(361, series.GetProperty("frac_above_150_ng_ml").GetArrayLength());
        Assert.Equal(3, root.GetProperty("target_attainment").GetArrayLength()); // range + two peaks
        Assert.True(root.GetProperty("timings").GetProperty("stepping_s").GetDouble() >= 0);
        Assert.NotEqual(0, root.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public void Iiv_WidensTheSpread_AndWithoutItDomino1984Warns()
    {
        var without = Cli.Run(Base);
        var with = Cli.Run(WithIiv);

        Assert.Equal(0, without.ExitCode);
        Assert.Contains("domino1984 was published without inter-individual variability (no Ω): only covariate variability is simulated", without.Out, StringComparison.Ordinal);
        Assert.Contains("--iiv", without.Out, StringComparison.Ordinal);
        Assert.Contains("IIV:      none (no Ω published; covariates only)", without.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("the population has no inter-individual variability", without.Out, StringComparison.Ordinal);
        Assert.Contains("IIV:      ASSUMED by the user (--iiv 30 %): independent log-normal on V1, k12, k21, k13, k31, k10", with.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("published without inter-individual variability", with.Out, StringComparison.Ordinal);

        var a = Expected(null);
        var b = Expected(30);
        var k = 240;
        var ratioWithout = a.PercentileNgPerMl(2, k) / a.PercentileNgPerMl(0, k);
        var ratioWith = b.PercentileNgPerMl(2, k) / b.PercentileNgPerMl(0, k);
        Assert.True(ratioWith > 2 * ratioWithout, $"p95/p5 {ratioWith} with --iiv vs {ratioWithout} without");
        var rowsWithout = Table(without, "Plasma, ng/mL");
        var rowsWith = Table(with, "Plasma, ng/mL");
        Assert.Equal(Format.N(a.PercentileNgPerMl(2, k)), rowsWithout[4][3]);
        Assert.Equal(Format.N(b.PercentileNgPerMl(2, k)), rowsWith[4][3]);
    }

    [Fact]
    public void SameSeed_IdenticalOutput_DifferentSeed_Different()
    {
        var one = Cli.Run([.. WithIiv, "--csv"]);
        var two = Cli.Run([.. WithIiv, "--csv"]);
        var other = Cli.Run([.. WithIiv, "--csv", "--seed", "7"]);
        var report1 = Cli.Run(WithIiv);
        var report2 = Cli.Run(WithIiv);

        Assert.Equal(one.Out, two.Out);
        Assert.NotEqual(one.Out, other.Out);
        Assert.Equal(WithoutTimings(report1.Out), WithoutTimings(report2.Out));
    }

    [Fact]
    public void TurkishCulture_DoesNotChangeTheOutput()
    {
        var invariant = RunUnder("en-US", [.. WithIiv, "--csv"]);
        var turkish = RunUnder("tr-TR", [.. WithIiv, "--csv"]);
        var invariantReport = RunUnder("en-US", [.. WithIiv, "--every", "2h"]);
        var turkishReport = RunUnder("tr-TR", [.. WithIiv, "--every", "2h"]);

        Assert.Equal(invariant.Out, turkish.Out);
        Assert.Equal(WithoutTimings(invariantReport.Out), WithoutTimings(turkishReport.Out));
        Assert.Contains("Patients: 1,000, seed 20240601", turkishReport.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFourHours_TableHasThoseRowsAndTheLastTime()
    {
        var run = Cli.Run([.. With(Base, "--until", "10h"), "--every", "4h"]);

        Assert.Equal(0, run.ExitCode);
        var rows = Table(run, "Plasma, ng/mL");
        Assert.Equal(["0 min", "4 h", "8 h", "10 h"], rows.Select(r => r[0]));
        Assert.Contains("Timings:  setup", run.Out, StringComparison.Ordinal);
        Assert.Contains("Weight:   Normal(75, 15²) kg truncated to 40–150 kg (default: the benchmark population of docs/performance.md", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void AgeSexAndWeight_AreShownAsGiven()
    {
        var run = Cli.Run([.. Base, "--weight-mean", "80", "--weight-sd", "10", "--weight-min", "50", "--weight-max", "120", "--age-mean", "45", "--age-sd", "12", "--age-min", "18", "--age-max", "80", "--female", "0.6", "--json"]);

        Assert.Equal(0, run.ExitCode);
        var pop = JsonDocument.Parse(run.Out).RootElement.GetProperty("population");
        Assert.False(pop.GetProperty("weight_kg").GetProperty("default").GetBoolean());
        Assert.Equal(80, pop.GetProperty("weight_kg").GetProperty("mean").GetDouble());
        Assert.Equal(18, pop.GetProperty("age_years").GetProperty("min").GetDouble());
        Assert.Equal(0.6, pop.GetProperty("female_fraction").GetDouble());
        Assert.DoesNotContain("age not given", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectOutput_UsesTheModelsKe0_AndSaysSo()
    {
        var run = Cli.Run([.. Base, "--output", "effect"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Effect site, ng/mL", run.Out, StringComparison.Ordinal);
        Assert.Contains("--output effect: no --ke0 given; domino1984's default olofsen2012", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--n", "0", "whole number 1–1,000,000")]
    [InlineData("--n", "2000000", "whole number 1–1,000,000")]
    [InlineData("--n", "10.5", "whole number 1–1,000,000")]
    [InlineData("--percentiles", "5;50", "comma-separated list of numbers 0–100")]
    [InlineData("--percentiles", "5,150", "comma-separated list of numbers 0–100")]
    [InlineData("--iiv", "250%", "allowed range 0–200 %")]
    [InlineData("--iiv", "lots", "allowed range 0–200 %")]
    [InlineData("--weight-mean", "600", "allowed range 0.3–500 kg")]
    [InlineData("--weight-min", "0.1", "allowed range 0.3–500 kg")]
    [InlineData("--weight-sd", "0", "must be greater than 0 and at most 500 kg")]
    [InlineData("--age-sd", "0", "must be greater than 0 and at most 120 years")]
    [InlineData("--weight-min", "160", "--weight-min must be below --weight-max")]
    [InlineData("--age-mean", "130", "allowed range 0–120 years")]
    [InlineData("--age-sd", "10", "needs --age-mean")]
    [InlineData("--female", "1.5", "allowed range 0–1")]
    [InlineData("--seed", "-1", "whole number 0–18446744073709551615")]
    [InlineData("--threshold", "0 ng/mL", "greater than 0 and at most 50000 ng/mL")]
    [InlineData("--target-range", "200-70 ng/mL", "0 < LOW < HIGH")]
    [InlineData("--target-range", "lots", "is not a range")]
    [InlineData("--every", "90s", "multiple of --step")]
    [InlineData("--step", "0 min", "greater than 0")]
    [InlineData("--output", "hnk", "available: plasma")]
    [InlineData("--dose", "0,5 mg/kg over 60 min", "0.5")]
    [InlineData("--ke0", "fast", "olofsen2012")]
    [InlineData("--model", "nosuchmodel", "known: domino1984")]
    [InlineData("--plot", "chart.pdf", ".png or .svg")]
    public void InvalidInput_Exits2AndNamesTheOption(string option, string value, string hint)
    {
        var run = Cli.Run(With(Base, option, value));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: " + option, run.Error, StringComparison.Ordinal);
        Assert.Contains(hint, run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void Iiv_ForAModelWithAPublishedOmega_Exits2()
    {
        var run = Cli.Run("population", "--model", "herd2007", "--n", "100", "--dose", "1 mg/kg", "--weight-mean", "30", "--weight-sd", "10", "--weight-min", "15", "--weight-max", "60", "--iiv", "30%");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --iiv: herd2007 has a published Ω", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_WeightsOutsideTheModelsLimits_Exits1WithTheReason()
    {
        var run = Cli.Run([.. Base, "--weight-mean", "300", "--weight-sd", "20", "--weight-min", "260", "--weight-max", "400"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refused: domino1984 refuses patients with weight outside 30–250 kg", run.Error, StringComparison.Ordinal);
        Assert.Contains("--weight-min/--weight-max", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelWithAPublishedOmega_UsesIt_AndAMetaboliteOutputHasNoKetamineTarget()
    {
        var run = Cli.Run("population", "--model", "flint2017", "--n", "300", "--dose", "1 mg/kg", "--weight-mean", "8", "--weight-sd", "3", "--weight-min", "3.5", "--weight-max", "30", "--age-mean", "2", "--until", "4h", "--output", "norketamine");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("IIV:      the model's published Ω on CL, CL_NK", run.Out, StringComparison.Ordinal);
        Assert.Contains("S-norketamine, ng/mL", run.Out, StringComparison.Ordinal);
        Assert.Contains("no target attainment is computed unless --target-range is given", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("published without inter-individual variability", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void RegimenFile_TheFirstInfusionSetsTheTargetWindow()
    {
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, """{"administrations":[{"at":"0 min","dose":"0.2 mg/kg","route":"iv"},{"at":"10 min","dose":"0.5 mg/kg over 40 min","route":"iv"},{"at":"3 h","dose":"0.5 mg/kg over 60 min","route":"iv"}]}""");

        var run = Cli.Run("population", "--model", "domino1984", "--n", "200", "--regimen", file.Path, "--until", "6h", "--iiv", "30%", "--json");

        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal(3, root.GetProperty("regimen").GetArrayLength());
        var t = root.GetProperty("target_attainment")[0];
        Assert.Equal(30, t.GetProperty("from_min").GetDouble());
        Assert.Equal(50, t.GetProperty("to_min").GetDouble());
    }

    [Fact]
    public void Plot_Png_HasThePngSignature()
    {
        using var file = Cli.TempFile(".png");

        var run = Cli.Run([.. WithIiv, "--plot", file.Path]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Chart written to", run.Out, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(file.Path);
        Assert.True(bytes.Length > 1000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    [Fact]
    public void Plot_Svg_HasTheBandsMedianAnalgesicBandAndThreshold()
    {
        using var file = Cli.TempFile(".svg");

        var run = Cli.Run([.. WithIiv, "--plot", file.Path, "--csv"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Chart written to", run.Error, StringComparison.Ordinal);
        var svg = File.ReadAllText(file.Path);
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("p5–p95", svg, StringComparison.Ordinal);
        Assert.Contains("median", svg, StringComparison.Ordinal);
        Assert.Contains("acute analgesia 70–160 ng/mL", svg, StringComparison.Ordinal);
        Assert.Contains("threshold 300 ng/mL", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsTheOptionsAndTheDefaults()
    {
        var run = Cli.Run("population", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--n", "--dose", "--regimen", "--percentiles", "--weight-mean", "--age-mean", "--female", "--iiv", "--seed", "--threshold", "--target-range", "--output", "--every", "--csv", "--json", "--plot" })
        {
            Assert.Contains(option, run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("docs/performance.md", run.Out, StringComparison.Ordinal);
        Assert.Contains("Default 75", run.Out, StringComparison.Ordinal);
        Assert.Contains("70–160 ng/mL", run.Out, StringComparison.Ordinal);
    }
}
