using System.Text.RegularExpressions;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Interop.Messaging;
using KetaCare.Tests;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Interop.Tests.Messaging;

/// <summary>
/// Portal invitations by e-mail against a real SMTP server (aiosmtpd): the invitation is queued in the outbox, the
/// sender delivers it in the patient's language, its link accepts the invitation, and the outbox keeps no link once the
/// message is sent or withdrawn.
/// </summary>
public sealed class SmtpInvitationTests
{
    private static readonly Uri AcceptPage = new("https://clinic.example/Account/Invitation");
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Invite_WithEmail_IsQueuedDelivered_AndItsLinkAccepts_ThenTheOutboxForgetsTheLink()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sink = await SmtpSink.StartAsync();
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        var email = Guid.NewGuid().ToString("N") + "@example.org";
        var patient = (await d.CrpsAsync()).Patient.Id;
        await using var provider = Identity(d, clock);
        await using var scope = provider.CreateAsyncScope();
        var accounts = Accounts(scope, clock);

        var invited = await accounts.InviteAsync(patient, AcceptPage, SeededDatabase.Reader, email, "tr", ct);
        Assert.True(invited.IsSuccess, invited.Error);
        Assert.True(invited.Value.Delivery.Sent);
        Assert.Equal("e-mail", invited.Value.Delivery.Channel);
        var secret = invited.Value.Link.Query.Split('.')[^1];
        var queued = await OutboxAsync(d, clock, patient, invited.Value.ExpiresAt);
        Assert.Equal((OutboxState.Pending, MessageTemplates.PortalInvitation, email), (queued.State, queued.Template, queued.Recipient));
        Assert.Equal(invited.Value.Link.ToString(), queued.Parameters["link"]);

        await using (var db = d.Database.Open(SeededDatabase.Reader, clock))
        {
            Assert.Equal(new OutboxPass(1, 0, 0, 0), await Sender(db, clock, sink).SendDueAsync(ct));
        }

        var mail = Assert.Single(await sink.WaitForAsync(email, 1));
        Assert.Equal("Hasta portalına davetiniz", mail.Subject);
        var body = mail.TextBody ?? string.Empty;
        Assert.Contains("Kullanıcı adınız " + invited.Value.UserName, body, StringComparison.Ordinal);
        var token = Regex.Match(body, @"https://clinic\.example/Account/Invitation\?token=([0-9a-f]{32}\.[0-9a-f]{64})").Groups[1].Value;
        Assert.EndsWith(secret, token, StringComparison.Ordinal);
        var accepted = await accounts.AcceptAsync(token, "a long and private phrase", ct);
        Assert.True(accepted.IsSuccess, accepted.Error);
        Assert.Equal(invited.Value.UserName, accepted.Value);

        var sent = await OutboxAsync(d, clock, patient, invited.Value.ExpiresAt);
        Assert.Equal(OutboxState.Sent, sent.State);
        Assert.False(sent.Parameters.ContainsKey("link"));
        await using (var db = d.Database.Open(SeededDatabase.Reader, clock))
        {
            Assert.DoesNotContain(secret, (await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == sent.Id, ct)).Parameters, StringComparison.Ordinal);
            Assert.DoesNotContain(await db.AuditEvents.AsNoTracking().Select(e => e.Detail).ToListAsync(ct), e => e != null && e.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Invite_WithABadAddress_RefusedNamingTheField_NothingMade()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        var patient = (await d.CrpsAsync()).Patient.Id;
        await using var provider = Identity(d, clock);
        await using var scope = provider.CreateAsyncScope();
        var accounts = Accounts(scope, clock);

        var bad = await accounts.InviteAsync(patient, AcceptPage, SeededDatabase.Reader, "patient at example.org", "en", ct);

        var finding = Assert.Single(bad.Findings);
        Assert.Equal(FindingCodes.ScheduleContactInvalid, finding.Code);
        Assert.Contains("email", bad.Error, StringComparison.Ordinal);
        Assert.Null(await accounts.StatusAsync(patient, ct));
        Assert.Empty(await new OutboxService(scope.ServiceProvider.GetRequiredService<KetaCareDbContext>(), clock).RecentAsync(10, ct));
    }

    [Fact]
    public async Task Invitation_WithdrawnBeforeSending_KeepsNoLink()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(Monday);
        await using var db = d.Database.Open(SeededDatabase.Reader, clock);
        var outbox = new OutboxService(db, clock);
        var parameters = new Dictionary<string, string> { ["user"] = "patient-x", ["link"] = "https://clinic.example/Account/Invitation?token=secret", ["date"] = "2026-03-05", ["time"] = "08:00" };
        Assert.True((await outbox.QueueAsync(new OutboxRequest("test/invitation", MessageChannel.Email, "p@example.org", MessageTemplates.PortalInvitation, "en", parameters, clock.Now.AddHours(1)), ct)).IsSuccess);
        Assert.True((await outbox.QueueAsync(new OutboxRequest("test/reminder", MessageChannel.Email, "p@example.org", MessageTemplates.ChecklistReminder, "en", parameters, clock.Now.AddHours(1)), ct)).IsSuccess);

        Assert.Equal(2, await outbox.CancelAsync("test/", ct));

        Assert.Empty((await outbox.FindAsync("test/invitation", ct))!.Parameters);
        Assert.Equal(parameters["link"], (await outbox.FindAsync("test/reminder", ct))!.Parameters["link"]);
    }

    private static ServiceProvider Identity(SeededDatabase d, TimeProvider clock) => TestIdentity.Services(() => d.Database.Open(SeededDatabase.Reader, clock), clock);

    private static PortalAccounts Accounts(AsyncServiceScope scope, TimeProvider clock)
    {
        var db = scope.ServiceProvider.GetRequiredService<KetaCareDbContext>();
        return new(scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>(), db, clock, new OutboxPatientMessages(new OutboxService(db, clock), clock));
    }

    private static async Task<OutboxMessage> OutboxAsync(SeededDatabase d, TimeProvider clock, KetaCare.Clinic.PatientId patient, DateTimeOffset expires)
    {
        await using var db = d.Database.Open(SeededDatabase.Reader, clock);
        return (await new OutboxService(db, clock).FindAsync(OutboxPatientMessages.Key(patient, expires), TestContext.Current.CancellationToken))!;
    }

    private static OutboxSender Sender(KetaCareDbContext db, TimeProvider clock, SmtpSink sink) =>
        new(db, clock, new MessageTexts(), [new SmtpEmailChannel(new SmtpSettings { Host = sink.Host, Port = sink.Port, Security = "None", FromAddress = "clinic@example.org" })]);
}
