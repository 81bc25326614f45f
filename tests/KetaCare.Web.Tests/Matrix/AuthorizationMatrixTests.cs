using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Tests.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Matrix;

/// <summary>
/// Every role (and a signed-in user with no role, and a signed-out client) × every page and endpoint listed by the features' <see cref="IRouteCases"/>:
/// allowed roles get through, every other is refused. A second test makes sure no endpoint of the app is missing from the lists.
/// </summary>
public sealed partial class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.App>
{
    private const string NoRole = "(no role)";
    private const string Anonymous = "(signed out)";
    private readonly App _app;

    public AuthorizationMatrixTests(App app) => _app = app;

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in AllCases())
        {
            foreach (var role in ClinicRoles.Stored.Append(NoRole).Append(Anonymous))
            {
                data.Add(c.ToString(), role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_Role_AllowedOrDenied(string endpoint, string role)
    {
        var c = AllCases().Single(x => x.ToString() == endpoint);
        var client = await _app.ClientFor(role);
        var path = await _app.ResolveAsync(c.Path);
        HttpResponseMessage response;
        if (c.Method == "GET")
        {
            response = await client.GetAsync(path);
        }
        else
        {
            // Any page with a form gives the token; a signed-out client only has the sign-in page.
            var token = FormPosts.AntiforgeryToken(await client.GetStringAsync(role == Anonymous ? "/Account/SignIn" : "/Account/ChangePassword"))!;
            HttpContent content = c.Json is not null
                ? new StringContent(c.Json, Encoding.UTF8, "application/json")
                : new FormUrlEncodedContent(new Dictionary<string, string>(c.Form ?? []) { ["__RequestVerificationToken"] = token });
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), path) { Content = content };
            request.Headers.Add("X-CSRF-TOKEN", token);
            response = await client.SendAsync(request);
        }

        // "Any role" means any clinic role: the Patient role reaches only what names it.
        var allowed = role is not (NoRole or Anonymous) && (c.Allowed.Length == 0 ? ClinicRoles.All.Contains(role) : c.Allowed.Contains(role));
        var denied = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/Account/", StringComparison.Ordinal));
        Assert.True(allowed != denied, $"{endpoint} as {role}: expected {(allowed ? "allowed" : "denied")}, got {(int)response.StatusCode} {response.Headers.Location}");
        Assert.True(SecurityHeaderCheck.Missing(response).Count == 0, $"{endpoint} as {role} ({(int)response.StatusCode}) lacks {string.Join(", ", SecurityHeaderCheck.Missing(response))}");
    }

    [Fact]
    public void EveryEndpointOfTheApp_IsInTheMatrix()
    {
        // Placeholders become one path segment, so a listed "/Patients/{patient}" covers the page "/Patients/{id:guid}".
        var listed = AllCases().Select(c => Placeholder().Replace(c.Path.Split('?')[0], "x")).ToList();
        var endpoints = _app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        // The FHIR CapabilityStatement is public: a client discovers the server before it signs in (FhirEndpointTests).
        var open = new[] { "/Account/", "/Setup", "/Error", "/health", "/culture", "/fhir/metadata" };
        var missing = endpoints
            .Select(e => "/" + (e.RoutePattern.RawText ?? string.Empty).TrimStart('/'))
            .Where(p => !open.Any(o => p.StartsWith(o, StringComparison.OrdinalIgnoreCase)))
            .Distinct()
            .Where(p => !listed.Any(l => Pattern(p).IsMatch(l)))
            .ToList();
        Assert.True(missing.Count == 0, "endpoints with no row in the authorisation matrix:\n" + string.Join("\n", missing));
    }

    internal static IEnumerable<RouteCase> AllCases() =>
        typeof(AuthorizationMatrixTests).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRouteCases).IsAssignableFrom(t))
            .SelectMany(t => ((IRouteCases)Activator.CreateInstance(t)!).Cases);

    // A route pattern as a regex: parameters match one segment (optional ones may be absent); "/Index" pages also answer at their folder.
    private static Regex Pattern(string route)
    {
        var r = route.EndsWith("/Index", StringComparison.OrdinalIgnoreCase) ? route[..^"/Index".Length] : route;
        var parts = Regex.Split(r, "(\\{[^}]*\\})").Select(part => part.StartsWith('{')
            ? (part.Contains('?', StringComparison.Ordinal) ? "[^/]*" : "[^/]+")
            : Regex.Escape(part));
        return new Regex("^" + string.Concat(parts).TrimEnd('/') + "/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    [GeneratedRegex("\\{[a-z]+\\}")]
    private static partial Regex Placeholder();

    /// <summary>One app and one signed-in client per role for the whole matrix.</summary>
    public sealed class App : IAsyncLifetime
    {
        private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
        private IReadOnlyDictionary<string, string>? _ids;

        public WebAppFactory Factory { get; } = new();

        public async Task<HttpClient> ClientFor(string role)
        {
            if (!_clients.TryGetValue(role, out var client))
            {
                if (role == Anonymous)
                {
                    client = Factory.NewClient();
                    _clients[role] = client;
                    return client;
                }

                var user = role == NoRole ? "norole" : Startup.DemoAccounts.First(a => a.Role == role).UserName;
                client = await Factory.SignedInAsync(user);
                _clients[role] = client;
            }

            return client;
        }

        /// <summary>Replaces {patient}, {plan}, {session}, {assessment} with ids of the demo data.</summary>
        public async Task<string> ResolveAsync(string path) => DemoIds.Resolve(_ids ??= await DemoIds.LoadAsync(Factory), path);

        public async ValueTask InitializeAsync()
        {
            _ = Factory.Server;
            using var scope = Factory.Services.CreateScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            var created = await users.CreateAsync(new ClinicUser { Id = Guid.NewGuid(), UserName = "norole", DisplayName = "No Role" }, Startup.DemoPassword);
            Assert.True(created.Succeeded);
        }

        public ValueTask DisposeAsync()
        {
            foreach (var c in _clients.Values)
            {
                c.Dispose();
            }

            Factory.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Ids of the demo data for the placeholders of <see cref="RouteCase"/> paths.</summary>
internal static class DemoIds
{
    /// <summary>{patient}, {plan}, {session} and {assessment} of the first demo session.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> LoadAsync(WebAppFactory factory)
    {
        var database = factory.Services.GetRequiredService<ClinicDatabase>();
        await using var db = database.Open(DemoSeed.SeedUser);
        var session = await db.Sessions.AsNoTracking().OrderBy(s => s.Id).FirstAsync();
        var assessment = await db.Assessments.AsNoTracking().OrderBy(a => a.Id).FirstAsync();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{patient}"] = session.PatientId.Value.ToString(),
            ["{plan}"] = session.PlanId.Value.ToString(),
            ["{session}"] = session.Id.Value.ToString(),
            ["{assessment}"] = assessment.Id.Value.ToString(),
        };
    }

    /// <summary>The path with its placeholders replaced.</summary>
    public static string Resolve(IReadOnlyDictionary<string, string> ids, string path)
    {
        foreach (var (k, v) in ids)
        {
            path = path.Replace(k, v, StringComparison.Ordinal);
        }

        return path;
    }
}
