using System.Globalization;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;
using static KetaCare.Pharmacology.Tests.Tci.TciFixtures;

namespace KetaCare.Pharmacology.Tests.Tci;

/// <summary>Re-planning from the state at a change time: new target, new patient build.</summary>
public sealed class TciReplanTests(ITestOutputHelper output)
{
    [Fact]
    public void Replan_TargetRaisedAt20Min_ReachesNewTargetFromTheStateWithoutOvershoot()
    {
        var system = Build();
        var first = Plan(system, new TciSettings { Target = NgPerMl(150), Duration = Duration.FromMinutes(40) });
        var change = Duration.FromMinutes(20);
        var state = first.StateAt(change).Value;
        var second = Plan(system, new TciSettings { Target = NgPerMl(300), Duration = Duration.FromMinutes(20) }, state);
        Assert.Equal(change, second.Start);
        Assert.Equal(40, second.End.Minutes, 9);

        // Re-simulate the whole session from zero: first plan up to the change, then the second.
        var session = Concat(first.ToDosingSchedule(change), second.ToDosingSchedule());
        var ends = second.Steps.Select(s => s.End.Minutes).ToArray();
        var cp = Resimulate(system, session, ends);
        for (var m = 0; m < ends.Length; m++)
        {
            Assert.Equal(1, cp[m] / second.Steps[m].PlasmaAtEnd.MilligramsPerLiter, 9);
        }

        var fine = Grid(40, 1.0 / 60);
        var all = Resimulate(system, session, fine);
        Assert.True(all.Max() <= 0.3 * 1.01);
        Assert.Equal(0.3, cp[0], 9); // at 1200 mL/h the new target is reached at the end of the first period after the change
    }

    [Fact]
    public void Replan_EffectTargetLowered_FallsToTheNewTargetWithoutUndershoot()
    {
        var system = Build();
        var first = Plan(system, new TciSettings { Target = NgPerMl(300), Site = TciSite.EffectSite, Duration = Duration.FromMinutes(30) });
        var change = Duration.FromMinutes(30);
        var second = Plan(system, new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite, Duration = Duration.FromMinutes(60) }, first.FinalState);
        var session = Concat(first.ToDosingSchedule(), second.ToDosingSchedule());
        var times = Grid(90, 1.0 / 60, change.Minutes);
        var ce = Resimulate(system, session, Grid(90, 1.0 / 60), "effect")[^times.Length..];
        var reached = FirstCrossing(times, [.. ce.Select(c => -c)], -0.15 * 1.01);
        var low = ce.Min() / 0.15 - 1;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"effect 300 → 150 ng/mL at 30 min: within 1 % after {reached - 30:0.00} min, lowest {low * 100:0.00} % vs target, hand-off at {second.HandoffTime?.Minutes:0.00} min"));
        Assert.True(low >= -0.01, $"undershoot {low:P2}");
        Assert.True(ce[^1] / 0.15 - 1 <= 0.01);
        // No drug while the effect site comes down.
        Assert.All(second.Steps.Where(s => s.End <= second.HandoffTime!.Value), s => Assert.Equal(0, s.Rate.MilligramsPerMinute));
    }

    [Fact]
    public void StateAt_BetweenUpdates_EqualsEngineState()
    {
        var system = Build();
        var plan = Plan(system, new TciSettings { Target = NgPerMl(150), Site = TciSite.EffectSite });
        var t = 7.2345;
        var state = plan.StateAt(Duration.FromMinutes(t)).Value;
        var engine = Engine.Run(system, plan.ToDosingSchedule(), [t]);
        for (var i = 0; i < system.Order; i++)
        {
            Assert.Equal(engine[i], state.Values[i], 9);
        }

        Assert.False(plan.StateAt(Duration.FromMinutes(61)).IsSuccess);
    }

    [Fact]
    public void Replan_PatientRebuiltWithNewWeight_ContinuesFromTheAmounts()
    {
        var first = Plan(Build(kg: 70), new TciSettings { Target = NgPerMl(150), Duration = Duration.FromMinutes(20) });
        var heavier = Build(kg: 90);
        var second = Plan(heavier, new TciSettings { Target = NgPerMl(150), Duration = Duration.FromMinutes(20) }, first.FinalState);
        // Same amounts, larger central volume: plasma starts lower and is brought back to the target.
        Assert.True(second.InitialState.Plasma(heavier) < NgPerMl(150 * 0.8));
        Assert.Equal(0.15, second.Steps[0].PlasmaAtEnd.MilligramsPerLiter, 6);
    }

    [Fact]
    public void Replan_StateOfAnotherStructure_IsRefusedNamingFrom()
    {
        var first = Plan(Build(effectSite: true), new TciSettings { Target = NgPerMl(150), Duration = Duration.FromMinutes(10) });
        var result = TciPlanner.Plan(Build(effectSite: false), new TciSettings { Target = NgPerMl(150) }, first.FinalState);
        Assert.False(result.IsSuccess);
        Assert.StartsWith("from:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TciState_Create_RefusesNonFiniteAndNegativeValues()
    {
        Assert.False(TciState.Create(Duration.Zero, [0, double.NaN]).IsSuccess);
        Assert.False(TciState.Create(Duration.Zero, [0, -1]).IsSuccess);
        Assert.Equal(0, TciState.Create(Duration.Zero, [0, -1e-12]).Value.Values[1]);
    }
}
