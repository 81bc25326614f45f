using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Scheduling;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// The booking rules at their edges, against hand-worked examples (the property tests use the rules' own opening-hours
/// check as their oracle, so they cannot see a wrong boundary): the instant "now", opening and closing times, closed days,
/// back-to-back bookings, the refusals' arguments, and the clinic-local instant of a time skipped by a clock change.
/// </summary>
public sealed class BookingRulesTests
{
    private static readonly TimeZoneInfo Istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");

    // Monday 8 June 2026; Istanbul is UTC+3 all year, so 08:00 local is 05:00 UTC.
    private static readonly DateOnly Monday = new(2026, 6, 8);

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly PatientId Ayse = new(new Guid(1, 0, 0, new byte[8]));

    private static readonly ChairId ChairA = new(new Guid(11, 0, 0, new byte[8]));

    private static BookingRequest At(int hour, int minute, int minutes, PatientId? patient = null, ChairId? chair = null) => new(
        patient ?? Ayse, chair ?? ChairA, "Chair A", BookingRules.Instant(Monday, new TimeOnly(hour, minute), Istanbul), TimeSpan.FromMinutes(minutes));

    private static BookedSlot Booked(int hour, int minute, int minutes, PatientId patient, ChairId chair)
    {
        var start = BookingRules.Instant(Monday, new TimeOnly(hour, minute), Istanbul);
        return new BookedSlot(AppointmentId.New(), patient, chair, start, start.AddMinutes(minutes));
    }

    private static IReadOnlyList<Finding> Check(BookingRequest request, IReadOnlyCollection<BookedSlot>? booked = null, int capacity = 4, DateTimeOffset? now = null) =>
        BookingRules.Check(request, booked ?? [], capacity, SchedulingSettings.Default, Istanbul, now ?? Now);

    [Fact]
    public void Check_StartAtNow_Accepted_ATickBefore_RefusedNamingTheStart()
    {
        var request = At(9, 0, 60);
        Assert.Empty(Check(request, now: request.Start));

        var late = Assert.Single(Check(request, now: request.Start.AddTicks(1)));
        Assert.Equal(FindingCodes.ScheduleInPast, late.Code);
        Assert.Equal(FindingSeverity.HardStop, late.Severity);
        Assert.Equal("start", late.Arg("field")?.Text);
    }

    [Theory]
    [InlineData(8, 0, 600, true)] // 08:00–18:00, exactly the opening hours
    [InlineData(7, 59, 60, false)] // starts a minute before opening
    [InlineData(8, 1, 600, false)] // ends a minute after closing
    [InlineData(17, 0, 60, true)] // ends at closing
    [InlineData(0, 0, 60, false)] // midnight
    public void Check_OpeningHours_Boundaries(int hour, int minute, int minutes, bool accepted)
    {
        var findings = Check(At(hour, minute, minutes));
        if (accepted)
        {
            Assert.Empty(findings);
            return;
        }

        var outside = Assert.Single(findings);
        Assert.Equal(FindingCodes.ScheduleOutsideHours, outside.Code);
        Assert.Equal("2026-06-08", outside.Arg("day")?.Text);
        Assert.Equal("08:00", outside.Arg("opens")?.Text);
        Assert.Equal("18:00", outside.Arg("closes")?.Text);
    }

    [Fact]
    public void WithinOpeningHours_ClosedDayOrEmptyInterval_False()
    {
        var saturday = BookingRules.Instant(new DateOnly(2026, 6, 13), new TimeOnly(10, 0), Istanbul);
        Assert.False(BookingRules.WithinOpeningHours(saturday, saturday.AddHours(1), SchedulingSettings.Default, Istanbul));
        var monday = BookingRules.Instant(Monday, new TimeOnly(10, 0), Istanbul);
        Assert.True(BookingRules.WithinOpeningHours(monday, monday.AddHours(1), SchedulingSettings.Default, Istanbul));
        Assert.False(BookingRules.WithinOpeningHours(monday, monday, SchedulingSettings.Default, Istanbul));
        Assert.False(BookingRules.WithinOpeningHours(monday, monday.AddHours(-1), SchedulingSettings.Default, Istanbul));
    }

    [Fact]
    public void Check_ChairTaken_RefusedWithTheChairAndTheOtherBookingsLocalTimes()
    {
        var other = new PatientId(new Guid(2, 0, 0, new byte[8]));
        var findings = Check(At(10, 0, 60), [Booked(9, 30, 90, other, ChairA)]);

        var taken = Assert.Single(findings);
        Assert.Equal(FindingCodes.ScheduleChairDoubleBooked, taken.Code);
        Assert.Equal("Chair A", taken.Arg("chair")?.Text);
        Assert.Equal("09:30", taken.Arg("from")?.Text);
        Assert.Equal("11:00", taken.Arg("to")?.Text);
    }

