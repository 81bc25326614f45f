using CsCheck;
using KetaCare.Clinic.Scheduling;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// The booking rules under random booking sequences: whatever is asked, in whatever order, what they accept never
/// double-books a chair or a patient and never puts more patients in care at once than the day's capacity.
/// </summary>
public sealed class SchedulingPropertyTests
{
    private static readonly TimeZoneInfo Istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");

    private static readonly DateOnly Monday = new(2026, 6, 8);

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    // A request: patient 0–5, chair 0–3, start 07:00–18:45 in 15-min steps (some outside the hours), 30–240 min long.
    private static readonly Gen<(int Patient, int Chair, int Quarter, int Minutes)> Request =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 3], Gen.Int[28, 75], Gen.Int[1, 8].Select(n => n * 30));

    [Fact]
    public void Check_RandomBookingSequences_NeverOverlapOnAChairOrPatientNorExceedCapacity()
    {
        Gen.Select(Request.Array[1, 40], Gen.Int[0, 4]).Sample(
            (requests, capacity) =>
            {
                var accepted = Accept(requests, capacity);

                foreach (var a in accepted)
                {
                    foreach (var b in accepted.Where(b => b.Id != a.Id && b.Overlaps(a.Start, a.End)))
                    {
                        Assert.NotEqual(a.Chair, b.Chair);
                        Assert.NotEqual(a.Patient, b.Patient);
                    }

                    Assert.True(BookingRules.WithinOpeningHours(a.Start, a.End, SchedulingSettings.Default, Istanbul));
                }

                // Patients in care at every start instant (where the count can rise), counted directly.
                foreach (var a in accepted)
                {
                    Assert.True(accepted.Count(b => b.Start <= a.Start && a.Start < b.End) <= capacity);
                }
            },
            iter: 500);
    }

    [Fact]
    public void Check_AcceptedBookingAskedAgain_IsRefusedAndAFreeOneIsAccepted()
    {
        // The rules must not just refuse everything: a request alone on an empty day, inside the hours, is accepted.
        Request.Sample(
            r =>
            {
                var req = ToRequest(r);
                var alone = BookingRules.Check(req, [], 1, SchedulingSettings.Default, Istanbul, Now);
                var inside = BookingRules.WithinOpeningHours(req.Start, req.End, SchedulingSettings.Default, Istanbul);
                Assert.Equal(inside, alone.Count == 0);
                if (inside)
                {
                    var again = BookingRules.Check(req, [new BookedSlot(AppointmentId.New(), req.Patient, req.Chair, req.Start, req.End)], 5, SchedulingSettings.Default, Istanbul, Now);
                    Assert.NotEmpty(again);
                }
            },
            iter: 300);
    }

    [Fact]
    public void MostInCare_EqualsTheCountAtTheBusiestStart()
    {
        Gen.Select(Gen.Int[0, 40], Gen.Int[1, 20]).Array[0, 30].Sample(
            spans =>
            {
                var slots = spans.Select(s => new BookedSlot(AppointmentId.New(), PatientId.New(), ChairId.New(), Now.AddMinutes(s.Item1 * 15), Now.AddMinutes((s.Item1 + s.Item2) * 15))).ToList();
                var from = Now;
                var to = Now.AddDays(1);
                var expected = slots.Count == 0 ? 0 : slots.Max(a => slots.Count(b => b.Start <= a.Start && a.Start < b.End));
                Assert.Equal(expected, BookingRules.MostInCare(slots, from, to));
            },
            iter: 300);
    }

    private static List<BookedSlot> Accept((int Patient, int Chair, int Quarter, int Minutes)[] requests, int capacity)
    {
        var accepted = new List<BookedSlot>();
        foreach (var r in requests)
        {
            var req = ToRequest(r);
            if (BookingRules.Check(req, accepted, capacity, SchedulingSettings.Default, Istanbul, Now).Count == 0)
            {
                accepted.Add(new BookedSlot(AppointmentId.New(), req.Patient, req.Chair, req.Start, req.End));
            }
        }

        return accepted;
    }

    private static BookingRequest ToRequest((int Patient, int Chair, int Quarter, int Minutes) r) => new(
        new PatientId(new Guid(r.Patient + 1, 0, 0, new byte[8])),
        new ChairId(new Guid(r.Chair + 1, 0, 0, new byte[8])),
        "Chair " + (r.Chair + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        BookingRules.Instant(Monday, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(r.Quarter * 15)), Istanbul),
        TimeSpan.FromMinutes(r.Minutes));
}
