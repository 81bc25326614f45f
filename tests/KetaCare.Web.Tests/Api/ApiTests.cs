using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Route = KetaCare.Pharmacology.Models.Route;

namespace KetaCare.Web.Tests.Api;

/// <summary>The REST API against the real app on a SQLite file with the demo data: round trips, problems, concurrency, antiforgery, OpenAPI.</summary>
public sealed class ApiTests : IClassFixture<ApiTests.App>
{
    private readonly App _app;

    public ApiTests(App app) => _app = app;

    [Fact]
    public async Task RegisterThenRecordWeight_RoundTrip_ChartShowsTheWeight()
    {
        var nurse = await _app.ClientAsync("nurse");
        var created = await nurse.PostJsonAsync("/api/v1/patients", """{"medicalRecordNumber":"API-0001","givenName":"Deniz","familyName":"Aydın","birthDate":"1984-06-30","sex":"Female"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var registered = await created.JsonAsync();
        var id = registered["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/patients/{id:D}", created.Headers.Location!.OriginalString);

        var chart = await nurse.GetJsonAsync($"/api/v1/patients/{id:D}");
        Assert.Equal("Aydın", chart["familyName"]!.GetValue<string>());
        Assert.Equal("1984-06-30", chart["birthDate"]!.GetValue<string>());
        Assert.Equal("Female", chart["sex"]!.GetValue<string>());
        Assert.Empty(chart["measurements"]!.AsArray());
        Assert.Equal("NotRecorded", chart["allergyState"]!.GetValue<string>()); // said, not an empty list to guess from
        Assert.Empty(chart["allergies"]!.AsArray());
        var version = chart["version"]!.GetValue<long>();

        var weighed = await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/weights", $$$"""{"expectedVersion":{{{version}}},"measuredOn":"2026-02-01","weight":{"value":72.5,"unit":"kg"},"height":{"value":168,"unit":"cm"}}""");
        Assert.Equal(HttpStatusCode.Created, weighed.StatusCode);
        Assert.Equal(version + 1, (await weighed.JsonAsync())["version"]!.GetValue<long>());

        var after = await nurse.GetJsonAsync($"/api/v1/patients/{id:D}");
        var entry = after["measurements"]!.AsArray().Single()!;
        Assert.Equal("Active", entry["status"]!.GetValue<string>());
        Assert.Equal(72.5, entry["value"]!["weight"]!["value"]!.GetValue<double>());
        Assert.Equal("kg", entry["value"]!["weight"]!["unit"]!.GetValue<string>());
        Assert.Equal(168, entry["value"]!["height"]!["value"]!.GetValue<double>());
        Assert.Equal("2026-02-01", entry["value"]!["measuredOn"]!.GetValue<string>());
        Assert.EndsWith("Z", entry["recordedAt"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(version + 1, after["version"]!.GetValue<long>());
        var listed = await nurse.GetJsonAsync("/api/v1/patients?search=API-0001");
        Assert.Equal(id, listed.AsArray().Single()!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task LiverPanelAndEcg_RecordedThroughTheApi_ComeBackLoincCodedWithRangesAndFlags()
    {
        var nurse = await _app.ClientAsync("nurse");
        var id = await _app.RegisterAsync(nurse, "API-INV-1");

        var wrongUnit = await (await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/liver-panels", """{"expectedVersion":1,"collectedOn":"2026-01-02","totalBilirubin":{"value":12,"unit":"umol/L"}}""")).ProblemAsync(400);
        Assert.Contains("mg/dL", Assert.Single(wrongUnit.Errors("totalBilirubin.unit")), StringComparison.Ordinal);
        var absurd = await (await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/liver-panels", """{"expectedVersion":1,"collectedOn":"2026-01-02","alt":{"value":-3,"unit":"U/L"}}""")).ProblemAsync(400);
        Assert.Contains("0–10000 U/L", Assert.Single(absurd.Errors("alt")), StringComparison.Ordinal);

        var liver = await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/liver-panels", """{"expectedVersion":1,"collectedOn":"2026-01-02","alt":{"value":130,"unit":"U/L"},"totalBilirubin":{"value":0.8,"unit":"mg/dL"}}""");
        Assert.Equal(HttpStatusCode.Created, liver.StatusCode);
        var ecg = await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/ecgs", """{"expectedVersion":2,"recordedOn":"2026-01-02","rhythm":"Sinus","qtc":{"value":440,"unit":"ms"},"interpretation":"Normal"}""");
        Assert.Equal(HttpStatusCode.Created, ecg.StatusCode);

        var chart = await nurse.GetJsonAsync($"/api/v1/patients/{id:D}");
        var results = chart["liverPanels"]!.AsArray().Single()!["value"]!["results"]!.AsArray();
        Assert.Equal(["1742-6", "1975-2"], results.Select(r => r!["loinc"]!.GetValue<string>()));
        Assert.Equal(("U/L", 40.0, "HighNeedsReview"), (results[0]!["value"]!["unit"]!.GetValue<string>(), results[0]!["upper"]!.GetValue<double>(), results[0]!["flag"]!.GetValue<string>()));
        Assert.Equal(440, chart["ecgs"]!.AsArray().Single()!["value"]!["qtcMs"]!.GetValue<double>());
    }

    [Fact]
    public async Task Urinalysis_RecordedThroughTheApi_OnTheChartAndScreened_BadResultsRefusedNamingTheField()
    {
        var nurse = await _app.ClientAsync("nurse");
        var id = await _app.RegisterAsync(nurse, "API-URINE-1");

        var missing = await (await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/urinalyses", """{"expectedVersion":1,"collectedOn":"2026-01-02","blood":"Negative"}""")).ProblemAsync(400);
        Assert.Contains("Plus3", Assert.Single(missing.Errors("leukocytes")), StringComparison.Ordinal);
        var future = await (await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/urinalyses", """{"expectedVersion":1,"collectedOn":"2099-01-02","blood":"Negative","leukocytes":"Negative"}""")).ProblemAsync(400);
        Assert.NotEmpty(future.Errors("collectedOn"));
        var stale = await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/urinalyses", """{"expectedVersion":7,"collectedOn":"2026-01-02","blood":"Negative","leukocytes":"Negative"}""");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        var ok = await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/urinalyses", """{"expectedVersion":1,"collectedOn":"2026-01-02","blood":"Plus1","leukocytes":"Negative","nitrite":"Negative"}""");
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);

        var chart = await nurse.GetJsonAsync($"/api/v1/patients/{id:D}");
        var u = chart["urinalyses"]!.AsArray().Single()!["value"]!;
        Assert.Equal(("2026-01-02", "Plus1", "Negative", "Negative"), (u["collectedOn"]!.GetValue<string>(), u["blood"]!.GetValue<string>(), u["leukocytes"]!.GetValue<string>(), u["nitrite"]!.GetValue<string>()));
        Assert.Equal(2, chart["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Numbers_TurkishCultureOnClientAndServer_PointIsTheDecimalSeparator()
    {
        // Hazard: a comma-decimal culture reading "0.5" as 5 (or 64.5 kg as 645 kg).
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");
        try
        {
            var nurse = await _app.ClientAsync("nurse");
            nurse.DefaultRequestHeaders.AcceptLanguage.ParseAdd("tr");
            var id = await _app.RegisterAsync(nurse, "API-TR-1");
            var weighed = await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/weights", """{"expectedVersion":1,"weight":{"value":64.5,"unit":"kg"},"height":{"value":170.5,"unit":"cm"}}""");
            Assert.Equal(HttpStatusCode.Created, weighed.StatusCode);
            var stored = await _app.ChartAsync(id);
            var m = stored.Measurements.All.Single().Value;
            Assert.Equal(64.5, m.Weight.Kilograms);
            Assert.Equal(170.5, m.HeightCm);

            var physician = await _app.ClientAsync("physician");
            physician.DefaultRequestHeaders.AcceptLanguage.ParseAdd("tr");
            var preview = await physician.PostJsonAsync($"/api/v1/patients/{await _app.DemoPatientAsync():D}/plans/preview", Plan(0.5));
            var text = await preview.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
            var dose = JsonNode.Parse(text)!["doseCheck"]!["dose"]!;
            Assert.Equal(0.5, dose["value"]!.GetValue<double>());
            Assert.Equal("mg/kg/h", dose["unit"]!.GetValue<string>());
            Assert.DoesNotContain("0,5", text, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task RecordWeight_OutsideTheRange_ProblemNamesFieldAndRangeAndNothingIsStored()
    {
        var nurse = await _app.ClientAsync("nurse");
        var id = await _app.RegisterAsync(nurse, "API-RANGE-1");
        var before = await _app.ChartAsync(id);

        var response = await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/weights", """{"expectedVersion":1,"weight":{"value":600,"unit":"kg"}}""");

        var problem = await response.ProblemAsync(400);
        var error = Assert.Single(problem.Errors("weight"));
        Assert.Contains("600 kg", error, StringComparison.Ordinal);
        Assert.Contains("0.3–500 kg", error, StringComparison.Ordinal);
        var after = await _app.ChartAsync(id);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Measurements.All.Count, after.Measurements.All.Count);
    }

    [Fact]
    public async Task Problems_SeveralBadFields_EachUnderItsOwnKeyWithItsRange()
    {
        var nurse = await _app.ClientAsync("nurse");
        var session = await _app.DemoSessionAsync();
        var eventsBefore = await _app.AuditCountAsync();

        var response = await nurse.PostJsonAsync($"/api/v1/sessions/{session.Id:D}/observations", $$$"""{"expectedVersion":{{{session.Version}}},"heartRate":400,"painNrs":11}""");

        var problem = await response.ProblemAsync(400);
        Assert.Contains("20 to 250", Assert.Single(problem.Errors("heart rate")), StringComparison.Ordinal);
        Assert.Equal(await _app.AuditCountAsync(), eventsBefore);
        var missing = await (await nurse.PostJsonAsync("/api/v1/patients", """{"givenName":"X","familyName":"Y","birthDate":"1890-01-01"}""")).ProblemAsync(400);
        Assert.Contains("required", Assert.Single(missing.Errors("medicalRecordNumber")), StringComparison.Ordinal);
        Assert.Contains("1900-01-01", Assert.Single(missing.Errors("birthDate")), StringComparison.Ordinal);
        // Hazard: "0,5" or "0.5" as text left to a culture-dependent parse; a number must be a JSON number.
        var asText = await (await nurse.PostJsonAsync($"/api/v1/patients/{await _app.DemoPatientAsync():D}/weights", """{"expectedVersion":1,"weight":{"value":"64.5","unit":"kg"}}""")).ProblemAsync(400);
        Assert.Contains("JSON numbers", Assert.Single(asText.Errors("weight.value")), StringComparison.Ordinal);
        var mistyped = await (await nurse.PostJsonAsync("/api/v1/patients", """{"medicalRecordNumber":"API-T","givenName":"X","familyName":"Y","birthDate":"30.06.1984"}""")).ProblemAsync(400);
        Assert.NotEmpty(mistyped.Errors("birthDate"));
    }

    [Fact]
    public async Task RecordWeight_StaleVersion_Is409AndNothingIsStored()
    {
        var nurse = await _app.ClientAsync("nurse");
        var id = await _app.RegisterAsync(nurse, "API-STALE-1");
        Assert.Equal(HttpStatusCode.Created, (await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/weights", """{"expectedVersion":1,"weight":{"value":70,"unit":"kg"}}""")).StatusCode);

        // A second client still holding version 1.
        var stale = await nurse.PostJsonAsync($"/api/v1/patients/{id:D}/weights", """{"expectedVersion":1,"weight":{"value":71,"unit":"kg"}}""");

        var problem = await stale.ProblemAsync(409);
        Assert.Equal(["conflict.version"], problem.Codes());
        Assert.Contains("changed by someone else", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var chart = await _app.ChartAsync(id);
        Assert.Equal(70, chart.Measurements.All.Single().Value.Weight.Kilograms);
        Assert.Equal(2, chart.Version);
    }

    [Fact]
    public async Task UnknownIds_Are404Problems()
    {
        var physician = await _app.ClientAsync("physician");
        var nobody = Guid.NewGuid();
        foreach (var path in new[] { $"/api/v1/patients/{nobody:D}", $"/api/v1/plans/{nobody:D}", $"/api/v1/sessions/{nobody:D}", $"/api/v1/patients/{nobody:D}/plans", $"/api/v1/patients/{nobody:D}/sessions", $"/api/v1/patients/{nobody:D}/assessments" })
        {
            var problem = await (await physician.GetAsync(path)).ProblemAsync(404);
            Assert.Contains(nobody.ToString("D"), problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(["not-found"], problem.Codes());
        }

        Assert.Equal(["not-found"], (await (await physician.PostJsonAsync($"/api/v1/assessments/{nobody:D}/review", """{"approved":true,"reason":"x"}""")).ProblemAsync(404)).Codes());
        await (await physician.PostJsonAsync($"/api/v1/patients/{nobody:D}/plans/preview", Plan(0.5))).ProblemAsync(404);
    }

    [Fact]
    public async Task ReviewOfAnAssessmentThatNeedsNone_Is400CodedUnderReview()
    {
        var physician = await _app.ClientAsync("physician");
        var assessments = (await physician.GetJsonAsync($"/api/v1/patients/{await _app.DemoPatientAsync():D}/assessments")).AsArray();
        var eligible = assessments.First(a => a!["review"] is null && a["result"]!.ToJsonString() is "\"Eligible\"" or "0")!;

        var problem = await (await physician.PostJsonAsync($"/api/v1/assessments/{eligible["id"]!.GetValue<Guid>():D}/review", """{"approved":true,"reason":"x"}""")).ProblemAsync(400);

        Assert.Equal(["review.not-needed"], problem.Codes());
        Assert.Equal(["review: the assessment's result is Eligible; only NeedsPhysicianReview is reviewed."], problem.Errors("review"));
    }

    [Theory]
    [InlineData("review.already-done", 409)]
    [InlineData("protocol.exists", 409)]
    [InlineData("protocol.unknown", 400)]
    [InlineData("input.out-of-range", 400)]
    [InlineData("eligibility.not-eligible", 400)]
    public void Refused_NewCodes_StatusFromTheCodeNotTheWording(string code, int status)
    {
        // The same wording under every code: only the code can choose the status.
        var refusal = new Refusal("assessment 0f: already reviewed; run a new assessment for a new decision.", [Clinic.Findings.Finding.Refused(code, Clinic.Findings.FindingArg.Of("field", "x"))]);

        var result = Assert.IsAssignableFrom<Microsoft.AspNetCore.Http.IStatusCodeHttpResult>(KetaCare.Web.Api.ApiProblems.Refused(refusal));

        Assert.Equal(status, result.StatusCode);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryHeader_Is400AndNothingIsStored()
    {
        var nurse = await _app.ClientAsync("nurse");
        var body = """{"medicalRecordNumber":"API-CSRF-1","givenName":"No","familyName":"Token","birthDate":"1970-01-01"}""";

        var response = await nurse.PostJsonAsync("/api/v1/patients", body, antiforgery: false);

        var problem = await response.ProblemAsync(400);
        Assert.Contains("X-CSRF-TOKEN", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await nurse.GetJsonAsync("/api/v1/patients?search=API-CSRF-1")).AsArray());
        Assert.Equal(HttpStatusCode.Created, (await nurse.PostJsonAsync("/api/v1/patients", body)).StatusCode);
    }

    [Fact]
    public async Task Authorisation_SignedOutIs401AndWrongRoleIs403_AsProblems()
    {
        await (await _app.Factory.NewClient().GetAsync("/api/v1/patients")).ProblemAsync(401);
        var auditor = await _app.ClientAsync("auditor");
        var before = (await auditor.GetJsonAsync("/api/v1/patients")).AsArray().Count;
        await (await auditor.PostJsonAsync("/api/v1/patients", """{"medicalRecordNumber":"API-AUD-1","givenName":"A","familyName":"B","birthDate":"1970-01-01"}""")).ProblemAsync(403);
        Assert.Equal(before, (await auditor.GetJsonAsync("/api/v1/patients")).AsArray().Count);
    }

    [Fact]
    public async Task Simulate_Cmax_EqualsAnIndependentEngineRun()
    {
        var auditor = await _app.ClientAsync("auditor");
        var response = await auditor.PostJsonAsync("/api/v1/simulations", """
            {"modelId":"domino1984","patient":{"weight":{"value":70.5,"unit":"kg"},"ageYears":42,"sex":"Female","height":{"value":165,"unit":"cm"}},
             "doses":[{"amount":{"value":0.5,"unit":"mg/kg"},"duration":{"value":40,"unit":"min"},"route":"iv"},
                      {"amount":{"value":0.15,"unit":"mg/kg/h"},"start":{"value":40,"unit":"min"},"duration":{"value":2,"unit":"h"}}],
             "until":{"value":6,"unit":"h"},"step":{"value":30,"unit":"s"}}
            """);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var result = JsonNode.Parse(text)!;

        var expected = Simulator.Run(new SimulationRequest(
            ModelLibrary.Get("domino1984").Value,
            new Covariates(BodyWeight.FromKilograms(70.5), 42, Sex.Female, 165),
            new Regimen([
                new Administration(Duration.Zero, DoseExpression.Parse("0.5 mg/kg over 40 min").Value, Route.Intravenous),
                new Administration(Duration.FromMinutes(40), DoseExpression.Parse("0.15 mg/kg/h for 2 h").Value, Route.Intravenous),
            ]))
        { Until = Duration.FromHours(6), Step = Duration.FromSeconds(30) }).Value;
        var plasma = result["series"]!.AsArray().Single(s => s!["output"]!.GetValue<string>() == "plasma")!;
        var metrics = expected.Metrics("plasma");
        // Same engine, same inputs: only JSON's shortest round-trip formatting stands between the two (exact for doubles).
        AssertRelative(metrics.Cmax.NanogramsPerMilliliter, plasma["metrics"]!["cmax"]!["value"]!.GetValue<double>(), 1e-9);
        Assert.Equal("ng/mL", plasma["metrics"]!["cmax"]!["unit"]!.GetValue<string>());
        AssertRelative(metrics.Tmax.Minutes, plasma["metrics"]!["tmax"]!["value"]!.GetValue<double>(), 1e-9);
        AssertRelative(metrics.AucNgHoursPerMl, plasma["metrics"]!["auc"]!["value"]!.GetValue<double>(), 1e-9);
        Assert.Equal(expected.Times.Count, result["time"]!["values"]!.AsArray().Count);
        Assert.Equal(721, expected.Times.Count);
        Assert.Equal(expected.NgPerMl("plasma")[100], plasma["values"]![100]!.GetValue<double>());
    }

    [Fact]
    public async Task Simulate_EngineRegimenDocument_GivesTheSameProfileAsQuantities()
    {
        var client = await _app.ClientAsync("admin");
        const string patient = "\"patient\":{\"weight\":{\"value\":80,\"unit\":\"kg\"},\"ageYears\":50}";
        var byQuantities = await (await client.PostJsonAsync("/api/v1/simulations", $$$"""{"modelId":"hijazi2003",{{{patient}}},"doses":[{"amount":{"value":35,"unit":"mg"},"duration":{"value":1,"unit":"h"}}],"until":{"value":4,"unit":"h"}}""")).JsonAsync();
        var byDocument = await (await client.PostJsonAsync("/api/v1/simulations", $$$"""{"modelId":"hijazi2003",{{{patient}}},"regimen":{"administrations":[{"at":"0 min","dose":"35 mg over 60 min","route":"iv"}]},"until":{"value":4,"unit":"h"}}""")).JsonAsync();
        Assert.Equal(byQuantities["series"]!.ToJsonString(), byDocument["series"]!.ToJsonString());

        var bad = await (await client.PostJsonAsync("/api/v1/simulations", $$$"""{"modelId":"hijazi2003",{{{patient}}},"doses":[{"amount":{"value":0.5,"unit":"mg/kg"},"route":"nasal spray"}],"step":{"value":1,"unit":"s"}}""")).ProblemAsync(400);
        Assert.NotEmpty(bad.Errors("doses[0].route"));
        Assert.Contains("20000", Assert.Single(bad.Errors("step")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_Warnings_ComeWithTheirCodesInTheSameOrder()
    {
        var client = await _app.ClientAsync("nurse");
        var result = await (await client.PostJsonAsync("/api/v1/simulations", """{"modelId":"domino1984","patient":{"weight":{"value":70,"unit":"kg"}},"doses":[{"amount":{"value":35,"unit":"mg"},"route":"intranasal"}],"until":{"value":2,"unit":"h"}}""")).JsonAsync();

        var codes = result["warningCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var warnings = result["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Equal([EngineWarningCodes.AgeNotGiven, EngineWarningCodes.RouteAssumed], codes);
        Assert.Equal(codes.Count, warnings.Count);
        Assert.Contains("age not given", warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_ListTheLibraryWithCitations()
    {
        var models = (await (await _app.ClientAsync("nurse")).GetJsonAsync("/api/v1/models")).AsArray();
        Assert.Equal(ModelLibrary.All.Select(m => m.Id), models.Select(m => m!["id"]!.GetValue<string>()));
        Assert.All(models, m => Assert.False(string.IsNullOrWhiteSpace(m!["citation"]!.GetValue<string>())));
    }

    [Fact]
    public async Task OpenApi_TextFieldsOfRequests_DeclareTheirMaximumLength()
    {
        // The schema tells a client the limits the domain enforces (names 100, record number 40, notes 2,000,
        // session reasons 500), so a client can check before it sends.
        var client = await _app.ClientAsync("auditor");
        var schemas = (await client.GetJsonAsync("/openapi/v1.json"))["components"]!["schemas"]!;
        int? Max(string schema, string property) => schemas[schema]?["properties"]?[property]?["maxLength"]?.GetValue<int>();
        Assert.Equal(40, Max("NewPatient", "medicalRecordNumber"));
        Assert.Equal(100, Max("NewPatient", "givenName"));
        Assert.Equal(100, Max("NewPatient", "familyName"));
        Assert.Equal(2000, Max("NewObservation", "note"));
        Assert.Equal(2000, Max("NewReview", "reason"));
        Assert.Equal(2000, Max("ProposedPlan", "overrideReason"));
        Assert.Equal(500, Max("SessionAction", "reason"));
    }

    [Fact]
    public async Task OpenApi_DocumentsEveryApiRouteWithNameSummaryAndProblems()
    {
        var client = await _app.ClientAsync("auditor");
        var doc = await client.GetJsonAsync("/openapi/v1.json");
        var paths = doc["paths"]!.AsObject();
        var routes = _app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? string.Empty).StartsWith("/api/v1", StringComparison.Ordinal))
            .ToList();
        Assert.True(routes.Count >= 19, $"{routes.Count} API routes");
        foreach (var route in routes)
        {
            // OpenAPI writes "{id}" where the route has "{id:guid}".
            var path = System.Text.RegularExpressions.Regex.Replace(route.RoutePattern.RawText!.TrimEnd('/'), ":[a-z]+}", "}");
            var method = route.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant();
            Assert.True(paths.ContainsKey(path), $"{path} is not in the OpenAPI document");
            var operation = paths[path]![method];
            Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");
            Assert.False(string.IsNullOrWhiteSpace(operation!["operationId"]?.GetValue<string>()), $"{method} {path}: no name");
            Assert.False(string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()), $"{method} {path}: no summary");
            Assert.NotEmpty(operation["tags"]!.AsArray());
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("403"), $"{method} {path}: 403 not documented");
            if (method == "post" && !path.EndsWith("/antiforgery", StringComparison.Ordinal))
            {
                Assert.True(operation["requestBody"] is not null, $"{method} {path}: no request body");
                Assert.True(responses.ContainsKey("400"), $"{method} {path}: 400 not documented");
            }
        }

        Assert.Contains("X-CSRF-TOKEN", doc["info"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(paths["/api/v1/patients/{id}/weights"]!["post"]!["responses"]!.AsObject().ContainsKey("409"));
    }

    [Fact]
    public async Task Prescribe_ThroughPreviewAndTheDoseCheck_StoresThePlanWithItsOverrides()
    {
        var physician = await _app.ClientAsync("physician");
        var patient = await _app.DemoPatientAsync();
        var plansBefore = (await physician.GetJsonAsync($"/api/v1/patients/{patient:D}/plans")).AsArray().Count;

        var preview = await (await physician.PostJsonAsync($"/api/v1/patients/{patient:D}/plans/preview", Plan(0.5))).JsonAsync();
        Assert.True(preview["profile"]!["cmax"]!["value"]!.GetValue<double>() > 0);
        Assert.Equal(preview["doseCheck"]!["predictedPeak"]!["value"]!.GetValue<double>(), preview["profile"]!["cmax"]!["value"]!.GetValue<double>(), 6);
        var softLimits = preview["doseCheck"]!["findings"]!.AsArray().Where(f => f!["severity"]!.GetValue<string>() == "Soft").ToList();

        var aboveCeiling = await (await physician.PostJsonAsync($"/api/v1/patients/{patient:D}/plans", Plan(5))).ProblemAsync(400);
        Assert.NotNull(aboveCeiling["doseCheck"]);
        var prescribed = await physician.PostJsonAsync($"/api/v1/patients/{patient:D}/plans", Plan(0.5, overrideReason: "reviewed the predicted peak"));
        var text = await prescribed.Content.ReadAsStringAsync();
        Assert.True(prescribed.StatusCode == HttpStatusCode.Created, text);
        var prescription = JsonNode.Parse(text)!;
        Assert.Equal(softLimits.Count, prescription["overrides"]!.AsArray().Count);
        var planId = prescription["plan"]!["id"]!.GetValue<Guid>();
        var plan = await physician.GetJsonAsync($"/api/v1/plans/{planId:D}");
        Assert.Equal(0.5, plan["startDose"]!["value"]!.GetValue<double>());
        Assert.Equal("Active", plan["status"]!.GetValue<string>());
        Assert.Equal(plansBefore + 1, (await physician.GetJsonAsync($"/api/v1/patients/{patient:D}/plans")).AsArray().Count);
    }

    private static string Plan(double dose, string? overrideReason = null)
    {
        var reason = overrideReason is null ? string.Empty : ",\"overrideReason\":" + ApiClient.Quote(overrideReason);
        return string.Create(CultureInfo.InvariantCulture, $$$"""{"protocolId":"outpatient-seed","modelId":"domino1984","preparationId":"bag-1","startDose":{"value":{{{dose}}},"unit":"mg/kg/h"}{{{reason}}}}""");
    }

    private static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    /// <summary>One app with the demo data for the class, and one signed-in client per demo account.</summary>
    public sealed class App : IAsyncLifetime
    {
        private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

        public WebAppFactory Factory { get; } = new();

        public async Task<HttpClient> ClientAsync(string user)
        {
            if (!_clients.TryGetValue(user, out var client))
            {
                client = await Factory.SignedInAsync(user);
                _clients[user] = client;
            }

            client.DefaultRequestHeaders.AcceptLanguage.Clear();
            return client;
        }

        /// <summary>Registers a patient through the API; returns its id.</summary>
        public async Task<Guid> RegisterAsync(HttpClient client, string record)
        {
            var r = await client.PostJsonAsync("/api/v1/patients", $$$"""{"medicalRecordNumber":"{{{record}}}","givenName":"Test","familyName":"Patient","birthDate":"1975-05-05","sex":"Male"}""");
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            return (await r.JsonAsync())["id"]!.GetValue<Guid>();
        }

        /// <summary>The stored chart, read through the service (not the API).</summary>
        public async Task<Clinic.Patients.Patient> ChartAsync(Guid id)
        {
            await using var db = Database.Open(DemoSeed.SeedUser);
            return (await new PatientService(db, TimeProvider.System).OpenChartAsync(new PatientId(id), DemoSeed.SeedUser)).Value;
        }

        /// <summary>The CRPS demo patient (DEMO-0001).</summary>
        public async Task<Guid> DemoPatientAsync()
        {
            await using var db = Database.Open(DemoSeed.SeedUser);
            return (await db.Patients.AsNoTracking().SingleAsync(p => p.MedicalRecordNumber == "DEMO-0001")).Id.Value;
        }

        /// <summary>A demo session with its version.</summary>
        public async Task<(Guid Id, long Version)> DemoSessionAsync()
        {
            await using var db = Database.Open(DemoSeed.SeedUser);
            var s = await db.Sessions.AsNoTracking().OrderBy(x => x.Id).FirstAsync();
            return (s.Id.Value, s.Version);
        }

        /// <summary>Rows in the audit log: every change and every chart read adds one.</summary>
        public async Task<int> AuditCountAsync()
        {
            await using var db = Database.Open(DemoSeed.SeedUser);
            return await db.AuditEvents.CountAsync();
        }

        private ClinicDatabase Database => Factory.Services.GetRequiredService<ClinicDatabase>();

        public ValueTask InitializeAsync()
        {
            _ = Factory.Server;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            foreach (var c in _clients.Values)
            {
                c.Dispose();
            }

            Factory.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
