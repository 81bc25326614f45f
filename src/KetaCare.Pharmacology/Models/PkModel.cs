using System.Globalization;
using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Models;

/// <summary>
/// A published population PK model as data: structure, parameters with units and sources, covariate
/// equations, inter-individual variability, the population it was built on, and how far it may be
/// extrapolated. <see cref="Build"/> turns it into one subject's <see cref="CompartmentSystem"/>.
/// Implementations are immutable and thread-safe.
/// </summary>
public abstract class PkModel
{
    /// <summary>Stable id, e.g. "domino1984".</summary>
    public abstract string Id { get; }

    /// <summary>Short title, e.g. "Domino 1984 (racemic, adults)".</summary>
    public abstract string Title { get; }

    /// <summary>Which ketamine it describes.</summary>
    public abstract DrugForm Drug { get; }

    /// <summary>Structure in words, e.g. "3-compartment mammillary, V1 ∝ weight".</summary>
    public abstract string Structure { get; }

    /// <summary>Full citation.</summary>
    public abstract string Citation { get; }

    /// <summary>Certainty of the parameter values (clinical-reference: How sure we are (certainty)).</summary>
    public abstract Certainty Certainty { get; }

    /// <summary>The population it was built on.</summary>
    public abstract StudyPopulation Population { get; }

    /// <summary>Where KetaCare refuses to use it.</summary>
    public abstract ExtrapolationLimits Limits { get; }

    /// <summary>Published parameters with units.</summary>
    public abstract IReadOnlyList<ModelParameter> Parameters { get; }

    /// <summary>Covariate equations in words (weight, age, sex where published).</summary>
    public abstract string Covariates { get; }

    /// <summary>Ω where published, else null.</summary>
    public virtual OmegaMatrix? Omega => null;

    /// <summary>
    /// The names the model looks up an eta for when it builds a subject, in the order it looks them up: the
    /// names an <see cref="OmegaMatrix"/> for this model may use. They are not always parameter names
    /// (e.g. "CL_NK" for the apparent "CL_NK/Fm"). Found once, by defining a typical patient of <see cref="Population"/>.
    /// </summary>
    public IReadOnlyList<string> EtaNames => _etaNames ??= ProbeEtaNames();

    /// <summary>Effect-site constants that may be used with this model; empty when none is published or borrowable.</summary>
    public virtual IReadOnlyList<Ke0Option> EffectSiteOptions => [EffectSites.Olofsen2012Analgesia];

    /// <summary>Caveats a clinician should read (e.g. "no ke0 was published").</summary>
    public virtual IReadOnlyList<string> Notes => [];

    private IReadOnlyList<string>? _etaNames;

    /// <summary>Checks a patient against the model's population: warnings for extrapolation, refusal far outside.</summary>
    public IReadOnlyList<PopulationFinding> CheckPatient(Covariates patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var findings = new List<PopulationFinding>();
        var kg = patient.Weight.Kilograms;
        Check(findings, "weight", kg, "kg", Population.WeightKg, Limits.WeightKg);
        if (patient.AgeYears is { } age)
        {
            Check(findings, "age", age, "years", Population.AgeYears, Limits.AgeYears);
        }
        else
        {
            var warning = EngineWarning.Of(EngineWarningCodes.AgeNotGiven, WarningArg.Of("model", Id),
                WarningArg.Of("min", Population.AgeYears.Min, "years"), WarningArg.Of("max", Population.AgeYears.Max, "years"));
            findings.Add(new PopulationFinding(false, warning.Message, warning));
        }

        return findings;
    }

    /// <summary>True when <see cref="CheckPatient"/> refuses the patient.</summary>
    public bool Refuses(Covariates patient) => CheckPatient(patient).Any(f => f.Refused);

    // Same rule as Check(): a value outside the hard range is refused.
    private bool OutsideHardLimits(Covariates patient)
    {
        var kg = patient.Weight.Kilograms;
        if (kg < Limits.WeightKg.Min || kg > Limits.WeightKg.Max)
        {
            return true;
        }

        return patient.AgeYears is { } age && (age < Limits.AgeYears.Min || age > Limits.AgeYears.Max);
    }

    /// <summary>
    /// Builds the subject's compartment system. Throws <see cref="ArgumentException"/> when the patient is
    /// refused (call <see cref="CheckPatient"/> first to show the reason as a value) or a route is not supported.
    /// </summary>
    public CompartmentSystem Build(Covariates patient, SubjectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        options ??= SubjectOptions.Default;
        var builder = new SystemBuilder();
        var eta = options.Etas;
        // Routes usually come distinct already (Regimen.Routes); Distinct is only paid for several.
        Route[] routes = [.. options.Routes.Count <= 1 ? options.Routes : options.Routes.Distinct()];
        Define(builder, patient, options, routes, name => eta is not null && eta.TryGetValue(name, out var v) ? v : 0.0);
        return builder.Build();
    }

