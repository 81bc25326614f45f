using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;
using KetaCare.Pharmacology;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Sessions;

/// <summary>Predicted exposure of one concentration output (plasma or effect site) over a session.</summary>
/// <param name="Output">"plasma" or "effect".</param>
/// <param name="AucNgHoursPerMl">Area under the predicted curve from the first dose to <see cref="SessionExposure.Tail"/> after the last, ng·h/mL (exact: the engine integrates the concentration as a state).</param>
/// <param name="Cmax">Highest predicted concentration on the grid: exact for an IV infusion in plasma (the peak is at an input's end, which is on the grid); the effect-site peak, which follows an infusion's end, is read to the minute.</param>
/// <param name="Tmax">Time of <paramref name="Cmax"/> after the first dose.</param>
/// <param name="InOrAboveAnalgesia">Time at or above the lower edge of the analgesic band (<see cref="ConcentrationBands.AcuteAnalgesia"/>, 70 ng/mL).</param>
/// <param name="AboveAnalgesia">Time above the upper edge of the analgesic band (160 ng/mL).</param>
public sealed record ExposureMetrics(string Output, double AucNgHoursPerMl, Concentration Cmax, Duration Tmax, Duration InOrAboveAnalgesia, Duration AboveAnalgesia);

/// <summary>
/// The exposure a session's recorded administration predicts for this patient: AUC, Cmax and time in and above the
/// analgesic band, in plasma and at the effect site, from the delivered rate segments (capped at the VTBI) and single
/// doses, with the plan's PK model and the patient's covariates on the session date. A deterministic function of those
/// inputs: the session screen computes it on read, and the analytics store it with its inputs and compute it again
/// when one of them has changed (<see cref="Services.ExposureStore"/>), so an amended chart (a corrected weight or
/// height) or an amended session is always reflected. One exact simulation costs about a millisecond (see docs/analytics.md).
/// </summary>
/// <param name="ModelId">PK model used.</param>
/// <param name="Ke0">The effect-site constant used (the model's own, else the borrowed analgesia ke0 of Olofsen 2012).</param>
/// <param name="Dose">Drug delivered (before bioavailability).</param>
/// <param name="Plasma">Plasma exposure.</param>
/// <param name="EffectSite">Effect-site exposure.</param>
/// <param name="Notes">Engine notes (borrowed ke0, route assumptions, covariates outside the model's population).</param>
public sealed record SessionExposure(string ModelId, Ke0Option Ke0, Mass Dose, ExposureMetrics Plasma, ExposureMetrics EffectSite, IReadOnlyList<EngineWarning> Notes)
{
    /// <summary>
    /// How long after the last dose the AUC runs: 24 h, over eight terminal half-lives of ketamine in adults (2–3 h),
    /// so less than 0.5 % of the AUC to infinity is left out.
    /// </summary>
    public static Duration Tail { get; } = Duration.FromHours(24);

    /// <summary>The band the times refer to.</summary>
    public static ConcentrationBand Band => ConcentrationBands.AcuteAnalgesia;

    /// <summary>
    /// Predicts the exposure of the drug <paramref name="session"/> delivered. A segment still running counts up to
    /// <paramref name="runningUntil"/> when given, and not at all otherwise. Refused (coded) when no drug was given,
    /// the model is unknown or the covariates are outside what the model accepts.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <param name="modelId">The plan's PK model.</param>
    /// <param name="patient">Covariates valid on the session date.</param>
    /// <param name="runningUntil">For a live session: the moment up to which a running segment counts.</param>
    public static Outcome<SessionExposure> Compute(InfusionSession session, string modelId, Covariates patient, DateTimeOffset? runningUntil = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(patient);
        var model = ModelLibrary.Get(modelId, "model");
        if (!model.IsSuccess)
        {
            return Refusal.From(model);
        }

        var first = session.Segments.Select(s => (DateTimeOffset?)s.Start).Concat(session.SingleDoses.Select(d => (DateTimeOffset?)d.At)).Min();
        var regimen = first is { } origin ? OutcomeAnalysis.RegimenGiven([session], origin, runningUntil) : null;
        if (regimen is null || regimen.Administrations.Count == 0)
        {
            return new Refusal("session: no drug has been given yet.", [Finding.Refused(FindingCodes.OutcomeNoDrugGiven, FindingArg.Of("field", "session"))]);
        }

        var ke0 = model.Value.EffectSiteOptions.Count > 0 ? model.Value.EffectSiteOptions[0] : EffectSites.Olofsen2012Analgesia;
        var run = Simulator.Run(new SimulationRequest(model.Value, patient, regimen) { EffectSite = ke0 }, Grid(regimen));
        if (!run.IsSuccess)
        {
            return Refusal.From(run);
        }

        var result = run.Value;
        return Outcome<SessionExposure>.Ok(new SessionExposure(model.Value.Id, ke0, Mass.FromMilligrams(result.Schedule.AdministeredMg), Of(result, "plasma"), Of(result, "effect"), result.Warnings));
    }

    /// <summary>
    /// A 1-min grid from the first dose to <see cref="Tail"/> after the last, plus every start and end of an input:
    /// an infusion's plasma peak lies at its end, so the grid holds the exact plasma Cmax of an IV session.
    /// </summary>
    private static double[] Grid(Regimen regimen)
    {
        var ends = regimen.Administrations.Select(a => a.Start.Minutes + (a.Dose.Duration?.Minutes ?? 0)).ToList();
        var until = Math.Ceiling(ends.Max()) + Tail.Minutes;
        var times = new SortedSet<double>(Simulator.Grid(until, 1));
        foreach (var a in regimen.Administrations)
        {
            times.Add(a.Start.Minutes);
        }

        foreach (var e in ends)
        {
            times.Add(e);
        }

        return [.. times];
    }

    private static ExposureMetrics Of(SimulationResult result, string key)
    {
        var m = result.Metrics(key);
        return new ExposureMetrics(
            key,
            m.AucNgHoursPerMl,
            m.Cmax,
            m.Tmax,
            result.TimeAbove(key, Concentration.FromNanogramsPerMilliliter(Band.LowNgPerMl)),
            result.TimeAbove(key, Concentration.FromNanogramsPerMilliliter(Band.HighNgPerMl)));
    }
}
