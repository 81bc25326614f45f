using System.Net;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Tests;

/// <summary>Sign-in, lockout, headers, health, language: the parts every page stands on.</summary>
public sealed class PlatformTests : IClassFixture<PlatformTests.App>
{
    private readonly WebAppFactory _app;

    public PlatformTests(App app) => _app = app.Factory;

    [Fact]
    public async Task AnyPage_SignedOut_RedirectsToSignIn()
    {
        var response = await _app.NewClient().GetAsync("/Patients");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/SignIn", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_DemoNurse_ShowsTheNameOnTheDashboard()
    {
        var client = await _app.SignedInAsync("nurse");
        var html = await client.GetStringAsync("/");
        Assert.Contains("data-testid=\"signed-in-user\">nurse<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPasswordFiveTimes_LocksTheAccountEvenForTheRightPassword()
    {
        var client = _app.NewClient();
        for (var i = 0; i < 5; i++)
        {
            var r = await client.PostFormAsync("/Account/SignIn", new() { ["UserName"] = "admin", ["Password"] = "wrong-password" });
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        var afterLock = await client.PostFormAsync("/Account/SignIn", new() { ["UserName"] = "admin", ["Password"] = Startup.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, afterLock.StatusCode);
        Assert.Contains("locked", await afterLock.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // One failure on another account does not lock it.
        await client.PostFormAsync("/Account/SignIn", new() { ["UserName"] = "nurse2", ["Password"] = "wrong-password-1" });
        Assert.Equal(HttpStatusCode.Redirect, (await _app.NewClient().PostFormAsync("/Account/SignIn", new() { ["UserName"] = "nurse2", ["Password"] = Startup.DemoPassword })).StatusCode);
    }

    [Fact]
    public async Task SignIn_PostWithoutAntiforgeryToken_IsRefused()
    {
        var response = await _app.NewClient().PostAsync("/Account/SignIn", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "nurse", ["Password"] = Startup.DemoPassword }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders()
    {
        var response = await _app.NewClient().GetAsync("/Account/SignIn");
        Assert.Equal(SecurityHeaders.Csp, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.Csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", SecurityHeaders.Csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Cookies_AreHttpOnlyAndSameSiteStrict()
    {
        var client = _app.NewClient();
        var page = await client.GetAsync("/Account/SignIn");
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.Contains("samesite=strict", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Pages_HaveNoInlineScript()
    {
        var html = await _app.NewClient().GetStringAsync("/Account/SignIn");
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotContain(" onclick=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ReportsDatabaseReadyWithoutSignIn()
    {
        var client = _app.NewClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
    }

    [Fact]
    public async Task LanguageSwitch_Turkish_ShowsTurkishTexts()
    {
        var client = _app.NewClient();
        var r = await client.PostFormAsync("/Account/SignIn", new() { ["culture"] = "tr", ["returnUrl"] = "/Account/SignIn" }, "/culture");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var html = await client.GetStringAsync("/Account/SignIn");
        Assert.Contains("Giriş yap", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"tr\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_ExternalReturnUrl_StaysOnTheSite()
    {
        var client = _app.NewClient();
        var r = await client.PostFormAsync("/Account/SignIn", new() { ["culture"] = "tr", ["returnUrl"] = "//evil.example/" }, "/culture");
        Assert.Equal("/", r.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Setup_WhenAccountsExist_IsClosed()
    {
        var html = await _app.NewClient().GetStringAsync("/Setup");
        Assert.Contains("Setup is closed", html, StringComparison.Ordinal);
        var post = await _app.NewClient().PostFormAsync("/Setup", new() { ["UserName"] = "intruder", ["DisplayName"] = "X", ["Password"] = "0123456789abc" });
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    /// <summary>One app for the class.</summary>
    public sealed class App : IDisposable
    {
        public WebAppFactory Factory { get; } = new();

        public void Dispose() => Factory.Dispose();
    }
}
