using System.Globalization;
using KetaCare.Interop.Text;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// Clinical times are stored in UTC; screens show and accept them in the clinic's time zone
/// (<c>KetaCare:TimeZone</c>, an IANA id such as "Europe/Istanbul"; UTC when unset).
/// </summary>
public sealed class ClinicTime
{
    /// <summary>Reads the zone from configuration; an unknown id stops the app at start with the id named.</summary>
    public ClinicTime(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var id = configuration["KetaCare:TimeZone"];
        Zone = string.IsNullOrWhiteSpace(id) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);
    }

    /// <summary>The clinic's time zone.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The local clinic time of a UTC instant.</summary>
    public DateTimeOffset Local(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    /// <summary>"2026-01-14 09:30" in the clinic's zone, "14.01.2026 09:30" in Turkish (24-hour clock in every UI language).</summary>
    public string Show(DateTimeOffset utc)
    {
        var local = Local(utc);
        return ShowDay(DateOnly.FromDateTime(local.DateTime)) + local.ToString(" HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>"09:30" in the clinic's zone.</summary>
    public string ShowTime(DateTimeOffset utc) => Local(utc).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A date as yyyy-MM-dd (the HTML date input's format).</summary>
    public static string ShowDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A date for reading in the user's language: 2026-01-14, or 14.01.2026 in Turkish (never for a form field).</summary>
    public static string ShowDay(DateOnly date) => TextFormat.Date(date, CultureInfo.CurrentCulture);

    /// <summary>Today's date in the clinic's zone.</summary>
    public DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Local((clock ?? throw new ArgumentNullException(nameof(clock))).GetUtcNow()).DateTime);

    /// <summary>
    /// Parses a clinic-local time typed as "HH:mm" (on <paramref name="day"/>) or "yyyy-MM-ddTHH:mm" (the HTML
    /// datetime-local format) into UTC; the error names the field.
    /// </summary>
    public bool TryParseLocal(string? text, DateOnly day, string field, out DateTimeOffset utc, out string? error)
    {
        utc = default;
        var t = (text ?? string.Empty).Trim();
        DateTime local;
        if (TimeOnly.TryParseExact(t, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            local = day.ToDateTime(time);
        }
        else if (!DateTime.TryParseExact(t, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
        {
            error = $"{field}: \"{t}\" is not a time; write HH:mm (24-hour) or yyyy-MM-ddTHH:mm.";
            return false;
        }

        utc = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone), TimeSpan.Zero);
        error = null;
        return true;
    }
}
