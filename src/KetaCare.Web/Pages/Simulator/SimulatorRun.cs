using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Interop.Charts;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology;
using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;
using Engine = KetaCare.Pharmacology.Simulation.Simulator;
using RouteOfAdministration = KetaCare.Pharmacology.Models.Route;

namespace KetaCare.Web.Pages.WhatIf;

/// <summary>The metrics of one simulated output.</summary>
/// <param name="Key">Output key (plasma, effect, norketamine…).</param>
/// <param name="Label">Output name.</param>
/// <param name="CmaxNgPerMl">Highest concentration, ng/mL.</param>
/// <param name="TmaxMinutes">Time of the highest concentration, min.</param>
/// <param name="AucNgHoursPerMl">Exact AUC over the simulated time, ng·h/mL.</param>
/// <param name="MinutesInBand">Time within the acute analgesia band (70–160 ng/mL, Zanos 2018), min; null for a metabolite.</param>
public sealed record OutputMetrics(string Key, string Label, double CmaxNgPerMl, double TmaxMinutes, double AucNgHoursPerMl, double? MinutesInBand);

/// <summary>The population summary with the band it shows.</summary>
/// <param name="Summary">The engine's streaming summary.</param>
/// <param name="Options">What was asked.</param>
/// <param name="Warnings">The engine's warnings.</param>
public sealed record PopulationOutcome(PopulationSummary Summary, PopulationOptions Options, IReadOnlyList<string> Warnings);

/// <summary>
/// One what-if run of the engine for the simulator page: a regimen's profile with metrics and receptor occupancy at
/// the peak, or a TCI plan with its pump schedule and the profile it predicts; optionally population bands. The page
/// and the chart handler both build it from the same query string, so a chart URL reproduces the result.
/// </summary>
public sealed class SimulatorRun
{
    private SimulatorRun(SimulatorRequest request) => Request = request;

    /// <summary>What was run.</summary>
    public SimulatorRequest Request { get; }

    /// <summary>The profile (of the regimen, or of the TCI plan's fine schedule).</summary>
    public SimulationResult? Profile { get; private set; }

    /// <summary>The manual-pump schedule's profile (TCI mode with steps).</summary>
    public SimulationResult? ManualProfile { get; private set; }

    /// <summary>The TCI plan (TCI mode).</summary>
    public TciPlan? Plan { get; private set; }

    /// <summary>Metrics per output of <see cref="Profile"/>.</summary>
    public IReadOnlyList<OutputMetrics> Metrics { get; private set; } = [];

    /// <summary>Receptor occupancy at the plasma peak (NMDA forebrain first).</summary>
    public IReadOnlyList<OccupancyResult> OccupancyAtPeak { get; private set; } = [];

    /// <summary>Population bands, when asked.</summary>
    public PopulationOutcome? Population { get; private set; }

    /// <summary>Warnings of the engine (population range, borrowed constants, assumed routes).</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>Runs the request; an engine refusal comes back as an error naming its field.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="progress">Receives the population run's fraction done, 0–1, from worker threads (optional).</param>
    /// <param name="cancellationToken">Stops the population run between blocks of subjects or of time steps.</param>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled during the population run.</exception>
    public static (SimulatorRun? Run, string? Error) Execute(SimulatorRequest request, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new SimulatorRun(request);
        var error = request.Tci is { } tci ? run.RunTci(tci) : run.RunRegimen(request.Regimen!);
        if (error is null && request.Population is { } pop && request.Regimen is { } regimen)
        {
            error = run.RunPopulation(pop, regimen, progress, cancellationToken);
        }

        return error is null ? (run, null) : (null, error);
    }

    /// <summary>The chart of <paramref name="kind"/> (profile, tci or population) as SVG text; <paramref name="manualLabel"/> names the manual-pump curve.</summary>
    public string? ChartSvg(string kind, ChartText text, string manualLabel)
    {
        const int Width = 960, Height = 480;
        var title = $"{Request.Model.Id}, {Request.Patient.Weight}";
        switch (kind)
        {
            case "profile" when Profile is not null && Plan is null:
                return ConcentrationChart.Svg([new LabelledProfile(string.Empty, Profile)], Width, Height, text, title);
            case "tci" when Profile is not null && Plan is not null:
                List<LabelledProfile> profiles = [new("TCI", Profile)];
                if (ManualProfile is not null)
                {
                    profiles.Add(new LabelledProfile(manualLabel, ManualProfile));
                }

                return ConcentrationChart.Svg(profiles, Width, Height, text, title);
            case "population" when Population is not null:
                return PopulationChart.Svg(Population.Summary, text.Plasma, Width, Height, text, title);
            default:
                return null;
        }
    }

