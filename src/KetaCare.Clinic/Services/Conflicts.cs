using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Services;

/// <summary>Optimistic-concurrency checks shared by the services.</summary>
internal static class Conflicts
{
    /// <summary>A refusal when the stored version is not the one the user edited.</summary>
    public static Refusal? Check(string what, long stored, long expected) => stored == expected
        ? null
        : Refusal.Coded(FindingCodes.VersionConflict, FindingArg.Of("what", what), FindingArg.Of("expected", expected), FindingArg.Of("stored", stored));

    /// <summary>
    /// Saves one unit of work. A concurrent save that won the race becomes a refusal; any failure leaves the context
    /// empty, so nothing half-done is saved by a later call on the same context.
    /// </summary>
    public static async Task<Outcome> SaveAsync(KetaCareDbContext db, string what, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return Outcome.Ok();
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Refusal.Coded(FindingCodes.VersionConflict, FindingArg.Of("what", what));
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            // Two saves raced past the service's "is it taken?" check (two registrations of one record number at
            // once): the database's unique index decides, and the loser is told like any other concurrent change.
            db.ChangeTracker.Clear();
            return new Refusal(
                $"{what}: changed by someone else while you were saving — a record with the same unique value (such as the record number) was saved first; nothing was saved — reload and check before trying again.",
                [Finding.Refused(FindingCodes.UniqueConflict, FindingArg.Of("what", what))]);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }

    /// <summary>True for a unique-constraint violation: SQLite's SQLITE_CONSTRAINT_UNIQUE (2067) or PRIMARYKEY (1555), PostgreSQL's 23505.</summary>
    internal static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        Npgsql.PostgresException p => p.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
