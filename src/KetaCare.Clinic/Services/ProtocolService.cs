using System.Globalization;
using KetaCare.Pharmacology.Units;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Protocols;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>One stored protocol version with who added it, when and why.</summary>
/// <param name="Protocol">The protocol.</param>
/// <param name="CreatedAt">When this version was added (UTC).</param>
/// <param name="CreatedBy">Who added it.</param>
/// <param name="Reason">Why.</param>
public sealed record ProtocolVersionInfo(Protocol Protocol, DateTimeOffset CreatedAt, UserId CreatedBy, string Reason);

/// <summary>
/// The clinic's protocol library in the database: every version of every protocol, never changed or deleted. Adding a
/// protocol writes version 1; revising writes the next version, so plans keep the version they were prescribed with
/// (a plan stores its protocol whole) and older versions stay readable. Every write is audited. A protocol is
/// checked before it is stored: its own consistency and its limits against the hard limits of the drug library
/// (<see cref="DoseLimits.CohenInfusionCeiling"/> and <see cref="DoseLimits.CohenBolusCeiling"/>, Cohen 2018).
/// One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times.</param>
public sealed partial class ProtocolService(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>The user recorded as author of the built-in protocols written by <c>db migrate</c> and <c>db seed</c>.</summary>
    public static UserId SystemUser { get; } = new(Guid.Parse("5e5e0000-0000-0000-0000-000000000001"));

    /// <summary>Upper bound of the session interval, days: an assumption (a course with sessions more than a year apart is a new course).</summary>
    public const int MaxIntervalDays = 365;

    /// <summary>Upper bound of the number of sessions of a course: an assumption (published courses run 1–10 sessions; clinical-reference: Published regimens (published-regimens)).</summary>
    public const int MaxSessions = 50;

    /// <summary>Writes every protocol version of <paramref name="library"/> that the database does not hold yet; returns how many were written.</summary>
    public async Task<int> SeedAsync(ProtocolLibrary library, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(library);
        var stored = await db.Protocols.AsNoTracking().Select(p => new { p.ProtocolId, p.ProtocolVersion }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var missing = library.Protocols.Where(p => !stored.Any(s => s.ProtocolId == p.Id && s.ProtocolVersion == p.Version)).ToList();
        foreach (var p in missing)
        {
            db.Protocols.Add(Row(p, by, "built-in library " + library.Version));
        }

        db.Actor = by;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return missing.Count;
    }

    /// <summary>The latest version of every protocol, by id.</summary>
    public async Task<IReadOnlyList<ProtocolVersionInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await AllAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.GroupBy(p => p.Protocol.Id, StringComparer.Ordinal).Select(g => g.MaxBy(p => p.Protocol.Version)!).OrderBy(p => p.Protocol.Id, StringComparer.Ordinal)];
    }

    /// <summary>Every version of one protocol, oldest first; empty when unknown.</summary>
    public async Task<IReadOnlyList<ProtocolVersionInfo>> VersionsAsync(string id, CancellationToken cancellationToken = default)
    {
        var rows = await db.Protocols.AsNoTracking().Where(p => p.ProtocolId == id).OrderBy(p => p.ProtocolVersion).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(Info)];
    }

    /// <summary>One protocol version (the latest when <paramref name="version"/> is null).</summary>
    public async Task<Outcome<ProtocolVersionInfo>> FindAsync(string id, int? version = null, CancellationToken cancellationToken = default)
    {
        var versions = await VersionsAsync(id, cancellationToken).ConfigureAwait(false);
        var found = version is null ? versions.LastOrDefault() : versions.FirstOrDefault(v => v.Protocol.Version == version);
        return found is not null
            ? Outcome<ProtocolVersionInfo>.Ok(found)
            : version is null
                ? new Refusal($"protocol: \"{id}\" is not in the library.", [Finding.Refused(FindingCodes.ProtocolUnknown, FindingArg.Of("field", "protocol"), FindingArg.Of("id", id))])
                : new Refusal(
                    string.Create(CultureInfo.InvariantCulture, $"protocol: \"{id}\" has no version {version}."),
                    [Finding.Refused(FindingCodes.ProtocolVersionUnknown, FindingArg.Of("field", "protocol"), FindingArg.Of("id", id), FindingArg.Of("version", version.Value))]);
    }

    /// <summary>The stored library (every version), for prescribing; the built-in library when nothing is stored yet.</summary>
    public async Task<ProtocolLibrary> LibraryAsync(CancellationToken cancellationToken = default)
    {
        var all = await AllAsync(cancellationToken).ConfigureAwait(false);
        return all.Count == 0 ? ProtocolLibrary.Default : new ProtocolLibrary("database", all.Select(p => p.Protocol));
    }

    /// <summary>Adds a new protocol as version 1; refused when the id exists or the protocol is invalid.</summary>
    public async Task<Outcome<Protocol>> AddAsync(Protocol protocol, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (await db.Protocols.AnyAsync(p => p.ProtocolId == protocol.Id, cancellationToken).ConfigureAwait(false))
        {
            return new Refusal($"id: protocol \"{protocol.Id}\" exists already; revise it to add a version.", [Finding.Refused(FindingCodes.ProtocolExists, FindingArg.Of("field", "id"), FindingArg.Of("id", protocol.Id))]);
        }

        return await WriteAsync(protocol with { Version = 1 }, reason, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revises a protocol: stores <paramref name="revised"/> as the next version after <paramref name="expectedVersion"/>; refused when someone revised it since, or when invalid.</summary>
    public async Task<Outcome<Protocol>> ReviseAsync(Protocol revised, int expectedVersion, string reason, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revised);
        var latest = await db.Protocols.AsNoTracking().Where(p => p.ProtocolId == revised.Id).MaxAsync(p => (int?)p.ProtocolVersion, cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return new Refusal($"id: protocol \"{revised.Id}\" is not in the library; add it first.", [Finding.Refused(FindingCodes.ProtocolReviseUnknown, FindingArg.Of("field", "id"), FindingArg.Of("id", revised.Id))]);
        }

        if (latest != expectedVersion)
        {
            return Stale($"protocol {revised.Id}: version {latest} was saved by someone else after version {expectedVersion}, which this revision was made against; reload and revise again.", $"protocol {revised.Id}");
        }

        return await WriteAsync(revised with { Version = latest.Value + 1 }, reason, by, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a protocol before it is stored; errors name the field and the allowed range. Rate ceilings stay within
    /// the drug library's hard infusion limit (2 mg/kg/h, Cohen 2018), weight-based single doses within its bolus
    /// limit (0.35 mg/kg, Cohen 2018); interval and number of sessions within labelled assumptions.
    /// </summary>
    public static Outcome Validate(Protocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (string.IsNullOrWhiteSpace(protocol.Id) || !IdPattern().IsMatch(protocol.Id))
        {
            return new Refusal(
                $"id: \"{protocol.Id}\" must be 1 to 48 lower-case letters, digits or hyphens, starting with a letter or digit.",
                [Finding.Refused(FindingCodes.ProtocolIdInvalid, FindingArg.Of("field", "id"), FindingArg.Of("text", protocol.Id ?? string.Empty))]);
        }

        if (string.IsNullOrWhiteSpace(protocol.Name) || protocol.Name.Length > 200)
        {
            return new Refusal("name: must be 1 to 200 characters.", [Finding.Refused(FindingCodes.ProtocolNameLength, FindingArg.Of("field", "name"), FindingArg.Of("max", 200))]);
        }

        if (protocol.Sources is null || protocol.Sources.Count == 0)
        {
            return new Refusal("sources: at least one source (or a labelled assumption) is required.", [Finding.Refused(FindingCodes.ProtocolSourcesMissing, FindingArg.Of("field", "sources"))]);
        }

        var hard = protocol.Ceiling.Basis switch
        {
            DoseBasis.MgPerKgPerHour => DoseLimits.CohenInfusionCeiling,
            DoseBasis.MgPerKg => DoseLimits.CohenBolusCeiling,
            _ => null,
        };
        var unit = protocol.Ceiling.Basis switch
        {
            DoseBasis.MgPerKgPerHour => "mg/kg/h",
            DoseBasis.MgPerKg => "mg/kg",
            _ => "mg",
        };
        foreach (var (field, level) in new[] { ("start", protocol.Start), ("step", protocol.Step), ("ceiling", protocol.Ceiling) })
        {
            if (!level.SameBasis(protocol.Ceiling))
            {
                return new Refusal(
                    $"{field}: {level} is not in the ceiling's unit ({unit}).",
                    [Finding.Refused(FindingCodes.ProtocolLevelUnit, FindingArg.Of("field", field), level.Arg("value"), FindingArg.Of("unit", unit))]);
            }

            // a step of 0 is a fixed-dose course (Schwartzman 2009); start and ceiling must give drug
            var zeroAllowed = field == "step";
            var low = zeroAllowed ? "at least 0" : "greater than 0";
            var lowArg = FindingArg.Of("low", low);
            if (!double.IsFinite(level.Value) || (zeroAllowed ? level.Value < 0 : level.Value <= 0) || (hard is not null && level.Value > hard.Value))
            {
                return hard is null
                    ? new Refusal(
                        $"{field}: {level} is outside the allowed range: {low} {unit}.",
                        [Finding.Refused(FindingCodes.ProtocolLevelOutOfRange, FindingArg.Of("field", field), level.Arg("value"), lowArg, FindingArg.Of("unit", unit))])
                    : new Refusal(
                        $"{field}: {level} is outside the allowed range: {low} and at most {SafeNumber.Format(hard.Value)} {unit} (hard limit of the drug library; {hard.Source.Reference}).",
                        [Finding.Refused(FindingCodes.ProtocolLevelAboveHardLimit, FindingArg.Of("field", field), level.Arg("value"), lowArg, FindingArg.Of("max", hard.Value, unit), FindingArg.Of("source", hard.Source.Reference))]);
            }
        }

        if (protocol.MaxRateMgPerHour is { } mgh && (!double.IsFinite(mgh) || mgh <= 0))
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"maximum rate: {SafeNumber.Format(mgh)} mg/h is outside the allowed range: greater than 0 mg/h."),
                [Finding.Refused(FindingCodes.ProtocolMaxRateOutOfRange, FindingArg.Of("value", mgh))]);
        }

        if (protocol.IntervalDays is < 0 or > MaxIntervalDays)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"interval: {protocol.IntervalDays} days is outside the allowed range 0 to {MaxIntervalDays} days (assumption)."),
                [Finding.Refused(FindingCodes.ProtocolIntervalOutOfRange, FindingArg.Of("value", protocol.IntervalDays), FindingArg.Of("min", 0), FindingArg.Of("max", MaxIntervalDays))]);
        }

        if (protocol.NumberOfSessions is < 1 or > MaxSessions)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"sessions: {protocol.NumberOfSessions} is outside the allowed range 1 to {MaxSessions} (assumption)."),
                [Finding.Refused(FindingCodes.ProtocolSessionsOutOfRange, FindingArg.Of("value", protocol.NumberOfSessions), FindingArg.Of("min", 1), FindingArg.Of("max", MaxSessions))]);
        }

        if (protocol.InfusionDuration is { } d && protocol.IsInfusion && d.Minutes is <= 0 or > 24 * 60)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"duration: {SafeNumber.Format(d.Minutes)} min is outside the allowed range: greater than 0 and at most 1440 min."),
                [Finding.Refused(FindingCodes.ProtocolDurationOutOfRange, FindingArg.Of("value", d.Minutes), FindingArg.Of("max", 24 * 60))]);
        }

        return protocol.Validate();
    }

    private async Task<Outcome<Protocol>> WriteAsync(Protocol protocol, string reason, UserId by, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: adding or revising a protocol needs a reason.", [Finding.Refused(FindingCodes.ProtocolReasonMissing, FindingArg.Of("field", "reason"))]);
        }

        var valid = Validate(protocol);
        if (!valid.IsSuccess)
        {
            return valid.Refusal;
        }

        // The orders are checked against the drug library in force: its hard maxima refuse.
        var library = await new SettingsService(db, clock).DrugLibraryAsync(cancellationToken).ConfigureAwait(false);
        var orders = AncillaryDrugs.CheckProtocolOrders(protocol.AncillaryOrders, library.Ancillary);
        if (!orders.IsSuccess)
        {
            return orders.Refusal;
        }

        db.Protocols.Add(Row(protocol, by, reason.Trim()));
        db.Actor = by;
        try
        {
            var saved = await Conflicts.SaveAsync(db, "protocol", cancellationToken).ConfigureAwait(false);
            return saved.IsSuccess ? Outcome<Protocol>.Ok(protocol) : saved.Refusal;
        }
        catch (DbUpdateException)
        {
            // the (id, version) key was taken by a concurrent add or revision
            return Stale($"protocol {protocol.Id}: version {protocol.Version} was saved by someone else meanwhile; nothing was saved — reload and revise again.", $"protocol {protocol.Id}");
        }
    }

    // A version saved by someone else: the English sentence says which, the code lets a face translate it and the API
    // answer 409.
    private static Refusal Stale(FormattableString english, string what) =>
        new(english.ToString(CultureInfo.InvariantCulture), [Finding.Refused(FindingCodes.VersionConflict, FindingArg.Of("what", what))]);

    private async Task<List<ProtocolVersionInfo>> AllAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Protocols.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.ProtocolId, StringComparer.Ordinal).ThenBy(r => r.ProtocolVersion).Select(Info)];
    }

    private ProtocolRecord Row(Protocol p, UserId by, string reason) => new()
    {
        ProtocolId = p.Id,
        ProtocolVersion = p.Version,
        Name = p.Name,
        CreatedAt = clock.GetUtcNow(),
        CreatedBy = by,
        Reason = reason,
        Document = StateJson.Serialize(p),
    };

    private static ProtocolVersionInfo Info(ProtocolRecord r) => new(StateJson.Deserialize<Protocol>(r.Document), r.CreatedAt, r.CreatedBy, r.Reason);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,47}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
