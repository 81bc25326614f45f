using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The administrator's outbox in a real browser at 800 px, in English and Turkish: a pending invitation is listed
/// without its link and withdrawn with a reason; a reminder set aside after its last attempt is found by the state
/// filter and sent again with a reason; both steps are audited under the administrator.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class OutboxBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const int Width = 800;
    private const string Secret = "s3cr3t-outbox-browser";

    [Theory]
    [InlineData("en-GB")]
    [InlineData("tr-TR")]
    public async Task Outbox_AdministratorWithdrawsAnInvitation_AndSendsAFailedReminderAgain_NoSecretShown(string locale)
    {
        var ct = TestContext.Current.CancellationToken;
        var (invitation, reminder) = await SeedAsync(locale, ct);
        var page = await app.RolePageAsync(ClinicRoles.Admin, locale, Width);

        // The pending invitation: listed with its Message-Id and a masked address, never its link.
        await page.GotoAsync("/Admin/Outbox?Template=" + MessageTemplates.PortalInvitation);
        var card = page.GetByTestId("outbox-message").Filter(new() { HasText = invitation.MessageId });
        await Assertions.Expect(card).ToHaveAttributeAsync("data-state", nameof(OutboxState.Pending));
        await Assertions.Expect(card.GetByTestId("outbox-recipient")).ToHaveTextAsync("ada…");
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("ada.lovelace", await page.ContentAsync(), StringComparison.Ordinal);
        await FitsAsync(page);
        await card.GetByTestId("outbox-reason").FillAsync("patient asked for a paper letter");
        await card.GetByTestId("outbox-withdraw-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("outbox-message").Filter(new() { HasText = invitation.MessageId })).ToHaveAttributeAsync("data-state", nameof(OutboxState.Cancelled));

        // The reminder set aside after its last attempt: found by the state filter, sent again.
        await page.GetByTestId("outbox-filter-template").SelectOptionAsync(string.Empty);
        await page.GetByTestId("outbox-filter-state").SelectOptionAsync(nameof(OutboxState.Failed));
        await page.GetByTestId("outbox-filter-apply").ClickAsync();
        card = page.GetByTestId("outbox-message").Filter(new() { HasText = reminder.MessageId });
        await Assertions.Expect(card.GetByTestId("outbox-last-error")).ToContainTextAsync("550 mailbox unavailable");
        await Assertions.Expect(card.GetByTestId("outbox-attempts")).ToHaveTextAsync("8");
        await FitsAsync(page);
        await card.GetByTestId("outbox-reason").FillAsync("address corrected by the patient");
        await card.GetByTestId("outbox-retry-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("outbox-message").Filter(new() { HasText = reminder.MessageId })).ToHaveCountAsync(0); // no longer failed

        await using var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var rows = await db.Outbox.AsNoTracking().Where(m => m.Id == invitation.Id || m.Id == reminder.Id).ToDictionaryAsync(m => m.Id, ct);
        Assert.Equal((nameof(OutboxState.Cancelled), "{}"), (rows[invitation.Id].State, rows[invitation.Id].Parameters));
        Assert.Equal((nameof(OutboxState.Pending), 0), (rows[reminder.Id].State, rows[reminder.Id].Attempts));
        var admin = (await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "admin", ct)).Id;
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.EntityType == "outbox" && (e.EntityId == invitation.Id.ToString("D") || e.EntityId == reminder.Id.ToString("D"))).ToListAsync(ct);
        Assert.Equal(["outbox-retry", "outbox-withdraw"], events.Select(e => e.Action).Order());
        Assert.All(events, e => Assert.Equal(admin, e.UserId.Value));
    }

    private async Task<(OutboxMessage Invitation, OutboxMessage Reminder)> SeedAsync(string locale, CancellationToken ct)
    {
        // Due tomorrow, so the app's background sender leaves both alone while the test runs.
        var clock = app.Factory.Services.GetRequiredService<TimeProvider>();
        var due = clock.GetUtcNow().AddDays(1);
        await using var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var outbox = new OutboxService(db, clock);
        var invitation = await outbox.QueueAsync(new OutboxRequest($"test/outbox/{locale}/invitation", MessageChannel.Email, "ada.lovelace@example.org", MessageTemplates.PortalInvitation, "en", new Dictionary<string, string> { ["user"] = "patient-x", ["link"] = "https://clinic.example/Account/Invitation?token=x." + Secret, ["date"] = "2026-03-05", ["time"] = "08:00" }, due), ct);
        var reminder = await outbox.QueueAsync(new OutboxRequest($"test/outbox/{locale}/reminder", MessageChannel.Email, "ada.lovelace@example.org", MessageTemplates.ChecklistReminder, "en", new Dictionary<string, string> { ["date"] = "2026-03-05", ["time"] = "08:00", ["clinic"] = "KetaCare", ["link"] = "/Portal" }, due), ct);
        Assert.True(invitation.IsSuccess && reminder.IsSuccess);

        // Set aside as the sender leaves a message after its eighth failed attempt.
        var id = reminder.Value.Id;
        await db.Outbox.Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.State, nameof(OutboxState.Failed)).SetProperty(m => m.Attempts, 8).SetProperty(m => m.LastError, "SmtpCommandException: 550 mailbox unavailable"), ct);
        return (invitation.Value, reminder.Value);
    }

    private static async Task FitsAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= Width, $"{page.Url} is {width} px wide at {Width} px");
    }
}
