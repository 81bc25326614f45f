using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>
/// The outbox on both databases: an invitation's secret link is emptied in the stored row as the message leaves the
/// queue (sent, failed, not configured, withdrawn) and kept while it may still be sent; the administrator's list never
/// shows it and masks addresses; retry and withdraw are refused with codes outside their states and audited.
/// </summary>
public abstract partial class StorageTests
{
    private const string SecretLink = "https://clinic.example/Account/Invitation?token=abc.s3cr3t-token-value";

    [Fact]
    public async Task Outbox_InvitationLeavingTheQueue_ItsSecretLinkIsEmptiedInTheStoredRow_InEveryFinalState()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        foreach (var key in new[] { "inv/sent", "inv/failed", "inv/cancelled", "inv/withdrawn", "inv/pending" })
        {
            await QueueMessageAsync(t, key, MessageTemplates.PortalInvitation, key == "inv/pending" ? _clock.GetUtcNow().AddDays(1) : _clock.GetUtcNow());
        }

        await QueueMessageAsync(t, "inv/text", MessageTemplates.PortalInvitation, _clock.GetUtcNow(), MessageChannel.Text);
        await QueueMessageAsync(t, "reminder/sent", MessageTemplates.ChecklistReminder, _clock.GetUtcNow());
        await using (var db = Open(t))
        {
            Assert.Equal(1, await new OutboxService(db, _clock).CancelAsync("inv/cancelled", ct));
            Assert.True((await new OutboxService(db, _clock).WithdrawAsync(await IdOfAsync(db, "inv/withdrawn"), "patient asked for a paper letter", Build.Nurse, ct)).IsSuccess);
        }

        // One pass: the e-mail channel accepts everything but "inv/failed", which fails at its only allowed attempt.
        await using (var db = Open(t))
        {
            var pass = await new OutboxSender(db, _clock, new PlainRenderer(), [new FailingFor("inv/failed"), new NotConfiguredTextGateway()], new OutboxOptions { MaxAttempts = 1 }).SendDueAsync(ct);
            Assert.Equal(new OutboxPass(2, 0, 1, 1), pass);
        }

        await using var check = Open(t);
        var rows = await check.Outbox.AsNoTracking().ToDictionaryAsync(m => m.Key, m => (m.State, m.Parameters), ct);
        Assert.Equal(
            [("inv/cancelled", "Cancelled"), ("inv/failed", "Failed"), ("inv/pending", "Pending"), ("inv/sent", "Sent"), ("inv/text", "NotConfigured"), ("inv/withdrawn", "Cancelled"), ("reminder/sent", "Sent")],
            rows.Select(r => (r.Key, r.Value.State)).Order());
        foreach (var key in new[] { "inv/sent", "inv/failed", "inv/cancelled", "inv/withdrawn", "inv/text" })
        {
            Assert.Equal((key, "{}"), (key, rows[key].Parameters));
        }

        Assert.Contains(SecretLink, rows["inv/pending"].Parameters, StringComparison.Ordinal); // still to be sent: kept
        Assert.Contains(SecretLink, rows["reminder/sent"].Parameters, StringComparison.Ordinal); // no secret in this template: kept
        Assert.DoesNotContain(await check.AuditEvents.AsNoTracking().Select(e => e.Detail).ToListAsync(ct), d => d.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outbox_AdministratorList_FiltersByStateAndTemplate_MasksTheRecipient_NeverShowsSecretParameters()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await QueueMessageAsync(t, "inv/1", MessageTemplates.PortalInvitation, _clock.GetUtcNow().AddHours(2));
        await QueueMessageAsync(t, "rem/1", MessageTemplates.ChecklistReminder, _clock.GetUtcNow().AddHours(3));
        await using var db = Open(t);
        var outbox = new OutboxService(db, _clock);

        var all = await outbox.ListAsync(new OutboxQuery(), ct);
        Assert.Equal(2, all.Count);
        Assert.All(all, m => Assert.Equal("zey…", m.Recipient));
        var invitation = Assert.Single(await outbox.ListAsync(new OutboxQuery(OutboxState.Pending, MessageTemplates.PortalInvitation), ct));
        Assert.Null(invitation.Parameters); // pending, so the stored row still has the link: the view leaves it out
        Assert.Equal(_clock.GetUtcNow().AddHours(2), invitation.NextAttemptAt);
        Assert.Equal(SecretLink, Assert.Single(await outbox.ListAsync(new OutboxQuery(Template: MessageTemplates.ChecklistReminder), ct)).Parameters!["link"]);
        Assert.Empty(await outbox.ListAsync(new OutboxQuery(OutboxState.Sent), ct));
    }

