using System.Net;

namespace KetaCare.Web.Tests;

/// <summary>
/// The app on PostgreSQL, two instances on one database as behind a load balancer: a sign-in on one is honoured by
/// the other (data-protection keys in the database), and a sign-out on one ends the sign-in on the other (the security
/// stamp is checked in the database on every request).
/// Without a server (KETACARE_TEST_POSTGRES) the test is skipped with the reason; CI (KETACARE_REQUIRE_ALL=1) fails instead.
/// </summary>
public sealed class PostgresInstancesTests
{
    [Fact]
    public async Task TwoInstances_OneDatabase_ShareSignInsAntiforgeryAndSignOut()
    {
        await using var database = await TestPostgres.CreateAsync("multi-instance test");
        {
            var cs = database.ConnectionString;
            var settings = new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = cs };
            using var a = new WebAppFactory(settings);
            _ = a.Server; // the first instance migrates and seeds before the second starts
            using var b = new WebAppFactory(settings);
            _ = b.Server;

            // A wrong password is counted in the database (SignInGuard) on PostgreSQL too, and a right one clears it.
            var wrong = await b.NewClient().PostFormAsync("/Account/SignIn", new() { ["UserName"] = "physician", ["Password"] = "not the password" });
            Assert.Contains("User name or password is wrong.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var signIn = await a.NewClient().PostFormAsync("/Account/SignIn", new() { ["UserName"] = "physician", ["Password"] = KetaCare.Web.Infrastructure.Startup.DemoPassword });
            var cookies = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
            Assert.Contains(cookies, c => c.StartsWith("ketacare.auth=", StringComparison.Ordinal));

            using var onB = b.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("Cookie", string.Join("; ", cookies));
            var page = await onB.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("data-testid=\"signed-in-user\">physician<", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // A form served by A and posted to B: B accepts A's antiforgery token (same key ring).
            using var form = new HttpRequestMessage(HttpMethod.Get, "/Account/ChangePassword");
            form.Headers.Add("Cookie", string.Join("; ", cookies));
            var formPage = await a.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }).SendAsync(form);
            var token = FormPosts.AntiforgeryToken(await formPage.Content.ReadAsStringAsync())!;
            var all = cookies.Concat(formPage.Headers.TryGetValues("Set-Cookie", out var more) ? more.Select(c => c.Split(';')[0]) : []).ToList();
            using var post = new HttpRequestMessage(HttpMethod.Post, "/culture")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "tr", ["returnUrl"] = "/", ["__RequestVerificationToken"] = token }),
            };
            post.Headers.Add("Cookie", string.Join("; ", all));
            Assert.Equal(HttpStatusCode.Redirect, (await onB.SendAsync(post)).StatusCode);

            // Sign-out on B ends the sign-in on A too: the security stamp both check lives in the database.
            var signOutPage = await onB.SendAsync(WithCookies(HttpMethod.Get, "/Account/SignOut", all));
            var signOutToken = FormPosts.AntiforgeryToken(await signOutPage.Content.ReadAsStringAsync())!;
            var signOut = WithCookies(HttpMethod.Post, "/Account/SignOut", all);
            signOut.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = signOutToken });
            Assert.Equal(HttpStatusCode.Redirect, (await onB.SendAsync(signOut)).StatusCode);
            using var onA = a.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            var stale = await onA.SendAsync(WithCookies(HttpMethod.Get, "/Patients", cookies));
            Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
            Assert.StartsWith("/Account/SignIn", stale.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    private static HttpRequestMessage WithCookies(HttpMethod method, string path, IEnumerable<string> cookies)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", string.Join("; ", cookies));
        return request;
    }
}
