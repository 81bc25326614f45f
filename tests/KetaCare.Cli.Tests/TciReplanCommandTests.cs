using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Tests;

/// <summary><c>ketacare tci --retarget / --reweigh</c>: segments planned from the predicted state at each change.</summary>
public partial class TciReplanCommandTests
{
    private const double PeriodMinutes = 10.0 / 60;

    private static readonly string[] Base = ["tci", "--model", "domino1984", "--weight", "70", "--age", "45", "--target", "150 ng/mL", "--for", "60 min", "--steps", "4"];

    private static readonly PkModel Domino = ModelLibrary.Get("domino1984").Value;

    [GeneratedRegex("  +")]
    private static partial Regex Gap();

    private static CompartmentSystem Build(double kg) =>
        Domino.Build(new Covariates(BodyWeight.FromKilograms(kg), 45), new SubjectOptions { EffectSite = Domino.EffectSiteOptions[0] });

    /// <summary>The plan of one segment made directly with the planner from <paramref name="from"/>.</summary>
    private static TciPlan Segment(CompartmentSystem system, double targetNgPerMl, double kg, double minutes, TciState? from)
    {
        // The command's clinical hard limits: 2 mg/kg/h and 200 mg/h (200 mL/h of the 1 mg/mL bag).
        var settings = new TciSettings
        {
            Target = Concentration.FromNanogramsPerMilliliter(targetNgPerMl),
            Duration = Duration.FromMinutes(minutes),
            Steps = 4,
            Weight = BodyWeight.FromKilograms(kg),
            MaxRatePerKg = WeightNormalizedRate.FromMilligramsPerKilogramPerHour(2),
            MaxRate = FlowRate.FromMillilitersPerHour(200),
        };
        var plan = TciPlanner.Plan(system, settings, from);
        Assert.True(plan.IsSuccess, plan.Error);
        return plan.Value;
    }

    /// <summary>The data rows of the table under the heading that starts with <paramref name="heading"/>, split into cells.</summary>
    private static string[][] Table(CliRun run, string heading)
    {
        var lines = run.OutLines;
        var start = Array.FindIndex(lines, l => l.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no heading '{heading}' in:\n{run.Out}");
        Assert.StartsWith("---", lines[start + 2], StringComparison.Ordinal);
        return [.. lines.Skip(start + 3).TakeWhile(l => l.Length > 0 && (char.IsDigit(l.Trim()[0]))).Select(l => Gap().Split(l.Trim()))];
    }

    /// <summary>CSV rows as numbers: start_s, end_s, rate_mg_h, rate_ml_h, plasma_ng_ml, effect_ng_ml.</summary>
    private static double[][] Csv(CliRun run)
    {
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("start_s,end_s,rate_mg_h,rate_ml_h,plasma_ng_ml,effect_ng_ml", run.OutLines[0]);
        return [.. run.OutLines.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray())];
    }

    /// <summary>Plasma (ng/mL) at <paramref name="times"/> (min), re-simulated with the engine from the CSV's rates in a drug-free 70 kg patient.</summary>
    private static double[] Resimulate(double[][] rows, double[] times)
    {
        var system = Build(70);
        var paths = system.Routes[Route.Intravenous].Paths;
        var rates = rows.Where(r => r[2] > 0).SelectMany(r => paths.Select(p => new RateInput(r[0] / 60, r[1] / 60, p.State, r[2] / 60 * p.Fraction))).ToList();
        var schedule = new DosingSchedule([], rates, rows.Sum(r => r[2] / 60 * (r[1] - r[0]) / 60));
        var states = Engine.Run(system, schedule, times);
        var o = system.Output("plasma")!;
        return [.. Enumerable.Range(0, times.Length).Select(k => states[(k * system.Order) + o.State] * o.Scale * 1000)];
    }

    private static double[] Grid(double until, double step, double from = 0) =>
        [.. Enumerable.Range(0, (int)Math.Round((until - from) / step) + 1).Select(k => from + (k * step))];

