using System.Globalization;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Persistence;

/// <summary>
/// Backups: SQLite through its online backup API (a consistent copy while the app runs); PostgreSQL through
/// <c>pg_dump</c> in custom format (restore with <c>pg_restore</c>), when <c>pg_dump</c> is installed.
/// </summary>
public static class DatabaseBackup
{
    /// <summary>Writes a backup of <paramref name="database"/> to <paramref name="target"/>; refused when the target exists or pg_dump is missing.</summary>
    public static async Task<Outcome> RunAsync(ClinicDatabase database, string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        var full = Path.GetFullPath(target);
        if (File.Exists(full))
        {
            return new Refusal($"backup: {full} already exists; choose a new file name.", [Finding.Refused(FindingCodes.BackupTargetExists, FindingArg.Of("field", "backup"), FindingArg.Of("text", full))]);
        }

        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return database.Provider == DatabaseProvider.Sqlite
            ? BackupSqlite(database, full)
            : await BackupPostgresAsync(database, full, cancellationToken).ConfigureAwait(false);
    }

    private static Outcome BackupSqlite(ClinicDatabase database, string target)
    {
        if (!File.Exists(database.SqlitePath))
        {
            return new Refusal(
                $"backup: no database at {database.SqlitePath}; run 'ketacare db migrate' first.",
                [Finding.Refused(FindingCodes.BackupNoDatabase, FindingArg.Of("field", "backup"), FindingArg.Of("text", database.SqlitePath ?? string.Empty))]);
        }

        using var source = new SqliteConnection(database.ConnectionString);
        using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        source.Open();
        destination.Open();
        source.BackupDatabase(destination);
        return Outcome.Ok();
    }

    private static async Task<Outcome> BackupPostgresAsync(ClinicDatabase database, string target, CancellationToken cancellationToken)
    {
        var pgDump = FindOnPath("pg_dump");
        if (pgDump is null)
        {
            return new Refusal(
                "backup: pg_dump was not found on PATH; install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or back up with your server's own tooling.",
                [Finding.Refused(FindingCodes.BackupPgDumpMissing, FindingArg.Of("field", "backup"))]);
        }

        var cs = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo(pgDump)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--format=custom", "--no-owner", "--file", target, "--host", cs.Host ?? "localhost", "--port", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dbname", cs.Database ?? "postgres" })
        {
            start.ArgumentList.Add(arg);
        }

        if (!string.IsNullOrEmpty(cs.Username))
        {
            start.ArgumentList.Add("--username");
            start.ArgumentList.Add(cs.Username);
        }

        start.ArgumentList.Add("--no-password");
        if (!string.IsNullOrEmpty(cs.Password))
        {
            // Passed through the environment, never on the command line where other users could see it.
            start.Environment["PGPASSWORD"] = cs.Password;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode == 0
            ? Outcome.Ok()
            : PgDumpFailed(process.ExitCode, (await stderr.ConfigureAwait(false)).Trim());
    }

    // pg_dump's own message is quoted as it wrote it.
    private static Refusal PgDumpFailed(int exitCode, string message) => new(
        string.Create(CultureInfo.InvariantCulture, $"backup: pg_dump failed (exit code {exitCode}): {message}"),
        [Finding.Refused(FindingCodes.BackupPgDumpFailed, FindingArg.Of("field", "backup"), FindingArg.Of("code", exitCode), FindingArg.Of("text", message))]);

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
