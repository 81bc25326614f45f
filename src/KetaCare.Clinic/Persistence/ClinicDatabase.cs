using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace KetaCare.Clinic.Persistence;

/// <summary>Which database engine a <see cref="ClinicDatabase"/> uses.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file (WAL journal).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server.</summary>
    PostgreSql,
}

/// <summary>
/// Where the clinic's data lives: a SQLite file (the embedded default, in the app's data folder) or a PostgreSQL
/// database. Opens contexts, applies the provider's migrations, backs up. Thread-safe; contexts are not.
/// </summary>
public sealed class ClinicDatabase
{
    // Set only on the view a BatchWrite hands out: its contexts share one connection and its open transaction.
    private readonly BatchWrite? _batch;

    private ClinicDatabase(DatabaseProvider provider, string connectionString, string description, BatchWrite? batch = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Description = description;
        _batch = batch;
    }

    /// <summary>The engine.</summary>
    public DatabaseProvider Provider { get; }

    /// <summary>The ADO.NET connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Where the data is, without any password (for messages).</summary>
    public string Description { get; }

    /// <summary>The SQLite file path, or null for PostgreSQL.</summary>
    public string? SqlitePath => Provider == DatabaseProvider.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;

    /// <summary>The default SQLite file: <c>$KETACARE_DATA/ketacare.db</c>, or <c>./data/ketacare.db</c>.</summary>
    public static string DefaultSqlitePath()
    {
        var folder = Environment.GetEnvironmentVariable("KETACARE_DATA");
        return Path.GetFullPath(Path.Combine(string.IsNullOrWhiteSpace(folder) ? "data" : folder, "ketacare.db"));
    }

    /// <summary>A SQLite database in <paramref name="path"/> (created with its folder on first use).</summary>
    public static ClinicDatabase Sqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);

        // Pooled: opening a SQLite connection reads the schema and maps the WAL index, which per request was a large
        // part of a page's cost under load. A process that replaces or deletes the file clears the pool first.
        var cs = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString();
        return new ClinicDatabase(DatabaseProvider.Sqlite, cs, "SQLite " + full);
    }

    /// <summary>A PostgreSQL database by connection string (e.g. <c>Host=localhost;Username=…;Password=…;Database=ketacare</c>).</summary>
    public static ClinicDatabase PostgreSql(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return new ClinicDatabase(DatabaseProvider.PostgreSql, b.ConnectionString, $"PostgreSQL {b.Host}:{b.Port}/{b.Database}");
    }

    /// <summary>A new context (one per unit of work), acting as <paramref name="actor"/> for the audit log.</summary>
    public KetaCareDbContext Open(UserId? actor = null, TimeProvider? clock = null)
    {
        KetaCareDbContext db = (Provider, _batch) switch
        {
            (DatabaseProvider.Sqlite, null) => new SqliteKetaCareDbContext(SqliteOptions(ConnectionString)),
            (_, null) => new PostgresKetaCareDbContext(PostgresOptions(ConnectionString)),
            (DatabaseProvider.Sqlite, { } b) => new SqliteKetaCareDbContext(new DbContextOptionsBuilder<SqliteKetaCareDbContext>().UseSqlite(b.Connection).Options),
            (_, { } b) => new PostgresKetaCareDbContext(new DbContextOptionsBuilder<PostgresKetaCareDbContext>().UseNpgsql(b.Connection).Options),
        };
        if (_batch is { } batch)
        {
            db.Database.UseTransaction(batch.Transaction ?? throw new InvalidOperationException("the batch has ended."));
        }

        db.Actor = actor;
        db.Clock = clock ?? TimeProvider.System;
        return db;
    }

    /// <summary>
    /// Starts a batch of writes that commit together: every context the batch's <see cref="BatchWrite.Database"/> opens
    /// shares one connection and its transaction, so each save keeps its checks, its stored documents and its audit
    /// events, but only <see cref="BatchWrite.CommitAsync"/> makes them durable — one commit (one fsync on SQLite)
    /// instead of one per save. What is not committed when the batch is disposed is rolled back. For writers that
    /// produce many records at once (the demo cohort); not for requests, which hold the database's write lock only for
    /// a save. On SQLite an open batch holds the file's in-process write queue (between its commits too): do not write
    /// through a context from outside the batch until it is disposed. Not thread-safe.
    /// </summary>
    public async Task<BatchWrite> BeginBatchAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var batch = new BatchWrite(connection, Provider == DatabaseProvider.Sqlite ? KetaCareDbContext.SqliteWriteGate(ConnectionString) : null);
        await batch.BeginAsync(cancellationToken).ConfigureAwait(false);
        batch.Database = new ClinicDatabase(Provider, ConnectionString, Description, batch);
        return batch;
    }

    /// <summary>Creates or upgrades the schema to the latest migration; for SQLite creates the folder and turns on the WAL journal.</summary>
    /// <returns>The migrations applied now (empty when already up to date).</returns>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (SqlitePath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }

        await using var db = Open();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // WAL is a property of the file: readers do not block the writer, and a crash mid-write leaves the last commit intact.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        return pending;
    }

    /// <summary>Migrations not yet applied.</summary>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = Open();
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)];
    }

    internal static DbContextOptions<SqliteKetaCareDbContext> SqliteOptions(string cs) =>
        new DbContextOptionsBuilder<SqliteKetaCareDbContext>().UseSqlite(cs).Options;

    internal static DbContextOptions<PostgresKetaCareDbContext> PostgresOptions(string cs) =>
        new DbContextOptionsBuilder<PostgresKetaCareDbContext>().UseNpgsql(cs).Options;
}