    [Fact]
    public void Check_PatientElsewhere_RefusedWithTheOtherBookingsLocalTimes()
    {
        var chairB = new ChairId(new Guid(12, 0, 0, new byte[8]));
        var findings = Check(At(10, 0, 60), [Booked(10, 30, 60, Ayse, chairB)]);

        var mine = Assert.Single(findings);
        Assert.Equal(FindingCodes.SchedulePatientDoubleBooked, mine.Code);
        Assert.Equal("10:30", mine.Arg("from")?.Text);
        Assert.Equal("11:30", mine.Arg("to")?.Text);
    }

    [Fact]
    public void Check_BackToBackOnOneChair_Accepted()
    {
        var other = new PatientId(new Guid(2, 0, 0, new byte[8]));
        Assert.Empty(Check(At(10, 0, 60), [Booked(9, 0, 60, other, ChairA), Booked(11, 0, 60, other, ChairA)]));
    }

    [Fact]
    public void Check_Capacity_TheLastPlaceTakenThenRefusedNamingCapacityAndDay()
    {
        var booked = Enumerable.Range(0, 2)
            .Select(i => Booked(9, 0, 120, new PatientId(new Guid(20 + i, 0, 0, new byte[8])), new ChairId(new Guid(30 + i, 0, 0, new byte[8]))))
            .ToList();
        var request = At(10, 0, 60, chair: new ChairId(new Guid(40, 0, 0, new byte[8])));

        Assert.Empty(Check(request, booked, capacity: 3));
        var full = Assert.Single(Check(request, booked, capacity: 2));
        Assert.Equal(FindingCodes.ScheduleCapacityExceeded, full.Code);
        Assert.Equal(2, full.Arg("capacity")?.Number);
        Assert.Equal("2026-06-08", full.Arg("day")?.Text);
    }

    [Fact]
    public void Check_EveryReasonAtOnce()
    {
        var booked = new[] { Booked(17, 0, 60, Ayse, ChairA) };
        var codes = Check(At(17, 30, 60), booked, capacity: 1, now: BookingRules.Instant(Monday, new TimeOnly(17, 45), Istanbul)).Select(f => f.Code).ToList();
        Assert.Equal(
            [FindingCodes.ScheduleInPast, FindingCodes.ScheduleOutsideHours, FindingCodes.ScheduleChairDoubleBooked, FindingCodes.SchedulePatientDoubleBooked, FindingCodes.ScheduleCapacityExceeded],
            codes);
    }

    [Fact]
    public void MostInCare_BookingsBeforeTheWindowCountFromItsStart_EndsBeforeStartsAtOneInstant()
    {
        var p = PatientId.New();
        var c = ChairId.New();
        var from = BookingRules.Instant(Monday, new TimeOnly(10, 0), Istanbul);
        var slots = new[] { Booked(8, 0, 180, p, c), Booked(9, 0, 60, p, c), Booked(10, 0, 60, p, c), Booked(10, 0, 30, p, c), Booked(10, 30, 30, p, c), Booked(12, 0, 60, p, c) };

        // From 10:00: 08:00–11:00, 10:00–11:00 and 10:00–10:30 in care; at 10:30 one ends as the next starts, so never
        // four; 09:00–10:00 ended as the window opened; 12:00 is after it.
        Assert.Equal(3, BookingRules.MostInCare(slots, from, from.AddHours(1)));
        Assert.Equal(0, BookingRules.MostInCare(slots, from.AddHours(1), from.AddHours(2)));
        Assert.Equal(1, BookingRules.MostInCare(slots, from.AddHours(2), from.AddHours(3)));
    }

    [Fact]
    public void Instant_ATimeSkippedByTheClockChange_MovesToTheFirstValidTimeAfterIt()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        // 29 March 2026: Berlin's clocks go from 02:00 to 03:00 (UTC+1 to UTC+2); 02:30 does not exist.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), BookingRules.Instant(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), berlin));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero), BookingRules.Instant(new DateOnly(2026, 3, 29), new TimeOnly(1, 30), berlin));
        Assert.Equal(new DateOnly(2026, 6, 9), BookingRules.Day(new DateTimeOffset(2026, 6, 8, 21, 0, 0, TimeSpan.Zero), Istanbul));
    }

    [Fact]
    public void Check_MissingArguments_Throw()
    {
        var request = At(10, 0, 60);
        Assert.Throws<ArgumentNullException>(() => BookingRules.Check(null!, [], 1, SchedulingSettings.Default, Istanbul, Now));
        Assert.Throws<ArgumentNullException>(() => BookingRules.Check(request, null!, 1, SchedulingSettings.Default, Istanbul, Now));
        Assert.Throws<ArgumentNullException>(() => BookingRules.Check(request, [], 1, null!, Istanbul, Now));
        Assert.Throws<ArgumentNullException>(() => BookingRules.Check(request, [], 1, SchedulingSettings.Default, null!, Now));
        Assert.Throws<ArgumentNullException>(() => BookingRules.MostInCare(null!, Now, Now));
        Assert.Throws<ArgumentNullException>(() => BookingRules.WithinOpeningHours(Now, Now, null!, Istanbul));
        Assert.Throws<ArgumentNullException>(() => BookingRules.Instant(Monday, default, null!));
    }
}
