using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Messaging;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Interop.Tests.Messaging;

/// <summary>
/// The outbox against a real SMTP server (aiosmtpd): a booking's reminders arrive in the patient's language, a sender
/// that dies mid-send neither loses nor silently duplicates a message, and a server that is down is retried with
/// backoff until it is up.
/// </summary>
public sealed class SmtpOutboxTests
{
    private static readonly MessageTexts Texts = new(new Uri("https://clinic.example/"));

    // Monday 2 March 2026, 08:00 UTC: after the demo seed's events; the clinic's zone is UTC here.
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Booking_RemindersArriveAtTheChartsAddressInItsLanguageAndStopWhenCancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sink = await SmtpSink.StartAsync();
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        var email = Guid.NewGuid().ToString("N") + "@example.org";
        var (_, plan, _) = await d.CrpsAsync();
        AppointmentView booked;
        await using (var db = d.Database.Open(SeededDatabase.Reader, clock))
        {
            var patients = new PatientService(db, clock);
            var chart = (await patients.OpenChartAsync(plan.PatientId, SeededDatabase.Reader, ct)).Value;
            Assert.True((await patients.ChangeContactAsync(chart.Id, chart.Version, new KetaCare.Clinic.Patients.ContactInput(email, null, "tr", true, null), null, SeededDatabase.Reader, ct)).IsSuccess);
            var scheduling = new SchedulingService(db, clock, TimeZoneInfo.Utc);
            var chair = (await scheduling.AddChairAsync("Chair 1", SeededDatabase.Reader, ct)).Value;
            var r = await scheduling.BookAsync(new BookingCommand(plan.Id, chair.Id, new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.Zero), null), SeededDatabase.Reader, ct);
            Assert.True(r.IsSuccess, r.Error);
            booked = r.Value;
        }

        Assert.Equal(new OutboxPass(0, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));
        clock.Now = booked.Start.AddHours(-47); // the checklist (72 h) and first reminder (48 h) are due, the 24 h one is not
        Assert.Equal(new OutboxPass(2, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));

        var mails = await sink.WaitForAsync(email, 2);
        Assert.Equal(2, mails.Count);
        var reminder = Assert.Single(mails, m => (m.Subject ?? string.Empty).StartsWith("Hatırlatma", StringComparison.Ordinal));
        Assert.Equal("Hatırlatma: 09.03.2026, saat 10:00 infüzyon randevusu", reminder.Subject);
        Assert.Contains("ketamin infüzyon randevunuzu hatırlatırız: 09.03.2026, saat 10:00", reminder.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal("tr", reminder.Body?.Headers[MimeKit.HeaderId.ContentLanguage]);
        var checklist = Assert.Single(mails, m => m != reminder);
        Assert.Contains("ziyaret öncesi kontrol listesini", checklist.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("https://clinic.example/Portal", checklist.TextBody ?? string.Empty, StringComparison.Ordinal);
        await using (var db = d.Database.Open(SeededDatabase.Reader, clock))
        {
            var queued = await new OutboxService(db, clock).ListAsync(SchedulingService.ReminderKeyPrefix(booked.Id), ct);
            Assert.Equal(queued.Where(m => m.State == OutboxState.Sent).Select(m => "<" + m.MessageId + ">").Order(), mails.Select(m => "<" + m.MessageId + ">").Order());
            Assert.True((await new SchedulingService(db, clock, TimeZoneInfo.Utc).CancelAsync(booked.Id, booked.Version, "patient moved away", SeededDatabase.Reader, ct)).IsSuccess);
        }

        clock.Now = booked.Start.AddHours(-1);
        Assert.Equal(new OutboxPass(0, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));
        Assert.Equal(2, (await sink.WaitForAsync(email, 3)).Count);
    }

    [Fact]
    public async Task Sender_DiesAfterClaimingBeforeSending_TheMessageIsSentOnceAfterTheClaimLapses()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sink = await SmtpSink.StartAsync();
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        var email = Guid.NewGuid().ToString("N") + "@example.org";
        var queued = await QueueAsync(d, clock, email, "test/restart-before-send");

        await using (var dying = d.Database.Open(SeededDatabase.Reader, clock))
        {
            var claim = await Sender(dying, clock, Smtp(sink)).ClaimAsync(queued.Id, ct);
            Assert.NotNull(claim);
        }

        // The restarted sender leaves a message another sender holds…
        Assert.Equal(new OutboxPass(0, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));
        clock.Advance(new OutboxOptions().ClaimDuration + TimeSpan.FromSeconds(1));

        // …and sends it once the claim has lapsed, once.
        Assert.Equal(new OutboxPass(1, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));
        Assert.Equal(new OutboxPass(0, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));
        var mail = Assert.Single(await sink.WaitForAsync(email, 1));
        Assert.Equal(queued.MessageId, mail.MessageId);
        var row = await RowAsync(d, clock, queued.Key);
        Assert.Equal((OutboxState.Sent, 2), (row.State, row.Attempts));
    }

    [Fact]
    public async Task Sender_DiesAfterTheServerAcceptedBeforeMarking_ResentOnceWithTheSameMessageId()
    {
        // The documented limit of an outbox over SMTP: at least once. The duplicate is the same message (same Message-Id).
        var ct = TestContext.Current.CancellationToken;
        using var sink = await SmtpSink.StartAsync();
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        var email = Guid.NewGuid().ToString("N") + "@example.org";
        var queued = await QueueAsync(d, clock, email, "test/restart-after-send");
        await using (var dying = d.Database.Open(SeededDatabase.Reader, clock))
        {
            var claim = (await Sender(dying, clock, Smtp(sink)).ClaimAsync(queued.Id, ct))!.Value;
            await new SmtpEmailChannel(Smtp(sink)).SendAsync(claim.Message, Texts.Render(claim.Message.Template, claim.Message.Language, claim.Message.Parameters), ct);
        }

        clock.Advance(new OutboxOptions().ClaimDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(new OutboxPass(1, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));
        Assert.Equal(new OutboxPass(0, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));

        var mails = await sink.WaitForAsync(email, 2);
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Equal(queued.MessageId, m.MessageId));
        Assert.Equal(OutboxState.Sent, (await RowAsync(d, clock, queued.Key)).State);
    }

    [Fact]
    public async Task Sender_ServerDown_RetriedWithGrowingDelaysThenDeliveredOnceUp()
    {
        using var sink = await SmtpSink.StartAsync();
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        var email = Guid.NewGuid().ToString("N") + "@example.org";
        var queued = await QueueAsync(d, clock, email, "test/server-down");
        var down = Smtp(sink) with { Port = SmtpSink.FreePort(), TimeoutSeconds = 5 };

        Assert.Equal(new OutboxPass(0, 1, 0, 0), await PassAsync(d, clock, down));
        var first = await RowAsync(d, clock, queued.Key);
        Assert.Equal((OutboxState.Pending, 1, clock.Now.AddMinutes(1)), (first.State, first.Attempts, first.DueAt));
        Assert.False(string.IsNullOrEmpty(first.LastError));
        Assert.Equal(new OutboxPass(0, 0, 0, 0), await PassAsync(d, clock, down)); // not due yet

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new OutboxPass(0, 1, 0, 0), await PassAsync(d, clock, down));
        var second = await RowAsync(d, clock, queued.Key);
        Assert.Equal((2, clock.Now.AddMinutes(2)), (second.Attempts, second.DueAt)); // the delay doubled

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new OutboxPass(1, 0, 0, 0), await PassAsync(d, clock, Smtp(sink)));
        Assert.Single(await sink.WaitForAsync(email, 1));
        var sent = await RowAsync(d, clock, queued.Key);
        Assert.Equal((OutboxState.Sent, 3, clock.Now), (sent.State, sent.Attempts, sent.SentAt));
    }

    [Fact]
    public async Task Queue_SameKeyTwice_OneMessage()
    {
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        var first = await QueueAsync(d, clock, "a@example.org", "test/once");
        var second = await QueueAsync(d, clock, "b@example.org", "test/once");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("a@example.org", second.Recipient);
        await using var db = d.Database.Open(SeededDatabase.Reader, clock);
        Assert.Equal(1, await db.Outbox.CountAsync(m => m.Key == "test/once", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sender_TextMessageWithoutGateway_SetAsideAsNotConfigured()
    {
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        await using (var db = d.Database.Open(SeededDatabase.Reader, clock))
        {
            var r = await new OutboxService(db, clock).QueueAsync(new OutboxRequest("test/text", MessageChannel.Text, "+90 555 123 45 67", MessageTemplates.AppointmentReminder, "en", Parameters(), clock.Now), TestContext.Current.CancellationToken);
            Assert.True(r.IsSuccess, r.Error);
        }

        Assert.Equal(new OutboxPass(0, 0, 0, 1), await PassAsync(d, clock, new SmtpSettings()));
        var row = await RowAsync(d, clock, "test/text");
        Assert.Equal(OutboxState.NotConfigured, row.State);
        Assert.Contains("no text-message gateway", row.LastError, StringComparison.Ordinal);
    }

    private static SmtpSettings Smtp(SmtpSink sink) => new() { Host = sink.Host, Port = sink.Port, Security = "None", FromAddress = "clinic@example.org" };

    private static Dictionary<string, string> Parameters() => new(StringComparer.Ordinal) { ["date"] = "2026-03-09", ["time"] = "10:00", ["clinic"] = "KetaCare Demo", ["phone"] = "+90 212 000 00 00", ["link"] = "/Portal" };

    private static OutboxSender Sender(KetaCareDbContext db, TimeProvider clock, SmtpSettings smtp) =>
        new(db, clock, Texts, [new SmtpEmailChannel(smtp), new NotConfiguredTextGateway()]);

    private static async Task<OutboxPass> PassAsync(SeededDatabase d, TimeProvider clock, SmtpSettings smtp)
    {
        await using var db = d.Database.Open(SeededDatabase.Reader, clock);
        return await Sender(db, clock, smtp).SendDueAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<OutboxMessage> QueueAsync(SeededDatabase d, TimeProvider clock, string email, string key)
    {
        await using var db = d.Database.Open(SeededDatabase.Reader, clock);
        var r = await new OutboxService(db, clock).QueueAsync(new OutboxRequest(key, MessageChannel.Email, email, MessageTemplates.AppointmentReminder, "en", Parameters(), clock.GetUtcNow()), TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccess, r.Error);
        return r.Value;
    }

    private static async Task<OutboxMessage> RowAsync(SeededDatabase d, TimeProvider clock, string key)
    {
        await using var db = d.Database.Open(SeededDatabase.Reader, clock);
        return (await new OutboxService(db, clock).FindAsync(key, TestContext.Current.CancellationToken))!;
    }
}
