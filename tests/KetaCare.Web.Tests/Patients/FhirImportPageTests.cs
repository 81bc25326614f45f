using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology.Models;
using KetaCare.Web.Tests.Api;

namespace KetaCare.Web.Tests.Patients;

/// <summary>
/// Importing a patient from a FHIR bundle on the import page and through the API: the plan first (nothing stored),
/// then the import on confirmation; possible duplicates only with the user's confirmation.
/// </summary>
public sealed partial class FhirImportPageTests(PatientsApp app) : IClassFixture<PatientsApp>
{
    /// <summary>The Synthea-shaped fixture under a record number and family name of the test's own, so tests do not flag each other as duplicates.</summary>
    private static string Bundle(string mrn, string family, string fixture = "synthea-transaction.json") =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture))
            .Replace("SYN-4417", mrn, StringComparison.Ordinal)
            .Replace("\"Brandt\"", $"\"{family}\"", StringComparison.Ordinal);

    /// <summary>The Synthea-shaped later visit of the same patient (same hospital record-number identifier).</summary>
    private static string LaterVisit(string mrn, string family) => Bundle(mrn, family, "synthea-update.json");

    [Fact]
    public async Task Import_PreviewThenConfirm_ShowsEveryEntryStoresNothingThenRegistersThePatient()
    {
        var client = await app.Factory.SignedInAsync("nurse");
        var before = await SearchAsync("WEB-IMP-1");

        var preview = await UploadAsync(client, Bundle("WEB-IMP-1", "Brandtweb"));
        var html = await preview.Content.ReadAsStringAsync();
        var afterPreview = await SearchAsync("WEB-IMP-1");
        var applied = await ApplyAsync(client, html, differentPerson: false);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(
            ["Import", "Skip", "Import", "Skip", "Skip", "Import", "Import", "Import", "Import", "Import", "Skip", "Import", "Skip", "Import"],
            EntryRows().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Contains("data-reason=\"EncounterContext\"", html, StringComparison.Ordinal);
        Assert.Contains("Brandtweb, Marta", PatientsApp.TestIds(html, "import-patient").Single(), StringComparison.Ordinal);
        Assert.Empty(before);
        Assert.Empty(afterPreview);
        Assert.Equal(HttpStatusCode.Redirect, applied.StatusCode);
        var stored = Assert.Single(await SearchAsync("WEB-IMP-1"));
        Assert.Equal("/Patients/" + stored.Id.Value, applied.Headers.Location?.OriginalString);
        var chart = await app.ChartAsync(stored.Id);
        Assert.Equal(Sex.Female, chart.Demographics.Sex);
        Assert.Equal(["G90.511", "G90.50"], chart.Conditions.ActiveValues.Select(c => c.Code.Code));
    }

    [Fact]
    public async Task Import_TurkishUi_PlanTranslated()
    {
        var client = await app.Factory.SignedInAsync("physician");
        await PatientsApp.UseLanguageAsync(client, "tr");

        var html = await (await UploadAsync(client, Bundle("WEB-IMP-2", "Brandttr"))).Content.ReadAsStringAsync();

        Assert.Contains("İçe aktarma planı", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("Başvuru: yalnızca bağlam", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("9 içe aktarılacak, 5 atlandı, 0 reddedildi.", PatientsApp.TestIds(html, "import-counts").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_SamePersonUnderAnotherRecordNumber_FlaggedAndImportedOnlyWhenConfirmed()
    {
        await using (var db = app.Database.Open(DemoSeed.SeedUser))
        {
            Assert.True((await new PatientService(db, TimeProvider.System).RegisterAsync(new Demographics("WEB-LOCAL-3", "Marta", "Brandtdup", new DateOnly(1975, 9, 14), Sex.Female), DemoSeed.DemoNurse)).IsSuccess);
        }

        var client = await app.Factory.SignedInAsync("nurse");
        var html = await (await UploadAsync(client, Bundle("WEB-IMP-3", "Brandtdup"))).Content.ReadAsStringAsync();
        var unconfirmed = await ApplyAsync(client, html, differentPerson: false);
        var unconfirmedHtml = await unconfirmed.Content.ReadAsStringAsync();
        var stored = await SearchAsync("WEB-IMP-3");
        var confirmed = await ApplyAsync(client, html, differentPerson: true);

        Assert.Contains("WEB-LOCAL-3", PatientsApp.TestIds(html, "import-duplicates").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, unconfirmed.StatusCode);
        Assert.Contains("confirm that this is a different person", PatientsApp.TestIds(unconfirmedHtml, "form-error").Single(), StringComparison.Ordinal);
        Assert.Empty(stored);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Single(await SearchAsync("WEB-IMP-3"));
    }

    [Fact]
    public async Task Import_MalformedBundle_RefusedNoConfirmButtonNothingStored()
    {
        var client = await app.Factory.SignedInAsync("nurse");

        var html = await (await UploadAsync(client, "{ \"resourceType\": \"Bundle\", ")).Content.ReadAsStringAsync();

        Assert.NotEmpty(PatientsApp.TestIds(html, "import-bundle-error"));
        Assert.DoesNotContain("data-testid=\"import-confirm\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_PreviewThenImport_PlanAsJsonThenCreatedThenTheSameBundleAgainIsAnUpdateAddingNothing()
    {
        var client = await app.Factory.SignedInAsync("physician");
        var bundle = Bundle("API-IMP-4", "Brandtapi");

        var preview = await client.PostJsonAsync("/api/v1/imports/fhir/preview", bundle);
        var plan = await preview.JsonAsync();
        var afterPreview = await SearchAsync("API-IMP-4");
        var created = await client.PostJsonAsync("/api/v1/imports/fhir", bundle);
        var again = await client.PostJsonAsync("/api/v1/imports/fhir", bundle);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("API-IMP-4", plan["medicalRecordNumber"]!.GetValue<string>());
        Assert.Equal(14, plan["entries"]!.AsArray().Count);
        Assert.Equal("EncounterContext", plan["entries"]![1]!["reason"]!.GetValue<string>());
        Assert.Empty(afterPreview);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Single(await SearchAsync("API-IMP-4"));
        // The hospital's record-number identifier now names that chart: the same bundle updates it and adds nothing.
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var update = await again.JsonAsync();
        Assert.True(update["updated"]!.GetValue<bool>());
        Assert.Equal((await created.JsonAsync())["patientId"]!.GetValue<string>(), update["patientId"]!.GetValue<string>());
        Assert.Equal("Update", update["plan"]!["entries"]![0]!["action"]!.GetValue<string>());
        Assert.DoesNotContain(update["plan"]!["entries"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "Import");
        Assert.Single(await SearchAsync("API-IMP-4"));
    }

    [Fact]
    public async Task Api_PreviewOfALaterVisit_UpdatePlanNamingTheChartNewEntriesImportedKnownOnesSkipped()
    {
        var client = await app.Factory.SignedInAsync("physician");
        var created = await client.PostJsonAsync("/api/v1/imports/fhir", Bundle("API-IMP-5", "Brandtupd"));
        var patientId = (await created.JsonAsync())["patientId"]!.GetValue<string>();

        var preview = await client.PostJsonAsync("/api/v1/imports/fhir/preview", LaterVisit("API-IMP-5", "Brandtupd"));
        var plan = await preview.JsonAsync();
        var chart = await app.ChartAsync((await SearchAsync("API-IMP-5")).Single().Id);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.True(plan["canApply"]!.GetValue<bool>());
        Assert.Equal(patientId, plan["match"]!["patientId"]!.GetValue<string>());
        Assert.Equal("API-IMP-5", plan["match"]!["medicalRecordNumber"]!.GetValue<string>());
        Assert.False(plan["match"]!["sexDiffers"]!.GetValue<bool>());
        Assert.Equal(
            ["Update", "Skip", "Skip", "Import", "Import", "Skip", "Import", "Skip", "Import", "Import", "Import", "Import", "Import", "Skip", "Import", "Import", "Skip", "Skip", "Import", "Skip"],
            plan["entries"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal("AlreadyOnChart", plan["entries"]![2]!["reason"]!.GetValue<string>());
        // The preview stored nothing: the chart still holds the first visit only.
        Assert.Equal(2, chart.ImportedVitalSigns.ActiveValues.Count());
        Assert.Equal(2, chart.Conditions.ActiveValues.Count());
    }

    [Fact]
    public async Task Import_LaterVisitOnThePage_UpdateShownThenAddedToTheSameChart()
    {
        var client = await app.Factory.SignedInAsync("nurse");
        var first = await ApplyAsync(client, await (await UploadAsync(client, Bundle("WEB-IMP-6", "Brandtvisit"))).Content.ReadAsStringAsync(), differentPerson: false);

        var html = await (await UploadAsync(client, LaterVisit("WEB-IMP-6", "Brandtvisit"))).Content.ReadAsStringAsync();
        var applied = await ApplyAsync(client, html, differentPerson: false);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Contains("WEB-IMP-6", PatientsApp.TestIds(html, "import-match").Single(), StringComparison.Ordinal);
        Assert.Equal("Update", EntryRows().Matches(html).First().Groups[1].Value);
        Assert.Equal(HttpStatusCode.Redirect, applied.StatusCode);
        Assert.Equal(first.Headers.Location, applied.Headers.Location);
        var chart = await app.ChartAsync(Assert.Single(await SearchAsync("WEB-IMP-6")).Id);
        Assert.Equal(8, chart.ImportedVitalSigns.ActiveValues.Count());
        var page = await client.GetStringAsync(first.Headers.Location!.OriginalString);
        Assert.Equal(8, PatientsApp.TestIds(page, "imported-vital-row").Count());
    }

    private async Task<IReadOnlyList<PatientSummary>> SearchAsync(string mrn)
    {
        await using var db = app.Database.Open(DemoSeed.SeedUser);
        return [.. (await new PatientService(db, TimeProvider.System).SearchAsync(mrn)).Where(p => p.MedicalRecordNumber == mrn)];
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string bundle)
    {
        var page = await client.GetStringAsync("/Patients/Import");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(FormPosts.AntiforgeryToken(page)!), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(bundle));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
        form.Add(file, "Upload", "bundle.json");
        return await client.PostAsync("/Patients/Import?handler=Preview", form);
    }

    /// <summary>Posts the preview page's confirmation form as the browser would: its token and the bundle it carries back.</summary>
    private static async Task<HttpResponseMessage> ApplyAsync(HttpClient client, string previewHtml, bool differentPerson)
    {
        var bundle = WebUtility.HtmlDecode(HiddenBundle().Match(previewHtml).Groups[1].Value);
        Assert.NotEmpty(bundle);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(FormPosts.AntiforgeryToken(previewHtml)!), "__RequestVerificationToken" },
            { new StringContent(bundle), "Bundle" },
        };
        if (differentPerson)
        {
            form.Add(new StringContent("true"), "ConfirmDifferentPerson");
        }

        return await client.PostAsync("/Patients/Import?handler=Apply", form);
    }

    [GeneratedRegex("data-testid=\"import-entry\" data-action=\"(\\w+)\"")]
    private static partial Regex EntryRows();

    [GeneratedRegex("<input type=\"hidden\"[^>]*name=\"Bundle\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenBundle();
}
