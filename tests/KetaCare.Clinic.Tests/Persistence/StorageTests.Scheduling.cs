using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>Chair scheduling on both databases: bookings, every coded refusal, cancellation and no-show, proposed dates, reminders and a booking race.</summary>
public abstract partial class StorageTests
{
    // Monday a week after the test clock's start (Monday 2026-06-01 08:00 UTC); the clinic is in Istanbul (UTC+3).
    private static readonly DateOnly BookingDay = new(2026, 6, 8);

    private static readonly TimeZoneInfo Istanbul = TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");

    private SchedulingService Scheduling(KetaCareDbContext db) => new(db, _clock, Istanbul);

    private static DateTimeOffset At(DateOnly day, int hour, int minute = 0) => BookingRules.Instant(day, new TimeOnly(hour, minute), Istanbul);

    [Fact]
    public async Task Book_FreeChair_SavesSessionAppointmentAndRemindersTogetherAndAudits()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var plan = await PlanForAsync(t, "MRN-1");
        var (chair, _) = await ChairsAsync(t);
        await ContactAsync(t, plan.PatientId, new Patients.ContactInput(null, null, "en", false, false) with { Email = "chart@example.org", MobilePhone = "+905321234567", EmailConsent = true, TextConsent = true });
        await using var db = Open(t);
        var auditBefore = await CountAuditAsync(t);

        var booked = await Scheduling(db).BookAsync(new BookingCommand(plan.Id, chair.Id, At(BookingDay, 9), new ReminderContact("zeynep@example.org", "+90 555 123 45 67", "tr")), Build.Nurse, ct);

