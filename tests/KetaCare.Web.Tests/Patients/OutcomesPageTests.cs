using System.Globalization;
using System.Net;
using KetaCare.Clinic.Services;

namespace KetaCare.Web.Tests.Patients;

/// <summary>The course-outcome page and its follow-up forms.</summary>
public sealed class OutcomesPageTests(PatientsApp app) : IClassFixture<PatientsApp>
{
    [Fact]
    public async Task Outcomes_DemoCrps_ShowsPerSessionTableAndTheServicesResponderStatus()
    {
        var patient = await app.PatientAsync("DEMO-0001");
        var client = await app.Factory.SignedInAsync("auditor");
        var html = await client.GetStringAsync($"/Patients/{patient.Id.Value}/Outcomes");

        await using var db = app.Database.Open(DemoSeed.SeedUser);
        var course = (await new OutcomeService(db, TimeProvider.System).CourseAsync(patient.Id, DemoSeed.SeedUser)).Value;
        var responder = course.Responder!;
        Assert.Equal(course.PerSession.Count, PatientsApp.TestIds(html, "outcome-row").Count);
        Assert.Contains($"data-moderate=\"{responder.Moderate}\" data-substantial=\"{responder.Substantial}\"", html, StringComparison.Ordinal);
        var label = responder.Substantial ? "substantial responder" : responder.Moderate ? "moderate responder" : "non-responder";
        Assert.Contains(label, Assert.Single(PatientsApp.TestIds(html, "responder-status")), StringComparison.Ordinal);
        Assert.Contains($"NRS {responder.Baseline} → {responder.Current}", html, StringComparison.Ordinal);
        Assert.Contains("Dworkin", Assert.Single(PatientsApp.TestIds(html, "responder-lines")), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"predicted-table\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"form-followup\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"outcome-chart\"", html, StringComparison.Ordinal);

        var chart = await client.GetAsync($"/Patients/{patient.Id.Value}/Outcomes?handler=Chart");
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await chart.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowUp_NurseRecordsNrs_StoredAndShown_AndOutOfRangeRefused()
    {
        var patient = await app.PatientAsync("DEMO-0002");
        var client = await app.Factory.SignedInAsync("nurse");
        var page = $"/Patients/{patient.Id.Value}/Outcomes";
        var version = (await app.ChartAsync(patient.Id)).Version.ToString(CultureInfo.InvariantCulture);

        var refused = await client.PostFormAsync(page, new() { ["Version"] = version, ["At"] = "2026-02-01T10:00", ["Nrs"] = "11" }, page + "?handler=FollowUp");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("0 to 10", Assert.Single(PatientsApp.TestIds(await refused.Content.ReadAsStringAsync(), "form-error")), StringComparison.Ordinal);
        Assert.Empty((await app.ChartAsync(patient.Id)).FollowUpPains.All);

        var saved = await client.PostFormAsync(page, new() { ["Version"] = version, ["At"] = "2026-02-01T10:00", ["Nrs"] = "3", ["Note"] = "telephone" }, page + "?handler=FollowUp");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var followUp = Assert.Single((await app.ChartAsync(patient.Id)).FollowUpPains.ActiveValues);
        Assert.Equal(3, followUp.Nrs);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero), followUp.At);
    }

    [Fact]
    public async Task BpiAndPgic_Recorded_AreStoredWithTheirScores()
    {
        var patient = await app.PatientAsync("DEMO-0003");
        var client = await app.Factory.SignedInAsync("physician");
        var page = $"/Patients/{patient.Id.Value}/Outcomes";
        var version = (await app.ChartAsync(patient.Id)).Version;
        var bpi = new List<KeyValuePair<string, string>>
        {
            new("Version", version.ToString(CultureInfo.InvariantCulture)), new("CompletedOn", "2026-02-02"),
            new("Worst", "8"), new("Least", "2"), new("Average", "5"), new("Now", "5"),
        };
        bpi.AddRange(new[] { "4", "3", "5", "4", "3", "5", "4" }.Select(v => new KeyValuePair<string, string>("Interference", v)));
        bpi.Add(new("__RequestVerificationToken", FormPosts.AntiforgeryToken(await client.GetStringAsync(page))!));
        var r = await client.PostAsync(page + "?handler=Bpi", new FormUrlEncodedContent(bpi));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);

        var g = await client.PostFormAsync(page, new() { ["Version"] = (version + 1).ToString(CultureInfo.InvariantCulture), ["CompletedOn"] = "2026-02-02", ["Pgic"] = "2" }, page + "?handler=Pgic");
        Assert.Equal(HttpStatusCode.Redirect, g.StatusCode);

        var chart = await app.ChartAsync(patient.Id);
        var form = Assert.Single(chart.BpiAssessments.ActiveValues).Form;
        Assert.Equal(5, form.Severity, 12);
        Assert.Equal(4, form.Interference, 12);
        Assert.True(Assert.Single(chart.PgicAssessments.ActiveValues).Score.IsResponder);
    }
}