    private string? RunRegimen(Regimen regimen)
    {
        var result = Engine.Run(new SimulationRequest(Request.Model, Request.Patient, regimen)
        {
            Until = Request.Until,
            Step = Duration.FromMinutes(1),
            EffectSite = Request.EffectSite,
        });
        if (!result.IsSuccess)
        {
            return SimulatorInput.Say(result);
        }

        // Doses above the clinical hard limits are named (a what-if run is never refused).
        var limits = WhatIfLimits.Check(regimen, Request.Patient.Weight).Select(f => FindingText.Render(f, CultureInfo.CurrentCulture));
        Finish(result.Value, [.. limits, .. Say(result.Value.Warnings)]);
        return null;
    }

    private string? RunTci(TciSettings requested)
    {
        // The schedule's rates are meant to be programmed: capped at the clinical hard limits, and the cap is said.
        var (perKg, _) = WhatIfLimits.TciCeiling(requested.MaxRatePerKg);
        var absoluteMlPerHour = WhatIfLimits.TciAbsoluteCeiling.MilligramsPerHour / requested.Concentration.MilligramsPerMilliliter;
        var settings = requested with
        {
            MaxRatePerKg = perKg,
            MaxRate = requested.MaxRate.MillilitersPerHour > absoluteMlPerHour ? FlowRate.FromMillilitersPerHour(absoluteMlPerHour) : requested.MaxRate,
        };
        var plan = TciPlanner.Plan(Request.Model, Request.Patient, settings, Request.EffectSite);
        if (!plan.IsSuccess)
        {
            return SimulatorInput.Say(plan);
        }

        Plan = plan.Value;
        var ke0 = Request.EffectSite ?? Request.Model.EffectSiteOptions.FirstOrDefault();
        var until = Duration.FromMinutes(Math.Max(Request.Until.Minutes, settings.Duration.Minutes));

        // The fine schedule and the manual steps as IV rate administrations: the profile each predicts, for the chart and the metrics.
        var fine = Rates(Plan.Steps.Select(s => (s.Start, s.End, s.Rate)));
        var profile = Simulate(fine, ke0, until);
        if (!profile.IsSuccess)
        {
            return SimulatorInput.Say(profile);
        }

        if (Plan.Manual is { } manual)
        {
            var steps = Simulate(Rates(manual.Steps.Select(s => (s.Start, s.End, s.Rate))), ke0, until);
            ManualProfile = steps.IsSuccess ? steps.Value : null;
        }

        var uncapped = TciPlanner.Plan(Request.Model, Request.Patient, requested, Request.EffectSite);
        var needed = uncapped.IsSuccess ? uncapped.Value.Steps.Max(x => x.Rate.MilligramsPerHour) / Request.Patient.Weight.Kilograms : 0;
        var ceiling = Math.Min(perKg.MilligramsPerKilogramPerHour, WhatIfLimits.TciAbsoluteCeiling.MilligramsPerHour / Request.Patient.Weight.Kilograms);
        var capped = WhatIfLimits.TciCapped(needed, WeightNormalizedRate.FromMilligramsPerKilogramPerHour(ceiling)) is { } finding ? [FindingText.Render(finding, CultureInfo.CurrentCulture)] : Array.Empty<string>();
        Finish(profile.Value, [.. capped, .. Say(Plan.Warnings)]);
        return null;
    }

    private ParseResult<SimulationResult> Simulate(List<Administration> items, Ke0Option? ke0, Duration until) =>
        items.Count == 0
            ? ParseResult<SimulationResult>.Fail("target: the plan gives no drug.")
            : Engine.Run(new SimulationRequest(Request.Model, Request.Patient, new Regimen(items)) { Until = until, Step = Duration.FromMinutes(1), EffectSite = ke0 });

    private static List<Administration> Rates(IEnumerable<(Duration Start, Duration End, DoseRate Rate)> steps) =>
        [.. steps
            .Where(s => s.Rate.MilligramsPerMinute > 0 && s.End.Minutes > s.Start.Minutes)
            .Select(s => new Administration(s.Start, DoseExpression.AtRate(s.Rate, Duration.FromMinutes(s.End.Minutes - s.Start.Minutes)), RouteOfAdministration.Intravenous))];

