using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Titration;
using KetaCare.Pharmacology.Models;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>
/// The storage suite. It runs unchanged on a real SQLite file (<see cref="SqliteStorageTests"/>) and on a real
/// PostgreSQL server (<see cref="PostgresStorageTests"/>); every test gets a database of its own.
/// </summary>
public abstract partial class StorageTests
{
    private readonly TestClock _clock = Build.Clock();

    protected abstract Task<TestDatabase> CreateAsync();

    [Fact]
    public async Task Migrate_FreshDatabase_CreatesSchemaWithNothingPending()
    {
        await using var t = await CreateAsync();

        var applied = await t.Database.MigrateAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(applied);
        Assert.Empty(await t.Database.PendingMigrationsAsync(TestContext.Current.CancellationToken));
        await using var db = t.Database.Open();
        Assert.Equal(0, await db.Patients.CountAsync(TestContext.Current.CancellationToken));
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration for this provider (see README: Clinic core).");
        Assert.Empty(await t.Database.MigrateAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Patient_ImportedVitalSignsAndIdentifier_RoundTripAndNameTheChart()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var hospital = new PatientIdentifier("http://hospital.example/mrn", patient.Demographics.MedicalRecordNumber);
        var bp = ImportedVitalSign.Create(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(2)), VitalSignKind.BloodPressure, 131.5, 84, "85354-9", hospital.System).Value;
        var temperature = ImportedVitalSign.Create(new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.Zero), VitalSignKind.BodyTemperature, 37.25, null, "8310-5", hospital.System).Value;
        await using (var db = Open(t))
        {
            var changed = await new PatientService(db, _clock).ChangeAsync(
                patient.Id,
                patient.Version,
                p =>
                {
                    p.Record(bp, Build.Nurse, _clock);
                    p.Record(temperature, Build.Nurse, _clock);
                    return p.AddIdentifier(hospital);
                },
                Build.Nurse,
                TestContext.Current.CancellationToken);
            Assert.True(changed.IsSuccess, changed.Error);
        }

        await using var read = Open(t);
        var service = new PatientService(read, _clock);
        var loaded = (await service.OpenChartAsync(patient.Id, Build.Nurse, TestContext.Current.CancellationToken)).Value;
        var named = await service.IdentifiedByAsync(hospital, TestContext.Current.CancellationToken);
        var otherSystem = await service.IdentifiedByAsync(hospital with { System = "http://other.example/mrn" }, TestContext.Current.CancellationToken);

