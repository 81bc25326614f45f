using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Titration;
using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Web.Pages.Plans;

/// <summary>A plasma concentration range with a clinical meaning, shown beside the predicted curves.</summary>
/// <param name="Key">"analgesia", "dissociation", "anaesthesia".</param>
/// <param name="Low">Lower edge, ng/mL.</param>
/// <param name="High">Upper edge, ng/mL.</param>
/// <param name="Citation">Where the range comes from.</param>
public sealed record Band(string Key, double Low, double High, string Citation)
{
    /// <summary>
    /// CLINICAL.md §2, racemic plasma. Acute analgesia is 70–160 ng/mL (Zanos 2018 [P]) — the 70–200 is not
    /// what the source says; dissociation 100–250 ng/mL after 0.5 mg/kg over 40 min (Zanos 2018 [P]); anaesthesia
    /// 1,200–2,400 ng/mL (Zanos 2018; Herd 2008 [P]).
    /// </summary>
    public static IReadOnlyList<Band> All { get; } =
    [
        new("analgesia", 70, 160, "Zanos 2018 [P], CLINICAL.md §2"),
        new("dissociation", 100, 250, "Zanos 2018 [P], CLINICAL.md §2"),
        new("anaesthesia", 1200, 2400, "Zanos 2018; Herd 2008 [P], CLINICAL.md §2"),
    ];
}

/// <summary>Cmax, Tmax and time in each band of one predicted series.</summary>
public sealed record SeriesFigures(string Key, string Label, double CmaxNgPerMl, double TmaxMinutes, IReadOnlyList<(Band Band, double Minutes)> TimeInBand);

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
                var bands = Band.All.Select(b => (b, Math.Max(0, s.TimeAbove(k, Concentration.FromNanogramsPerMilliliter(b.Low)).Minutes - s.TimeAbove(k, Concentration.FromNanogramsPerMilliliter(b.High)).Minutes))).ToList();
                return new SeriesFigures(k, s.System.Output(k)?.Label ?? k, m.Cmax.NanogramsPerMilliliter, m.Tmax.Minutes, bands);
            })]
        : [];

    /// <summary>Occupancy of every receptor and channel at the predicted plasma peak (unbound fraction 0.6, an assumption of the engine).</summary>
    public IReadOnlyList<OccupancyResult> OccupancyAtPeak { get; init; } = [];
}

/// <summary>What a prescription would do, before it is made: the first and the highest planned session.</summary>
public sealed record PlanPreview(Protocol Protocol, PkModel Model, Preparation Preparation, Covariates Patient, SessionPreview First, SessionPreview Highest)
{
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
