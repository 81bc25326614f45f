using System.Diagnostics;
using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;
using static KetaCare.Pharmacology.Tests.Tci.TciFixtures;

namespace KetaCare.Pharmacology.Tests.Tci;

/// <summary>Effect-site targeting (Shafer &amp; Gregg 1992) with hand-off to plasma control, checked by re-simulation.</summary>
public sealed class TciPlannerEffectSiteTests(ITestOutputHelper output)
{
    public static TheoryData<double, double> Cases => new()
    {
        { 150, 1200 },
        { 150, 100 },
        { 600, 1200 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_EffectTarget_PeaksAtTheTargetWithin1Percent(double targetNgPerMl, double maxMlPerHour)
    {
        var system = Build();
        var settings = new TciSettings { Target = NgPerMl(targetNgPerMl), Site = TciSite.EffectSite, MaxRate = FlowRate.FromMillilitersPerHour(maxMlPerHour) };
        var plan = Plan(system, settings);
        var fine = Grid(60, 1.0 / 60);
        var ce = Resimulate(system, plan.ToDosingSchedule(), fine, "effect");
        var cp = Resimulate(system, plan.ToDosingSchedule(), fine);
        var target = settings.Target.MilligramsPerLiter;
        var peakError = (ce.Max() / target) - 1;
        var reached = FirstCrossing(fine, ce, target * 0.99);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"effect target {targetNgPerMl} ng/mL, max {maxMlPerHour} mL/h: Ce peak error {peakError * 100:0.000} %, 99 % of target at {reached:0.00} min, hand-off at {plan.HandoffTime?.Minutes:0.00} min, plasma peak {cp.Max() / target:0.00} × target"));

        Assert.True(Math.Abs(peakError) <= 0.01, $"peak error {peakError:P3}");
        Assert.NotNull(plan.HandoffTime);
        // The point of effect-site targeting: plasma overshoots on purpose so the effect site gets there sooner.
        Assert.True(cp.Max() > target * 1.05);
    }

