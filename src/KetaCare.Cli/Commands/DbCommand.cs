using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare db migrate|seed|backup|verify-audit</c>: administration of the clinic database. The database is a
/// SQLite file (<c>--database</c>, default <c>$KETACARE_DATA/ketacare.db</c> or <c>./data/ketacare.db</c>) or a
/// PostgreSQL database (<c>--connection</c>, or the environment variable <c>ConnectionStrings__Postgres</c>).
/// </summary>
internal static class DbCommand
{
    /// <summary>Environment variable with a PostgreSQL connection string, used when neither option is given.</summary>
    public const string PostgresVariable = "ConnectionStrings__Postgres";

    internal static Command Create(CliContext context)
    {
        var database = new Option<string?>("--database") { Description = "SQLite database file (default: $KETACARE_DATA/ketacare.db, else ./data/ketacare.db).", Recursive = true };
        var connection = new Option<string?>("--connection") { Description = $"PostgreSQL connection string, e.g. \"Host=localhost;Username=ketacare;Password=…;Database=ketacare\" (default: ${PostgresVariable}).", Recursive = true };
        var command = new Command("db", "Clinic database: create or upgrade the schema, write demo data, back up, check the audit log.") { database, connection };

        var migrate = new Command("migrate", "Create the schema on a new database or upgrade it to this version (SQLite: creates the file and its folder, WAL journal).");
        migrate.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: false, (db, c) => MigrateAsync(context, db, c), ct));

        var cohort = new Option<int?>("--cohort") { Description = $"Also write this many synthetic, de-identified patients with whole courses for the clinic analytics (1–{DemoSeed.MaxCohort}; about 0.15 s each, one transaction a patient)." };
        var cohortSeed = new Option<int>("--cohort-seed") { Description = "Random seed of the synthetic cohort; the same seed writes the same patients.", DefaultValueFactory = _ => DemoSeed.DefaultCohortSeed };
        var seed = new Command("seed", "Write demo patients, plans and completed sessions (once; refused on a database holding real patients).") { cohort, cohortSeed };
        seed.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => SeedAsync(context, db, parse.GetValue(cohort), parse.GetValue(cohortSeed), c), ct));

        var output = new Argument<string?>("file") { Description = "Backup file to write (default: a time-stamped file in a 'backups' folder beside the database). SQLite: a database file; PostgreSQL: a pg_dump custom-format archive.", Arity = ArgumentArity.ZeroOrOne };
        var backup = new Command("backup", "Back up the database while it is in use: SQLite online backup, or pg_dump for PostgreSQL.") { output };
        backup.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => BackupAsync(context, db, parse.GetValue(output), c), ct));

        var verify = new Command("verify-audit", "Check the audit log's hash chain; names every altered, inserted or deleted event. Exit code 0 when intact, 1 otherwise.");
        verify.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => VerifyAsync(context, db, c), ct));

        command.Subcommands.Add(migrate);
        command.Subcommands.Add(seed);
        command.Subcommands.Add(backup);
        command.Subcommands.Add(verify);
        return command;
    }

    /// <summary>Chooses the database: <c>--connection</c>, then <c>--database</c>, then the PostgreSQL variable, then the default SQLite file.</summary>
    internal static Outcome<ClinicDatabase> Resolve(string? database, string? connection, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(database) && !string.IsNullOrWhiteSpace(connection))
        {
            return Outcome<ClinicDatabase>.Fail("--database and --connection: give one or the other (a SQLite file or a PostgreSQL connection string).");
        }

        try
        {
            if (!string.IsNullOrWhiteSpace(connection))
            {
                return Outcome<ClinicDatabase>.Ok(ClinicDatabase.PostgreSql(connection));
            }

            if (!string.IsNullOrWhiteSpace(database))
            {
                return Outcome<ClinicDatabase>.Ok(ClinicDatabase.Sqlite(database));
            }

            var fromEnvironment = environment(PostgresVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return Outcome<ClinicDatabase>.Ok(ClinicDatabase.PostgreSql(fromEnvironment));
            }

            var folder = environment("KETACARE_DATA");
            return Outcome<ClinicDatabase>.Ok(ClinicDatabase.Sqlite(Path.Combine(string.IsNullOrWhiteSpace(folder) ? "data" : folder, "ketacare.db")));
        }
        catch (ArgumentException e)
        {
            return Outcome<ClinicDatabase>.Fail("--connection: not a valid connection string (" + e.Message + ").");
        }
    }

    internal static async Task<int> Run(CliContext context, string? database, string? connection, bool requireSchema, Func<ClinicDatabase, CancellationToken, Task<int>> action, CancellationToken ct)
    {
        var db = Resolve(database, connection, Environment.GetEnvironmentVariable);
        if (!db.IsSuccess)
        {
            return context.UsageError(db.Error);
        }

        try
        {
            if (requireSchema)
            {
                if (db.Value.SqlitePath is { } path && !File.Exists(path))
                {
                    return context.Refused($"no database at {path}; create it with 'ketacare db migrate'.");
                }

                var pending = await db.Value.PendingMigrationsAsync(ct).ConfigureAwait(false);
                if (pending.Count > 0)
                {
                    return context.Refused($"{db.Value.Description} needs {pending.Count} migration(s) ({string.Join(", ", pending)}); run 'ketacare db migrate' first.");
                }
            }

            return await action(db.Value, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SqliteException or NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return context.Refused($"cannot use {db.Value.Description}: {e.Message}");
        }
    }

    private static async Task<int> MigrateAsync(CliContext context, ClinicDatabase db, CancellationToken ct)
    {
        var applied = await db.MigrateAsync(ct).ConfigureAwait(false);
        context.Out.WriteLine(applied.Count == 0
            ? $"{db.Description} is up to date."
            : string.Create(CultureInfo.InvariantCulture, $"{db.Description}: applied {applied.Count} migration(s): {string.Join(", ", applied)}."));
        await SeedProtocolsAsync(context, db, ct).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Writes the built-in protocol versions the database does not hold yet (an edited library keeps its versions).</summary>
    private static async Task SeedProtocolsAsync(CliContext context, ClinicDatabase db, CancellationToken ct)
    {
        await using var c = db.Open(ProtocolService.SystemUser, TimeProvider.System);
        var written = await new ProtocolService(c, TimeProvider.System).SeedAsync(Clinic.Protocols.ProtocolLibrary.Default, ProtocolService.SystemUser, ct).ConfigureAwait(false);
        if (written > 0)
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{db.Description}: protocol library: wrote {written} built-in protocol version(s)."));
        }
    }

    private static async Task<int> SeedAsync(CliContext context, ClinicDatabase db, int? cohort, int cohortSeed, CancellationToken ct)
    {
        await SeedProtocolsAsync(context, db, ct).ConfigureAwait(false);
        var r = await DemoSeed.RunAsync(db, TimeProvider.System, ct).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        context.Out.WriteLine(r.Value.Seeded
            ? string.Create(CultureInfo.InvariantCulture, $"{db.Description}: wrote demo data: {r.Value.Patients} patients, {r.Value.Sessions} completed sessions.")
            : string.Create(CultureInfo.InvariantCulture, $"{db.Description}: demo data already present ({r.Value.Patients} patients); nothing written."));
        if (cohort is not { } count)
        {
            return ExitCodes.Success;
        }

        var started = TimeProvider.System.GetTimestamp();
        var c = await DemoSeed.CohortAsync(db, TimeProvider.System, count, cohortSeed, ct).ConfigureAwait(false);
        if (!c.IsSuccess)
        {
            return context.Refused(c.Refusal);
        }

        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        context.Out.WriteLine(c.Value.Seeded
            ? string.Create(CultureInfo.InvariantCulture, $"{db.Description}: wrote a synthetic cohort: {c.Value.Patients} patients, {c.Value.Sessions} sessions in {seconds:0.0} s.")
            : string.Create(CultureInfo.InvariantCulture, $"{db.Description}: a synthetic cohort is already present ({c.Value.Patients} patients); nothing written."));
        return ExitCodes.Success;
    }

    private static async Task<int> BackupAsync(CliContext context, ClinicDatabase db, string? output, CancellationToken ct)
    {
        var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = output ?? (db.SqlitePath is { } path
            ? Path.Combine(Path.GetDirectoryName(path)!, "backups", $"ketacare-{stamp}.db")
            : Path.Combine("backups", $"ketacare-{stamp}.dump"));
        var r = await DatabaseBackup.RunAsync(db, target, ct).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        context.Out.WriteLine($"{db.Description}: backup written to {Path.GetFullPath(target)}.");
        return ExitCodes.Success;
    }

    private static async Task<int> VerifyAsync(CliContext context, ClinicDatabase db, CancellationToken ct)
    {
        await using var dbc = db.Open();
        var result = await AuditChain.VerifyAsync(dbc, ct).ConfigureAwait(false);
        if (result.IsIntact)
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Audit log intact: {result.Count} event(s); last hash {result.HeadHash}."));
            context.Out.WriteLine("Keep the last hash outside the database to also detect removal of the newest events.");
            return ExitCodes.Success;
        }

        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Audit log NOT intact: {result.Problems.Count} problem(s) in {result.Count} event(s) read."));
        foreach (var p in result.Problems)
        {
            context.Out.WriteLine("  " + p);
        }

        return ExitCodes.Refused;
    }
}
