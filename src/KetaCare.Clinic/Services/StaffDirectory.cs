using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>Who a user is at the moment of a step: registered or not, active or locked, and their roles.</summary>
public interface IStaffDirectory
{
    /// <summary>The member of staff with this id, or null when no such account is registered.</summary>
    Task<StaffMember?> FindAsync(UserId id, CancellationToken cancellationToken = default);
}

/// <summary>
/// The staff directory of the clinic database (the accounts ASP.NET Core Identity keeps): an account locked by an
/// administrator or by failed sign-ins is not active. Reads no chart and writes nothing.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock lockouts are compared with.</param>
public sealed class StaffDirectory(KetaCareDbContext db, TimeProvider clock) : IStaffDirectory
{
    /// <inheritdoc/>
    public async Task<StaffMember?> FindAsync(UserId id, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id.Value).Select(u => new { u.LockoutEnd }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return null;
        }

        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == id.Value
                           select r.Name).ToListAsync(cancellationToken).ConfigureAwait(false);

        // Compared here rather than in SQL: SQLite stores DateTimeOffset as text.
        var active = user.LockoutEnd is not { } end || end <= clock.GetUtcNow();
        return new StaffMember(id, active, [.. roles.OfType<string>()]);
    }
}

/// <summary>
/// A staff directory of a fixed list of people, for callers that declare their own staff (the demo seed's three
/// clinicians; tests). Anyone not on the list is unknown.
/// </summary>
/// <param name="staff">The members of staff.</param>
public sealed class FixedStaffDirectory(IEnumerable<StaffMember> staff) : IStaffDirectory
{
    private readonly Dictionary<UserId, StaffMember> _staff = staff.ToDictionary(m => m.Id);

    /// <inheritdoc/>
    public Task<StaffMember?> FindAsync(UserId id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_staff.TryGetValue(id, out var m) ? m : null);
}