    [Fact]
    public void Plan_EffectTarget_IsFasterThanPlasmaTargeting()
    {
        var system = Build();
        var fine = Grid(60, 1.0 / 60);
        var effectPlan = Plan(system, new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite });
        var plasmaPlan = Plan(system, new TciSettings { Target = NgPerMl(150) });
        // 90 %: under plasma targeting the effect site approaches with t½ke0 11.8 min and needs ≈ 40 min for it.
        var viaEffect = FirstCrossing(fine, Resimulate(system, effectPlan.ToDosingSchedule(), fine, "effect"), 0.15 * 0.9);
        var viaPlasma = FirstCrossing(fine, Resimulate(system, plasmaPlan.ToDosingSchedule(), fine, "effect"), 0.15 * 0.9);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"effect site at 90 % of 150 ng/mL: {viaEffect:0.00} min (effect targeting) vs {viaPlasma:0.00} min (plasma targeting)"));
        Assert.True(viaEffect < viaPlasma / 2);
    }

    [Fact]
    public void Plan_EffectTarget_DoesNotOscillateAtSteadyState()
    {
        var system = Build();
        var plan = Plan(system, new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite });
        // Steady state: from 10 min (the effect site peaks at the target after ≈ 4 min).
        const double from = 10;
        var late = plan.Steps.Where(s => s.Start.Minutes >= from).ToArray();

        // Aliasing shows as pulses: zero periods between large ones, the rate going up and down every few periods.
        // Held at steady state the maintenance rate changes slowly and in one direction at a time as the
        // peripheral compartments exchange drug: no zero periods, < 5 % change between periods, and at most
        // two changes of direction in 50 min.
        var worstJump = 0.0;
        var turns = 0;
        var zeros = 0;
        for (var m = 1; m < late.Length; m++)
        {
            var a = late[m - 1].Rate.MilligramsPerMinute;
            var b = late[m].Rate.MilligramsPerMinute;
            zeros += b > 0 ? 0 : 1;
            worstJump = Math.Max(worstJump, Math.Abs(b - a) / Math.Max(a, 1e-12));
            if (m >= 2)
            {
                var before = a - late[m - 2].Rate.MilligramsPerMinute;
                var after = b - a;
                if (before * after < 0 && Math.Abs(after) > 1e-9 * a)
                {
                    turns++;
                }
            }
        }

        var times = Grid(60, 1.0 / 60, from);
        var all = Grid(60, 1.0 / 60);
        var cp = Resimulate(system, plan.ToDosingSchedule(), all)[^times.Length..];
        var ce = Resimulate(system, plan.ToDosingSchedule(), all, "effect")[^times.Length..];
        var band = ce.Max(c => Math.Abs(c / 0.15 - 1));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"from {from} min: {zeros} zero periods, largest period-to-period rate change {worstJump * 100:0.000} %, {turns} changes of direction, effect site within ±{band * 100:0.000} % of target, plasma within ±{cp.Max(c => Math.Abs(c / 0.15 - 1)) * 100:0.000} %; hand-off at {plan.HandoffTime?.Minutes:0.00} min"));
        Assert.Equal(0, zeros);
        Assert.True(worstJump < 0.05, $"rate jump {worstJump:P3}");
        Assert.True(turns <= 2, $"{turns} changes of direction");
        Assert.True(band <= 0.01, $"effect band {band:P3}");
        Assert.All(late, s => Assert.Equal(TciControl.Plasma, s.Control));
    }

    [Fact]
    public void Plan_PlasmaCapInEffectMode_IsHonoured()
    {
        var system = Build();
        var cap = NgPerMl(250);
        var uncapped = Plan(system, new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite });
        var capped = Plan(system, new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite, MaxPlasma = cap });
        var fine = Grid(60, 1.0 / 60);
        var cpUncapped = Resimulate(system, uncapped.ToDosingSchedule(), fine).Max();
        var cp = Resimulate(system, capped.ToDosingSchedule(), fine);
        var ce = Resimulate(system, capped.ToDosingSchedule(), fine, "effect");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plasma peak: uncapped {cpUncapped * 1000:0.0} ng/mL, capped {cp.Max() * 1000:0.0} ng/mL (cap 250); effect peak {ce.Max() * 1000:0.00} ng/mL"));

        Assert.True(cpUncapped > cap.MilligramsPerLiter * 1.1, "the cap must bind for this test to mean anything");
        // Tolerance 1 %: the cap is imposed at update boundaries; within a period plasma may rise slightly past it.
        Assert.True(cp.Max() <= cap.MilligramsPerLiter * 1.01, $"plasma {cp.Max() * 1000} ng/mL");
        Assert.True(Math.Abs((ce.Max() / 0.15) - 1) <= 0.01);
        Assert.Contains(capped.Warnings, w => w.Code == EngineWarningCodes.TciPlasmaCeiling && w.Arg("ceiling")!.Number == cap.NanogramsPerMilliliter);
    }

    [Fact]
    public void Plan_EffectModeWithoutEffectSite_IsRefusedNamingTheField()
    {
        var result = TciPlanner.Plan(Build(effectSite: false), new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite });
        Assert.False(result.IsSuccess);
        Assert.StartsWith("site:", result.Error, StringComparison.Ordinal);
        Assert.Contains("effect site", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_FromModel_AddsTheDefaultEffectSiteAndSaysItIsBorrowed()
    {
        var result = TciPlanner.Plan(Domino, Patient(), new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite });
        Assert.True(result.IsSuccess, result.Error);
        Assert.NotNull(result.Value.System.Output("effect"));
        Assert.Contains(result.Value.Warnings, w => w.Code == EngineWarningCodes.Ke0Borrowed && w.Arg("model")!.Text == Domino.Id);
        Assert.Equal(Math.Log(2) / 11.8, -result.Value.System[result.Value.System.Output("effect")!.State, result.Value.System.Output("effect")!.State], 12);
    }

    [Fact]
    public void Plan_SixtyMinutesEffectMode_TakesWellUnder50Ms()
    {
        var system = Build();
        var settings = new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite, Steps = 4 };
        Plan(system, settings); // warm-up (JIT)
        var best = double.PositiveInfinity;
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            Plan(system, settings);
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"60-min effect-site plan with 4 manual steps: {best:0.00} ms (best of 5)"));
        // Best of 5 on a shared 2-core machine; the budget is 50 ms and the plan should need a small fraction.
        Assert.True(best < 50, $"{best} ms");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(300)]
    public void Plan_FastKe0AndLongPeriod_StillPeaksAtTheTarget(double periodSeconds)
    {
        // Herd 2008's t½ke0 of 11 s is far shorter than a 60- or 300-s update period: the peak falls between
        // updates and must be found on a finer grid.
        var system = TciFixtures.Domino.Build(Patient(), new SubjectOptions { EffectSite = EffectSites.Herd2008Arousal });
        var plan = Plan(system, new TciSettings { Target = NgPerMl(500), Site = TciSite.EffectSite, UpdatePeriod = Duration.FromSeconds(periodSeconds) });
        var ce = Resimulate(system, plan.ToDosingSchedule(), Grid(60, 1.0 / 600), "effect");
        var peakError = (ce.Max() / 0.5) - 1;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"t½ke0 11 s, period {periodSeconds} s: effect-site peak error {peakError * 100:0.000} %"));
        Assert.True(Math.Abs(peakError) <= 0.01, $"peak error {peakError:P3}");
    }

    [Fact]
    public void Plan_VeryFastUserKe0WithLongPeriod_StaysFastAndBounded()
    {
        // t½ke0 ≈ 0.04 s with a 10-min period: the peak-search grid is capped, not millions of points.
        var system = TciFixtures.Domino.Build(Patient(), new SubjectOptions { EffectSite = EffectSites.UserSupplied(1000) });
        var sw = Stopwatch.StartNew();
        var plan = Plan(system, new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite, UpdatePeriod = Duration.FromMinutes(10) });
        Assert.True(sw.Elapsed.TotalSeconds < 2, sw.Elapsed.ToString());
        var ce = Resimulate(system, plan.ToDosingSchedule(), Grid(60, 1.0 / 600), "effect");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ke0 1000 /min, period 10 min: {sw.Elapsed.TotalMilliseconds:0} ms, effect peak {ce.Max() * 1000:0.00} ng/mL"));
        Assert.True(ce.Max() <= 0.15 * 1.01);
    }

    [Fact]
    public void Plan_UserKe0_IsUsed()
    {
        var system = TciFixtures.Domino.Build(Patient(), new SubjectOptions { EffectSite = EffectSites.UserSupplied(0.5) });
        var plan = Plan(system, new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite });
        var fine = Grid(60, 1.0 / 60);
        var ce = Resimulate(system, plan.ToDosingSchedule(), fine, "effect");
        Assert.True(Math.Abs((ce.Max() / 0.15) - 1) <= 0.01);
    }
}
