namespace KetaCare.Web.Tests.Matrix;

/// <summary>
/// One endpoint or page of the authorisation matrix: the request to make and the roles allowed. "Allowed" means the
/// response is not a denial (not 401/403 and not a redirect to the sign-in or denied page); every other role must be
/// denied. <c>{patient}</c>, <c>{plan}</c>, <c>{session}</c> in the path are replaced by ids of the demo data.
/// </summary>
/// <param name="Method">GET or POST (POSTs carry a valid antiforgery token, so only authorisation can refuse them).</param>
/// <param name="Path">Path and query, with placeholders.</param>
/// <param name="Allowed">Roles allowed (ClinicRoles names); empty for "any signed-in user with a role".</param>
/// <param name="Form">Form fields of a POST (a denied role must be refused before they are read).</param>
/// <param name="Json">JSON body of an API POST.</param>
public sealed record RouteCase(string Method, string Path, string[] Allowed, Dictionary<string, string>? Form = null, string? Json = null)
{
    /// <inheritdoc/>
    public override string ToString() => Method + " " + Path;
}

/// <summary>Each feature lists its pages and endpoints in a class implementing this; the matrix test finds them all by reflection.</summary>
public interface IRouteCases
{
    /// <summary>The feature's cases.</summary>
    IEnumerable<RouteCase> Cases { get; }
}

/// <summary>The pages every app has (account, dashboard).</summary>
internal sealed class PlatformRoutes : IRouteCases
{
    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/", []),
        new("GET", "/openapi/v1.json", []),
    ];
}
