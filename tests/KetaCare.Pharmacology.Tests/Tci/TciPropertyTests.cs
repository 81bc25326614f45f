using CsCheck;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;
using static KetaCare.Pharmacology.Tests.Tci.TciFixtures;

namespace KetaCare.Pharmacology.Tests.Tci;

/// <summary>Laws every plan obeys, over random targets, pumps and patients (CsCheck; iterations kept small for speed).</summary>
public sealed class TciPropertyTests
{
    [Fact]
    public void Plan_AnyTargetPumpAndWeight_RatesWithinPumpLimitsAndPlasmaNeverAboveTarget()
    {
        Gen.Select(Gen.Double[10, 3000], Gen.Double[20, 1200], Gen.Double[40, 120]).Sample((targetNg, maxMlPerHour, kg) =>
        {
            var system = Build(kg: kg);
            var settings = new TciSettings { Target = NgPerMl(targetNg), MaxRate = FlowRate.FromMillilitersPerHour(maxMlPerHour), Duration = Duration.FromMinutes(20), Steps = 0 };
            var plan = Plan(system, settings);
            var ends = plan.Steps.Select(s => s.End.Minutes).ToArray();
            var cp = Resimulate(system, plan.ToDosingSchedule(), ends);
            for (var m = 0; m < ends.Length; m++)
            {
                var rate = plan.Steps[m].PumpRate.MillilitersPerHour;
                Assert.InRange(rate, 0, maxMlPerHour * (1 + 1e-12));
                Assert.True(cp[m] <= settings.Target.MilligramsPerLiter * (1 + 1e-9));
            }
        }, iter: 25);
    }

    [Fact]
    public void Plan_PumpLimitNotBinding_RatesAreLinearInTheTarget()
    {
        // A linear system and an unconstrained control law: doubling the target doubles every rate (superposition).
        Gen.Double[20, 500].Sample(targetNg =>
        {
            var system = Build();
            TciSettings Settings(double ng) => new()
            {
                Target = NgPerMl(ng),
                Site = TciSite.EffectSite,
                MaxRate = FlowRate.FromMillilitersPerHour(2000),
                Concentration = Concentration.FromMilligramsPerMilliliter(100),
                Duration = Duration.FromMinutes(20),
                Steps = 0,
            };
            var one = Plan(system, Settings(targetNg));
            var two = Plan(system, Settings(2 * targetNg));
            for (var m = 0; m < one.Steps.Count; m++)
            {
                Assert.Equal(2 * one.Steps[m].Rate.MilligramsPerMinute, two.Steps[m].Rate.MilligramsPerMinute, 1e-9 * Math.Max(1, two.Steps[m].Rate.MilligramsPerMinute));
            }
        }, iter: 15);
    }

    [Fact]
    public void Plan_AnyEffectTarget_EffectPeakWithin1PercentOfTarget()
    {
        Gen.Select(Gen.Double[30, 1000], Gen.Double[60, 1200]).Sample((targetNg, maxMlPerHour) =>
        {
            var system = Build();
            var settings = new TciSettings { Target = NgPerMl(targetNg), Site = TciSite.EffectSite, MaxRate = FlowRate.FromMillilitersPerHour(maxMlPerHour), Duration = Duration.FromMinutes(30), Steps = 0 };
            var plan = Plan(system, settings);
            var ce = Resimulate(system, plan.ToDosingSchedule(), Grid(30, 1.0 / 30), "effect");
            Assert.True(ce.Max() <= settings.Target.MilligramsPerLiter * 1.01);
        }, iter: 15);
    }
}
