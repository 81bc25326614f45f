using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Models;

/// <summary>How sure we are of a number (clinical-reference: How sure we are (certainty)): read in the primary source, in a secondary source, or unverified.</summary>
public enum Certainty
{
    /// <summary>[P] read in the primary source.</summary>
    Primary,

    /// <summary>[S] read in a secondary source (review, model library transcription).</summary>
    Secondary,

    /// <summary>[U] plausible, widely quoted, not checked.</summary>
    Unverified,

    /// <summary>Not from any source: a labelled, configurable assumption of KetaCare's.</summary>
    Assumption,
}

/// <summary>Which form of ketamine a model describes.</summary>
public enum DrugForm
{
    /// <summary>Racemic ketamine (Ketalar).</summary>
    Racemic,

    /// <summary>S-ketamine (esketamine) given IV or orally.</summary>
    SKetamine,

    /// <summary>Esketamine nasal spray.</summary>
    EsketamineNasal,
}

/// <summary>Biological sex, as used by covariate equations.</summary>
public enum Sex
{
    /// <summary>Female.</summary>
    Female,

    /// <summary>Male.</summary>
    Male,
}

/// <summary>The patient characteristics a model's covariate equations may use.</summary>
/// <param name="Weight">Total body weight.</param>
/// <param name="AgeYears">Age in years, if known (0–120).</param>
/// <param name="Sex">Sex, if known.</param>
/// <param name="HeightCm">Height in cm, if known.</param>
public sealed record Covariates(BodyWeight Weight, double? AgeYears = null, Sex? Sex = null, double? HeightCm = null)
{
    /// <summary>A 70-kg adult of unknown age and sex: the reference subject most models are published for.</summary>
    public static Covariates Reference70Kg { get; } = new(BodyWeight.FromKilograms(70));
}

/// <summary>One published parameter of a model, with its unit and source.</summary>
/// <param name="Name">Symbol, e.g. "V1", "k10", "CL".</param>
/// <param name="Value">Typical value as published.</param>
/// <param name="Unit">Unit as published, e.g. "L/kg", "1/min", "L/h per 70 kg".</param>
/// <param name="Description">What it is.</param>
/// <param name="Iiv">Inter-individual variability as published (e.g. "BSV 64 %"), or null.</param>
/// <param name="Certainty">Certainty of this value when it differs from the model's (e.g. <see cref="Models.Certainty.Assumption"/> for a KetaCare assumption), or null.</param>
public sealed record ModelParameter(string Name, double Value, string Unit, string Description, string? Iiv = null, Certainty? Certainty = null);

/// <summary>The population a model was built on.</summary>
/// <param name="Description">E.g. "healthy adult volunteers".</param>
/// <param name="AgeYears">Age range studied (min, max), years.</param>
/// <param name="WeightKg">Weight range studied (min, max), kg.</param>
/// <param name="SamplingSite">Arterial or venous sampling, where known.</param>
/// <param name="Subjects">Number of subjects, where known.</param>
public sealed record StudyPopulation(string Description, (double Min, double Max) AgeYears, (double Min, double Max) WeightKg, string SamplingSite, int? Subjects = null);

/// <summary>
/// How far outside its population a model may be used. Inside the studied range: no finding. Between
/// the studied range and the hard range: a warning (a clinician could reasonably extrapolate). Outside
/// the hard range: refused. The hard ranges are KetaCare assumptions, stated per model.
/// </summary>
/// <param name="AgeYears">Hard age range; outside it the model is refused.</param>
/// <param name="WeightKg">Hard weight range; outside it the model is refused.</param>
/// <param name="Rationale">Why these bounds.</param>
public sealed record ExtrapolationLimits((double Min, double Max) AgeYears, (double Min, double Max) WeightKg, string Rationale);

