using BenchmarkDotNet.Attributes;
using KetaCare.Clinic.Persistence;

namespace KetaCare.Benchmarks;

/// <summary>A benchmark on a SQLite file of its own: created empty, filled by <see cref="SetupAsync"/>, deleted after the run.</summary>
public abstract class ClinicFileBenchmarks
{
    /// <summary>The file.</summary>
    protected string FilePath { get; } = Path.Combine(Path.GetTempPath(), "ketacare-bench-" + Guid.NewGuid().ToString("N") + ".db");

    /// <summary>The database on <see cref="FilePath"/>.</summary>
    protected ClinicDatabase Database { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Database = ClinicDatabase.Sqlite(FilePath);
        SetupAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(FilePath);
    }

    /// <summary>Migrates and fills <see cref="Database"/>.</summary>
    protected abstract Task SetupAsync();
}
