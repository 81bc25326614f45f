using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KetaCare.Clinic.Persistence;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Tests.Api;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Tests.Security;

/// <summary>
/// A bad day for the server: the real app runs as its own process, clients register patients concurrently through the
/// API, and the process is killed with SIGKILL in the middle. After a restart on the same database every
/// registration the app acknowledged (201) is there exactly once, each with its audit event, and the audit chain
/// verifies. On a SQLite file and on PostgreSQL. Runs once (not under every culture): it is about the process, not
/// the locale.
/// </summary>
[Trait("Kind", "Durability")]
public sealed class DurabilityTests
{
    private const int Writers = 8;
    private const int AcknowledgedBeforeKill = 120;

    [Fact]
    public async Task KillDashNine_DuringConcurrentWrites_EveryAcknowledgedWritePresentOnceAndTheChainVerifies_Sqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ketacare-kill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "ketacare.db");
            await KillAndVerifyAsync(new() { ["ConnectionStrings__Sqlite"] = path }, ClinicDatabase.Sqlite(path));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task KillDashNine_DuringConcurrentWrites_EveryAcknowledgedWritePresentOnceAndTheChainVerifies_PostgreSql()
    {
        await using var database = await TestPostgres.CreateAsync("kill -9 durability test on PostgreSQL");
        await KillAndVerifyAsync(new() { ["ConnectionStrings__Postgres"] = database.ConnectionString }, ClinicDatabase.PostgreSql(database.ConnectionString));
    }

    private static async Task KillAndVerifyAsync(Dictionary<string, string> databaseSettings, ClinicDatabase database)
    {
        var ct = TestContext.Current.CancellationToken;
        var acknowledged = new ConcurrentBag<string>();
        var attempted = 0;

        using (var app = await AppProcess.StartAsync(databaseSettings, ct))
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var clients = new List<HttpClient>();
            for (var i = 0; i < Writers; i++)
            {
                // Nurses' cookies; one sign-in per account and address at a time (the sign-in guard counts bursts).
                clients.Add(await app.SignedInAsync(i % 2 == 0 ? "nurse" : "nurse2", ct));
            }

            var writers = clients.Select((client, w) => Task.Run(
                async () =>
                {
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var mrn = $"KILL-{w}-{n:D5}";
                        Interlocked.Increment(ref attempted);
                        try
                        {
                            var body = JsonSerializer.Serialize(new { medicalRecordNumber = mrn, givenName = "Ada", familyName = "Durable", birthDate = "1980-02-03", sex = "Female" });
                            var response = await client.PostJsonAsync("/api/v1/patients", body);
                            if (response.StatusCode == HttpStatusCode.Created)
                            {
                                acknowledged.Add(mrn);
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                        {
                            return; // the server is gone: this write was never acknowledged
                        }
                    }
                },
                ct)).ToList();

            var waited = Stopwatch.StartNew();
            while (acknowledged.Count < AcknowledgedBeforeKill && waited.Elapsed < TimeSpan.FromSeconds(60) && !app.HasExited)
            {
                await Task.Delay(10, ct);
            }

            app.KillNow(); // SIGKILL: no shutdown, no flush beyond what each commit already did
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60), ct);
            await stop.CancelAsync();
            clients.ForEach(c => c.Dispose());
        }

        Assert.True(acknowledged.Count >= AcknowledgedBeforeKill, $"only {acknowledged.Count} writes were acknowledged before the kill");
        Assert.True(attempted > acknowledged.Count, "the kill came after every write had finished: nothing was in flight");

        // Restarted on the same database: the app starts, and the data is whole.
        using (var again = await AppProcess.StartAsync(databaseSettings, ct))
        {
            var nurse = await again.SignedInAsync("nurse", ct);
            var listed = await nurse.GetJsonAsync("/api/v1/patients?search=KILL-0-00000");
            Assert.Single(listed.AsArray());
        }

        await using var db = database.Open();
        var stored = await db.Patients.AsNoTracking().Where(p => p.MedicalRecordNumber.StartsWith("KILL-")).Select(p => new { p.Id, p.MedicalRecordNumber }).ToListAsync(ct);
        var byNumber = stored.GroupBy(p => p.MedicalRecordNumber).ToDictionary(g => g.Key, g => g.Count());
        var lost = acknowledged.Where(m => !byNumber.ContainsKey(m)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes lost: {string.Join(", ", lost.Take(10))}");
        Assert.All(byNumber, kv => Assert.Equal(1, kv.Value));

        var ids = stored.Select(p => p.Id).ToList();
        var created = await db.AuditEvents.AsNoTracking().Where(a => a.Action == "create" && a.EntityType == "patient" && ids.Contains(a.PatientId)).CountAsync(ct);
        Assert.Equal(stored.Count, created);
        var chain = await AuditChain.VerifyAsync(db, ct);
        Assert.True(chain.IsIntact, string.Join("\n", chain.Problems));
    }

    /// <summary>The built web app as a child process on a free loopback port, with the demo accounts.</summary>
    private sealed class AppProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Uri _base;

        private AppProcess(Process process, Uri baseAddress)
        {
            _process = process;
            _base = baseAddress;
        }

        public bool HasExited => _process.HasExited;

        public static async Task<AppProcess> StartAsync(Dictionary<string, string> settings, CancellationToken ct)
        {
            var port = FreePort();
            var dll = typeof(Program).Assembly.Location;
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            start.Environment["KetaCare__DemoData"] = "true";
            start.Environment["Urls"] = $"http://127.0.0.1:{port}";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            foreach (var (k, v) in settings)
            {
                start.Environment[k] = v;
            }

            var process = Process.Start(start)!;
            var output = new ConcurrentQueue<string>();
            process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
            process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
            using var probe = new HttpClient { BaseAddress = app._base, Timeout = TimeSpan.FromSeconds(5) };
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(90))
            {
                if (process.HasExited)
                {
                    break;
                }

                try
                {
                    if ((await probe.GetAsync("/health", ct)).StatusCode == HttpStatusCode.OK)
                    {
                        return app;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                await Task.Delay(200, ct);
            }

            app.Dispose();
            throw new InvalidOperationException("the app did not start:\n" + string.Join("\n", output.TakeLast(30)));
        }

        public async Task<HttpClient> SignedInAsync(string userName, CancellationToken ct)
        {
            var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(30) };
            var response = await client.PostFormAsync("/Account/SignIn", new() { ["UserName"] = userName, ["Password"] = Startup.DemoPassword });
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in as {userName}: {(int)response.StatusCode}");
            ct.ThrowIfCancellationRequested();
            return client;
        }

        public void KillNow()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true); // SIGKILL on Linux
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            KillNow();
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
