using System.Globalization;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;
using static KetaCare.Pharmacology.Tests.Tci.TciFixtures;

namespace KetaCare.Pharmacology.Tests.Tci;

/// <summary>Varvel 1992 accuracy metrics against hand-computed cases and a "true" patient that differs from the model.</summary>
public sealed class PerformanceMetricsTests(ITestOutputHelper output)
{
    private static PredictionSample Sample(double hours, double pePercent) =>
        new(Duration.FromHours(hours), Concentration.FromMilligramsPerLiter(1 + (pePercent / 100)), Concentration.FromMilligramsPerLiter(1));

    [Fact]
    public void Compute_HandCase_OddCount()
    {
        // PE = −10, 0, 10, 20, 30 % at 1…5 h. MDPE = 10; |PE| = 10, 0, 10, 20, 30 → MDAPE 10;
        // |PE − 10| = 20, 10, 0, 10, 20 → wobble 10; slope of |PE| on t: Σ(t−3)(|PE|−14) / Σ(t−3)² = 60 / 10 = 6 %/h.
        var m = PerformanceMetrics.Compute([Sample(1, -10), Sample(2, 0), Sample(3, 10), Sample(4, 20), Sample(5, 30)]).Value;
        Assert.Equal(10, m.Mdpe, 9);
        Assert.Equal(10, m.Mdape, 9);
        Assert.Equal(10, m.Wobble, 9);
        Assert.Equal(6, m.DivergencePercentPerHour, 9);
        Assert.Equal(5, m.Count);
    }

    [Fact]
    public void Compute_HandCase_EvenCountTakesTheMeanOfTheMiddleTwo()
    {
        // PE = 40, −20, 10, −30 at 0.5, 1, 1.5, 2 h. Sorted −30, −20, 10, 40 → MDPE −5; |PE| sorted 10, 20, 30, 40 → MDAPE 25;
        // |PE + 5| = 45, 15, 15, 25 → sorted 15, 15, 25, 45 → wobble 20; |PE| on t: mean t 1.25, mean 25;
        // Σ(t−1.25)(|PE|−25) = (−0.75)(15) + (−0.25)(−5) + (0.25)(−15) + (0.75)(5) = −10; Σ(t−1.25)² = 1.25 → −8 %/h.
        var m = PerformanceMetrics.Compute([Sample(0.5, 40), Sample(1, -20), Sample(1.5, 10), Sample(2, -30)]).Value;
        Assert.Equal(-5, m.Mdpe, 9);
        Assert.Equal(25, m.Mdape, 9);
        Assert.Equal(20, m.Wobble, 9);
        Assert.Equal(-8, m.DivergencePercentPerHour, 9);
    }

    [Fact]
    public void Compute_BadSamples_AreErrors()
    {
        Assert.False(PerformanceMetrics.Compute([Sample(1, 0)]).IsSuccess);
        Assert.False(PerformanceMetrics.Compute([Sample(1, 0), Sample(1, 5)]).IsSuccess);
        var zero = new PredictionSample(Duration.FromHours(2), Concentration.FromMilligramsPerLiter(1), Concentration.Zero);
        Assert.StartsWith("samples[1]", PerformanceMetrics.Compute([Sample(1, 0), zero]).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TciSite.Plasma, "plasma")]
    [InlineData(TciSite.EffectSite, "effect")]
    public void Evaluate_TruePatientWithSmallerCentralVolume_HasConstant25PercentError(TciSite site, string key)
    {
        // Domino is in rate-constant form: an eta on V1 scales every volume and leaves amounts unchanged, so a
        // true V1 of V1/1.25 makes every true concentration exactly 1.25 × the prediction: PE = +25 % at every
        // sample → MDPE = MDAPE = 25 %, wobble 0, divergence 0.
        var plan = Plan(Build(), new TciSettings { Target = NgPerMl(150), Site = site });
        var truth = Build(etas: new Dictionary<string, double> { ["V1"] = -Math.Log(1.25) });
        var times = Enumerable.Range(1, 12).Select(k => Duration.FromMinutes(5 * k)).ToArray();
        var m = plan.Evaluate(truth, times, key).Value;
        Assert.Equal(25, m.Mdpe, 6);
        Assert.Equal(25, m.Mdape, 6);
        Assert.Equal(0, m.Wobble, 6);
        Assert.Equal(0, m.DivergencePercentPerHour, 6);
    }

    [Fact]
    public void Evaluate_TruePatientWithFasterElimination_IsBiasedLowAndDiverges()
    {
        // k10 × 1.5: the true patient clears faster, so measured < predicted from the start (MDPE < 0, MDAPE = −MDPE),
        // and the error grows as the deficit accumulates in the peripheral compartments (divergence > 0).
        var plan = Plan(Build(), new TciSettings { Target = NgPerMl(150) });
        var truth = Build(etas: new Dictionary<string, double> { ["k10"] = Math.Log(1.5) });
        var times = Enumerable.Range(1, 12).Select(k => Duration.FromMinutes(5 * k)).ToArray();
        var m = plan.Evaluate(truth, times).Value;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"k10 × 1.5: MDPE {m.Mdpe:0.00} %, MDAPE {m.Mdape:0.00} %, wobble {m.Wobble:0.00} %, divergence {m.DivergencePercentPerHour:0.00} %/h"));
        Assert.True(m.Mdpe < -10);
        Assert.Equal(-m.Mdpe, m.Mdape, 9);
        Assert.True(m.DivergencePercentPerHour > 0);
        // Bounded by the steady-state ratio: plasma cannot fall below 1/1.5 of the prediction (PE ≥ −33.3 %).
        Assert.True(m.Mdpe > -100.0 / 3);
    }

    [Fact]
    public void Evaluate_IdenticalPatient_IsExact()
    {
        var system = Build();
        var plan = Plan(system, new TciSettings { Target = NgPerMl(150) });
        var m = plan.Evaluate(system, [Duration.FromMinutes(10), Duration.FromMinutes(30), Duration.FromMinutes(60)]).Value;
        Assert.Equal(0, m.Mdape, 9);
    }

    [Fact]
    public void Evaluate_ReplannedPlan_IsAnError()
    {
        var system = Build();
        var first = Plan(system, new TciSettings { Target = NgPerMl(150), Duration = Duration.FromMinutes(10) });
        var second = Plan(system, new TciSettings { Target = NgPerMl(200) }, first.FinalState);
        Assert.False(second.Evaluate(system, [Duration.FromMinutes(20), Duration.FromMinutes(30)]).IsSuccess);
    }
}
