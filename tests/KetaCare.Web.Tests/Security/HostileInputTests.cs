using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Security;

/// <summary>
/// Bad input is a 4xx naming the field, never a 500 and never stored: the hostile-value corpus
/// (<c>hostile-inputs.txt</c>) in every slot of the patient, audit, language, sign-in and API endpoints, plus the
/// cases found by hand (a 10 MB name, NUL and bidi overrides in names, a birth date in 2099, /Audit?to=9999-12-31, a
/// tab in the language switch's return address, concurrent registrations of one record number).
/// </summary>
public sealed class HostileInputTests : IClassFixture<PlatformTests.App>
{
    private readonly WebAppFactory _app;

    public HostileInputTests(PlatformTests.App app) => _app = app.Factory;

    public static IReadOnlyList<string> Corpus([CallerFilePath] string path = "")
    {
        var values = new List<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Path.GetDirectoryName(path)!, "hostile-inputs.txt"), Encoding.UTF8))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("@repeat ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 3);
                values.Add(string.Concat(Enumerable.Repeat(parts[2], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))));
                continue;
            }

            values.Add(JsonSerializer.Deserialize<string>("\"" + line + "\"")!);
        }

        return values;
    }

    [Fact]
    public async Task EveryEndpointSlot_HostileValue_NeverAServerError()
    {
        var physician = await _app.SignedInAsync("physician");
        var auditor = await _app.SignedInAsync("auditor");
        var anonymous = _app.NewClient();
        var patient = await PatientIdAsync();
        var walk = new Walk();

        foreach (var (v, i) in Corpus().Select((v, i) => (v, i)))
        {
            var q = Uri.EscapeDataString(Safe(v));
            var label = v.Length > 40 ? $"[{v.Length} chars]" : JsonSerializer.Serialize(v);
            await walk.Check($"GET /Patients?q={label}", () => physician.GetAsync("/Patients?q=" + q));
            await walk.Check($"GET /api/v1/patients?search={label}", () => physician.GetAsync("/api/v1/patients?search=" + q));
            await walk.Check($"GET /api/v1/patients?limit={label}", () => physician.GetAsync("/api/v1/patients?limit=" + q));
            await walk.Check($"GET /api/v1/patients?offset={label}", () => physician.GetAsync("/api/v1/patients?offset=" + q));
            foreach (var field in new[] { "to", "from", "page", "patient", "user", "action", "entity" })
            {
                await walk.Check($"GET /Audit?{field}={label}", () => auditor.GetAsync($"/Audit?{field}={q}"));
            }

            await walk.Check($"GET /Simulator?weight={label}", () => physician.GetAsync("/Simulator?model=domino1984&doses%5B0%5D.amount=0.5&doses%5B0%5D.unit=mg%2Fkg&weight=" + q));
            await walk.Check($"GET /Simulator?model={label}", () => physician.GetAsync("/Simulator?weight=70&model=" + q));
            await walk.Check($"POST /culture returnUrl={label}", () => anonymous.PostFormAsync("/Account/SignIn", new() { ["culture"] = "tr", ["returnUrl"] = Safe(v) }, "/culture"));
            await walk.Check($"POST /culture culture={label}", () => anonymous.PostFormAsync("/Account/SignIn", new() { ["culture"] = Safe(v), ["returnUrl"] = "/" }, "/culture"));
            if (i % 4 == 0)
            {
                // Sign-in hashes a password per try and counts failures; a quarter of the corpus keeps the walk short.
                await walk.Check($"POST /Account/SignIn UserName={label}", () => _app.NewClient().PostFormAsync("/Account/SignIn", new() { ["UserName"] = Safe(v), ["Password"] = Safe(v) }));
            }

            foreach (var field in new[] { "RecordNumber", "GivenName", "FamilyName", "BirthDate", "Sex" })
            {
                var form = NewPatientForm(i);
                form["Demographics." + field] = Safe(v);
                await walk.Check($"POST /Patients/New {field}={label}", () => physician.PostFormAsync("/Patients/New", form));
            }

            await walk.Check($"POST /Patients/New WeightKg={label}", () => physician.PostFormAsync("/Patients/New", new(NewPatientForm(i)) { ["WeightKg"] = Safe(v) }));
            foreach (var field in new[] { "medicalRecordNumber", "givenName", "familyName", "birthDate", "sex" })
            {
                var body = new Dictionary<string, object?> { ["medicalRecordNumber"] = $"FUZZ-API-{i}-{field}", ["givenName"] = "Ada", ["familyName"] = "Fuzz", ["birthDate"] = "1980-02-03", ["sex"] = "Female" };
                body[field] = v;
                await walk.Check($"POST /api/v1/patients {field}={label}", () => physician.PostJsonAsync("/api/v1/patients", JsonSerializer.Serialize(body)));
            }

            await walk.Check($"POST /api/v1/patients/{{id}}/weights measuredOn={label}", () => physician.PostJsonAsync($"/api/v1/patients/{patient}/weights", JsonSerializer.Serialize(new Dictionary<string, object?> { ["expectedVersion"] = 1, ["measuredOn"] = v, ["weight"] = new { value = 70, unit = "kg" } })));
            await walk.Check($"POST /api/v1/patients/{{id}}/weights unit={label}", () => physician.PostJsonAsync($"/api/v1/patients/{patient}/weights", JsonSerializer.Serialize(new Dictionary<string, object?> { ["expectedVersion"] = 1, ["weight"] = new { value = 70, unit = v } })));
        }

        walk.AssertNoServerError();
    }

    [Fact]
    public async Task ClinicalAndFhirEndpoints_HostileValue_NeverAServerError()
    {
        // Plans, assessments, sessions, simulations and FHIR: each hostile value in each field of a request that is
        // otherwise valid, plus bodies that are not the JSON the endpoint expects.
        var physician = await _app.SignedInAsync("physician");
        var nurse = await _app.SignedInAsync("nurse");
        var ids = await ClinicalIdsAsync();
        var walk = new Walk();

        Task Post(HttpClient client, string path, Dictionary<string, object?> body, string field, object? value, string label)
        {
            var copy = new Dictionary<string, object?>(body) { [field] = value };
            return walk.Check($"POST {path} {field}={label}", () => client.PostJsonAsync(path, JsonSerializer.Serialize(copy)));
        }

        var plan = new Dictionary<string, object?> { ["protocolId"] = "iv-low-dose", ["modelId"] = "domino1984", ["preparationId"] = null, ["startDose"] = new { value = 0.5, unit = "mg/kg" }, ["overrideReason"] = null };
        var observation = new Dictionary<string, object?> { ["expectedVersion"] = ids.SessionVersion, ["systolic"] = 120, ["diastolic"] = 80, ["heartRate"] = 70, ["spO2"] = 98, ["note"] = "ok" };
        var action = new Dictionary<string, object?> { ["expectedVersion"] = ids.SessionVersion, ["reason"] = "probe", ["rate"] = new { value = 10, unit = "mL/h" } };
        var simulation = new Dictionary<string, object?> { ["modelId"] = "domino1984", ["patient"] = new { weight = new { value = 70, unit = "kg" } }, ["doses"] = new[] { new { amount = new { value = 0.5, unit = "mg/kg" }, route = "iv", duration = new { value = 60, unit = "min" } } } };
        var preview = $"/api/v1/patients/{ids.Patient}/plans/preview";
        var prescribe = $"/api/v1/patients/{ids.Patient}/plans";
        var observe = $"/api/v1/sessions/{ids.Session}/observations";

        foreach (var v in Corpus())
        {
            var label = v.Length > 40 ? $"[{v.Length} chars]" : JsonSerializer.Serialize(v);
            // A NUL in a path never reaches the app (the server refuses the request line; the test host throws).
            var segment = Uri.EscapeDataString(Safe(v).Replace('\0', '\uFFFD'));
            var quantity = new { value = 1, unit = v };
            foreach (var field in new[] { "protocolId", "modelId", "preparationId", "overrideReason" })
            {
                await Post(physician, preview, plan, field, v, label);
            }

            await Post(physician, preview, plan, "startDose", quantity, label);
            await Post(physician, prescribe, plan, "protocolId", v, label);
            await Post(physician, prescribe, plan, "overrideReason", v, label);
            await Post(physician, $"/api/v1/patients/{ids.Patient}/assessments", new() { ["conditionId"] = null, ["intendedProtocolId"] = null }, "intendedProtocolId", v, label);
            await Post(physician, $"/api/v1/patients/{ids.Patient}/assessments", new() { ["intendedProtocolId"] = null }, "conditionId", v, label);
            await Post(physician, $"/api/v1/assessments/{ids.Assessment}/review", new() { ["approved"] = false }, "reason", v, label);
            await Post(physician, $"/api/v1/plans/{ids.Plan}/sessions", [], "date", v, label);
            foreach (var field in new[] { "at", "note", "expectedVersion", "systolic" })
            {
                await Post(nurse, observe, observation, field, v, label);
            }

            await Post(nurse, observe, observation, "sedation", new { scale = v, value = 0 }, label);
            await walk.Check($"POST actions/{label}", () => nurse.PostJsonAsync($"/api/v1/sessions/{ids.Session}/actions/{segment}", JsonSerializer.Serialize(action)));
            foreach (var act in new[] { "pause", "rate", "stop", "acknowledge" })
            {
                await Post(nurse, $"/api/v1/sessions/{ids.Session}/actions/{act}", action, "reason", v, label);
            }

            await Post(nurse, $"/api/v1/sessions/{ids.Session}/actions/rate", action, "rate", quantity, label);
            await Post(physician, "/api/v1/simulations", simulation, "modelId", v, label);
            await Post(physician, "/api/v1/simulations", simulation, "until", quantity, label);
            await Post(physician, "/api/v1/simulations", simulation, "doses", new[] { new { amount = quantity, route = v } }, label);
            await Post(physician, "/api/v1/simulations", simulation, "regimen", v, label);
            await walk.Check($"GET /fhir/Patient/{label}", () => physician.GetAsync("/fhir/Patient/" + segment));
            await walk.Check($"GET /fhir/Patient/{label}/$everything", () => physician.GetAsync($"/fhir/Patient/{segment}/$everything"));
            await walk.Check($"GET /fhir/Observation?patient={label}", () => physician.GetAsync("/fhir/Observation?patient=" + segment));
            await walk.Check($"GET /fhir/MedicationAdministration?patient={label}", () => physician.GetAsync("/fhir/MedicationAdministration?patient=" + segment));
            await walk.Check($"GET /exports/patients/{{id}}/leaflet.pdf?lang={label}", () => physician.GetAsync($"/exports/patients/{ids.Patient}/leaflet.pdf?lang={segment}"));
        }

        // Bodies that are not the expected JSON object, in every clinical POST.
        foreach (var path in new[] { preview, prescribe, observe, $"/api/v1/plans/{ids.Plan}/sessions", $"/api/v1/sessions/{ids.Session}/actions/pause", "/api/v1/simulations", $"/api/v1/assessments/{ids.Assessment}/review" })
        {
            foreach (var body in new[] { string.Empty, "{", "[]", "null", "42", "\"text\"", "{\"expectedVersion\":1e400}", string.Concat(Enumerable.Repeat("[", 5000)), "{\"startDose\":{\"value\":\"NaN\",\"unit\":\"mg\"}}" })
            {
                await walk.Check($"POST {path} body={(body.Length > 40 ? body.Length + " chars" : body)}", () => physician.PostJsonAsync(path, body));
            }
        }

        walk.AssertNoServerError();
    }

    [Fact]
    public async Task AuditSearch_ToTheLastRepresentableDay_IsRefusedNamingTheFieldNot500()
    {
        var auditor = await _app.SignedInAsync("auditor");
        var r = await auditor.GetAsync("/Audit?to=9999-12-31");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("to: 9999-12-31 is outside the allowed range 1900-01-01 to", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_TabInReturnUrl_RedirectsHomeNot500()
    {
        var r = await _app.NewClient().PostFormAsync("/Account/SignIn", new() { ["culture"] = "tr", ["returnUrl"] = "/\t/evil.example" }, "/culture");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/", r.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("givenName", "Ada\u0000", "givenName: contains an invisible or control character (U+0000")]
    [InlineData("familyName", "Smith\u202Egnp", "familyName: contains an invisible or control character (U+202E")]
    [InlineData("givenName", "Z\u200Bero", "givenName: contains an invisible or control character (U+200B")]
    [InlineData("medicalRecordNumber", "MRN\r\n-1", "medicalRecordNumber: contains an invisible or control character (U+000D")]
    [InlineData("birthDate", "2099-01-01", "birthDate: 2099-01-01 is outside the allowed range 1900-01-01 to")]
    public async Task RegisterPatientApi_HostileField_Is400NamingTheFieldAndNothingIsStored(string field, string value, string message)
    {
        var physician = await _app.SignedInAsync("physician");
        var mrn = "HOSTILE-" + Guid.NewGuid().ToString("N")[..8];
        var body = new Dictionary<string, object?> { ["medicalRecordNumber"] = mrn, ["givenName"] = "Ada", ["familyName"] = "Hostile", ["birthDate"] = "1980-02-03", ["sex"] = "Female" };
        body[field] = value;

        var problem = await (await physician.PostJsonAsync("/api/v1/patients", JsonSerializer.Serialize(body))).ProblemAsync(400);

        Assert.Contains(problem.Errors(field), e => e.StartsWith(message, StringComparison.Ordinal));
        Assert.False(await StoredAsync(field == "medicalRecordNumber" ? value.Trim() : mrn));
    }

    [Fact]
    public async Task RegisterPatientApi_TenMegabyteName_Is413AndNothingIsStored()
    {
        var physician = await _app.SignedInAsync("physician");
        var body = JsonSerializer.Serialize(new { medicalRecordNumber = "HUGE-0001", givenName = new string('A', 10 * 1024 * 1024), familyName = "Huge", birthDate = "1980-02-03", sex = "Female" });
        var r = await physician.PostJsonAsync("/api/v1/patients", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.False(await StoredAsync("HUGE-0001"));
    }

    [Fact]
    public async Task RegisterPatientApi_NameOverTheLimit_Is400NamingTheLimit()
    {
        var physician = await _app.SignedInAsync("physician");
        var body = JsonSerializer.Serialize(new { medicalRecordNumber = "LONG-0001", givenName = new string('A', 101), familyName = "Long", birthDate = "1980-02-03", sex = "Female" });
        var problem = await (await physician.PostJsonAsync("/api/v1/patients", body)).ProblemAsync(400);
        Assert.Contains(problem.Errors("givenName"), e => e.Contains("longer than the allowed 100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisterPatientForm_BirthDateIn2099_IsRefusedAndNothingIsStored()
    {
        var physician = await _app.SignedInAsync("physician");
        var form = NewPatientForm(9099);
        form["Demographics.BirthDate"] = "2099-01-01";
        var r = await physician.PostFormAsync("/Patients/New", form);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("birthDate: 2099-01-01 is outside the allowed range", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await StoredAsync(form["Demographics.RecordNumber"]));
    }

    [Fact]
    public async Task RecordWeightApi_DatedInTheFuture_Is400NamingMeasuredOn()
    {
        var physician = await _app.SignedInAsync("physician");
        var id = await PatientIdAsync();
        var version = (await physician.GetJsonAsync($"/api/v1/patients/{id}"))["version"]!.GetValue<long>();
        var r = await physician.PostJsonAsync($"/api/v1/patients/{id}/weights", $$$"""{"expectedVersion":{{{version}}},"measuredOn":"2999-01-01","weight":{"value":70,"unit":"kg"}}""");
        var problem = await r.ProblemAsync(400);
        Assert.Contains(problem.Errors("measuredOn"), e => e.StartsWith("measuredOn: 2999-01-01 is outside the allowed range", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisterPatientApi_SameRecordNumberConcurrently_OneCreatedTheRest409()
    {
        // Signed in one after another: six sign-ins of one account from one address at the same instant are a burst
        // the sign-in guard refuses by design (it counts every attempt before checking the password).
        var clients = new List<HttpClient>();
        for (var i = 0; i < 6; i++)
        {
            clients.Add(await _app.SignedInAsync("physician"));
        }

        var body = """{"medicalRecordNumber":"RACE-0001","givenName":"Ada","familyName":"Race","birthDate":"1980-02-03","sex":"Female"}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => clients[i % clients.Count].PostJsonAsync("/api/v1/patients", body)));

        var codes = answers.Select(a => (int)a.StatusCode).ToList();
        Assert.Equal(1, codes.Count(c => c == 201));
        Assert.All(codes, c => Assert.True(c is 201 or 409, $"status {c} among {string.Join(",", codes)}"));
    }

    [Fact]
    public async Task PatientListApi_LimitOverTheMaximum_Is400AndAFullPageLinksTheNext()
    {
        var physician = await _app.SignedInAsync("physician");
        var problem = await (await physician.GetAsync("/api/v1/patients?limit=100000")).ProblemAsync(400);
        Assert.Contains(problem.Errors("limit"), e => e.Contains("outside the allowed range 1 to 200", StringComparison.Ordinal));

        var page = await physician.GetAsync("/api/v1/patients?limit=1");
        Assert.Single((await page.JsonAsync()).AsArray());
        Assert.Contains("rel=\"next\"", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    /// <summary>Sends requests and collects every 5xx answer, so one run reports all of them.</summary>
    private sealed class Walk
    {
        private readonly List<string> _failures = [];
        private int _sent;

        public async Task Check(string what, Func<Task<HttpResponseMessage>> send)
        {
            _sent++;
            var r = await send();
            if ((int)r.StatusCode >= 500)
            {
                _failures.Add($"{what}: {(int)r.StatusCode}");
            }

            // Refusals carry the security headers as much as pages do.
            if (SecurityHeaderCheck.Missing(r) is { Count: > 0 } missing)
            {
                _failures.Add($"{what}: {(int)r.StatusCode} without {string.Join(", ", missing)}");
            }
        }

        public void AssertNoServerError() =>
            Assert.True(_failures.Count == 0, $"{_failures.Count} of {_sent} requests answered 5xx or without the security headers:\n" + string.Join("\n", _failures.Take(40)));
    }

    /// <summary>A value as a URL or form can carry it: a lone surrogate (which the client cannot encode) becomes U+FFFD.</summary>
    private static string Safe(string v) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(v));

    private static Dictionary<string, string> NewPatientForm(int i) => new()
    {
        ["Demographics.RecordNumber"] = $"FUZZ-WEB-{i}-{Guid.NewGuid().ToString("N")[..6]}",
        ["Demographics.GivenName"] = "Ada",
        ["Demographics.FamilyName"] = "Fuzz",
        ["Demographics.BirthDate"] = "1980-02-03",
        ["Demographics.Sex"] = "Female",
        ["WeightKg"] = "70",
    };

    private async Task<Guid> PatientIdAsync()
    {
        await using var db = _app.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        return (await db.Patients.AsNoTracking().OrderBy(p => p.MedicalRecordNumber).FirstAsync()).Id.Value;
    }

    private async Task<(Guid Patient, Guid Plan, Guid Session, long SessionVersion, Guid Assessment)> ClinicalIdsAsync()
    {
        await using var db = _app.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        // A running infusion when the demo has one, so that observations and actions reach the session's own checks.
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.State == "Running") ?? await db.Sessions.AsNoTracking().OrderBy(s => s.Id).FirstAsync();
        var plan = await db.Plans.AsNoTracking().FirstAsync(p => p.Id == session.PlanId);
        var assessment = await db.Assessments.AsNoTracking().FirstAsync(a => a.PatientId == plan.PatientId);
        return (plan.PatientId.Value, plan.Id.Value, session.Id.Value, session.Version, assessment.Id.Value);
    }

    private async Task<bool> StoredAsync(string mrn)
    {
        await using var db = _app.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        return await db.Patients.AnyAsync(p => p.MedicalRecordNumber == mrn);
    }
}
