using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Sessions;

/// <summary>
/// Gating on the patient's state before drug runs (start, resume): a complete vital-signs set (BP, HR, SpO₂, RR) must
/// have been taken within the window, and the latest value of every parameter recorded within the window (vital signs,
/// sedation, dissociation) must lie inside the thresholds. A hard-level crossing is a hard stop; an alert-level crossing needs a physician's
/// override. Pure and deterministic.
/// </summary>
public static class VitalGate
{
    /// <summary>Default window, minutes: vitals older than this do not count (assumption: 15 min, as often as vitals are charted during an infusion).</summary>
    public const int DefaultWindowMinutes = 15;

    /// <summary>The gate's findings at <paramref name="now"/> for the active observations; empty when the patient may receive drug.</summary>
    /// <param name="observations">The session's active observations.</param>
    /// <param name="thresholds">The thresholds in force.</param>
    /// <param name="window">How old the vitals may be.</param>
    /// <param name="now">The moment of the step (UTC).</param>
    /// <param name="notBefore">Observations before this moment do not count (e.g. the end of the infusion for discharge); null for none.</param>
    public static IReadOnlyList<Finding> Evaluate(IEnumerable<Observation> observations, AlertThresholds thresholds, TimeSpan window, DateTimeOffset now, DateTimeOffset? notBefore = null)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(thresholds);
        var from = now - window;
        if (notBefore is { } nb && nb > from)
        {
            from = nb;
        }

        var recent = observations.Where(o => o.At >= from && o.At <= now).OrderBy(o => o.At).ToList();
        var vitals = recent.LastOrDefault(IsCompleteSet);
        if (vitals is null)
        {
            return [Finding.Of(FindingCodes.GateVitalsMissing, FindingSeverity.HardStop, thresholds.Source, FindingArg.Of("window", window.TotalMinutes, "min"))];
        }

        // Each parameter's latest value in the window decides it: a newer partial reading (a BP of 190 taken alone)
        // is not hidden behind an older complete set. The values come from valid observations (BP as one pair), so the
        // composite is valid too.
        int? Latest(Func<Observation, int?> value) => recent.LastOrDefault(o => value(o) is not null) is { } o ? value(o) : null;
        var bp = recent.Last(o => o.Systolic is not null);
        var latest = Observation.Create(
            vitals.At, bp.Systolic, bp.Diastolic, Latest(o => o.HeartRate), Latest(o => o.SpO2), Latest(o => o.RespiratoryRate),
            recent.LastOrDefault(o => o.Sedation is not null)?.Sedation, Latest(o => o.Cadss)).Value;
        return [.. VitalSignAlerts.Evaluate(latest, thresholds).Select(a => a.Finding)];
    }

    /// <summary>True when the observation holds a complete vital-signs set: BP, heart rate, SpO₂ and respiratory rate.</summary>
    public static bool IsCompleteSet(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return observation.HasVitalSigns && observation.RespiratoryRate is not null;
    }
}