        Assert.Equal([bp, temperature], loaded.ImportedVitalSigns.ActiveValues);
        Assert.Equal([hospital], loaded.Identifiers);
        Assert.Equal(patient.Id, named?.Id);
        Assert.Null(otherSystem);
    }

    [Fact]
    public async Task Patient_EveryHistoryKind_RoundTripsExactly()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);

        await using var db = Open(t);
        var loaded = await new PatientService(db, _clock).OpenChartAsync(patient.Id, Build.Nurse, TestContext.Current.CancellationToken);

        Assert.True(loaded.IsSuccess, loaded.Error);
        Assert.Equal(StateJson.Serialize(patient), StateJson.Serialize(loaded.Value));
        Assert.Equal(patient.Snapshot().Demographics, loaded.Value.Snapshot().Demographics);
        Assert.Equal(7, new object[] { loaded.Value.Measurements, loaded.Value.Conditions, loaded.Value.PriorTreatments, loaded.Value.Medications, loaded.Value.Findings, loaded.Value.PregnancyStatuses, loaded.Value.Consents }.Length);
        Assert.Single(loaded.Value.Medications.All);
        Assert.Single(loaded.Value.Findings.All);
        Assert.Equal(InteractionClass.Benzodiazepine | InteractionClass.CnsDepressant, loaded.Value.Medications.All[0].Value.Interactions);
        Assert.Equal(70, loaded.Value.Snapshot().MeasurementOn(_clock.Today).Value.Weight.Kilograms);
    }

    [Fact]
    public async Task AssessmentAndReview_RoundTripExactly_AndTheReviewIsWrittenOnce()
    {
        await using var t = await MigratedAsync();
        var (patient, condition) = await RegisterEligibleAsync(t, withHypertensionHistory: true);
        await using var db = Open(t);
        var treatments = new TreatmentService(db, _clock);

        var assessment = await treatments.AssessEligibilityAsync(patient.Id, condition, Build.Physician, "outpatient-seed", TestContext.Current.CancellationToken);
        Assert.True(assessment.IsSuccess, assessment.Error);

        var list = await treatments.AssessmentsAsync(patient.Id, Build.Physician, TestContext.Current.CancellationToken);
        Assert.Equal(StateJson.Serialize(assessment.Value), StateJson.Serialize(Assert.Single(list).Assessment));
        Assert.Equal(assessment.Value.Evaluation.Findings.Count, list[0].Assessment.Evaluation.Findings.Count);
        Assert.Equal(assessment.Value.Evaluation.Findings[0].Source, list[0].Assessment.Evaluation.Findings[0].Source);
    }

    [Fact]
    public async Task Assessment_OfAConditionNotOnTheChart_RefusedCoded()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        await using var db = Open(t);
        var treatments = new TreatmentService(db, _clock);
        var missing = EntryId.New();

        var refused = await treatments.AssessEligibilityAsync(patient.Id, missing, Build.Physician, null, TestContext.Current.CancellationToken);

        Assert.Equal($"condition {missing}: no active condition with this id on the patient's chart.", refused.Error);
        Assert.Equal(FindingCodes.TreatmentConditionNotActive, refused.Refusal.Findings.Single().Code);
        Assert.Equal(["field=condition", "id=" + missing], refused.Refusal.Findings.Single().Args.Select(a => a.Name + "=" + a.Invariant()));
    }

    [Fact]
    public async Task Plan_WithDoseChangesAndClosed_RoundTripsExactly()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var plan = await PrescribeAsync(t, patient.Id);
        await using var db = Open(t);
        var treatments = new TreatmentService(db, _clock);

        var changed = await treatments.ChangePlanAsync(plan.Id, plan.Version, p => p.SetNextDose(DoseLevel.MgPerKgPerHour(0.75), "well tolerated", Build.Physician, _clock), Build.Physician, TestContext.Current.CancellationToken);
        Assert.True(changed.IsSuccess, changed.Error);
        var closed = await treatments.ChangePlanAsync(plan.Id, changed.Value.Version, p => p.Close(PlanStatus.Completed, "course complete"), Build.Physician, TestContext.Current.CancellationToken);
        Assert.True(closed.IsSuccess, closed.Error);

        var loaded = await treatments.GetPlanAsync(plan.Id, Build.Physician, TestContext.Current.CancellationToken);
        Assert.Equal(StateJson.Serialize(closed.Value), StateJson.Serialize(loaded.Value));
        Assert.Equal(PlanStatus.Completed, loaded.Value.Status);
        Assert.Equal(DoseLevel.MgPerKgPerHour(0.75), loaded.Value.CurrentDose);
        Assert.Equal(3, loaded.Value.Version);
    }

    [Fact]
    public async Task Session_FullCourseThroughTheService_RoundTripsWithSegmentsObservationsAlertsAndAdverseEvents()
    {
        await using var t = await MigratedAsync();
        var (session, _) = await RunSessionAsync(t);

        await using var db = Open(t);
        var loaded = await new SessionService(db, _clock).GetAsync(session.Id, Build.Nurse, TestContext.Current.CancellationToken);

        Assert.True(loaded.IsSuccess, loaded.Error);
        Assert.Equal(StateJson.Serialize(session), StateJson.Serialize(loaded.Value));
        Assert.Equal(SessionState.Discharged, loaded.Value.State);
        Assert.Equal(3, loaded.Value.Segments.Count);
        Assert.Single(loaded.Value.AdverseEvents.All);
        Assert.NotEmpty(loaded.Value.Alerts);
        Assert.Equal(session.DoseGiven(_clock.Now).Milligrams, loaded.Value.DoseGiven(_clock.Now).Milligrams);
        Assert.NotNull(loaded.Value.Program);
        Assert.Equal(session.Program!.RateMlPerHour, loaded.Value.Program!.RateMlPerHour);
        Assert.Equal(session.Authorization!.Check.Findings.Count, loaded.Value.Authorization!.Check.Findings.Count);
        Assert.Equal(session.Checklist, loaded.Value.Checklist);
        Assert.Equal("tramadol", loaded.Value.Checklist!.NewMedications!.Single().Name);
        Assert.Equal([FindingCodes.PreNewMedicationInteraction], loaded.Value.ChecklistFindings.Select(f => f.Code));
        Assert.Equal(session.AncillaryDoses, loaded.Value.AncillaryDoses);
        Assert.Equal([OrderPurpose.Premedication, OrderPurpose.Rescue], loaded.Value.AncillaryDoses.Select(d => d.Purpose));
        Assert.Equal(3, loaded.Value.Protocol.AncillaryOrders.Count);
    }

    [Fact]
    public async Task Change_AgainstAnOlderVersion_IsRefusedWithAClearMessageAndNothingIsWritten()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var weight = BodyMeasurement.Create(_clock.Today, 72).Value;
        await using (var db = Open(t))
        {
            var first = await new PatientService(db, _clock).RecordAsync(patient.Id, patient.Version, weight, Build.Nurse, TestContext.Current.CancellationToken);
            Assert.True(first.IsSuccess, first.Error);
        }

        var eventsBefore = await CountAuditAsync(t);
        await using (var db = Open(t))
        {
            // A second user edits the version they opened before the first user saved.
            var second = await new PatientService(db, _clock).RecordAsync(patient.Id, patient.Version, BodyMeasurement.Create(_clock.Today, 75).Value, Build.SecondNurse, TestContext.Current.CancellationToken);

            Assert.False(second.IsSuccess);
            Codes.Has(FindingCodes.VersionConflict, second);
            Assert.Equal(patient.Version, second.Findings.Single().Number("expected"));
        }

        Assert.Equal(eventsBefore, await CountAuditAsync(t));
        var stored = await ChartAsync(t, patient.Id);
        Assert.Equal(patient.Version + 1, stored.Version);
        Assert.Equal(72, stored.Snapshot().MeasurementOn(_clock.Today).Value.Weight.Kilograms);
    }

    [Fact]
    public async Task Save_RaceLostToAnotherUser_IsRefusedNotLastWriterWins()
    {
        await using var t = await MigratedAsync();
        var (session, _) = await ScheduleAsync(t);
        var ct = TestContext.Current.CancellationToken;

        await using var a = Open(t);
        await using var b = Open(t);
        var rowA = await a.Sessions.SingleAsync(s => s.Id == session.Id, ct);
        var rowB = await b.Sessions.SingleAsync(s => s.Id == session.Id, ct);

        // Both passed the version check; the first save wins, the second must fail on the concurrency token.
        var sa = StateJson.Deserialize<InfusionSession>(rowA.Document);
        Assert.True(sa.BeginPreAssessment(Build.Nurse, _clock).IsSuccess);
        rowA.Version = sa.Version;
        rowA.Document = StateJson.Serialize(sa);
        await a.SaveChangesAsync(ct);

        var sb = StateJson.Deserialize<InfusionSession>(rowB.Document);
        Assert.True(sb.Cancel("patient unwell", Build.SecondNurse, _clock).IsSuccess);
        rowB.Version = sb.Version;
        rowB.Document = StateJson.Serialize(sb);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync(ct));

        await using var db = Open(t);
        var stored = await new SessionService(db, _clock).GetAsync(session.Id, Build.Nurse, ct);
        Assert.Equal(SessionState.PreAssessment, stored.Value.State);
    }

    [Fact]
    public async Task AmendAndEnteredInError_KeepEveryVersionReadable()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var weightId = patient.Measurements.All[0].Id;
        var medicationId = patient.Medications.All[0].Id;

        await using (var db = Open(t))
        {
            var service = new PatientService(db, _clock);
            var amended = await service.AmendAsync(patient.Id, patient.Version, weightId, BodyMeasurement.Create(_clock.Today.AddDays(-30), 68, 175).Value, "scale not zeroed", Build.Nurse, ct);
            Assert.True(amended.IsSuccess, amended.Error);
            var marked = await service.MarkEnteredInErrorAsync<Medication>(patient.Id, patient.Version + 1, medicationId, "recorded on the wrong patient", Build.Physician, ct);
            Assert.True(marked.IsSuccess, marked.Error);
        }

        var stored = await ChartAsync(t, patient.Id);
        Assert.Equal(2, stored.Measurements.All.Count(e => e.Id == weightId));
        Assert.Equal(EntryStatus.Amended, stored.Measurements.All.First(e => e.Id == weightId).Status);
        Assert.Equal(70, stored.Measurements.All.First(e => e.Id == weightId).Value.Weight.Kilograms);
        Assert.Equal("scale not zeroed", stored.Measurements.All.Last(e => e.Id == weightId).Reason);
        Assert.Equal(68, stored.Snapshot().MeasurementOn(_clock.Today).Value.Weight.Kilograms);
        Assert.Equal([EntryStatus.Amended, EntryStatus.EnteredInError], stored.Medications.All.Select(e => e.Status));
        Assert.DoesNotContain(stored.Snapshot().Medications, m => m.Name == "lorazepam");
    }

    [Fact]
    public async Task CorrectedRecordNumber_OfAnotherPatient_RefusedCoded_NothingSaved()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        await using var db = Open(t);
        var service = new PatientService(db, _clock);
        var other = await service.RegisterAsync(new Demographics("MRN-OTHER", "Ece", "Kaya", new DateOnly(1980, 5, 1), Sex.Female), Build.Nurse, ct);
        Assert.True(other.IsSuccess, other.Error);

        var refused = await service.CorrectDemographicsAsync(patient.Id, patient.Version, patient.Demographics with { MedicalRecordNumber = "MRN-OTHER" }, "typo", Build.Nurse, ct);

        Assert.Equal("medical record number: MRN-OTHER belongs to another patient.", refused.Error);
        var finding = refused.Refusal.Findings.Single();
        Assert.Equal(FindingCodes.PatientRecordNumberOfAnother, finding.Code);
        Assert.Equal(["field=medicalRecordNumber", "mrn=MRN-OTHER"], finding.Args.Select(a => a.Name + "=" + a.Invariant()));
        Assert.NotEqual("MRN-OTHER", (await ChartAsync(t, patient.Id)).Demographics.MedicalRecordNumber);
    }

    [Fact]
    public async Task SessionObservation_AmendedAndEnteredInError_KeepsHistoryAfterReload()
    {
        await using var t = await MigratedAsync();
        var (session, _) = await ScheduleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        await using var db = Open(t);
        var sessions = new SessionService(db, _clock);
        session = (await sessions.ChangeAsync(session.Id, session.Version, s => s.BeginPreAssessment(Build.Nurse, _clock), Build.Nurse, ct)).Value;
        var alerts = await sessions.RecordObservationAsync(session.Id, session.Version, Observation.Create(_clock.Now, 190, 95, 80, 98, painNrs: 7).Value, SessionSettings.Default, Build.Nurse, ct);
        Assert.True(alerts.IsSuccess, alerts.Error);
        Assert.NotEmpty(alerts.Value);
        session = (await sessions.GetAsync(session.Id, Build.Nurse, ct)).Value;
        var id = session.Observations.All[0].Id;

        session = (await sessions.ChangeAsync(
            session.Id,
            session.Version,
            s =>
            {
                var r = s.AmendObservation(id, Observation.Create(_clock.Now, 130, 85, 80, 98, painNrs: 7).Value, "cuff too small", SessionSettings.Default, Build.Nurse, _clock);
                return r.IsSuccess ? Outcome.Ok() : Outcome.Fail(r.Error);
            },
            Build.Nurse,
            ct)).Value;
        session = (await sessions.ChangeAsync(session.Id, session.Version, s => s.MarkObservationEnteredInError(id, "wrong patient", Build.Nurse, _clock), Build.Nurse, ct)).Value;

        var stored = (await sessions.GetAsync(session.Id, Build.Nurse, ct)).Value;
        Assert.Equal([EntryStatus.Amended, EntryStatus.Amended, EntryStatus.EnteredInError], stored.Observations.All.Select(e => e.Status));
        Assert.Equal(190, stored.Observations.All[0].Value.Systolic);
        Assert.NotEmpty(stored.Alerts);
        Assert.Empty(stored.ActiveAlerts);
    }

    [Fact]
    public async Task OutcomeMeasures_RecordedAndAmended_RoundTripWithHistoryAndAnAuditEventEach()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var before = await CountAuditAsync(t);
        EntryId followUp;
        var called = _clock.Now.AddDays(3);
        _clock.Advance(TimeSpan.FromDays(3)); // a follow-up is recorded once it has happened
        await using (var db = Open(t))
        {
            var outcomes = new OutcomeService(db, _clock);
            var f = await outcomes.RecordFollowUpAsync(patient.Id, patient.Version, called, 4, "telephone follow-up", Build.Nurse, ct);
            Assert.True(f.IsSuccess, f.Error);
            followUp = f.Value.Id;
            var bpi = await outcomes.RecordBpiAsync(patient.Id, patient.Version + 1, _clock.Today, 8, 3, 6, 5, [6, 5, 7, 8, 4, 6, 5], Build.Nurse, ct);
            Assert.True(bpi.IsSuccess, bpi.Error);
            var pgic = await outcomes.RecordPgicAsync(patient.Id, patient.Version + 2, _clock.Today, 2, Build.Nurse, ct);
            Assert.True(pgic.IsSuccess, pgic.Error);
            var amended = await outcomes.AmendFollowUpAsync(patient.Id, patient.Version + 3, followUp, called, 5, "telephone follow-up", "misheard the score", Build.Physician, ct);
            Assert.True(amended.IsSuccess, amended.Error);
        }

        var stored = await ChartAsync(t, patient.Id);
        Assert.Equal(patient.Version + 4, stored.Version);
        Assert.Equal([EntryStatus.Amended, EntryStatus.Active], stored.FollowUpPains.All.Select(e => e.Status));
        Assert.Equal([4, 5], stored.FollowUpPains.All.Select(e => e.Value.Nrs));
        Assert.Equal("misheard the score", stored.FollowUpPains.All[^1].Reason);
        var form = Assert.Single(stored.BpiAssessments.ActiveValues).Form;
        Assert.Equal(5.5, form.Severity);
        Assert.Equal(41 / 7.0, form.Interference, 12);
        Assert.True(Assert.Single(stored.PgicAssessments.ActiveValues).Score.IsResponder);

        // four updates of the patient, then the chart read
        await using var check = Open(t);
        var events = await check.AuditEvents.AsNoTracking().Where(a => a.Sequence > before).OrderBy(a => a.Sequence).ToListAsync(ct);
        Assert.Equal(["update", "update", "update", "update", "read"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(patient.Id, e.PatientId));
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Fact]
    public async Task OutcomeMeasure_OutOfRangeOrStale_IsRefusedAndWritesNothing()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var before = await CountAuditAsync(t);

        await using (var db = Open(t))
        {
            var outcomes = new OutcomeService(db, _clock);
            var nrs = await outcomes.RecordFollowUpAsync(patient.Id, patient.Version, _clock.Now, 11, null, Build.Nurse, ct);
            var pgic = await outcomes.RecordPgicAsync(patient.Id, patient.Version, _clock.Today, 0, Build.Nurse, ct);
            var bpi = await outcomes.RecordBpiAsync(patient.Id, patient.Version, _clock.Today, 8, 3, 6, 5, [6, 5, 7], Build.Nurse, ct);
            var stale = await outcomes.RecordPgicAsync(patient.Id, patient.Version - 1, _clock.Today, 3, Build.Nurse, ct);

            Assert.Contains("outside the allowed range 0 to 10", nrs.Error, StringComparison.Ordinal);
            Assert.Contains("outside the allowed range 1 to 7", pgic.Error, StringComparison.Ordinal);
            Assert.Contains("exactly 7", bpi.Error, StringComparison.Ordinal);
            Assert.False(stale.IsSuccess);
        }

        Assert.Equal(before, await CountAuditAsync(t));
    }

    [Fact]
    public async Task CourseOutcome_FromStoredSessionsAndFollowUps_ClassifiesRespondersAndPredictsRelief()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (session, plan) = await RunSessionAsync(t);
        var patient = await ChartAsync(t, plan.PatientId);
        _clock.Advance(TimeSpan.FromDays(2));
        await using (var db = Open(t))
        {
            var outcomes = new OutcomeService(db, _clock);
            Assert.True((await outcomes.RecordFollowUpAsync(patient.Id, patient.Version, _clock.Now, 3, null, Build.Nurse, ct)).IsSuccess);
            var later = _clock.Now.AddDays(5);
            _clock.Advance(TimeSpan.FromDays(5));
            Assert.True((await outcomes.RecordFollowUpAsync(patient.Id, patient.Version + 1, later, 6, null, Build.Nurse, ct)).IsSuccess);
        }

        var before = await CountAuditAsync(t);
        await using (var db = Open(t))
        {
            var course = await new OutcomeService(db, _clock).CourseAsync(patient.Id, Build.Physician, ct);
            Assert.True(course.IsSuccess, course.Error);
            var c = course.Value;
            Assert.Equal(7, c.Baseline);
            var s = Assert.Single(c.PerSession);
            Assert.Equal(session.Id, s.Session);
            Assert.Equal(7, s.Before);
            Assert.Equal(4, s.After);
            Assert.True(s.DoseGiven.Milligrams > 0);
            Assert.Equal([7, 4, 3, 6], c.Trajectory.Select(p => p.Nrs));
            Assert.Equal(2, c.FollowUps.Count);
            Assert.NotNull(c.Responder);
            Assert.False(c.Responder.Moderate);
            Assert.NotNull(c.DurationOfRelief);
            Assert.Equal(c.FollowUps[0].At, c.LastRelieved);
            Assert.True(c.Predicted.IsSuccess, c.Predicted.Error);
            Assert.Equal(4, c.Predicted.Value.Count); // every score from the first dose on (the baseline was scored at the start)
            Assert.All(c.Predicted.Value, p => Assert.InRange(p.PredictedFractionOfMaxEffect, 0, 1));
        }

        await using var check = Open(t);
        var read = await check.AuditEvents.AsNoTracking().OrderByDescending(a => a.Sequence).FirstAsync(ct);
        Assert.Equal((before + 1, "read", patient.Id), (read.Sequence, read.Action, read.PatientId));
    }

    [Fact]
    public async Task TitrationDecision_ProposalWithAcceptanceAndOverride_IsStoredWholeAndAudited()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (_, plan) = await RunSessionAsync(t);
        await using (var db = Open(t))
        {
            plan = (await new TreatmentService(db, _clock).GetPlanAsync(plan.Id, Build.Physician, ct)).Value;
        }

        Titration.TitrationProposal proposal;
        await using (var db = Open(t))
        {
            var p = await new TreatmentService(db, _clock).ProposeTitrationAsync(plan.Id, Build.Physician, ct);
            Assert.True(p.IsSuccess, p.Error);
            proposal = p.Value;
            Assert.NotEmpty(proposal.Findings);
        }

        var before = await CountAuditAsync(t);
        var chief = new UserId(Guid.Parse("00000000-0000-0000-0000-0000000000c1"));
        var acceptedAt = _clock.Now;
        await using (var db = Open(t))
        {
            var service = new TreatmentService(db, _clock);
            var accepted = await service.AcceptTitrationAsync(plan.Id, plan.Version, Build.Physician, ct);
            Assert.True(accepted.IsSuccess, accepted.Error);
            _clock.Advance(TimeSpan.FromDays(7));
            var noReason = await service.OverrideTitrationAsync(plan.Id, accepted.Value.Version, DoseLevel.MgPerKgPerHour(0.5), " ", Build.Physician, ct);
            Assert.Contains("needs a reason", noReason.Error, StringComparison.Ordinal);
            var tooHigh = await service.OverrideTitrationAsync(plan.Id, accepted.Value.Version, DoseLevel.MgPerKgPerHour(2.01), "patient asks for more", Build.Physician, ct);
            Assert.Contains("above the maximum", tooHigh.Error, StringComparison.Ordinal);
            var overridden = await service.OverrideTitrationAsync(plan.Id, accepted.Value.Version, DoseLevel.MgPerKgPerHour(0.5), "nausea last time", chief, ct);
            Assert.True(overridden.IsSuccess, overridden.Error);
        }

        await using (var db = Open(t))
        {
            var stored = (await new TreatmentService(db, _clock).GetPlanAsync(plan.Id, Build.Physician, ct)).Value;
            Assert.Equal(2, stored.TitrationDecisions.Count);
            var (first, second) = (stored.TitrationDecisions[0], stored.TitrationDecisions[1]);
            Assert.Equal(StateJson.Serialize(proposal), StateJson.Serialize(first.Proposal));
            Assert.False(first.Overridden);
            Assert.Equal(proposal.NextDose, first.Dose);
            Assert.Equal((Build.Physician, acceptedAt), (first.By, first.At));
            Assert.True(second.Overridden);
            Assert.Equal("nausea last time", second.Reason);
            Assert.Equal(chief, second.By);
            Assert.Equal(_clock.Now, second.At);
            Assert.Equal(DoseLevel.MgPerKgPerHour(0.5), stored.CurrentDose);
            Assert.Equal(plan.Version + 2, stored.Version);
        }

        await using var check = Open(t);
        var events = await check.AuditEvents.AsNoTracking().Where(a => a.Sequence > before).OrderBy(a => a.Sequence).ToListAsync(ct);
        Assert.Equal([("update", "plan", Build.Physician), ("update", "plan", chief)], events.Where(e => e.Action == "update").Select(e => (e.Action, e.EntityType, e.UserId)));
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Fact]
    public async Task Protocols_SeededThenRevised_KeepEveryVersionAndPlansKeepTheirs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using (var db = Open(t))
        {
            var protocols = new ProtocolService(db, _clock);
            Assert.Equal(ProtocolLibrary.Default.Protocols.Count, await protocols.SeedAsync(ProtocolLibrary.Default, ProtocolService.SystemUser, ct));
            Assert.Equal(0, await protocols.SeedAsync(ProtocolLibrary.Default, ProtocolService.SystemUser, ct));
            var listed = await protocols.ListAsync(ct);
            Assert.Equal(ProtocolLibrary.Default.Protocols.Select(p => p.Id).Distinct().Order(StringComparer.Ordinal), listed.Select(p => p.Protocol.Id));
            var stored = (await protocols.FindAsync("schwartzman2009", null, ct)).Value.Protocol;
            Assert.Equal(StateJson.Serialize(ProtocolLibrary.Default.Find("schwartzman2009").Value), StateJson.Serialize(stored));
        }

        var (patient, _) = await RegisterEligibleAsync(t);
        var plan = await PrescribeAsync(t, patient.Id);
        var before = await CountAuditAsync(t);
        await using (var db = Open(t))
        {
            var protocols = new ProtocolService(db, _clock);
            var v1 = (await protocols.FindAsync("outpatient-seed", null, ct)).Value.Protocol;
            var revised = await protocols.ReviseAsync(v1 with { Ceiling = DoseLevel.MgPerKgPerHour(1.5), Name = "Outpatient IV 0.5 → 1.5 mg/kg over 1 h" }, v1.Version, "clinic lowers the ceiling", Build.Physician, ct);
            Assert.True(revised.IsSuccess, revised.Error);
            Assert.Equal(v1.Version + 1, revised.Value.Version);
            var stale = await protocols.ReviseAsync(v1 with { NumberOfSessions = 8 }, v1.Version, "more sessions", Build.Physician, ct);
            Assert.Contains("saved by someone else", stale.Error, StringComparison.Ordinal);

            var versions = await protocols.VersionsAsync("outpatient-seed", ct);
            Assert.Equal([1, 2], versions.Select(v => v.Protocol.Version));
            Assert.Equal(2, versions[0].Protocol.Ceiling.Value);
            Assert.Equal(1.5, versions[1].Protocol.Ceiling.Value);
            Assert.Equal(("clinic lowers the ceiling", Build.Physician), (versions[1].Reason, versions[1].CreatedBy));
            Assert.Equal(2, (await protocols.LibraryAsync(ct)).Find("outpatient-seed").Value.Version);
        }

        await using (var db = Open(t))
        {
            var kept = (await new TreatmentService(db, _clock).GetPlanAsync(plan.Id, Build.Physician, ct)).Value;
            Assert.Equal(1, kept.Protocol.Version);
            Assert.Equal(2, kept.Protocol.Ceiling.Value);
        }

        var newPlan = await PrescribeAsync(t, patient.Id);
        Assert.Equal(2, newPlan.Protocol.Version);
        Assert.Equal(1.5, newPlan.Protocol.Ceiling.Value);

        await using var check = Open(t);
        var created = await check.AuditEvents.AsNoTracking().Where(a => a.Sequence == before + 1).SingleAsync(ct); // the revision, first write after the plan
        Assert.Equal(("create", "protocol", "outpatient-seed v2", default(PatientId), Build.Physician), (created.Action, created.EntityType, created.EntityId, created.PatientId, created.UserId));
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Theory]
    [InlineData("ceiling", 2.01, "ceiling: 2.01 mg/kg/h is outside the allowed range: greater than 0 and at most 2 mg/kg/h")]
    [InlineData("start", 0, "start: 0 mg/kg/h is outside the allowed range")]
    [InlineData("step", 2.5, "step: 2.5 mg/kg/h is outside the allowed range: at least 0 and at most 2 mg/kg/h")]
    [InlineData("sessions", 0, "sessions: 0 is outside the allowed range 1 to 50")]
    [InlineData("interval", -1, "interval: -1 days is outside the allowed range 0 to 365")]
    public async Task Protocol_OutsideTheDrugLibraryOrAllowedRanges_IsRefusedNamingTheFieldAndWritesNothing(string field, double value, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var p = ProtocolLibrary.SeedOutpatient with { Id = "clinic-custom", Version = 1 };
        p = field switch
        {
            "ceiling" => p with { Ceiling = DoseLevel.MgPerKgPerHour(value) },
            "start" => p with { Start = DoseLevel.MgPerKgPerHour(value) },
            "step" => p with { Step = DoseLevel.MgPerKgPerHour(value) },
            "sessions" => p with { NumberOfSessions = (int)value },
            _ => p with { IntervalDays = (int)value },
        };
        await using var db = Open(t);
        var protocols = new ProtocolService(db, _clock);

        var r = await protocols.AddAsync(p, "clinic scheme", Build.Physician, ct);

        Assert.False(r.IsSuccess);
        Assert.StartsWith(expected, r.Error, StringComparison.Ordinal);
        Assert.NotEmpty(r.Refusal.Findings);
        Assert.Empty(await protocols.ListAsync(ct));
        Assert.Equal(0, await CountAuditAsync(t));
    }

    [Fact]
    public async Task Protocol_AtExactlyTheHardLimit_IsAddedAndAnExistingIdIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using var db = Open(t);
        var protocols = new ProtocolService(db, _clock);
        var p = ProtocolLibrary.SeedOutpatient with { Id = "clinic-custom", Version = 7, Ceiling = DoseLevel.MgPerKgPerHour(2) };

        var added = await protocols.AddAsync(p, "clinic scheme", Build.Physician, ct);
        var again = await protocols.AddAsync(p, "clinic scheme", Build.Physician, ct);
        var noReason = await protocols.ReviseAsync(p, 1, " ", Build.Physician, ct);

        Assert.True(added.IsSuccess, added.Error);
        Assert.Equal(1, added.Value.Version);
        Assert.Equal("id: protocol \"clinic-custom\" exists already; revise it to add a version.", again.Error);
        Assert.Equal("protocol.exists(field=id, id=clinic-custom)", again.Refusal.Findings.Single().ToString());
        var unknown = await protocols.ReviseAsync(p with { Id = "clinic-other" }, 1, "clinic scheme", Build.Physician, ct);
        Assert.Equal("protocol.revise-unknown(field=id, id=clinic-other)", unknown.Refusal.Findings.Single().ToString());
        Assert.Equal("protocol.unknown(field=protocol, id=clinic-other)", (await protocols.FindAsync("clinic-other", null, ct)).Refusal.Findings.Single().ToString());
        Assert.Equal("protocol.version-unknown(field=protocol, id=clinic-custom, version=9)", (await protocols.FindAsync("clinic-custom", 9, ct)).Refusal.Findings.Single().ToString());
        var badId = await protocols.AddAsync(p with { Id = "Clinic Custom" }, "clinic scheme", Build.Physician, ct);
        Assert.Equal("protocol.id-invalid(field=id, text=Clinic Custom)", badId.Refusal.Findings.Single().ToString());
        Assert.Contains("needs a reason", noReason.Error, StringComparison.Ordinal);
        Assert.Equal(FindingCodes.ProtocolReasonMissing, noReason.Refusal.Findings.Single().Code);

        var unnamed = await protocols.AddAsync(p with { Id = "clinic-unnamed", Name = " " }, "clinic scheme", Build.Physician, ct);
        Assert.Equal("name: must be 1 to 200 characters.", unnamed.Error);
        Assert.Equal(["field=name", "max=200"], unnamed.Refusal.Findings.Single().Args.Select(a => a.Name + "=" + a.Invariant()));
        var unsourced = await protocols.AddAsync(p with { Id = "clinic-unsourced", Sources = [] }, "clinic scheme", Build.Physician, ct);
        Assert.Equal(FindingCodes.ProtocolSourcesMissing, unsourced.Refusal.Findings.Single().Code);
    }

    [Fact]
    public async Task ProtocolVersion_ChangedOrDeletedThroughTheContext_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using (var db = Open(t))
        {
            await new ProtocolService(db, _clock).SeedAsync(ProtocolLibrary.Default, ProtocolService.SystemUser, ct);
        }

        await using var edit = Open(t);
        var row = await edit.Protocols.FirstAsync(ct);
        row.Name = "changed";
        await Assert.ThrowsAsync<ClinicalRecordException>(() => edit.SaveChangesAsync(ct));
        edit.ChangeTracker.Clear();
        edit.Protocols.Remove(await edit.Protocols.FirstAsync(ct));
        await Assert.ThrowsAsync<ClinicalRecordException>(() => edit.SaveChangesAsync(ct));
    }

    [Fact]
    public async Task Amend_WithoutAReason_IsRefusedAndWritesNothing()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var before = await CountAuditAsync(t);

        await using (var db = Open(t))
        {
            var r = await new PatientService(db, _clock).AmendAsync(patient.Id, patient.Version, patient.Measurements.All[0].Id, BodyMeasurement.Create(_clock.Today, 50).Value, "  ", Build.Nurse, TestContext.Current.CancellationToken);

            Assert.False(r.IsSuccess);
            Assert.Contains("needs a reason", r.Error, StringComparison.Ordinal);
        }

        Assert.Equal(before, await CountAuditAsync(t));
        Assert.Equal(patient.Version, (await ChartAsync(t, patient.Id)).Version);
    }

    [Fact]
    public async Task Search_ByRecordNumberOrName_ListsWithoutReadingTheChart()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var before = await CountAuditAsync(t);
        await using var db = Open(t);
        var service = new PatientService(db, _clock);

        var byNumber = await service.SearchAsync("MRN-", ct);
        var byName = await service.SearchAsync("Şahin", ct);
        var none = await service.SearchAsync("nobody", ct);

        var row = Assert.Single(byNumber);
        Assert.Equal(new PatientSummary(patient.Id, "MRN-1", "Şahin", "Zeynep Nur", new DateOnly(1984, 3, 9), patient.Version, false), row);
        Assert.Single(byName);
        Assert.Empty(none);
        Assert.Equal(before, await CountAuditAsync(t));
    }

    [Fact]
    public async Task Delete_OfAnyClinicalRecordOrAuditEvent_IsRefused()
    {
        await using var t = await MigratedAsync();
        var (session, plan) = await ScheduleAsync(t);
        var ct = TestContext.Current.CancellationToken;

        foreach (var remove in new Func<KetaCareDbContext, Task>[]
        {
            async db => db.Patients.Remove(await db.Patients.SingleAsync(p => p.Id == plan.PatientId, ct)),
            async db => db.Plans.Remove(await db.Plans.SingleAsync(p => p.Id == plan.Id, ct)),
            async db => db.Sessions.Remove(await db.Sessions.SingleAsync(s => s.Id == session.Id, ct)),
            async db => db.Assessments.Remove(await db.Assessments.FirstAsync(ct)),
            async db => db.AuditEvents.Remove(await db.AuditEvents.FirstAsync(ct)),
        })
        {
            await using var db = Open(t);
            await remove(db);
            var e = await Assert.ThrowsAsync<ClinicalRecordException>(() => db.SaveChangesAsync(ct));
            Assert.Contains("never", e.Message, StringComparison.Ordinal);
        }

        await using var check = Open(t);
        Assert.Equal(1, await check.Sessions.CountAsync(ct));
        Assert.Equal(1, await check.Patients.CountAsync(ct));
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Fact]
    public async Task AuditEvent_ChangedThroughTheContext_IsRefused()
    {
        await using var t = await MigratedAsync();
        await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        await using var db = Open(t);
        var first = await db.AuditEvents.OrderBy(a => a.Sequence).FirstAsync(ct);
        first.Detail = "rewritten";

        await Assert.ThrowsAsync<ClinicalRecordException>(() => db.SaveChangesAsync(ct));
    }

    [Fact]
    public async Task EveryCreateAndUpdate_WritesAChainedAuditEventNamingWhoWhenWhatAndWhichPatient()
    {
        await using var t = await MigratedAsync();
        var ct = TestContext.Current.CancellationToken;
        Patient patient;
        await using (var db = Open(t))
        {
            var service = new PatientService(db, _clock);
            patient = (await service.RegisterAsync(new Demographics("MRN-7", "Can", "Öztürk", new DateOnly(1990, 2, 1), Sex.Male), Build.Nurse, ct)).Value;
            _clock.Advance(TimeSpan.FromMinutes(1));
            Assert.True((await service.RecordAsync(patient.Id, 1, BodyMeasurement.Create(_clock.Today, 80).Value, Build.SecondNurse, ct)).IsSuccess);
        }

        await using var check = Open(t);
        var events = await check.AuditEvents.AsNoTracking().OrderBy(a => a.Sequence).ToListAsync(ct);
        Assert.Equal(["create", "update"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(patient.Id, e.PatientId));
        Assert.Equal([Build.Nurse, Build.SecondNurse], events.Select(e => e.UserId));
        Assert.Equal([Build.Start, Build.Start.AddMinutes(1)], events.Select(e => e.At));
        Assert.Equal(["version 1", "version 2"], events.Select(e => e.Detail));
        Assert.Equal(AuditChain.Genesis, events[0].PreviousHash);
        Assert.Equal(events[0].Hash, events[1].PreviousHash);
        var verified = await AuditChain.VerifyAsync(check, ct);
        Assert.True(verified.IsIntact, string.Join(" ", verified.Problems));
        Assert.Equal(2, verified.Count);
    }

    [Fact]
    public async Task OpenChart_WritesAReadAuditEvent()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var before = await CountAuditAsync(t);
        _clock.Advance(TimeSpan.FromHours(2));

        await using (var db = Open(t))
        {
            Assert.True((await new PatientService(db, _clock).OpenChartAsync(patient.Id, Build.Physician, ct)).IsSuccess);
        }

        await using var check = Open(t);
        var last = await check.AuditEvents.AsNoTracking().OrderByDescending(a => a.Sequence).FirstAsync(ct);
        Assert.Equal(before + 1, last.Sequence);
        Assert.Equal("read", last.Action);
        Assert.Equal(Build.Physician, last.UserId);
        Assert.Equal(patient.Id, last.PatientId);
        Assert.Equal(_clock.Now, last.At);
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Fact]
    public async Task OpenChart_ManyUsersAtOnce_AuditsEveryOpeningOnceByItsUserAndTheChainVerifies()
    {
        // Reads that arrive together are committed together (group commit on SQLite); none may be lost, merged,
        // written twice or credited to the wrong user.
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var before = await CountAuditAsync(t);
        var users = Enumerable.Range(0, 40).Select(_ => new UserId(Guid.NewGuid())).ToList();

        await Task.WhenAll(users.Select(u => Task.Run(
            async () =>
            {
                await using var db = Open(t);
                Assert.True((await new PatientService(db, _clock).OpenChartAsync(patient.Id, u, ct)).IsSuccess);
            },
            ct)));

        await using var check = Open(t);
        var reads = await check.AuditEvents.AsNoTracking().Where(a => a.Sequence > before).OrderBy(a => a.Sequence).ToListAsync(ct);
        Assert.Equal(users.Count, reads.Count);
        Assert.All(reads, r => Assert.Equal(("read", "chart opened", patient.Id), (r.Action, r.Detail, r.PatientId)));
        Assert.Equal(users.Select(u => u.Value).Order().ToList(), reads.Select(r => r.UserId.Value).Order().ToList());
        Assert.Equal(Enumerable.Range(before + 1, users.Count).Select(i => (long)i), reads.Select(r => r.Sequence));
        var verified = await AuditChain.VerifyAsync(check, ct);
        Assert.True(verified.IsIntact, string.Join(" ", verified.Problems));
    }

    [Fact]
    public async Task OpenChart_CancelledBeforeTheWrite_WritesNothingAndLaterReadsStillChain()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var before = await CountAuditAsync(t);

        await using (var db = Open(t))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new PatientService(db, _clock).OpenChartAsync(patient.Id, Build.Physician, new CancellationToken(canceled: true)));
        }

        Assert.Equal(before, await CountAuditAsync(t));
        await using (var db = Open(t))
        {
            Assert.True((await new PatientService(db, _clock).OpenChartAsync(patient.Id, Build.Nurse, ct)).IsSuccess);
        }

        await using var check = Open(t);
        var last = await check.AuditEvents.AsNoTracking().OrderByDescending(a => a.Sequence).FirstAsync(ct);
        Assert.Equal((before + 1, Build.Nurse), (last.Sequence, last.UserId));
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Fact]
    public async Task FailedSave_WritesNoAuditEventAndNoChange()
    {
        await using var t = await MigratedAsync();
        var (patient, _) = await RegisterEligibleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var before = await CountAuditAsync(t);

        await using (var db = Open(t))
        {
            // Two changes in one unit of work; the second breaks the unique record number, so the database refuses the whole save.
            var row = await db.Patients.SingleAsync(p => p.Id == patient.Id, ct);
            var p = StateJson.Deserialize<Patient>(row.Document);
            p.Record(BodyMeasurement.Create(_clock.Today, 90).Value, Build.Nurse, _clock);
            row.Version = p.Version;
            row.Document = StateJson.Serialize(p);
            db.Patients.Add(new PatientRecord { Id = PatientId.New(), MedicalRecordNumber = patient.Demographics.MedicalRecordNumber, FamilyName = "X", GivenName = "Y", Version = 1, Document = "{}" });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
            Assert.DoesNotContain(db.ChangeTracker.Entries<AuditEvent>(), e => e.State == EntityState.Added);
        }

        Assert.Equal(before, await CountAuditAsync(t));
        var stored = await ChartAsync(t, patient.Id);
        Assert.Equal(patient.Version, stored.Version);
        Assert.Equal(70, stored.Snapshot().MeasurementOn(_clock.Today).Value.Weight.Kilograms);
    }

    [Fact]
    public async Task SessionWrite_ExceptionMidUnitOfWork_LeavesThePreviousStateIntact()
    {
        await using var t = await MigratedAsync();
        var (session, _) = await ScheduleAsync(t);
        var ct = TestContext.Current.CancellationToken;
        var before = await CountAuditAsync(t);

        await using (var db = Open(t))
        {
            var sessions = new SessionService(db, _clock);
            await Assert.ThrowsAsync<IOException>(() => sessions.ChangeAsync(
                session.Id,
                session.Version,
                s =>
                {
                    s.BeginPreAssessment(Build.Nurse, _clock);
                    throw new IOException("monitor link lost mid-write");
                },
                Build.Nurse,
                ct));

            // The same context can carry on: nothing half-written is pending.
            var r = await sessions.ChangeAsync(session.Id, session.Version, s => s.Cancel("rebooked", Build.Nurse, _clock), Build.Nurse, ct);
            Assert.True(r.IsSuccess, r.Error);
        }

        await using var check = Open(t);
        var stored = await new SessionService(check, _clock).GetAsync(session.Id, Build.Nurse, ct);
        Assert.Equal(SessionState.Cancelled, stored.Value.State);
        Assert.Equal(session.Version + 1, stored.Value.Version);
        Assert.Equal(before + 2, await CountAuditAsync(t));
        Assert.True((await AuditChain.VerifyAsync(check, ct)).IsIntact);
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("insert")]
    [InlineData("delete")]
    public async Task VerifyAudit_RowTamperedDirectlyInSql_FailsNamingTheEvent(string tamper)
    {
        await using var t = await MigratedAsync();
        await RunSessionAsync(t);
        var ct = TestContext.Current.CancellationToken;
        await using (var db = Open(t))
        {
            Assert.True((await AuditChain.VerifyAsync(db, ct)).IsIntact);
        }

        var sql = tamper switch
        {
            "edit" => "UPDATE audit_events SET detail = 'version 99' WHERE sequence = 3",
            "insert" => "INSERT INTO audit_events (sequence, at, user_id, action, entity_type, entity_id, patient_id, detail, previous_hash, hash) "
                + "SELECT 100000, at, user_id, 'read', entity_type, entity_id, patient_id, detail, hash, hash FROM audit_events WHERE sequence = (SELECT MAX(sequence) FROM audit_events)",
            _ => "DELETE FROM audit_events WHERE sequence = 4",
        };
        Assert.Equal(1, await t.ExecuteAsync(sql));

        await using var check = Open(t);
        var result = await AuditChain.VerifyAsync(check, ct);

        Assert.False(result.IsIntact);
        var expected = tamper switch
        {
            "edit" => "event #3: altered",
            "insert" => "event #100000: altered",
            _ => "event #4: missing (deleted)",
        };
        Assert.Contains(result.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        if (tamper == "delete")
        {
            Assert.Contains(result.Problems, p => p.StartsWith("event #5: does not follow", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Seed_RunTwice_WritesTheDemoOnceAndVerifies()
    {
        await using var t = await MigratedAsync();
        var ct = TestContext.Current.CancellationToken;

        var first = await DemoSeed.RunAsync(t.Database, _clock, ct);
        var second = await DemoSeed.RunAsync(t.Database, _clock, ct);

        Assert.True(first.IsSuccess, first.Error);
        Assert.True(first.Value.Seeded);
        Assert.True(second.IsSuccess, second.Error);
        Assert.False(second.Value.Seeded);
        await using var db = Open(t);
        Assert.Equal(3, await db.Patients.CountAsync(ct));
        Assert.Equal(3, await db.Sessions.CountAsync(ct));
        Assert.Equal(2, await db.Plans.CountAsync(ct));
        Assert.Equal(["Eligible", "Eligible", "NotEligible"], (await db.Assessments.Select(a => a.Result).ToListAsync(ct)).Order(StringComparer.Ordinal));
        Assert.All(await db.Sessions.Select(s => s.State).ToListAsync(ct), s => Assert.Equal(nameof(SessionState.Discharged), s));
        Assert.True((await AuditChain.VerifyAsync(db, ct)).IsIntact);
        var sessions = await new SessionService(db, _clock).ForPatientAsync((await db.Patients.SingleAsync(p => p.MedicalRecordNumber == "DEMO-0001", ct)).Id, Build.Nurse, ct);
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s => Assert.True(s.DoseGiven(s.Transitions[^1].At).Milligrams > 0));
        var crps = await new OutcomeService(db, _clock).CourseAsync(sessions[0].PatientId, Build.Nurse, ct);
        Assert.True(crps.IsSuccess, crps.Error);
        Assert.Equal(2, crps.Value.FollowUps.Count);
        Assert.Single(crps.Value.Bpi);
        Assert.Single(crps.Value.Pgic);
        Assert.NotNull(crps.Value.DurationOfRelief);
        var plans = await new TreatmentService(db, _clock).PlansAsync(sessions[0].PatientId, Build.Nurse, ct);
        // The second session's pre-infusion score (6) is 14 % below the first (7): the in-session drop to 3 is the acute
        // effect, not relief that lasted, so the advisor steps up again.
        Assert.Equal([TitrationAction.Increase, TitrationAction.Increase], Assert.Single(plans).TitrationDecisions.Select(d => d.Proposal.Action));
    }

    [Fact]
    public async Task Seed_DatabaseWithRealPatients_IsRefused()
    {
        await using var t = await MigratedAsync();
        await RegisterEligibleAsync(t);

        var r = await DemoSeed.RunAsync(t.Database, _clock, TestContext.Current.CancellationToken);

        Assert.False(r.IsSuccess);
        Assert.Contains("not demo data", r.Error, StringComparison.Ordinal);
        await using var db = Open(t);
        Assert.Equal(1, await db.Patients.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AuditChain_ParallelWritersOnSeparateConnections_StaysOneUnbrokenChain()
    {
        await using var t = await MigratedAsync();
        var ct = TestContext.Current.CancellationToken;

        // Several app instances writing at once must not fork the chain (two events claiming the same predecessor).
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(
            async () =>
            {
                for (var j = 0; j < 3; j++)
                {
                    await using var db = Open(t);
                    var r = await new PatientService(db, _clock).RegisterAsync(new Demographics($"MRN-P{i}-{j}", "Par", "Allel", new DateOnly(1970, 1, 1), Sex.Female), Build.Nurse, ct);
                    Assert.True(r.IsSuccess, r.Error);
                }
            },
            ct)));

        await using var check = Open(t);
        var result = await AuditChain.VerifyAsync(check, ct);
        Assert.True(result.IsIntact, string.Join(" ", result.Problems));
        Assert.Equal(12, result.Count);
    }

    [Fact]
    public async Task Save_WithoutAUser_IsRefused()
    {
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open();
        db.Patients.Add(new PatientRecord { Id = PatientId.New(), MedicalRecordNumber = "MRN-X", Version = 1, Document = "{}" });

        var e = await Assert.ThrowsAsync<ClinicalRecordException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.Contains("no user", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TitrationDue_AfterADischargedSession_ListsThePlanWithoutReadingAChartUntilTheDoseIsDecided()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        var (_, plan) = await RunSessionAsync(t);
        await using (var db = Open(t))
        {
            var audited = await db.AuditEvents.CountAsync(ct);
            var item = Assert.Single(await new TreatmentService(db, _clock).TitrationDueAsync(ct));
            Assert.Equal((plan.Id, plan.PatientId, 1), (item.Plan, item.Patient, item.SessionsGiven));
            Assert.Equal(audited, await db.AuditEvents.CountAsync(ct));
        }

        _clock.Advance(TimeSpan.FromHours(1));
        await using (var db = Open(t))
        {
            var treatments = new TreatmentService(db, _clock);
            var current = (await treatments.GetPlanAsync(plan.Id, Build.Physician, ct)).Value;
            var accepted = await treatments.AcceptTitrationAsync(plan.Id, current.Version, Build.Physician, ct);
            Assert.True(accepted.IsSuccess, accepted.Error);
            Assert.Empty(await treatments.TitrationDueAsync(ct));
        }
    }

    protected async Task<TestDatabase> MigratedAsync()
    {
        var t = await CreateAsync();
        await t.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return t;
    }

    protected KetaCareDbContext Open(TestDatabase t) => t.Database.Open(Build.Nurse, _clock);

    protected async Task<(Patient Patient, EntryId Condition)> RegisterEligibleAsync(TestDatabase t, bool withHypertensionHistory = false, string recordNumber = "MRN-1")
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Open(t);
        var service = new PatientService(db, _clock);
        var p = (await service.RegisterAsync(new Demographics(recordNumber, "Zeynep", "Şahin", new DateOnly(1984, 3, 9), Sex.Female), Build.Nurse, ct)).Value;
        EntryId condition = default;
        var r = await service.ChangeAsync(
            p.Id,
            p.Version,
            x =>
            {
                x.Record(BodyMeasurement.Create(_clock.Today.AddDays(-30), 70, 168).Value, Build.Nurse, _clock);
                condition = x.Record(new Condition(Icd10Code.Parse("G90.511").Value, "CRPS I right upper limb", _clock.Today.AddYears(-1)), Build.Physician, _clock).Id;
                x.Record(new PriorTreatment(TreatmentClass.Gabapentinoid, "pregabalin", "150 mg twice daily", Pharmacology.Units.Duration.FromDays(90), TreatmentOutcome.Ineffective), Build.Physician, _clock);
                x.Record(new Medication("lorazepam", "1 mg at night", InteractionClass.Benzodiazepine | InteractionClass.CnsDepressant), Build.Physician, _clock);
                x.Record(new ContraindicationFinding(withHypertensionHistory ? FindingKind.Hypertension : FindingKind.CardiovascularRisk, Severity.Mild, false, "smoker"), Build.Physician, _clock);
                x.Record(new PregnancyStatus(PregnancyState.NotOfChildbearingPotential, _clock.Today), Build.Nurse, _clock);
                x.Record(new Consent(ConsentKind.OffLabelKetamineForPain, _clock.Today.AddDays(-1), _clock.Today.AddYears(1), "scan-001"), Build.Physician, _clock);
                return x.CorrectDemographics(x.Demographics with { GivenName = "Zeynep Nur" }, "second given name missing", Build.Nurse, _clock);
            },
            Build.Nurse,
            ct);
        Assert.True(r.IsSuccess, r.Error);
        return (r.Value, condition);
    }

    protected async Task<TreatmentPlan> PrescribeAsync(TestDatabase t, PatientId patient)
    {
        await using var db = Open(t);
        // The eligible patient takes lorazepam: the protocol's midazolam rescue order needs the prescriber's reason.
        var request = new PrescriptionRequest(patient, "outpatient-seed", "domino1984", "bag-1", DoseLevel.MgPerKgPerHour(0.5));
        var plan = await new TreatmentService(db, _clock).PrescribeAsync(request, "midazolam rescue reviewed against the lorazepam", Build.Physician, TestContext.Current.CancellationToken);
        Assert.True(plan.IsSuccess, plan.Error);
        return plan.Value;
    }

    protected async Task<(InfusionSession Session, TreatmentPlan Plan)> ScheduleAsync(TestDatabase t)
    {
        var (patient, condition) = await RegisterEligibleAsync(t);
        await using (var db = Open(t))
        {
            Assert.True((await new TreatmentService(db, _clock).AssessEligibilityAsync(patient.Id, condition, Build.Physician, null, TestContext.Current.CancellationToken)).IsSuccess);
        }

        var plan = await PrescribeAsync(t, patient.Id);
        await using var db2 = Open(t);
        var s = await new SessionService(db2, _clock).ScheduleAsync(plan.Id, _clock.Today, Build.Nurse, TestContext.Current.CancellationToken);
        Assert.True(s.IsSuccess, s.Error);
        return (s.Value, plan);
    }

    /// <summary>A whole session through the service, one unit of work per step: pre-assessment, start, pause, resume slower, an alert, an adverse event, completion, recovery, discharge.</summary>
    /// <param name="t">The database.</param>
    /// <param name="beforeStart">Runs once the pump program is checked, before the infusion starts (the drug's draw and preparation).</param>
    protected async Task<(InfusionSession Session, TreatmentPlan Plan)> RunSessionAsync(TestDatabase t, Func<InfusionSession, Task>? beforeStart = null)
    {
        var (session, plan, patient, program) = await ProgrammedSessionAsync(t);
        var ct = TestContext.Current.CancellationToken;

        async Task Step(Func<InfusionSession, Outcome> change) => session = await StepAsync(t, session, change);

        var check = DoseCheck.Evaluate(new PlannedDose(plan.Protocol, patient.Snapshot().CovariatesOn(_clock.Today).Value, program.BackCalculated, plan.Preparation, plan.ModelId) { VtbiMl = program.VtbiMl }, DrugLibrary.Default);
        var auth = DoseAuthorization.Authorize(check, check.SoftFindings.ToDictionary(f => f.LimitId, _ => "reviewed", StringComparer.Ordinal), Build.Physician, _clock).Value;
        if (beforeStart is not null)
        {
            await beforeStart(session);
        }

        await Step(s => s.StartInfusion(auth, null, SessionSettings.Default, Build.Nurse, _clock));
        _clock.Advance(TimeSpan.FromMinutes(20));
        await Step(s => Observe(s, 186));
        await Step(s => s.Pause("SBP 186", Build.Nurse, _clock));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await Step(s => Observe(s, 150));
        await Step(s => s.Resume(Build.Nurse, _clock, program.RateMlPerHour / 2, null, SessionSettings.Default));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await Step(s => s.ChangeRate(program.RateMlPerHour / 4, "nausea", Build.Nurse, _clock));
        await Step(s => s.GiveAncillary(2, 4, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, _clock));
        await Step(s =>
        {
            var ae = s.RecordAdverseEvent(AdverseEventType.NauseaVomiting, 1, false, AdverseEventAction.RateReduced, AdverseEventOutcome.Resolving, _clock.Now, "nausea, no vomiting", Build.Nurse, _clock);
            return ae.IsSuccess ? Outcome.Ok() : ae.Refusal;
        });
        _clock.Advance(TimeSpan.FromMinutes(30));
        await Step(s => s.Complete(Build.Nurse, _clock, Math.Round(s.Account(_clock.Now).VolumeMl, 1), SessionSettings.Default));
        await Step(s => s.BeginRecovery(Build.Nurse, _clock));
        _clock.Advance(TimeSpan.FromMinutes(60));
        await Step(s => Observe(s, 128, 4));
        var covariates = patient.Snapshot().CovariatesOn(_clock.Today).Value;
        await Step(s => s.Discharge(AldreteScore.Create(2, 2, 2, 2, 2).Value, true, RecoveryPrediction.Predict(s, plan.ModelId, covariates, SessionSettings.Default.DischargeEffectSiteNgPerMl, _clock.Now), null, SessionSettings.Default, Build.Nurse, _clock));
        return (session, plan);
    }

    /// <summary>A session pre-assessed, its pump programmed and checked by a second nurse: ready to start.</summary>
    protected async Task<(InfusionSession Session, TreatmentPlan Plan, Patient Patient, PumpProgram Program)> ProgrammedSessionAsync(TestDatabase t)
    {
        var ct = TestContext.Current.CancellationToken;
        var (session, plan) = await ScheduleAsync(t);
        var patient = await ChartAsync(t, plan.PatientId);
        EligibilityAssessment assessment;
        await using (var db = Open(t))
        {
            assessment = (await new TreatmentService(db, _clock).AssessmentsAsync(plan.PatientId, Build.Physician, ct))[0].Assessment;
        }

        async Task Step(Func<InfusionSession, Outcome> change) => session = await StepAsync(t, session, change);

        await Step(s => s.BeginPreAssessment(Build.Nurse, _clock));
        await Step(s => Observe(s, 130, 7));
        await Step(s => s.CompletePreAssessment(new PreAssessmentInput(patient.Snapshot(), assessment, null, Build.Checklist(_clock.GetUtcNow()) with { NewMedications = [new Medication("tramadol", "50 mg", InteractionClass.CnsDepressant)] }), SessionSettings.Default, Build.Nurse, _clock));
        await Step(s => s.GiveAncillary(0, 4, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, _clock));
        var program = PumpProgram.Compute(session.PlannedDose, session.Weight!.Weight, plan.Preparation, plan.Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, _clock).Value;
        await Step(s => s.RecordPumpProgram(program));
        await Step(s => s.RecordSecondCheck(SessionFixture.SecondNurseStaff, SessionFixture.Reading(program), PumpSettings.Default, _clock) is { IsSuccess: true, Value.Matched: true } ? Outcome.Ok() : Outcome.Fail("second check"));
        return (session, plan, patient, program);
    }

    /// <summary>One step of a session in its own unit of work, saved against the version held.</summary>
    private async Task<InfusionSession> StepAsync(TestDatabase t, InfusionSession session, Func<InfusionSession, Outcome> change)
    {
        await using var db = Open(t);
        var r = await new SessionService(db, _clock).ChangeAsync(session.Id, session.Version, change, Build.Nurse, TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccess, r.Error);
        return r.Value;
    }

    private Outcome Observe(InfusionSession s, int sbp, int? nrs = null)
    {
        var r = s.RecordObservation(Observation.Create(_clock.Now, sbp, 80, 82, 97, 14, new SedationScore(SedationScale.Rass, 0), 5, nrs).Value, SessionSettings.Default, Build.Nurse, _clock);
        return r.IsSuccess ? Outcome.Ok() : Outcome.Fail(r.Error);
    }

    private async Task<Patient> ChartAsync(TestDatabase t, PatientId id)
    {
        await using var db = Open(t);
        var r = await new PatientService(db, _clock).OpenChartAsync(id, Build.Physician, TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccess, r.Error);
        return r.Value;
    }

    private static async Task<int> CountAuditAsync(TestDatabase t)
    {
        await using var db = t.Database.Open();
        return await db.AuditEvents.CountAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>The storage suite on a SQLite file.</summary>
public sealed class SqliteStorageTests : StorageTests
{
    protected override Task<TestDatabase> CreateAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());

    [Fact]
    public async Task Migrate_SqliteFile_UsesTheWalJournal()
    {
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open();
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Backup_Sqlite_ProducesARestorableFileWithAnIntactAuditChain()
    {
        await using var t = await MigratedAsync();
        var (session, _) = await RunSessionAsync(t);
        var ct = TestContext.Current.CancellationToken;
        await using var backup = new SqliteTestDatabase();
        File.Delete(backup.Database.SqlitePath!);

        var r = await DatabaseBackup.RunAsync(t.Database, backup.Database.SqlitePath!, ct);

        Assert.True(r.IsSuccess, r.Error);
        Assert.Empty(await backup.Database.PendingMigrationsAsync(ct));
        await using var db = backup.Database.Open(null, TimeProvider.System);
        Assert.True((await AuditChain.VerifyAsync(db, ct)).IsIntact);
        var restored = await new SessionService(db, TimeProvider.System).GetAsync(session.Id, Build.Nurse, ct);
        Assert.Equal(StateJson.Serialize(session), StateJson.Serialize(restored.Value));
        Assert.False((await DatabaseBackup.RunAsync(t.Database, backup.Database.SqlitePath!, ct)).IsSuccess);
    }
}

/// <summary>The storage suite on a PostgreSQL server (KETACARE_TEST_POSTGRES).</summary>
public sealed class PostgresStorageTests : StorageTests
{
    protected override async Task<TestDatabase> CreateAsync() => await PostgresTestDatabase.CreateAsync();

    [Fact]
    public async Task Backup_Postgres_WritesAPgDumpArchive()
    {
        await using var t = await MigratedAsync();
        await RegisterEligibleAsync(t);
        var target = Path.Combine(Path.GetTempPath(), "ketacare-" + Guid.NewGuid().ToString("N") + ".dump");
        try
        {
            var r = await DatabaseBackup.RunAsync(t.Database, target, TestContext.Current.CancellationToken);

            if (!r.IsSuccess && r.Error.Contains("not found on PATH", StringComparison.Ordinal))
            {
                Assert.Contains("postgresql-client", r.Error, StringComparison.Ordinal);
                return;
            }

            Assert.True(r.IsSuccess, r.Error);
            Assert.StartsWith("PGDMP", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(target), 0, 5), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(target);
        }
    }
}
