using System.Globalization;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;
using static KetaCare.Pharmacology.Tests.Tci.TciFixtures;

namespace KetaCare.Pharmacology.Tests.Tci;

/// <summary>The manual-pump step schedule: few rates, tracking the TCI amount, concentrations verified by re-simulation.</summary>
public sealed class ManualPumpScheduleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(TciSite.Plasma, 4)]
    [InlineData(TciSite.EffectSite, 4)]
    [InlineData(TciSite.Plasma, 1)]
    [InlineData(TciSite.EffectSite, 8)]
    public void Manual_Concentrations_EqualEngineResimulation(TciSite site, int steps)
    {
        var system = Build();
        var plan = Plan(system, new TciSettings { Target = NgPerMl(150), Site = site, Steps = steps });
        var manual = plan.Manual!;
        Assert.Equal(steps, manual.Steps.Count);
        var ends = manual.Steps.Select(s => s.End.Minutes).ToArray();
        var cp = Resimulate(system, manual.ToDosingSchedule(), ends);
        var ce = Resimulate(system, manual.ToDosingSchedule(), ends, "effect");
        for (var s = 0; s < ends.Length; s++)
        {
            // Same exact solution, different step sequence: agreement to rounding (1e-9 relative).
            Assert.Equal(1, cp[s] / manual.Steps[s].PlasmaAtEnd.MilligramsPerLiter, 9);
            Assert.Equal(1, ce[s] / manual.Steps[s].EffectAtEnd!.Value.MilligramsPerLiter, 9);
        }

        // Peaks are sampled every update period (10 s); on a 1-s grid the true peak is at most 1 % higher.
        var fine = Grid(60, 1.0 / 60);
        var fineCp = Resimulate(system, manual.ToDosingSchedule(), fine).Max();
        var fineCe = Resimulate(system, manual.ToDosingSchedule(), fine, "effect").Max();
        Assert.InRange(manual.PeakPlasma.MilligramsPerLiter, fineCp * 0.99, fineCp * (1 + 1e-9));
        Assert.InRange(manual.PeakEffect!.Value.MilligramsPerLiter, fineCe * 0.99, fineCe * (1 + 1e-9));

        foreach (var s in manual.Steps)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{site} {s.Start.Minutes,5:0}–{s.End.Minutes,3:0} min  {s.PumpRate,12}  {s.Rate,10}  plasma at end {s.PlasmaAtEnd,12}  effect at end {s.EffectAtEnd,12}  peak plasma {s.PeakPlasma}"));
        }
    }

    [Fact]
    public void Manual_Steps_MatchTheTciAmountAtBoundariesOnWholeMinutes()
    {
        var settings = new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite };
        var plan = Plan(Build(), settings);
        var manual = plan.Manual!;
        Assert.Equal(1, manual.BoundarySpacing.Minutes);
        Assert.Equal(plan.Start, manual.Steps[0].Start);
        Assert.Equal(plan.End, manual.Steps[^1].End);
        var tci = plan.ToDosingSchedule();
        var given = 0.0;
        foreach (var s in manual.Steps)
        {
            Assert.Equal(Math.Round(s.Start.Minutes), s.Start.Minutes, 9);
            Assert.True(s.PumpRate.MillilitersPerHour <= 1200);
            // Rounding to 0.1 mL/h of a 1 mg/mL bag moves at most 0.05 mg/h × the step length.
            var tolerance = 0.05 / 60 * (s.End.Minutes - s.Start.Minutes) + 1e-9;
            Assert.Equal(tci.EnteredBy(s.End.Minutes) - tci.EnteredBy(s.Start.Minutes), s.TciAmount.Milligrams, 9);
            Assert.True(Math.Abs(s.Amount.Milligrams - s.TciAmount.Milligrams) <= tolerance);
            given += s.Amount.Milligrams;
            Assert.True(Math.Abs(given - tci.EnteredBy(s.End.Minutes)) <= 0.05 / 60 * s.End.Minutes + 1e-9);
            Assert.Equal(s.Amount.Milligrams, s.Volume?.Milliliters ?? 0, 9); // 1 mg/mL
        }
    }

    [Fact]
    public void Manual_FourSteps_KeepPlasmaNearTheTargetAfterTheFirstStep()
    {
        var system = Build();
        var plan = Plan(system, new TciSettings { Target = NgPerMl(150) });
        var manual = plan.Manual!;
        var fine = Grid(60, 1.0 / 60);
        var cp = Resimulate(system, manual.ToDosingSchedule(), fine);
        var afterFirst = cp.Where((_, k) => fine[k] >= manual.Steps[0].End.Minutes).ToArray();
        var worst = afterFirst.Max(c => Math.Abs(c / 0.15 - 1));
        var mean = afterFirst.Average(c => Math.Abs(c / 0.15 - 1));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"4 manual steps ({string.Join(", ", manual.Steps.Select(s => $"{s.Start.Minutes:0}–{s.End.Minutes:0} min {s.PumpRate}"))}): after the first step plasma within ±{worst * 100:0.0} % of target, mean |deviation| {mean * 100:0.0} %; peak {manual.PeakPlasma}"));
        // Four constant rates cannot follow a TCI exactly; a stated bound: within ±35 %, on average within 15 %.
        Assert.True(worst <= 0.35, $"worst {worst:P1}");
        Assert.True(mean <= 0.15, $"mean {mean:P1}");
    }

    [Fact]
    public void Manual_ZeroSteps_GivesNoSchedule()
    {
        Assert.Null(Plan(Build(), new TciSettings { Target = NgPerMl(150), Steps = 0 }).Manual);
    }

    [Fact]
    public void Manual_ShortPlan_UsesNoMoreStepsThanWholeMinutes()
    {
        var plan = Plan(Build(), new TciSettings { Target = NgPerMl(150), Duration = Duration.FromMinutes(3), Steps = 6 });
        Assert.Equal(3, plan.Manual!.Steps.Count);
    }

    [Fact]
    public void Manual_LongPlan_UsesCoarserBoundaries()
    {
        var plan = Plan(Build(), new TciSettings { Target = NgPerMl(150), Duration = Duration.FromHours(24) });
        Assert.Equal(10, plan.Manual!.BoundarySpacing.Minutes);
        Assert.All(plan.Manual.Steps, s => Assert.Equal(0, s.Start.Minutes % 10, 9));
    }
}
