using BenchmarkDotNet.Attributes;
using KetaCare.Clinic;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Benchmarks;

/// <summary>
/// The dashboard's task list on a SQLite file of <see cref="Patients"/> synthetic patients with full courses (the demo
/// cohort: sessions, scores, follow-up), one in ten with an open task. "Every chart" is how the list was read before
/// the index column (every patient's document loaded and parsed); <see cref="PortalService.OpenTasksAsync"/> reads
/// only the charts the column names. Run: <c>--filter *DashboardTasks* --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
public class DashboardTasksBenchmarks : ClinicFileBenchmarks
{
    /// <summary>Patients in the database.</summary>
    [Params(100, 400)]
    public int Patients { get; set; }

    [Benchmark(Baseline = true, Description = "Every chart read and parsed (before)")]
    public int EveryChart()
    {
        using var db = Database.Open();
        var rows = db.Patients.AsNoTracking().Select(p => p.Document).ToList();
        return rows.Select(StateJson.Deserialize<Patient>).SelectMany(p => p.Tasks.Active.Where(t => t.Value.State != TaskState.Closed)).Count();
    }

    [Benchmark(Description = "PortalService.OpenTasksAsync, index column (after)")]
    public int IndexColumn()
    {
        using var db = Database.Open();
        return new PortalService(db, TimeProvider.System).OpenTasksAsync(TimeZoneInfo.Utc, null).GetAwaiter().GetResult().Count;
    }

    protected override async Task SetupAsync()
    {
        // Ten synthetic patients with full courses (the demo cohort), the first given an open task, then copied to the
        // size wanted (CohortCopies): the cohort's own simulation would take minutes per hundred patients.
        await Database.MigrateAsync();
        var seeded = await DemoSeed.CohortAsync(Database, TimeProvider.System, 10);
        if (!seeded.IsSuccess)
        {
            throw new InvalidOperationException(seeded.Error);
        }

        await using var db = Database.Open(DemoSeed.SeedUser);
        var first = await db.Patients.AsNoTracking().OrderBy(p => p.MedicalRecordNumber).FirstAsync();
        var finding = Finding.Of(FindingCodes.PortalNoEscort, FindingSeverity.Warning, PortalAlertSettings.Default.Source, FindingArg.Of("date", "2026-06-02"));
        var r = await new PatientService(db, TimeProvider.System).ChangeAsync(first.Id, first.Version, c => { c.Record(new ClinicianTask(finding, TimeProvider.System.GetUtcNow(), "bench", null, TaskState.Open, null), DemoSeed.SeedUser, TimeProvider.System); return Outcome.Ok(); }, DemoSeed.SeedUser);
        if (!r.IsSuccess)
        {
            throw new InvalidOperationException(r.Error);
        }

        await CohortCopies.CopyAsync(Database, Patients);
    }
}
