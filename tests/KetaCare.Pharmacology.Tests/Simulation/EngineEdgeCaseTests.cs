using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Simulation;

/// <summary>Event edge cases that other PK tools have got wrong.</summary>
public class EngineEdgeCaseTests
{
    private static readonly PkModel Domino = ModelLibrary.Get("domino1984").Value;
    private static readonly Covariates Adult = Covariates.Reference70Kg with { AgeYears = 40 };

    private static SimulationResult Run(string until, string step, params (double AtMin, string Dose, Route Route)[] doses) =>
        Simulator.Run(new SimulationRequest(Domino, Adult, new Regimen(doses.Select(d => new Administration(Duration.FromMinutes(d.AtMin), DoseExpression.Parse(d.Dose).Value, d.Route))))
        {
            Until = QuantityParser.ParseDuration(until).Value,
            Step = QuantityParser.ParseDuration(step).Value,
        }).Value;

    private static void AssertSeriesEqual(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relTol)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= (relTol * Math.Abs(expected[i])) + 1e-15, $"point {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void BolusAtTimeZero_IsInTheFirstOutput()
    {
        // Right-continuous output: the t = 0 row shows the bolus (a peer reported 0 there).
        var r = Run("10 min", "1 min", (0, "35 mg", Route.Intravenous));
        Assert.Equal(35 / (0.063 * 70), r.MgPerLiter("plasma")[0], 12);
    }

    [Fact]
    public void InfusionAtTimeZero_StartsAtZeroConcentration()
    {
        var r = Run("10 min", "1 min", (0, "35 mg over 60 min", Route.Intravenous));
        Assert.Equal(0, r.MgPerLiter("plasma")[0]);
        Assert.True(r.MgPerLiter("plasma")[1] > 0);
    }

    [Fact]
    public void SimultaneousBoluses_EqualOneBolusOfTheSum()
    {
        var two = Run("6 h", "1 min", (30, "10 mg", Route.Intravenous), (30, "25 mg", Route.Intravenous));
        var one = Run("6 h", "1 min", (30, "35 mg", Route.Intravenous));
        AssertSeriesEqual(one.MgPerLiter("plasma"), two.MgPerLiter("plasma"), 1e-13);
    }

    [Fact]
    public void BackToBackInfusions_EqualOneContinuousInfusion()
    {
        var split = Run("6 h", "1 min", (0, "20 mg over 40 min", Route.Intravenous), (40, "10 mg over 20 min", Route.Intravenous));
        var whole = Run("6 h", "1 min", (0, "30 mg over 60 min", Route.Intravenous));
        AssertSeriesEqual(whole.MgPerLiter("plasma"), split.MgPerLiter("plasma"), 1e-12);
    }

    [Fact]
    public void OverlappingInfusions_AddTheirRates()
    {
        // 30 mg/h over 0–60 plus 60 mg/h over 30–90 = 30, 90, 60 mg/h in three 30-min pieces.
        var overlapping = Run("6 h", "1 min", (0, "30 mg over 60 min", Route.Intravenous), (30, "60 mg over 60 min", Route.Intravenous));
        var pieces = Run("6 h", "1 min", (0, "15 mg over 30 min", Route.Intravenous), (30, "45 mg over 30 min", Route.Intravenous), (60, "30 mg over 30 min", Route.Intravenous));
        AssertSeriesEqual(pieces.MgPerLiter("plasma"), overlapping.MgPerLiter("plasma"), 1e-12);
    }

    [Fact]
    public void EventBetweenGridPoints_IsHonoured()
    {
        // A bolus at 7.5 min on a 5-min grid must still be given at 7.5 min, not rounded to a grid point.
        var coarse = Run("2 h", "5 min", (7.5, "20 mg", Route.Intravenous));
        var fine = Run("2 h", "0.5 min", (7.5, "20 mg", Route.Intravenous));
        for (var k = 0; k < coarse.Times.Count; k++)
        {
            var j = (int)Math.Round(coarse.Times[k] / 0.5);
            Assert.Equal(fine.MgPerLiter("plasma")[j], coarse.MgPerLiter("plasma")[k], 1e-12);
        }

        Assert.Equal(0, coarse.MgPerLiter("plasma")[1]);
        Assert.True(coarse.MgPerLiter("plasma")[2] > 0);
    }

