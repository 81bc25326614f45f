using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>
/// The stored course facts on a real SQLite file with a synthetic cohort: the projection's courses are, field for field
/// and pseudonym for pseudonym, the ones built from every document, and a changed input rebuilds exactly the patients
/// whose courses read it (every patient for a changed setting).
/// </summary>
public sealed class CourseFactsStoreTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<SqliteTestDatabase> CohortAsync(int count) => SqliteTestDatabase.CohortAsync(count);

    // One view through the projection, then the same courses built from every document; both as stored text (every
    // field, the pseudonym and the patient included).
    private static async Task<(List<string> Projection, CourseFactsStore Store, List<string> Documents)> ViewAsync(TestDatabase t)
    {
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var settings = new SettingsService(db, Clock);
        var (analytics, analyticsVersion) = await settings.AnalyticsSettingsAsync(Ct);
        var (alerts, alertsVersion) = await settings.AlertThresholdsAsync(Ct);
        var store = new CourseFactsStore(db);
        var projection = await store.CoursesAsync(analytics, analyticsVersion, alerts.CadssAbove, alertsVersion, Ct);
        var documents = await new AnalyticsService(db, Clock).CoursesFromDocumentsAsync(Ct);
        return ([.. projection.Select(StateJson.Serialize)], store, [.. documents.Select(StateJson.Serialize)]);
    }

    private static async Task<List<PatientId>> PatientsAsync(TestDatabase t)
    {
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        return await db.Patients.AsNoTracking().OrderBy(p => p.MedicalRecordNumber).Select(p => p.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task Courses_CohortStoresThem_AnEmptyTableIsBuiltThenReadStored_AllEqualToTheDocuments()
    {
        await using var t = await CohortAsync(5);
        var patients = await PatientsAsync(t);

        var seeded = await ViewAsync(t);
        await using (var wipe = t.Database.Open(DemoSeed.DemoPhysician, Clock))
        {
            await wipe.CourseFacts.ExecuteDeleteAsync(Ct);
        }

        var first = await ViewAsync(t);
        var second = await ViewAsync(t);

        Assert.Equal((patients.Count, 0), seeded.Store.Last);
        Assert.Equal((0, patients.Count), first.Store.Last);
        Assert.Equal((patients.Count, 0), second.Store.Last);
        Assert.Equal(seeded.Documents, seeded.Projection);
        Assert.NotEmpty(first.Documents);
        Assert.Equal(first.Documents, first.Projection);
        Assert.Equal(second.Documents, second.Projection);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        Assert.Equal(first.Documents.Count, await db.CourseFacts.SumAsync(c => c.Courses, Ct));
    }

    [Fact]
    public async Task Courses_AmendedSession_OnlyThatPatientRebuilt()
    {
        await using var t = await CohortAsync(3);
        await ViewAsync(t);
        await using (var db = t.Database.Open(DemoSeed.DemoPhysician, Clock))
        {
            var session = (await db.Sessions.AsNoTracking().Select(s => s.Document).ToListAsync(Ct)).Select(StateJson.Deserialize<InfusionSession>).First(s => s.DrugEndedAt is not null && s.Observations.Active.Any());
            var amended = await new SessionWorkflow(db, Clock, DemoSeed.Staff).MarkObservationEnteredInErrorAsync(session.Id, session.Version, session.Observations.Active.First().Id, "recorded on the wrong session", DemoSeed.DemoNurse, Ct);
            Assert.True(amended.IsSuccess, amended.IsSuccess ? null : amended.Error);
            var after = await ViewAsync(t);

            Assert.Equal([session.PatientId], after.Store.LastBuilt);
            Assert.Equal(after.Documents, after.Projection);
        }
    }

    [Fact]
    public async Task Courses_AmendedWeight_OnlyThatPatientRebuilt()
    {
        await using var t = await CohortAsync(3);
        await ViewAsync(t);
        await using (var db = t.Database.Open(DemoSeed.DemoPhysician, Clock))
        {
            var id = (await PatientsAsync(t))[1];
            var record = await db.Patients.AsNoTracking().SingleAsync(p => p.Id == id, Ct);
            var patient = StateJson.Deserialize<Patient>(record.Document);
            var first = await db.Sessions.AsNoTracking().Where(s => s.PatientId == id).MinAsync(s => s.ScheduledFor, Ct);
            var covariates = patient.Snapshot().CovariatesOn(first).Value;
            var recorded = await new PatientService(db, Clock).RecordAsync(id, record.Version, BodyMeasurement.Create(first, covariates.Weight.Kilograms + 15, covariates.HeightCm).Value, DemoSeed.DemoNurse, Ct);
            Assert.True(recorded.IsSuccess, recorded.IsSuccess ? null : recorded.Error);
            var after = await ViewAsync(t);

            Assert.Equal([id], after.Store.LastBuilt);
            Assert.Equal(after.Documents, after.Projection);
        }
    }

    [Fact]
    public async Task Courses_NewFollowUpScore_OnlyThatPatientRebuilt()
    {
        await using var t = await CohortAsync(3);
        var before = await ViewAsync(t);
        var id = (await PatientsAsync(t))[0];
        await using (var db = t.Database.Open(DemoSeed.DemoPhysician, Clock))
        {
            var version = await db.Patients.AsNoTracking().Where(p => p.Id == id).Select(p => p.Version).SingleAsync(Ct);
            var recorded = await new OutcomeService(db, Clock).RecordFollowUpAsync(id, version, Clock.GetUtcNow().AddMinutes(-1), 10, null, DemoSeed.DemoNurse, Ct);
            Assert.True(recorded.IsSuccess, recorded.IsSuccess ? null : recorded.Error);
        }

        var after = await ViewAsync(t);

        Assert.Equal([id], after.Store.LastBuilt);
        Assert.Equal(after.Documents, after.Projection);
        Assert.Equal(before.Projection.Count, after.Projection.Count);
    }

    [Fact]
    public async Task Courses_RelapseSettingRevised_EveryPatientRebuiltWithTheNewLine()
    {
        await using var t = await CohortAsync(4);
        var before = await ViewAsync(t);
        await using (var db = t.Database.Open(DemoSeed.DemoPhysician, Clock))
        {
            var revised = await new SettingsService(db, Clock).ReviseAnalyticsSettingsAsync(new AnalyticsSettings(0.5), 0, "stricter relapse line for the audit", DemoSeed.DemoPhysician, Ct);
            Assert.True(revised.IsSuccess, revised.IsSuccess ? null : revised.Error);
        }

        var after = await ViewAsync(t);
        var again = await ViewAsync(t);

        Assert.Equal((0, (await PatientsAsync(t)).Count), after.Store.Last);
        Assert.Equal(after.Documents, after.Projection);
        Assert.NotEqual(before.Projection, after.Projection);
        Assert.Equal(0, again.Store.Last.Built);
        Assert.Equal(after.Projection, again.Projection);
    }
}
