using System.Globalization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Users;
using Microsoft.EntityFrameworkCore;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Services;

/// <summary>What to look for in the audit log; every criterion is optional and they combine with AND.</summary>
public sealed record AuditQuery
{
    /// <summary>Largest page size.</summary>
    public const int MaxPageSize = 200;

    /// <summary>Highest page number: enough for 200 million events at the largest page, and no overflow computing the offset.</summary>
    public const int MaxPage = 1_000_000;

    /// <summary>The patient: a patient id (GUID) or a medical record number (exact).</summary>
    public string? Patient { get; init; }

    /// <summary>Who: an account id (GUID), a user name (exact) or part of a display name.</summary>
    public string? User { get; init; }

    /// <summary>Action, exact (create, update, read, user-create…).</summary>
    public string? Action { get; init; }

    /// <summary>Kind of record, exact (patient, plan, session, settings, protocol, user…).</summary>
    public string? EntityType { get; init; }

    /// <summary>From this instant (UTC, inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Before this instant (UTC, exclusive).</summary>
    public DateTimeOffset? Before { get; init; }

    /// <summary>1-based page.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Events per page, 1 to <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = 50;
}

/// <summary>One audit event as an auditor reads it: the stored event with the names of who and which patient.</summary>
/// <param name="Event">The stored event.</param>
/// <param name="UserName">Who, by display name (or a label for the system's own actors; the id when unknown).</param>
/// <param name="MedicalRecordNumber">The patient's record number, or null when the event concerns no patient.</param>
public sealed record AuditEntry(AuditEvent Event, string UserName, string? MedicalRecordNumber);

