using System.Globalization;
using System.Text.Json;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Tests;

public class SimulateCommandTests
{
    private static readonly string[] Base = ["simulate", "--model", "domino1984", "--weight", "70", "--age", "40", "--dose", "0.5 mg/kg over 60 min"];

    private static SimulationResult Engine(string until = "24 h", Ke0Option? ke0 = null)
    {
        var request = new SimulationRequest(
            ModelLibrary.Get("domino1984").Value,
            new Covariates(BodyWeight.FromKilograms(70), 40),
            Regimen.Single(DoseExpression.Parse("0.5 mg/kg over 60 min").Value))
        {
            Until = QuantityParser.ParseDuration(until).Value,
            EffectSite = ke0,
        };
        return Simulator.Run(request).Value;
    }

    private static double[] Column(CliRun run, string name)
    {
        var lines = run.OutLines;
        var index = Array.IndexOf(lines[0].Split(','), name);
        Assert.True(index >= 0, $"column {name} missing from {lines[0]}");
        return [.. lines.Skip(1).Select(l => double.Parse(l.Split(',')[index], CultureInfo.InvariantCulture))];
    }

    [Fact]
    public void Csv_EveryGridRow_CmaxAndSeriesEqualTheEngine()
    {
        var engine = Engine(ke0: EffectSites.Olofsen2012Analgesia);

        var run = Cli.Run([.. Base, "--ke0", "olofsen2012", "--csv"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("time_min,plasma_ng_ml,effect_ng_ml", run.OutLines[0]);
        Assert.Equal(engine.Times.Count + 1, run.OutLines.Length);
        var plasma = Column(run, "plasma_ng_ml");
        Assert.Equal(engine.NgPerMl("plasma"), plasma);
        Assert.Equal(engine.Metrics("plasma").Cmax.NanogramsPerMilliliter, plasma.Max());
        Assert.Equal(engine.NgPerMl("effect"), Column(run, "effect_ng_ml"));
        Assert.Equal(engine.Times, Column(run, "time_min"));
        // The borrowed ke0 is still said, on stderr so that the CSV stays clean.
        Assert.Contains("warning: effect site", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_SeriesMetricsBalanceAndWarnings_MatchTheEngine()
    {
        var engine = Engine(until: "6 h");

        var run = Cli.Run([.. Base, "--until", "6h", "--threshold", "100 ng/mL", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal("domino1984", root.GetProperty("model").GetProperty("id").GetString());
        Assert.Equal(engine.Times.Count, root.GetProperty("series").GetProperty("time_min").GetArrayLength());
        var plasma = root.GetProperty("metrics").GetProperty("plasma");
        Assert.Equal(engine.Metrics("plasma").Cmax.NanogramsPerMilliliter, plasma.GetProperty("cmax_ng_ml").GetDouble());
        Assert.Equal(engine.Metrics("plasma").Tmax.Minutes, plasma.GetProperty("tmax_min").GetDouble());
        Assert.Equal(engine.Metrics("plasma").AucNgHoursPerMl, plasma.GetProperty("auc_ng_h_per_ml").GetDouble());
        Assert.Equal(engine.TimeAbove("plasma", Concentration.FromNanogramsPerMilliliter(100)).Minutes, plasma.GetProperty("time_above_threshold_min").GetDouble());
        Assert.Equal(35, root.GetProperty("balance").GetProperty("administered_mg").GetDouble(), 12);
        Assert.True(root.GetProperty("balance").GetProperty("relative_error").GetDouble() < 1e-9);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("warnings").ValueKind);
    }

    [Fact]
    public void Table_RowsEvery15Min_WithMetricsBalanceAndWarnings()
    {
        var engine = Engine(until: "4 h");

        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "70", "--dose", "0.5 mg/kg over 60 min", "--until", "4h");

        Assert.Equal(0, run.ExitCode);
        var rows = run.OutLines.SkipWhile(l => !l.TrimStart().StartsWith("time", StringComparison.Ordinal)).Skip(2).TakeWhile(l => !l.StartsWith("Metrics", StringComparison.Ordinal)).ToArray();
        Assert.Equal(17, rows.Length); // 0, 15, …, 240 min
        Assert.StartsWith("1 h", rows[4].Trim(), StringComparison.Ordinal);
        Assert.EndsWith(SafeNumber.Format(engine.NgPerMl("plasma")[60]), rows[4], StringComparison.Ordinal);
        Assert.Contains(SafeNumber.Format(engine.Metrics("plasma").Cmax.NanogramsPerMilliliter), run.Out, StringComparison.Ordinal);
        Assert.Contains("time ≥ 70 ng/mL", run.Out, StringComparison.Ordinal);
        Assert.Contains("Given 35 mg", run.Out, StringComparison.Ordinal);
        // Age not given: the population check says so.
        Assert.Contains("age not given", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_EveryOption_SetsTheRowInterval()
    {
        var run = Cli.Run([.. Base, "--until", "2h", "--every", "30 min"]);

        Assert.Equal(0, run.ExitCode);
        var rows = run.OutLines.SkipWhile(l => !l.TrimStart().StartsWith("time", StringComparison.Ordinal)).Skip(2).TakeWhile(l => !l.StartsWith("Metrics", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["0 min", "30 min", "1 h", "1 h 30 min", "2 h"], rows.Select(r => r.Trim().Split("  ")[0]));
    }

    [Fact]
    public void Table_CoarseStep_IsTheRowInterval()
    {
        var run = Cli.Run([.. Base, "--until", "1h", "--step", "20 min"]);

        Assert.Equal(0, run.ExitCode);
        var rows = run.OutLines.SkipWhile(l => !l.TrimStart().StartsWith("time", StringComparison.Ordinal)).Skip(2).TakeWhile(l => !l.StartsWith("Metrics", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["0 min", "20 min", "40 min", "1 h"], rows.Select(r => r.Trim().Split("  ")[0]));
    }

    [Fact]
    public void Terminal_DrawsTables()
    {
        var run = Cli.RunOnTerminal([.. Base, "--until", "1h"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("│", run.Out, StringComparison.Ordinal);
        Assert.Contains("Plasma (ng/mL)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void RegimenFile_CombinesWithDose()
    {
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, """{"administrations":[{"at":"2 h","dose":"10 mg","route":"iv"}]}""");

        var run = Cli.Run([.. Base, "--regimen", file.Path, "--until", "3h", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("regimen").GetArrayLength());
        Assert.Equal(45, doc.RootElement.GetProperty("balance").GetProperty("administered_mg").GetDouble(), 12);
    }

    [Fact]
    public void Ke0Number_IsLabelledUserSupplied()
    {
        var run = Cli.Run([.. Base, "--until", "1h", "--ke0", "0.1/min", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var site = doc.RootElement.GetProperty("effect_site");
        Assert.Equal("user", site.GetProperty("id").GetString());
        Assert.Equal(0.1, site.GetProperty("ke0_per_min").GetDouble(), 12);
    }

    [Fact]
    public void Relief_AddsTheSlowSiteAndTheFractionOfMaxEffect()
    {
        var run = Cli.Run([.. Base, "--until", "2h", "--step", "10 min", "--relief", "--csv"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("time_min,plasma_ng_ml,relief_site_ng_ml,relief_fraction", run.OutLines[0]);
        var fraction = Column(run, "relief_fraction");
        Assert.All(fraction, f => Assert.InRange(f, 0, 1));
        Assert.True(fraction[^1] > 0);
    }

    [Fact]
    public void Refused_PatientFarOutsideThePopulation_Exits1()
    {
        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "20", "--dose", "1 mg/kg");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refuses it outside 30–250 kg", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Theory]
    [InlineData("--dose", "0,5 mg/kg", "did you mean 0.5")]
    [InlineData("--at", "-5 min", "negative")]
    [InlineData("--dose", "2 g/kg", "plausible ketamine maximum of 20 mg/kg")]
    [InlineData("--dose", "150 ng/mL", "not a dose")]
    [InlineData("--model", "nosuchmodel", "known: domino1984")]
    [InlineData("--weight", "-70", "Allowed range: 0.3–500 kg")]
    [InlineData("--weight", "900", "allowed range 0.3–500 kg")]
    [InlineData("--age", "140", "allowed range 0–120 years")]
    [InlineData("--sex", "x", "use f or m")]
    [InlineData("--route", "iv-drip", "use iv, im")]
    [InlineData("--until", "0 min", "greater than 0")]
    [InlineData("--step", "5 mg", "duration")]
    [InlineData("--every", "30 s", "multiple of --step")]
    [InlineData("--ke0", "fast", "olofsen2012")]
    [InlineData("--ke0", "0.1/day", "/min, /h or /s")]
    [InlineData("--threshold", "100", "no unit")]
    [InlineData("--plot", "chart.pdf", ".png or .svg")]
    public void InvalidInput_Exits2AndNamesTheOption(string option, string value, string hint)
    {
        string[] args = ["simulate", "--model", "domino1984", "--weight", "70", "--dose", "0.5 mg/kg over 60 min"];
        var index = Array.IndexOf(args, option);
        if (index >= 0)
        {
            args[index + 1] = value;
        }
        else
        {
            args = [.. args, option, value];
        }

        var run = Cli.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + option, run.Error, StringComparison.Ordinal);
        Assert.Contains(hint, run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void MissingRequiredOption_Exits2()
    {
        var run = Cli.Run("simulate", "--weight", "70", "--dose", "1 mg");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--model", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void NoDoseAndNoRegimen_Exits2()
    {
        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "70");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --dose", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvAndJsonTogether_Exits2()
    {
        var run = Cli.Run([.. Base, "--csv", "--json"]);

        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void Plot_Png_HasThePngSignatureAndContent()
    {
        using var file = Cli.TempFile(".png");

        var run = Cli.Run([.. Base, "--until", "4h", "--ke0", "olofsen2012", "--plot", file.Path]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Chart written to", run.Out, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(file.Path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.True(bytes.Length > 10_000, $"PNG is only {bytes.Length} bytes");
    }

    [Fact]
    public void Plot_Svg_IsAnSvgDocumentWithLabelledAxes()
    {
        using var file = Cli.TempFile(".svg");

        var run = Cli.Run([.. Base, "--until", "4h", "--plot", file.Path, "--csv"]);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("time_min,", run.Out, StringComparison.Ordinal);
        Assert.Contains("Chart written to", run.Error, StringComparison.Ordinal);
        var svg = File.ReadAllText(file.Path);
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("Concentration (ng/mL)", svg, StringComparison.Ordinal);
        Assert.Contains("Time (h)", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_MissingFolder_Exits2AndNamesTheOption()
    {
        var path = Path.Combine(Path.GetTempPath(), "ketacare-no-such-folder-" + Guid.NewGuid().ToString("N"), "chart.png");

        var run = Cli.Run([.. Base, "--until", "1h", "--plot", path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --plot", run.Error, StringComparison.Ordinal);
    }
}
