using System.Globalization;

namespace KetaCare.Clinic.Sessions;

/// <summary>What an alert suggests.</summary>
public enum SuggestedAction
{
    /// <summary>Pause the infusion and reassess.</summary>
    Pause,

    /// <summary>Stop the infusion.</summary>
    Stop,
}

/// <summary>
/// Vital-sign alert thresholds. CLINICAL.md gives none, so the defaults are the examples of issue 4 and are
/// labelled assumptions a clinic configures; the deep-sedation levels follow the scales' own wording.
/// A value exactly at a threshold does not alert ("above 180" alerts at 181).
/// </summary>
public sealed record AlertThresholds
{
    /// <summary>Defaults.</summary>
    public static AlertThresholds Default { get; } = new();

    /// <summary>Systolic above this, mmHg → pause (assumption: 180).</summary>
    public int SystolicAbove { get; init; } = 180;

    /// <summary>Diastolic above this, mmHg → pause (assumption: 110).</summary>
    public int DiastolicAbove { get; init; } = 110;

    /// <summary>SpO₂ below this, % → stop (assumption: 92).</summary>
    public int SpO2Below { get; init; } = 92;

    /// <summary>Heart rate above this, /min → pause (assumption: 130).</summary>
    public int HeartRateAbove { get; init; } = 130;

    /// <summary>RASS at or below this → stop (−4 is "deep sedation" on the scale, Sessler 2002).</summary>
    public int RassAtOrBelow { get; init; } = -4;

    /// <summary>MOAA/S at or below this → stop (assumption: 1, responds only to painful stimulus or not at all).</summary>
    public int MoaasAtOrBelow { get; init; } = 1;

    /// <summary>Source.</summary>
    public Source Source { get; init; } = Source.Assumption("alert thresholds from the examples in issue 4 (SBP > 180 or DBP > 110 → pause, SpO2 < 92 % → stop, HR > 130, deep sedation); not in CLINICAL.md; configurable");
}

/// <summary>An alert raised by an observation.</summary>
/// <param name="Id">Stable id ("systolic-high", "spo2-low", …).</param>
/// <param name="Measured">The measured value.</param>
/// <param name="Threshold">The threshold crossed.</param>
/// <param name="Action">Suggested action.</param>
/// <param name="Message">Text for the nurse.</param>
/// <param name="Source">Where the threshold comes from.</param>
public sealed record VitalAlert(string Id, int Measured, int Threshold, SuggestedAction Action, string Message, Source Source);

/// <summary>Evaluates an observation against the thresholds. Pure and deterministic.</summary>
public static class VitalSignAlerts
{
    /// <summary>All alerts raised by <paramref name="observation"/>, most severe action first.</summary>
    public static IReadOnlyList<VitalAlert> Evaluate(Observation observation, AlertThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var t = thresholds ?? AlertThresholds.Default;
        var alerts = new List<VitalAlert>();
        void Add(string id, int v, int th, SuggestedAction a, string what) =>
            alerts.Add(new(id, v, th, a, string.Create(CultureInfo.InvariantCulture, $"{what}: {a.ToString().ToLowerInvariant()} the infusion."), t.Source));

        if (observation.SpO2 is { } spo2 && spo2 < t.SpO2Below)
        {
            Add("spo2-low", spo2, t.SpO2Below, SuggestedAction.Stop, $"SpO2 {spo2} % is below {t.SpO2Below} %");
        }

        if (observation.Sedation is { Scale: SedationScale.Rass } rass && rass.Value <= t.RassAtOrBelow)
        {
            Add("deep-sedation", rass.Value, t.RassAtOrBelow, SuggestedAction.Stop, $"RASS {rass.Value} is deep sedation (≤ {t.RassAtOrBelow})");
        }

        if (observation.Sedation is { Scale: SedationScale.Moaas } moaas && moaas.Value <= t.MoaasAtOrBelow)
        {
            Add("deep-sedation", moaas.Value, t.MoaasAtOrBelow, SuggestedAction.Stop, $"MOAA/S {moaas.Value} is deep sedation (≤ {t.MoaasAtOrBelow})");
        }

        if (observation.Systolic is { } sbp && sbp > t.SystolicAbove)
        {
            Add("systolic-high", sbp, t.SystolicAbove, SuggestedAction.Pause, $"Systolic BP {sbp} mmHg is above {t.SystolicAbove} mmHg");
        }

        if (observation.Diastolic is { } dbp && dbp > t.DiastolicAbove)
        {
            Add("diastolic-high", dbp, t.DiastolicAbove, SuggestedAction.Pause, $"Diastolic BP {dbp} mmHg is above {t.DiastolicAbove} mmHg");
        }

        if (observation.HeartRate is { } hr && hr > t.HeartRateAbove)
        {
            Add("heart-rate-high", hr, t.HeartRateAbove, SuggestedAction.Pause, $"Heart rate {hr} /min is above {t.HeartRateAbove} /min");
        }

        return alerts;
    }
}
