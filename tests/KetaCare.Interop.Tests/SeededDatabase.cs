using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;

namespace KetaCare.Interop.Tests;

/// <summary>A temporary SQLite file with the demo seed, removed when disposed.</summary>
internal sealed class SeededDatabase : IAsyncDisposable
{
    public static readonly UserId Reader = new(Guid.Parse("00000000-0000-0000-0000-0000000000aa"));

    private readonly string _path = Path.Combine(Path.GetTempPath(), "ketacare-interop-" + Guid.NewGuid().ToString("N") + ".db");

    private SeededDatabase() => Database = ClinicDatabase.Sqlite(_path);

    public ClinicDatabase Database { get; }

    /// <summary>The clock of reads and exports: after the demo's last events (January 2026).</summary>
    public TimeProvider Clock { get; } = new FixedClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public static async Task<SeededDatabase> CreateAsync()
    {
        var d = new SeededDatabase();
        await d.Database.MigrateAsync(TestContext.Current.CancellationToken);
        var seeded = await DemoSeed.RunAsync(d.Database, d.Clock, TestContext.Current.CancellationToken);
        Assert.True(seeded.IsSuccess, seeded.IsSuccess ? null : seeded.Error);
        return d;
    }

    public KetaCareDbContext Open() => Database.Open(Reader, Clock);

    /// <summary>The CRPS demo patient (DEMO-0001) with her plan and sessions.</summary>
    public async Task<(Patient Patient, TreatmentPlan Plan, IReadOnlyList<InfusionSession> Sessions)> CrpsAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Open();
        var summary = (await new PatientService(db, Clock).SearchAsync("DEMO-0001", ct)).Single();
        var patient = (await new PatientService(db, Clock).OpenChartAsync(summary.Id, Reader, ct)).Value;
        var plan = (await new TreatmentService(db, Clock).PlansAsync(summary.Id, Reader, ct)).Single();
        var sessions = await new SessionService(db, Clock).ForPatientAsync(summary.Id, Reader, ct);
        return (patient, plan, sessions);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(f);
        }

        return ValueTask.CompletedTask;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
