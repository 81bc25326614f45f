namespace KetaCare.Clinic.Sessions;

/// <summary>Clinic settings used by sessions. Every value is a labelled assumption a clinic can change.</summary>
public sealed record SessionSettings
{
    /// <summary>Defaults.</summary>
    public static SessionSettings Default { get; } = new();

    /// <summary>Days an eligibility assessment stays current. Assumption: 90 days (no source gives one).</summary>
    public int EligibilityValidDays { get; init; } = 90;

    /// <summary>Rule-set version in force.</summary>
    public string EligibilityRuleSetVersion { get; init; } = Eligibility.EligibilitySettings.Default.Version;

    /// <summary>Vital-sign alert thresholds.</summary>
    public AlertThresholds Alerts { get; init; } = AlertThresholds.Default;

    /// <summary>
    /// How old the vitals set may be when an infusion starts or resumes, minutes, when the protocol sets none.
    /// Assumption: 15 min (<see cref="VitalGate.DefaultWindowMinutes"/>).
    /// </summary>
    public int VitalsWindowMinutes { get; init; } = VitalGate.DefaultWindowMinutes;

    /// <summary>
    /// Minimum observation after the end of the drug before discharge, minutes, when the protocol sets none.
    /// Assumption: 60 min for a 1-hour outpatient infusion (no guideline gives one for ketamine for pain; the esketamine
    /// nasal-spray label asks for at least 2 h, which intranasal protocols use).
    /// </summary>
    public int MinimumObservationMinutes { get; init; } = 60;

    /// <summary>Minimum observation for intranasal protocols, minutes: at least 2 h, as the esketamine nasal-spray label (REMS) requires.</summary>
    public int MinimumObservationIntranasalMinutes { get; init; } = 120;

    /// <summary>The minimum observation after the drug for <paramref name="protocol"/>: the protocol's, else the clinic's (2 h for intranasal protocols).</summary>
    public TimeSpan MinimumObservation(Protocols.Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var fallback = protocol.Route == Pharmacology.Models.Route.Intranasal ? MinimumObservationIntranasalMinutes : MinimumObservationMinutes;
        return TimeSpan.FromMinutes(protocol.MinimumObservationMinutes ?? fallback);
    }

    /// <summary>
    /// Predicted effect-site concentration below which a patient may go home, ng/mL. Assumption: 50 ng/mL, the bottom
    /// of the range over which psychotomimetic effects rise (50–200 ng/mL, Bowdle 1998).
    /// </summary>
    public double DischargeEffectSiteNgPerMl { get; init; } = 50;

    /// <summary>Tolerated difference between the volume the pump shows and the computed volume, mL (assumption: 1 mL).</summary>
    public double PumpVolumeToleranceMl { get; init; } = 1;

    /// <summary>Tolerated difference as a percentage of the computed volume, whichever is larger (assumption: 5 %).</summary>
    public double PumpVolumeTolerancePercent { get; init; } = 5;

    /// <summary>Source of the values.</summary>
    public Source Source { get; init; } = Source.Assumption("session settings: eligibility validity, vitals window, observation time, discharge concentration and pump-volume tolerance are clinic settings");
}
