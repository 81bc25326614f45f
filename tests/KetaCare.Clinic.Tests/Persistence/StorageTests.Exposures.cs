using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

public abstract partial class StorageTests
{
    [Fact]
    public async Task Cohort_OneTransactionAPatient_AuditChainIntactAndEverySessionsExposureStoredAsComputed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await CreateAsync();
        await t.Database.MigrateAsync(ct);

        var written = await DemoSeed.CohortAsync(t.Database, TimeProvider.System, 2, cancellationToken: ct);

        Assert.True(written.IsSuccess, written.IsSuccess ? null : written.Error);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician);
        Assert.True((await AuditChain.VerifyAsync(db, ct)).IsIntact);
        Assert.Equal(await db.Sessions.CountAsync(ct), written.Value.Sessions);
        Assert.True(await db.AuditEvents.CountAsync(e => e.EntityType == "session" && e.Action == "create", ct) >= written.Value.Sessions);
        var patients = (await db.Patients.AsNoTracking().Select(p => p.Document).ToListAsync(ct)).Select(StateJson.Deserialize<Patient>).ToDictionary(p => p.Id);
        var plans = (await db.Plans.AsNoTracking().Select(p => p.Document).ToListAsync(ct)).Select(StateJson.Deserialize<TreatmentPlan>).ToDictionary(p => p.Id);
        foreach (var row in await db.SessionExposures.AsNoTracking().ToListAsync(ct))
        {
            var session = StateJson.Deserialize<InfusionSession>((await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == row.SessionId, ct)).Document);
            var fresh = SessionExposure.Compute(session, plans[session.PlanId].ModelId, patients[session.PatientId].Snapshot().CovariatesOn(session.ScheduledFor).Value).Value;
            Assert.Equal(session.Version, row.SessionVersion);
            Assert.Equal(StateJson.Serialize(fresh), row.Document);
        }

        Assert.Equal(written.Value.Sessions, await db.SessionExposures.CountAsync(ct));
    }
}
