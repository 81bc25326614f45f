using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.OpenApi;

namespace KetaCare.Web.Api;

/// <summary>
/// The REST API under <c>/api/v1</c>: the same clinic services and the same policies as the pages, JSON in the
/// invariant format (numbers are JSON numbers, quantities <c>{"value":0.5,"unit":"mg/kg/h"}</c>, dates
/// <c>yyyy-MM-dd</c>, times ISO 8601 UTC), RFC 7807 problem responses. Calls carry the sign-in cookie, so every unsafe
/// call also carries the antiforgery token in the <c>X-CSRF-TOKEN</c> header (from <c>GET /api/v1/antiforgery</c>).
/// </summary>
public static class ApiEndpoints
{
    /// <summary>The header that carries the antiforgery request token (configured in WebApp).</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    private const string Conventions =
        " JSON: numbers are JSON numbers with a point (0.5, never \"0,5\"); quantities are objects with an explicit unit, "
        + "{\"value\":0.5,\"unit\":\"mg/kg/h\"}, read by the engine's invariant unit parser; dates are yyyy-MM-dd and times ISO 8601 UTC "
        + "(2026-03-02T09:15:00Z); names of states and kinds are the enum names listed in this document. "
        + "Errors are RFC 7807 problem details (application/problem+json): 400 lists the errors by field, each message naming the allowed range; "
        + "404 an unknown id; 409 a change made against an older version (send the expectedVersion you read; reload and apply again); "
        + "401 not signed in; 403 the role may not do this. "
        + "Antiforgery: the API is authorised by the web app's sign-in cookie, so every POST and PUT must also carry the antiforgery request token "
        + "in the X-CSRF-TOKEN header; get it (and its cookie) from GET /api/v1/antiforgery with the same cookie jar. "
        + "A POST or PUT without a valid token is refused with 400 and changes nothing.";

    /// <summary>Services the API needs beyond the app's: enum names in JSON, and the API conventions in the OpenAPI document.</summary>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Enum values travel by name ("Running", "Female"), never by number: a number is easy to send wrong and hard to read in the audit trail.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
            // The web defaults also accept numbers written as strings; a dose is a JSON number or it is refused.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.Configure<OpenApiOptions>("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Description = (doc.Info.Description ?? string.Empty) + Conventions;
            return Task.CompletedTask;
        }));
    }

    /// <summary>Maps every API endpoint.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization()
            .AddEndpointFilter(NoExceptionDetails)
            .AddEndpointFilter(RequireAntiforgery)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
            {
                var tokens = antiforgery.GetAndStoreTokens(context);
                return TypedResults.Ok(new AntiforgeryToken(AntiforgeryHeader, tokens.RequestToken!));
            })
            .WithName("GetAntiforgeryToken")
            .WithSummary("The antiforgery request token to send in the X-CSRF-TOKEN header of every POST (any signed-in role).")
            .WithTags("Session security");

        PatientsApi.Map(api);
        EligibilityApi.Map(api);
        PlansApi.Map(api);
        SessionsApi.Map(api);
        SimulationsApi.Map(api);
        FhirImportApi.Map(api);
        StockApi.Map(api);
        SettingsApi.Map(api);
        SchedulingApi.Map(api);

        // The portal's own group: the default policy of /api/v1 asks for a clinic role, which a patient never has.
        var portal = app.MapGroup("/api/v1/portal")
            .RequireAuthorization(Policies.Portal)
            .AddEndpointFilter(NoExceptionDetails)
            .AddEndpointFilter(RequireAntiforgery)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        PortalApi.Map(portal, api);
        AnalyticsApi.Map(api);
    }

    /// <summary>
    /// Cookie-authenticated unsafe calls must prove they come from the app's own pages or an API client that read the
    /// token: minimal APIs validate antiforgery by themselves only for form bodies, not JSON.
    /// </summary>
    private static async ValueTask<object?> RequireAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            return TypedResults.Problem(
                detail: $"{AntiforgeryHeader}: missing or invalid antiforgery token; get one from GET /api/v1/antiforgery and send it in the {AntiforgeryHeader} header. Nothing was changed.",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Antiforgery token required");
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>An unexpected failure is logged with its trace id; the client gets the id and nothing of the exception.</summary>
    private static async ValueTask<object?> NoExceptionDetails(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var http = context.HttpContext;
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiEndpoints))
                .LogError(e, "API call {Method} {Path} failed (trace {TraceId}).", http.Request.Method, http.Request.Path, http.TraceIdentifier);
            return TypedResults.Problem(
                detail: "The server could not complete the request; the error is in the server log under the trace id of this response.",
                statusCode: StatusCodes.Status500InternalServerError,
                title: "Unexpected error");
        }
    }
}

/// <summary>The antiforgery token for API clients.</summary>
/// <param name="HeaderName">The header to send it in (X-CSRF-TOKEN).</param>
/// <param name="RequestToken">The request token; valid with the antiforgery cookie set by the same response.</param>
public sealed record AntiforgeryToken(string HeaderName, string RequestToken);
