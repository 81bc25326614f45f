using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Population;

/// <summary>
/// Draws virtual patients. Reproducible: the same model, spec, count and seed give the same subjects
/// (bit for bit) on every run, whatever the number of threads used later. Thread-safe (no shared state).
/// </summary>
public static class PopulationSampler
{
    /// <summary>Largest population one call draws.</summary>
    public const int MaxSubjects = 50_000_000;

    /// <summary>
    /// Draws <paramref name="count"/> subjects (1 – <see cref="MaxSubjects"/>) for <paramref name="model"/>
    /// with the given seed. Ω is <see cref="PopulationSpec.Omega"/> or else the model's; with neither,
    /// every subject has typical parameter values (no etas). Errors (Ω not positive semi-definite,
    /// eta names the model does not use, bad count) come back as values.
    /// </summary>
    public static ParseResult<VirtualPopulation> Sample(PkModel model, PopulationSpec spec, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        if (count < 1 || count > MaxSubjects)
        {
            return ParseResult<VirtualPopulation>.Fail(string.Create(CultureInfo.InvariantCulture, $"n: must be between 1 and {MaxSubjects} (was {count})."));
        }

        var omega = spec.Omega ?? model.Omega;
        var names = omega?.Names ?? [];
        var p = names.Count;
        double[] l = [];
        if (omega is not null)
        {
            // The names the model's Define looks an eta up for (not always its parameter names).
            var known = model.EtaNames;
            var unknown = names.FirstOrDefault(x => !known.Contains(x));
            if (unknown is not null)
            {
                return ParseResult<VirtualPopulation>.Fail($"omega: {model.Id} draws no eta for \"{unknown}\"; its eta names: {string.Join(", ", known)}.");
            }

            if (omega.Covariance.Length != p * p)
            {
                return ParseResult<VirtualPopulation>.Fail(string.Create(CultureInfo.InvariantCulture, $"omega: expected {p}×{p} values, got {omega.Covariance.Length}."));
            }

            var chol = Cholesky.Factor(p, omega.Covariance);
            if (!chol.IsSuccess)
            {
                return ParseResult<VirtualPopulation>.Fail(chol);
            }

            l = chol.Value;
        }

        var rng = new Xoshiro256StarStar(seed);
        var w = new double[count];
        var age = spec.AgeYears is null ? null : new double[count];
        var sex = spec.Sex is null ? null : new Sex[count];
        var etas = new double[count * p];
        Span<double> z = stackalloc double[p];
        for (var i = 0; i < count; i++)
        {
            w[i] = spec.WeightKg.Draw(rng);
            if (age is not null)
            {
                age[i] = spec.AgeYears!.Draw(rng);
            }

            if (sex is not null)
            {
                sex[i] = spec.Sex!.Draw(rng);
            }

            for (var j = 0; j < p; j++)
            {
                z[j] = rng.NextGaussian();
            }

            var row = etas.AsSpan(i * p, p);
            for (var r = 0; r < p; r++)
            {
                var s = 0.0;
                for (var c = 0; c <= r; c++)
                {
                    s += l[(r * p) + c] * z[c];
                }

                row[r] = s;
            }
        }

        return ParseResult<VirtualPopulation>.Ok(new VirtualPopulation(w, age, sex, [.. names], etas));
    }
}

/// <summary>Cholesky factorisation of a covariance matrix.</summary>
internal static class Cholesky
{
    /// <summary>
    /// Lower-triangular L (row-major) with L·Lᵀ = <paramref name="a"/>. Positive semi-definite matrices
    /// are accepted (a zero variance gives a zero column); an indefinite or asymmetric one is an error.
    /// </summary>
    public static ParseResult<double[]> Factor(int n, ReadOnlySpan<double> a)
    {
        var l = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var aij = a[(i * n) + j];
                var aji = a[(j * n) + i];
                if (!double.IsFinite(aij) || Math.Abs(aij - aji) > 1e-12 * Math.Max(1, Math.Abs(aij)))
                {
                    return ParseResult<double[]>.Fail("omega: must be a finite symmetric matrix.");
                }
            }
        }

        for (var j = 0; j < n; j++)
        {
            var d = a[(j * n) + j];
            for (var k = 0; k < j; k++)
            {
                d -= l[(j * n) + k] * l[(j * n) + k];
            }

            var scale = Math.Max(1e-300, Math.Abs(a[(j * n) + j]));
            if (d < -1e-12 * scale)
            {
                return ParseResult<double[]>.Fail("omega: is not positive semi-definite.");
            }

            var ljj = d > 0 ? Math.Sqrt(d) : 0.0;
            l[(j * n) + j] = ljj;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    s -= l[(i * n) + k] * l[(j * n) + k];
                }

                if (ljj == 0)
                {
                    if (Math.Abs(s) > 1e-12 * Math.Max(1e-300, Math.Abs(a[(i * n) + i])))
                    {
                        return ParseResult<double[]>.Fail("omega: is not positive semi-definite.");
                    }

                    continue;
                }

                l[(i * n) + j] = s / ljj;
            }
        }

        return ParseResult<double[]>.Ok(l);
    }
}
