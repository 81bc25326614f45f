using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Population;

/// <summary>Distribution of sex across virtual patients.</summary>
public abstract class SexDistribution
{
    private protected SexDistribution()
    {
    }

    /// <summary>Draws one value.</summary>
    public abstract Sex Draw(Xoshiro256StarStar random);

    /// <summary>Female with probability <paramref name="femaleFraction"/> (0–1), else male.</summary>
    public static SexDistribution Bernoulli(double femaleFraction) => new BernoulliSex(Guard.InRange(femaleFraction, 0, 1, "female fraction"));

    /// <summary>Resamples uniformly, with replacement, from an observed list.</summary>
    public static SexDistribution Empirical(IEnumerable<Sex> values) => new EmpiricalSex(values);

    private sealed class BernoulliSex(double femaleFraction) : SexDistribution
    {
        public override Sex Draw(Xoshiro256StarStar random) => random.NextDouble() < femaleFraction ? Sex.Female : Sex.Male;
    }

    private sealed class EmpiricalSex : SexDistribution
    {
        private readonly Sex[] _values;

        public EmpiricalSex(IEnumerable<Sex> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            _values = [.. values];
            if (_values.Length == 0)
            {
                throw new ArgumentException("An empirical distribution needs at least one value.", nameof(values));
            }
        }

        public override Sex Draw(Xoshiro256StarStar random) => _values[random.NextInt(_values.Length)];
    }
}

/// <summary>
/// How virtual patients are drawn: covariate distributions and the inter-individual variability.
/// Per subject the sampler draws, in this order, weight, age (if given), sex (if given), then the
/// etas: η = L·z with z standard normal and L the Cholesky factor of Ω (LLᵀ = Ω).
/// </summary>
public sealed record PopulationSpec
{
    /// <summary>Body weight, kg (required). E.g. <c>CovariateDistribution.TruncatedNormal(75, 15, 40, 150)</c>.</summary>
    public required CovariateDistribution WeightKg { get; init; }

    /// <summary>Age, years; null leaves age unknown.</summary>
    public CovariateDistribution? AgeYears { get; init; }

    /// <summary>Sex; null leaves sex unknown.</summary>
    public SexDistribution? Sex { get; init; }

    /// <summary>Ω to use instead of the model's own <see cref="PkModel.Omega"/> (e.g. an assumed variability for a model published without one); null uses the model's.</summary>
    public OmegaMatrix? Omega { get; init; }
}

/// <summary>
/// A set of virtual patients in structure-of-arrays form: covariates and etas (log scale) per subject.
/// Immutable after construction and safe to share between threads, unless it is handed to a run with
/// <see cref="PopulationRequest.ReleasePopulationAfterBuild"/>, which empties it.
/// </summary>
public sealed class VirtualPopulation
{
    private readonly int _count;
    private double[] _weightKg;
    private double[]? _ageYears;
    private Sex[]? _sex;
    private double[] _etas;

    internal VirtualPopulation(double[] weightKg, double[]? ageYears, Sex[]? sex, IReadOnlyList<string> etaNames, double[] etas)
    {
        _count = weightKg.Length;
        _weightKg = weightKg;
        _ageYears = ageYears;
        _sex = sex;
        EtaNames = etaNames;
        _etas = etas;
    }

    /// <summary>Number of subjects.</summary>
    public int Count => _count;

    /// <summary>True once a run given <see cref="PopulationRequest.ReleasePopulationAfterBuild"/> has emptied it: its subjects can no longer be read.</summary>
    public bool IsReleased { get; private set; }

    /// <summary>Parameter names the etas act on, in column order.</summary>
    public IReadOnlyList<string> EtaNames { get; }

    /// <summary>Weight of subject <paramref name="i"/>, kg.</summary>
    public double WeightKg(int i) => _weightKg[i];

    /// <summary>Age of subject <paramref name="i"/>, years, or null when the population has no ages.</summary>
    public double? AgeYears(int i) => _ageYears?[i];

    /// <summary>Sex of subject <paramref name="i"/>, or null when the population has no sexes.</summary>
    public Sex? SexOf(int i) => _sex?[i];

