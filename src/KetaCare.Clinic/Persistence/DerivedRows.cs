using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Persistence;

/// <summary>Saving rows derived from clinical records (stored exposures, course facts), which any reader may write.</summary>
internal static class DerivedRows
{
    /// <summary>
    /// Saves the pending <typeparamref name="T"/> rows and stops tracking them. Two readers storing the same rows at once is
    /// harmless: the one that loses keeps its computed values, and the next read checks the stored inputs again.
    /// </summary>
    public static async Task SaveAsync<T>(KetaCareDbContext db, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another reader stored (or replaced) the same rows first; see the summary.
        }
        finally
        {
            foreach (var entry in db.ChangeTracker.Entries<T>().ToList())
            {
                entry.State = EntityState.Detached;
            }
        }
    }
}
