using Microsoft.EntityFrameworkCore;
using KetaCare.Cli.Commands;
using KetaCare.Clinic.Persistence;
using Microsoft.Data.Sqlite;

namespace KetaCare.Cli.Tests;

/// <summary><c>ketacare db …</c> on a temporary SQLite file.</summary>
public sealed class DbCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-cli-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_folder, "clinic.db");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Migrate_FreshFile_CreatesTheSchemaThenReportsUpToDate()
    {
        var first = Cli.Run("db", "migrate", "--database", DbPath);
        var second = Cli.Run("db", "migrate", "--database", DbPath);

        Assert.Equal(0, first.ExitCode);
        var all = KetaCare.Clinic.Persistence.ClinicDatabase.Sqlite(DbPath).Open().Database.GetMigrations().Count();
        Assert.True(all >= 3);
        Assert.Contains($"applied {all} migration(s)", first.Out, StringComparison.Ordinal);
        Assert.Contains("protocol library: wrote 5 built-in protocol version(s).", first.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("protocol library", second.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(DbPath));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("is up to date.", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Seed_Twice_WritesTheDemoOnceAndTheAuditLogVerifies()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);

        var first = Cli.Run("db", "seed", "--database", DbPath);
        var second = Cli.Run("db", "seed", "--database", DbPath);
        var verify = Cli.Run("db", "verify-audit", "--database", DbPath);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("wrote demo data: 3 patients, 3 completed sessions.", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("demo data already present (3 patients); nothing written.", second.Out, StringComparison.Ordinal);
        Assert.Equal(0, verify.ExitCode);
        Assert.StartsWith("Audit log intact: ", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyAudit_EventEditedInSql_Exits1NamingTheEvent()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);
        Assert.Equal(0, Cli.Run("db", "seed", "--database", DbPath).ExitCode);
        using (var c = new SqliteConnection(ClinicDatabase.Sqlite(DbPath).ConnectionString))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE audit_events SET user_id = '00000000-0000-0000-0000-0000000000ff' WHERE sequence = 5";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }

        var run = Cli.Run("db", "verify-audit", "--database", DbPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Audit log NOT intact", run.Out, StringComparison.Ordinal);
        Assert.Contains("event #5: altered", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Backup_Sqlite_WritesAFileThatOpensAndVerifies()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);
        Assert.Equal(0, Cli.Run("db", "seed", "--database", DbPath).ExitCode);
        var target = Path.Combine(_folder, "copy.db");

        var run = Cli.Run("db", "backup", target, "--database", DbPath);
        var again = Cli.Run("db", "backup", target, "--database", DbPath);
        var verify = Cli.Run("db", "verify-audit", "--database", target);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("backup written to " + target, run.Out, StringComparison.Ordinal);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(0, verify.ExitCode);
    }

    [Fact]
    public void Backup_WithoutAFileName_WritesIntoABackupsFolderBesideTheDatabase()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);

        var run = Cli.Run("db", "backup", "--database", DbPath);

        Assert.Equal(0, run.ExitCode);
        Assert.Single(Directory.GetFiles(Path.Combine(_folder, "backups"), "ketacare-*.db"));
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("verify-audit")]
    [InlineData("backup")]
    public void Command_DatabaseNotCreated_RefusedPointingToMigrate(string sub)
    {
        var run = Cli.Run("db", sub, "--database", DbPath);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ketacare db migrate", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(DbPath));
    }

    [Fact]
    public void Migrate_DatabaseAndConnectionBoth_IsAUsageError()
    {
        var run = Cli.Run("db", "migrate", "--database", DbPath, "--connection", "Host=localhost;Database=x");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("give one or the other", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoOptions_UsesThePostgresVariableThenTheDataFolder()
    {
        var postgres = DbCommand.Resolve(null, null, name => name == DbCommand.PostgresVariable ? "Host=db.example;Database=ketacare;Username=app" : null);
        var folder = DbCommand.Resolve(null, null, name => name == "KETACARE_DATA" ? _folder : null);
        var fallback = DbCommand.Resolve(null, null, _ => null);

        Assert.Equal(DatabaseProvider.PostgreSql, postgres.Value.Provider);
        Assert.Equal("PostgreSQL db.example:5432/ketacare", postgres.Value.Description);
        Assert.Equal(Path.Combine(_folder, "ketacare.db"), folder.Value.SqlitePath);
        Assert.Equal(Path.GetFullPath(Path.Combine("data", "ketacare.db")), fallback.Value.SqlitePath);
    }
}
