using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Benchmarks;

/// <summary>
/// The clinic analytics end to end (<see cref="AnalyticsService.ReportAsync"/>: stored course facts read, the analysis,
/// the audit event) on a SQLite file of <see cref="Patients"/> patients of about 20 sessions each, the projection fresh
/// (target: &lt; 2 s). The set-up also times, once, the cold view that builds every patient's facts from the documents
/// and stores them (printed as "cold view"). Run: <c>--filter *AnalyticsProjection* --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class AnalyticsProjectionBenchmarks : ClinicFileBenchmarks
{
    // Patients simulated through the workflow by the demo cohort, then copied (CohortCopies) to the size wanted.
    private const int Simulated = 20;
    private const int SessionsEach = 20;

    /// <summary>Patients in the database.</summary>
    [Params(10_000)]
    public int Patients { get; set; }

    [Benchmark(Description = "AnalyticsService.ReportAsync, projection fresh")]
    public int Warm()
    {
        using var db = Database.Open(DemoSeed.DemoPhysician);
        return new AnalyticsService(db, TimeProvider.System).ReportAsync(AnalyticsFilter.All, ExposureAxis.PlasmaAuc, DemoSeed.DemoPhysician).GetAwaiter().GetResult().Courses.Count;
    }

    protected override async Task SetupAsync()
    {
        await Database.MigrateAsync();
        var seeded = await DemoSeed.CohortAsync(Database, TimeProvider.System, Simulated);
        if (!seeded.IsSuccess)
        {
            throw new InvalidOperationException(seeded.Error);
        }

        var copying = Stopwatch.StartNew();
        await CohortCopies.CopyAsync(Database, Patients, Math.Max(1, (int)Math.Round(SessionsEach * Simulated / (double)seeded.Value.Sessions)));
        await using (var db = Database.Open(DemoSeed.DemoPhysician))
        {
            await db.CourseFacts.ExecuteDeleteAsync();
            Console.WriteLine($"// clinic: {await db.Patients.CountAsync()} patients, {await db.Plans.CountAsync()} plans, {await db.Sessions.CountAsync()} sessions, {new FileInfo(FilePath).Length / 1_000_000} MB; copied in {copying.Elapsed.TotalSeconds:0.0} s");
        }

        var cold = Stopwatch.StartNew();
        var courses = Warm();
        Console.WriteLine($"// cold view (every patient built from documents and stored): {cold.Elapsed.TotalSeconds:0.0} s, {courses} courses");
    }
}
