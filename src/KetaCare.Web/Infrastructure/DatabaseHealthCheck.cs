using KetaCare.Clinic.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KetaCare.Web.Infrastructure;

/// <summary>Readiness: the database answers and its schema is at the latest migration.</summary>
internal sealed class DatabaseHealthCheck(ClinicDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = database.Open();
            if (!await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false))
            {
                return HealthCheckResult.Unhealthy("database: cannot connect");
            }

            var pending = await database.PendingMigrationsAsync(cancellationToken).ConfigureAwait(false);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("database: " + database.Provider)
                : HealthCheckResult.Unhealthy($"database: {pending.Count} migration(s) pending");
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database: " + e.GetType().Name);
        }
    }
}
