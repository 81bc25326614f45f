using System.Globalization;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tci;

/// <summary>One measured concentration and the concentration the TCI model predicted at the same time.</summary>
/// <param name="Time">Sampling time.</param>
/// <param name="Measured">Measured (or "true") concentration.</param>
/// <param name="Predicted">Model-predicted concentration; must be &gt; 0.</param>
public sealed record PredictionSample(Duration Time, Concentration Measured, Concentration Predicted)
{
    /// <summary>Performance error PE = (measured − predicted) / predicted × 100, %.</summary>
    public double PerformanceErrorPercent => (Measured.MilligramsPerLiter - Predicted.MilligramsPerLiter) / Predicted.MilligramsPerLiter * 100.0;
}

/// <summary>
/// Accuracy of a TCI system in one individual after Varvel DR, Donoho DL, Shafer SL, "Measuring the predictive
/// performance of computer-controlled infusion pumps", J Pharmacokinet Biopharm 1992;20:63–94:
/// PE = (measured − predicted) / predicted × 100; MDPE = median PE (bias); MDAPE = median |PE| (inaccuracy);
/// wobble = median |PE − MDPE| (variability within the individual); divergence = least-squares slope of |PE|
/// against time, % per hour (positive: the error grows with time). Medians of an even count are the mean of
/// the two middle values. Immutable.
/// </summary>
/// <param name="Mdpe">Median performance error, %.</param>
/// <param name="Mdape">Median absolute performance error, %.</param>
/// <param name="Wobble">Median absolute deviation of PE from MDPE, %.</param>
/// <param name="DivergencePercentPerHour">Slope of |PE| against time, %/h.</param>
/// <param name="Count">Number of samples.</param>
public sealed record PerformanceMetrics(double Mdpe, double Mdape, double Wobble, double DivergencePercentPerHour, int Count)
{
    /// <summary>
    /// Computes the metrics of one individual. Errors: fewer than two samples, a predicted concentration of 0
    /// (PE undefined), or all samples at one time (no divergence).
    /// </summary>
    public static ParseResult<PerformanceMetrics> Compute(IReadOnlyList<PredictionSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            return ParseResult<PerformanceMetrics>.Fail("samples: at least 2 are needed.");
        }

        var pe = new double[samples.Count];
        var hours = new double[samples.Count];
        for (var i = 0; i < pe.Length; i++)
        {
            if (!(samples[i].Predicted.MilligramsPerLiter > 0))
            {
                return ParseResult<PerformanceMetrics>.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"samples[{i}]: the predicted concentration at {samples[i].Time} is 0; the performance error is undefined there."));
            }

            pe[i] = samples[i].PerformanceErrorPercent;
            hours[i] = samples[i].Time.Hours;
        }

        var mdpe = Median(pe);
        var mdape = Median(pe.Select(Math.Abs));
        var wobble = Median(pe.Select(v => Math.Abs(v - mdpe)));
        var meanT = hours.Average();
        var meanA = pe.Average(Math.Abs);
        double sxy = 0, sxx = 0;
        for (var i = 0; i < pe.Length; i++)
        {
            sxy += (hours[i] - meanT) * (Math.Abs(pe[i]) - meanA);
            sxx += (hours[i] - meanT) * (hours[i] - meanT);
        }

        if (!(sxx > 0))
        {
            return ParseResult<PerformanceMetrics>.Fail("samples: all at one time; divergence needs samples at two or more times.");
        }

        return ParseResult<PerformanceMetrics>.Ok(new PerformanceMetrics(mdpe, mdape, wobble, sxy / sxx, pe.Length));
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        var mid = v.Length / 2;
        return v.Length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2.0;
    }
}