/// <summary>
/// Writes that commit together (<see cref="ClinicDatabase.BeginBatchAsync"/>): one connection and its open transaction,
/// shared by every context <see cref="Database"/> opens. Disposing rolls back what was not committed.
/// </summary>
public sealed class BatchWrite : IAsyncDisposable
{
    // SQLite: the app's in-process write queue, held for each transaction of the batch and let go between them. A
    // writer that only retried on SQLITE_BUSY would rarely find the file free while a batch commits and begins again
    // at once (a request failed with "database is locked" while the demo cohort was written); queued here, the
    // requests' saves go between two of the batch's transactions.
    private readonly SemaphoreSlim? _gate;
    private bool _holdsGate;

    internal BatchWrite(DbConnection connection, SemaphoreSlim? gate)
    {
        Connection = connection;
        _gate = gate;
    }

    /// <summary>The database as seen inside the batch: its contexts join the batch's transaction.</summary>
    public ClinicDatabase Database { get; internal set; } = null!;

    internal DbConnection Connection { get; }

    internal DbTransaction? Transaction { get; private set; }

    /// <summary>Commits everything written since the last commit and opens the next transaction.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await Transaction!.CommitAsync(cancellationToken).ConfigureAwait(false);
        await EndAsync().ConfigureAwait(false);
        await BeginAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await EndAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }

    internal async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (_gate is not null)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            _holdsGate = true;
        }

        Transaction = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    // Rolls back what is not committed, and lets the queued writers in.
    private async Task EndAsync()
    {
        if (Transaction is not null)
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
            Transaction = null;
        }

        if (_holdsGate)
        {
            _holdsGate = false;
            _gate!.Release();
        }
    }
}

/// <summary>
/// <see cref="KetaCareDbContext"/> on SQLite. The same model; a separate type only so that each provider has its own
/// migration set (EF Core's documented way to keep migrations for several providers).
/// </summary>
public sealed class SqliteKetaCareDbContext(DbContextOptions<SqliteKetaCareDbContext> options) : KetaCareDbContext(options);

/// <summary><see cref="KetaCareDbContext"/> on PostgreSQL, with its own migration set.</summary>
public sealed class PostgresKetaCareDbContext(DbContextOptions<PostgresKetaCareDbContext> options) : KetaCareDbContext(options);

/// <summary>Design-time factory for <c>dotnet ef migrations add --context SqliteKetaCareDbContext</c>.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteKetaCareDbContext>
{
    public SqliteKetaCareDbContext CreateDbContext(string[] args) => new(ClinicDatabase.SqliteOptions("Data Source=design-time.db"));
}

/// <summary>Design-time factory for <c>dotnet ef migrations add --context PostgresKetaCareDbContext</c> (needs no server).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresKetaCareDbContext>
{
    public PostgresKetaCareDbContext CreateDbContext(string[] args) => new(ClinicDatabase.PostgresOptions("Host=localhost;Database=ketacare_design"));
}
