using System.Globalization;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Scheduling;

/// <summary>A booked appointment as the conflict rules see it: who, which chair, and the half-open interval [Start, End).</summary>
/// <param name="Id">The appointment.</param>
/// <param name="Patient">Its patient.</param>
/// <param name="Chair">Its chair.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="End">End of infusion and recovery (UTC); the chair is free again from this instant.</param>
public sealed record BookedSlot(AppointmentId Id, PatientId Patient, ChairId Chair, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>True when the two half-open intervals share an instant (back-to-back bookings do not overlap).</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => Start < end && start < End;
}

/// <summary>What a booking asks for.</summary>
/// <param name="Patient">The patient.</param>
/// <param name="Chair">The chair.</param>
/// <param name="ChairName">The chair's name, for the refusal's text.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="Duration">Infusion plus recovery (<see cref="Services.SchedulingService.ExpectedDuration"/>); positive.</param>
public sealed record BookingRequest(PatientId Patient, ChairId Chair, string ChairName, DateTimeOffset Start, TimeSpan Duration)
{
    /// <summary>End of infusion and recovery (UTC).</summary>
    public DateTimeOffset End => Start + Duration;
}

/// <summary>
/// The scheduling rules, as pure functions of the day's bookings: a booking is refused when it starts in the past,
/// falls outside the opening hours (start to end of recovery, clinic-local, on an open day), overlaps another booking
/// of its chair or of its patient, or would put more patients in care at once than the day's capacity. Intervals are
/// half-open, so one booking may start at the instant the previous one ends. Thread-safe.
/// </summary>
public static class BookingRules
{
    /// <summary>Every reason to refuse <paramref name="request"/>; empty when it may be booked.</summary>
    /// <param name="request">The booking asked for.</param>
    /// <param name="booked">The bookings still booked that may touch it (at least those of its day); cancelled ones are left out by the caller.</param>
    /// <param name="capacity">Patients in care at once the day allows (nurses on duty × patients per nurse).</param>
    /// <param name="settings">Opening hours and days.</param>
    /// <param name="zone">The clinic's time zone, in which the opening hours are written.</param>
    /// <param name="now">The current instant; a start before it is refused.</param>
    public static IReadOnlyList<Finding> Check(BookingRequest request, IReadOnlyCollection<BookedSlot> booked, int capacity, SchedulingSettings settings, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(booked);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(zone);
        var findings = new List<Finding>();
        if (request.Start < now)
        {
            findings.Add(Finding.Refused(FindingCodes.ScheduleInPast, FindingArg.Of("field", "start")));
        }

        if (!WithinOpeningHours(request.Start, request.End, settings, zone))
        {
            findings.Add(Finding.Refused(
                FindingCodes.ScheduleOutsideHours,
                FindingArg.Of("day", Day(request.Start, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                FindingArg.Of("opens", settings.Opens.ToString("HH:mm", CultureInfo.InvariantCulture)),
                FindingArg.Of("closes", settings.Closes.ToString("HH:mm", CultureInfo.InvariantCulture))));
        }

        var overlapping = booked.Where(b => b.Overlaps(request.Start, request.End)).ToList();
        if (overlapping.FirstOrDefault(b => b.Chair == request.Chair) is { } chair)
        {
            findings.Add(Finding.Refused(FindingCodes.ScheduleChairDoubleBooked, FindingArg.Of("chair", request.ChairName), FindingArg.Of("from", Clock(chair.Start, zone)), FindingArg.Of("to", Clock(chair.End, zone))));
        }

        if (overlapping.FirstOrDefault(b => b.Patient == request.Patient) is { } mine)
        {
            findings.Add(Finding.Refused(FindingCodes.SchedulePatientDoubleBooked, FindingArg.Of("from", Clock(mine.Start, zone)), FindingArg.Of("to", Clock(mine.End, zone))));
        }

        if (MostInCare(overlapping, request.Start, request.End) + 1 > capacity)
        {
            findings.Add(Finding.Refused(FindingCodes.ScheduleCapacityExceeded, FindingArg.Of("capacity", capacity), FindingArg.Of("day", Day(request.Start, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
        }

        return findings;
    }

    /// <summary>
    /// The most bookings in care at one instant of [<paramref name="from"/>, <paramref name="to"/>): a sweep over the
    /// bookings' starts and ends (an end at the same instant as a start is counted first, as the intervals are half-open).
    /// </summary>
    public static int MostInCare(IEnumerable<BookedSlot> booked, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(booked);
        var edges = booked
            .Where(b => b.Overlaps(from, to))
            .SelectMany(b => new[] { (At: b.Start < from ? from : b.Start, Step: +1), (At: b.End, Step: -1) })
            .OrderBy(e => e.At)
            .ThenBy(e => e.Step);
        int now = 0, most = 0;
        foreach (var (_, step) in edges)
        {
            now += step;
            most = Math.Max(most, now);
        }

        return most;
    }

    /// <summary>True when [start, end) lies within one open day's opening hours, clinic-local.</summary>
    public static bool WithinOpeningHours(DateTimeOffset start, DateTimeOffset end, SchedulingSettings settings, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var s = TimeZoneInfo.ConvertTime(start, zone).DateTime;
        var e = TimeZoneInfo.ConvertTime(end, zone).DateTime;
        return settings.OpenDays.Contains(s.DayOfWeek)
            && s >= s.Date + settings.Opens.ToTimeSpan()
            && e <= s.Date + settings.Closes.ToTimeSpan()
            && end > start;
    }

    /// <summary>The clinic-local date of an instant.</summary>
    public static DateOnly Day(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The UTC instant of a clinic-local date and time (a time skipped by a clock change moves forward to the valid time after it).</summary>
    public static DateTimeOffset Instant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    private static string Clock(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm", CultureInfo.InvariantCulture);
}