    /// <summary>Eta <paramref name="j"/> (column of <see cref="EtaNames"/>) of subject <paramref name="i"/>, log scale.</summary>
    public double Eta(int i, int j) => _etas[(i * EtaNames.Count) + j];

    /// <summary>Drops the subjects' arrays (reading a subject afterwards throws <see cref="IndexOutOfRangeException"/>).</summary>
    internal void Release()
    {
        IsReleased = true;
        _weightKg = [];
        _etas = [];
        _ageYears = _ageYears is null ? null : [];
        _sex = _sex is null ? null : [];
    }

    /// <summary>Covariates of subject <paramref name="i"/>.</summary>
    public Covariates CovariatesOf(int i) => new(BodyWeight.FromKilograms(_weightKg[i]), AgeYears(i), SexOf(i));

    /// <summary>
    /// A population from covariate columns (e.g. read from a file by the caller); the arrays are copied.
    /// </summary>
    /// <param name="weightKg">Weight per subject, kg (finite, &gt; 0).</param>
    /// <param name="ageYears">Age per subject, years, or null when unknown for all.</param>
    /// <param name="sex">Sex per subject, or null when unknown for all.</param>
    /// <param name="etaNames">Parameter names of the eta columns.</param>
    /// <param name="etas">Row-major, <c>weightKg.Length × etaNames.Count</c>, log scale.</param>
    public static VirtualPopulation FromColumns(ReadOnlySpan<double> weightKg, ReadOnlySpan<double> ageYears, ReadOnlySpan<Sex> sex, IReadOnlyList<string> etaNames, ReadOnlySpan<double> etas)
    {
        ArgumentNullException.ThrowIfNull(etaNames);
        var n = weightKg.Length;
        if (etas.Length != n * etaNames.Count || (ageYears.Length != 0 && ageYears.Length != n) || (sex.Length != 0 && sex.Length != n))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"expected {n} ages/sexes (or none) and {n} × {etaNames.Count} etas."), nameof(etas));
        }

        foreach (var w in weightKg)
        {
            Guard.Positive(w, "weight");
        }

        foreach (var e in etas)
        {
            Guard.Finite(e, "eta");
        }

        return new VirtualPopulation(weightKg.ToArray(), ageYears.Length == 0 ? null : ageYears.ToArray(), sex.Length == 0 ? null : sex.ToArray(), [.. etaNames], etas.ToArray());
    }

    /// <summary>
    /// A population from explicit subjects (e.g. read from a file by the caller).
    /// </summary>
    /// <param name="covariates">One entry per subject (height is ignored).</param>
    /// <param name="etaNames">Parameter names of the eta columns.</param>
    /// <param name="etas">Row-major, <c>covariates.Count × etaNames.Count</c>, log scale.</param>
    public static VirtualPopulation FromSubjects(IReadOnlyList<Covariates> covariates, IReadOnlyList<string> etaNames, ReadOnlySpan<double> etas)
    {
        ArgumentNullException.ThrowIfNull(covariates);
        ArgumentNullException.ThrowIfNull(etaNames);
        var n = covariates.Count;
        if (etas.Length != n * etaNames.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"expected {n} × {etaNames.Count} etas, got {etas.Length}."), nameof(etas));
        }

        var w = new double[n];
        var anyAge = covariates.Any(c => c.AgeYears is not null);
        var anySex = covariates.Any(c => c.Sex is not null);
        if ((anyAge && covariates.Any(c => c.AgeYears is null)) || (anySex && covariates.Any(c => c.Sex is null)))
        {
            throw new ArgumentException("Age and sex must be given for every subject or for none.", nameof(covariates));
        }

        var age = anyAge ? new double[n] : null;
        var sex = anySex ? new Sex[n] : null;
        for (var i = 0; i < n; i++)
        {
            w[i] = covariates[i].Weight.Kilograms;
            if (age is not null)
            {
                age[i] = covariates[i].AgeYears!.Value;
            }

            if (sex is not null)
            {
                sex[i] = covariates[i].Sex!.Value;
            }
        }

        foreach (var e in etas)
        {
            Guard.Finite(e, "eta");
        }

        return new VirtualPopulation(w, age, sex, [.. etaNames], etas.ToArray());
    }
}