    /// <summary>
    /// Defines the subject's system in <paramref name="builder"/> (emptied first) and completes it, for a caller that
    /// reads the matrix from the builder: a population run, with one builder, eta lookup and options per worker.
    /// Throws like <see cref="Build"/>.
    /// </summary>
    /// <param name="builder">Reused builder.</param>
    /// <param name="patient">Covariates.</param>
    /// <param name="options">Options; its routes as <paramref name="routes"/>.</param>
    /// <param name="routes">The distinct routes of <paramref name="options"/>.</param>
    /// <param name="eta">Eta lookup by name (0 when not given).</param>
    internal void BuildInto(SystemBuilder builder, Covariates patient, SubjectOptions options, Route[] routes, Func<string, double> eta)
    {
        builder.Reset();
        Define(builder, patient, options, routes, eta);
        builder.Complete();
    }

    private void Define(SystemBuilder builder, Covariates patient, SubjectOptions options, Route[] routes, Func<string, double> eta)
    {
        // The numeric test first: the findings (and their messages) are only built for a refusal.
        if (OutsideHardLimits(patient))
        {
            var refusal = CheckPatient(patient).First(f => f.Refused);
            throw new ArgumentException(refusal.Message, nameof(patient));
        }

        Define(builder, patient, eta);
        var central = builder.Central;
        builder.Output("plasma", "Plasma", central);

        foreach (var route in routes)
        {
            if (route == Route.Intravenous || DefinesRoute(route))
            {
                continue;
            }

            var p = options.RouteOverrides is not null && options.RouteOverrides.TryGetValue(route, out var o) ? o : RouteTable.For(route, Drug);
            if (p is null)
            {
                throw new ArgumentException($"{Id}: route {route.Code()} is not supported.", nameof(options));
            }

            builder.Depot(route, AbsorptionTarget(builder), p.KaPerMinute, p.Bioavailability, p.LagMinutes, p.Source, p.IsAssumption);
        }

        DefineRoutes(builder, options);

        if (options.EffectSite is { } ke0)
        {
            builder.EffectSite(central, ke0.Ke0PerMinute, "effect", "Effect site");
        }

        if (options.PainRelief)
        {
            // Dahan 2011 fitted S-ketamine; a racemate is taken as 50 % S (assumption, see PainReliefModel).
            var share = Drug == DrugForm.Racemic ? PainReliefModel.SShareOfRacemate : 1.0;
            builder.EffectSite(central, PainReliefModel.KeoPerMinute, "relief-site", "Pain-relief site", share);
        }
    }

    private string[] ProbeEtaNames()
    {
        var names = new List<string>();
        var p = Population;
        var patient = new Covariates(BodyWeight.FromKilograms((p.WeightKg.Min + p.WeightKg.Max) / 2), (p.AgeYears.Min + p.AgeYears.Max) / 2);
        Define(new SystemBuilder(), patient, name =>
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }

            return 0.0;
        });
        return [.. names];
    }

    /// <summary>Adds the model's compartments, flows, metabolites and outputs other than plasma.</summary>
    /// <param name="b">The builder; the first parent central compartment added is the plasma output.</param>
    /// <param name="patient">Covariates.</param>
    /// <param name="eta">Eta lookup by parameter name (0 when not given).</param>
    protected abstract void Define(SystemBuilder b, Covariates patient, Func<string, double> eta);

    /// <summary>True for routes the model defines itself in <see cref="DefineRoutes"/> (e.g. an oral film).</summary>
    protected virtual bool DefinesRoute(Route route) => false;

    /// <summary>Adds the model's own route inputs for the requested routes.</summary>
    protected virtual void DefineRoutes(SystemBuilder b, SubjectOptions options)
    {
    }

    /// <summary>The state an absorption depot empties into (central unless the model has a liver compartment).</summary>
    protected virtual int AbsorptionTarget(SystemBuilder b) => b.Central;

    /// <summary>Weight ratio to the 70-kg reference.</summary>
    protected static double Wt70(Covariates p) => p.Weight.Kilograms / 70.0;

    /// <inheritdoc/>
    public override string ToString() => Id;

    private void Check(List<PopulationFinding> findings, string what, double value, string unit, (double Min, double Max) studied, (double Min, double Max) hard)
    {
        var v = value.ToString("0.#", CultureInfo.InvariantCulture);
        var weight = what == "weight";
        WarningArg[] range = [WarningArg.Of("model", Id), WarningArg.Of("value", Math.Round(value, 1), unit), WarningArg.Of("min", studied.Min, unit), WarningArg.Of("max", studied.Max, unit)];
        if (value < hard.Min || value > hard.Max)
        {
            var warning = EngineWarning.Of(weight ? EngineWarningCodes.WeightRefused : EngineWarningCodes.AgeRefused,
                [.. range, WarningArg.Of("hardMin", hard.Min, unit), WarningArg.Of("hardMax", hard.Max, unit)]);
            findings.Add(new PopulationFinding(true, string.Create(CultureInfo.InvariantCulture,
                $"{Id}: {what} {v} {unit} is far outside the population the model was built on ({Population.Description}, {what} {studied.Min}–{studied.Max} {unit}); KetaCare refuses it outside {hard.Min}–{hard.Max} {unit}. {Limits.Rationale}"), warning));
        }
        else if (value < studied.Min || value > studied.Max)
        {
            var warning = EngineWarning.Of(weight ? EngineWarningCodes.WeightExtrapolated : EngineWarningCodes.AgeExtrapolated, range);
            findings.Add(new PopulationFinding(false, warning.Message, warning));
        }
    }
}
