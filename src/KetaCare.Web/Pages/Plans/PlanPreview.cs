using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Titration;
using KetaCare.Interop.Charts;
using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Web.Pages.Plans;

/// <summary>Cmax, Tmax and time in each band of one predicted series.</summary>
public sealed record SeriesFigures(string Key, string Label, double CmaxNgPerMl, double TmaxMinutes, IReadOnlyList<(ConcentrationBand Band, double Minutes)> TimeInBand);

/// <summary>One planned session: its dose, the dose-limit check, the engine's prediction and the receptor occupancy at the plasma peak.</summary>
/// <param name="Label">"first" or "highest".</param>
/// <param name="Dose">The session's dose.</param>
/// <param name="Check">Every dose-limit finding of the dose.</param>
/// <param name="Simulation">The engine's prediction of the session (plasma, and the effect site when the model has one), or null.</param>
/// <param name="SimulationError">Why there is no prediction.</param>
public sealed record SessionPreview(string Label, DoseLevel Dose, DoseCheckResult Check, SimulationResult? Simulation, string? SimulationError)
{
    /// <summary>Figures of every output of the prediction (plasma, effect site, metabolites).</summary>
    public IReadOnlyList<SeriesFigures> Figures => Simulation is { } s
        ? [.. s.Keys.Select(k =>
            {
                var m = s.Metrics(k);
                // The bands of the charts (CLINICAL.md §2): analgesia is the sourced 70–160 ng/mL, not the 70–200.
                var bands = ConcentrationBands.All.Select(b => (b, Math.Max(0, s.TimeAbove(k, Concentration.FromNanogramsPerMilliliter(b.LowNgPerMl)).Minutes - s.TimeAbove(k, Concentration.FromNanogramsPerMilliliter(b.HighNgPerMl)).Minutes))).ToList();
                return new SeriesFigures(k, s.System.Output(k)?.Label ?? k, m.Cmax.NanogramsPerMilliliter, m.Tmax.Minutes, bands);
            })]
        : [];

    /// <summary>Occupancy of every receptor and channel at the predicted plasma peak (unbound fraction 0.6, an assumption of the engine).</summary>
    public IReadOnlyList<OccupancyResult> OccupancyAtPeak { get; init; } = [];
}

/// <summary>What a prescription would do, before it is made: the first and the highest planned session.</summary>
public sealed record PlanPreview(Protocol Protocol, PkModel Model, Preparation Preparation, Covariates Patient, SessionPreview First, SessionPreview Highest)
{
    /// <summary>Width and height of the concentration chart, px.</summary>
    public const int ChartWidth = 900, ChartHeight = 450;

    /// <summary>
    /// The concentration chart of both sessions on the clinical bands (the charts of the PDFs), as SVG; null when
    /// neither session could be predicted.
    /// </summary>
    /// <param name="first">Legend label of the first session.</param>
    /// <param name="highest">Legend label of the highest planned session.</param>
    /// <param name="text">The chart's wording (language).</param>
    public string? ChartSvg(string first, string highest, ChartText text)
    {
        var profiles = new[] { (first, First.Simulation), (highest, Highest.Simulation) }
            .Where(p => p.Simulation is not null)
            .Select(p => new LabelledProfile(p.Item1, p.Simulation!))
            .ToList();
        return profiles.Count == 0 ? null : ConcentrationChart.Svg(profiles, ChartWidth, ChartHeight, text);
    }

    /// <summary>
    /// Builds the preview from the patient's chart on <paramref name="day"/>: the covariates valid then, the dose check
    /// of the drug library (hard and soft limits, PK-aware peak) and the engine's prediction for the start dose and the
    /// highest dose the plan can reach (the protocol ceiling or a hard limit, <see cref="TitrationAdvisor.Maximum"/>).
    /// </summary>
    public static Outcome<PlanPreview> Build(PatientSnapshot patient, DateOnly day, Protocol protocol, PkModel model, Preparation preparation, DoseLevel start, DrugLibrary drugs)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(drugs);
        var covariates = patient.CovariatesOn(day);
        if (!covariates.IsSuccess)
        {
            return new Refusal(covariates.Error);
        }

        var c = covariates.Value;
        var maximum = TitrationAdvisor.Maximum(protocol, drugs.LimitsFor(protocol), c.Weight);
        var highest = start.SameBasis(maximum) && start > maximum ? start : maximum;
        return Outcome<PlanPreview>.Ok(new PlanPreview(protocol, model, preparation, c, Session("first", start), Session("highest", highest)));

        SessionPreview Session(string label, DoseLevel dose)
        {
            var planned = new PlannedDose(protocol, c, dose, preparation, model.Id);
            var check = DoseCheck.Evaluate(planned, drugs);
            var regimen = DoseCheck.RegimenFor(planned);
            if (!regimen.IsSuccess)
            {
                return new SessionPreview(label, dose, check, null, regimen.Error);
            }

            var duration = protocol.InfusionDuration ?? Duration.Zero;
            var run = Simulator.Run(new SimulationRequest(model, c, regimen.Value)
            {
                // The effect site the model offers (its own, or a borrowed one that the engine's warnings label).
                EffectSite = model.EffectSiteOptions.FirstOrDefault(),
                Until = Duration.FromMinutes(duration.Minutes + 240),
                Step = Duration.FromMinutes(1),
            });
            if (!run.IsSuccess)
            {
                return new SessionPreview(label, dose, check, null, run.Error);
            }

            var peak = run.Value.Metrics("plasma").Cmax;
            var form = model.Drug == DrugForm.Racemic ? Enantiomer.Racemic : Enantiomer.S;
            return new SessionPreview(label, dose, check, run.Value, null) { OccupancyAtPeak = ReceptorOccupancy.Compute(peak, form) };
        }
    }
}