/// <summary>A published (or borrowed) effect-site equilibration constant.</summary>
/// <param name="Id">Stable id, e.g. "olofsen2012".</param>
/// <param name="Ke0PerMinute">ke0, 1/min.</param>
/// <param name="Description">What effect it was fitted for.</param>
/// <param name="Source">Citation.</param>
/// <param name="Certainty">How sure.</param>
/// <param name="Borrowed">True when it was not estimated with this model's PK (applied across models).</param>
public sealed record Ke0Option(string Id, double Ke0PerMinute, string Description, string Source, Certainty Certainty, bool Borrowed)
{
    /// <summary>Equilibration half-life t½ke0 = ln 2 / ke0, min.</summary>
    public double HalfLifeMinutes => Math.Log(2) / Ke0PerMinute;
}

/// <summary>A finding of the population check.</summary>
/// <param name="Refused">True when the model must not be used for this patient.</param>
/// <param name="Message">What is outside the population, and by how much, in English (with the reason for a refusal).</param>
/// <param name="Warning">The same as a code with typed parameters, for a face to translate.</param>
public sealed record PopulationFinding(bool Refused, string Message, EngineWarning Warning);

/// <summary>Inter-individual variability: log-normal etas on named parameters with covariance Ω.</summary>
/// <param name="Names">Parameter names the etas act on, in order.</param>
/// <param name="Covariance">Ω, row-major, variances on the diagonal (eta scale).</param>
/// <param name="Source">Where Ω comes from.</param>
public sealed record OmegaMatrix(IReadOnlyList<string> Names, double[] Covariance, string Source)
{
    /// <summary>A diagonal Ω from coefficients of variation (CV %, converted as ω² = ln(1 + CV²)).</summary>
    public static OmegaMatrix FromCv(string source, params (string Name, double CvPercent)[] cvs) =>
        Diagonal(source, cvs.Select(c => (c.Name, Math.Log(1 + Math.Pow(c.CvPercent / 100.0, 2)))).ToArray());

    /// <summary>A diagonal Ω from variances ω².</summary>
    public static OmegaMatrix Diagonal(string source, params (string Name, double Variance)[] variances)
    {
        var n = variances.Length;
        var m = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            m[(i * n) + i] = variances[i].Variance;
        }

        return new OmegaMatrix(variances.Select(v => v.Name).ToArray(), m, source);
    }
}

/// <summary>Per-subject choices when a model builds its system.</summary>
public sealed record SubjectOptions
{
    /// <summary>Default: IV only, no effect site, typical values.</summary>
    public static SubjectOptions Default { get; } = new();

    /// <summary>Effect-site constant to add an effect compartment, or null for none.</summary>
    public Ke0Option? EffectSite { get; init; }

    /// <summary>Routes the regimen uses (IV is always present).</summary>
    public IReadOnlyCollection<Route> Routes { get; init; } = [Route.Intravenous];

    /// <summary>Eta values by parameter name (log scale); missing names are 0 (typical value).</summary>
    public IReadOnlyDictionary<string, double>? Etas { get; init; }

    /// <summary>Adds the slow pain-relief effect compartment of Dahan 2011 (see <see cref="Dynamics.PainReliefModel"/>).</summary>
    public bool PainRelief { get; init; }

    /// <summary>Replaces route parameters (F, ka, lag) for one route, e.g. from a clinic's own data.</summary>
    public IReadOnlyDictionary<Route, RouteParameters>? RouteOverrides { get; init; }
}

/// <summary>First-order absorption parameters of an extravascular route.</summary>
/// <param name="Bioavailability">F, 0–1.</param>
/// <param name="KaPerMinute">ka, 1/min.</param>
/// <param name="LagMinutes">Lag time, min.</param>
/// <param name="Source">Citation, or "assumption: …".</param>
/// <param name="IsAssumption">True when not the model's own numbers.</param>
public sealed record RouteParameters(double Bioavailability, double KaPerMinute, double LagMinutes, string Source, bool IsAssumption);
