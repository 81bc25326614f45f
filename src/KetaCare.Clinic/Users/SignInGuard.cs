using System.Collections.Concurrent;
using System.Globalization;
using KetaCare.Clinic.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Users;

/// <summary>What a sign-in attempt came to.</summary>
public enum SignInVerdict
{
    /// <summary>The password is right; the caller signs the user in.</summary>
    Succeeded,

    /// <summary>Unknown user name or wrong password (the two are not told apart).</summary>
    Failed,

    /// <summary>Too many recent failures for this account (from this source, or from all sources together); the password was not checked.</summary>
    Throttled,

    /// <summary>An administrator locked the account; the password was not checked.</summary>
    Locked,
}

/// <summary>The verdict, the account when it succeeded, and how long a throttle lasts.</summary>
/// <param name="Verdict">What the attempt came to.</param>
/// <param name="User">The account, only when <see cref="SignInVerdict.Succeeded"/>.</param>
/// <param name="RetryAfter">For <see cref="SignInVerdict.Throttled"/>: when the oldest counted failure leaves the window.</param>
public sealed record SignInAttempt(SignInVerdict Verdict, ClinicUser? User, TimeSpan RetryAfter);

/// <summary>
/// Password sign-in with failures counted so that a burst cannot get past them and an attacker cannot lock someone
/// else out for long. Failures are counted per account and source address (<see cref="PerSourceLimit"/> within
/// <see cref="Window"/>), with a backstop per account over all sources (<see cref="PerAccountLimit"/>), so a guesser
/// from one address blocks only that address while the clinician signs in from her own. Each attempt first records a
/// failure row in the database and then counts: the k-th attempt to commit sees at least k rows, so however many
/// requests arrive at once, no more than the limit have their password checked (atomic on SQLite and PostgreSQL, and
/// across instances, without a lock). A right password removes that source's failures. Unknown user names cost one
/// password hash too, so timing does not tell which accounts exist, and they are throttled in memory by the same
/// rule, so the "locked" answer does not tell either. Failure rows live in Identity's user-token table
/// (<see cref="Provider"/>); no schema change. One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="users">Identity's user manager on <paramref name="db"/>.</param>
/// <param name="db">The context the failure rows are written with.</param>
/// <param name="clock">The clock of the window.</param>
public sealed class SignInGuard(UserManager<ClinicUser> users, KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>The user-token provider name of failure rows (never a real login provider).</summary>
    public const string Provider = "[ketacare:sign-in-failure]";

    /// <summary>Failed sign-ins counted per account and source address within <see cref="Window"/> before that source is refused.</summary>
    public const int PerSourceLimit = 5;

    /// <summary>Failed sign-ins per account from all sources within <see cref="Window"/> before every source is refused (the backstop against many addresses).</summary>
    public const int PerAccountLimit = 50;

    /// <summary>How long a failure counts.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Longest source label kept (an IPv6 address with zone fits).</summary>
    private const int MaxSourceLength = 64;

    /// <summary>Longest user name looked up; longer ones cannot exist (Identity's column is 256).</summary>
    private const int MaxUserNameLength = 256;

    private const int MaxUnknownEntries = 10_000;

    // Failure rows of the code step start with this, so a right password never clears wrong codes.
    private const string CodePrefix = "code:";

    private static readonly ConcurrentDictionary<string, UnknownFailures> Unknown = new(StringComparer.Ordinal);
    private static string? _dummyHash;

    /// <summary>Checks <paramref name="password"/> for <paramref name="userName"/> coming from <paramref name="source"/> (e.g. the client's IP address).</summary>
    public async Task<SignInAttempt> CheckAsync(string? userName, string? password, string? source, CancellationToken cancellationToken = default)
    {
        var name = (userName ?? string.Empty).Trim();
        var from = Source(source);
        password ??= string.Empty;
        var now = clock.GetUtcNow();
        var user = name.Length is 0 or > MaxUserNameLength ? null : await users.FindByNameAsync(name).ConfigureAwait(false);
        if (user is null)
        {
            HashDummy(password);
            var unknown = UnknownAttempt(from, users.NormalizeName(name) ?? name, now, out var failures);
            if (unknown.Verdict == SignInVerdict.Failed)
            {
                await Task.Delay(FailureDelay(failures), cancellationToken).ConfigureAwait(false);
            }

            return unknown;
        }

        if (user.LockoutEnd is { } end && end > now)
        {
            HashDummy(password);
            return new SignInAttempt(SignInVerdict.Locked, null, TimeSpan.Zero);
        }

        // Record the failure before counting (see the class summary): this row is what makes the count atomic.
        var prefix = from + "|";
        var mine = await RecordFailureAsync(user.Id, prefix, now, cancellationToken).ConfigureAwait(false);

        var rows = await db.UserTokens.AsNoTracking()
            .Where(t => t.UserId == user.Id && t.LoginProvider == Provider)
            .Select(t => new { t.Name, t.Value })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = now - Window;
        var expired = rows.Where(r => At(r.Value) <= cutoff).Select(r => r.Name).ToList();
        if (expired.Count > 0)
        {
            await db.UserTokens.Where(t => t.UserId == user.Id && t.LoginProvider == Provider && expired.Contains(t.Name))
                .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var recent = rows.Where(r => At(r.Value) > cutoff).Select(r => (r.Name, At: At(r.Value))).ToList();
        var fromSource = recent.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var over = fromSource.Count > PerSourceLimit ? fromSource : recent.Count > PerAccountLimit ? recent : null;
        if (over is not null)
        {
            await DeleteAsync(user.Id, t => t.Name == mine.Name, cancellationToken).ConfigureAwait(false);
            HashDummy(password);
            var oldest = over.Where(r => r.Name != mine.Name).Select(r => r.At).DefaultIfEmpty(now).Min();
            return new SignInAttempt(SignInVerdict.Throttled, null, oldest + Window - now);
        }

        if (!await users.CheckPasswordAsync(user, password).ConfigureAwait(false))
        {
            await Task.Delay(FailureDelay(fromSource.Count), cancellationToken).ConfigureAwait(false);
            return new SignInAttempt(SignInVerdict.Failed, null, TimeSpan.Zero);
        }

        await DeleteAsync(user.Id, t => t.Name.StartsWith(prefix), cancellationToken).ConfigureAwait(false);
        return new SignInAttempt(SignInVerdict.Succeeded, user, TimeSpan.Zero);
    }

    /// <summary>
    /// The second step of a sign-in with two factors: checks <paramref name="code"/> — the authenticator app's current
    /// six-digit code or one of the account's unused recovery codes (used up by this) — for <paramref name="user"/>,
    /// whose password was already checked. Wrong codes are counted like wrong passwords (a failure row first, then the
    /// count; <see cref="PerSourceLimit"/> per source within <see cref="Window"/>, the same pauses), in a count of their
    /// own, so a million possible codes cannot be tried.
    /// </summary>
    public async Task<SignInAttempt> CheckCodeAsync(ClinicUser user, string? code, string? source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var prefix = CodePrefix + Source(source) + "|";
        var now = clock.GetUtcNow();
        if (user.LockoutEnd is { } end && end > now)
        {
            return new SignInAttempt(SignInVerdict.Locked, null, TimeSpan.Zero);
        }

        var mine = await RecordFailureAsync(user.Id, prefix, now, cancellationToken).ConfigureAwait(false);
        var cutoff = now - Window;
        var rows = await db.UserTokens.AsNoTracking()
            .Where(t => t.UserId == user.Id && t.LoginProvider == Provider && t.Name.StartsWith(prefix))
            .Select(t => new { t.Name, t.Value })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var recent = rows.Where(r => At(r.Value) > cutoff).Select(r => (r.Name, At: At(r.Value))).ToList();
        if (recent.Count > PerSourceLimit)
        {
            await DeleteAsync(user.Id, t => t.Name == mine.Name, cancellationToken).ConfigureAwait(false);
            var oldest = recent.Where(r => r.Name != mine.Name).Select(r => r.At).DefaultIfEmpty(now).Min();
            return new SignInAttempt(SignInVerdict.Throttled, null, oldest + Window - now);
        }

        var typed = new string((code ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        var right = typed.Length is > 0 and <= 64
            && (await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, typed).ConfigureAwait(false)
                || (await users.RedeemTwoFactorRecoveryCodeAsync(user, (code ?? string.Empty).Trim()).ConfigureAwait(false)).Succeeded);
        if (!right)
        {
            await Task.Delay(FailureDelay(recent.Count), cancellationToken).ConfigureAwait(false);
            return new SignInAttempt(SignInVerdict.Failed, null, TimeSpan.Zero);
        }

        await DeleteAsync(user.Id, t => t.Name.StartsWith(prefix), cancellationToken).ConfigureAwait(false);
        return new SignInAttempt(SignInVerdict.Succeeded, user, TimeSpan.Zero);
    }

    /// <summary>
    /// The pause before answering the <paramref name="failures"/>-th failed sign-in of an account from one source within
    /// <see cref="Window"/>: none for the first (a typo costs nothing), then 0.25 s doubling to at most 2 s. Guessing
    /// gets slower with every try on top of the count limit; unknown user names get the same pauses, so the pause does
    /// not tell them apart either.
    /// </summary>
    public static TimeSpan FailureDelay(int failures) =>
        failures <= 1 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(2000, 250 << Math.Min(failures - 2, 4)));

    // Written before the check and counted after it: the row is what makes the count atomic (see the class summary).
    private async Task<IdentityUserToken<Guid>> RecordFailureAsync(Guid userId, string prefix, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new IdentityUserToken<Guid>
        {
            UserId = userId,
            LoginProvider = Provider,
            Name = prefix + Guid.NewGuid().ToString("N"),
            Value = now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture),
        };
        db.UserTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.Entry(row).State = EntityState.Detached;
        return row;
    }

    /// <summary>Removes every counted failure of an account (an administrator's unlock); returns how many there were.</summary>
    public static Task<int> ClearAsync(KetaCareDbContext db, Guid userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider).ExecuteDeleteAsync(cancellationToken);
    }

    private Task<int> DeleteAsync(Guid userId, System.Linq.Expressions.Expression<Func<IdentityUserToken<Guid>, bool>> which, CancellationToken cancellationToken) =>
        db.UserTokens.Where(t => t.UserId == userId && t.LoginProvider == Provider).Where(which).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Unknown names get the answers a real account would get, so neither timing nor the lock message tells them apart.</summary>
    private SignInAttempt UnknownAttempt(string source, string normalisedName, DateTimeOffset now, out int failures)
    {
        if (Unknown.Count >= MaxUnknownEntries)
        {
            Unknown.Clear(); // bounded memory under a spray of names; the database-backed limits guard real accounts
        }

        var entry = Unknown.AddOrUpdate(
            source + "|" + normalisedName,
            _ => new UnknownFailures(1, now),
            (_, e) => now - e.First > Window ? new UnknownFailures(1, now) : e with { Count = e.Count + 1 });
        failures = entry.Count;
        return entry.Count > PerSourceLimit
            ? new SignInAttempt(SignInVerdict.Throttled, null, entry.First + Window - now)
            : new SignInAttempt(SignInVerdict.Failed, null, TimeSpan.Zero);
    }

    private void HashDummy(string password)
    {
        var dummy = new ClinicUser();
        var hash = _dummyHash ??= users.PasswordHasher.HashPassword(dummy, "a password no account has " + Guid.NewGuid().ToString("N"));
        _ = users.PasswordHasher.VerifyHashedPassword(dummy, hash, password);
    }

    private static string Source(string? source)
    {
        var s = string.IsNullOrWhiteSpace(source) ? "unknown" : source.Trim();
        s = s.Replace("|", "/", StringComparison.Ordinal);
        return s.Length > MaxSourceLength ? s[..MaxSourceLength] : s;
    }

    private static DateTimeOffset At(string? ticks) =>
        long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t >= DateTimeOffset.MinValue.UtcTicks && t <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : DateTimeOffset.MinValue;

    private sealed record UnknownFailures(int Count, DateTimeOffset First);
}
