using System.Globalization;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Distribution of one continuous covariate (weight in kg, age in years). Immutable and thread-safe;
/// draws come from the caller's generator.
/// </summary>
public abstract class CovariateDistribution
{
    private protected CovariateDistribution()
    {
    }

    /// <summary>Draws one value.</summary>
    public abstract double Draw(Xoshiro256StarStar random);

    /// <summary>Smallest value the distribution can return.</summary>
    public abstract double Min { get; }

    /// <summary>Largest value the distribution can return.</summary>
    public abstract double Max { get; }

    /// <summary>
    /// Normal(<paramref name="mean"/>, <paramref name="sd"/>²) truncated to [<paramref name="min"/>, <paramref name="max"/>]
    /// by rejection (values outside are redrawn), in the covariate's unit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">sd ≤ 0, min ≥ max, or the interval holds less than 1e-6 of the mass.</exception>
    public static CovariateDistribution TruncatedNormal(double mean, double sd, double min, double max) => new TruncatedNormalDistribution(mean, sd, min, max);

    /// <summary>Resamples uniformly, with replacement, from an observed list (e.g. a clinic's weights).</summary>
    public static CovariateDistribution Empirical(IEnumerable<double> values) => new EmpiricalDistribution(values);

    /// <summary>The same value for every subject (draws no random numbers).</summary>
    public static CovariateDistribution Fixed(double value) => new FixedDistribution(value);

    private sealed class TruncatedNormalDistribution : CovariateDistribution
    {
        private readonly double _mean, _sd, _min, _max;

        public TruncatedNormalDistribution(double mean, double sd, double min, double max)
        {
            Guard.Finite(mean, "mean");
            Guard.Positive(sd, "sd");
            if (!(min < max) || !double.IsFinite(min) || !double.IsFinite(max))
            {
                throw new ArgumentOutOfRangeException(nameof(min), string.Create(CultureInfo.InvariantCulture, $"truncation interval [{min}, {max}] must be finite with min < max."));
            }

            // Rejection needs a reasonable acceptance probability.
            var mass = NormalCdf((max - mean) / sd) - NormalCdf((min - mean) / sd);
            if (!(mass >= 1e-6))
            {
                throw new ArgumentOutOfRangeException(nameof(min), string.Create(CultureInfo.InvariantCulture, $"truncation interval [{min}, {max}] holds almost none of Normal({mean}, {sd}²)."));
            }

            (_mean, _sd, _min, _max) = (mean, sd, min, max);
        }

        public override double Min => _min;

        public override double Max => _max;

        public override double Draw(Xoshiro256StarStar random)
        {
            double w;
            do
            {
                w = _mean + (_sd * random.NextGaussian());
            }
            while (w < _min || w > _max);

            return w;
        }

        private static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

        // Abramowitz–Stegun 7.1.26 is enough to judge the acceptance probability.
        private static double Erfc(double x)
        {
            var z = Math.Abs(x);
            var t = 1 / (1 + (0.3275911 * z));
            var y = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
            var r = y * Math.Exp(-z * z);
            return x >= 0 ? r : 2 - r;
        }
    }

    private sealed class EmpiricalDistribution : CovariateDistribution
    {
        private readonly double[] _values;

        public EmpiricalDistribution(IEnumerable<double> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            _values = [.. values];
            if (_values.Length == 0)
            {
                throw new ArgumentException("An empirical distribution needs at least one value.", nameof(values));
            }

            foreach (var v in _values)
            {
                Guard.Finite(v, "empirical value");
            }
        }

        public override double Min => _values.Min();

        public override double Max => _values.Max();

        public override double Draw(Xoshiro256StarStar random) => _values[random.NextInt(_values.Length)];
    }

    private sealed class FixedDistribution(double value) : CovariateDistribution
    {
        private readonly double _value = Guard.Finite(value, "value");

        public override double Min => _value;

        public override double Max => _value;

        public override double Draw(Xoshiro256StarStar random) => _value;
    }
}
