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
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
    }
}
