using System.Net;
using System.Text.RegularExpressions;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace KetaCare.Web.Tests;

/// <summary>
/// The real app in-process on a SQLite file of its own (a temporary folder deleted afterwards), with the demo data
/// and demo sign-ins. <see cref="StartKestrel"/> serves it on a real loopback port for the browser tests.
/// </summary>
public sealed partial class WebAppFactory : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-web-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? _services;

    /// <summary>
    /// Creates the factory; <paramref name="settings"/> override configuration (e.g. ConnectionStrings:Postgres) and
    /// <paramref name="services"/> replaces services after the app's own (e.g. a clock the test moves).
    /// </summary>
    public WebAppFactory(IDictionary<string, string?>? settings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        _services = services;
        Directory.CreateDirectory(_folder);
        _settings = new(StringComparer.Ordinal)
        {
            ["ConnectionStrings:Sqlite"] = Path.Combine(_folder, "ketacare.db"),
            ["KetaCare:DemoData"] = "true",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    /// <summary>The SQLite file the app uses (unless PostgreSQL was configured).</summary>
    public string SqlitePath => _settings["ConnectionStrings:Sqlite"]!;

    /// <summary>Serves the app on a free loopback port with Kestrel; returns its base address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        return ClientOptions.BaseAddress;
    }

    /// <summary>A client that keeps cookies and does not follow redirects (so tests see 302 to the sign-in page).</summary>
    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client signed in through the real sign-in form as one of the demo accounts.</summary>
    public async Task<HttpClient> SignedInAsync(string userName, string password = Startup.DemoPassword)
    {
        var client = NewClient();
        var response = await client.PostFormAsync("/Account/SignIn", new() { ["UserName"] = userName, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var page = await response.Content.ReadAsStringAsync();
            var error = System.Text.RegularExpressions.Regex.Match(page, "data-testid=\"signin-error\">([^<]*)<", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)).Groups[1].Value;
            throw new InvalidOperationException($"sign-in as {userName} failed: {(int)response.StatusCode} {error}");
        }

        return client;
    }

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(_settings));
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a finishing request; the temporary folder is cleaned by the OS.
            }
        }
    }
}

/// <summary>Form posts the way a browser sends them: with the antiforgery token of the page's form.</summary>
public static partial class FormPosts
{
    /// <summary>GETs <paramref name="url"/>, takes the antiforgery token of its first form, and POSTs the fields to <paramref name="action"/> (default: the same URL).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? action = null)
    {
        var page = await client.GetStringAsync(url);
        var token = AntiforgeryToken(page) ?? throw new InvalidOperationException($"no antiforgery token on {url}");
        var all = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(action ?? url, new FormUrlEncodedContent(all));
    }

    /// <summary>The first antiforgery token in an HTML page, or null.</summary>
    public static string? AntiforgeryToken(string html)
    {
        var m = TokenPattern().Match(html);
        return m.Success ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
