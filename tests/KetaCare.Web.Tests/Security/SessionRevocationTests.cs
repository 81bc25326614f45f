using System.Net;
using System.Text;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Security;

/// <summary>
/// A sign-in ends when it should, checked in the database on the next request: after sign-out (a cookie copied before
/// is refused), an administrator's lock, a role change, a password reset, and the clinic's idle and absolute
/// timeouts. The hazard: a stolen or forgotten cookie keeps writing to charts for as long as it lives.
/// </summary>
public sealed class SessionRevocationTests : IClassFixture<SessionRevocationTests.App>
{
    private const string Password = "a long passphrase for tests";
    private readonly App _app;

    public SessionRevocationTests(App app) => _app = app;

    [Fact]
    public async Task SignOut_CookieCopiedBeforeSignOut_IsRefusedAfterwards()
    {
        await _app.CreateAsync("so.nurse", ClinicRoles.Nurse);
        var browser = await _app.Factory.SignedInAsync("so.nurse", Password);
        var copied = await _app.CookieOfSignInAsync("so.nurse");
        Assert.Equal(HttpStatusCode.OK, (await _app.GetWithCookieAsync("/Patients", copied)).StatusCode);

        var signOut = await browser.PostFormAsync("/Account/SignOut", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        var after = await _app.GetWithCookieAsync("/Patients", copied);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/Account/SignIn", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.GetWithCookieAsync("/api/v1/patients?search=DEMO", copied)).StatusCode);
    }

    [Fact]
    public async Task Lock_ByAdministrator_OpenSessionCannotCreateAPatientOnTheNextRequest()
    {
        var id = await _app.CreateAsync("lock.nurse", ClinicRoles.Nurse);
        var nurse = await _app.Factory.SignedInAsync("lock.nurse", Password);
        var token = await AntiforgeryAsync(nurse);

        var locked = await _app.DirectoryAsync(d => d.LockAsync(id, AdminId));
        Assert.True(locked.IsSuccess, locked.Error);

        var create = await PostPatientAsync(nurse, token, "LOCK-0001");
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.False(await _app.PatientExistsAsync("LOCK-0001"));
    }

    [Fact]
    public async Task SetRoles_NurseDemotedToAuditor_CanNoLongerWriteWithTheOldCookie()
    {
        var id = await _app.CreateAsync("demoted.nurse", ClinicRoles.Nurse);
        var nurse = await _app.Factory.SignedInAsync("demoted.nurse", Password);
        var token = await AntiforgeryAsync(nurse);
        Assert.Equal(HttpStatusCode.Created, (await PostPatientAsync(nurse, token, "DEMOTE-0001")).StatusCode);

        var demoted = await _app.DirectoryAsync(d => d.SetRolesAsync(id, [ClinicRoles.Auditor], AdminId));
        Assert.True(demoted.IsSuccess, demoted.Error);

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostPatientAsync(nurse, token, "DEMOTE-0002")).StatusCode);
        Assert.False(await _app.PatientExistsAsync("DEMOTE-0002"));

