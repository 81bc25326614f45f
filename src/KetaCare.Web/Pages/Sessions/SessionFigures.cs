using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Web.Pages.Sessions;

/// <summary>The session summary: dose given, time infusing, and the peak plasma concentration predicted from the drug actually given.</summary>
/// <param name="DoseGiven">Computed from the rate segments and single doses up to now.</param>
/// <param name="Infusing">Time the pump ran (sum of the segments).</param>
/// <param name="Started">Start of the first segment or single dose.</param>
/// <param name="PeakPredicted">Predicted plasma peak, or null when it could not be computed.</param>
/// <param name="PredictionNote">Why there is no prediction.</param>
public sealed record SessionFigures(Mass DoseGiven, TimeSpan Infusing, DateTimeOffset? Started, Concentration? PeakPredicted, string? PredictionNote)
{
    /// <summary>
    /// Runs the delivered segments (a running one up to <paramref name="now"/>) and single doses through the plan's
    /// model with the patient's covariates on the session date, as the clinic's outcome analysis builds the regimen.
    /// </summary>
    public static SessionFigures Of(InfusionSession session, TreatmentPlan plan, Patient patient, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(patient);
        var infusing = session.DeliveredSegments(now).Aggregate(TimeSpan.Zero, (sum, s) => sum + ((s.End ?? now) - s.Start));
        var started = session.Segments.Select(s => (DateTimeOffset?)s.Start).Concat(session.SingleDoses.Select(d => (DateTimeOffset?)d.At)).Min();
        var dose = session.DoseGiven(now);
        if (started is not { } origin)
        {
            return new(dose, infusing, null, null, "no drug given yet");
        }

        var covariates = patient.Snapshot().CovariatesOn(session.ScheduledFor);
        var model = ModelLibrary.Get(plan.ModelId, "model");
        if (!covariates.IsSuccess || !model.IsSuccess)
        {
            return new(dose, infusing, started, null, covariates.IsSuccess ? model.Error : covariates.Error);
        }

        var given = OutcomeAnalysis.RegimenGiven([session], origin, runningUntil: now);
        if (given.Administrations.Count == 0)
        {
            return new(dose, infusing, started, null, "no drug given yet");
        }

        // Extravascular peaks come within hours of the dose; an infusion peaks at its end.
        var until = Math.Ceiling(Math.Max((now - origin).TotalMinutes, 1)) + 240;
        var run = Simulator.Run(new SimulationRequest(model.Value, covariates.Value, given) { Until = Duration.FromMinutes(until), Step = Duration.FromMinutes(1) });
        return run.IsSuccess
            ? new(dose, infusing, started, run.Value.Metrics("plasma").Cmax, null)
            : new(dose, infusing, started, null, run.Error);
    }
}
