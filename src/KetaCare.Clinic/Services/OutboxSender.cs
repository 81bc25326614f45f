using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>What one pass of the sender did.</summary>
/// <param name="Sent">Accepted by their channel.</param>
/// <param name="Retrying">Failed and due again later.</param>
/// <param name="Failed">Given up after the last attempt.</param>
/// <param name="NotConfigured">Set aside: their channel has no gateway.</param>
public sealed record OutboxPass(int Sent, int Retrying, int Failed, int NotConfigured);

/// <summary>
/// Sends the outbox's due messages. Each message is first claimed — one conditional UPDATE that succeeds for one sender
/// only, counts the attempt and sets a lapse time — then handed to its channel, then marked sent under the same claim.
/// <para>
/// Guarantee: at least once, never silently lost. A sender that dies before the channel accepted the message leaves a
/// claim that lapses, and the message is sent by the next pass. A sender that dies after the server accepted it but
/// before marking it sent leaves the same lapsing claim, so the message is sent again: exactly-once delivery over SMTP
/// would need the server to take part in the outbox's transaction, which it cannot. What the outbox does guarantee is
/// that every attempt of one message carries the same Message-Id, so a duplicate is recognisably the same message (and
/// mail systems that drop repeated Message-Ids show it once), that two live senders never send one message at the same
/// time, and that a unique key is queued once. The window for a duplicate is the time between the server's acceptance
/// and the mark, a few milliseconds.
/// </para>
/// Not thread-safe; one instance per pass, on its own context.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock of due times and claims.</param>
/// <param name="renderer">Turns templates into text.</param>
/// <param name="channels">The channels; a message of a channel without one is set aside as not configured.</param>
/// <param name="options">Claim lapse and retries.</param>
public sealed class OutboxSender(KetaCareDbContext db, TimeProvider clock, IMessageRenderer renderer, IEnumerable<IMessageChannel> channels, OutboxOptions? options = null)
{
    private readonly OutboxOptions _options = options ?? new OutboxOptions();

    /// <summary>Sends every message due now (at most <see cref="OutboxOptions.BatchSize"/>), oldest due first.</summary>
    public async Task<OutboxPass> SendDueAsync(CancellationToken cancellationToken = default)
    {
        int sent = 0, retrying = 0, failed = 0, notConfigured = 0;
        foreach (var id in await DueAsync(cancellationToken).ConfigureAwait(false))
        {
            var claim = await ClaimAsync(id, cancellationToken).ConfigureAwait(false);
            if (claim is null)
            {
                continue; // another sender took it first
            }

            switch (await DeliverAsync(claim.Value.Message, claim.Value.Token, cancellationToken).ConfigureAwait(false))
            {
                case OutboxState.Sent: sent++; break;
                case OutboxState.Failed: failed++; break;
                case OutboxState.NotConfigured: notConfigured++; break;
                default: retrying++; break;
            }
        }

        return new OutboxPass(sent, retrying, failed, notConfigured);
    }

    /// <summary>
    /// The ids of the messages due now: pending ones whose time has come, and those whose claim has lapsed (their sender
    /// died or hung mid-send).
    /// </summary>
    public async Task<IReadOnlyList<Guid>> DueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.Outbox.AsNoTracking()
            .Where(m => (m.State == nameof(OutboxState.Pending) && m.DueAtMs <= now)
                || (m.State == nameof(OutboxState.Sending) && m.ClaimExpiresAtMs < now))
            .OrderBy(m => m.DueAtMs)
            .Select(m => m.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims message <paramref name="id"/> for this sender: one conditional update that only one sender can win, which
    /// counts the attempt and sets the claim's lapse time. Null when it is not due or someone else holds it.
    /// </summary>
    public async Task<(OutboxMessage Message, Guid Token)?> ClaimAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var token = Guid.NewGuid();
        var until = (now + _options.ClaimDuration).ToUnixTimeMilliseconds();
        var won = await db.Outbox
            .Where(m => m.Id == id
                && ((m.State == nameof(OutboxState.Pending) && m.DueAtMs <= nowMs)
                    || (m.State == nameof(OutboxState.Sending) && m.ClaimExpiresAtMs < nowMs)))
            .ExecuteUpdateAsync(
                u => u.SetProperty(m => m.State, nameof(OutboxState.Sending))
                    .SetProperty(m => m.ClaimToken, token)
                    .SetProperty(m => m.ClaimExpiresAtMs, until)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1),
                cancellationToken).ConfigureAwait(false);
        if (won != 1)
        {
            return null;
        }

        var row = await db.Outbox.AsNoTracking().FirstAsync(m => m.Id == id, cancellationToken).ConfigureAwait(false);
        return (OutboxService.View(row), token);
    }

    /// <summary>Renders and sends a claimed message, then records the result under the claim; returns the state it ends in.</summary>
    public async Task<OutboxState> DeliverAsync(OutboxMessage message, Guid token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var channel = channels.FirstOrDefault(c => c.Channel == message.Channel);
        try
        {
            if (channel is null)
            {
                throw new ChannelNotConfiguredException($"no {message.Channel} channel is configured.");
            }

            await channel.SendAsync(message, renderer.Render(message.Template, message.Language, message.Parameters), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelNotConfiguredException e)
        {
            return await FinishAsync(message, token, OutboxState.NotConfigured, e.Message, message.DueAt).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var attempts = message.Attempts;
            var error = Truncate(e.GetType().Name + ": " + e.Message);
            return attempts >= _options.MaxAttempts
                ? await FinishAsync(message, token, OutboxState.Failed, error, message.DueAt).ConfigureAwait(false)
                : await FinishAsync(message, token, OutboxState.Pending, error, clock.GetUtcNow() + _options.RetryDelay(attempts)).ConfigureAwait(false);
        }

        return await FinishAsync(message, token, OutboxState.Sent, null, message.DueAt).ConfigureAwait(false);
    }

    // Only the holder of the claim records the result: a sender whose claim lapsed and was taken over writes nothing.
    // Not cancellable: once the channel has answered, its answer is written even while the host shuts down.
    private async Task<OutboxState> FinishAsync(OutboxMessage message, Guid token, OutboxState state, string? error, DateTimeOffset due)
    {
        long? sentAt = state == OutboxState.Sent ? clock.GetUtcNow().ToUnixTimeMilliseconds() : null;
        var dueMs = due.ToUnixTimeMilliseconds();
        var name = state.ToString();
        var id = message.Id;
        await db.Outbox
            .Where(m => m.Id == id && m.ClaimToken == token && m.State == nameof(OutboxState.Sending))
            .ExecuteUpdateAsync(
                u => u.SetProperty(m => m.State, name)
                    .SetProperty(m => m.SentAtMs, sentAt)
                    .SetProperty(m => m.LastError, m => error ?? m.LastError)
                    .SetProperty(m => m.DueAtMs, dueMs)
                    .SetProperty(m => m.ClaimToken, (Guid?)null)
                    .SetProperty(m => m.ClaimExpiresAtMs, (long?)null)
                    .SetProperty(m => m.Parameters, OutboxService.Scrubbed(state != OutboxState.Pending)),
                CancellationToken.None).ConfigureAwait(false);
        return state;
    }

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];
}
