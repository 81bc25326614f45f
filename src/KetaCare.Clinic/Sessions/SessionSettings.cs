namespace KetaCare.Clinic.Sessions;

/// <summary>Clinic settings used by sessions. Values are labelled assumptions.</summary>
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

    /// <summary>Source of the values.</summary>
    public Source Source { get; init; } = Source.Assumption("eligibility validity of 90 days is a clinic setting");
}
