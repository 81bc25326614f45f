using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Analytics;

/// <summary>An estimate with its standard error and 95 % limits.</summary>
/// <param name="Value">Point estimate.</param>
/// <param name="StandardError">Asymptotic standard error.</param>
/// <param name="Low">Lower 95 % limit.</param>
/// <param name="High">Upper 95 % limit.</param>
public sealed record Estimate(double Value, double StandardError, double Low, double High);

/// <summary>A point of a fitted curve with its pointwise 95 % confidence band.</summary>
/// <param name="X">Exposure.</param>
/// <param name="Y">Fitted response.</param>
/// <param name="Low">Lower 95 % limit of the mean response.</param>
/// <param name="High">Upper 95 % limit of the mean response.</param>
public sealed record CurvePoint(double X, double Y, double Low, double High);

/// <summary>
/// The hyperbolic Emax model y = E0 + Emax·x / (EC50 + x) fitted to (exposure, response) pairs by nonlinear least
/// squares. Written here rather than taken from a numerical library: three parameters need a 3 × 3 solve, the start
/// comes from a profile over EC50 (for a fixed EC50 the model is linear in E0 and Emax, so every start is the best
/// for its EC50), and Levenberg–Marquardt then refines it — a few dozen lines the tests check against that profile
/// on a fine grid, with no dependency for the clinic core to carry.
/// </summary>
/// <param name="E0">Response at zero exposure.</param>
/// <param name="Emax">Largest change from E0.</param>
/// <param name="Ec50">Exposure of half the maximal change (limits from the log scale, where it is estimated).</param>
/// <param name="ResidualStandardDeviation">√(SSR / (n − 3)).</param>
/// <param name="Points">Number of pairs fitted.</param>
public sealed record EmaxFit(Estimate E0, Estimate Emax, Estimate Ec50, double ResidualStandardDeviation, int Points)
{
    /// <summary>Fewest pairs a fit is attempted on.</summary>
    public const int MinimumPoints = 6;

    private double[] _covariance = [];

    /// <summary>The fitted mean response at <paramref name="x"/>.</summary>
    public double Predict(double x) => E0.Value + (Emax.Value * x / (Ec50.Value + x));