/// <summary>One page of search results, newest first.</summary>
/// <param name="Entries">The events of the page.</param>
/// <param name="Total">Events matching the query.</param>
/// <param name="Page">This page, 1-based.</param>
/// <param name="PageSize">Events per page.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total, int Page, int PageSize)
{
    /// <summary>Number of pages (at least 1).</summary>
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// Reading the audit log: search (newest first, paged) and the names behind user ids. It never writes: an auditor's
/// search changes nothing. One instance per unit of work.
/// </summary>
/// <param name="db">The context.</param>
public sealed class AuditLogService(KetaCareDbContext db)
{
    /// <summary>Names of the system's own actors, which are no accounts.</summary>
    public static IReadOnlyDictionary<UserId, string> SystemActors { get; } = new Dictionary<UserId, string>
    {
        [ProtocolService.SystemUser] = "KetaCare (built-in protocol library)",
        [DemoSeed.SeedUser] = "KetaCare demo seed",
        [UserDirectory.CommandLineOperator] = "command-line operator",
    };

    /// <summary>Events matching <paramref name="query"/>, newest first; refused (naming the field) for a bad page or an unknown patient or user.</summary>
    public async Task<Outcome<AuditPage>> SearchAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > AuditQuery.MaxPageSize)
        {
            return Refusal.OutOfRange("page size", query.PageSize, 1, AuditQuery.MaxPageSize);
        }

        if (query.Page is < 1 or > AuditQuery.MaxPage)
        {
            return Refusal.OutOfRange("page", query.Page, 1, AuditQuery.MaxPage);
        }

        if (query.From is { } f && query.Before is { } b && f >= b)
        {
            return new Refusal("dates: the start must be before the end.", [Finding.Refused(FindingCodes.AuditDatesOrder, FindingArg.Of("field", "dates"))]);
        }

        var events = Between(query.From, query.Before).AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Patient))
        {
            var patient = await ResolvePatientAsync(query.Patient.Trim(), cancellationToken).ConfigureAwait(false);
            if (patient is null)
            {
                return new Refusal(
                    $"patient: no patient with id or record number \"{query.Patient.Trim()}\".",
                    [Finding.Refused(FindingCodes.AuditPatientUnknown, FindingArg.Of("field", "patient"), FindingArg.Of("text", query.Patient.Trim()))]);
            }

            events = events.Where(e => e.PatientId == patient.Value);
        }

        if (!string.IsNullOrWhiteSpace(query.User))
        {
            var ids = await ResolveUsersAsync(query.User.Trim(), cancellationToken).ConfigureAwait(false);
            if (ids.Count == 0)
            {
                return new Refusal(
                    $"user: no account with id, user name or display name \"{query.User.Trim()}\".",
                    [Finding.Refused(FindingCodes.AuditUserUnknown, FindingArg.Of("field", "user"), FindingArg.Of("text", query.User.Trim()))]);
            }

            events = events.Where(e => ids.Contains(e.UserId));
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            events = events.Where(e => e.Action == action);
        }

        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            var type = query.EntityType.Trim();
            events = events.Where(e => e.EntityType == type);
        }

        var total = await events.CountAsync(cancellationToken).ConfigureAwait(false);
        var page = await events.OrderByDescending(e => e.Sequence).Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = await DisplayNamesAsync(page.Select(e => e.UserId), cancellationToken).ConfigureAwait(false);
        var patientIds = page.Select(e => e.PatientId).Where(p => p != default).Distinct().ToList();
        var records = await db.Patients.AsNoTracking().Where(p => patientIds.Contains(p.Id)).Select(p => new { p.Id, p.MedicalRecordNumber }).ToDictionaryAsync(p => p.Id, p => p.MedicalRecordNumber, cancellationToken).ConfigureAwait(false);
        var entries = page.Select(e => new AuditEntry(e, names[e.UserId], e.PatientId == default ? null : records.GetValueOrDefault(e.PatientId))).ToList();
        return Outcome<AuditPage>.Ok(new AuditPage(entries, total, query.Page, query.PageSize));
    }

    /// <summary>The actions and kinds of record that occur in the log, for choosing in a search form.</summary>
    public async Task<(IReadOnlyList<string> Actions, IReadOnlyList<string> EntityTypes)> VocabularyAsync(CancellationToken cancellationToken = default)
    {
        var actions = await db.AuditEvents.AsNoTracking().Select(e => e.Action).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        var types = await db.AuditEvents.AsNoTracking().Select(e => e.EntityType).Distinct().ToListAsync(cancellationToken).ConfigureAwait(false);
        return ([.. actions.Order(StringComparer.Ordinal)], [.. types.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The display name of each id: an account's display name, a system actor's label, else the id itself.</summary>
    public async Task<IReadOnlyDictionary<UserId, string>> DisplayNamesAsync(IEnumerable<UserId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.Distinct().ToList();
        var guids = wanted.Select(i => i.Value).ToList();
        var accounts = await db.Users.AsNoTracking().Where(u => guids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.UserName }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = new Dictionary<UserId, string>();
        foreach (var id in wanted)
        {
            var account = accounts.FirstOrDefault(a => a.Id == id.Value);
            names[id] = account is not null
                ? (string.IsNullOrWhiteSpace(account.DisplayName) ? account.UserName ?? id.ToString() : account.DisplayName)
                : SystemActors.TryGetValue(id, out var label) ? label : id.ToString();
        }

        return names;
    }

    /// <summary>
    /// The events in [from, before). SQLite keeps DateTimeOffset as ISO text and EF Core does not compare it there;
    /// every stored time is UTC ("+00:00"), so the text compares in time order and the bounds go in as text.
    /// </summary>
    private IQueryable<AuditEvent> Between(DateTimeOffset? from, DateTimeOffset? before)
    {
        if (from is null && before is null)
        {
            return db.AuditEvents;
        }

        var low = AuditChain.ToMicroseconds(from ?? DateTimeOffset.MinValue);
        var high = AuditChain.ToMicroseconds(before ?? DateTimeOffset.MaxValue);
        if (db.Database.IsSqlite())
        {
            static string Text(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
            return db.AuditEvents.FromSqlRaw("SELECT * FROM audit_events WHERE at >= {0} AND at < {1}", Text(low), Text(high));
        }

        return db.AuditEvents.Where(e => e.At >= low && e.At < high);
    }

    private async Task<PatientId?> ResolvePatientAsync(string text, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(text, out var g))
        {
            return new PatientId(g);
        }

        var found = await db.Patients.AsNoTracking().Where(p => p.MedicalRecordNumber == text).Select(p => (PatientId?)p.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return found;
    }

    private async Task<List<UserId>> ResolveUsersAsync(string text, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(text, out var g))
        {
            return [new UserId(g)];
        }

        var normalized = text.ToUpperInvariant();
        var accounts = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedUserName == normalized || u.DisplayName.Contains(text))
            .Select(u => u.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = accounts.Select(a => new UserId(a)).ToList();
        ids.AddRange(SystemActors.Where(s => s.Value.Contains(text, StringComparison.OrdinalIgnoreCase)).Select(s => s.Key));
        return ids;
    }
}
