using KetaCare.Clinic.Persistence;

namespace KetaCare.Web.Infrastructure;

/// <summary>Chooses the database from configuration.</summary>
public static class DatabaseChoice
{
    /// <summary>
    /// PostgreSQL when <c>ConnectionStrings:Postgres</c> is set (e.g. the environment variable
    /// <c>ConnectionStrings__Postgres</c>); otherwise the SQLite file of <c>ConnectionStrings:Sqlite</c> (a path) or
    /// the default <c>$KETACARE_DATA/ketacare.db</c> / <c>./data/ketacare.db</c>.
    /// </summary>
    public static ClinicDatabase From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var postgres = configuration.GetConnectionString("Postgres");
        if (!string.IsNullOrWhiteSpace(postgres))
        {
            return ClinicDatabase.PostgreSql(postgres);
        }

        var sqlite = configuration.GetConnectionString("Sqlite");
        return ClinicDatabase.Sqlite(string.IsNullOrWhiteSpace(sqlite) ? ClinicDatabase.DefaultSqlitePath() : sqlite);
    }
}
