using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>
/// The dashboard's tasks come from the charts the index column names (tasks not closed), on both databases: the column
/// follows every save, closing the last task takes the chart out, and a row stored before the column existed is still
/// read and counted once.
/// </summary>
public abstract partial class StorageTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Fact]
    public async Task OpenTasks_ReadsTheChartsTheIndexColumnNames_FollowsEverySave()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var withTasks = await RegisterPlainAsync(t, "MRN-T1");
        var without = await RegisterPlainAsync(t, "MRN-T2");
        var (first, _) = await RaiseTasksAsync(t, withTasks, 2);

        await using (var db = Open(t))
        {
            Assert.Equal([(withTasks, 2), (without, 0)], await CountsAsync(db));
            var listed = await new PortalService(db, _clock).OpenTasksAsync(Utc, null, ct);
            Assert.Equal(2, listed.Count);
            Assert.All(listed, i => Assert.Equal(withTasks, i.Patient));

            // A chart whose column says none is not read at all, whatever its document holds.
            await db.Patients.Where(p => p.Id == withTasks).ExecuteUpdateAsync(u => u.SetProperty(p => p.OpenTasks, 0), ct);
            Assert.Empty(await new PortalService(db, _clock).OpenTasksAsync(Utc, null, ct));
        }

        // Acknowledging keeps the task open; closing it lowers the count the save writes.
        await using (var db = Open(t))
        {
            var portal = new PortalService(db, _clock);
            var version = await db.Patients.AsNoTracking().Where(p => p.Id == withTasks).Select(p => p.Version).SingleAsync(ct);
            Assert.True((await portal.StepTaskAsync(withTasks, version, first, TaskState.Acknowledged, "in hand", Build.Nurse, ct)).IsSuccess);
            Assert.Equal(2, await db.Patients.AsNoTracking().Where(p => p.Id == withTasks).Select(p => p.OpenTasks).SingleAsync(ct));
            Assert.True((await portal.StepTaskAsync(withTasks, version + 1, first, TaskState.Closed, "called back", Build.Nurse, ct)).IsSuccess);
            Assert.Equal(1, await db.Patients.AsNoTracking().Where(p => p.Id == withTasks).Select(p => p.OpenTasks).SingleAsync(ct));
        }
    }

    [Fact]
    public async Task OpenTasks_RowStoredBeforeTheCount_IsReadAndCountedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var legacy = await RegisterPlainAsync(t, "MRN-L1");
        var legacyEmpty = await RegisterPlainAsync(t, "MRN-L2");
        await RaiseTasksAsync(t, legacy, 1);
        await using var db = Open(t);
        await db.Patients.ExecuteUpdateAsync(u => u.SetProperty(p => p.OpenTasks, -1), ct); // as the migration leaves old rows

        var listed = await new PortalService(db, _clock).OpenTasksAsync(Utc, null, ct);

        Assert.Equal(legacy, Assert.Single(listed).Patient);
        Assert.Equal([(legacy, 1), (legacyEmpty, 0)], await CountsAsync(db));
    }

    /// <summary>Each chart's stored count of open tasks, by record number.</summary>
    private static async Task<List<(PatientId, int)>> CountsAsync(Clinic.Persistence.KetaCareDbContext db) =>
        [.. (await db.Patients.AsNoTracking().OrderBy(p => p.MedicalRecordNumber).Select(p => new { p.Id, p.OpenTasks }).ToListAsync(TestContext.Current.CancellationToken)).Select(p => (p.Id, p.OpenTasks))];

    /// <summary>Raises <paramref name="count"/> tasks on the chart, as the portal's rules do; the first task's id.</summary>
    private async Task<(EntryId First, long Version)> RaiseTasksAsync(TestDatabase t, PatientId patient, int count)
    {
        await using var db = Open(t);
        var service = new PatientService(db, _clock);
        var version = await db.Patients.AsNoTracking().Where(p => p.Id == patient).Select(p => p.Version).SingleAsync(TestContext.Current.CancellationToken);
        EntryId? first = null;
        var r = await service.ChangeAsync(
            patient,
            version,
            p =>
            {
                for (var i = 0; i < count; i++)
                {
                    var finding = Finding.Of(FindingCodes.PortalNoEscort, FindingSeverity.Warning, PortalAlertSettings.Default.Source, FindingArg.Of("date", "2026-06-02"));
                    var e = p.Record(new ClinicianTask(finding, _clock.GetUtcNow(), "key-" + i, null, TaskState.Open, null), Build.Nurse, _clock);
                    first ??= e.Id;
                }

                return Outcome.Ok();
            },
            Build.Nurse,
            TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccess, r.Error);
        return (first!.Value, r.Value.Version);
    }
}
