using System.Globalization;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// Server-side checks of the sign-in cookie on every request. A cookie is only a claim that someone signed in; the
/// database decides whether that sign-in still stands: the account must exist, be unlocked, and carry the security
/// stamp the cookie was issued with (sign-out, a lock, a role change and a password reset all replace the stamp, so
/// every cookie issued before is refused at its next request, on every instance sharing the database). The clinic's
/// idle and absolute timeouts (<see cref="SessionTimeouts"/>) are checked against times kept in the cookie's
/// protected properties. Replaces Identity's interval-based stamp validator, which checks only every 30 minutes.
/// Thread-safe (a singleton; the timeouts are cached per instance for <see cref="SettingsCacheTime"/>).
/// </summary>
public sealed class SignInSessions(ClinicDatabase database, TimeProvider clock, ILogger<SignInSessions> log)
{
    /// <summary>How long an instance reuses the timeouts it read; a changed setting reaches every instance within this.</summary>
    public static readonly TimeSpan SettingsCacheTime = TimeSpan.FromSeconds(30);

    /// <summary>Granularity of the idle clock: the cookie is re-issued at most this often, not on every request.</summary>
    public static readonly TimeSpan SeenGranularity = TimeSpan.FromMinutes(1);

    private const string SignedInAtKey = "ketacare.signed-in-at";
    private const string SeenAtKey = "ketacare.seen-at";

    private volatile CachedTimeouts? _cached;

    /// <summary>Cookie event: stamps a new sign-in with its start (kept across refreshes) and last activity.</summary>
    public Task OnSigningInAsync(CookieSigningInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = Format(clock.GetUtcNow());
        context.Properties.Items.TryAdd(SignedInAtKey, now);
        context.Properties.Items[SeenAtKey] = now;
        return Task.CompletedTask;
    }

    /// <summary>Cookie event: refuses a cookie whose sign-in has ended; otherwise records the activity.</summary>
    public async Task OnValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var refusal = await RefusalAsync(context).ConfigureAwait(false);
        if (refusal is not null)
        {
            log.LogInformation("Sign-in cookie refused: {Reason}.", refusal);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme).ConfigureAwait(false);
            return;
        }

        var now = clock.GetUtcNow();
        if (Parse(context.Properties.GetString(SeenAtKey)) is not { } seen || now - seen >= SeenGranularity)
        {
            context.Properties.Items[SeenAtKey] = Format(now);
            context.ShouldRenew = true;
        }
    }

    /// <summary>Why the cookie no longer stands, or null when it does.</summary>
    private async Task<string?> RefusalAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var id = ClinicRequest.CurrentUser(principal);
        if (id is null)
        {
            return "no user id";
        }

        var timeouts = await TimeoutsAsync(context.HttpContext.RequestAborted).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        if (Parse(context.Properties.GetString(SignedInAtKey)) is not { } signedIn || now - signedIn > timeouts.Absolute)
        {
            return "absolute timeout";
        }

        if (Parse(context.Properties.GetString(SeenAtKey)) is not { } seen || now - seen > timeouts.Idle)
        {
            return "idle timeout";
        }

        var options = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value;
        var stamp = principal?.FindFirst(options.ClaimsIdentity.SecurityStampClaimType)?.Value;

        // Its own context: the request's scoped context is opened for the signed-in user, which is not known yet here.
        await using var db = database.Open(clock: clock);
        var key = id.Value.Value;
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == key)
            .Select(u => new { u.SecurityStamp, u.LockoutEnd })
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (account is null)
        {
            return "account gone";
        }

        if (account.LockoutEnd is { } end && end > now)
        {
            return "account locked";
        }

        return stamp is not null && string.Equals(stamp, account.SecurityStamp, StringComparison.Ordinal) ? null : "security stamp replaced";
    }

    private async Task<SessionTimeouts> TimeoutsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cached is { } c && now - c.ReadAt < SettingsCacheTime)
        {
            return c.Timeouts;
        }

        await using var db = database.Open(clock: clock);
        var (timeouts, _) = await SessionTimeouts.ReadAsync(new SettingsService(db, clock), cancellationToken).ConfigureAwait(false);
        _cached = new CachedTimeouts(timeouts, now);
        return timeouts;
    }

    /// <summary>Drops this instance's cached timeouts, so a change saved here applies from the next request.</summary>
    public void ForgetTimeouts() => _cached = null;

    private static string Format(DateTimeOffset t) => t.UtcTicks.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    private sealed record CachedTimeouts(SessionTimeouts Timeouts, DateTimeOffset ReadAt);
}
