using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Users;

/// <summary>One account as the administration screens and <c>ketacare users list</c> show it (never a password or hash).</summary>
/// <param name="Id">The account's id (the <see cref="UserId"/> the audit log records).</param>
/// <param name="UserName">Sign-in name.</param>
/// <param name="DisplayName">Shown name.</param>
/// <param name="Roles">Roles, in <see cref="ClinicRoles.All"/> order.</param>
/// <param name="LockedUntil">End of a lockout still in force (an administrator's lock ends at <see cref="DateTimeOffset.MaxValue"/>), or null.</param>
/// <param name="IsDemo">True for a demo account of the Development seed.</param>
/// <param name="CreatedAt">When the account was created (UTC).</param>
/// <param name="Stamp">Identity's concurrency stamp: a form carries it so that a change made against a stale view is refused.</param>
public sealed record UserSummary(UserId Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset? LockedUntil, bool IsDemo, DateTimeOffset CreatedAt, string Stamp)
{
    /// <summary>True when the account signs in with a password and an authenticator code.</summary>
    public bool TwoFactor { get; init; }

    /// <summary>True while the account cannot sign in.</summary>
    public bool IsLocked => LockedUntil is not null;

    /// <summary>True when an administrator locked it (rather than a run of failed sign-ins, which ends by itself).</summary>
    public bool IsLockedByAdministrator => LockedUntil == DateTimeOffset.MaxValue;
}

/// <summary>A new account: sign-in name, shown name, initial password and roles.</summary>
/// <param name="UserName">Sign-in name: letters, digits and - . _ @ +.</param>
/// <param name="DisplayName">Shown name, 1 to 200 characters.</param>
/// <param name="Password">Initial password (policy of <see cref="ClinicIdentity"/>); never stored or logged as text.</param>
/// <param name="Roles">At least one of <see cref="ClinicRoles.All"/>.</param>
public sealed record NewUser(string UserName, string DisplayName, string Password, IReadOnlyCollection<string> Roles);

/// <summary>The password and lockout policy shared by the web app and the command-line tool.</summary>
public static class ClinicIdentity
{
    /// <summary>Shortest password accepted (NIST SP 800-63B favours length over composition rules).</summary>
    public const int MinPasswordLength = 10;

    /// <summary>
    /// Applies the policy: at least <see cref="MinPasswordLength"/> characters with no forced symbol classes (the
    /// common-password checks are <see cref="CommonPasswordValidator"/>, added by <see cref="AddClinicPasswordPolicy"/>).
    /// Identity's own lockout settings stay for an administrator's lock; failed sign-ins are counted by
    /// <see cref="SignInGuard"/> per account and source.
    /// </summary>
    public static void Configure(IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Password.RequiredLength = MinPasswordLength;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Lockout.AllowedForNewUsers = true;
        options.User.RequireUniqueEmail = false;
    }

    /// <summary>Adds the password checks beyond length (<see cref="CommonPasswordValidator"/>) to an Identity registration.</summary>
    public static IdentityBuilder AddClinicPasswordPolicy(this IdentityBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddPasswordValidator<CommonPasswordValidator>();
    }
}

