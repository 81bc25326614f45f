using System.Net;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Web.Pages.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Api;

/// <summary>Session state actions and observations through the API on an infusion that is running.</summary>
public sealed class SessionApiTests : IClassFixture<ApiTests.App>
{
    private readonly ApiTests.App _app;

    public SessionApiTests(ApiTests.App app) => _app = app;

    [Fact]
    public async Task Actions_PauseResumeObserveAcknowledgeComplete_FollowTheSessionStateMachineAndItsGates()
    {
        var session = await RunningSessionAsync();
        var nurse = await _app.ClientAsync("nurse");
        var path = $"/api/v1/sessions/{session.Value:D}";
        var version = (await nurse.GetJsonAsync(path))["version"]!.GetValue<long>();

        var noReason = await (await nurse.PostJsonAsync(path + "/actions/pause", $$$"""{"expectedVersion":{{{version}}}}""")).ProblemAsync(400);
        Assert.NotEmpty(noReason.Errors("reason"));
        var stale = await nurse.PostJsonAsync(path + "/actions/pause", $$$"""{"expectedVersion":{{{version - 1}}},"reason":"nausea"}""");
        Assert.Equal(["conflict.version"], (await stale.ProblemAsync(409)).Codes());
        await (await nurse.PostJsonAsync(path + "/actions/explode", $$$"""{"expectedVersion":{{{version}}}}""")).ProblemAsync(400);

        var paused = await (await nurse.PostJsonAsync(path + "/actions/pause", $$$"""{"expectedVersion":{{{version}}},"reason":"nausea"}""")).JsonAsync();
        Assert.Equal("Paused", paused["state"]!.GetValue<string>());
        Assert.Equal("nausea", paused["transitions"]!.AsArray()[^1]!["reason"]!.GetValue<string>());
        var resumed = await (await nurse.PostJsonAsync(path + "/actions/resume", $$$"""{"expectedVersion":{{{paused["version"]}}}}""")).JsonAsync();
        Assert.Equal("Running", resumed["state"]!.GetValue<string>());
        Assert.Equal(2, resumed["segments"]!.AsArray().Count);

        var observed = await nurse.PostJsonAsync(path + "/observations", $$$"""{"expectedVersion":{{{resumed["version"]}}},"systolic":190,"diastolic":100,"heartRate":88,"spO2":97,"sedation":{"scale":"Rass","value":-1},"painNrs":4}""");
        Assert.Equal(HttpStatusCode.Created, observed.StatusCode);
        var recorded = await observed.JsonAsync();
        var alert = Assert.Single(recorded["alerts"]!.AsArray());
        Assert.Equal("Pause", alert!["action"]!.GetValue<string>());
        Assert.Equal("vital.systolic-high", alert["code"]!.GetValue<string>());
        Assert.Equal(190, alert["measured"]!.GetValue<int>());

        // A stop-level alert (SpO2 below 92 %) blocks the resume until it is acknowledged with the action taken, and the
        // vitals must be back inside the thresholds.
        var hypoxic = await (await nurse.PostJsonAsync(path + "/observations", $$$"""{"expectedVersion":{{{recorded["version"]}}},"systolic":130,"diastolic":80,"heartRate":80,"spO2":89,"respiratoryRate":14}""")).JsonAsync();
        Assert.Contains(hypoxic["alerts"]!.AsArray(), a => a!["code"]!.GetValue<string>() == "vital.spo2-low" && a["action"]!.GetValue<string>() == "Stop");
        var held = await (await nurse.PostJsonAsync(path + "/actions/pause", $$$"""{"expectedVersion":{{{hypoxic["version"]}}},"reason":"SpO2 89"}""")).JsonAsync();
        var unacknowledged = await (await nurse.PostJsonAsync(path + "/actions/resume", $$$"""{"expectedVersion":{{{held["version"]}}}}""")).ProblemAsync(400);
        Assert.Equal(["gate.unacknowledged-alert"], unacknowledged.Codes());
        var stopIndex = held["alerts"]!.AsArray().Select((a, i) => (a, i)).Single(x => x.a!["alert"]!["code"]!.GetValue<string>() == "vital.spo2-low").i;
        var acknowledged = await (await nurse.PostJsonAsync(path + "/actions/acknowledge", $$$"""{"expectedVersion":{{{held["version"]}}},"alertIndex":{{{stopIndex}}},"reason":"probe repositioned, oxygen 2 L/min"}""")).JsonAsync();
        var stillLow = await (await nurse.PostJsonAsync(path + "/actions/resume", $$$"""{"expectedVersion":{{{acknowledged["version"]}}}}""")).ProblemAsync(400);
        Assert.Contains("vital.spo2-low", stillLow.Codes());
        var better = await (await nurse.PostJsonAsync(path + "/observations", $$$"""{"expectedVersion":{{{acknowledged["version"]}}},"systolic":128,"diastolic":78,"heartRate":78,"spO2":97,"respiratoryRate":14}""")).JsonAsync();
        Assert.Empty(better["alerts"]!.AsArray());
        var increased = await (await nurse.PostJsonAsync(path + "/actions/resume", $$$"""{"expectedVersion":{{{better["version"]}}}}""")).JsonAsync();
        Assert.Equal("Running", increased["state"]!.GetValue<string>());

        // Completing an infusion needs the volume the pump shows.
        var noVolume = await (await nurse.PostJsonAsync(path + "/actions/complete", $$$"""{"expectedVersion":{{{increased["version"]}}}}""")).ProblemAsync(400);
        Assert.Equal(["dose.pump-volume-out-of-range"], noVolume.Codes());
        var completed = await (await nurse.PostJsonAsync(path + "/actions/complete", $$$"""{"expectedVersion":{{{increased["version"]}}},"pumpVolume":{"value":1,"unit":"mL"}}""")).JsonAsync();
        Assert.Equal("Completed", completed["state"]!.GetValue<string>());
        Assert.True(completed["doseGiven"]!["value"]!.GetValue<double>() >= 0);
        await using var db = _app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var stored = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == session);
        Assert.Equal(nameof(SessionState.Completed), stored.State);
        Assert.Equal(completed["version"]!.GetValue<long>(), stored.Version);

