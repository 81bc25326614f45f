using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Tests;

public partial class TciCommandTests
{
    private static readonly string[] Effect = ["tci", "--model", "domino1984", "--weight", "70", "--age", "45", "--target", "150 ng/mL", "--site", "effect", "--for", "60min", "--steps", "4"];

    private static readonly string[] Plasma = ["tci", "--model", "domino1984", "--weight", "70", "--age", "45", "--target", "120 ng/mL", "--for", "2 h", "--steps", "3", "--concentration", "2 mg/mL"];

    [GeneratedRegex("  +")]
    private static partial Regex Gap();

    /// <summary>The plan the command should show, made directly with the planner.</summary>
    private static TciPlan Expected(TciSite site, string target, string duration, int steps, string concentration = "1 mg/mL", Ke0Option? ke0 = null, string? maxPlasma = "default")
    {
        // The command's safety default in effect-site mode: plasma ceiling max(target, 250 ng/mL).
        var t = QuantityParser.ParseConcentration(target).Value;
        Concentration? ceiling = maxPlasma == "default"
            ? (site == TciSite.EffectSite ? (t.NanogramsPerMilliliter > 250 ? t : Concentration.FromNanogramsPerMilliliter(250)) : null)
            : maxPlasma is null ? null : QuantityParser.ParseConcentration(maxPlasma).Value;
        // The clinical hard limits every TCI schedule of the command stays within: 2 mg/kg/h and 200 mg/h.
        var bag = QuantityParser.ParseConcentration(concentration).Value;
        var settings = new TciSettings
        {
            Target = QuantityParser.ParseConcentration(target).Value,
            Site = site,
            Duration = QuantityParser.ParseDuration(duration).Value,
            Concentration = bag,
            Steps = steps,
            MaxPlasma = ceiling,
            MaxRatePerKg = WeightNormalizedRate.FromMilligramsPerKilogramPerHour(2),
            MaxRate = FlowRate.FromMillilitersPerHour(Math.Min(1200, 200 / bag.MilligramsPerMilliliter)),
        };
        var plan = TciPlanner.Plan(ModelLibrary.Get("domino1984").Value, new Covariates(BodyWeight.FromKilograms(70), 45), settings, ke0);
        Assert.True(plan.IsSuccess, plan.Error);
        return plan.Value;
    }

    /// <summary>The data rows of the plain-text table under the heading that starts with <paramref name="heading"/>, split into cells.</summary>
    private static string[][] Table(CliRun run, string heading)
    {
        var lines = run.OutLines;
        var start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no heading '{heading}' in:\n{run.Out}");
        Assert.StartsWith("---", lines[start + 2], StringComparison.Ordinal);
        return [.. lines.Skip(start + 3).TakeWhile(l => l.Length > 0 && !l.StartsWith("Manual total", StringComparison.Ordinal) && char.IsDigit(l[0])).Select(l => Gap().Split(l.Trim()))];
    }

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

