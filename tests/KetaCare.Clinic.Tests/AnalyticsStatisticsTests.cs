using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// The estimators of the clinic analytics against published worked examples and independent computations:
/// Wilson intervals against Newcombe 1998 and a bisection on the score test; Kaplan–Meier and Greenwood against the
/// 6-MP arm of Freireich 1963 as printed by R's survfit; the Emax fit against a profile over a fine EC50 grid.
/// </summary>
public class AnalyticsStatisticsTests
{
    [Theory]
    // Newcombe RG, Stat Med 1998;17:857–872, table I, method 3 (Wilson score, no continuity correction), 4 decimals.
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_NewcombeExamples_MatchToFourDecimals(int successes, int trials, double low, double high)
    {
        var p = Proportion.Wilson(successes, trials);

        Assert.Equal(low, p.Low, 4);
        Assert.Equal(high, p.High, 4);
    }

    [Theory]
    [InlineData(0, 12)]
    [InlineData(3, 7)]
    [InlineData(12, 12)]
    [InlineData(57, 300)]
    public void Wilson_Limits_AreWhereTheScoreTestJustRejects(int successes, int trials)
    {
        // Independent: the limits solve |p̂ − p| = 1.96 √(p(1 − p)/n), found here by bisection on each side of p̂.
        var p = Proportion.Wilson(successes, trials);
        var hat = (double)successes / trials;
        double Score(double q) => Math.Abs(hat - q) - (Statistics.Z95 * Math.Sqrt(q * (1 - q) / trials));
        double Bisect(double a, double b)
        {
            for (var i = 0; i < 200; i++)
            {
                var m = (a + b) / 2;
                if (Math.Sign(Score(m)) == Math.Sign(Score(a)))
                {
                    a = m;
                }
                else
                {
                    b = m;
                }
            }

            return (a + b) / 2;
        }

        Assert.Equal(successes == 0 ? 0 : Bisect(0, hat - 1e-15), p.Low, 10);
        Assert.Equal(successes == trials ? 1 : Bisect(hat + 1e-15, 1), p.High, 10);
    }

    [Fact]
    public void Wilson_NothingObserved_WholeRangeAndNoEstimate()
    {
        var p = Proportion.Wilson(0, 0);

        Assert.Equal((0.0, 1.0), (p.Low, p.High));
        Assert.True(double.IsNaN(p.Estimate));
    }

    /// <summary>Freireich EJ et al., Blood 1963;21:699–716: weeks of remission on 6-mercaptopurine, + = censored.</summary>
    private static readonly TimeToEvent[] SixMp =
    [
        new(6, true), new(6, true), new(6, true), new(6, false), new(7, true), new(9, false), new(10, true), new(10, false), new(11, false),
        new(13, true), new(16, true), new(17, false), new(19, false), new(20, false), new(22, true), new(23, true), new(25, false),
        new(32, false), new(32, false), new(34, false), new(35, false),
    ];

    [Theory]
    // R: summary(survfit(Surv(time, status) ~ 1)) on the 6-MP arm: time, n.risk, survival, std.err, lower, upper (log CI).
    [InlineData(6, 21, 0.857, 0.0764, 0.720, 1.000)]
    [InlineData(7, 17, 0.807, 0.0869, 0.653, 0.996)]
    [InlineData(10, 15, 0.753, 0.0963, 0.586, 0.968)]
    [InlineData(13, 12, 0.690, 0.1068, 0.510, 0.935)]
    [InlineData(16, 11, 0.627, 0.1141, 0.439, 0.896)]
    [InlineData(22, 7, 0.538, 0.1282, 0.337, 0.858)]
    [InlineData(23, 6, 0.448, 0.1346, 0.249, 0.807)]
    public void KaplanMeier_SixMpArm_MatchesThePublishedTable(double weeks, int atRisk, double survival, double se, double low, double high)
    {
        var curve = KaplanMeierCurve.Estimate(SixMp);

        var step = curve.Steps.Single(s => s.Time == weeks);
        Assert.Equal(atRisk, step.AtRisk);
        Assert.Equal(survival, step.Survival, 3);
        Assert.Equal(se, step.StandardError, 4);
        Assert.Equal(low, step.Low, 3);
        Assert.Equal(high, step.High, 3);
    }

    [Fact]
    public void KaplanMeier_SixMpArm_MedianIs23WeeksAndCensoringAloneDoesNotMoveTheCurve()
    {
        var curve = KaplanMeierCurve.Estimate(SixMp);

        Assert.Equal(23, curve.Median);
        Assert.Equal(21, curve.Subjects);
        Assert.Equal(curve.SurvivalAt(7), curve.SurvivalAt(9.5));
        Assert.Equal(1.0, curve.SurvivalAt(5.9));
        Assert.Equal(0, curve.Steps.Single(s => s.Time == 9).Events);
    }

