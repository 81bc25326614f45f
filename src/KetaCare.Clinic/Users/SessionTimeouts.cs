using System.Globalization;
using System.Text.Json;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Users;

/// <summary>
/// How long a web sign-in lasts: it ends after <see cref="Idle"/> without a request and, however busy, after
/// <see cref="Absolute"/> from the sign-in. A clinic setting (versioned with a reason, like the alert thresholds).
/// </summary>
/// <param name="Idle">Inactivity after which the next request must sign in again.</param>
/// <param name="Absolute">Time from the sign-in after which the next request must sign in again.</param>
public sealed record SessionTimeouts(TimeSpan Idle, TimeSpan Absolute)
{
    /// <summary>The setting's key in the clinic settings.</summary>
    public const string Key = "session-timeouts";

    /// <summary>Shortest idle timeout, minutes: below this a nurse typing a long note would lose it.</summary>
    public const int MinIdleMinutes = 5;

    /// <summary>Longest idle timeout, minutes: a shift-long idle session is an unattended terminal.</summary>
    public const int MaxIdleMinutes = 8 * 60;

    /// <summary>Shortest absolute timeout, hours.</summary>
    public const int MinAbsoluteHours = 1;

    /// <summary>Longest absolute timeout, hours; also the lifetime of the sign-in cookie itself.</summary>
    public const int MaxAbsoluteHours = 24;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>
    /// The built-in defaults, 30 minutes idle and 12 hours absolute: OWASP ASVS 4.0 §3.3.2 (level 2) — an assumption
    /// for a clinic, shown as such on the settings page, until the clinic stores its own.
    /// </summary>
    public static SessionTimeouts Default { get; } = new(TimeSpan.FromMinutes(30), TimeSpan.FromHours(12));

    /// <summary>Refusal naming the field and its allowed range, or success.</summary>
    public static Outcome Validate(int idleMinutes, int absoluteHours)
    {
        if (idleMinutes is < MinIdleMinutes or > MaxIdleMinutes)
        {
            return Refusal.OutOfRange("idleMinutes", idleMinutes, MinIdleMinutes, MaxIdleMinutes, maxUnit: "minutes");
        }

        if (absoluteHours is < MinAbsoluteHours or > MaxAbsoluteHours)
        {
            return Refusal.OutOfRange("absoluteHours", absoluteHours, MinAbsoluteHours, MaxAbsoluteHours, maxUnit: "hours");
        }

        return idleMinutes > absoluteHours * 60
            ? new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"idleMinutes: {idleMinutes} is longer than the absolute timeout of {absoluteHours} hours."),
                [Finding.Refused(FindingCodes.SettingIdleAboveAbsolute, FindingArg.Of("field", "idleMinutes"), FindingArg.Of("value", idleMinutes), FindingArg.Of("limit", absoluteHours, "hours"))])
            : Outcome.Ok();
    }

    /// <summary>The timeouts in force and their version (0 = <see cref="Default"/>).</summary>
    public static async Task<(SessionTimeouts Timeouts, int Version)> ReadAsync(SettingsService settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var latest = await settings.LatestAsync(Key, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return (Default, 0);
        }

        var stored = JsonSerializer.Deserialize<Stored>(latest.Json, Json)
            ?? throw new Persistence.ClinicalRecordException(string.Create(CultureInfo.InvariantCulture, $"{Key} v{latest.Version} is not readable."));
        return (new SessionTimeouts(TimeSpan.FromMinutes(stored.IdleMinutes), TimeSpan.FromHours(stored.AbsoluteHours)), latest.Version);
    }

    /// <summary>Checks and stores new timeouts as the next version; refused for a value out of range or a stale version.</summary>
    public static async Task<Outcome<SettingVersion>> ReviseAsync(SettingsService settings, int idleMinutes, int absoluteHours, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var check = Validate(idleMinutes, absoluteHours);
        if (!check.IsSuccess)
        {
            return check.Refusal;
        }

        var json = JsonSerializer.Serialize(new Stored(idleMinutes, absoluteHours), Json);
        return await settings.ReviseAsync(Key, json, expectedVersion, reason, by, cancellationToken).ConfigureAwait(false);
    }

    private sealed record Stored(int IdleMinutes, int AbsoluteHours);
}