    [Fact]
    public void Retarget_SegmentsAndManualSteps_EqualThePlannerFromTheStateAtTheChange()
    {
        var system = Build(70);
        var first = Segment(system, 150, 70, 20, null);
        var state = first.StateAt(Duration.FromMinutes(20)).Value;
        var second = Segment(system, 200, 70, 40, state);

        var run = Cli.Run([.. Base, "--retarget", "20 min=200 ng/mL"]);

        Assert.Equal(0, run.ExitCode);
        var segments = Table(run, "Segments:");
        Assert.Equal(2, segments.Length);
        Assert.Equal(["1", "0 min – 20 min", "150", "70", "0", "0"], segments[0][..6]);
        Assert.Equal(["2", "20 min – 1 h", "200", "70", Format.N(state.Plasma(system).NanogramsPerMilliliter), Format.N(state.Effect(system)!.Value.NanogramsPerMilliliter)], segments[1][..6]);
        Assert.Equal("--retarget", segments[1][^1]);

        foreach (var (plan, heading) in new[] { (first, "Manual pump, segment 1"), (second, "Manual pump, segment 2") })
        {
            var rows = Table(run, heading);
            var manual = plan.Manual!.Steps;
            Assert.Equal(manual.Count, rows.Length);
            for (var i = 0; i < manual.Count; i++)
            {
                Assert.Equal($"{Format.Clock(manual[i].Start.Minutes)} – {Format.Clock(manual[i].End.Minutes)}", rows[i][0]);
                Assert.Equal(Format.N(manual[i].PumpRate.MillilitersPerHour), rows[i][1]);
                Assert.Equal(Format.N(manual[i].PlasmaAtEnd.NanogramsPerMilliliter), rows[i][5]);
                Assert.Equal(Format.N(manual[i].EffectAtEnd!.Value.NanogramsPerMilliliter), rows[i][6]);
            }
        }

        // The second segment's manual steps start at the change: the nurse programs them from 20 min.
        Assert.Equal(20, second.Manual!.Steps[0].Start.Minutes, 9);
        var total = first.ToDosingSchedule(Duration.FromMinutes(20)).AdministeredMg + second.ToDosingSchedule().AdministeredMg;
        Assert.Contains($"Total:           {Format.N(total)} mg", run.Out, StringComparison.Ordinal);

        // Sections in order: segments, manual per segment, summary, condensed schedule.
        var order = new[] { "Segments:", "Manual pump, segment 1", "Manual pump, segment 2", "TCI schedule: ", "TCI schedule condensed" }
            .Select(h => Array.FindIndex(run.OutLines, l => l.StartsWith(h, StringComparison.Ordinal))).ToArray();
        Assert.Equal(order.Order(), order);
        var condensed = Table(run, "TCI schedule condensed");
        Assert.Contains(condensed, r => r[0].StartsWith("20 min –", StringComparison.Ordinal) && r[1] == "2");
        Assert.Contains(condensed, r => r[0].EndsWith("– 20 min", StringComparison.Ordinal) && r[1] == "1");
    }

    [Fact]
    public void Retarget_Raised_CsvResimulatedReachesTheNewTargetWithinOnePeriodWithoutOvershoot()
    {
        var rows = Csv(Cli.Run([.. Base, "--retarget", "20 min=200 ng/mL", "--csv"]));

        // Joined: 10 s periods from 0 to 60 min without gaps.
        Assert.Equal(360, rows.Length);
        for (var m = 1; m < rows.Length; m++)
        {
            Assert.Equal(rows[m - 1][1], rows[m][0]);
        }

        var afterOnePeriod = Resimulate(rows, [20 + PeriodMinutes])[0];
        Assert.True(Math.Abs((afterOnePeriod / 200) - 1) <= 0.01, $"plasma {afterOnePeriod} ng/mL one period after the change");

        var times = Grid(60, 1.0 / 60);
        var cp = Resimulate(rows, times);
        for (var k = 0; k < times.Length; k++)
        {
            var target = times[k] <= 20 ? 150 : 200;
            Assert.True(cp[k] <= target * 1.01, $"{cp[k]} ng/mL at {times[k]} min overshoots {target}");
        }

        // The CSV's predictions are the engine's.
        var ends = rows.Select(r => r[1] / 60).ToArray();
        var atEnds = Resimulate(rows, ends);
        for (var m = 0; m < rows.Length; m++)
        {
            Assert.Equal(1, atEnds[m] / rows[m][4], 9);
        }
    }

