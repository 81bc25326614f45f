using System.Globalization;
using System.Text.Json;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>Which outbox messages an administrator lists.</summary>
/// <param name="State">Only messages in this state; null for every state.</param>
/// <param name="Template">Only messages of this template; null for every template.</param>
/// <param name="Limit">At most this many, newest queued first (1–1000).</param>
public sealed record OutboxQuery(OutboxState? State = null, string? Template = null, int Limit = 200);

/// <summary>
/// An outbox message as an administrator sees it: no secret and no full address. <see cref="Parameters"/> is null for a
/// template that carries a secret (<see cref="MessageTemplates.WithSecrets"/>) in every state, so an invitation's link
/// is never shown, even while it is still pending.
/// </summary>
/// <param name="Id">Row id.</param>
/// <param name="MessageId">The Message-Id every attempt carries.</param>
/// <param name="Channel">E-mail or text.</param>
/// <param name="Recipient">The address or number masked beyond its first characters (<see cref="Contacts.Mask"/>).</param>
/// <param name="Template">Template id.</param>
/// <param name="Language">"en" or "tr".</param>
/// <param name="Parameters">The template's parameters; null for a template with secrets.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="NextAttemptAt">When the sender tries it next (UTC): its due time while pending; null otherwise.</param>
/// <param name="LastError">The last failure as the channel reported it.</param>
/// <param name="CreatedAt">When queued (UTC).</param>
/// <param name="SentAt">When the channel accepted it (UTC).</param>
/// <param name="Patient">The patient it concerns, or default.</param>
public sealed record OutboxEntry(Guid Id, string MessageId, MessageChannel Channel, string Recipient, string Template, string Language, IReadOnlyDictionary<string, string>? Parameters, OutboxState State, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, PatientId Patient);

/// <summary>The administrator's side of the outbox: list, retry a message set aside, withdraw a pending one.</summary>
public sealed partial class OutboxService
{
    /// <summary>The messages <paramref name="query"/> selects, newest queued first, without secrets or full addresses.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = db.Outbox.AsNoTracking();
        if (query.State is { } state)
        {
            var name = state.ToString();
            rows = rows.Where(m => m.State == name);
        }

        if (query.Template is { } template)
        {
            rows = rows.Where(m => m.Template == template);
        }

        var list = await rows.OrderByDescending(m => m.CreatedAtMs).ThenBy(m => m.Id).Take(Math.Clamp(query.Limit, 1, 1000)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. list.Select(Entry)];
    }

    /// <summary>True when an administrator may send a message in <paramref name="state"/> again: set aside after the last attempt, or for want of a gateway.</summary>
    public static bool CanRetry(OutboxState state) => state is OutboxState.Failed or OutboxState.NotConfigured;

    /// <summary>True when an administrator may withdraw a message in <paramref name="state"/>: only while it waits (one being sent may already be with the server).</summary>
    public static bool CanWithdraw(OutboxState state) => state == OutboxState.Pending;

    /// <summary>
    /// Sends a message set aside (failed or not configured) again now: back to pending with its attempts reset, due at
    /// once; the last error stays until the next attempt replaces it. A template with secrets is refused: its link was
    /// emptied when it was set aside, so it would go out without one (send a new invitation instead). Requires a
    /// reason; audited as "outbox-retry".
    /// </summary>
    public Task<Outcome<OutboxEntry>> RetryAsync(Guid id, string? reason, UserId by, CancellationToken cancellationToken = default) =>
        StepAsync(id, reason, by, "outbox-retry", OutboxState.Pending, row =>
            !CanRetry(Enum.Parse<OutboxState>(row.State)) ? Refusal.Coded(FindingCodes.OutboxNotRetriable, FindingArg.Of("state", row.State))
            : MessageTemplates.WithSecrets.Contains(row.Template) ? Refusal.Coded(FindingCodes.OutboxSecretGone, FindingArg.Of("template", row.Template))
            : null, cancellationToken);

    /// <summary>Withdraws a pending message with a reason, so it is never sent (its secret parameters are emptied); audited as "outbox-withdraw".</summary>
    public Task<Outcome<OutboxEntry>> WithdrawAsync(Guid id, string? reason, UserId by, CancellationToken cancellationToken = default) =>
        StepAsync(id, reason, by, "outbox-withdraw", OutboxState.Cancelled, row =>
            CanWithdraw(Enum.Parse<OutboxState>(row.State)) ? null : Refusal.Coded(FindingCodes.OutboxNotWithdrawable, FindingArg.Of("state", row.State)), cancellationToken);

    private async Task<Outcome<OutboxEntry>> StepAsync(Guid id, string? reason, UserId by, string action, OutboxState to, Func<OutboxMessageRecord, Refusal?> allowed, CancellationToken cancellationToken)
    {
        var why = ChartInput.Reason(reason);
        if (!why.IsSuccess)
        {
            return why.Refusal;
        }

        var row = await db.Outbox.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return Refusal.NotFound("message", id);
        }

        if (allowed(row) is { } refused)
        {
            return refused;
        }

        // The update is conditional on the state read: a sender that claimed the message meanwhile wins, and nothing changes.
        var from = row.State;
        var name = to.ToString();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var retry = to == OutboxState.Pending;
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await db.Outbox.Where(m => m.Id == id && m.State == from)
            .ExecuteUpdateAsync(
                u => u.SetProperty(m => m.State, name)
                    .SetProperty(m => m.Attempts, m => retry ? 0 : m.Attempts)
                    .SetProperty(m => m.DueAtMs, m => retry ? now : m.DueAtMs)
                    .SetProperty(m => m.ClaimToken, (Guid?)null)
                    .SetProperty(m => m.ClaimExpiresAtMs, (long?)null)
                    .SetProperty(m => m.Parameters, Scrubbed(!retry)),
                cancellationToken).ConfigureAwait(false);
        if (changed == 0)
        {
            return Refusal.Coded(FindingCodes.VersionConflict, FindingArg.Of("what", "message"));
        }

        db.Actor = by;
        db.RecordEvent(action, "outbox", id.ToString("D"), string.Create(CultureInfo.InvariantCulture, $"{row.Template} {row.MessageId}: {from} -> {name}; reason: {reason!.Trim()}"), row.PatientId);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        var after = await db.Outbox.AsNoTracking().FirstAsync(m => m.Id == id, cancellationToken).ConfigureAwait(false);
        return Outcome<OutboxEntry>.Ok(Entry(after));
    }

    private static OutboxEntry Entry(OutboxMessageRecord r)
    {
        var state = Enum.Parse<OutboxState>(r.State);
        return new OutboxEntry(
            r.Id,
            r.MessageId,
            Enum.Parse<MessageChannel>(r.Channel),
            Contacts.Mask(r.Recipient),
            r.Template,
            r.Language,
            MessageTemplates.WithSecrets.Contains(r.Template) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(r.Parameters) ?? [],
            state,
            r.Attempts,
            state == OutboxState.Pending ? DateTimeOffset.FromUnixTimeMilliseconds(r.DueAtMs) : null,
            r.LastError,
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs),
            r.SentAtMs is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null,
            r.PatientId);
    }
}
