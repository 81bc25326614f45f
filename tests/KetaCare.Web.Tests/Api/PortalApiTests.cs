using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Api;

/// <summary>
/// The portal over HTTP with the demo patient's account (linked to DEMO-0001): it records and reads its own reports,
/// and every id of another patient it sends — in a path, a body or a download — is refused.
/// </summary>
public sealed class PortalApiTests(ApiTests.App app) : IClassFixture<ApiTests.App>
{
    private async Task<(Guid Mine, Guid Other, Guid OtherSession)> IdsAsync()
    {
        await using var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        var mine = (await db.Patients.AsNoTracking().FirstAsync(p => p.MedicalRecordNumber == "DEMO-0001")).Id.Value;
        var other = (await db.Patients.AsNoTracking().FirstAsync(p => p.MedicalRecordNumber == "DEMO-0002")).Id.Value;
        var otherSession = (await db.Sessions.AsNoTracking().FirstAsync(s => s.PatientId == new Clinic.PatientId(other))).Id.Value;
        return (mine, other, otherSession);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json)
    {
        var token = await client.GetJsonAsync("/api/v1/portal/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(token["headerName"]!.GetValue<string>(), token["requestToken"]!.GetValue<string>());
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Patient_ChangingIds_ReachesNoOtherPatientsData()
    {
        var (mine, other, otherSession) = await IdsAsync();
        var patient = await app.ClientAsync("patient");

        foreach (var path in new[]
        {
            $"/api/v1/patients/{other}", $"/api/v1/patients/{mine}", $"/api/v1/patients/{other}/patient-reports", "/api/v1/tasks",
            $"/fhir/Patient/{other}", $"/fhir/Patient/{other}/$everything", $"/exports/patients/{other}/course.pdf", $"/Patients/{other}",
        })
        {
            var r = await patient.GetAsync(path);
            Assert.True(r.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect && (r.Headers.Location is null || r.Headers.Location.OriginalString.Contains("/Account/Denied", StringComparison.Ordinal)), $"{path}: {(int)r.StatusCode} {r.Headers.Location}");
        }

        var answer = await PostAsync(patient, "/api/v1/portal/checklists", $$$"""{"session":"{{{otherSession}}}","moment":"DayOf","escortArranged":true}""");
        var problem = await answer.ProblemAsync(404);
        Assert.Equal([FindingCodes.PortalSessionNotOwn], problem.Codes());

        var view = await patient.GetJsonAsync("/api/v1/portal");
        Assert.Equal(mine, view["patient"]!.GetValue<Guid>());
        var bundle = JsonNode.Parse(await patient.GetStringAsync("/portal/record.fhir.json"))!;
        var patients = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Where(r => r["resourceType"]!.GetValue<string>() == "Patient").Select(r => r["id"]!.GetValue<string>()).ToList();
        Assert.Equal([mine.ToString("D")], patients);
    }

    [Fact]
    public async Task Patient_RecordsDiaryAndSideEffect_StaffReadThemAsPatientReported()
    {
        var (mine, _, _) = await IdsAsync();
        var patient = await app.ClientAsync("patient");
        var pain = await PostAsync(patient, "/api/v1/portal/pain", """{"at":"2026-03-02T19:00:00Z","nrs":2,"note":"api diary"}""");
        Assert.Equal(HttpStatusCode.Created, pain.StatusCode);
        var bad = await PostAsync(patient, "/api/v1/portal/pain", """{"at":"2026-03-02T19:00:00Z","nrs":11}""");
        Assert.Contains("nrs", (await bad.ProblemAsync(400)).Errors("nrs").Single(), StringComparison.Ordinal);
        var bpi = await PostAsync(patient, "/api/v1/portal/bpi", """{"worst":6,"least":1,"average":3,"now":2,"interference":[2,3,1,4,0,5,2]}""");
        Assert.Equal(HttpStatusCode.Created, bpi.StatusCode);
        var shortBpi = await PostAsync(patient, "/api/v1/portal/bpi", """{"worst":6,"least":1,"average":3,"now":2,"interference":[2,3]}""");
        Assert.Equal([FindingCodes.OutcomeBpiItemCount], (await shortBpi.ProblemAsync(400)).Codes());
        var side = await PostAsync(patient, "/api/v1/portal/side-effects", """{"at":"2026-03-02T19:00:00Z","kind":"UrinarySymptoms","severity":"Mild"}""");
        Assert.Equal(HttpStatusCode.Created, side.StatusCode);

        var nurse = await app.ClientAsync("nurse");
        var reports = await nurse.GetJsonAsync($"/api/v1/patients/{mine}/patient-reports");
        var entry = reports["pain"]!.AsArray().Single(p => p!["note"]?.GetValue<string>() == "api diary")!;
        Assert.Equal(("Patient", 2), (entry["source"]!.GetValue<string>(), entry["nrs"]!.GetValue<int>()));
        Assert.Contains(reports["tasks"]!.AsArray(), t => t!["code"]!.GetValue<string>() == FindingCodes.PortalUrinarySymptom);
        await using (var db = app.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            var stored = (await new PatientService(db, TimeProvider.System).OpenChartAsync(new Clinic.PatientId(mine), DemoSeed.SeedUser)).Value;
            var form = stored.BpiAssessments.ActiveValues.Single(b => b.Source == Clinic.Outcomes.ReportSource.Patient);
            Assert.Equal((6, 7), (form.Form.SeverityItems[0], form.Form.InterferenceItems.Count));
        }
        var tasks = await nurse.GetJsonAsync("/api/v1/tasks");
        var urinary = tasks.AsArray().First(t => t!["code"]!.GetValue<string>() == FindingCodes.PortalUrinarySymptom)!;

        var closed = await nurse.PostJsonAsync($"/api/v1/patients/{mine}/tasks/{urinary["task"]}", $$$"""{"expectedVersion":{{{urinary["patientVersion"]}}},"state":"Closed","note":"urine dipstick clear"}""");
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal("Closed", (await closed.JsonAsync())["state"]!.GetValue<string>());
        var auditor = await app.ClientAsync("auditor");
        var denied = await auditor.PostJsonAsync($"/api/v1/patients/{mine}/tasks/{urinary["task"]}", """{"expectedVersion":1,"state":"Closed","note":"x"}""");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Patient_CorrectsASideEffectWithAReason_StaffSeeBothVersions()
    {
        var (mine, _, _) = await IdsAsync();
        var patient = await app.ClientAsync("patient");
        var side = await PostAsync(patient, "/api/v1/portal/side-effects", """{"at":"2026-03-03T08:00:00Z","kind":"Mood","severity":"Mild","note":"api to correct"}""");
        var entry = (await side.JsonAsync())["entryId"]!.GetValue<Guid>();
        var version = (await patient.GetJsonAsync("/api/v1/portal"))["version"]!.GetValue<long>();

        var noReason = await PostAsync(patient, $"/api/v1/portal/side-effects/{entry}/amendments", $$$"""{"expectedVersion":{{{version}}},"at":"2026-03-03T08:00:00Z","kind":"Mood","severity":"Moderate"}""");
        Assert.Single((await noReason.ProblemAsync(400)).Errors("reason"));
        var stale = await PostAsync(patient, $"/api/v1/portal/side-effects/{entry}/amendments", $$$"""{"expectedVersion":{{{version - 1}}},"at":"2026-03-03T08:00:00Z","kind":"Mood","severity":"Moderate","reason":"worse"}""");
        Assert.Equal([FindingCodes.VersionConflict], (await stale.ProblemAsync(409)).Codes());
        var amended = await PostAsync(patient, $"/api/v1/portal/side-effects/{entry}/amendments", $$$"""{"expectedVersion":{{{version}}},"at":"2026-03-03T08:00:00Z","kind":"Mood","severity":"Moderate","note":"api to correct","reason":"worse than I wrote"}""");
        Assert.Equal(HttpStatusCode.Created, amended.StatusCode);

        var reports = await (await app.ClientAsync("nurse")).GetJsonAsync($"/api/v1/patients/{mine}/patient-reports");
        var versions = reports["sideEffects"]!.AsArray().Where(e => e!["entry"]!.GetValue<Guid>() == entry).Select(e => (e!["severity"]!.GetValue<string>(), e["status"]!.GetValue<string>())).Order().ToList();
        Assert.Equal([("Mild", "Amended"), ("Moderate", "Active")], versions);
    }

    [Fact]
    public async Task Checklist_PregnancyAnswer_FollowsTheClinicRule_NotAskedOfAPatientNotOfChildbearingPotential()
    {
        // DEMO-0001 is a woman whose chart records "not of childbearing potential": the rule leaves the question out.
        var clock = app.Factory.Services.GetRequiredService<TimeProvider>();
        var today = app.Factory.Services.GetRequiredService<Infrastructure.ClinicTime>().Today(clock);
        var booked = await Pages.Sessions.DemoToday.EnsureAsync(app.Factory.Services.GetRequiredService<ClinicDatabase>(), clock, today, "DEMO-0001", TestContext.Current.CancellationToken);
        Assert.True(booked.IsSuccess, booked.Error);
        var patient = await app.ClientAsync("patient");
        Assert.False((await patient.GetJsonAsync("/api/v1/portal"))["asksPregnancy"]!.GetValue<bool>());

        var answered = await PostAsync(patient, "/api/v1/portal/checklists", $$$"""{"session":"{{{booked.Value.Value}}}","moment":"DayBefore","escortArranged":true,"possiblyPregnant":false}""");

        var problem = await answered.ProblemAsync(400);
        Assert.Equal([FindingCodes.PortalPregnancyNotAsked], problem.Codes());
        Assert.Single(problem.Errors("possiblyPregnant"));
    }
}