    /// <summary>
    /// The fitted curve at <paramref name="xs"/> with a pointwise 95 % band from the delta method: Var ŷ = gᵀ C g with
    /// g the gradient in (E0, Emax, log EC50) and C = s² (JᵀJ)⁻¹ at the estimate.
    /// </summary>
    public IReadOnlyList<CurvePoint> Curve(IEnumerable<double> xs)
    {
        ArgumentNullException.ThrowIfNull(xs);
        return [.. xs.Select(x =>
        {
            var g = Gradient(E0.Value, Emax.Value, Ec50.Value, x);
            var v = 0.0;
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    v += g[i] * _covariance[(i * 3) + j] * g[j];
                }
            }

            var y = Predict(x);
            var half = Statistics.Z95 * Math.Sqrt(Math.Max(0, v));
            return new CurvePoint(x, y, y - half, y + half);
        })];
    }

    /// <summary>
    /// Fits the model. Refused (coded <see cref="FindingCodes.AnalyticsTooFewPoints"/>) with fewer than
    /// <see cref="MinimumPoints"/> pairs or fewer than three distinct exposures, and
    /// (<see cref="FindingCodes.AnalyticsFitFailed"/>) when the data do not determine the three parameters (a flat
    /// or straight-line cloud, where the curvature that fixes EC50 is not in the data).
    /// </summary>
    /// <param name="data">Exposure (≥ 0) and response pairs; non-finite pairs are refused.</param>
    public static Outcome<EmaxFit> Fit(IReadOnlyList<(double X, double Y)> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y) || p.X < 0))
        {
            return Refusal.Coded(FindingCodes.AnalyticsFitFailed, FindingArg.Of("field", "data"));
        }

        if (data.Count < MinimumPoints || data.Select(p => p.X).Distinct().Count() < 3)
        {
            return Refusal.Coded(FindingCodes.AnalyticsTooFewPoints, FindingArg.Of("field", "data"), FindingArg.Of("count", data.Count), FindingArg.Of("required", MinimumPoints));
        }

        var xs = data.Select(p => p.X).ToArray();
        var ys = data.Select(p => p.Y).ToArray();
        var (e0, emax, logEc50) = ProfileStart(xs, ys);
        var lambda = 1e-3;
        var ssr = Ssr(xs, ys, e0, emax, Math.Exp(logEc50));
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var (jtj, jtr) = Normal(xs, ys, e0, emax, Math.Exp(logEc50));
            var improved = false;
            while (lambda < 1e12)
            {
                var a = (double[])jtj.Clone();
                for (var i = 0; i < 3; i++)
                {
                    a[(i * 3) + i] *= 1 + lambda;
                }

                if (Solve3(a, jtr) is not { } step)
                {
                    lambda *= 10;
                    continue;
                }

                double n0 = e0 + step[0], n1 = emax + step[1], n2 = Math.Clamp(logEc50 + step[2], -30, 30);
                var candidate = Ssr(xs, ys, n0, n1, Math.Exp(n2));
                if (candidate <= ssr)
                {
                    var converged = ssr - candidate <= 1e-12 * (1 + ssr);
                    (e0, emax, logEc50, ssr) = (n0, n1, n2, candidate);
                    lambda = Math.Max(lambda / 10, 1e-12);
                    improved = !converged;
                    break;
                }

                lambda *= 10;
            }

            if (!improved)
            {
                break;
            }
        }

        var dof = data.Count - 3;
        var s2 = ssr / dof;
        var (finalJtj, _) = Normal(xs, ys, e0, emax, Math.Exp(logEc50));
        if (Invert3(finalJtj) is not { } inverse)
        {
            return Refusal.Coded(FindingCodes.AnalyticsFitFailed, FindingArg.Of("field", "data"));
        }

        var covariance = inverse.Select(v => v * s2).ToArray();
        var se = Enumerable.Range(0, 3).Select(i => Math.Sqrt(Math.Max(0, covariance[(i * 3) + i]))).ToArray();
        if (se.Any(v => !double.IsFinite(v)) || se[2] > 5)
        {
            // An EC50 whose log has an SE over 5 spans more than four orders of magnitude either way: not estimated.
            return Refusal.Coded(FindingCodes.AnalyticsFitFailed, FindingArg.Of("field", "data"));
        }

        var z = Statistics.Z95;
        return Outcome<EmaxFit>.Ok(new EmaxFit(
            new Estimate(e0, se[0], e0 - (z * se[0]), e0 + (z * se[0])),
            new Estimate(emax, se[1], emax - (z * se[1]), emax + (z * se[1])),
            new Estimate(Math.Exp(logEc50), Math.Exp(logEc50) * se[2], Math.Exp(logEc50 - (z * se[2])), Math.Exp(logEc50 + (z * se[2]))),
            Math.Sqrt(s2),
            data.Count)
        {
            _covariance = covariance,
        });
    }

    /// <summary>The best (E0, Emax) by linear least squares for each EC50 on a log grid from 1/100 of the smallest positive exposure to 100 × the largest.</summary>
    private static (double E0, double Emax, double LogEc50) ProfileStart(double[] xs, double[] ys)
    {
        var positive = xs.Where(x => x > 0).DefaultIfEmpty(1).ToArray();
        double lo = Math.Log(positive.Min() / 100), hi = Math.Log(positive.Max() * 100);
        var best = (E0: 0.0, Emax: 0.0, LogEc50: 0.0, Ssr: double.PositiveInfinity);
        for (var k = 0; k <= 200; k++)
        {
            var logEc50 = lo + ((hi - lo) * k / 200);
            var (e0, emax) = Linear(xs, ys, Math.Exp(logEc50));
            var ssr = Ssr(xs, ys, e0, emax, Math.Exp(logEc50));
            if (ssr < best.Ssr)
            {
                best = (e0, emax, logEc50, ssr);
            }
        }

        return (best.E0, best.Emax, best.LogEc50);
    }

    /// <summary>For a fixed EC50 the model is y = E0 + Emax·h with h = x/(EC50 + x): ordinary least squares in (E0, Emax).</summary>
    internal static (double E0, double Emax) Linear(double[] xs, double[] ys, double ec50)
    {
        double n = xs.Length, sh = 0, sy = 0, shh = 0, shy = 0;
        for (var i = 0; i < xs.Length; i++)
        {
            var h = xs[i] / (ec50 + xs[i]);
            sh += h;
            sy += ys[i];
            shh += h * h;
            shy += h * ys[i];
        }

        var det = (n * shh) - (sh * sh);
        if (Math.Abs(det) < 1e-300)
        {
            return (sy / n, 0);
        }

        var emax = ((n * shy) - (sh * sy)) / det;
        return ((sy - (emax * sh)) / n, emax);
    }

    internal static double Ssr(double[] xs, double[] ys, double e0, double emax, double ec50)
    {
        var s = 0.0;
        for (var i = 0; i < xs.Length; i++)
        {
            var r = ys[i] - (e0 + (emax * xs[i] / (ec50 + xs[i])));
            s += r * r;
        }

        return s;
    }

    private static double[] Gradient(double e0, double emax, double ec50, double x)
    {
        _ = e0;
        var d = ec50 + x;
        return [1, x / d, -emax * x * ec50 / (d * d)];
    }

    private static (double[] JtJ, double[] JtR) Normal(double[] xs, double[] ys, double e0, double emax, double ec50)
    {
        var jtj = new double[9];
        var jtr = new double[3];
        for (var i = 0; i < xs.Length; i++)
        {
            var g = Gradient(e0, emax, ec50, xs[i]);
            var r = ys[i] - (e0 + (emax * xs[i] / (ec50 + xs[i])));
            for (var a = 0; a < 3; a++)
            {
                jtr[a] += g[a] * r;
                for (var b = 0; b < 3; b++)
                {
                    jtj[(a * 3) + b] += g[a] * g[b];
                }
            }
        }

        return (jtj, jtr);
    }

    private static double[]? Solve3(double[] a, double[] b) => Invert3(a) is { } inv
        ? [.. Enumerable.Range(0, 3).Select(i => (inv[i * 3] * b[0]) + (inv[(i * 3) + 1] * b[1]) + (inv[(i * 3) + 2] * b[2]))]
        : null;

    /// <summary>The inverse of a symmetric 3 × 3 matrix by cofactors; null when it is singular to working precision.</summary>
    private static double[]? Invert3(double[] m)
    {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double c00 = (e * i) - (f * h), c01 = -((d * i) - (f * g)), c02 = (d * h) - (e * g);
        var det = (a * c00) + (b * c01) + (c * c02);
        var scale = Math.Abs(a * e * i) + Math.Abs(b * f * g) + Math.Abs(c * d * h) + 1e-300;
        if (!double.IsFinite(det) || Math.Abs(det) < 1e-13 * scale)
        {
            return null;
        }

        return
        [
            c00 / det, -((b * i) - (c * h)) / det, ((b * f) - (c * e)) / det,
            c01 / det, ((a * i) - (c * g)) / det, -((a * f) - (c * d)) / det,
            c02 / det, -((a * h) - (b * g)) / det, ((a * e) - (b * d)) / det,
        ];
    }
}
