using System.Globalization;
using System.Text.RegularExpressions;
using KetaCare.Clinic;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Tests.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The patient's whole path through a real SMTP server, in a real browser: a nurse records the patient's e-mail,
/// Turkish as the language of messages and consent to e-mail reminders on the chart and invites them; the invitation
/// link is read from the mail the server received; the patient, on a 390 px phone, sets a password and keeps the pain
/// diary; the nurse books a session a few hours ahead without giving any address; the app's background sender delivers
/// the reminder, which is read from the server (the chart's address, the time, the chair, in Turkish); the patient
/// answers the session's pre-visit checklist. Skipped with the reason without Chromium or an SMTP server (failed under
/// KETACARE_REQUIRE_ALL=1).
/// </summary>
[Trait("Kind", "Browser")]
public sealed class PortalMailBrowserTests
{
    private const string Record = "DEMO-0002";
    private const string Chair = "C3";

    [Fact]
    public async Task Portal_ContactOnTheChart_InvitationAndReminderArriveByMailInThePatientsLanguage()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sink = await SmtpSink.StartAsync();
        await using var app = new BrowserApp(new Dictionary<string, string?>
        {
            ["KetaCare:Smtp:Host"] = sink.Host,
            ["KetaCare:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            ["KetaCare:Smtp:Security"] = "None",
            ["KetaCare:Smtp:FromAddress"] = "clinic@example.org",
            ["KetaCare:Outbox:PollSeconds"] = "1",
        });
        await app.InitializeAsync();
        var problems = new List<string>();
        var (patient, start) = await PrepareAsync(app, ct);

        // The nurse records the patient's contact details and consent on the chart, then invites without an address.
        var nurse = await app.NewPageAsync();
        CollectConsoleProblems(nurse, problems);
        await BrowserApp.SignInAsync(nurse, "nurse");
        await nurse.GotoAsync($"/Patients/{patient.Value}");
        await Assertions.Expect(nurse.GetByTestId("contact-none")).ToBeVisibleAsync();
        var email = Guid.NewGuid().ToString("N") + "@example.org";
        await nurse.GetByTestId("contact-email-input").FillAsync(email);
        await nurse.GetByTestId("contact-language-input").SelectOptionAsync("tr");
        await nurse.GetByTestId("contact-email-consent-input").CheckAsync();
        await nurse.GetByTestId("contact-save").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("contact-email")).ToHaveTextAsync(email);
        await Assertions.Expect(nurse.GetByTestId("contact-email-consent")).ToContainTextAsync("Agreed");
        await nurse.GetByTestId("invite-patient").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("invite-queued")).ToBeVisibleAsync();

        // The invitation arrives in Turkish at the chart's address; its link is the one-time link.
        var invitation = Assert.Single(await sink.WaitForAsync(email, 1));
        Assert.Equal("tr", invitation.Body?.Headers[MimeKit.HeaderId.ContentLanguage]);
        var link = Regex.Match(invitation.TextBody ?? string.Empty, @"https?://\S+/Account/Invitation\?token=\S+", RegexOptions.None, TimeSpan.FromSeconds(1)).Value;
        Assert.Contains(":" + app.BaseAddress.Port.ToString(CultureInfo.InvariantCulture) + "/", link, StringComparison.Ordinal); // this app's own accept page

        // The patient, on a phone, sets a password from the mailed link, signs in and keeps the diary.
        var phone = await app.NewPageAsync(width: PortalBrowserTests.PhoneWidth);
        CollectConsoleProblems(phone, problems);
        await AcceptInvitationAndSignInAsync(phone, link, "patient-demo-0002", "a passphrase of my own");
        await phone.GetByTestId("portal-diary-link").ClickAsync();
        await phone.GetByTestId("diary-nrs-5").CheckAsync();
        await phone.GetByTestId("diary-save").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("diary-entry")).ToHaveCountAsync(1);
        await PortalBrowserTests.FitsAsync(phone);

        // The nurse books a session a few hours ahead, giving no address: the reminders are due at once.
        var day = DateOnly.FromDateTime(start.UtcDateTime);
        var time = start.ToString("HH:mm", CultureInfo.InvariantCulture);
        await nurse.GotoAsync("/Schedule?day=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await nurse.GetByTestId("book-record").FillAsync(Record);
        await nurse.GetByTestId("book-chair").SelectOptionAsync(new SelectOptionValue { Label = Chair });
        await nurse.GetByTestId("book-start").FillAsync(time);
        await nurse.GetByTestId("book-submit").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("schedule-message")).ToContainTextAsync($"Booked {Record} in {Chair} at {time}");

        // The background sender delivers the appointment reminder and the checklist reminder to the chart's address.
        var mails = await sink.WaitForAsync(email, 3);
        Assert.Equal(3, mails.Count);
        var reminder = Assert.Single(mails, m => (m.Subject ?? string.Empty).StartsWith("Hatırlatma", StringComparison.Ordinal));
        var date = day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        Assert.Equal($"Hatırlatma: {date}, saat {time} infüzyon randevusu", reminder.Subject);
        Assert.Equal(email, Assert.Single(reminder.To.Mailboxes).Address);
        Assert.Equal("tr", reminder.Body?.Headers[MimeKit.HeaderId.ContentLanguage]);
        Assert.Contains($"{date}, saat {time}", reminder.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains($"Yeriniz: {Chair}.", reminder.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Single(mails, m => (m.TextBody ?? string.Empty).Contains("ziyaret öncesi kontrol listesini", StringComparison.Ordinal));
        await SentAsync(app, patient, ct);
        await nurse.ReloadAsync();
        await Assertions.Expect(nurse.GetByTestId("appointment").Filter(new() { HasText = Record }).GetByTestId("appointment-reminders")).ToContainTextAsync("0 waiting, 2 sent");

        // The patient answers the booked session's pre-visit checklist from the portal.
        await phone.GotoAsync("/Portal");
        var booked = phone.GetByTestId("portal-session").Filter(new() { HasText = Chair });
        await booked.GetByTestId("portal-checklist-link").ClickAsync();
        var today = DateOnly.FromDateTime(app.Factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        await phone.GetByTestId(day == today ? "moment-day-of" : "moment-day-before").CheckAsync();
        await phone.GetByTestId("fasted-no").CheckAsync(); // not yet: the nurse gets a task, as in the portal test
        await phone.GetByTestId("escort-yes").CheckAsync();
        if (await phone.GetByTestId("pregnant-no").CountAsync() > 0)
        {
            await phone.GetByTestId("pregnant-no").CheckAsync();
        }

        await PortalBrowserTests.FitsAsync(phone);
        await phone.GetByTestId("checklist-save").ClickAsync();
        await phone.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(string.Empty, await phone.GetByTestId("portal-error").CountAsync() > 0 ? await phone.GetByTestId("portal-error").InnerTextAsync() : string.Empty);
        await Assertions.Expect(phone.GetByTestId("portal-session").Filter(new() { HasText = Chair }).Filter(new() { HasText = "Checklist answered" })).ToHaveCountAsync(1);
        Assert.Empty(problems);
    }

    // The server has the mail before the sender marks it sent: wait for the outbox to say so before the page shows it.
    private static async Task SentAsync(BrowserApp app, PatientId patient, CancellationToken ct)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
            if (!await db.Outbox.AsNoTracking().AnyAsync(m => m.PatientId == patient && m.Key.StartsWith("appointment/") && m.State != nameof(OutboxState.Sent), ct))
            {
                return;
            }

            await Task.Delay(100, ct);
        }
    }

    // The clinic opens every day round the clock here, so that a session a few hours ahead can be booked whenever the
    // test runs: then every reminder's time has passed at booking and the sender delivers them at its next pass.
    private static async Task<(PatientId Patient, DateTimeOffset Start)> PrepareAsync(BrowserApp app, CancellationToken ct)
    {
        var clock = app.Factory.Services.GetRequiredService<TimeProvider>();
        await using var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var scheduling = new SchedulingService(db, clock, TimeZoneInfo.Utc);
        var (settings, version) = await scheduling.SettingsAsync(ct);
        var everyDay = settings with { Opens = new TimeOnly(0, 0), Closes = new TimeOnly(23, 59), OpenDays = Enum.GetValues<DayOfWeek>() };
        var revised = await scheduling.ReviseSettingsAsync(everyDay, version, "open round the clock for the test", DemoSeed.SeedUser, ct);
        Assert.True(revised.IsSuccess, revised.Error);
        var plan = await scheduling.ActivePlanAsync(Record, ct);
        Assert.True(plan.IsSuccess, plan.Error);
        var patient = (await db.Plans.AsNoTracking().FirstAsync(p => p.Id == plan.Value, ct)).PatientId;

        // A quarter-hour at least 30 min ahead; after 20:30 the first minutes of tomorrow, still well within 24 h.
        var now = clock.GetUtcNow();
        var soon = now.AddMinutes(30);
        var start = new DateTimeOffset(soon.Year, soon.Month, soon.Day, soon.Hour, soon.Minute / 15 * 15, 0, TimeSpan.Zero).AddMinutes(15);
        if (start.TimeOfDay > new TimeSpan(20, 30, 0))
        {
            start = new DateTimeOffset(start.Date.AddDays(1).AddMinutes(30), TimeSpan.Zero);
        }

        return (patient, start);
    }
}
