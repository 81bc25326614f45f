using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>Reminders take the chart's contact details and consents; a change of them reaches the unsent reminders of bookings ahead.</summary>
public abstract partial class StorageTests
{
    [Fact]
    public async Task Book_WithoutOverride_RemindersGoToTheChartsConsentedChannelsInItsLanguage()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var plan = await PlanForAsync(t, "MRN-1");
        var (chair, _) = await ChairsAsync(t);
        await ContactAsync(t, plan.PatientId, new ContactInput("ayse@example.org", "+905321234567", "tr", true, false));
        await using var db = Open(t);

        var a = (await Scheduling(db).BookAsync(new BookingCommand(plan.Id, chair.Id, At(BookingDay, 9), null), Build.Nurse, ct)).Value;

        var messages = await new OutboxService(db, _clock).ListAsync(SchedulingService.ReminderKeyPrefix(a.Id), ct);
        Assert.Equal(3, messages.Count); // 48 h, 24 h, checklist by e-mail; no text message without consent
        Assert.All(messages, m => Assert.Equal((MessageChannel.Email, "ayse@example.org", "tr", OutboxState.Pending), (m.Channel, m.Recipient, m.Language, m.State)));
        Assert.Null(a.NotSendableCode);
        Assert.Equal(3, a.Reminders.Count);
    }

    [Fact]
    public async Task Book_TomorrowMorning_OneAppointmentReminderAndTheChecklistGoOutNowNotEveryPastReminder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var plan = await PlanForAsync(t, "MRN-1");
        var (chair, _) = await ChairsAsync(t);
        await ContactAsync(t, plan.PatientId, new ContactInput("ayse@example.org", null, "tr", true, null));
        await using var db = Open(t);

        // Tuesday 09:00 in Istanbul is 22 h after the clock's Monday 08:00 UTC: the 72 h, 48 h and 24 h times have all passed.
        var a = (await Scheduling(db).BookAsync(new BookingCommand(plan.Id, chair.Id, At(BookingDay.AddDays(-6), 9), null), Build.Nurse, ct)).Value;

        var messages = await new OutboxService(db, _clock).ListAsync(SchedulingService.ReminderKeyPrefix(a.Id), ct);
        Assert.Equal(
            [SchedulingService.ReminderKeyPrefix(a.Id) + "checklist/email", SchedulingService.ReminderKeyPrefix(a.Id) + "reminder-24h/email"],
            messages.Select(m => m.Key).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Equal(_clock.GetUtcNow(), m.DueAt));
    }

    [Theory]
    [InlineData(null, FindingCodes.ReminderNoAddress)]
    [InlineData("ayse@example.org", FindingCodes.ReminderNoConsent)]
    public async Task Book_NoUsableChannel_EachReminderRecordedAsNotSendableWithItsCode(string? email, string code)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var plan = await PlanForAsync(t, "MRN-1");
        var (chair, _) = await ChairsAsync(t);
        if (email is not null)
        {
            await ContactAsync(t, plan.PatientId, new ContactInput(email, null, "en", false, false));
        }

        await using var db = Open(t);
        var a = (await Scheduling(db).BookAsync(new BookingCommand(plan.Id, chair.Id, At(BookingDay, 9), null), Build.Nurse, ct)).Value;

        Assert.Equal(code, a.NotSendableCode);
        Assert.Equal(3, a.Reminders.Count);
        Assert.All(a.Reminders, r => Assert.Equal((OutboxState.NotSendable, (MessageChannel?)null, code), (r.State, r.Channel, r.Code)));
        _clock.Advance(TimeSpan.FromDays(6)); // every reminder's time has come
        var sent = await new OutboxSender(db, _clock, new NoTexts(), []).SendDueAsync(ct);
        Assert.Equal(0, sent.Sent + sent.Retrying + sent.Failed + sent.NotConfigured); // nothing claimed
        await Scheduling(db).CancelAsync(a.Id, a.Version, "patient moved away", Build.Nurse, ct);
        Assert.All(await new OutboxService(db, _clock).ListAsync(SchedulingService.ReminderKeyPrefix(a.Id), ct), m => Assert.Equal(OutboxState.Cancelled, m.State));
    }

    [Fact]
    public async Task ChangeContact_PendingRemindersOfBookingsAheadFollowTheNewAddressLanguageAndConsent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var plan = await PlanForAsync(t, "MRN-1");
        var (chair, _) = await ChairsAsync(t);
        await ContactAsync(t, plan.PatientId, new ContactInput("ayse@example.org", null, "en", true, false));
        AppointmentView a;
        await using (var db = Open(t))
        {
            a = (await Scheduling(db).BookAsync(new BookingCommand(plan.Id, chair.Id, At(BookingDay, 9), null), Build.Nurse, ct)).Value;
        }

        // New address and language: the three pending e-mails follow.
        await ContactAsync(t, plan.PatientId, new ContactInput("ayse.y@example.org", "+905321234567", "tr", true, false));
        var moved = await RemindersAsync(t, a.Id);
        Assert.Equal(3, moved.Count);
        Assert.All(moved, m => Assert.Equal(("ayse.y@example.org", "tr", OutboxState.Pending), (m.Recipient, m.Language, m.State)));

        // E-mail consent withdrawn, text consent given: the e-mails are withdrawn and texts queued for the same times.
        await ContactAsync(t, plan.PatientId, new ContactInput("ayse.y@example.org", "+905321234567", "tr", false, true));
        var swapped = await RemindersAsync(t, a.Id);
        Assert.Equal(6, swapped.Count);
        Assert.All(swapped.Where(m => m.Channel == MessageChannel.Email), m => Assert.Equal((OutboxState.Cancelled, FindingCodes.ReminderNoConsent), (m.State, m.LastError)));
        Assert.All(swapped.Where(m => m.Channel == MessageChannel.Text), m => Assert.Equal(("+905321234567", OutboxState.Pending), (m.Recipient, m.State)));
        Assert.Equal(
            swapped.Where(m => m.Channel == MessageChannel.Email).Select(m => m.DueAt).Order(),
            swapped.Where(m => m.Channel == MessageChannel.Text).Select(m => m.DueAt).Order());

        // Every consent withdrawn: nothing pending, each reminder set aside as not sendable; consent again: back.
        await ContactAsync(t, plan.PatientId, new ContactInput("ayse.y@example.org", "+905321234567", "tr", false, false));
        var none = await RemindersAsync(t, a.Id);
        Assert.DoesNotContain(none, m => m.State == OutboxState.Pending);
        Assert.Equal(3, none.Count(m => m.State == OutboxState.NotSendable && m.LastError == FindingCodes.ReminderNoConsent));
        await ContactAsync(t, plan.PatientId, new ContactInput("ayse.y@example.org", "+905321234567", "en", true, false));
        var back = await RemindersAsync(t, a.Id);
        Assert.Equal(3, back.Count(m => m.State == OutboxState.Pending && m.Channel == MessageChannel.Email && m.Language == "en"));
        Assert.DoesNotContain(back, m => m.State == OutboxState.NotSendable);
    }

    [Fact]
    public async Task ChangeContact_BadNumber_RefusedAndNothingWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t, recordNumber: "MRN-1");
        await using var db = Open(t);

        var r = await new PatientService(db, _clock).ChangeContactAsync(patient.Id, patient.Version, new ContactInput(null, "0532 123 45 67", "tr", false, true), null, Build.Nurse, ct);

        Codes.Only(FindingCodes.ChartContactPhoneInvalid, r);
        await using var check = Open(t);
        var stored = (await new PatientService(check, _clock).OpenChartAsync(patient.Id, Build.Nurse, ct)).Value;
        Assert.Equal((patient.Version, (PatientContact?)null), (stored.Version, stored.Contact));
    }

    private async Task ContactAsync(TestDatabase t, PatientId patient, ContactInput input)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Open(t);
        var service = new PatientService(db, _clock);
        var chart = (await service.OpenChartAsync(patient, Build.Nurse, ct)).Value;
        var changed = await service.ChangeContactAsync(patient, chart.Version, input, null, Build.Nurse, ct);
        Assert.True(changed.IsSuccess, changed.Error);
    }

    private async Task<IReadOnlyList<OutboxMessage>> RemindersAsync(TestDatabase t, AppointmentId id)
    {
        await using var db = Open(t);
        return await new OutboxService(db, _clock).ListAsync(SchedulingService.ReminderKeyPrefix(id), TestContext.Current.CancellationToken);
    }

    private sealed class NoTexts : IMessageRenderer
    {
        public RenderedMessage Render(string template, string language, IReadOnlyDictionary<string, string> parameters) => new("s", "b");
    }
}
