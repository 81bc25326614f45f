using System.Globalization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using KetaCare.Clinic.Scheduling;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Calendar;

/// <summary>
/// Appointments as an iCalendar (RFC 5545) file, written with Ical.Net: one VEVENT per appointment with its id as UID,
/// start and end in UTC, the chair as location, and STATUS CANCELLED for a cancellation or no-show (so a subscribed
/// calendar drops it rather than keeping a stale booking). A patient's feed names no patient; a chair's feed names each
/// patient by record number only. Thread-safe.
/// </summary>
public static class CalendarFeed
{
    /// <summary>The iCalendar media type.</summary>
    public const string MediaType = "text/calendar";

    /// <summary>A patient's appointments: "Ketamine infusion" in the reader's language, at the clinic.</summary>
    public static string ForPatient(IEnumerable<AppointmentView> appointments, string clinicName, CultureInfo culture)
    {
        var t = Strings.For(culture);
        return Write(appointments, t["Appointments"], a => t["Ketamine infusion"] + " — " + clinicName);
    }

    /// <summary>A chair's appointments: each by the patient's record number.</summary>
    public static string ForChair(string chairName, IEnumerable<AppointmentView> appointments, CultureInfo culture)
    {
        var t = Strings.For(culture);
        return Write(appointments, chairName, a => t["Infusion: record {0}", a.RecordNumber]);
    }

    private static string Write(IEnumerable<AppointmentView> appointments, string name, Func<AppointmentView, string> summary)
    {
        ArgumentNullException.ThrowIfNull(appointments);
        var calendar = new Ical.Net.Calendar { ProductId = "-//KetaCare//Scheduling//EN" };
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var a in appointments)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = a.Id + "@ketacare",
                DtStart = new CalDateTime(a.Start.UtcDateTime),
                DtEnd = new CalDateTime(a.End.UtcDateTime),
                Summary = summary(a),
                Location = a.ChairName,
                Status = a.Status == AppointmentStatus.Booked ? EventStatus.Confirmed : EventStatus.Cancelled,
                Sequence = (int)Math.Min(a.Version, int.MaxValue),
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? string.Empty;
    }
}