/// <summary>
/// User administration over ASP.NET Core Identity: list, create, change roles, lock and unlock, set a password. Every
/// change writes an audit event (who did what to which account, never the password) in the same transaction as the
/// change. Two rules keep the clinic administrable: nobody removes their own Admin role or locks their own account,
/// and the last administrator who can sign in keeps the role and stays unlocked. <paramref name="users"/> must work on
/// <paramref name="db"/> (the same scoped context), so the audit event and the change share one save. One instance per
/// unit of work; not thread-safe.
/// </summary>
/// <param name="users">Identity's user manager on <paramref name="db"/>.</param>
/// <param name="db">The context, acting as the administrator for the audit log.</param>
/// <param name="clock">The clock for creation times and lockout checks.</param>
public sealed class UserDirectory(UserManager<ClinicUser> users, KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The actor the audit log records for <c>ketacare users</c> run without <c>--by</c>: whoever can open the database
    /// file or connection string (e.g. creating the first administrator).
    /// </summary>
    public static UserId CommandLineOperator { get; } = new(Guid.Parse("5e5e0000-0000-0000-0000-000000000002"));

    /// <summary>Creates the roles (<see cref="ClinicRoles.Stored"/>) a database lacks (roles are not audited: they are part of the schema's setup).</summary>
    public static async Task<int> EnsureRolesAsync(RoleManager<IdentityRole<Guid>> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var created = 0;
        foreach (var role in ClinicRoles.Stored)
        {
            if (!await roles.RoleExistsAsync(role).ConfigureAwait(false))
            {
                var r = await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.NewGuid() }).ConfigureAwait(false);
                if (!r.Succeeded)
                {
                    throw new InvalidOperationException($"role {role}: " + string.Join("; ", r.Errors.Select(e => e.Description)));
                }

                created++;
            }
        }

        return created;
    }

    /// <summary>Every account by user name, with roles and lock state.</summary>
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken).ConfigureAwait(false);
        var roles = await RolesByUserAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Select(u => Summary(u, roles.TryGetValue(u.Id, out var r) ? r : []))];
    }

    /// <summary>One account by id or user name, or null.</summary>
    public async Task<UserSummary?> FindAsync(string idOrUserName, CancellationToken cancellationToken = default)
    {
        var user = await FindUserAsync(idOrUserName).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        var roles = await RolesByUserAsync(cancellationToken).ConfigureAwait(false);
        return Summary(user, roles.TryGetValue(user.Id, out var r) ? r : []);
    }

    /// <summary>Creates an account with its roles; refused (naming the field) for a bad or taken user name, a weak password or no role.</summary>
    public async Task<Outcome<UserSummary>> CreateAsync(NewUser request, UserId by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var roles = CheckRoles(request.Roles);
        if (!roles.IsSuccess)
        {
            return roles.Refusal;
        }

        var display = (request.DisplayName ?? string.Empty).Trim();
        if (display.Length is 0 or > 200)
        {
            return new Refusal("display name: must be 1 to 200 characters.", [Finding.Refused(FindingCodes.UserDisplayNameLength, FindingArg.Of("field", "display name"), FindingArg.Of("max", 200))]);
        }

        var user = new ClinicUser { Id = Guid.NewGuid(), UserName = (request.UserName ?? string.Empty).Trim(), DisplayName = display, CreatedAt = clock.GetUtcNow() };
        var valid = await ValidateAsync(user, request.Password).ConfigureAwait(false);
        if (!valid.IsSuccess)
        {
            return valid.Refusal;
        }

        var done = await InTransactionAsync(
            async () =>
            {
                Record(by, "user-create", user, $"{user.UserName} ({user.DisplayName}); roles {string.Join(", ", roles.Value)}");
                var created = await users.CreateAsync(user, request.Password).ConfigureAwait(false);
                if (!created.Succeeded)
                {
                    return Fail(created);
                }

                var added = await users.AddToRolesAsync(user, roles.Value).ConfigureAwait(false);
                return added.Succeeded ? Outcome.Ok() : Fail(added);
            },
            cancellationToken).ConfigureAwait(false);
        return done.IsSuccess
            ? Outcome<UserSummary>.Ok((await FindAsync(user.Id.ToString(), cancellationToken).ConfigureAwait(false))!)
            : done.Refusal;
    }

    /// <summary>
    /// Replaces an account's roles. Refused when <paramref name="by"/> would remove their own Admin role, when the
    /// account is the last administrator able to sign in, or when <paramref name="expectedStamp"/> (if given) is stale.
    /// </summary>
    public async Task<Outcome<UserSummary>> SetRolesAsync(UserId id, IReadOnlyCollection<string> roles, UserId by, string? expectedStamp = null, CancellationToken cancellationToken = default)
    {
        var wanted = CheckRoles(roles);
        if (!wanted.IsSuccess)
        {
            return wanted.Refusal;
        }

        return await ChangeAsync(
            id,
            expectedStamp,
            async user =>
            {
                var current = await users.GetRolesAsync(user).ConfigureAwait(false);
                var removesAdmin = current.Contains(ClinicRoles.Admin, StringComparer.Ordinal) && !wanted.Value.Contains(ClinicRoles.Admin, StringComparer.Ordinal);
                if (removesAdmin && user.Id == by.Value)
                {
                    return new Refusal("roles: you cannot remove your own Admin role; another administrator must do it.", [Finding.Refused(FindingCodes.UserOwnAdminRole, FindingArg.Of("field", "roles"))]);
                }

                if (removesAdmin && await IsLastActiveAdminAsync(user).ConfigureAwait(false))
                {
                    return new Refusal(
                        $"roles: {user.UserName} is the last administrator who can sign in; give another account the Admin role first.",
                        [Finding.Refused(FindingCodes.UserLastAdminRole, FindingArg.Of("field", "roles"), FindingArg.Of("user", user.UserName ?? string.Empty))]);
                }

                var remove = current.Except(wanted.Value, StringComparer.Ordinal).ToList();
                var add = wanted.Value.Except(current, StringComparer.Ordinal).ToList();
                if (remove.Count == 0 && add.Count == 0)
                {
                    return Outcome.Ok();
                }

                Record(by, "user-roles", user, $"{user.UserName}: roles {Roles(current)} → {Roles(wanted.Value)}");
                var removed = remove.Count == 0 ? IdentityResult.Success : await users.RemoveFromRolesAsync(user, remove).ConfigureAwait(false);
                if (!removed.Succeeded)
                {
                    return Fail(removed);
                }

                var added = add.Count == 0 ? IdentityResult.Success : await users.AddToRolesAsync(user, add).ConfigureAwait(false);

                // The roles travel in the sign-in cookie: a new stamp ends the account's sign-ins, so the next request
                // signs in again and carries the new roles (a demoted nurse stops writing at once).
                var stamped = added.Succeeded ? await users.UpdateSecurityStampAsync(user).ConfigureAwait(false) : added;
                return stamped.Succeeded ? Outcome.Ok() : Fail(stamped);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locks an account until an administrator unlocks it; its open sessions end at their next check. Refused for one's own account and for the last administrator.</summary>
    public Task<Outcome<UserSummary>> LockAsync(UserId id, UserId by, string? expectedStamp = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            id,
            expectedStamp,
            async user =>
            {
                if (user.Id == by.Value)
                {
                    return new Refusal("lock: you cannot lock your own account.", [Finding.Refused(FindingCodes.UserLockOwn, FindingArg.Of("field", "lock"))]);
                }

                if (await users.IsInRoleAsync(user, ClinicRoles.Admin).ConfigureAwait(false) && await IsLastActiveAdminAsync(user).ConfigureAwait(false))
                {
                    return new Refusal(
                        $"lock: {user.UserName} is the last administrator who can sign in; it cannot be locked.",
                        [Finding.Refused(FindingCodes.UserLockLastAdmin, FindingArg.Of("field", "lock"), FindingArg.Of("user", user.UserName ?? string.Empty))]);
                }

                Record(by, "user-lock", user, $"{user.UserName}: locked by an administrator");
                var enabled = await users.SetLockoutEnabledAsync(user, true).ConfigureAwait(false);
                var locked = enabled.Succeeded ? await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue).ConfigureAwait(false) : enabled;

                // A new security stamp makes the cookie validation sign the account out everywhere.
                var stamped = locked.Succeeded ? await users.UpdateSecurityStampAsync(user).ConfigureAwait(false) : locked;
                return stamped.Succeeded ? Outcome.Ok() : Fail(stamped);
            },
            cancellationToken);

    /// <summary>Unlocks an account (an administrator's lock or one after failed sign-ins) and clears its counted failed sign-ins from every source; nothing is written for an account that is not locked.</summary>
    public Task<Outcome<UserSummary>> UnlockAsync(UserId id, UserId by, string? expectedStamp = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            id,
            expectedStamp,
            async user =>
            {
                var failures = await SignInGuard.ClearAsync(db, user.Id, cancellationToken).ConfigureAwait(false);
                if ((user.LockoutEnd is null || user.LockoutEnd <= clock.GetUtcNow()) && user.AccessFailedCount == 0 && failures == 0)
                {
                    return Outcome.Ok();
                }

                Record(by, "user-unlock", user, $"{user.UserName}: unlocked");
                var unlocked = await users.SetLockoutEndDateAsync(user, null).ConfigureAwait(false);
                var reset = unlocked.Succeeded ? await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false) : unlocked;
                return reset.Succeeded ? Outcome.Ok() : Fail(reset);
            },
            cancellationToken);

    /// <summary>
    /// Turns two-factor sign-in off for someone who lost the phone: the authenticator key is replaced and the recovery
    /// codes are void, so the user signs in with the password and sets up the app again. The new security stamp ends
    /// the account's open sessions. Audited; nothing is written for an account without two-factor sign-in.
    /// </summary>
    public Task<Outcome<UserSummary>> ResetTwoFactorAsync(UserId id, UserId by, string? expectedStamp = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(
            id,
            expectedStamp,
            async user =>
            {
                if (!user.TwoFactorEnabled)
                {
                    return Outcome.Ok();
                }

                Record(by, "user-2fa-reset", user, $"{user.UserName}: two-factor sign-in reset by an administrator");
                var key = await ClearSecondFactorAsync(users, user).ConfigureAwait(false);
                return key.Succeeded ? Outcome.Ok() : Fail(key);
            },
            cancellationToken);

    /// <summary>
    /// Turns two-factor sign-in off and makes the old second factor useless: a new authenticator key (the old app's codes
    /// stop working) and no recovery codes. The user sets it up again after signing in.
    /// </summary>
    internal static async Task<IdentityResult> ClearSecondFactorAsync(UserManager<ClinicUser> users, ClinicUser user)
    {
        var off = await users.SetTwoFactorEnabledAsync(user, false).ConfigureAwait(false);
        var key = off.Succeeded ? await users.ResetAuthenticatorKeyAsync(user).ConfigureAwait(false) : off;
        if (key.Succeeded)
        {
            _ = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0).ConfigureAwait(false);
        }

        return key;
    }

    /// <summary>Sets a new password (e.g. a forgotten one); the account's open sessions end at their next check. The audit event records that it happened, never the password.</summary>
    public async Task<Outcome<UserSummary>> SetPasswordAsync(UserId id, string password, UserId by, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(id.ToString()).ConfigureAwait(false);
        if (user is null)
        {
            return Missing(id);
        }

        var valid = await ValidatePasswordAsync(users, user, password).ConfigureAwait(false);
        if (!valid.IsSuccess)
        {
            return valid.Refusal;
        }

        return await ChangeAsync(
            id,
            null,
            async u =>
            {
                Record(by, "user-password", u, $"{u.UserName}: password set by an administrator");
                var removed = await users.RemovePasswordAsync(u).ConfigureAwait(false);
                var added = removed.Succeeded ? await users.AddPasswordAsync(u, password).ConfigureAwait(false) : removed;
                var stamped = added.Succeeded ? await users.UpdateSecurityStampAsync(u).ConfigureAwait(false) : added;
                return stamped.Succeeded ? Outcome.Ok() : Fail(stamped);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<Outcome<UserSummary>> ChangeAsync(UserId id, string? expectedStamp, Func<ClinicUser, Task<Outcome>> change, CancellationToken cancellationToken)
    {
        var done = await InTransactionAsync(
            async () =>
            {
                var user = await users.FindByIdAsync(id.ToString()).ConfigureAwait(false);
                if (user is null)
                {
                    return Missing(id);
                }

                if (expectedStamp is not null && !string.Equals(user.ConcurrencyStamp, expectedStamp, StringComparison.Ordinal))
                {
                    return new Refusal($"user {user.UserName}: changed by someone else since you opened it; nothing was saved — reload it and apply your change again.", [Finding.Refused(FindingCodes.VersionConflict, FindingArg.Of("what", $"user {user.UserName}"))]);
                }

                return await change(user).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        if (!done.IsSuccess)
        {
            return done.Refusal;
        }

        return Outcome<UserSummary>.Ok((await FindAsync(id.ToString(), cancellationToken).ConfigureAwait(false))!);
    }

    /// <summary>
    /// Runs the change in one transaction: the audit event written with the first save and the Identity rows of the
    /// later saves commit together, or nothing does.
    /// </summary>
    private async Task<Outcome> InTransactionAsync(Func<Task<Outcome>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work().ConfigureAwait(false);
        }

        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        Outcome result;
        try
        {
            result = await work().ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            result = new Refusal("user: changed by someone else while you were editing; nothing was saved — reload it and apply your change again.", [Finding.Refused(FindingCodes.VersionConflict, FindingArg.Of("what", "user"))]);
        }

        if (result.IsSuccess)
        {
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
        }

        return result;
    }

    private void Record(UserId by, string action, ClinicUser user, string detail)
    {
        db.Actor = by;
        db.RecordEvent(action, "user", user.Id.ToString("D"), detail);
    }

    private async Task<Outcome> ValidateAsync(ClinicUser user, string? password)
    {
        foreach (var v in users.UserValidators)
        {
            var r = await v.ValidateAsync(users, user).ConfigureAwait(false);
            if (!r.Succeeded)
            {
                return Fail(r);
            }
        }

        return await ValidatePasswordAsync(users, user, password).ConfigureAwait(false);
    }

    /// <summary>The clinic's password rules for <paramref name="user"/>: a password is required and every validator of the user manager must accept it; one finding per broken rule.</summary>
    internal static async Task<Outcome> ValidatePasswordAsync(UserManager<ClinicUser> users, ClinicUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"password: required, at least {ClinicIdentity.MinPasswordLength} characters."),
                [Finding.Refused(FindingCodes.UserPasswordRequired, FindingArg.Of("field", "password"), FindingArg.Of("min", ClinicIdentity.MinPasswordLength))]);
        }

        foreach (var v in users.PasswordValidators)
        {
            var r = await v.ValidateAsync(users, user, password).ConfigureAwait(false);
            if (!r.Succeeded)
            {
                return Fail(r);
            }
        }

        return Outcome.Ok();
    }

    private async Task<bool> IsLastActiveAdminAsync(ClinicUser user)
    {
        var now = clock.GetUtcNow();
        var admins = await users.GetUsersInRoleAsync(ClinicRoles.Admin).ConfigureAwait(false);
        return !admins.Any(a => a.Id != user.Id && (a.LockoutEnd is null || a.LockoutEnd <= now));
    }

    private async Task<ClinicUser?> FindUserAsync(string idOrUserName) =>
        Guid.TryParse(idOrUserName, out var g)
            ? await users.FindByIdAsync(g.ToString()).ConfigureAwait(false)
            : await users.FindByNameAsync(idOrUserName.Trim()).ConfigureAwait(false);

    private async Task<Dictionary<Guid, List<string>>> RolesByUserAsync(CancellationToken cancellationToken)
    {
        var pairs = await (from ur in db.UserRoles.AsNoTracking()
                           join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => ClinicRoles.Stored.Where(r => g.Any(p => p.Name == r)).ToList());
    }

    private UserSummary Summary(ClinicUser u, IReadOnlyList<string> roles)
    {
        var lockedUntil = u.LockoutEnd is { } end && end > clock.GetUtcNow() ? end : (DateTimeOffset?)null;
        return new UserSummary(u.ClinicId, u.UserName ?? string.Empty, u.DisplayName, roles, lockedUntil, u.IsDemo, u.CreatedAt, u.ConcurrencyStamp ?? string.Empty) { TwoFactor = u.TwoFactorEnabled };
    }

    private static Outcome<List<string>> CheckRoles(IReadOnlyCollection<string>? roles)
    {
        var all = string.Join(", ", ClinicRoles.All);
        if (roles is null || roles.Count == 0)
        {
            return new Refusal($"roles: choose at least one of {all}.", [Finding.Refused(FindingCodes.UserRolesEmpty, FindingArg.Of("field", "roles"), FindingArg.Of("roles", all))]);
        }

        var unknown = roles.FirstOrDefault(r => !ClinicRoles.All.Contains(r, StringComparer.Ordinal));
        return unknown is not null
            ? new Refusal($"roles: \"{unknown}\" is not a role; choose from {all}.", [Finding.Refused(FindingCodes.UserRoleUnknown, FindingArg.Of("field", "roles"), FindingArg.Of("text", unknown), FindingArg.Of("roles", all))])
            : Outcome<List<string>>.Ok([.. ClinicRoles.All.Where(r => roles.Contains(r, StringComparer.Ordinal))]);
    }

    private static string Roles(IEnumerable<string> roles)
    {
        var list = roles.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    private static Refusal Missing(UserId id) => new($"user: no account with id {id}.", [Finding.Refused(FindingCodes.UserUnknown, FindingArg.Of("field", "user"), FindingArg.Of("id", id.ToString()))]);

    /// <summary>Identity's errors as one refusal naming the field (user name, password or user).</summary>
    private static Refusal Fail(IdentityResult result)
    {
        var parts = result.Errors.Select(e =>
        {
            var field = e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : e.Code.Contains("UserName", StringComparison.Ordinal) ? "user name"
                : e.Code.Contains("Concurrency", StringComparison.Ordinal) ? "user"
                : e.Code.Contains("Role", StringComparison.Ordinal) ? "roles"
                : "user";
            return (Text: string.Create(CultureInfo.InvariantCulture, $"{field}: {e.Description}"),
                Finding: Finding.Refused(FindingCodes.UserIdentityRefused, FindingArg.Of("field", field), FindingArg.Of("rule", e.Code), FindingArg.Of("text", e.Description)));
        }).ToList();
        return new Refusal(string.Join(" ", parts.Select(p => p.Text)), [.. parts.Select(p => p.Finding)]);
    }
}
