using Hl7.Fhir.Model;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Interop.Fhir;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Fhir;

/// <summary>
/// FHIR R4 read endpoints under <c>/fhir</c> (JSON): the CapabilityStatement, Patient read and <c>$everything</c>,
/// Observation and MedicationAdministration searches by patient. The same policies as the pages (patient data:
/// ReadClinical); every read goes through the clinic's services and is audited. Errors are OperationOutcomes.
/// </summary>
public static class FhirEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var g = app.MapGroup("/fhir").ExcludeFromDescription();
        g.MapGet("/metadata", (HttpContext http, TimeProvider clock) => Fhir(FhirExporter.Capabilities(BaseUrl(http), clock.GetUtcNow()), StatusCodes.Status200OK))
            .RequireAuthorization();
        var clinical = g.MapGroup(string.Empty).RequireAuthorization(Policies.ReadClinical);
        clinical.MapGet("/Patient/{id}", (string id, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            Bounded(http, limits, ct => WithPatient(id, async p => Result(await new FhirExporter(db, request.Clock).ReadPatientAsync(p, request.RequiredUser, ct).ConfigureAwait(false)))));
        clinical.MapGet("/Patient/{id}/$everything", (string id, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            Bounded(http, limits, ct => WithPatient(id, async p => Result(await new FhirExporter(db, request.Clock).EverythingAsync(p, request.RequiredUser, BaseUrl(http), ct).ConfigureAwait(false)))));
        clinical.MapGet("/Observation", (string? patient, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            Bounded(http, limits, ct => WithPatient(patient, async p => Result(await new FhirExporter(db, request.Clock).SearchObservationsAsync(p, request.RequiredUser, BaseUrl(http), ct).ConfigureAwait(false)))));
        clinical.MapGet("/MedicationAdministration", (string? patient, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            Bounded(http, limits, ct => WithPatient(patient, async p => Result(await new FhirExporter(db, request.Clock).SearchMedicationAdministrationsAsync(p, request.RequiredUser, BaseUrl(http), ct).ConfigureAwait(false)))));
    }

    // Bounded in time and by the client (WorkLimits); a read stopped at the limit is a FHIR timeout outcome.
    private static Task<IResult> Bounded(HttpContext http, WorkLimits limits, Func<CancellationToken, Task<IResult>> work) =>
        WorkLimits.RunAsync(http, limits.Fhir, work, () => Fhir(
            FhirJson.Outcome(OperationOutcome.IssueType.Timeout, [(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the read took longer than the {limits.Fhir.TotalSeconds:0.###} s this server allows and was stopped."), null)]),
            StatusCodes.Status503ServiceUnavailable));

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}/fhir";

    // Searches accept "patient=<id>" and "patient=Patient/<id>".
    private static async Task<IResult> WithPatient(string? id, Func<PatientId, Task<IResult>> then)
    {
        var text = id?.StartsWith("Patient/", StringComparison.Ordinal) == true ? id["Patient/".Length..] : id;
        return FhirExporter.TryParseId(text, out var patient)
            ? await then(patient).ConfigureAwait(false)
            : Fhir(FhirJson.Outcome(OperationOutcome.IssueType.Required, [("patient: a patient id (a GUID, or Patient/<GUID>) is required.", "patient")]), StatusCodes.Status400BadRequest);
    }

    // The exporter refuses only an unknown patient.
    private static IResult Result<T>(Outcome<T> outcome)
        where T : Resource => outcome.IsSuccess
            ? Fhir(outcome.Value, StatusCodes.Status200OK)
            : Fhir(FhirJson.Outcome(OperationOutcome.IssueType.NotFound, [(outcome.Error, null)]), StatusCodes.Status404NotFound);

    private static IResult Fhir(Resource resource, int status) => Results.Text(FhirJson.Serialize(resource), FhirJson.MediaType, System.Text.Encoding.UTF8, status);
}
