using System.Net;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using KetaCare.Interop.Fhir;
using KetaCare.Web.Tests.Exports;

namespace KetaCare.Web.Tests.Fhir;

/// <summary>The /fhir read endpoints of the running app, parsed back with the Firely SDK.</summary>
public sealed class FhirEndpointTests(ExportTests.App app) : IClassFixture<ExportTests.App>
{
    [Fact]
    public async Task Metadata_SignedIn_IsACapabilityStatementListingTheReads()
    {
        var client = await app.Factory.SignedInAsync("auditor");
        var response = await client.GetAsync("/fhir/metadata");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        var cs = Parse<CapabilityStatement>(await response.Content.ReadAsStringAsync());
        var types = cs.Rest.Single().Resource.Select(r => r.Type).ToList();
        Assert.Contains("Patient", types);
        Assert.Contains("MedicationAdministration", types);
    }

    [Fact]
    public async Task Everything_DemoPatient_HasThePatientAndOneAdministrationPerRateSegment()
    {
        var (_, patient) = await app.DemoSessionAsync();
        var client = await app.Factory.SignedInAsync("physician");
        var bundle = Parse<Bundle>(await client.GetStringAsync($"/fhir/Patient/{patient}/$everything"));
        Assert.Single(bundle.Entry, e => e.Resource is Patient);
        Assert.Contains(bundle.Entry, e => e.Resource is MedicationAdministration);
        Assert.Contains(bundle.Entry, e => e.Resource is Observation);

        var read = Parse<Patient>(await client.GetStringAsync($"/fhir/Patient/{patient}"));
        Assert.Equal(patient.ToString(), read.Id);
        var admins = Parse<Bundle>(await client.GetStringAsync($"/fhir/MedicationAdministration?patient=Patient/{patient}"));
        Assert.NotEmpty(admins.Entry);
        Assert.All(admins.Entry, e => Assert.IsType<MedicationAdministration>(e.Resource));
        var observations = Parse<Bundle>(await client.GetStringAsync($"/fhir/Observation?patient={patient}"));
        Assert.All(observations.Entry, e => Assert.IsType<Observation>(e.Resource));
    }

    [Fact]
    public async Task Search_WithoutPatient_IsBadRequestWithAnOperationOutcome()
    {
        var client = await app.Factory.SignedInAsync("nurse");
        var response = await client.GetAsync("/fhir/Observation");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = Parse<OperationOutcome>(await response.Content.ReadAsStringAsync());
        Assert.Contains("patient", outcome.Issue.Single().Diagnostics ?? outcome.Issue.Single().Details?.Text ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnknownPatient_IsNotFound()
    {
        var client = await app.Factory.SignedInAsync("nurse");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/fhir/Patient/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Read_AdminWithoutClinicalRole_IsForbidden()
    {
        var client = await app.Factory.SignedInAsync("admin");
        var (_, patient) = await app.DemoSessionAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/fhir/Patient/{patient}")).StatusCode);
    }

    private static T Parse<T>(string json)
        where T : Resource
    {
        var parsed = FhirJson.Parse(json, out var problems);
        Assert.True(parsed.IsSuccess, string.Join("; ", problems));
        return Assert.IsType<T>(parsed.Value);
    }
}
