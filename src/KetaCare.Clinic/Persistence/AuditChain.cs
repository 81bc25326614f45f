using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Persistence;

/// <summary>The result of checking the audit chain.</summary>
/// <param name="Count">Events read.</param>
/// <param name="HeadHash">Hash of the last event (record it elsewhere to also detect removal of the newest events).</param>
/// <param name="Problems">One line per problem, naming the event; empty when the chain is intact.</param>
public sealed record AuditVerification(long Count, string HeadHash, IReadOnlyList<string> Problems)
{
    /// <summary>True when no event was altered, inserted or deleted.</summary>
    public bool IsIntact => Problems.Count == 0;
}

/// <summary>Hashing and verification of the audit chain (SHA-256 over the previous hash and a canonical form of the event).</summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first event.</summary>
    public static string Genesis { get; } = new('0', 64);

    /// <summary>
    /// The canonical form of an event: a JSON array of its fields in a fixed order, the time as ISO 8601 UTC
    /// with microseconds and ids in the "D" format, so it is the same on every machine and culture.
    /// </summary>
    public static byte[] Canonical(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteNumberValue(e.Sequence);
            w.WriteStringValue(e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteStringValue(e.UserId.ToString());
            w.WriteStringValue(e.Action);
            w.WriteStringValue(e.EntityType);
            w.WriteStringValue(e.EntityId);
            w.WriteStringValue(e.PatientId.ToString());
            w.WriteStringValue(e.Detail);
            w.WriteEndArray();
        }

        return buffer.ToArray();
    }

    /// <summary>SHA-256(previous hash ‖ canonical form), lower-case hex.</summary>
    public static string ComputeHash(string previousHash, AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        var prefix = Encoding.ASCII.GetBytes(previousHash);
        return Convert.ToHexStringLower(SHA256.HashData([.. prefix, .. Canonical(e)]));
    }

    /// <summary>Truncates to whole microseconds (PostgreSQL's timestamp precision), so the stored time hashes the same.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>
    /// Reads the whole chain in sequence order and reports every event that was altered (its hash does not match
    /// its content), deleted (a gap in the sequence) or inserted (its previous hash is not the hash of the event
    /// before it, or its sequence repeats).
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(KetaCareDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var problems = new List<string>();
        var previous = Genesis;
        long expected = 1;
        long count = 0;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (e.Sequence > expected)
            {
                problems.Add(e.Sequence == expected + 1
                    ? $"event #{expected}: missing (deleted)."
                    : $"events #{expected}–#{e.Sequence - 1}: missing (deleted).");
            }
            else if (e.Sequence < expected)
            {
                problems.Add($"event #{e.Sequence}: out of sequence (inserted).");
            }

            if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
            {
                problems.Add($"event #{e.Sequence}: does not follow the event before it (an event was inserted or deleted before it).");
            }

            if (!string.Equals(ComputeHash(e.PreviousHash, e), e.Hash, StringComparison.Ordinal))
            {
                problems.Add($"event #{e.Sequence}: altered (its content does not match its hash) or inserted.");
            }

            previous = e.Hash;
            expected = e.Sequence + 1;
        }

        return new AuditVerification(count, previous, problems);
    }
}