    [Fact]
    public void EffectSite_ManualStepsAndSummary_EqualThePlanner()
    {
        var plan = Expected(TciSite.EffectSite, "150 ng/mL", "60 min", 4);

        var run = Cli.Run(Effect);

        Assert.Equal(0, run.ExitCode);
        // The loading phase of an effect-site target would need more than 2 mg/kg/h: the rates are capped, and it is said.
        Assert.StartsWith("warning: [tci.rate-capped]", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var rows = Table(run, "Manual pump:");
        var manual = plan.Manual!.Steps;
        Assert.Equal(manual.Count, rows.Length);
        for (var i = 0; i < manual.Count; i++)
        {
            var m = manual[i];
            Assert.Equal(
                [
                    $"{Format.Clock(m.Start.Minutes)} – {Format.Clock(m.End.Minutes)}",
                    Format.N(m.PumpRate.MillilitersPerHour),
                    Format.N(m.Rate.MilligramsPerHour),
                    Format.N(m.Rate.MilligramsPerHour / 70),
                    Format.N(m.Volume!.Value.Milliliters),
                    Format.N(m.PlasmaAtEnd.NanogramsPerMilliliter),
                    Format.N(m.EffectAtEnd!.Value.NanogramsPerMilliliter),
                    Format.N(m.PeakPlasma.NanogramsPerMilliliter),
                ],
                rows[i]);
        }

        // The rates a nurse programs are on the pump's resolution.
        Assert.All(manual, m => Assert.Equal(Math.Round(m.PumpRate.MillilitersPerHour, 1), m.PumpRate.MillilitersPerHour, 9));
        Assert.Contains($"Time to target:  {Format.Clock(plan.TimeToTarget!.Value.Minutes)} (effect site", run.Out, StringComparison.Ordinal);
        Assert.Contains($"Hand-off:        {Format.Clock(plan.HandoffTime!.Value.Minutes)} ", run.Out, StringComparison.Ordinal);
        Assert.Contains($"Total:           {Format.N(plan.TotalAmount.Milligrams)} mg = {Format.N(plan.TotalVolume!.Value.Milliliters)} mL", run.Out, StringComparison.Ordinal);
        Assert.Contains($"Peak plasma:     {Format.N(plan.Steps.Max(s => s.PlasmaAtEnd).NanogramsPerMilliliter)} ng/mL", run.Out, StringComparison.Ordinal);
        Assert.Contains("Target:   150 ng/mL at the effect site", run.Out, StringComparison.Ordinal);
        Assert.Contains("Pump max: 200 mL/h = 200 mg/h", run.Out, StringComparison.Ordinal); // 1200 mL/h lowered to the 200 mg/h cap
        // The default ke0 is said, and it is borrowed; the planner's plasma-overshoot warning names the option.
        Assert.Contains("domino1984's default (no --ke0 given); borrowed", run.Out, StringComparison.Ordinal);
        Assert.Contains("- effect site: no --ke0 given", run.Out, StringComparison.Ordinal);
        Assert.Contains("it is borrowed", run.Out, StringComparison.Ordinal);
        Assert.Contains("plasma ceiling 250 ng/mL (default in effect-site mode", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("set --max-plasma to limit it", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectSite_DefaultCeiling_KeepsPlasmaAtOrBelow250()
    {
        // Hazard: effect-site targeting at a fast pump drives plasma to anaesthetic levels (≈ 2,100 ng/mL) unless capped.
        var capped = Expected(TciSite.EffectSite, "150 ng/mL", "60 min", 4);
        Assert.True(capped.Steps.Max(s => s.PlasmaAtEnd).NanogramsPerMilliliter <= 250 * 1.01);
        Assert.InRange(capped.Steps.Max(s => s.EffectAtEnd!.Value.NanogramsPerMilliliter), 148.5, 151.5);

        var run = Cli.Run([.. Effect, "--max-plasma", "none"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("set --max-plasma to limit it", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("plasma ceiling", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_ManualStepsComeFirst_AndTheFineScheduleIsCondensed()
    {
        var run = Cli.Run(Effect);

        var lines = run.OutLines.ToList();
        var manual = lines.FindIndex(l => l.StartsWith("Manual pump:", StringComparison.Ordinal));
        var summary = lines.FindIndex(l => l.StartsWith("TCI schedule:", StringComparison.Ordinal));
        var warnings = lines.FindIndex(l => l == "Warnings");
        Assert.True(manual >= 0 && manual < summary && summary < warnings, run.Out);
        var condensed = Table(run, "TCI schedule condensed:");
        Assert.InRange(condensed.Length, 3, 30);
        // The rows cover the plan without gaps: each starts where the previous ended, from 0 to 1 h.
        Assert.StartsWith("0 min – ", condensed[0][0], StringComparison.Ordinal);
        Assert.EndsWith(" – 1 h", condensed[^1][0], StringComparison.Ordinal);
        for (var i = 1; i < condensed.Length; i++)
        {
            Assert.Equal(condensed[i - 1][0].Split(" – ")[1], condensed[i][0].Split(" – ")[0]);
        }

        // The rows' amounts add up to the plan's total; no row is a few seconds' tail.
        var plan = Expected(TciSite.EffectSite, "150 ng/mL", "60 min", 4);
        Assert.Equal(plan.TotalAmount.Milligrams, condensed.Sum(r => double.Parse(r[3], CultureInfo.InvariantCulture)), 0.05);
        Assert.DoesNotContain(condensed, r => r[0].StartsWith("59 min", StringComparison.Ordinal));

        // Round-off of a stopped pump is shown as 0, never as 1E-12.
        Assert.DoesNotContain("0.0000", run.Out, StringComparison.Ordinal);
        Assert.Contains(condensed, r => r[1] == "0" && r[^1] == "effect site");
        Assert.Contains(condensed, r => r[^1] == "plasma");
    }

    [Fact]
    public void Plasma_ManualStepsAndSummary_EqualThePlanner_WithoutHandOff()
    {
        var plan = Expected(TciSite.Plasma, "120 ng/mL", "2 h", 3, "2 mg/mL");

        var run = Cli.Run(Plasma);

        Assert.Equal(0, run.ExitCode);
        var rows = Table(run, "Manual pump:");
        Assert.Equal(plan.Manual!.Steps.Select(m => Format.N(m.PumpRate.MillilitersPerHour)), rows.Select(r => r[1]));
        Assert.Equal(plan.Manual.Steps.Select(m => Format.N(m.Rate.MilligramsPerHour)), rows.Select(r => r[2]));
        Assert.Equal(plan.Manual.Steps.Select(m => Format.N(m.PlasmaAtEnd.NanogramsPerMilliliter)), rows.Select(r => r[5]));
        Assert.Contains($"Time to target:  {Format.Clock(plan.TimeToTarget!.Value.Minutes)} (plasma", run.Out, StringComparison.Ordinal);
        Assert.Contains($"Total:           {Format.N(plan.TotalAmount.Milligrams)} mg = {Format.N(plan.TotalVolume!.Value.Milliliters)} mL", run.Out, StringComparison.Ordinal);
        Assert.Contains("Target:   120 ng/mL in plasma", run.Out, StringComparison.Ordinal);
        // The pump's 1200 mL/h of the 2 mg/mL bag is lowered to the clinical absolute cap of 200 mg/h.
        Assert.Contains("Pump max: 100 mL/h = 200 mg/h", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Hand-off", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("no --ke0 given;", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("- plasma: effect-site targeting", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_OneRowPerPlanStep_ParsesInvariantly_AndEqualsThePlanner()
    {
        var plan = Expected(TciSite.EffectSite, "150 ng/mL", "60 min", 4);

        var run = Cli.Run([.. Effect, "--csv"]);

        Assert.Equal(0, run.ExitCode);
        var lines = run.OutLines;
        Assert.Equal("start_s,end_s,rate_mg_h,rate_ml_h,plasma_ng_ml,effect_ng_ml", lines[0]);
        Assert.Equal(plan.Steps.Count + 1, lines.Length);
        for (var m = 0; m < plan.Steps.Count; m++)
        {
            var cells = lines[m + 1].Split(',').Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            var s = plan.Steps[m];
            Assert.Equal([Math.Round(s.Start.Seconds, 6), Math.Round(s.End.Seconds, 6), s.Rate.MilligramsPerHour, s.PumpRate.MillilitersPerHour, s.PlasmaAtEnd.NanogramsPerMilliliter, s.EffectAtEnd!.Value.NanogramsPerMilliliter], cells);
        }

        Assert.StartsWith("0,10,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("280,290,", lines[29], StringComparison.Ordinal);
        // Warnings go to stderr so that the CSV stays clean.
        Assert.Contains("warning: --max-plasma: the plasma ceiling 250 ng/mL", run.Error, StringComparison.Ordinal);
        Assert.Contains("warning: effect site: no --ke0 given", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_ContainsManualStepsFineStepsSummaryAndWarnings()
    {
        var plan = Expected(TciSite.EffectSite, "150 ng/mL", "60 min", 4);

        var run = Cli.Run([.. Effect, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal("domino1984", root.GetProperty("model").GetProperty("id").GetString());
        Assert.Equal("effect", root.GetProperty("settings").GetProperty("site").GetString());
        var site = root.GetProperty("effect_site");
        Assert.Equal("olofsen2012", site.GetProperty("id").GetString());
        Assert.True(site.GetProperty("borrowed").GetBoolean());
        Assert.True(site.GetProperty("model_default").GetBoolean());

        var manual = root.GetProperty("manual").GetProperty("steps");
        Assert.Equal(plan.Manual!.Steps.Count, manual.GetArrayLength());
        for (var i = 0; i < plan.Manual.Steps.Count; i++)
        {
            var m = plan.Manual.Steps[i];
            var j = manual[i];
            Assert.Equal(m.Start.Minutes, j.GetProperty("start_min").GetDouble());
            Assert.Equal(m.End.Minutes, j.GetProperty("end_min").GetDouble());
            Assert.Equal(m.PumpRate.MillilitersPerHour, j.GetProperty("rate_ml_h").GetDouble());
            Assert.Equal(m.Rate.MilligramsPerHour, j.GetProperty("rate_mg_h").GetDouble());
            Assert.Equal(m.Rate.MilligramsPerHour / 70, j.GetProperty("rate_mg_kg_h").GetDouble(), 12);
            Assert.Equal(m.PlasmaAtEnd.NanogramsPerMilliliter, j.GetProperty("plasma_at_end_ng_ml").GetDouble());
            Assert.Equal(m.EffectAtEnd!.Value.NanogramsPerMilliliter, j.GetProperty("effect_at_end_ng_ml").GetDouble());
        }

        Assert.Equal(plan.Steps.Count, root.GetProperty("steps").GetArrayLength());
        Assert.Equal("effect", root.GetProperty("steps")[0].GetProperty("control").GetString());
        var summary = root.GetProperty("summary");
        Assert.Equal(plan.TimeToTarget!.Value.Minutes, summary.GetProperty("time_to_target_min").GetDouble());
        Assert.Equal(plan.HandoffTime!.Value.Minutes, summary.GetProperty("handoff_min").GetDouble());
        Assert.Equal(plan.TotalAmount.Milligrams, summary.GetProperty("total_mg").GetDouble());
        Assert.Equal(plan.TotalVolume!.Value.Milliliters, summary.GetProperty("total_ml").GetDouble());
        Assert.Equal(plan.Steps.Max(s => s.PlasmaAtEnd).NanogramsPerMilliliter, summary.GetProperty("peak_plasma_ng_ml").GetDouble());
        var warnings = root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains(warnings, w => w.StartsWith("--max-plasma: the plasma ceiling 250 ng/mL", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("borrowed", StringComparison.Ordinal));
    }

    [Fact]
    public void Ke0Given_IsUsed_AndNotCalledTheDefault()
    {
        var plan = Expected(TciSite.EffectSite, "150 ng/mL", "60 min", 4, ke0: EffectSites.UserSupplied(0.2));

        var run = Cli.Run([.. Effect, "--ke0", "0.2/min", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var site = doc.RootElement.GetProperty("effect_site");
        Assert.Equal("user", site.GetProperty("id").GetString());
        Assert.False(site.GetProperty("model_default").GetBoolean());
        Assert.Equal(plan.TimeToTarget!.Value.Minutes, doc.RootElement.GetProperty("summary").GetProperty("time_to_target_min").GetDouble());
        Assert.DoesNotContain("no --ke0 given", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void StepsZero_HasNoManualSchedule()
    {
        var text = Cli.Run([.. Plasma[..^6], "--steps", "0"]);
        var json = Cli.Run([.. Plasma[..^6], "--steps", "0", "--json"]);

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Manual pump: none (--steps 0)", text.Out, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json.Out);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("manual").ValueKind);
    }

    [Fact]
    public void Caps_AreShownInTheHeader()
    {
        var run = Cli.Run([.. Effect, "--max-rate-per-kg", "2 mg/kg/h", "--max-plasma", "400 ng/mL", "--max-rate", "600 mL/h", "--period", "30 s"]);

        Assert.Equal(0, run.ExitCode);
        // The pump asked for runs 600 mL/h, but the clinical absolute cap (200 mg/h) lowers it: 200 mL/h of the 1 mg/mL bag.
        Assert.Contains("Pump max: 200 mL/h = 200 mg/h; capped at 2 mg/kg/h = 140 mg/h; plasma ceiling 400 ng/mL", run.Out, StringComparison.Ordinal);
        Assert.Contains("rate recomputed every 30 s", run.Out, StringComparison.Ordinal);
        Assert.Contains("TCI schedule: 120 rates", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--concentration", "0,5 mg/mL", "did you mean 0.5")]
    [InlineData("--concentration", "500 mg/mL", "at most 100 mg/mL")]
    [InlineData("--target", "-5 ng/mL", "greater than 0 and at most 50000 ng/mL")]
    [InlineData("--target", "0 ng/mL", "greater than 0 ng/mL and at most 50000 ng/mL")]
    [InlineData("--target", "150", "no unit")]
    [InlineData("--max-rate", "0 mL/h", "greater than 0 mL/h and at most 2000 mL/h")]
    [InlineData("--max-rate", "fast", "at most 2000 mL/h")]
    [InlineData("--site", "bogus", "use plasma or effect")]
    [InlineData("--steps", "40", "between 0 and 12")]
    [InlineData("--steps", "2.5", "whole number from 0 (none) to 12")]
    [InlineData("--period", "0.5 s", "between 1 s and 600 s")]
    [InlineData("--for", "20 d", "at most 14 d")]
    [InlineData("--max-plasma", "100 ng/mL", "at least the target 150 ng/mL")]
    [InlineData("--max-rate-per-kg", "2 mg/h", "write e.g. \"2 mg/kg/h\"")]
    [InlineData("--max-rate-per-kg", "50 mg/kg/h", "at most 20 mg/kg/h")]
    [InlineData("--ke0", "fast", "olofsen2012")]
    [InlineData("--weight", "-70", "Allowed range: 0.3–500 kg")]
    [InlineData("--age", "140", "allowed range 0–120 years")]
    [InlineData("--model", "nosuchmodel", "known: domino1984")]
    [InlineData("--plot", "chart.pdf", ".png or .svg")]
    public void InvalidInput_Exits2AndNamesTheOption(string option, string value, string hint)
    {
        string[] args = [.. Effect];
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
        Assert.StartsWith("error: " + option + ":", run.Error, StringComparison.Ordinal);
        Assert.Contains(hint, run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void CsvAndJsonTogether_Exits2()
    {
        Assert.Equal(2, Cli.Run([.. Effect, "--csv", "--json"]).ExitCode);
    }

    [Fact]
    public void Refused_PatientFarOutsideThePopulation_Exits1()
    {
        var run = Cli.Run("tci", "--model", "domino1984", "--weight", "20", "--target", "100 ng/mL");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("refused: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("refuses it outside 30–250 kg", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void Plot_Png_HasThePngSignature()
    {
        using var file = Cli.TempFile(".png");

        var run = Cli.Run([.. Effect, "--plot", file.Path]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Chart written to", run.Out, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(file.Path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.True(bytes.Length > 10_000, $"PNG is only {bytes.Length} bytes");
    }

    [Fact]
    public void Plot_Svg_HasTheCurvesTargetAndPumpAxis()
    {
        using var file = Cli.TempFile(".svg");

        var run = Cli.Run([.. Plasma, "--plot", file.Path, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var _ = JsonDocument.Parse(run.Out);
        Assert.Contains("Chart written to", run.Error, StringComparison.Ordinal);
        var svg = File.ReadAllText(file.Path);
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("Concentration (ng/mL)", svg, StringComparison.Ordinal);
        Assert.Contains("Manual pump rate (mL/h)", svg, StringComparison.Ordinal);
        Assert.Contains("target 120 ng/mL", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_MissingFolder_Exits2AndNamesTheOption()
    {
        var path = Path.Combine(Path.GetTempPath(), "ketacare-no-such-folder-" + Guid.NewGuid().ToString("N"), "chart.png");

        var run = Cli.Run([.. Effect, "--plot", path]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: --plot", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    public void CommaCultures_DoNotChangeTheOutput(string culture)
    {
        foreach (var format in new[] { Array.Empty<string>(), ["--csv"], ["--json"] })
        {
            var invariant = RunUnder("", [.. Effect, .. format]);
            var local = RunUnder(culture, [.. Effect, .. format]);

            Assert.Equal(0, local.ExitCode);
            Assert.Equal(invariant.Out, local.Out);
            Assert.Equal(invariant.Error, local.Error);
        }

        var csv = RunUnder(culture, [.. Plasma, "--csv"]);
        Assert.All(csv.OutLines.Skip(1), l => Assert.All(l.Split(','), c => double.Parse(c, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Terminal_DrawsTables()
    {
        var run = Cli.RunOnTerminal(Effect);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("│", run.Out, StringComparison.Ordinal);
        Assert.Contains("mg/kg/h", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsEveryOption()
    {
        var run = Cli.Run("tci", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        foreach (var option in new[] { "--model", "--weight", "--age", "--sex", "--target", "--site", "--ke0", "--for", "--concentration", "--max-rate", "--steps", "--period", "--max-plasma", "--max-rate-per-kg", "--retarget", "--reweigh", "--csv", "--json", "--plot" })
        {
            Assert.Contains(option, run.Out, StringComparison.Ordinal);
        }

        Assert.Contains("1–600 s", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxRate: must be greater than 0 mL/h", "--max-rate: must be greater than 0 mL/h")]
    [InlineData("updatePeriod: too many updates", "--period: too many updates")]
    [InlineData("maxRatePerKg: x", "--max-rate-per-kg: x")]
    [InlineData("duration: x", "--for: x")]
    [InlineData("system: x", "system: x")]
    public void PlannerFieldNames_BecomeOptionNames(string planner, string cli)
    {
        Assert.Equal(cli, Commands.TciOptions.Name(planner));
    }
}
