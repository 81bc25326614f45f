using System.Net;
using KetaCare.Web.Tests.Api;

namespace KetaCare.Web.Tests.Patients;

/// <summary>Search that finds the patient however the name is typed, and a warning when a registration looks like a patient already registered.</summary>
public sealed class PatientSearchTests : IClassFixture<PlatformTests.App>
{
    private readonly WebAppFactory _app;

    public PatientSearchTests(PlatformTests.App app) => _app = app.Factory;

    [Theory]
    [InlineData("demo")]
    [InlineData("ismail")]
    [InlineData("ISMAIL")]
    [InlineData("Ismaıl")]
    [InlineData("sahin")]
    [InlineData("ismail şahin")]
    public async Task Search_CaseAccentOrTurkishIDifference_StillFindsThePatient(string query)
    {
        var nurse = await _app.SignedInAsync("nurse");
        var created = await nurse.PostJsonAsync("/api/v1/patients", """{"medicalRecordNumber":"SEARCH-0001","givenName":"İsmail","familyName":"Şahin","birthDate":"1971-04-05","sex":"Male"}""");
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)created.StatusCode}");

        var found = (await nurse.GetJsonAsync("/api/v1/patients?search=" + Uri.EscapeDataString(query))).AsArray();
        var mrns = found.Select(p => p!["medicalRecordNumber"]!.GetValue<string>()).ToList();
        Assert.Contains(query == "demo" ? "DEMO-0001" : "SEARCH-0001", mrns);
        Assert.Contains(query == "demo" ? "DEMO-0001" : "SEARCH-0001", await nurse.GetStringAsync("/Patients?q=" + Uri.EscapeDataString(query)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_SameNameAndBirthDateTypedDifferently_WarnsOfAPossibleDuplicate()
    {
        var nurse = await _app.SignedInAsync("nurse");
        Assert.Equal(HttpStatusCode.Created, (await nurse.PostJsonAsync("/api/v1/patients", """{"medicalRecordNumber":"DUP-0001","givenName":"Gülşen","familyName":"Öztürk","birthDate":"1966-09-10","sex":"Female"}""")).StatusCode);

        var r = await nurse.PostFormAsync("/Patients/New", new()
        {
            ["Demographics.RecordNumber"] = "DUP-0002",
            ["Demographics.GivenName"] = "Gulsen",
            ["Demographics.FamilyName"] = "OZTURK",
            ["Demographics.BirthDate"] = "1966-09-10",
            ["Demographics.Sex"] = "Female",
            ["WeightKg"] = "61",
        });

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var chart = await nurse.GetStringAsync(r.Headers.Location!.OriginalString);
        Assert.Contains("data-testid=\"flash-warning\">Possible duplicate: this patient resembles DUP-0001", chart, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_RecordNumberTaken_Is409ByItsCode_AndTheTurkishPageSaysItInTurkish()
    {
        var nurse = await _app.SignedInAsync("nurse");
        const string body = """{"medicalRecordNumber":"TAKEN-0001","givenName":"Ayla","familyName":"Kaya","birthDate":"1970-02-03","sex":"Female"}""";
        Assert.Equal(HttpStatusCode.Created, (await nurse.PostJsonAsync("/api/v1/patients", body)).StatusCode);

        var again = await nurse.PostJsonAsync("/api/v1/patients", body);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("\"conflict.record-number\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var turkish = await _app.SignedInAsync("nurse2");
        turkish.DefaultRequestHeaders.AcceptLanguage.ParseAdd("tr");
        var page = await turkish.PostFormAsync("/Patients/New", new()
        {
            ["Demographics.RecordNumber"] = "TAKEN-0001",
            ["Demographics.GivenName"] = "Ayla",
            ["Demographics.FamilyName"] = "Kaya",
            ["Demographics.BirthDate"] = "1970-02-03",
            ["Demographics.Sex"] = "Female",
            ["WeightKg"] = "61",
        });
        Assert.Contains("tıbbi kayıt numarası: TAKEN-0001 zaten kayıtlı.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
