using System.Net;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using KetaCare.Interop.Fhir;
using KetaCare.Web.Tests.Exports;
using Task = System.Threading.Tasks.Task;

namespace KetaCare.Web.Tests.Fhir;

/// <summary>The /fhir endpoints of the running app, driven by the Firely SDK's FhirClient as an external system would.</summary>
public sealed class FhirEndpointTests(ExportTests.App app) : IClassFixture<ExportTests.App>
{
    private static FhirClient Client(HttpClient http, ResourceFormat format = ResourceFormat.Json) =>
        new(new Uri(http.BaseAddress!, "/fhir/"), http, new FhirClientSettings { PreferredFormat = format, VerifyFhirVersion = false });

    [Fact]
    public async Task Metadata_SignedOut_CapabilityStatementInJsonAndXml()
    {
        using var http = app.Factory.NewClient();

        var json = await Client(http).CapabilityStatementAsync();
        var xml = await Client(http, ResourceFormat.Xml).CapabilityStatementAsync();
        var raw = await http.GetAsync("/fhir/metadata?_format=xml");

        Assert.Equal(FHIRVersion.N4_0_1, json!.FhirVersion);
        Assert.Contains(json.Rest.Single().Resource, r => r.Type == "Encounter");
        Assert.Equal(json.Rest.Single().Resource.Count, xml!.Rest.Single().Resource.Count);
        Assert.Equal("application/fhir+xml", raw.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Everything_EveryFullUrl_ReadsBackTheSameResourceWithoutAuditEvents()
    {
        var (_, patient) = await app.DemoSessionAsync();
        using var http = await app.Factory.SignedInAsync("nurse");
        var fhir = Client(http);

        var bundle = (Bundle)(await fhir.InstanceOperationAsync(new Uri($"Patient/{patient}", UriKind.Relative), "everything", useGet: true))!;

        Assert.DoesNotContain(bundle.Entry, e => e.Resource is AuditEvent);
        Assert.Contains(bundle.Entry, e => e.Resource is Encounter);
        Assert.Contains(bundle.Entry, e => e.Resource is Practitioner);
        foreach (var entry in bundle.Entry)
        {
            var read = await fhir.ReadAsync<Resource>(entry.FullUrl!);
            Assert.Equal(FhirJson.Serialize(entry.Resource!), FhirJson.Serialize(read!));
        }
    }

    [Fact]
    public async Task Search_EachParameterAndTheNextLinks_OnlyMatchesEveryPageOnce()
    {
        var (_, patient) = await app.DemoSessionAsync();
        using var http = await app.Factory.SignedInAsync("physician");
        var fhir = Client(http);

        var all = await fhir.SearchAsync<Observation>([$"patient={patient}", "code=http://loinc.org|8867-4", "_count=500"]);
        var bare = await fhir.SearchAsync<Observation>([$"patient=Patient/{patient}", "code=8867-4"]);
        var dated = await fhir.SearchAsync<Observation>([$"patient={patient}", "code=8867-4", "date=ge2000-01-01", "date=le2100-01-01", "_lastUpdated=le2100-01-01"]);
        var none = await fhir.SearchAsync<Observation>([$"patient={patient}", "code=8867-4", "date=lt2000-01-01"]);
        var encounters = await fhir.SearchAsync<Encounter>([$"patient={patient}", "date=ge2000-01-01"]);
        var administrations = await fhir.SearchAsync<MedicationAdministration>([$"patient={patient}", $"code={FhirCodes.Snomed}|{FhirCodes.KetamineSubstance}", "effective-time=ge2000-01-01"]);

        Assert.NotEmpty(all!.Entry);
        Assert.All(all.Entry, e => Assert.Contains(((Observation)e.Resource!).Code.Coding, c => c.Code == "8867-4"));
        Assert.Equal(all.Total, bare!.Total);
        Assert.Equal(all.Total, dated!.Total);
        Assert.Equal(0, none!.Total);
        Assert.NotEmpty(encounters!.Entry);
        Assert.NotEmpty(administrations!.Entry);

        var seen = new List<string?>();
        var page = await fhir.SearchAsync<Observation>([$"patient={patient}", "code=8867-4", "_count=2"]);
        while (page is not null)
        {
            seen.AddRange(page.Entry.Select(e => e.Resource!.Id));
            page = await fhir.ContinueAsync(page);
        }

        Assert.Equal(all.Entry.Select(e => e.Resource!.Id), seen);
    }

    [Theory]
    [InlineData("/fhir/Observation?patient={patient}&subject=x", HttpStatusCode.BadRequest)]
    [InlineData("/fhir/Observation?patient={patient}&date=2026-13-01", HttpStatusCode.BadRequest)]
    [InlineData("/fhir/Observation", HttpStatusCode.BadRequest)]
    [InlineData("/fhir/Condition?patient={patient}", HttpStatusCode.BadRequest)]
    [InlineData("/fhir/Patient/{patient}?_elements=id", HttpStatusCode.BadRequest)]
    [InlineData("/fhir/Encounter/00000000-0000-0000-0000-00000000dead", HttpStatusCode.NotFound)]
    [InlineData("/fhir/Unknown/1", HttpStatusCode.NotFound)]
    [InlineData("/fhir/AuditEvent?patient={patient}", HttpStatusCode.Forbidden)]
    public async Task Errors_AsANurse_OperationOutcomeWithTheStatus(string path, HttpStatusCode status)
    {
        var (_, patient) = await app.DemoSessionAsync();
        using var http = await app.Factory.SignedInAsync("nurse");

        var response = await http.GetAsync(path.Replace("{patient}", patient.ToString(), StringComparison.Ordinal));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotEmpty(Parse<OperationOutcome>(await response.Content.ReadAsStringAsync()).Issue);
    }

    [Fact]
    public async Task Errors_SignedOutAdminAndPost_OperationOutcomesThroughFhirClientToo()
    {
        var (_, patient) = await app.DemoSessionAsync();
        using var anonymous = app.Factory.NewClient();
        using var admin = await app.Factory.SignedInAsync("admin");
        using var nurse = await app.Factory.SignedInAsync("nurse");

        var signedOut = await Assert.ThrowsAsync<FhirOperationException>(() => Client(anonymous).ReadAsync<Patient>($"Patient/{patient}"));
        var forbidden = await Assert.ThrowsAsync<FhirOperationException>(() => Client(admin).ReadAsync<Patient>($"Patient/{patient}"));
        var post = await nurse.PostAsync("/fhir/Patient", new StringContent("{}", System.Text.Encoding.UTF8, "application/fhir+json"));

        Assert.Equal((HttpStatusCode.Unauthorized, OperationOutcome.IssueType.Login), (signedOut.Status, signedOut.Outcome!.Issue[0].Code!.Value));
        Assert.Equal((HttpStatusCode.Forbidden, OperationOutcome.IssueType.Forbidden), (forbidden.Status, forbidden.Outcome!.Issue[0].Code!.Value));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, Parse<OperationOutcome>(await post.Content.ReadAsStringAsync()).Issue[0].Code);
    }

    [Fact]
    public async Task Read_XmlByAcceptAndFormat_SameResourceAsJson()
    {
        var (_, patient) = await app.DemoSessionAsync();
        using var http = await app.Factory.SignedInAsync("physician");

        var json = await Client(http).ReadAsync<Patient>($"Patient/{patient}");
        var xml = await Client(http, ResourceFormat.Xml).ReadAsync<Patient>($"Patient/{patient}");
        var byFormat = await http.GetAsync($"/fhir/Patient/{patient}?_format=application/fhir%2Bxml");

        Assert.Equal(FhirJson.Serialize(json!), FhirJson.Serialize(xml!));
        Assert.Equal("application/fhir+xml", byFormat.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<Patient", await byFormat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditEvents_Auditor_ThePatientsAuditLog()
    {
        var (_, patient) = await app.DemoSessionAsync();
        using var http = await app.Factory.SignedInAsync("auditor");

        var audit = await Client(http).SearchAsync<AuditEvent>([$"patient={patient}", "_count=500"]);

        Assert.NotEmpty(audit!.Entry);
        Assert.All(audit.Entry, e => Assert.IsType<AuditEvent>(e.Resource));
    }

    private static T Parse<T>(string json)
        where T : Resource
    {
        var parsed = FhirJson.Parse(json, out var problems);
        Assert.True(parsed.IsSuccess, string.Join("; ", problems));
        return Assert.IsType<T>(parsed.Value);
    }
}