        // Signed in again she is an auditor: she reads, and a write is forbidden.
        var auditor = await _app.Factory.SignedInAsync("demoted.nurse", Password);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/v1/patients?search=DEMO")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostPatientAsync(auditor, await AntiforgeryAsync(auditor), "DEMOTE-0003")).StatusCode);
    }

    [Fact]
    public async Task SetPassword_ByAdministrator_EndsTheOldSignIn()
    {
        var id = await _app.CreateAsync("reset.nurse", ClinicRoles.Nurse);
        var nurse = await _app.Factory.SignedInAsync("reset.nurse", Password);

        var reset = await _app.DirectoryAsync(d => d.SetPasswordAsync(id, "another long passphrase", AdminId));
        Assert.True(reset.IsSuccess, reset.Error);

        Assert.Equal(HttpStatusCode.Redirect, (await nurse.GetAsync("/Patients")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_SignedOut_RedirectsToSignInInsteadOfShowingTheForm()
    {
        var response = await _app.Factory.NewClient().GetAsync("/Account/ChangePassword");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/SignIn", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleTimeout_NoRequestForLongerThanTheSetting_SignInEnds()
    {
        await _app.CreateAsync("idle.nurse", ClinicRoles.Nurse);
        var nurse = await _app.Factory.SignedInAsync("idle.nurse", Password);
        _app.Clock.Advance(SessionTimeouts.Default.Idle - TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync("/Patients")).StatusCode);

        _app.Clock.Advance(SessionTimeouts.Default.Idle + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await nurse.GetAsync("/Patients")).StatusCode);
    }

    [Fact]
    public async Task AbsoluteTimeout_BusyAllDay_SignInEndsAfterTheSetting()
    {
        await _app.CreateAsync("busy.nurse", ClinicRoles.Nurse);
        var nurse = await _app.Factory.SignedInAsync("busy.nurse", Password);
        var elapsed = TimeSpan.Zero;
        while (elapsed + TimeSpan.FromMinutes(20) < SessionTimeouts.Default.Absolute)
        {
            _app.Clock.Advance(TimeSpan.FromMinutes(20));
            elapsed += TimeSpan.FromMinutes(20);
            Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync("/Account/ChangePassword")).StatusCode);
        }

        _app.Clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(HttpStatusCode.Redirect, (await nurse.GetAsync("/Account/ChangePassword")).StatusCode);
    }

    [Fact]
    public async Task ReviseTimeouts_OutOfRange_RefusedNamingTheFieldAndRange()
    {
        var admin = await _app.Factory.SignedInAsync("admin");
        var r = await admin.PostFormAsync("/Admin/Sessions", new() { ["ExpectedVersion"] = "0", ["IdleMinutes"] = "100000", ["AbsoluteHours"] = "12", ["Reason"] = "test" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("idleMinutes: 100000 is outside the allowed range 5 to 480", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static UserId AdminId => Startup.DemoAccounts.Single(a => a.UserName == "admin").Id;

    private static async Task<string> AntiforgeryAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/api/v1/antiforgery");
        return System.Text.Json.Nodes.JsonNode.Parse(page)!["requestToken"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> PostPatientAsync(HttpClient client, string token, string mrn)
    {
        var json = $$"""{"medicalRecordNumber":"{{mrn}}","givenName":"Ada","familyName":"Stale","birthDate":"1980-02-03","sex":"Female"}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/patients") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return client.SendAsync(request);
    }

    /// <summary>A clock the tests move forward; real time plus an offset, so the demo data's "today" still holds.</summary>
    public sealed class MovableClock : TimeProvider
    {
        private long _offsetTicks;

        /// <summary>Moves the clock forward.</summary>
        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

        /// <inheritdoc/>
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
    }

    /// <summary>One app for the class, on a clock the tests move.</summary>
    public sealed class App : IDisposable
    {
        public App()
        {
            Factory = new WebAppFactory(services: s => s.AddSingleton<TimeProvider>(Clock));
        }

        public MovableClock Clock { get; } = new();

        public WebAppFactory Factory { get; }

        public async Task<UserId> CreateAsync(string userName, string role)
        {
            var created = await DirectoryAsync(d => d.CreateAsync(new NewUser(userName, userName, Password, [role]), AdminId));
            Assert.True(created.IsSuccess, created.Error);
            return created.Value.Id;
        }

        public async Task<Outcome<UserSummary>> DirectoryAsync(Func<UserDirectory, Task<Outcome<UserSummary>>> change)
        {
            using var scope = Factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<KetaCareDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            return await change(new UserDirectory(users, db, Clock));
        }

        /// <summary>Signs in through the form and returns the sign-in cookie as a browser would store it.</summary>
        public async Task<string> CookieOfSignInAsync(string userName)
        {
            var response = await Factory.NewClient().PostFormAsync("/Account/SignIn", new() { ["UserName"] = userName, ["Password"] = Password });
            return response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("ketacare.auth=", StringComparison.Ordinal));
        }

        /// <summary>A GET carrying exactly <paramref name="cookie"/>, from a client that keeps no cookies of its own.</summary>
        public async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
        {
            using var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Cookie", cookie);
            return await client.SendAsync(request);
        }

        public async Task<bool> PatientExistsAsync(string mrn)
        {
            await using var db = Factory.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser);
            return db.Patients.Any(p => p.MedicalRecordNumber == mrn);
        }

        public void Dispose() => Factory.Dispose();
    }
}