    [Fact]
    public void KaplanMeier_NoCensoring_IsTheEmpiricalSurvivalFunction()
    {
        // Without censoring KM reduces to the share still event-free: 1 − k/n after the k-th event.
        var times = Enumerable.Range(1, 10).Select(d => new TimeToEvent(d * 3, true)).ToList();

        var curve = KaplanMeierCurve.Estimate(times);

        Assert.All(curve.Steps.Select((s, k) => (s, k)), x => Assert.Equal(1 - ((x.k + 1) / 10.0), x.s.Survival, 12));
        Assert.Equal(15, curve.Median);
    }

    private static (double X, double Y)[] Hyperbola(double e0, double emax, double ec50, params double[] xs) =>
        [.. xs.Select(x => (x, e0 + (emax * x / (ec50 + x))))];

    [Fact]
    public void EmaxFit_NoiselessData_RecoversTheParameters()
    {
        var data = Hyperbola(5, 60, 120, 10, 25, 50, 80, 120, 200, 300, 500, 800);

        var fit = EmaxFit.Fit(data);

        Assert.True(fit.IsSuccess, fit.Error);
        Assert.Equal(5, fit.Value.E0.Value, 6);
        Assert.Equal(60, fit.Value.Emax.Value, 6);
        Assert.Equal(120, fit.Value.Ec50.Value, 4);
        Assert.True(fit.Value.ResidualStandardDeviation < 1e-6);
    }

    [Fact]
    public void EmaxFit_NoisyData_IsTheMinimumOfTheProfileOverAFineEc50Grid()
    {
        // Independent: for each EC50 on a grid of 20,001 log-spaced values the best E0 and Emax are a linear least-squares
        // problem; the fit's sum of squares must be no worse than the grid's best, and its EC50 within a grid step or two.
        var rng = new Random(7);
        var clean = Hyperbola(0, 55, 90, [.. Enumerable.Range(0, 60).Select(i => 5.0 + (i * 7.5))]);
        var data = clean.Select(p => (p.X, p.Y + (8 * Normal(rng)))).ToArray();
        var xs = data.Select(p => p.X).ToArray();
        var ys = data.Select(p => p.Item2).ToArray();

        var fit = EmaxFit.Fit(data).Value;

        var best = (Ssr: double.PositiveInfinity, Ec50: 0.0);
        for (var k = 0; k <= 20000; k++)
        {
            var ec50 = Math.Exp(Math.Log(1) + (Math.Log(10000) * k / 20000));
            var (e0, emax) = EmaxFit.Linear(xs, ys, ec50);
            var ssr = EmaxFit.Ssr(xs, ys, e0, emax, ec50);
            best = ssr < best.Ssr ? (ssr, ec50) : best;
        }

        var fitted = EmaxFit.Ssr(xs, ys, fit.E0.Value, fit.Emax.Value, fit.Ec50.Value);
        Assert.True(fitted <= best.Ssr * (1 + 1e-9), $"fit SSR {fitted}, grid {best.Ssr}");
        Assert.Equal(best.Ec50, fit.Ec50.Value, best.Ec50 * 1e-3);
        Assert.InRange(90.0, fit.Ec50.Low, fit.Ec50.High);
    }

    [Fact]
    public void EmaxFit_Curve_BandContainsTheFitAndNarrowsWithMoreData()
    {
        var rng = new Random(11);
        (double, double)[] Noisy(int n) => [.. Hyperbola(0, 50, 100, [.. Enumerable.Range(0, n).Select(i => 10.0 + (i * 400.0 / n))]).Select(p => (p.X, p.Y + (6 * Normal(rng))))];

        var small = EmaxFit.Fit(Noisy(20)).Value.Curve([100]).Single();
        var large = EmaxFit.Fit(Noisy(2000)).Value.Curve([100]).Single();

        Assert.InRange(small.Y, small.Low, small.High);
        Assert.True(large.High - large.Low < (small.High - small.Low) / 3, "the band narrows about as 1/√n");
    }

    [Fact]
    public void EmaxFit_TooFewPoints_RefusedWithTheCount()
    {
        var r = EmaxFit.Fit(Hyperbola(0, 50, 100, 10, 20, 30));

        var f = Assert.Single(r.Findings);
        Assert.Equal(FindingCodes.AnalyticsTooFewPoints, f.Code);
        Assert.Equal(3, f.Arg("count")!.Number);
    }

    [Fact]
    public void EmaxFit_FlatCloud_RefusedAsNotDetermined()
    {
        var r = EmaxFit.Fit([.. Enumerable.Range(1, 30).Select(i => ((double)i * 10, 20.0))]);

        Assert.Equal(FindingCodes.AnalyticsFitFailed, Assert.Single(r.Findings).Code);
    }

    [Fact]
    public void EmaxFit_NegativeExposure_Refused()
    {
        var r = EmaxFit.Fit([.. Hyperbola(0, 50, 100, 10, 20, 30, 40, 50), (-1.0, 3.0)]);

        Assert.Equal(FindingCodes.AnalyticsFitFailed, Assert.Single(r.Findings).Code);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