        Assert.True(booked.IsSuccess, booked.Error);
        var a = booked.Value;
        Assert.Equal(AppointmentStatus.Booked, a.Status);
        Assert.Equal(BookingDay, a.Day);
        Assert.Equal(new DateTimeOffset(2026, 6, 8, 6, 0, 0, TimeSpan.Zero), a.Start);
        Assert.Equal(TimeSpan.FromMinutes(60 + 60), a.End - a.Start); // 1 h infusion and the clinic's 60 min observation
        var session = (await new SessionService(db, _clock).GetAsync(a.Session, Build.Nurse, ct)).Value;
        Assert.Equal((SessionState.Scheduled, BookingDay, plan.Id), (session.State, session.ScheduledFor, session.PlanId));
        var messages = await new OutboxService(db, _clock).ListAsync(SchedulingService.ReminderKeyPrefix(a.Id), ct);
        Assert.Equal(6, messages.Count); // (48 h, 24 h, checklist) × (e-mail, text), to this booking's own addresses
        Assert.Equal(["+905551234567", "zeynep@example.org"], messages.Select(m => m.Recipient).Distinct().Order());
        Assert.All(messages, m => Assert.Equal(("tr", OutboxState.Pending, "2026-06-08", "09:00"), (m.Language, m.State, m.Parameters["date"], m.Parameters["time"])));
        Assert.Equal(
            [a.Start.AddHours(-72), a.Start.AddHours(-48), a.Start.AddHours(-24)],
            messages.Where(m => m.Channel == MessageChannel.Email).Select(m => m.DueAt).Order());
        await using var check = t.Database.Open();
        var events = await check.AuditEvents.AsNoTracking().Where(e => e.Sequence > auditBefore).Select(e => e.EntityType).ToListAsync(ct);
        Assert.Contains("appointment", events);
        Assert.Contains("session", events);
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Fact]
    public async Task Book_Conflicts_RefusedWithEveryCodeAndNothingSaved()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var first = await PlanForAsync(t, "MRN-1");
        var second = await PlanForAsync(t, "MRN-2");
        var third = await PlanForAsync(t, "MRN-3");
        var (chair1, chair2) = await ChairsAsync(t);
        ChairView chair3;
        await using (var db = Open(t))
        {
            chair3 = (await Scheduling(db).AddChairAsync("Chair 3", Build.Nurse, ct)).Value;
            Assert.True((await Scheduling(db).BookAsync(new BookingCommand(first.Id, chair1.Id, At(BookingDay, 9), null), Build.Nurse, ct)).IsSuccess);
        }

        await using var db2 = Open(t);
        var s = Scheduling(db2);
        Codes.Only(FindingCodes.ScheduleChairDoubleBooked, await s.BookAsync(new BookingCommand(second.Id, chair1.Id, At(BookingDay, 10, 30), null), Build.Nurse, ct));
        Codes.Only(FindingCodes.SchedulePatientDoubleBooked, await s.BookAsync(new BookingCommand(first.Id, chair2.Id, At(BookingDay, 8), null), Build.Nurse, ct));
        Codes.Only(FindingCodes.ScheduleOutsideHours, await s.BookAsync(new BookingCommand(second.Id, chair2.Id, At(BookingDay, 17), null), Build.Nurse, ct));
        Codes.Only(FindingCodes.ScheduleOutsideHours, await s.BookAsync(new BookingCommand(second.Id, chair2.Id, At(BookingDay.AddDays(-2), 9), null), Build.Nurse, ct)); // a Saturday
        Codes.Only(FindingCodes.ScheduleInPast, await s.BookAsync(new BookingCommand(second.Id, chair2.Id, _clock.Now.AddHours(-1), null), Build.Nurse, ct));

        // One nurse keeps two patients: a third at the same time is refused even with a free chair, and accepted once a second nurse is on duty.
        Assert.True((await s.BookAsync(new BookingCommand(second.Id, chair2.Id, At(BookingDay, 9), null), Build.Nurse, ct)).IsSuccess);
        var refused = await s.BookAsync(new BookingCommand(third.Id, chair3.Id, At(BookingDay, 10), null), Build.Nurse, ct);
        Codes.Only(FindingCodes.ScheduleCapacityExceeded, refused);
        Assert.Equal(2, refused.Findings[0].Number("capacity"));
        Assert.True((await s.SetStaffingAsync(BookingDay, 2, "second nurse on the rota", Build.Nurse, ct)).IsSuccess);
        Assert.True((await s.BookAsync(new BookingCommand(third.Id, chair3.Id, At(BookingDay, 10), null), Build.Nurse, ct)).IsSuccess);

        await using var check = t.Database.Open();
        Assert.Equal(3, await check.Appointments.CountAsync(ct));
        Assert.Equal(3, await check.Sessions.CountAsync(ct));
    }

    [Fact]
    public async Task Book_DayWithASessionPlannedByDateOnly_GivesThatSessionTheChair()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var plan = await PlanForAsync(t, "MRN-1");
        var (chair, _) = await ChairsAsync(t);
        await using var db = Open(t);
        var planned = await new SessionService(db, _clock).ScheduleAsync(plan.Id, BookingDay, Build.Nurse, ct);

        var booked = await Scheduling(db).BookAsync(new BookingCommand(plan.Id, chair.Id, At(BookingDay, 9), null), Build.Nurse, ct);

        Assert.True(booked.IsSuccess, booked.Error);
        Assert.Equal(planned.Value.Id, booked.Value.Session);
        Assert.Equal(1, await db.Sessions.CountAsync(s => s.PlanId == plan.Id, ct));
    }

    [Fact]
    public async Task Book_BackToBack_SharesTheChairAtTheInstantTheFirstEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var first = await PlanForAsync(t, "MRN-1");
        var second = await PlanForAsync(t, "MRN-2");
        var (chair, _) = await ChairsAsync(t);
        await using var db = Open(t);
        var one = await Scheduling(db).BookAsync(new BookingCommand(first.Id, chair.Id, At(BookingDay, 9), null), Build.Nurse, ct);

        var two = await Scheduling(db).BookAsync(new BookingCommand(second.Id, chair.Id, one.Value.End, null), Build.Nurse, ct);

        Assert.True(two.IsSuccess, two.Error);
    }

    [Fact]
    public async Task Cancel_WithReason_FreesTheChairCancelsTheSessionAndWithdrawsTheReminders()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var first = await PlanForAsync(t, "MRN-1");
        var second = await PlanForAsync(t, "MRN-2");
        var (chair, _) = await ChairsAsync(t);
        await using var db = Open(t);
        var s = Scheduling(db);
        var a = (await s.BookAsync(new BookingCommand(first.Id, chair.Id, At(BookingDay, 9), new ReminderContact("zeynep@example.org", null, "en")), Build.Nurse, ct)).Value;

        Codes.Only(FindingCodes.ReasonRequired, await s.CancelAsync(a.Id, a.Version, "  ", Build.Nurse, ct));
        Codes.Only(FindingCodes.VersionConflict, await s.CancelAsync(a.Id, a.Version + 1, "patient has flu", Build.Nurse, ct));
        var cancelled = await s.CancelAsync(a.Id, a.Version, "patient has flu", Build.Nurse, ct);

        Assert.True(cancelled.IsSuccess, cancelled.Error);
        Assert.Equal((AppointmentStatus.Cancelled, "patient has flu"), (cancelled.Value.Status, cancelled.Value.Reason));
        var session = (await new SessionService(db, _clock).GetAsync(a.Session, Build.Nurse, ct)).Value;
        Assert.Equal(SessionState.Cancelled, session.State);
        Assert.All(await new OutboxService(db, _clock).ListAsync(SchedulingService.ReminderKeyPrefix(a.Id), ct), m => Assert.Equal(OutboxState.Cancelled, m.State));
        Codes.Only(FindingCodes.ScheduleNotBooked, await s.CancelAsync(a.Id, cancelled.Value.Version, "again", Build.Nurse, ct));
        Assert.True((await s.BookAsync(new BookingCommand(second.Id, chair.Id, At(BookingDay, 9), null), Build.Nurse, ct)).IsSuccess);
        Assert.Equal(2, (await s.RangeAsync(BookingDay, BookingDay, Build.Nurse, ct)).Count); // nothing deleted
    }

    [Fact]
    public async Task NoShow_OnlyFromTheStart_RecordedWithItsReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var plan = await PlanForAsync(t, "MRN-1");
        var (chair, _) = await ChairsAsync(t);
        await using var db = Open(t);
        var s = Scheduling(db);
        var a = (await s.BookAsync(new BookingCommand(plan.Id, chair.Id, At(BookingDay, 9), null), Build.Nurse, ct)).Value;

        Codes.Only(FindingCodes.ScheduleNoShowBeforeStart, await s.NoShowAsync(a.Id, a.Version, "did not come", Build.Nurse, ct));
        _clock.Now = a.Start.AddMinutes(30);
        var noShow = await s.NoShowAsync(a.Id, a.Version, "did not come, phone not answered", Build.Nurse, ct);

        Assert.True(noShow.IsSuccess, noShow.Error);
        Assert.Equal(AppointmentStatus.NoShow, noShow.Value.Status);
        var session = (await new SessionService(db, _clock).GetAsync(a.Session, Build.Nurse, ct)).Value;
        Assert.Equal(SessionState.Cancelled, session.State);
        Assert.StartsWith("no-show: ", session.Transitions[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProposeDates_FollowTheProtocolIntervalOnOpenDays()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var plan = await PlanForAsync(t, "MRN-1");
        var (chair, _) = await ChairsAsync(t);
        await using var db = Open(t);
        var s = Scheduling(db);
        Assert.True((await s.BookAsync(new BookingCommand(plan.Id, chair.Id, At(BookingDay, 9), null), Build.Nurse, ct)).IsSuccess);

        var dates = await s.ProposeDatesAsync(plan.Id, ct);

        Assert.True(dates.IsSuccess, dates.Error);
        Assert.Equal(plan.Protocol.NumberOfSessions - 1, dates.Value.Count);
        Assert.Equal([.. Enumerable.Range(1, plan.Protocol.NumberOfSessions - 1).Select(i => BookingDay.AddDays(i * plan.Protocol.IntervalDays))], dates.Value);
        var slots = await s.FreeSlotsAsync(plan.Id, dates.Value[0], 3, ct);
        Assert.Equal([At(dates.Value[0], 8), At(dates.Value[0], 8), At(dates.Value[0], 8, 15)], slots.Value.Select(x => x.Start));
    }

    [Fact]
    public async Task Book_RaceForTheLastPlace_OneWinsTheOtherIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var first = await PlanForAsync(t, "MRN-1");
        var second = await PlanForAsync(t, "MRN-2");
        var (chair1, chair2) = await ChairsAsync(t);
        // Capacity 1 (settings: one patient per nurse, one nurse): both bookings race for it.
        await using (var db = Open(t))
        {
            var settings = SchedulingSettings.Default with { PatientsPerNurse = 1 };
            Assert.True((await Scheduling(db).ReviseSettingsAsync(settings, 0, "one patient per nurse", Build.Nurse, ct)).IsSuccess);
        }

        var results = await Task.WhenAll(
            Task.Run(async () => { await using var db = Open(t); return await Scheduling(db).BookAsync(new BookingCommand(first.Id, chair1.Id, At(BookingDay, 9), null), Build.Nurse, ct); }, ct),
            Task.Run(async () => { await using var db = Open(t); return await Scheduling(db).BookAsync(new BookingCommand(second.Id, chair2.Id, At(BookingDay, 9), null), Build.Nurse, ct); }, ct));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Single(results, r => !r.IsSuccess && r.Findings.Any(f => f.Code == FindingCodes.ScheduleCapacityExceeded));
    }

    private async Task<TreatmentPlan> PlanForAsync(TestDatabase t, string recordNumber)
    {
        var (patient, condition) = await RegisterEligibleAsync(t, recordNumber: recordNumber);
        await using (var db = Open(t))
        {
            Assert.True((await new TreatmentService(db, _clock).AssessEligibilityAsync(patient.Id, condition, Build.Physician, null, TestContext.Current.CancellationToken)).IsSuccess);
        }

        return await PrescribeAsync(t, patient.Id);
    }

    private async Task<(ChairView One, ChairView Two)> ChairsAsync(TestDatabase t)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Open(t);
        var one = await Scheduling(db).AddChairAsync("Chair 1", Build.Nurse, ct);
        var two = await Scheduling(db).AddChairAsync("Chair 2", Build.Nurse, ct);
        Codes.Only(FindingCodes.ScheduleChairNameTaken, await Scheduling(db).AddChairAsync(" Chair 1 ", Build.Nurse, ct));
        return (one.Value, two.Value);
    }
}