        var again = await (await nurse.PostJsonAsync(path + "/actions/pause", $$$"""{"expectedVersion":{{{stored.Version}}},"reason":"late"}""")).ProblemAsync(400);
        Assert.Equal(["session.state"], again.Codes());
    }

    [Theory]
    [InlineData("5e-324")]
    [InlineData("0.05")]
    [InlineData("1000")]
    public async Task Resume_RateThePumpCannotRunOrAboveTheProgram_400WithTheCodeAndTheSessionStillRenders(string rate)
    {
        // Hazard: a resume rate of 5e-324 mL/h was stored, and the session page, reports and export then failed for good.
        var session = await RunningSessionAsync();
        var nurse = await _app.ClientAsync("nurse");
        var path = $"/api/v1/sessions/{session.Value:D}";
        var version = (await nurse.GetJsonAsync(path))["version"]!.GetValue<long>();
        var paused = await (await nurse.PostJsonAsync(path + "/actions/pause", $$$"""{"expectedVersion":{{{version}}},"reason":"nausea"}""")).JsonAsync();
        var observed = await (await nurse.PostJsonAsync(path + "/observations", $$$"""{"expectedVersion":{{{paused["version"]}}},"systolic":124,"diastolic":78,"heartRate":76,"spO2":98,"respiratoryRate":14}""")).JsonAsync();

        var refused = await (await nurse.PostJsonAsync(path + "/actions/resume", $$$"""{"expectedVersion":{{{observed["version"]}}},"rate":{"value":{{{rate}}},"unit":"mL/h"}}""")).ProblemAsync(400);

        Assert.Single(refused.Codes(), c => c is "rate.out-of-range" or "rate.above-program");
        var now = await nurse.GetJsonAsync(path);
        Assert.Equal("Paused", now["state"]!.GetValue<string>());
        Assert.Equal(observed["version"]!.GetValue<long>(), now["version"]!.GetValue<long>());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await nurse.GetAsync($"/Sessions/{session.Value:D}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await nurse.GetAsync($"/Sessions/{session.Value:D}?handler=Timeline")).StatusCode);
    }

    [Fact]
    public async Task RecordObservation_NoteOverTheLimit_400NamingTheNoteAndNothingStored()
    {
        var session = await RunningSessionAsync();
        var nurse = await _app.ClientAsync("nurse");
        var path = $"/api/v1/sessions/{session.Value:D}";
        var version = (await nurse.GetJsonAsync(path))["version"]!.GetValue<long>();
        var body = System.Text.Json.JsonSerializer.Serialize(new { expectedVersion = version, heartRate = 80, note = new string('n', 2001) });

        var response = await nurse.PostJsonAsync(path + "/observations", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("note", text, StringComparison.Ordinal);
        Assert.Contains("2000", text, StringComparison.Ordinal);
        Assert.Equal(version, (await nurse.GetJsonAsync(path))["version"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("{\"expectedVersion\":VERSION}", "observation.empty")]
    [InlineData("{\"expectedVersion\":VERSION,\"at\":\"1900-01-01T09:00:00Z\",\"heartRate\":80}", "observation.time-out-of-range")]
    public async Task RecordObservation_EmptyOrDatedBeforeTheSession_400WithTheCodeAndNothingStored(string body, string code)
    {
        var session = await RunningSessionAsync();
        var nurse = await _app.ClientAsync("nurse");
        var path = $"/api/v1/sessions/{session.Value:D}";
        var version = (await nurse.GetJsonAsync(path))["version"]!.GetValue<long>();

        var refused = await (await nurse.PostJsonAsync(path + "/observations", body.Replace("VERSION", version.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))).ProblemAsync(400);

        Assert.Equal([code], refused.Codes());
        Assert.Equal(version, (await nurse.GetJsonAsync(path))["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Exposure_CompletedSession_ComputedOnReadAndRecomputedWhenTheChartsWeightChanges()
    {
        var session = await RunningSessionAsync();
        var nurse = await _app.ClientAsync("nurse");
        var path = $"/api/v1/sessions/{session.Value:D}";
        var version = (await nurse.GetJsonAsync(path))["version"]!.GetValue<long>();
        await (await nurse.PostJsonAsync(path + "/actions/complete", $$$"""{"expectedVersion":{{{version}}},"pumpVolume":{"value":1,"unit":"mL"}}""")).JsonAsync();

        var before = await nurse.GetJsonAsync(path + "/exposure");

        Assert.Equal("analgesia", before["band"]!["key"]!.GetValue<string>());
        var auc = before["plasma"]!["auc"]!["value"]!.GetValue<double>();
        Assert.True(auc > 0, $"AUC {auc}");
        Assert.Equal("ng·h/mL", before["plasma"]!["auc"]!["unit"]!.GetValue<string>());
        Assert.True(before["effectSite"]!["cmax"]!["value"]!.GetValue<double>() <= before["plasma"]!["cmax"]!["value"]!.GetValue<double>());

        // A heavier weight recorded on the session date: the same record now predicts a lower exposure. The original
        // weight is recorded again afterwards so that the other tests of this class dose on it.
        await using (var db = _app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            var patients = new PatientService(db, TimeProvider.System);
            var chart = (await patients.OpenChartAsync(new PatientId((await nurse.GetJsonAsync(path))["patientId"]!.GetValue<Guid>()), DemoSeed.DemoNurse)).Value;
            var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            var original = chart.Snapshot().MeasurementOn(today).Value;
            Assert.True((await patients.RecordAsync(chart.Id, chart.Version, BodyMeasurement.Create(today, original.Weight.Kilograms * 1.5, original.HeightCm).Value, DemoSeed.DemoNurse)).IsSuccess);
            var after = await nurse.GetJsonAsync(path + "/exposure");
            chart = (await patients.OpenChartAsync(chart.Id, DemoSeed.DemoNurse)).Value;
            Assert.True((await patients.RecordAsync(chart.Id, chart.Version, BodyMeasurement.Create(today, original.Weight.Kilograms, original.HeightCm).Value, DemoSeed.DemoNurse)).IsSuccess);

            Assert.True(after["plasma"]!["auc"]!["value"]!.GetValue<double>() < auc * 0.9, $"{after["plasma"]!["auc"]} after, {auc} before");
        }
    }

    [Fact]
    public async Task Exposure_NoDrugGivenYet_400WithTheCode()
    {
        var (_, plan) = await NeuropathyPlanAsync();
        var nurse = await _app.ClientAsync("nurse");
        var scheduled = await (await nurse.PostJsonAsync($"/api/v1/plans/{plan.Value:D}/sessions", "{}")).JsonAsync();

        var refused = await (await nurse.GetAsync($"/api/v1/sessions/{scheduled["id"]!.GetValue<Guid>():D}/exposure")).ProblemAsync(400);

        Assert.Equal(["outcome.no-drug-given"], refused.Codes());
    }

    [Fact]
    public async Task ScheduleSession_ThroughTheApi_IsListedForThePatient()
    {
        var (patient, plan) = await NeuropathyPlanAsync();
        var nurse = await _app.ClientAsync("nurse");
        var before = (await nurse.GetJsonAsync($"/api/v1/patients/{patient.Value:D}/sessions")).AsArray().Count;

        var scheduled = await nurse.PostJsonAsync($"/api/v1/plans/{plan.Value:D}/sessions", "{}");

        Assert.Equal(HttpStatusCode.Created, scheduled.StatusCode);
        var body = await scheduled.JsonAsync();
        Assert.Equal("Scheduled", body["state"]!.GetValue<string>());
        Assert.Equal("mg/kg/h", body["plannedDose"]!["unit"]!.GetValue<string>());
        Assert.Equal(before + 1, (await nurse.GetJsonAsync($"/api/v1/patients/{patient.Value:D}/sessions")).AsArray().Count);
    }

    [Fact]
    public async Task GiveAncillary_MidazolamBesideABenzodiazepineReportedInTheChecklist_TheMedicationIsOnTheChartAndTheDoseNeedsAPhysiciansReason()
    {
        var clock = TimeProvider.System;
        var ct = TestContext.Current.CancellationToken;
        var lorazepam = new Medication("Lorazepam ", "1 mg at night", InteractionClass.Benzodiazepine);
        var (session, db) = await PreAssessedSessionAsync(new PreSessionChecklist(clock.GetUtcNow().AddHours(-8), true, true, PregnancyCheck.NotTested, [lorazepam]));
        await using (db)
        {
            var patients = new PatientService(db, clock);
            var chart = (await patients.OpenChartAsync(session.PatientId, DemoSeed.DemoNurse, ct)).Value;
            var entry = Assert.Single(chart.Medications.Active, e => e.Value.Name == "Lorazepam");
            Assert.Equal((MedicationSource.PreSessionChecklist, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), InteractionClass.Benzodiazepine), (entry.Value.Source, entry.Value.ReportedOn, entry.Value.Interactions));
            try
            {
                // The API's chart says where the medication came from and when.
                var api = await (await _app.ClientAsync("nurse")).GetJsonAsync($"/api/v1/patients/{session.PatientId.Value:D}");
                var value = api["medications"]!.AsArray().Single(m => m!["value"]!["name"]!.GetValue<string>() == "Lorazepam")!["value"]!;
                Assert.Equal(("PreSessionChecklist", entry.Value.ReportedOn!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), (value["source"]!.GetValue<string>(), value["reportedOn"]!.GetValue<string>()));

                var workflow = new SessionWorkflow(db, clock, DemoSeed.Staff);
                var midazolam = session.Protocol.AncillaryOrders.ToList().FindIndex(o => o.Drug == AncillaryDrug.Midazolam);
                Assert.True(midazolam >= 0);

                var refused = await workflow.GiveAncillaryAsync(session.Id, session.Version, midazolam, 1, null, DemoSeed.DemoNurse, ct);
                var f = Assert.Single(refused.Refusal.Findings);
                Assert.Equal((FindingCodes.OrderSedativeInteraction, FindingSeverity.NeedsOverride, "Lorazepam"), (f.Code, f.Severity, f.Arg("medication")!.Text));

                var given = await workflow.GiveAncillaryAsync(session.Id, session.Version, midazolam, 1, "lorazepam taken last night only; agitation", DemoSeed.DemoPhysician, ct);
                Assert.True(given.IsSuccess, given.IsSuccess ? null : given.Error);
                var o = Assert.Single(given.Value.Overrides, x => x.Step == "ancillary");
                Assert.Equal([FindingCodes.OrderSedativeInteraction], o.Codes);
            }
            finally
            {
                // The demo patient's chart is shared with the other tests: the reported medication is taken off again.
                var now = (await patients.OpenChartAsync(session.PatientId, DemoSeed.DemoNurse, ct)).Value;
                Assert.True((await patients.MarkEnteredInErrorAsync<Medication>(now.Id, now.Version, entry.Id, "test data", DemoSeed.DemoPhysician, ct)).IsSuccess);
            }
        }
    }

    private async Task<(PatientId Patient, PlanId Plan)> NeuropathyPlanAsync()
    {
        await using var db = _app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var patient = (await db.Patients.AsNoTracking().SingleAsync(p => p.MedicalRecordNumber == "DEMO-0002")).Id;
        var plan = (await db.Plans.AsNoTracking().FirstAsync(p => p.PatientId == patient && p.Status == nameof(PlanStatus.Active))).Id;
        return (patient, plan);
    }

    /// <summary>
    /// A session of the neuropathy demo patient taken to Running today through the services, the way the demo seed
    /// runs its sessions: fresh screening, pre-assessment, pump program with a second nurse's check, dose check.
    /// </summary>
    private async Task<SessionId> RunningSessionAsync()
    {
        var (session, db) = await PreAssessedSessionAsync(new PreSessionChecklist(TimeProvider.System.GetUtcNow().AddHours(-8), true, true, PregnancyCheck.NotTested, []));
        await using (db)
        {
            var clock = TimeProvider.System;
            var nurse = DemoSeed.DemoNurse;
            var workflow = new SessionWorkflow(db, clock, DemoSeed.Staff);
            session = (await workflow.ProgramPumpAsync(session.Id, session.Version, nurse)).Value;
            var program = session.Program!;
            var reading = new PumpReading(program.RateMlPerHour, program.VtbiMl, program.Preparation.Concentration.MilligramsPerMilliliter, program.Weight.Kilograms);
            session = (await workflow.SecondCheckAsync(session.Id, session.Version, reading, DemoSeed.DemoSecondNurse)).Value;
            Assert.True((await DemoSeed.PrepareDrugAsync(db, clock, session, DemoSeed.DemoSafe)).IsSuccess);
            var started = await workflow.StartAsync(session.Id, session.Version, "reviewed by the physician", DemoSeed.DemoPhysician);
            Assert.True(started.IsSuccess, started.Error);
            session = started.Value;
            Assert.Equal(SessionState.Running, session.State);
            return session.Id;
        }
    }

    /// <summary>
    /// A session of the neuropathy demo patient scheduled today and pre-assessed with <paramref name="checklist"/>
    /// through the services, with the open database for the next steps.
    /// </summary>
    private async Task<(InfusionSession Session, KetaCareDbContext Db)> PreAssessedSessionAsync(PreSessionChecklist checklist)
    {
        var (patientId, planId) = await NeuropathyPlanAsync();
        var clock = TimeProvider.System;
        var db = _app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser, clock);
        var nurse = DemoSeed.DemoNurse;
        var patient = (await new PatientService(db, clock).OpenChartAsync(patientId, nurse)).Value;
        var treatments = new TreatmentService(db, clock);
        var plan = (await treatments.GetPlanAsync(planId, nurse)).Value;
        var assessment = (await treatments.AssessEligibilityAsync(patientId, patient.Conditions.Active.Single().Id, DemoSeed.DemoPhysician, plan.Protocol.Id)).Value;
        _ = assessment;
        var workflow = new SessionWorkflow(db, clock, DemoSeed.Staff);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Assert.True((await DemoToday.WeighIfStaleAsync(db, clock, patientId, planId, today)).IsSuccess);
        var session = (await workflow.ScheduleAsync(planId, today, nurse)).Value;

        // After scheduling: every session the tests add lengthens the course, and a long course needs more investigations.
        var investigated = await DemoToday.InvestigationsIfDueAsync(db, clock, patientId, today, default);
        Assert.True(investigated.IsSuccess, investigated.Error);
        var baseline = Observation.Create(clock.GetUtcNow(), 128, 78, 76, 98, 14, new SedationScore(SedationScale.Rass, 0), 0, 6).Value;
        var pre = await workflow.PreAssessAsync(session.Id, session.Version, baseline, checklist, nurse);
        Assert.True(pre.IsSuccess && pre.Value.Checks.IsSuccess, pre.IsSuccess ? pre.Value.Checks.Error : pre.Error);
        return (pre.Value.Session, db);
    }
}
