using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Titration;
using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Plans;

/// <summary>One planned session: its dose, the dose-limit check, the engine's prediction and the receptor occupancy at the plasma peak.</summary>
/// <param name="Label">"first" or "highest".</param>
/// <param name="Dose">The session's dose.</param>
/// <param name="Check">Every dose-limit finding of the dose (its peak check reuses <paramref name="Simulation"/>).</param>
/// <param name="Simulation">The engine's prediction of the session (plasma, and the effect site the model offers), or null.</param>
/// <param name="SimulationError">Why there is no prediction.</param>
public sealed record SessionPreview(string Label, DoseLevel Dose, DoseCheckResult Check, SimulationResult? Simulation, string? SimulationError)
{
    /// <summary>Occupancy of every receptor and channel at the predicted plasma peak (unbound fraction 0.6, an assumption of the engine).</summary>
    public IReadOnlyList<OccupancyResult> OccupancyAtPeak { get; init; } = [];
}

/// <summary>
/// What a prescription would do, before it is made: the first and the highest planned session, each simulated once —
/// the same simulation serves the dose check's peak and the charts. The one preview of the web page, the API and the
/// CLI, and the one the prescription is checked against.
/// </summary>
/// <param name="Protocol">The protocol.</param>
/// <param name="Model">The PK model.</param>
/// <param name="Preparation">The preparation.</param>
/// <param name="Patient">Covariates valid on the day.</param>
/// <param name="First">The first session (the start dose).</param>
/// <param name="Highest">The highest dose the plan can reach (the protocol ceiling or a hard limit).</param>
public sealed record PlanPreview(Protocol Protocol, PkModel Model, Preparation Preparation, Covariates Patient, SessionPreview First, SessionPreview Highest)
{
    /// <summary>
    /// Builds the preview from the patient's chart on <paramref name="day"/>: the covariates valid then (refused when the
    /// weight is older than the protocol's window), the dose check
    /// of the drug library (hard and soft limits, PK-aware peak) and the engine's prediction for the start dose and the
    /// highest dose the plan can reach (<see cref="TitrationAdvisor.Maximum"/>).
    /// </summary>
    public static Outcome<PlanPreview> Build(PatientSnapshot patient, DateOnly day, Protocol protocol, PkModel model, Preparation preparation, DoseLevel start, DrugLibrary drugs)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(drugs);
        var covariates = Sessions.PreSessionChecklistRules.DosingCovariates(patient, day, protocol);
        if (!covariates.IsSuccess)
        {
            return covariates.Refusal;
        }

        var c = covariates.Value;
        var dosingWeight = DosingWeights.For(protocol.DosingWeight, c);
        if (!dosingWeight.IsSuccess)
        {
            return dosingWeight.Refusal;
        }

        var w = dosingWeight.Value;
        var maximum = TitrationAdvisor.Maximum(protocol, drugs.LimitsFor(protocol, patient.HasRaisedPressure), w);
        var highest = start.SameBasis(maximum) && start > maximum ? start : maximum;
        return Outcome<PlanPreview>.Ok(new PlanPreview(protocol, model, preparation, c, Session("first", start), Session("highest", highest)));

        SessionPreview Session(string label, DoseLevel dose)
        {
            var planned = new PlannedDose(protocol, c, dose, preparation, model.Id) { DosingWeight = w, RaisedPressure = patient.HasRaisedPressure };
            var regimen = DoseCheck.RegimenFor(planned);
            if (!regimen.IsSuccess)
            {
                return new SessionPreview(label, dose, DoseCheck.Evaluate(planned, drugs, (null, [regimen.Error])), null, regimen.Error);
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
                return new SessionPreview(label, dose, DoseCheck.Evaluate(planned, drugs, (null, [run.Error])), null, run.Error);
            }

            var peak = run.Value.Metrics("plasma").Cmax;
            var check = DoseCheck.Evaluate(planned, drugs, (peak, [.. run.Value.Warnings.Select(w => w.Message)]));
            var form = model.Drug == DrugForm.Racemic ? Enantiomer.Racemic : Enantiomer.S;
            return new SessionPreview(label, dose, check, run.Value, null) { OccupancyAtPeak = ReceptorOccupancy.Compute(peak, form) };
        }
    }
}
