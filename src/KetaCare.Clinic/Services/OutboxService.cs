using System.Text.Json;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>
/// The outbox: queues templated messages of any kind (reminders, invitations) once per unique key, withdraws them,
/// and lists them. Sending is <see cref="OutboxSender"/>'s. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock of queue times.</param>
public sealed partial class OutboxService(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>Longest key.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>
    /// Queues <paramref name="request"/> unless a message with its key is already queued (in any state), in which case
    /// that one is returned and nothing is added: queuing is idempotent, so a retried booking or invitation never
    /// queues twice. A race between two queuers of one key is settled by the unique index.
    /// </summary>
    public async Task<Outcome<OutboxMessage>> QueueAsync(OutboxRequest request, CancellationToken cancellationToken = default)
    {
        if (Check(request) is { } bad)
        {
            return bad;
        }

        if (await FindAsync(request.Key, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return Outcome<OutboxMessage>.Ok(existing);
        }

        var row = Add(request);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException e) when (Conflicts.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            return await FindAsync(request.Key, cancellationToken).ConfigureAwait(false) is { } won ? Outcome<OutboxMessage>.Ok(won) : throw new InvalidOperationException("outbox: the key was taken and then not found.", e);
        }

        return Outcome<OutboxMessage>.Ok(View(row));
    }

    /// <summary>The message queued under <paramref name="key"/>, or null.</summary>
    public async Task<OutboxMessage?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        var row = await db.Outbox.AsNoTracking().FirstOrDefaultAsync(m => m.Key == key, cancellationToken).ConfigureAwait(false);
        return row is null ? null : View(row);
    }

    /// <summary>The messages whose key starts with <paramref name="keyPrefix"/>, by due time.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string keyPrefix, CancellationToken cancellationToken = default)
    {
        var rows = await db.Outbox.AsNoTracking().Where(m => m.Key.StartsWith(keyPrefix)).OrderBy(m => m.DueAtMs).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(View)];
    }

    /// <summary>The most recent messages in any state, newest due first (at most <paramref name="count"/>).</summary>
    public async Task<IReadOnlyList<OutboxMessage>> RecentAsync(int count, CancellationToken cancellationToken = default)
    {
        var rows = await db.Outbox.AsNoTracking().OrderByDescending(m => m.DueAtMs).Take(Math.Clamp(count, 1, 1000)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(View)];
    }

    /// <summary>
    /// Withdraws the messages not yet sent or claimed (and those set aside as not sendable) whose key starts with
    /// <paramref name="keyPrefix"/>; returns how many. A message being sent at this moment is not withdrawn (it may
    /// already be with the server).
    /// </summary>
    public Task<int> CancelAsync(string keyPrefix, CancellationToken cancellationToken = default) =>
        db.Outbox
            .Where(m => m.Key.StartsWith(keyPrefix) && (m.State == nameof(OutboxState.Pending) || m.State == nameof(OutboxState.NotSendable)))
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.State, nameof(OutboxState.Cancelled)).SetProperty(m => m.Parameters, Scrubbed(true)), cancellationToken);

    /// <summary>
    /// The parameters a message keeps as it leaves the queue for good (<paramref name="final"/>): none for a template
    /// that carries a secret (<see cref="MessageTemplates.WithSecrets"/>), so that a sent or withdrawn invitation's link
    /// is not kept in the database; unchanged otherwise, and always unchanged while it may still be retried.
    /// </summary>
    internal static System.Linq.Expressions.Expression<Func<OutboxMessageRecord, string>> Scrubbed(bool final)
    {
        var secret = MessageTemplates.WithSecrets.ToArray();
        return m => final && secret.Contains(m.Template) ? "{}" : m.Parameters;
    }

    /// <summary>Adds <paramref name="request"/> to the context for the caller's save (a booking queues its reminders in its own transaction).</summary>
    internal OutboxMessageRecord Add(OutboxRequest request)
    {
        var id = Guid.NewGuid();
        var row = new OutboxMessageRecord
        {
            Id = id,
            Key = request.Key,
            MessageId = $"{id:N}@ketacare",
            PatientId = request.Patient,
            Channel = request.Channel.ToString(),
            Recipient = request.Recipient.Trim(),
            Template = request.Template,
            Language = request.Language,
            Parameters = JsonSerializer.Serialize(request.Parameters),
            DueAtMs = request.DueAt.ToUnixTimeMilliseconds(),
            CreatedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        db.Outbox.Add(row);
        return row;
    }

    /// <summary>A refusal naming the field of a request that cannot be queued; null when it can.</summary>
    internal static Refusal? Check(OutboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Key) || request.Key.Length > MaxKeyLength)
        {
            return Refusal.Coded(FindingCodes.OutboxKeyInvalid, FindingArg.Of("field", "key"), FindingArg.Of("max", MaxKeyLength));
        }

        if (!MessageTemplates.All.Contains(request.Template))
        {
            return Refusal.Coded(FindingCodes.OutboxTemplateUnknown, FindingArg.Of("template", request.Template));
        }

        if (!MessageTemplates.Languages.Contains(request.Language))
        {
            return Refusal.Coded(FindingCodes.ScheduleContactInvalid, FindingArg.Of("field", "language"));
        }

        return Contacts.Check(request.Channel, request.Recipient) is { } contact ? contact : null;
    }

    internal static OutboxMessage View(OutboxMessageRecord r) => new(
        r.Id,
        r.Key,
        r.MessageId,
        Enum.Parse<MessageChannel>(r.Channel),
        r.Recipient,
        r.Template,
        r.Language,
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.Parameters) ?? [],
        Enum.Parse<OutboxState>(r.State),
        DateTimeOffset.FromUnixTimeMilliseconds(r.DueAtMs),
        r.Attempts,
        r.LastError,
        r.SentAtMs is { } sent ? DateTimeOffset.FromUnixTimeMilliseconds(sent) : null);
}
