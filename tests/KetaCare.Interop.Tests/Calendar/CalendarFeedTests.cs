using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Scheduling;
using KetaCare.Interop.Calendar;

namespace KetaCare.Interop.Tests.Calendar;

/// <summary>The .ics files parse back (with Ical.Net) to the appointments they were written from.</summary>
public sealed class CalendarFeedTests
{
    private static readonly AppointmentView Booked = View(AppointmentStatus.Booked, new DateTimeOffset(2026, 6, 8, 6, 0, 0, TimeSpan.Zero));

    private static readonly AppointmentView Cancelled = View(AppointmentStatus.Cancelled, new DateTimeOffset(2026, 6, 15, 7, 30, 0, TimeSpan.Zero));

    [Fact]
    public void ForPatient_ParsedBack_HasEachAppointmentWithItsTimesChairAndStatus()
    {
        var text = CalendarFeed.ForPatient([Booked, Cancelled], "KetaCare Demo", CultureInfo.GetCultureInfo("tr-TR"));

        var calendar = Ical.Net.Calendar.Load(text)!;
        var events = calendar.Events.OrderBy(e => e.DtStart!.AsUtc).ToList();
        Assert.Equal([Booked.Id + "@ketacare", Cancelled.Id + "@ketacare"], events.Select(e => e.Uid));
        Assert.Equal([Booked.Start.UtcDateTime, Cancelled.Start.UtcDateTime], events.Select(e => e.DtStart!.AsUtc));
        Assert.Equal([Booked.End.UtcDateTime, Cancelled.End.UtcDateTime], events.Select(e => e.DtEnd!.AsUtc));
        Assert.Equal(["CONFIRMED", "CANCELLED"], events.Select(e => e.Status));
        Assert.All(events, e => Assert.Equal("Ketamin infüzyonu — KetaCare Demo", e.Summary));
        Assert.All(events, e => Assert.Equal("Chair 2", e.Location));
        Assert.DoesNotContain("Şahin", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ForChair_ParsedBack_NamesEachPatientByRecordNumberOnly()
    {
        var text = CalendarFeed.ForChair("Chair 2", [Booked], CultureInfo.InvariantCulture);

        var e = Assert.Single(Ical.Net.Calendar.Load(text)!.Events);
        Assert.Equal("Infusion: record MRN-7", e.Summary);
        Assert.Contains("X-WR-CALNAME:Chair 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Zeynep", text, StringComparison.Ordinal);
    }

    private static AppointmentView View(AppointmentStatus status, DateTimeOffset start) => new(
        AppointmentId.New(), PatientId.New(), "MRN-7", "Şahin, Zeynep", PlanId.New(), SessionId.New(), ChairId.New(), "Chair 2",
        DateOnly.FromDateTime(start.UtcDateTime), start, start.AddHours(2), status, status == AppointmentStatus.Booked ? null : "flu", 1);
}
