using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

public abstract partial class StorageTests
{
    [Fact]
    public async Task CourseFacts_Cohort_StoredForEveryPatientEqualToTheDocuments_AndAFollowUpReplacesOnlyThatPatientsRow()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await CreateAsync();
        await t.Database.MigrateAsync(ct);
        Assert.True((await DemoSeed.CohortAsync(t.Database, TimeProvider.System, 2, cancellationToken: ct)).IsSuccess);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician);
        var analytics = new AnalyticsService(db, TimeProvider.System);
        var stored = await db.CourseFacts.AsNoTracking().ToDictionaryAsync(c => c.PatientId, c => c.Inputs, ct);
        var patient = await db.Patients.AsNoTracking().OrderBy(p => p.MedicalRecordNumber).FirstAsync(ct);

        var recorded = await new OutcomeService(db, TimeProvider.System).RecordFollowUpAsync(patient.Id, patient.Version, TimeProvider.System.GetUtcNow().AddMinutes(-1), 9, null, DemoSeed.DemoNurse, ct);
        var courses = await analytics.CoursesAsync(ct);

        Assert.True(recorded.IsSuccess, recorded.IsSuccess ? null : recorded.Error);
        Assert.Equal(2, stored.Count);
        Assert.Equal((await analytics.CoursesFromDocumentsAsync(ct)).Select(StateJson.Serialize), courses.Select(StateJson.Serialize));
        var after = await db.CourseFacts.AsNoTracking().ToDictionaryAsync(c => c.PatientId, c => c.Inputs, ct);
        Assert.Equal([patient.Id], stored.Where(s => after[s.Key] != s.Value).Select(s => s.Key));
    }
}
