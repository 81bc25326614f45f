using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Tests;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>A fresh, empty database for one test, removed when disposed.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract ClinicDatabase Database { get; }

    /// <summary>Runs SQL directly, bypassing the application (to tamper with the audit log, as an intruder would).</summary>
    public abstract Task<int> ExecuteAsync(string sql);

    public abstract ValueTask DisposeAsync();
}

internal sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "ketacare-test-" + Guid.NewGuid().ToString("N") + ".db");

    public SqliteTestDatabase() => Database = ClinicDatabase.Sqlite(_path);

    /// <summary>A migrated file with the demo cohort of <paramref name="count"/> synthetic patients.</summary>
    public static async Task<SqliteTestDatabase> CohortAsync(int count)
    {
        var t = new SqliteTestDatabase();
        await t.Database.MigrateAsync(TestContext.Current.CancellationToken);
        var r = await DemoSeed.CohortAsync(t.Database, TimeProvider.System, count, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccess, r.IsSuccess ? null : r.Error);
        return t;
    }

    public override ClinicDatabase Database { get; }

    public override async Task<int> ExecuteAsync(string sql)
    {
        await using var c = new SqliteConnection(Database.ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteNonQueryAsync();
    }

    public override ValueTask DisposeAsync()
    {
        // The clinic database pools its SQLite connections; close this file's before deleting it.
        using (var pooled = new SqliteConnection(Database.ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        foreach (var f in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(f);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A database of its own on the server named by KETACARE_TEST_POSTGRES, created for the test and dropped after it.
/// Without a server the test is skipped with the reason; with KETACARE_REQUIRE_ALL=1 (CI) it fails instead.
/// </summary>
internal sealed class PostgresTestDatabase : TestDatabase
{
    private static readonly Lazy<Task<string?>> Unavailable = new(CheckServerAsync);
    private readonly string _admin;
    private readonly string _name;

    private PostgresTestDatabase(string admin, string name)
    {
        _admin = admin;
        _name = name;
        Database = ClinicDatabase.PostgreSql(new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString);
    }

    public override ClinicDatabase Database { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var reason = await Unavailable.Value;
        if (reason is not null)
        {
            Prerequisite.Missing(reason, "PostgreSQL storage tests");
        }

        var admin = Environment.GetEnvironmentVariable("KETACARE_TEST_POSTGRES")!;
        var name = "ketacare_test_" + Guid.NewGuid().ToString("N");
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Pooling = false }.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
        await cmd.ExecuteNonQueryAsync();
        return new PostgresTestDatabase(admin, name);
    }

    public override async Task<int> ExecuteAsync(string sql)
    {
        await using var c = new NpgsqlConnection(Database.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return await cmd.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_admin) { Pooling = false }.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", c);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string?> CheckServerAsync()
    {
        var cs = Environment.GetEnvironmentVariable("KETACARE_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(cs))
        {
            return "KETACARE_TEST_POSTGRES is not set (e.g. Host=localhost;Username=postgres;Password=postgres)";
        }

        try
        {
            await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Timeout = 5, Pooling = false }.ConnectionString);
            await c.OpenAsync();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or ArgumentException)
        {
            return "PostgreSQL from KETACARE_TEST_POSTGRES is unreachable: " + e.Message;
        }
    }
}
