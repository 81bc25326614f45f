using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

// A closed-loop load generator for one page of a KetaCare instance on this machine: N virtual users each sign in
// through the real form with their own cookies, then request the page back to back until the time or the request
// budget runs out. Prints requests, throughput and latency percentiles. Loopback only, bounded in time and count.
//
// usage: KetaCare.Load <base-url> <path> [--users 50] [--seconds 20] [--max-requests 20000]
//                      [--user nurse] [--password ketacare-demo] [--resolve <page> <regex>]
// --resolve fetches <page> once and replaces "{}" in <path> with the first match of <regex> (e.g. a patient id).
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: KetaCare.Load <base-url> <path> [--users N] [--seconds S] [--max-requests M] [--user U] [--password P] [--resolve PAGE REGEX]");
    return 2;
}

if (!options.BaseUrl.IsLoopback)
{
    Console.Error.WriteLine($"refused: {options.BaseUrl} is not a loopback address; this tool only loads a local instance.");
    return 2;
}

var clients = new List<HttpClient>();
for (var i = 0; i < options.Users; i++)
{
    var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    await SignInAsync(client, options.User, options.Password).ConfigureAwait(false);
    clients.Add(client);
}

var path = options.Path;
if (options.ResolvePage is { } page)
{
    var html = await clients[0].GetStringAsync(new Uri(page, UriKind.Relative)).ConfigureAwait(false);
    var m = Regex.Match(html, options.ResolvePattern!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    if (!m.Success)
    {
        Console.Error.WriteLine($"--resolve: no match of {options.ResolvePattern} on {page}");
        return 1;
    }

    path = path.Replace("{}", m.Value, StringComparison.Ordinal);
}

var latencies = new List<double>[options.Users];
var errors = 0;
var budget = options.MaxRequests;
var deadline = Stopwatch.StartNew();
var workers = clients.Select(async (client, i) =>
{
    var mine = latencies[i] = [];
    while (deadline.Elapsed.TotalSeconds < options.Seconds && Interlocked.Decrement(ref budget) >= 0)
    {
        var sw = Stopwatch.StartNew();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
        mine.Add(sw.Elapsed.TotalMilliseconds);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Interlocked.Increment(ref errors);
        }
    }
});
await Task.WhenAll(workers).ConfigureAwait(false);
var elapsed = deadline.Elapsed.TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToList();
double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)Math.Ceiling(q * all.Count) - 1)];
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{path}: users={options.Users} requests={all.Count} non200={errors} seconds={elapsed:F1} req/s={all.Count / elapsed:F1} p50={P(0.50):F0}ms p95={P(0.95):F0}ms p99={P(0.99):F0}ms max={(all.Count == 0 ? 0 : all[^1]):F0}ms"));
return errors == 0 ? 0 : 1;

static async Task SignInAsync(HttpClient client, string user, string password)
{
    var form = await client.GetStringAsync(new Uri("/Account/SignIn", UriKind.Relative)).ConfigureAwait(false);
    var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)).Groups[1].Value;
    using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) });
    using var response = await client.PostAsync(new Uri("/Account/SignIn", UriKind.Relative), content).ConfigureAwait(false);
    if (response.StatusCode != HttpStatusCode.Redirect)
    {
        throw new InvalidOperationException($"sign-in as {user} failed: {(int)response.StatusCode}");
    }
}

/// <summary>Command-line options of the load generator.</summary>
internal sealed record Options(Uri BaseUrl, string Path, int Users, double Seconds, int MaxRequests, string User, string Password, string? ResolvePage, string? ResolvePattern)
{
    /// <summary>Most virtual users and seconds accepted: the tool is for a quick figure, not a soak test.</summary>
    private const int MaxUsers = 200;
    private const double MaxSeconds = 120;
    private const int MaxRequestBudget = 100_000;

    public static Options? Parse(string[] args)
    {
        if (args.Length < 2 || !Uri.TryCreate(args[0], UriKind.Absolute, out var baseUrl))
        {
            return null;
        }

        var o = new Options(baseUrl, args[1], 50, 20, 20_000, "nurse", "ketacare-demo", null, null);
        for (var i = 2; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--users" => o with { Users = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, MaxUsers) },
                "--seconds" => o with { Seconds = Math.Clamp(double.Parse(Next(), CultureInfo.InvariantCulture), 1, MaxSeconds) },
                "--max-requests" => o with { MaxRequests = Math.Clamp(int.Parse(Next(), CultureInfo.InvariantCulture), 1, MaxRequestBudget) },
                "--user" => o with { User = Next() },
                "--password" => o with { Password = Next() },
                "--resolve" => o with { ResolvePage = Next(), ResolvePattern = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return o;
    }
}
