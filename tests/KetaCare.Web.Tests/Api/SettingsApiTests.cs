using System.Net;
using System.Text.Json.Nodes;
using KetaCare.Clinic.Findings;

namespace KetaCare.Web.Tests.Api;

/// <summary>
/// The investigation settings through the API, on an app of their own (a revision changes every chart's flags): read by
/// every clinic role, revised by administrators with the service's coded refusals, and the chart's ranges and flags follow.
/// </summary>
public sealed class SettingsApiTests : IClassFixture<ApiTests.App>
{
    private const string Path = "/api/v1/settings/investigations";
    private readonly ApiTests.App _app;

    public SettingsApiTests(ApiTests.App app) => _app = app;

    private static JsonNode Field(JsonNode settings, string field) => settings["fields"]!.AsArray().Single(f => f!["field"]!.GetValue<string>() == field)!;

    [Fact]
    public async Task AltUpperLimitRevised_ApiChartAndChartPageFlagAValueBetweenTheLimitsByTheClinicsLimit()
    {
        var nurse = await _app.ClientAsync("nurse");
        var admin = await _app.ClientAsync("admin");
        var id = await _app.RegisterAsync(nurse, "API-SET-1");
        Assert.Equal(HttpStatusCode.Created, (await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/liver-panels", """{"expectedVersion":1,"collectedOn":"2026-01-02","alt":{"value":53,"unit":"U/L"}}""")).StatusCode);
        async Task<(double Upper, string Flag)> AltAsync()
        {
            var alt = (await nurse.GetJsonAsync($"/api/v1/patients/{id:D}"))["liverPanels"]!.AsArray().Single()!["value"]!["results"]!.AsArray().Single()!;
            return (alt["upper"]!.GetValue<double>(), alt["flag"]!.GetValue<string>());
        }

        async Task<string> ChartRowAsync() => Assert.Single(Patients.PatientsApp.TestIds(await nurse.GetStringAsync($"/Patients/{id:D}"), "liver-row"));
        Assert.Contains("53 ↑", await ChartRowAsync(), StringComparison.Ordinal);

        var before = await nurse.GetJsonAsync(Path);
        var version = before["version"]!.GetValue<int>();
        var inForce = Field(before, "altUpper")["value"]!.GetValue<double>();
        Assert.Equal((inForce, "High"), await AltAsync());
        Assert.Equal((20.0, 200.0, "U/L"), (Field(before, "altUpper")["min"]!.GetValue<double>(), Field(before, "altUpper")["max"]!.GetValue<double>(), Field(before, "altUpper")["unit"]!.GetValue<string>()));

        var saved = await admin.PutJsonAsync(Path, $$$"""{"expectedVersion":{{{version}}},"values":{"altUpper":60},"reason":"the laboratory's range"}""");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var after = await saved.JsonAsync();
        Assert.Equal((version + 1, 60.0), (after["version"]!.GetValue<int>(), Field(after, "altUpper")["value"]!.GetValue<double>()));
        Assert.Equal(Field(before, "astUpper")["value"]!.GetValue<double>(), Field(after, "astUpper")["value"]!.GetValue<double>()); // not sent, kept
        Assert.Equal((60.0, "Normal"), await AltAsync());
        Assert.DoesNotContain("↑", await ChartRowAsync(), StringComparison.Ordinal); // the chart page flags alike
        Assert.Equal(60.0, Field(await nurse.GetJsonAsync(Path), "altUpper")["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task Revision_BadValuesStaleVersionNoReasonOrWrongRole_RefusedWithCodesAndNothingStored()
    {
        var admin = await _app.ClientAsync("admin");
        var version = (await admin.GetJsonAsync(Path))["version"]!.GetValue<int>();
        string Body(string values, int? expected = null, string reason = "\"audit\"") => $$$"""{"expectedVersion":{{{expected ?? version}}},"values":{{{values}}},"reason":{{{reason}}}}""";

        var tooHigh = await (await admin.PutJsonAsync(Path, Body("""{"altUpper":4000}"""))).ProblemAsync(400);
        Assert.Equal([FindingCodes.SettingOutOfRange], tooHigh.Codes());
        Assert.Contains("20 to 200 U/L", Assert.Single(tooHigh.Errors("altUpper")), StringComparison.Ordinal);

        var fraction = await (await admin.PutJsonAsync(Path, Body("""{"ecgValidDays":90.5}"""))).ProblemAsync(400);
        Assert.Equal([FindingCodes.SettingOutOfRange], fraction.Codes());
        Assert.Single(fraction.Errors("ecgValidDays"));

        var unknown = await (await admin.PutJsonAsync(Path, Body("""{"altLimit":60}"""))).ProblemAsync(400);
        Assert.Contains("altUpper", Assert.Single(unknown.Errors("values.altLimit")), StringComparison.Ordinal);

        var noReason = await (await admin.PutJsonAsync(Path, Body("""{"altUpper":60}""", reason: "null"))).ProblemAsync(400);
        Assert.Equal([FindingCodes.SettingReasonRequired], noReason.Codes());

        var stale = await (await admin.PutJsonAsync(Path, Body("""{"altUpper":60}""", expected: version + 5))).ProblemAsync(409);
        Assert.Equal([FindingCodes.VersionConflict], stale.Codes());

        var nurse = await _app.ClientAsync("nurse");
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PutJsonAsync(Path, Body("""{"altUpper":60}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutJsonAsync(Path, Body("""{"altUpper":60}"""), antiforgery: false)).StatusCode);

        Assert.Equal(version, (await admin.GetJsonAsync(Path))["version"]!.GetValue<int>());
    }
}
