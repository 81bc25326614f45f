using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>
/// Stored session exposures on a real SQLite file with a synthetic cohort: the stored figures are a fresh computation's,
/// and an amended session or a corrected weight makes exactly the affected sessions' figures be computed again.
/// </summary>
public sealed class ExposureStoreTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<SqliteTestDatabase> CohortAsync(int count) => SqliteTestDatabase.CohortAsync(count);

    private sealed record Loaded(Dictionary<PatientId, Patient> Patients, Dictionary<PlanId, TreatmentPlan> Plans, List<InfusionSession> Sessions);

    private static async Task<Loaded> LoadAsync(KetaCareDbContext db) => new(
        (await db.Patients.AsNoTracking().Select(p => p.Document).ToListAsync(Ct)).Select(StateJson.Deserialize<Patient>).ToDictionary(p => p.Id),
        (await db.Plans.AsNoTracking().Select(p => p.Document).ToListAsync(Ct)).Select(StateJson.Deserialize<TreatmentPlan>).ToDictionary(p => p.Id),
        [.. (await db.Sessions.AsNoTracking().Select(s => s.Document).ToListAsync(Ct)).Select(StateJson.Deserialize<InfusionSession>).Where(s => s.DrugEndedAt is not null)]);

    private static async Task<(IReadOnlyDictionary<SessionId, SessionExposure?> Exposures, ExposureStore Store)> ReadAsync(KetaCareDbContext db, Loaded l)
    {
        var store = new ExposureStore(db);
        return (await store.ForAsync(l.Sessions, l.Patients, l.Plans, Ct), store);
    }

    // The figures of a fresh simulation of every session, written the way the store writes them (field for field).
    private static void AssertFresh(Loaded l, IReadOnlyDictionary<SessionId, SessionExposure?> exposures)
    {
        Assert.Equal(l.Sessions.Count, exposures.Count);
        foreach (var s in l.Sessions)
        {
            var fresh = SessionExposure.Compute(s, l.Plans[s.PlanId].ModelId, l.Patients[s.PatientId].Snapshot().CovariatesOn(s.ScheduledFor).Value).Value;
            Assert.Equal(StateJson.Serialize(fresh), StateJson.Serialize(exposures[s.Id]));
        }
    }

    [Fact]
    public async Task ForAsync_AfterTheCohort_EverySessionStoredAndEqualToAFreshComputation()
    {
        await using var t = await CohortAsync(3);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var l = await LoadAsync(db);

        var (exposures, store) = await ReadAsync(db, l);

        Assert.Equal(l.Sessions.Count, await db.SessionExposures.CountAsync(Ct));
        Assert.Equal((l.Sessions.Count, 0), store.Last);
        AssertFresh(l, exposures);
    }

    [Fact]
    public async Task ForAsync_MissingRow_ComputedStoredAndThenReadAsStored()
    {
        await using var t = await CohortAsync(2);
        await using (var wipe = t.Database.Open(DemoSeed.DemoPhysician, Clock))
        {
            await wipe.SessionExposures.ExecuteDeleteAsync(Ct);
        }

        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var l = await LoadAsync(db);
        var (first, firstStore) = await ReadAsync(db, l);
        var (second, secondStore) = await ReadAsync(db, l);

        Assert.Equal((0, l.Sessions.Count), firstStore.Last);
        Assert.Equal((l.Sessions.Count, 0), secondStore.Last);
        AssertFresh(l, first);
        AssertFresh(l, second);
    }

    [Fact]
    public async Task ForAsync_UnreadableStoredFigures_ComputedAgainNotAnError()
    {
        await using var t = await CohortAsync(1);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var l = await LoadAsync(db);
        var damaged = l.Sessions[0].Id;
        await db.SessionExposures.Where(e => e.SessionId == damaged).ExecuteUpdateAsync(u => u.SetProperty(e => e.Document, "{\"figures\":1}"), Ct);

        var (exposures, store) = await ReadAsync(db, l);

        Assert.Equal((l.Sessions.Count - 1, 1), store.Last);
        AssertFresh(l, exposures);
    }

    [Fact]
    public async Task ForAsync_AmendedSession_OnlyThatSessionRecomputedAtItsNewVersion()
    {
        await using var t = await CohortAsync(2);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var before = await LoadAsync(db);
        var session = before.Sessions[0];
        var observation = session.Observations.Active.First();
        var amended = await new SessionWorkflow(db, Clock, DemoSeed.Staff).MarkObservationEnteredInErrorAsync(session.Id, session.Version, observation.Id, "recorded on the wrong session", DemoSeed.DemoNurse, Ct);
        Assert.True(amended.IsSuccess, amended.IsSuccess ? null : amended.Error);

        var l = await LoadAsync(db);
        var (exposures, store) = await ReadAsync(db, l);

        Assert.Equal((l.Sessions.Count - 1, 1), store.Last);
        Assert.Equal(amended.Value.Version, (await db.SessionExposures.AsNoTracking().SingleAsync(e => e.SessionId == session.Id, Ct)).SessionVersion);
        AssertFresh(l, exposures);
    }

    [Fact]
    public async Task ForAsync_HeavierWeightRecorded_SessionsWhoseCovariatesChangedRecomputedWithALowerAuc()
    {
        await using var t = await CohortAsync(2);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var before = await LoadAsync(db);
        var (old, _) = await ReadAsync(db, before);

        // A corrected weight, 15 kg heavier, on the date of the patient's first session: it holds from then until the
        // next weighing, so some of the sessions (and only those) are dosed for a heavier patient.
        var first = before.Sessions.OrderBy(s => s.ScheduledFor).First();
        var patient = before.Patients[first.PatientId];
        var covariates = patient.Snapshot().CovariatesOn(first.ScheduledFor).Value;
        var recorded = await new PatientService(db, Clock).RecordAsync(patient.Id, patient.Version, BodyMeasurement.Create(first.ScheduledFor, covariates.Weight.Kilograms + 15, covariates.HeightCm).Value, DemoSeed.DemoNurse, Ct);
        Assert.True(recorded.IsSuccess, recorded.IsSuccess ? null : recorded.Error);

        var l = await LoadAsync(db);
        var changed = l.Sessions.Where(s => l.Patients[s.PatientId].Snapshot().CovariatesOn(s.ScheduledFor).Value != before.Patients[s.PatientId].Snapshot().CovariatesOn(s.ScheduledFor).Value).ToList();
        var (exposures, store) = await ReadAsync(db, l);

        Assert.Contains(changed, s => s.Id == first.Id);
        Assert.Equal((l.Sessions.Count - changed.Count, changed.Count), store.Last);
        Assert.All(changed, s => Assert.True(exposures[s.Id]!.Plasma.AucNgHoursPerMl < old[s.Id]!.Plasma.AucNgHoursPerMl));
        AssertFresh(l, exposures);
    }
}
