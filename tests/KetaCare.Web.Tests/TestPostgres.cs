using KetaCare.Tests;
using Npgsql;

namespace KetaCare.Web.Tests;

/// <summary>
/// A PostgreSQL database of its own on the server named by KETACARE_TEST_POSTGRES, created for one test and dropped
/// after it. Without a server the test is skipped with the reason; CI (KETACARE_REQUIRE_ALL=1) fails instead.
/// </summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _name;

    private TestPostgres(string admin, string name)
    {
        _admin = admin;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
    }

    /// <summary>The connection string of the new database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the database, or skips (fails under KETACARE_REQUIRE_ALL=1) naming <paramref name="what"/>.</summary>
    public static async Task<TestPostgres> CreateAsync(string what)
    {
        var admin = Environment.GetEnvironmentVariable("KETACARE_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin) || !await ReachableAsync(admin))
        {
            Prerequisite.Missing("no PostgreSQL server (set KETACARE_TEST_POSTGRES)", what);
        }

        var name = "ketacare_web_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        return new TestPostgres(admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private static async Task<bool> ReachableAsync(string cs)
    {
        try
        {
            await ExecuteAsync(cs, "SELECT 1");
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs) { Pooling = false, Timeout = 5 }.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }
}
