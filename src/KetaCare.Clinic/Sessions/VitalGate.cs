using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Sessions;

/// <summary>
/// Gating on the patient's state before drug runs (start, resume): the latest complete vital-signs set (BP, HR, SpO₂,
/// RR) must have been taken within the window, and it and any sedation or dissociation score taken within the window
/// must lie inside the thresholds. A hard-level crossing is a hard stop; an alert-level crossing needs a physician's
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

        // The latest set decides the vital signs; the latest sedation and CADSS scores in the window decide those.
        var findings = VitalSignAlerts.Evaluate(vitals, thresholds).Select(a => a.Finding).ToList();
        var sedation = recent.LastOrDefault(o => o.Sedation is not null);
        var cadss = recent.LastOrDefault(o => o.Cadss is not null);
        foreach (var scored in new[] { sedation, cadss })
        {
            if (scored is null || ReferenceEquals(scored, vitals))
            {
                continue;
            }

            var scoresOnly = VitalSignAlerts.Evaluate(scored, thresholds)
                .Where(a => a.Id is "deep-sedation" or "agitation" or "cadss-high")
                .Select(a => a.Finding);
            findings.AddRange(scoresOnly.Where(f => !findings.Any(x => x.Code == f.Code)));
        }

        return findings;
    }

    /// <summary>True when the observation holds a complete vital-signs set: BP, heart rate, SpO₂ and respiratory rate.</summary>
    public static bool IsCompleteSet(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return observation.HasVitalSigns && observation.RespiratoryRate is not null;
    }
}
