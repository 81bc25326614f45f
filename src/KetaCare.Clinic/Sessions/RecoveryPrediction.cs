using KetaCare.Clinic.Outcomes;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Sessions;

/// <summary>
/// The predicted effect-site concentration of the regimen this patient was actually given (the session's delivered
/// segments and single doses, with the plan's model and the patient's covariates), now and as it falls: "predicted
/// ready at HH:MM" is the first minute at which it is below the clinic's discharge threshold. Models without a
/// published ke0 borrow the analgesia ke0 of Olofsen 2012 (t½ke0 11.8 min), and the prediction says so. Built only by
/// <see cref="Predict"/>, so a discharge cannot be given a number nobody computed.
/// </summary>
public sealed record RecoveryPrediction
{
    private RecoveryPrediction(double? nowNgPerMl, DateTimeOffset? readyAt, double thresholdNgPerMl, string? unavailable, IReadOnlyList<Pharmacology.EngineWarning> notes)
    {
        NowNgPerMl = nowNgPerMl;
        ReadyAt = readyAt;
        ThresholdNgPerMl = thresholdNgPerMl;
        Unavailable = unavailable;
        Notes = notes;
    }

    /// <summary>Predicted effect-site concentration at the moment of the prediction, ng/mL; null when unavailable.</summary>
    public double? NowNgPerMl { get; }

    /// <summary>First moment (to the minute) at which the prediction is below the threshold; null when not within 12 h or unavailable.</summary>
    public DateTimeOffset? ReadyAt { get; }

    /// <summary>The discharge threshold used, ng/mL.</summary>
    public double ThresholdNgPerMl { get; }

    /// <summary>Why the prediction could not run; null when it ran.</summary>
    public string? Unavailable { get; }

    /// <summary>Model notes (borrowed ke0, extrapolation).</summary>
    public IReadOnlyList<Pharmacology.EngineWarning> Notes { get; }

    /// <summary>True when the prediction ran and is at or below the threshold now.</summary>
    public bool IsBelowThreshold => NowNgPerMl is { } c && c <= ThresholdNgPerMl;

    /// <summary>Predicts the effect-site concentration of <paramref name="session"/>'s delivered drug at <paramref name="now"/> and when it falls below <paramref name="thresholdNgPerMl"/>.</summary>
    /// <param name="session">The session (segments, single doses).</param>
    /// <param name="modelId">The plan's PK model.</param>
    /// <param name="patient">Covariates valid on the session date.</param>
    /// <param name="thresholdNgPerMl">The clinic's discharge threshold, ng/mL.</param>
    /// <param name="now">The moment of the prediction (UTC).</param>
    public static RecoveryPrediction Predict(InfusionSession session, string modelId, Covariates patient, double thresholdNgPerMl, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(patient);
        var model = ModelLibrary.Get(modelId, "model");
        if (!model.IsSuccess)
        {
            return new(null, null, thresholdNgPerMl, model.Error, []);
        }

        var first = session.Segments.Select(s => (DateTimeOffset?)s.Start).Concat(session.SingleDoses.Select(d => (DateTimeOffset?)d.At)).Min();
        if (first is not { } origin || now <= origin)
        {
            return new(0, now, thresholdNgPerMl, null, []);
        }

        var regimen = OutcomeAnalysis.RegimenGiven([session], origin, now);
        if (regimen.Administrations.Count == 0)
        {
            return new(0, now, thresholdNgPerMl, null, []);
        }

        // A 1-min grid from the first dose to 12 h after now: enough for any ketamine session to fall below any
        // threshold the clinic can set.
        var nowMinutes = Math.Ceiling((now - origin).TotalMinutes);
        var until = Duration.FromMinutes(nowMinutes + (12 * 60));
        var ke0 = model.Value.EffectSiteOptions.Count > 0 ? model.Value.EffectSiteOptions[0] : EffectSites.Olofsen2012Analgesia;
        var run = Simulator.Run(new SimulationRequest(model.Value, patient, regimen) { Until = until, Step = Duration.FromMinutes(1), EffectSite = ke0 });
        if (!run.IsSuccess)
        {
            return new(null, null, thresholdNgPerMl, run.Error, []);
        }

        var ce = run.Value.NgPerMl("effect");
        var i = (int)nowMinutes;
        var current = ce[i]; // the grid runs 12 h past now, so now's minute is always on it
        DateTimeOffset? ready = null;
        for (var k = i; k < ce.Length; k++)
        {
            // After the last dose the effect site first rises to its peak, then falls monotonically (linear model):
            // the first minute below the threshold after the peak has passed is when it stays below.
            if (ce[k] <= thresholdNgPerMl && (k + 1 >= ce.Length || ce[k + 1] <= ce[k]))
            {
                ready = origin + TimeSpan.FromMinutes(run.Value.Times[k]);
                break;
            }
        }

        // The search starts at the first whole minute at or after now, so the ready time is never before now.
        return new(current, ready, thresholdNgPerMl, null, run.Value.Warnings);
    }
}
