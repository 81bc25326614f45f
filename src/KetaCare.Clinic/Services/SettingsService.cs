using System.Globalization;
using System.Text.Json;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>One stored version of a clinic setting.</summary>
/// <param name="Key">Setting key.</param>
/// <param name="Version">1-based version; 0 for the built-in default that was never stored.</param>
/// <param name="Json">The value as JSON.</param>
/// <param name="CreatedAt">When it was written (UTC); null for the built-in default.</param>
/// <param name="CreatedBy">Who wrote it; null for the built-in default.</param>
/// <param name="Reason">Why it was written.</param>
public sealed record SettingVersion(string Key, int Version, string Json, DateTimeOffset? CreatedAt, UserId? CreatedBy, string Reason);

/// <summary>
/// Clinic-wide settings in the database, versioned like the protocol library: a revision adds the next version and
/// names its reason, nothing is overwritten, every write is audited, and a revision made against a stale version is
/// refused. The vital-sign alert thresholds are the first such setting. One instance per unit of work.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times.</param>
public sealed class SettingsService(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>The key of the vital-sign alert thresholds.</summary>
    public const string AlertThresholdsKey = "alert-thresholds";

    /// <summary>The key of the investigation ranges, thresholds and schedule (<see cref="Eligibility.InvestigationSettings"/>).</summary>
    public const string InvestigationSettingsKey = "investigation-settings";

    /// <summary>The key of the drug library's thresholds on the predicted peak plasma concentration.</summary>
    public const string PkThresholdsKey = "pk-thresholds";

    /// <summary>Key of the clinic's identity (name, address, telephone, emergency contact, regulator) on reports.</summary>
    public const string ClinicIdentityKey = "clinic-identity";

    /// <summary>Key of the rules that raise clinician tasks from patient reports (<see cref="Portal.PortalAlertSettings"/>).</summary>
    public const string PortalAlertRulesKey = "portal-alert-rules";

    /// <summary>Key of the clinic's instructions shown to patients in the portal (plain text).</summary>
    public const string PortalInstructionsKey = "portal-instructions";

    /// <summary>Longest portal instructions, characters.</summary>
    public const int MaxInstructionsLength = 8000;

    /// <summary>Key of the analytics settings (the relapse line).</summary>
    public const string AnalyticsSettingsKey = "analytics-settings";

    /// <summary>Key of the controlled-substance register's settings (<see cref="Stock.StockSettings"/>).</summary>
    public const string StockSettingsKey = "stock-settings";

    /// <summary>
    /// Lowest soft peak threshold, ng/mL: the bottom of the acute analgesia range (70–160 ng/mL, Zanos 2018 [P],
    /// clinical-reference: Concentration and effect (concentration-effect)); a lower one would warn on every analgesic dose.
    /// </summary>
    public const double MinSoftPeakNgPerMl = 70;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The latest version of <paramref name="key"/>, or null when it was never stored.</summary>
    public async Task<SettingVersion?> LatestAsync(string key, CancellationToken cancellationToken = default)
    {
        var row = await db.Settings.AsNoTracking().Where(s => s.Key == key).OrderByDescending(s => s.SettingsVersion).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return row is null ? null : Info(row);
    }

    /// <summary>Every version of <paramref name="key"/>, oldest first.</summary>
    public async Task<IReadOnlyList<SettingVersion>> HistoryAsync(string key, CancellationToken cancellationToken = default)
    {
        var rows = await db.Settings.AsNoTracking().Where(s => s.Key == key).OrderBy(s => s.SettingsVersion).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(Info)];
    }

    /// <summary>
    /// Stores <paramref name="json"/> as the next version of <paramref name="key"/>; refused when the latest stored
    /// version is not <paramref name="expectedVersion"/> (0 = never stored) or the reason is missing.
    /// </summary>
    public async Task<Outcome<SettingVersion>> ReviseAsync(string key, string json, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            return new Refusal("reason: a reason of 1 to 500 characters is required for every change of a clinic setting.", [Finding.Refused(FindingCodes.SettingReasonRequired, FindingArg.Of("field", "reason"), FindingArg.Of("max", 500))]);
        }

        var latest = await db.Settings.AsNoTracking().Where(s => s.Key == key).MaxAsync(s => (int?)s.SettingsVersion, cancellationToken).ConfigureAwait(false) ?? 0;
        if (latest != expectedVersion)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"{key}: version {latest} was saved by someone else after version {expectedVersion}, which this change was made against; reload and change again."),
                [Finding.Refused(FindingCodes.VersionConflict, FindingArg.Of("what", key))]);
        }

        var row = new SettingsRecord
        {
            Key = key,
            SettingsVersion = latest + 1,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = by,
            Reason = reason.Trim(),
            Document = json,
        };
        db.Settings.Add(row);
        db.Actor = by;
        var saved = await Conflicts.SaveAsync(db, key, cancellationToken).ConfigureAwait(false);
        return saved.IsSuccess ? Outcome<SettingVersion>.Ok(Info(row)) : saved.Refusal;
    }

    /// <summary>The alert thresholds in force and their version (0 = the built-in defaults).</summary>
    public async Task<(AlertThresholds Thresholds, int Version)> AlertThresholdsAsync(CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(AlertThresholdsKey, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return (AlertThresholds.Default, 0);
        }

        var stored = JsonSerializer.Deserialize<StoredThresholds>(latest.Json, Json) ?? throw new ClinicalRecordException($"{AlertThresholdsKey} v{latest.Version} is not readable.");
        return (stored.ToThresholds(latest), latest.Version);
    }

    /// <summary>The session settings in force: the built-in defaults with the stored alert thresholds.</summary>
    public async Task<SessionSettings> SessionSettingsAsync(CancellationToken cancellationToken = default)
    {
        var (thresholds, _) = await AlertThresholdsAsync(cancellationToken).ConfigureAwait(false);
        return SessionSettings.Default with { Alerts = thresholds };
    }

    /// <summary>
    /// Checks and stores new alert thresholds. Each must lie in a range where it still means an alarm (an SpO₂ alarm
    /// below 80 % or a systolic alarm above 250 mmHg would never fire in time); the ranges are labelled assumptions.
    /// </summary>
    public async Task<Outcome<SettingVersion>> ReviseAlertThresholdsAsync(AlertThresholds thresholds, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var check = Validate(thresholds);
        if (!check.IsSuccess)
        {
            return check.Refusal;
        }

        var json = JsonSerializer.Serialize(StoredThresholds.From(thresholds), Json);
        return await ReviseAsync(AlertThresholdsKey, json, expectedVersion, reason, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The investigation settings in force and their version (0 = the built-in defaults,
    /// <see cref="Eligibility.InvestigationSettings.Default"/>): what the screening, the monitoring schedule and the
    /// pre-assessment use.
    /// </summary>
    public async Task<(Eligibility.InvestigationSettings Settings, int Version)> InvestigationSettingsAsync(CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(InvestigationSettingsKey, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return (Eligibility.InvestigationSettings.Default, 0);
        }

        var values = JsonSerializer.Deserialize<Dictionary<string, double>>(latest.Json, Json) ?? throw new ClinicalRecordException($"{InvestigationSettingsKey} v{latest.Version} is not readable.");
        var settings = Eligibility.InvestigationSettings.Default.With(values);
        return settings.IsSuccess ? (settings.Value, latest.Version) : throw new ClinicalRecordException($"{InvestigationSettingsKey} v{latest.Version}: {settings.Error}");
    }

    /// <summary>
    /// Checks and stores investigation settings as a new version: every value of <paramref name="values"/> (by field
    /// name, <see cref="Eligibility.InvestigationSettings.Fields"/>) within its range, refused naming the field and the
    /// range otherwise; fields not given keep the values in force.
    /// </summary>
    public async Task<Outcome<SettingVersion>> ReviseInvestigationSettingsAsync(IReadOnlyDictionary<string, double> values, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var (current, _) = await InvestigationSettingsAsync(cancellationToken).ConfigureAwait(false);
        var revised = current.With(values);
        if (!revised.IsSuccess)
        {
            return revised.Refusal;
        }

        var json = JsonSerializer.Serialize(Eligibility.InvestigationSettings.Fields.ToDictionary(f => f.Field, f => f.Get(revised.Value), StringComparer.Ordinal), Json);
        return await ReviseAsync(InvestigationSettingsKey, json, expectedVersion, reason, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The clinic's identity in force and its version (0 = not set yet: <see cref="Clinics.ClinicIdentity.NotSet"/>).</summary>
    public async Task<(Clinics.ClinicIdentity Identity, int Version)> ClinicIdentityAsync(CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(ClinicIdentityKey, cancellationToken).ConfigureAwait(false);
        return latest is null
            ? (Clinics.ClinicIdentity.NotSet, 0)
            : (JsonSerializer.Deserialize<Clinics.ClinicIdentity>(latest.Json, Json) ?? throw new ClinicalRecordException($"{ClinicIdentityKey} v{latest.Version} is not readable."), latest.Version);
    }

    /// <summary>Checks and stores the clinic's identity as a new version (the reports printed before keep the old one).</summary>
    public async Task<Outcome<SettingVersion>> ReviseClinicIdentityAsync(Clinics.ClinicIdentity identity, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var trimmed = identity with { Name = identity.Name?.Trim() ?? string.Empty, Address = identity.Address?.Trim() ?? string.Empty, Phone = identity.Phone?.Trim() ?? string.Empty, EmergencyContact = identity.EmergencyContact?.Trim() ?? string.Empty, Regulator = identity.Regulator?.Trim() ?? string.Empty };
        var check = trimmed.Validate();
        return check.IsSuccess
            ? await ReviseAsync(ClinicIdentityKey, JsonSerializer.Serialize(trimmed, Json), expectedVersion, reason, by, cancellationToken).ConfigureAwait(false)
            : check.Refusal;
    }

    /// <summary>The register's settings in force and their version (0 = never set: <see cref="Stock.StockSettings.Default"/>).</summary>
    public async Task<(Stock.StockSettings Settings, int Version)> StockSettingsAsync(CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(StockSettingsKey, cancellationToken).ConfigureAwait(false);
        return latest is null
            ? (Stock.StockSettings.Default, 0)
            : (JsonSerializer.Deserialize<Stock.StockSettings>(latest.Json, Json) ?? throw new ClinicalRecordException($"{StockSettingsKey} v{latest.Version} is not readable."), latest.Version);
    }

    /// <summary>Stores the register's settings as a new version, with the reason (audited); an unknown template is refused.</summary>
    public async Task<Outcome<SettingVersion>> ReviseStockSettingsAsync(Stock.StockSettings settings, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Template is { } template && Stock.RegisterTemplate.Find(template) is null)
        {
            return Refusal.Coded(FindingCodes.StockTemplateUnknown, FindingArg.Of("value", template), FindingArg.Of("allowed", string.Join(", ", Stock.RegisterTemplate.All.Select(t => t.Id))));
        }

        return await ReviseAsync(StockSettingsKey, JsonSerializer.Serialize(settings, Json), expectedVersion, reason, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The analytics settings in force and their version (0 = the built-in defaults, <see cref="Analytics.AnalyticsSettings.Default"/>).</summary>
    public async Task<(Analytics.AnalyticsSettings Settings, int Version)> AnalyticsSettingsAsync(CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(AnalyticsSettingsKey, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return (Analytics.AnalyticsSettings.Default, 0);
        }

        var stored = JsonSerializer.Deserialize<Analytics.AnalyticsSettings>(latest.Json, Json) ?? throw new ClinicalRecordException($"{AnalyticsSettingsKey} v{latest.Version} is not readable.");
        return (stored, latest.Version);
    }

    /// <summary>Checks and stores new analytics settings (the relapse fraction within its range), with a reason, against the version read.</summary>
    public async Task<Outcome<SettingVersion>> ReviseAnalyticsSettingsAsync(Analytics.AnalyticsSettings settings, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var check = settings.Validate();
        return check.IsSuccess
            ? await ReviseAsync(AnalyticsSettingsKey, JsonSerializer.Serialize(settings, Json), expectedVersion, reason, by, cancellationToken).ConfigureAwait(false)
            : check.Refusal;
    }

    /// <summary>The PK thresholds in force and their version (0 = the built-in defaults, <see cref="PkThresholds.Default"/>).</summary>
    public async Task<(PkThresholds Thresholds, int Version)> PkThresholdsAsync(CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(PkThresholdsKey, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return (PkThresholds.Default, 0);
        }

        var stored = JsonSerializer.Deserialize<StoredPk>(latest.Json, Json) ?? throw new ClinicalRecordException($"{PkThresholdsKey} v{latest.Version} is not readable.");
        var source = Source.Assumption($"clinic setting {PkThresholdsKey} v{latest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {latest.Reason}; within the analgesia floor and the anaesthesia ceiling of Zanos 2018 (clinical-reference: Predicted-peak limits (peak-thresholds))");
        return (new PkThresholds(stored.SoftPeakNgPerMl, stored.HardPeakNgPerMl, source), latest.Version);
    }

    /// <summary>The drug library in force: the built-in preparations and per-protocol limits with the clinic's PK thresholds.</summary>
    public async Task<DrugLibrary> DrugLibraryAsync(CancellationToken cancellationToken = default)
    {
        var (pk, version) = await PkThresholdsAsync(cancellationToken).ConfigureAwait(false);
        var d = DrugLibrary.Default;
        return version == 0 ? d : new DrugLibrary($"{d.Version}+{PkThresholdsKey}.v{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}", d.Preparations, d.Limits, pk);
    }

    /// <summary>
    /// Checks and stores new PK thresholds. The hard threshold may only be lowered from the bottom of the anaesthesia
    /// range (1,200 ng/mL, Zanos 2018): a pain clinic never plans anaesthetic concentrations. The soft threshold lies
    /// between the analgesia floor (<see cref="MinSoftPeakNgPerMl"/>) and the hard threshold.
    /// </summary>
    public async Task<Outcome<SettingVersion>> RevisePkThresholdsAsync(double softPeakNgPerMl, double hardPeakNgPerMl, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        var ceiling = PkThresholds.Default.HardPeakNgPerMl;
        if (!double.IsFinite(hardPeakNgPerMl) || hardPeakNgPerMl < MinSoftPeakNgPerMl || hardPeakNgPerMl > ceiling)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"hardPeak: {hardPeakNgPerMl} ng/mL is outside the allowed range {MinSoftPeakNgPerMl} to {ceiling} ng/mL (the bottom of the anaesthesia range, Zanos 2018, can only be lowered)."),
                [Finding.Refused(FindingCodes.SettingHardPeakOutOfRange, FindingArg.Of("value", hardPeakNgPerMl, "ng/mL"), FindingArg.Of("min", MinSoftPeakNgPerMl), FindingArg.Of("max", ceiling, "ng/mL"))]);
        }

        if (!double.IsFinite(softPeakNgPerMl) || softPeakNgPerMl < MinSoftPeakNgPerMl || softPeakNgPerMl > hardPeakNgPerMl)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"softPeak: {softPeakNgPerMl} ng/mL is outside the allowed range {MinSoftPeakNgPerMl} to {hardPeakNgPerMl} ng/mL (from the analgesia floor to the hard threshold)."),
                [Finding.Refused(FindingCodes.SettingSoftPeakOutOfRange, FindingArg.Of("value", softPeakNgPerMl, "ng/mL"), FindingArg.Of("min", MinSoftPeakNgPerMl), FindingArg.Of("max", hardPeakNgPerMl, "ng/mL"))]);
        }

        var json = JsonSerializer.Serialize(new StoredPk(softPeakNgPerMl, hardPeakNgPerMl), Json);
        return await ReviseAsync(PkThresholdsKey, json, expectedVersion, reason, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The portal alert rules in force and their version (0 = <see cref="Portal.PortalAlertSettings.Default"/>).</summary>
    public async Task<(Portal.PortalAlertSettings Rules, int Version)> PortalAlertRulesAsync(CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(PortalAlertRulesKey, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return (Portal.PortalAlertSettings.Default, 0);
        }

        var stored = JsonSerializer.Deserialize<StoredPortalRules>(latest.Json, Json) ?? throw new ClinicalRecordException($"{PortalAlertRulesKey} v{latest.Version} is not readable.");
        return (new Portal.PortalAlertSettings
        {
            SevereSideEffect = stored.SevereSideEffect,
            AnyUrinarySymptom = stored.AnyUrinarySymptom,
            PainReturnPercent = stored.PainReturnPercent,
            ChecklistDueHour = stored.ChecklistDueHour,
            NotFastedOrNoEscort = stored.NotFastedOrNoEscort,
            Source = Source.Assumption($"clinic setting {PortalAlertRulesKey} v{latest.Version.ToString(CultureInfo.InvariantCulture)}: {latest.Reason}"),
        }, latest.Version);
    }

    /// <summary>Checks and stores the portal alert rules as a new version; refused naming the field and its range.</summary>
    public async Task<Outcome<SettingVersion>> RevisePortalAlertRulesAsync(Portal.PortalAlertSettings rules, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var check = rules.Validate();
        return check.IsSuccess
            ? await ReviseAsync(PortalAlertRulesKey, JsonSerializer.Serialize(new StoredPortalRules(rules.SevereSideEffect, rules.AnyUrinarySymptom, rules.PainReturnPercent, rules.ChecklistDueHour, rules.NotFastedOrNoEscort), Json), expectedVersion, reason, by, cancellationToken).ConfigureAwait(false)
            : check.Refusal;
    }

    /// <summary>The clinic's instructions for patients and their version (0 = none written yet: empty text).</summary>
    public async Task<(string Text, int Version)> PortalInstructionsAsync(CancellationToken cancellationToken = default)
    {
        var latest = await LatestAsync(PortalInstructionsKey, cancellationToken).ConfigureAwait(false);
        return latest is null ? (string.Empty, 0) : (JsonSerializer.Deserialize<string>(latest.Json, Json) ?? string.Empty, latest.Version);
    }

    /// <summary>Stores the clinic's instructions for patients as a new version (at most <see cref="MaxInstructionsLength"/> characters).</summary>
    public async Task<Outcome<SettingVersion>> RevisePortalInstructionsAsync(string text, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        var trimmed = (text ?? string.Empty).Trim();
        return trimmed.Length > MaxInstructionsLength
            ? Refusal.OutOfRange("instructions length", trimmed.Length, 0, MaxInstructionsLength)
            : await ReviseAsync(PortalInstructionsKey, JsonSerializer.Serialize(trimmed, Json), expectedVersion, reason, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Range checks of alert thresholds; the error names the field and the allowed range.</summary>
    public static Outcome Validate(AlertThresholds t)
    {
        ArgumentNullException.ThrowIfNull(t);
        foreach (var (field, value, min, max) in ThresholdRanges(t))
        {
            if (value < min || value > max)
            {
                return new Refusal(
                    string.Create(CultureInfo.InvariantCulture, $"{field}: {value} is outside the allowed range {min} to {max}."),
                    [Finding.Refused(FindingCodes.SettingOutOfRange, FindingArg.Of("field", field), FindingArg.Of("value", value), FindingArg.Of("min", min), FindingArg.Of("max", max))]);
            }
        }

        return Outcome.Ok();
    }

    /// <summary>Each threshold with its allowed range (assumptions: wide enough for any clinic's policy, narrow enough to stay an alarm).</summary>
    public static IReadOnlyList<(string Field, int Value, int Min, int Max)> ThresholdRanges(AlertThresholds t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return
        [
            ("systolicAbove", t.SystolicAbove, 120, 250),
            ("diastolicAbove", t.DiastolicAbove, 70, 150),
            ("spo2Below", t.SpO2Below, 80, 99),
            ("heartRateAbove", t.HeartRateAbove, 90, 200),
            ("rassAtOrBelow", t.RassAtOrBelow, -5, -1),
            ("moaasAtOrBelow", t.MoaasAtOrBelow, 0, 3),
        ];
    }

    private static SettingVersion Info(SettingsRecord r) => new(r.Key, r.SettingsVersion, r.Document, r.CreatedAt, r.CreatedBy, r.Reason);

    private sealed record StoredPortalRules(bool SevereSideEffect, bool AnyUrinarySymptom, int PainReturnPercent, int ChecklistDueHour, bool NotFastedOrNoEscort);

    private sealed record StoredPk(double SoftPeakNgPerMl, double HardPeakNgPerMl);

    private sealed record StoredThresholds(int SystolicAbove, int DiastolicAbove, int SpO2Below, int HeartRateAbove, int RassAtOrBelow, int MoaasAtOrBelow)
    {
        public static StoredThresholds From(AlertThresholds t) => new(t.SystolicAbove, t.DiastolicAbove, t.SpO2Below, t.HeartRateAbove, t.RassAtOrBelow, t.MoaasAtOrBelow);

        public AlertThresholds ToThresholds(SettingVersion v) => new()
        {
            SystolicAbove = SystolicAbove,
            DiastolicAbove = DiastolicAbove,
            SpO2Below = SpO2Below,
            HeartRateAbove = HeartRateAbove,
            RassAtOrBelow = RassAtOrBelow,
            MoaasAtOrBelow = MoaasAtOrBelow,
            Source = Source.Assumption($"clinic setting {AlertThresholdsKey} v{v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {v.Reason}"),
        };
    }
}