    [Fact]
    public void InfusionWithLag_EqualsTheSameInfusionStartedLater()
    {
        var lagged = new RouteParameters(0.93, 0.05, 15, "test: lag 15 min", true);
        var noLag = lagged with { LagMinutes = 0 };
        SimulationResult Sc(RouteParameters p, double start) => Simulator.Run(new SimulationRequest(Domino, Adult,
            new Regimen([new Administration(Duration.FromMinutes(start), DoseExpression.Parse("20 mg over 120 min").Value, Route.Subcutaneous)]))
        {
            Until = Duration.FromHours(8),
            RouteOverrides = new Dictionary<Route, RouteParameters> { [Route.Subcutaneous] = p },
        }).Value;

        AssertSeriesEqual(Sc(noLag, 15).MgPerLiter("plasma"), Sc(lagged, 0).MgPerLiter("plasma"), 1e-12);
    }

    [Fact]
    public void ZeroLengthInfusion_IsRejectedEverywhere()
    {
        Assert.False(DoseExpression.Parse("35 mg over 0 min").IsSuccess);
        Assert.Throws<ArgumentException>(() => new DosingSchedule([], [new RateInput(10, 10, 0, 1)], 0));
    }

    [Fact]
    public void IntranasalInfusion_IsRefusedWithReason()
    {
        var r = Simulator.Run(new SimulationRequest(Domino, Adult, Regimen.Single(DoseExpression.Parse("20 mg over 30 min").Value, Route.Intranasal)));
        Assert.False(r.IsSuccess);
        Assert.Contains("single dose", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SixWeekCourse_ExactMatchesOdeAndConservesMass()
    {
        // 30 daily 4-h infusions over six weeks (weekdays only), hourly output.
        var admin = new List<Administration>();
        for (var day = 0; day < 42; day++)
        {
            if (day % 7 < 5)
            {
                admin.Add(new Administration(Duration.FromDays(day), DoseExpression.Parse("0.35 mg/kg/h for 4 h").Value));
            }
        }

        var request = new SimulationRequest(Domino, Adult, new Regimen(admin)) { Until = Duration.FromDays(42), Step = Duration.FromHours(1) };
        var exact = Simulator.Run(request).Value;
        var ode = Simulator.Run(request with { Solver = SolverKind.DormandPrince }).Value;
        var a = exact.NgPerMl("plasma");
        var b = ode.NgPerMl("plasma");
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] > 1)
            {
                Assert.True(Math.Abs(a[i] - b[i]) / a[i] < 1e-6, $"t = {exact.Times[i]} min");
            }
        }

        Assert.True(exact.Balance().RelativeError < 1e-9);
        Assert.Equal(30 * 0.35 * 70 * 4, exact.Balance().AdministeredMg, 9);
    }

    [Theory]
    [InlineData("0.000001 mg")]
    [InlineData("2000 mg")]
    public void TinyAndHugeDoses_ScaleLinearly(string dose)
    {
        var reference = Run("24 h", "1 min", (0, "1 mg", Route.Intravenous)).MgPerLiter("plasma");
        var scaled = Run("24 h", "1 min", (0, dose, Route.Intravenous));
        var factor = QuantityParser.ParseMass(dose).Value.Milligrams;
        var s = scaled.MgPerLiter("plasma");
        for (var i = 0; i < s.Count; i++)
        {
            Assert.Equal(reference[i] * factor, s[i], (reference[i] * factor * 1e-12) + 1e-300);
        }

        Assert.True(scaled.Balance().RelativeError < 1e-9);
    }

    [Fact]
    public void AfterLastDose_PlasmaAndBodyAmountDecayMonotonically()
    {
        var r = Run("48 h", "1 min", (0, "0.5 mg/kg over 60 min", Route.Intravenous), (240, "0.75 mg/kg over 60 min", Route.Intravenous));
        var c = r.MgPerLiter("plasma");
        for (var k = 301; k < c.Count; k++)
        {
            Assert.True(c[k] < c[k - 1], $"plasma rose at {r.Times[k]} min");
            Assert.True(r.Balance(k).InBodyMg < r.Balance(k - 1).InBodyMg);
        }
    }

    [Fact]
    public void StepThatDoesNotDivideHorizon_EndsExactlyAtHorizon()
    {
        var r = Run("100 min", "15 min", (0, "10 mg", Route.Intravenous));
        Assert.Equal([0, 15, 30, 45, 60, 75, 90, 100], r.Times);
    }
}
