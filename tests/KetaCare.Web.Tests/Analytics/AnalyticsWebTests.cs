using System.Net;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Reports;
using KetaCare.Web.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Analytics;

/// <summary>The analytics page, API and downloads on the demo data with a small synthetic cohort added.</summary>
public sealed class AnalyticsWebTests : IClassFixture<AnalyticsWebTests.CohortApp>
{
    private readonly CohortApp _app;

    public AnalyticsWebTests(CohortApp app) => _app = app;

    /// <summary>The API test app with 16 synthetic patients seeded once for the class.</summary>
    public sealed class CohortApp : IAsyncLifetime
    {
        public ApiTests.App App { get; } = new();

        public async ValueTask InitializeAsync()
        {
            await App.InitializeAsync();
            var r = await DemoSeed.CohortAsync(App.Factory.Services.GetRequiredService<ClinicDatabase>(), TimeProvider.System, 16);
            Assert.True(r.IsSuccess, r.IsSuccess ? null : r.Error);
        }

        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    [Fact]
    public async Task Api_Physician_CoursesRatesAndRelapseThatAddUp()
    {
        var physician = await _app.App.ClientAsync("physician");

        var all = await physician.GetJsonAsync("/api/v1/analytics");
        var female = await physician.GetJsonAsync("/api/v1/analytics?sex=female&axis=DoseMgPerKg");

        var courses = all["courses"]!.GetValue<int>();
        Assert.True(courses >= 16, $"{courses} courses");
        Assert.Equal(all["responders"]!["trials"]!.GetValue<int>(), all["byProtocol"]!.AsArray().Sum(g => g!["trials"]!.GetValue<int>()));
        Assert.Equal(all["sessions"]!.GetValue<int>(), all["byCmax"]!.AsArray().Sum(b => b!["adverseEvent"]!["trials"]!.GetValue<int>()));
        Assert.Equal(0.7, all["relapseFraction"]!.GetValue<double>());
        Assert.True(female["courses"]!.GetValue<int>() < courses);
        Assert.Equal("DoseMgPerKg", female["axis"]!.GetValue<string>());
        Assert.True(all["fit"] is not null || all["fitProblem"] is not null);
    }

    [Theory]
    [InlineData("sex=Other", "sex")]
    [InlineData("from=2025-13-01", "from")]
    [InlineData("ageBand=7", "ageBand")]
    [InlineData("from=2025-06-01&to=2025-01-01", "to")]
    public async Task Api_UnreadableFilter_400NamingTheField(string query, string field)
    {
        var physician = await _app.App.ClientAsync("physician");

        var problem = await (await physician.GetAsync("/api/v1/analytics?" + query)).ProblemAsync(400);

        Assert.NotEmpty(problem.Errors(field));
    }