    // The engine's coded warnings in the reader's language (the run is built on the reader's request).
    private static IEnumerable<string> Say(IEnumerable<EngineWarning> warnings) => warnings.Select(w => FindingText.Render(w, CultureInfo.CurrentCulture));

    private void Finish(SimulationResult result, IReadOnlyList<string> warnings)
    {
        Profile = result;
        Warnings = warnings;
        var band = ConcentrationBands.AcuteAnalgesia;
        var metrics = new List<OutputMetrics>();
        foreach (var o in result.System.Outputs.Where(o => o.Key != "relief-site"))
        {
            var m = result.Metrics(o.Key);
            double? inBand = o.Key is "plasma" or "effect"
                ? result.TimeAbove(o.Key, Concentration.FromNanogramsPerMilliliter(band.LowNgPerMl)).Minutes - result.TimeAbove(o.Key, Concentration.FromNanogramsPerMilliliter(band.HighNgPerMl)).Minutes
                : null;
            metrics.Add(new OutputMetrics(o.Key, o.Label, m.Cmax.NanogramsPerMilliliter, m.Tmax.Minutes, m.AucNgHoursPerMl, inBand));
        }

        Metrics = metrics;
        var peak = result.Metrics("plasma").Cmax;
        var form = Request.Model.Drug == DrugForm.Racemic ? Enantiomer.Racemic : Enantiomer.S;
        OccupancyAtPeak = [.. ReceptorOccupancy.Compute(peak, form).Where(r => r.Target.Id is "nmda-forebrain" or "nmda-spinal" or "mu-opioid" or "kappa-opioid")];
    }

    private string? RunPopulation(PopulationOptions options, Regimen regimen, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var m = Request.Model;
        var kg = Request.Patient.Weight.Kilograms;
        var sd = options.WeightSdKg;
        var low = Math.Max(Math.Max(m.Limits.WeightKg.Min, BodyWeight.MinKilograms), kg - (3 * sd));
        var high = Math.Min(Math.Min(m.Limits.WeightKg.Max, BodyWeight.MaxKilograms), kg + (3 * sd));
        CovariateDistribution weights;
        try
        {
            weights = low < high ? CovariateDistribution.TruncatedNormal(kg, sd, low, high) : CovariateDistribution.Fixed(kg);
        }
        catch (ArgumentOutOfRangeException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"weight SD (kg): {kg} ± 3 × {sd} kg lies outside what {m.Id} accepts ({m.Limits.WeightKg.Min}–{m.Limits.WeightKg.Max} kg).");
        }

        var spec = new PopulationSpec
        {
            WeightKg = weights,
            AgeYears = Request.Patient.AgeYears is { } age ? CovariateDistribution.Fixed(age) : null,
            Sex = Request.Patient.Sex is { } s ? SexDistribution.Bernoulli(s == Sex.Female ? 1 : 0) : null,
            Omega = m.Omega is null && options.IivPercent is { } cv && cv > 0
                ? OmegaMatrix.FromCv(string.Create(CultureInfo.InvariantCulture, $"assumed in the simulator ({cv} % CV)"), [.. m.EtaNames.Select(n => (n, cv))])
                : null,
        };
        var population = PopulationSampler.Sample(m, spec, options.Count, options.Seed);
        if (!population.IsSuccess)
        {
            return "population: " + population.Error;
        }

        var tail = (100 - options.Band) / 2.0;
        var summary = PopulationSimulator.Run(new PopulationRequest(m, population.Value, regimen)
        {
            Until = Request.Until,
            Step = Duration.FromMinutes(1),
            Percentiles = [tail, 50, 100 - tail],
            Output = "plasma",
        }, progress, cancellationToken);
        if (!summary.IsSuccess)
        {
            return "population: " + summary.Error;
        }

        var warnings = Say(summary.Value.Warnings).ToList();
        if (m.Omega is null && spec.Omega is not null)
        {
            var culture = CultureInfo.CurrentCulture;
            warnings.Insert(0, Strings.For(culture)["{0} was published without inter-individual variability; {1} CV on {2} is an assumption of this simulation.",
                m.Id, TextFormat.Quantity(options.IivPercent ?? 0, "%", culture), string.Join(", ", m.EtaNames)]);
        }

        Population = new PopulationOutcome(summary.Value, options, warnings);
        return null;
    }
}
