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
        var failures = new List<string>();
        var n = 0;

        async Task Check(string what, Func<Task<HttpResponseMessage>> send)
        {
            n++;
            var r = await send();
            if ((int)r.StatusCode >= 500)
            {
                failures.Add($"{what}: {(int)r.StatusCode}");
            }
        }

        foreach (var (v, i) in Corpus().Select((v, i) => (v, i)))
        {
            var q = Uri.EscapeDataString(Safe(v));
            var label = v.Length > 40 ? $"[{v.Length} chars]" : JsonSerializer.Serialize(v);
            await Check($"GET /Patients?q={label}", () => physician.GetAsync("/Patients?q=" + q));
            await Check($"GET /api/v1/patients?search={label}", () => physician.GetAsync("/api/v1/patients?search=" + q));
            await Check($"GET /api/v1/patients?limit={label}", () => physician.GetAsync("/api/v1/patients?limit=" + q));
            await Check($"GET /api/v1/patients?offset={label}", () => physician.GetAsync("/api/v1/patients?offset=" + q));
            foreach (var field in new[] { "to", "from", "page", "patient", "user", "action", "entity" })
            {
                await Check($"GET /Audit?{field}={label}", () => auditor.GetAsync($"/Audit?{field}={q}"));
            }

            await Check($"GET /Simulator?weight={label}", () => physician.GetAsync("/Simulator?model=domino1984&doses%5B0%5D.amount=0.5&doses%5B0%5D.unit=mg%2Fkg&weight=" + q));
            await Check($"GET /Simulator?model={label}", () => physician.GetAsync("/Simulator?weight=70&model=" + q));
            await Check($"POST /culture returnUrl={label}", () => anonymous.PostFormAsync("/Account/SignIn", new() { ["culture"] = "tr", ["returnUrl"] = Safe(v) }, "/culture"));
            await Check($"POST /culture culture={label}", () => anonymous.PostFormAsync("/Account/SignIn", new() { ["culture"] = Safe(v), ["returnUrl"] = "/" }, "/culture"));
            if (i % 4 == 0)
            {
                // Sign-in hashes a password per try and counts failures; a quarter of the corpus keeps the walk short.
                await Check($"POST /Account/SignIn UserName={label}", () => _app.NewClient().PostFormAsync("/Account/SignIn", new() { ["UserName"] = Safe(v), ["Password"] = Safe(v) }));
            }

            foreach (var field in new[] { "RecordNumber", "GivenName", "FamilyName", "BirthDate", "Sex" })
            {
                var form = NewPatientForm(i);
                form["Demographics." + field] = Safe(v);
                await Check($"POST /Patients/New {field}={label}", () => physician.PostFormAsync("/Patients/New", form));
            }

            await Check($"POST /Patients/New WeightKg={label}", () => physician.PostFormAsync("/Patients/New", new(NewPatientForm(i)) { ["WeightKg"] = Safe(v) }));
            foreach (var field in new[] { "medicalRecordNumber", "givenName", "familyName", "birthDate", "sex" })
            {
                var body = new Dictionary<string, object?> { ["medicalRecordNumber"] = $"FUZZ-API-{i}-{field}", ["givenName"] = "Ada", ["familyName"] = "Fuzz", ["birthDate"] = "1980-02-03", ["sex"] = "Female" };
                body[field] = v;
                await Check($"POST /api/v1/patients {field}={label}", () => physician.PostJsonAsync("/api/v1/patients", JsonSerializer.Serialize(body)));
            }

            await Check($"POST /api/v1/patients/{{id}}/weights measuredOn={label}", () => physician.PostJsonAsync($"/api/v1/patients/{patient}/weights", JsonSerializer.Serialize(new Dictionary<string, object?> { ["expectedVersion"] = 1, ["measuredOn"] = v, ["weight"] = new { value = 70, unit = "kg" } })));
            await Check($"POST /api/v1/patients/{{id}}/weights unit={label}", () => physician.PostJsonAsync($"/api/v1/patients/{patient}/weights", JsonSerializer.Serialize(new Dictionary<string, object?> { ["expectedVersion"] = 1, ["weight"] = new { value = 70, unit = v } })));
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {n} requests answered 5xx:\n" + string.Join("\n", failures.Take(40)));
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
        var clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _app.SignedInAsync("physician")));
        var body = """{"medicalRecordNumber":"RACE-0001","givenName":"Ada","familyName":"Race","birthDate":"1980-02-03","sex":"Female"}""";

        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => clients[i % clients.Length].PostJsonAsync("/api/v1/patients", body)));

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

    private async Task<bool> StoredAsync(string mrn)
    {
        await using var db = _app.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
        return await db.Patients.AnyAsync(p => p.MedicalRecordNumber == mrn);
    }
}