    [Fact]
    public async Task Csv_DeIdentified_NoRecordNumberNameOrDate()
    {
        var admin = await _app.App.ClientAsync("admin");

        var r = await admin.GetAsync("/exports/analytics.csv?protocol=outpatient-seed");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var text = (await r.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', AnalyticsDocuments.CsvHeader), lines[0].TrimEnd('\r'));
        Assert.True(lines.Length > 2);
        Assert.All(lines.Skip(1), l => Assert.Contains(",outpatient-seed,", l, StringComparison.Ordinal));
        foreach (var identifying in new[] { "SYN-", "DEMO-", "Synthetic", "Cohort", "Yılmaz", "2024-", "2025-", "2026-" })
        {
            Assert.DoesNotContain(identifying, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Api_Identified_PhysicianWithAReasonGetsRecordNumbersAndNames_GetStaysDeIdentified()
    {
        var physician = await _app.App.ClientAsync("physician");

        var r = await physician.PostJsonAsync("/api/v1/analytics/identified", """{"protocol":"rema2012","reason":"call back patients who relapsed"}""");
        var after = await physician.GetJsonAsync("/api/v1/analytics?protocol=rema2012");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var view = System.Text.Json.Nodes.JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        var identified = view["identified"]!.AsArray();
        Assert.Equal(view["courses"]!.GetValue<int>(), identified.Count);
        Assert.All(identified, c => Assert.Matches("^(SYN|DEMO)-[0-9]{4}$", c!["medicalRecordNumber"]!.GetValue<string>()));
        Assert.Equal(view["points"]!.AsArray().Select(p => p!["pseudonym"]!.GetValue<string>()).Order(), identified.Where(c => view["points"]!.AsArray().Any(p => p!["pseudonym"]!.GetValue<string>() == c!["course"]!.GetValue<string>())).Select(c => c!["course"]!.GetValue<string>()).Order());
        Assert.Null(after["identified"]);
        Assert.DoesNotContain("SYN-", after.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin", """{"reason":"audit of outcomes"}""", 403, "analytics.identify-not-permitted")]
    [InlineData("physician", """{"protocol":"rema2012"}""", 400, "reason.required")]
    [InlineData("physician", """{"reason":"   "}""", 400, "reason.required")]
    [InlineData("physician", """{"sex":"Other","reason":"follow-up"}""", 400, "analytics.filter-choice")]
    public async Task Api_Identified_RefusedWithTheStatusOfItsCode(string role, string json, int status, string code)
    {
        var client = await _app.App.ClientAsync(role);

        var problem = await (await client.PostJsonAsync("/api/v1/analytics/identified", json)).ProblemAsync(status);

        Assert.Equal([code], problem.Codes());
        Assert.DoesNotContain("SYN-", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_Identified_PhysicianSeesRecordNumbersInTheTableAndTheCsv_ChartsAndTheNextViewDeIdentified()
    {
        var physician = await _app.App.Factory.SignedInAsync("physician");
        var form = new Dictionary<string, string> { ["Protocol"] = "rema2012", ["Reason"] = "call back patients who relapsed" };

        var page = await physician.PostFormAsync("/Analytics?protocol=rema2012", form, "/Analytics?handler=Identified");
        var csv = await physician.PostFormAsync("/Analytics?protocol=rema2012", form, "/Analytics?handler=IdentifiedCsv");
        var next = await physician.GetStringAsync("/Analytics?protocol=rema2012");

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Matches("data-testid=\"analytics-courses-table\".*SYN-[0-9]{4}", html.ReplaceLineEndings(" "));
        Assert.Contains("/Analytics?handler=ExposureChart&amp;protocol=rema2012\"", html, StringComparison.Ordinal);
        var text = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF');
        Assert.StartsWith("course,medical_record_number,family_name,given_name,sex", text, StringComparison.Ordinal);
        Assert.Contains(",SYN-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SYN-", next, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin", "follow-up", HttpStatusCode.Forbidden)]
    [InlineData("physician", "", HttpStatusCode.OK)]
    public async Task Page_Identified_AdministratorForbiddenAndNoReasonRefused_WithTheReasonInWordsAndNoName(string role, string reason, HttpStatusCode status)
    {
        var client = await _app.App.Factory.SignedInAsync(role);

        var r = await client.PostFormAsync("/Analytics", new() { ["Reason"] = reason }, "/Analytics?handler=Identified");

        var html = await r.Content.ReadAsStringAsync();
        Assert.Equal(status, r.StatusCode);
        Assert.Contains("data-testid=\"analytics-errors\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("SYN-", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_FiguresEqualTheApisAnalysisOfTheSameFilter()
    {
        var physician = await _app.App.ClientAsync("physician");

        var view = await physician.GetJsonAsync("/api/v1/analytics?sex=Female");
        var csv = (await physician.GetStringAsync("/exports/analytics.csv?sex=Female")).TrimStart('\uFEFF');

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var column = lines[0].Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var rows = lines.Skip(1).ToList();
        string Cell(string[] row, string name) => row[column[name]];
        double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(view["courses"]!.GetValue<int>(), rows.Count);
        Assert.All(rows, r => Assert.Equal("Female", Cell(r, "sex")));
        Assert.Equal(view["sessions"]!.GetValue<int>(), rows.Sum(r => int.Parse(Cell(r, "sessions"), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(view["responders"]!["successes"]!.GetValue<int>(), rows.Count(r => Cell(r, "responder") == "yes"));
        Assert.Equal(view["responders"]!["trials"]!.GetValue<int>(), rows.Count(r => Cell(r, "responder") is "yes" or "no"));
        Assert.Equal(view["relapse"]!.AsArray().Sum(s => s!["events"]!.GetValue<int>()), rows.Count(r => Cell(r, "relapse_event") == "relapse"));
        Assert.Equal(view["byCmax"]!.AsArray().Sum(b => b!["adverseEvent"]!["successes"]!.GetValue<int>()), rows.Sum(r => int.Parse(Cell(r, "sessions_with_adverse_event"), System.Globalization.CultureInfo.InvariantCulture)));
        // Every point of the exposure–response chart is its course's row: mean AUC and reduction to the CSV's 6 decimals.
        var points = view["points"]!.AsArray();
        Assert.NotEmpty(points);
        foreach (var p in points)
        {
            var row = Assert.Single(rows, r => Cell(r, "course") == p!["pseudonym"]!.GetValue<string>());
            Assert.Equal(p!["exposure"]!.GetValue<double>(), Number(Cell(row, "mean_plasma_auc_ng_h_per_ml")), 5e-7);
            Assert.Equal(p["reliefPercent"]!.GetValue<double>(), Number(Cell(row, "reduction_percent")), 5e-7);
        }
    }

    [Fact]
    public async Task PdfAndCharts_Render()
    {
        var physician = await _app.App.ClientAsync("physician");

        var pdf = await physician.GetAsync("/exports/analytics.pdf");
        var chart = await physician.GetAsync("/Analytics?handler=RelapseChart&protocol=rema2012");

        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<svg", await chart.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_Physician_TablesChartsAndDownloadsOfTheSameFilter()
    {
        var physician = await _app.App.ClientAsync("physician");

        var page = await physician.GetStringAsync("/Analytics?protocol=rema2012");

        Assert.Contains("data-testid=\"analytics-by-protocol\"", page, StringComparison.Ordinal);
        Assert.Contains("data-group=\"rema2012\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-group=\"outpatient-seed\"", page, StringComparison.Ordinal);
        Assert.Contains("/exports/analytics.csv?protocol=rema2012", page, StringComparison.Ordinal);
        Assert.Contains("/Analytics?handler=ExposureChart&amp;protocol=rema2012", page, StringComparison.Ordinal);
        Assert.DoesNotContain("SYN-", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanPage_IndividualisedProposal_ShownWithItsDataAndTakenThroughTheOverrideWithTheReason()
    {
        var physician = await _app.App.Factory.SignedInAsync("physician");
        Guid plan;
        await using (var db = _app.App.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            var patient = db.Patients.Single(p => p.MedicalRecordNumber == "SYN-0003").Id;
            plan = db.Plans.Single(p => p.PatientId == patient).Id.Value;
        }

        var page = await physician.GetStringAsync($"/Plans/{plan}");

        Assert.Contains("data-testid=\"individual-ec50\"", page, StringComparison.Ordinal);
        var rate = System.Text.RegularExpressions.Regex.Match(page, "data-testid=\"individual-form\".*?name=\"Dose\" value=\"([^\"]+)\"", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(rate.Success, "a physician is offered the individualised rate");
        var version = System.Text.RegularExpressions.Regex.Match(page, "name=\"Version\" value=\"([0-9]+)\"").Groups[1].Value;
        var r = await physician.PostFormAsync($"/Plans/{plan}", new() { ["Version"] = version, ["Dose"] = rate.Groups[1].Value, ["Reason"] = "individualised proposal" }, $"/Plans/{plan}?handler=Override");
        Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, r.StatusCode.ToString());
        var after = await physician.GetStringAsync($"/Plans/{plan}");
        Assert.Contains("individualised proposal", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_Individualisation_EstimatesWithIntervalsAndTheScoresUsed_NoneForAPatientWithoutScores()
    {
        var nurse = await _app.App.ClientAsync("nurse");
        Guid plan;
        await using (var db = _app.App.Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            var patient = db.Patients.Single(p => p.MedicalRecordNumber == "SYN-0005").Id;
            plan = db.Plans.Single(p => p.PatientId == patient).Id.Value;
        }

        var r = await nurse.GetJsonAsync($"/api/v1/plans/{plan:D}/individualisation");
        var unknown = await nurse.GetAsync($"/api/v1/plans/{Guid.NewGuid():D}/individualisation");

        var d = r["dissociation"]!;
        Assert.InRange(d["value"]!.GetValue<double>(), d["low"]!.GetValue<double>(), d["high"]!.GetValue<double>());
        Assert.NotEmpty(d["observations"]!.AsArray());
        Assert.True(r["cautiousPeakCadss"]!.GetValue<double>() <= r["cadssLimit"]!.GetValue<int>() + 1e-9);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