    [Fact]
    public void Retarget_Lowered_StopsThePumpUntilTheConcentrationFalls()
    {
        var rows = Csv(Cli.Run([.. Base, "--retarget", "20 min=80 ng/mL", "--csv"]));
        var after = rows.Where(r => r[0] >= 20 * 60).ToArray();

        Assert.Equal(0, after[0][2]);
        // Stopped in every period that still ends above the new target; it restarts only to hold the target.
        Assert.All(after.Where(r => r[4] > 80 * 1.01), r => Assert.Equal(0, r[2]));
        var restart = Array.FindIndex(after, r => r[2] > 0);
        Assert.True(restart > 1, "the pump never stops or never restarts");
        Assert.Equal(80, after[restart][4], 6);
        Assert.True(after[restart - 1][4] > 80, "the pump restarted before the concentration fell");
        var times = Grid(60, 1.0 / 60, 20);
        var cp = Resimulate(rows, times);
        Assert.True(cp.Min() >= 80 * 0.99, $"undershoot to {cp.Min()} ng/mL");
        Assert.True(Math.Abs((cp[^1] / 80) - 1) <= 0.01);
    }

    [Fact]
    public void Reweigh_ReplansFromTheCarriedOverAmounts()
    {
        var run = Cli.Run([.. Base, "--reweigh", "30 min=90 kg", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var segments = doc.RootElement.GetProperty("segments");
        Assert.Equal(2, segments.GetArrayLength());
        var second = segments[1];
        Assert.Equal(90, second.GetProperty("weight_kg").GetDouble());
        Assert.Equal("--reweigh", second.GetProperty("change").GetString());
        var steps = doc.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        var before = steps.Last(s => s.GetProperty("end_s").GetDouble() <= 30 * 60);
        Assert.Equal(30 * 60, before.GetProperty("end_s").GetDouble());

        // The amounts (mg) carry over; Domino 1984's V1 = 0.063 L/kg × weight, so plasma = A1/V1 falls by 70/90 at
        // the change, while the effect site, a concentration state, is unchanged.
        var plasmaBefore = before.GetProperty("plasma_ng_ml").GetDouble();
        Assert.Equal(1, second.GetProperty("plasma_at_start_ng_ml").GetDouble() / (plasmaBefore * 70 / 90), 9);
        Assert.Equal(1, second.GetProperty("effect_at_start_ng_ml").GetDouble() / before.GetProperty("effect_ng_ml").GetDouble(), 9);

        // Independently: the planner from the 70 kg plan's state at 30 min, in the 90 kg build.
        var first = Segment(Build(70), 150, 70, 30, null);
        var state = first.StateAt(Duration.FromMinutes(30)).Value;
        var heavier = Build(90);
        var replanned = Segment(heavier, 150, 90, 30, state);
        Assert.Equal(state.Values, replanned.InitialState.Values);
        var after = steps.Where(s => s.GetProperty("start_s").GetDouble() >= 30 * 60).ToArray();
        Assert.Equal(replanned.Steps.Count, after.Length);
        for (var m = 0; m < after.Length; m++)
        {
            Assert.Equal(replanned.Steps[m].Rate.MilligramsPerHour, after[m].GetProperty("rate_mg_h").GetDouble());
            Assert.Equal(replanned.Steps[m].PlasmaAtEnd.NanogramsPerMilliliter, after[m].GetProperty("plasma_ng_ml").GetDouble());
        }

        // Back at the target after one period (the lower plasma is topped up).
        Assert.Equal(150, after[0].GetProperty("plasma_ng_ml").GetDouble(), 6);
    }

    [Fact]
    public void EffectSite_RetargetAndReweighAtOneTime_MakeOneSegment_AndTheDefaultCeilingFollowsTheTarget()
    {
        var run = Cli.Run([.. Base, "--site", "effect", "--retarget", "20 min=300 ng/mL", "--retarget", "40 min=100 ng/mL", "--reweigh", "40 min=80 kg", "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(run.Out);
        var segments = doc.RootElement.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(3, segments.Length);
        Assert.Equal([250.0, 300.0, 250.0], segments.Select(s => s.GetProperty("max_plasma_ng_ml").GetDouble()));
        Assert.Equal("--retarget and --reweigh", segments[2].GetProperty("change").GetString());
        Assert.Equal(80, segments[2].GetProperty("weight_kg").GetDouble());
        Assert.Equal(100, segments[2].GetProperty("target_ng_ml").GetDouble());
        Assert.False(doc.RootElement.TryGetProperty("manual", out _));
        Assert.All(segments, s => Assert.Equal(s.GetProperty("start_min").GetDouble(), s.GetProperty("manual").GetProperty("steps")[0].GetProperty("start_min").GetDouble(), 9));
        // The effect site falls after the lowered target: no drug until it approaches 100 ng/mL.
        var steps = doc.RootElement.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(0, steps.First(s => s.GetProperty("start_s").GetDouble() == 40 * 60).GetProperty("rate_mg_h").GetDouble());
    }

    [Fact]
    public void ChangeBetweenUpdates_CutsThePeriodAtTheChange()
    {
        var rows = Csv(Cli.Run([.. Base, "--period", "60 s", "--retarget", "20.5 min=200 ng/mL", "--csv"]));

        Assert.Contains(rows, r => r[1] == 20.5 * 60);
        Assert.Contains(rows, r => r[0] == 20.5 * 60);
        var ends = rows.Select(r => r[1] / 60).ToArray();
        var atEnds = Resimulate(rows, ends);
        for (var m = 0; m < rows.Length; m++)
        {
            Assert.Equal(1, atEnds[m] / rows[m][4], 9);
        }
    }

    [Fact]
    public void CommaCulture_DoesNotChangeTheOutput()
    {
        string[] args = [.. Base, "--retarget", "20 min=200 ng/mL", "--reweigh", "45 min=68 kg"];
        var invariant = Cli.Run(args);
        var saved = CultureInfo.CurrentCulture;
        CliRun german;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            german = Cli.Run(args);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.Equal(0, invariant.ExitCode);
        Assert.Equal(invariant.Out, german.Out);
        Assert.Contains("Manual pump, segment 3 (45 min – 1 h, target 200 ng/mL plasma, 68 kg)", invariant.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--retarget", "20 min", "TIME=VALUE")]
    [InlineData("--retarget", "0 min=200 ng/mL", "inside (0, --for")]
    [InlineData("--retarget", "60 min=200 ng/mL", "inside (0, --for")]
    [InlineData("--retarget", "20 min=0 ng/mL", "greater than 0 and at most")]
    [InlineData("--retarget", "20 min=lots", "Allowed: \"TIME=TARGET\"")]
    [InlineData("--retarget", "20,5 min=200 ng/mL", "Allowed: \"TIME=TARGET\"")]
    [InlineData("--reweigh", "45 min=1000 kg", "WEIGHT 0.3–500 kg")]
    [InlineData("--reweigh", "soon=68 kg", "Allowed: \"TIME=WEIGHT\"")]
    public void InvalidChange_Exits2AndNamesTheOption(string option, string value, string hint)
    {
        var run = Cli.Run([.. Base, option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + option + ":", run.Error, StringComparison.Ordinal);
        Assert.Contains(hint, run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void ChangesNotAscending_Exit2()
    {
        var run = Cli.Run([.. Base, "--retarget", "30 min=200 ng/mL", "--retarget", "20 min=100 ng/mL"]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --retarget:", run.Error, StringComparison.Ordinal);
        Assert.Contains("strictly ascending", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_Svg_HasTheChangeMarks()
    {
        using var file = Cli.TempFile(".svg");
        var run = Cli.Run([.. Base, "--retarget", "20 min=200 ng/mL", "--plot", file.Path]);

        Assert.Equal(0, run.ExitCode);
        var svg = File.ReadAllText(file.Path);
        Assert.Contains("--retarget", svg, StringComparison.Ordinal);
        Assert.Contains("re-planned", svg, StringComparison.Ordinal);
    }
}