    [Fact]
    public async Task Outbox_RetryAndWithdraw_OnlyFromTheirStates_WithAReason_Audited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await QueueMessageAsync(t, "rem/failed", MessageTemplates.ChecklistReminder, _clock.GetUtcNow());
        await QueueMessageAsync(t, "inv/failed", MessageTemplates.PortalInvitation, _clock.GetUtcNow());
        await QueueMessageAsync(t, "rem/pending", MessageTemplates.ChecklistReminder, _clock.GetUtcNow().AddDays(1));
        await using (var db = Open(t))
        {
            await new OutboxSender(db, _clock, new PlainRenderer(), [new FailingFor("rem/failed", "inv/failed")], new OutboxOptions { MaxAttempts = 1 }).SendDueAsync(ct);
        }

        var auditBefore = await CountAuditAsync(t);
        await using (var db = Open(t))
        {
            var outbox = new OutboxService(db, _clock);
            var (failed, invitation, pending) = (await IdOfAsync(db, "rem/failed"), await IdOfAsync(db, "inv/failed"), await IdOfAsync(db, "rem/pending"));

            Codes.Has(FindingCodes.ChartTextRequired, await outbox.RetryAsync(failed, "  ", Build.Nurse, ct));
            Codes.Only(FindingCodes.OutboxNotRetriable, await outbox.RetryAsync(pending, "again", Build.Nurse, ct));
            Codes.Only(FindingCodes.OutboxSecretGone, await outbox.RetryAsync(invitation, "again", Build.Nurse, ct));
            Codes.Only(FindingCodes.NotFound, await outbox.RetryAsync(Guid.NewGuid(), "again", Build.Nurse, ct));
            Codes.Only(FindingCodes.OutboxNotWithdrawable, await outbox.WithdrawAsync(failed, "stop", Build.Nurse, ct));

            _clock.Advance(TimeSpan.FromMinutes(10));
            var retried = await outbox.RetryAsync(failed, "mail server fixed", Build.Nurse, ct);
            Assert.True(retried.IsSuccess, retried.Error);
            Assert.Equal((OutboxState.Pending, 0, _clock.GetUtcNow()), (retried.Value.State, retried.Value.Attempts, retried.Value.NextAttemptAt));
            Assert.NotNull(retried.Value.LastError); // the last failure stays until the next attempt replaces it
            Codes.Only(FindingCodes.OutboxNotRetriable, await outbox.RetryAsync(failed, "twice", Build.Nurse, ct));

            var withdrawn = await outbox.WithdrawAsync(pending, "session moved", Build.Nurse, ct);
            Assert.Equal(OutboxState.Cancelled, withdrawn.Value.State);
            Codes.Only(FindingCodes.OutboxNotWithdrawable, await outbox.WithdrawAsync(pending, "twice", Build.Nurse, ct));
        }

        await using var check = t.Database.Open();
        var events = await check.AuditEvents.AsNoTracking().Where(e => e.Sequence > auditBefore).Select(e => new { e.Action, e.Detail, e.UserId }).ToListAsync(ct);
        Assert.Equal(["outbox-retry", "outbox-withdraw"], events.Select(e => e.Action));
        Assert.Contains("mail server fixed", events[0].Detail, StringComparison.Ordinal);
        Assert.All(events, e => Assert.Equal(Build.Nurse, e.UserId));
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
        Assert.Single(await new OutboxSender(check, _clock, new PlainRenderer(), [new FailingFor()]).DueAsync(ct));
    }

    private async Task QueueMessageAsync(TestDatabase t, string key, string template, DateTimeOffset due, MessageChannel channel = MessageChannel.Email)
    {
        await using var db = Open(t);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["user"] = "patient-x", ["link"] = SecretLink, ["date"] = "2026-06-08", ["time"] = "09:00", ["clinic"] = "KetaCare" };
        var r = await new OutboxService(db, _clock).QueueAsync(new OutboxRequest(key, channel, channel == MessageChannel.Email ? "zeynep@example.org" : "+90 555 123 45 67", template, "en", parameters, due), TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccess, r.Error);
    }

    private static Task<Guid> IdOfAsync(KetaCareDbContext db, string key) =>
        db.Outbox.AsNoTracking().Where(m => m.Key == key).Select(m => m.Id).SingleAsync(TestContext.Current.CancellationToken);

    private sealed class PlainRenderer : IMessageRenderer
    {
        public RenderedMessage Render(string template, string language, IReadOnlyDictionary<string, string> parameters) => new("subject", "body");
    }

    /// <summary>An e-mail channel that accepts every message except those of the keys given, which fail.</summary>
    private sealed class FailingFor(params string[] keys) : IMessageChannel
    {
        public MessageChannel Channel => MessageChannel.Email;

        public Task SendAsync(OutboxMessage message, RenderedMessage text, CancellationToken cancellationToken) =>
            keys.Contains(message.Key) ? throw new IOException("451 try again later") : Task.CompletedTask;
    }
}
