using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Interop.Fhir;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Fhir;

/// <summary>
/// FHIR R4 read endpoints under <c>/fhir</c>: the CapabilityStatement (public, so a client can discover the server before
/// it signs in), a read of every exported type (<c>{type}/{id}</c>, the target of every fullUrl), <c>Patient/{id}/$everything</c>,
/// the searches of <see cref="FhirSearch"/>, and the patient's AuditEvents for the Auditor role only. Patient data needs
/// ReadClinical, as on the pages; every read goes through the clinic's services and is audited. JSON by default, XML
/// when <c>Accept</c> or <c>_format</c> asks for it. Every error — including 401, 403, 404 and 405 — is an OperationOutcome.
/// </summary>
public static class FhirEndpoints
{
    /// <summary>The media type of FHIR XML.</summary>
    public const string XmlMediaType = "application/fhir+xml";

    private static readonly FhirXmlSerializer Xml = new();

    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var g = app.MapGroup("/fhir").ExcludeFromDescription();
        g.MapGet("/metadata", (HttpContext http, TimeProvider clock) => Only(http, () => Task.FromResult(Fhir(http, FhirExporter.Capabilities(BaseUrl(http), clock.GetUtcNow()), StatusCodes.Status200OK))))
            .AllowAnonymous();
        g.MapGet("/AuditEvent", (HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
                Search(http, limits, "AuditEvent", (search, ct) => new FhirExporter(db, request.Clock).SearchAsync(search, request.RequiredUser, BaseUrl(http), ct)))
            .RequireAuthorization(Policies.Audit);
        var clinical = g.MapGroup(string.Empty).RequireAuthorization(Policies.ReadClinical);
        clinical.MapGet("/Patient/{id}/$everything", (string id, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            Only(http, () => Bounded(http, limits, async ct => FhirExporter.TryParseId(id, out var patient)
                ? Result(http, await new FhirExporter(db, request.Clock).EverythingAsync(patient, request.RequiredUser, BaseUrl(http), ct).ConfigureAwait(false))
                : NotFound(http, $"Patient/{id}: no such patient."))));
        clinical.MapGet("/{type}/{id}", (string type, string id, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            Only(http, () => Bounded(http, limits, async ct =>
            {
                var exporter = new FhirExporter(db, request.Clock);
                if (type == "Patient")
                {
                    return FhirExporter.TryParseId(id, out var patient)
                        ? Result(http, await exporter.ReadPatientAsync(patient, request.RequiredUser, ct).ConfigureAwait(false))
                        : NotFound(http, $"Patient/{id}: no such patient.");
                }

                return Result(http, await exporter.ReadAsync(type, id, request.RequiredUser, ct).ConfigureAwait(false));
            })));
        clinical.MapGet("/{type}", (string type, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            Search(http, limits, type, (search, ct) => new FhirExporter(db, request.Clock).SearchAsync(search, request.RequiredUser, BaseUrl(http), ct)));
    }

    /// <summary>
    /// Gives a bare error status under <c>/fhir</c> (a refused sign-in or role, an unknown path, a method not allowed) an
    /// OperationOutcome body, so a FHIR client always gets a resource it can read. Responses that already have a body pass.
    /// </summary>
    public static async Task OutcomeForBareStatusAsync(HttpContext http, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        await next().ConfigureAwait(false);
        var status = http.Response.StatusCode;
        if (status < 400 || http.Response.HasStarted || http.Response.ContentLength is not null || http.Response.ContentType is not null)
        {
            return;
        }

        var (code, text) = status switch
        {
            StatusCodes.Status401Unauthorized => (OperationOutcome.IssueType.Login, "sign in first: this resource needs a signed-in user."),
            StatusCodes.Status403Forbidden => (OperationOutcome.IssueType.Forbidden, "your role may not read this resource."),
            StatusCodes.Status404NotFound => (OperationOutcome.IssueType.NotFound, $"{http.Request.Path}: no such resource or interaction; see /fhir/metadata."),
            StatusCodes.Status405MethodNotAllowed => (OperationOutcome.IssueType.NotSupported, $"{http.Request.Method}: this server is read-only; only GET is supported."),
            _ => (OperationOutcome.IssueType.Processing, "the request failed."),
        };
        await Fhir(http, FhirJson.Outcome(code, [(text, null)]), status).ExecuteAsync(http).ConfigureAwait(false);
    }

    private static Task<IResult> Search(HttpContext http, WorkLimits limits, string type, Func<FhirSearch, CancellationToken, Task<Outcome<Bundle>>> run)
    {
        if (!FhirSearch.Parameters.ContainsKey(type))
        {
            return Task.FromResult(FhirExporter.ExportedTypes.Contains(type, StringComparer.Ordinal)
                ? Fhir(http, FhirJson.Outcome(OperationOutcome.IssueType.NotSupported, [($"{type}: search is not supported; read by id, or search {string.Join(", ", FhirSearch.Parameters.Keys)}.", null)]), StatusCodes.Status400BadRequest)
                : NotFound(http, $"{type}: not a resource type this server serves; see /fhir/metadata."));
        }

        var query = http.Request.Query.SelectMany(kv => kv.Value.Select(v => KeyValuePair.Create(kv.Key, v ?? string.Empty)));
        var search = FhirSearch.Parse(type, query);
        return search.IsSuccess
            ? Bounded(http, limits, async ct => Result(http, await run(search.Value, ct).ConfigureAwait(false)))
            : Task.FromResult(BadRequest(http, search.Error));
    }

    // Reads take no parameters but _format: a parameter the server would ignore is refused rather than silently dropped.
    private static Task<IResult> Only(HttpContext http, Func<Task<IResult>> then)
    {
        var unknown = http.Request.Query.Keys.Where(k => k != "_format").ToList();
        return unknown.Count == 0
            ? then()
            : Task.FromResult(BadRequest(http, $"{string.Join(", ", unknown)}: not supported here; this interaction takes only _format."));
    }

    // Bounded in time and by the client (WorkLimits); a read stopped at the limit is a FHIR timeout outcome.
    private static Task<IResult> Bounded(HttpContext http, WorkLimits limits, Func<CancellationToken, Task<IResult>> work) =>
        WorkLimits.RunAsync(http, limits.Fhir, work, () => Fhir(
            http,
            FhirJson.Outcome(OperationOutcome.IssueType.Timeout, [(string.Create(CultureInfo.InvariantCulture, $"the read took longer than the {limits.Fhir.TotalSeconds:0.###} s this server allows and was stopped."), null)]),
            StatusCodes.Status503ServiceUnavailable));

    private static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/fhir";

    // The exporter refuses only what it cannot find.
    private static IResult Result<T>(HttpContext http, Outcome<T> outcome)
        where T : Resource => outcome.IsSuccess ? Fhir(http, outcome.Value, StatusCodes.Status200OK) : NotFound(http, outcome.Error);

    private static IResult NotFound(HttpContext http, string message) => Fhir(http, FhirJson.Outcome(OperationOutcome.IssueType.NotFound, [(message, null)]), StatusCodes.Status404NotFound);

    private static IResult BadRequest(HttpContext http, string message) => Fhir(http, FhirJson.Outcome(OperationOutcome.IssueType.Invalid, [(message, null)]), StatusCodes.Status400BadRequest);

    private static IResult Fhir(HttpContext http, Resource resource, int status) => WantsXml(http)
        ? Results.Text(Xml.SerializeToString(resource), XmlMediaType, System.Text.Encoding.UTF8, status)
        : Results.Text(FhirJson.Serialize(resource), FhirJson.MediaType, System.Text.Encoding.UTF8, status);

    // _format wins over Accept (FHIR R4 http.html#mime-type); JSON unless XML is asked for.
    private static bool WantsXml(HttpContext http)
    {
        var format = http.Request.Query["_format"].ToString();
        if (format.Length > 0)
        {
            return format is "xml" or "text/xml" or "application/xml" or XmlMediaType;
        }

        var accept = http.Request.Headers.Accept.ToString();
        return (accept.Contains(XmlMediaType, StringComparison.OrdinalIgnoreCase) || accept.Contains("application/xml", StringComparison.OrdinalIgnoreCase))
            && !accept.Contains(FhirJson.MediaType, StringComparison.OrdinalIgnoreCase);
    }
}
