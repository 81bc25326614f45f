using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KetaCare.Web.Tests;

/// <summary>A clinic's own installation: no demo data, the first administrator from /Setup, and no start with a demo password.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task Setup_EmptyDatabase_CreatesTheFirstAdministratorOnceWhoCanSignIn()
    {
        using var app = new WebAppFactory(new Dictionary<string, string?> { ["KetaCare:DemoData"] = "false" });
        var client = app.NewClient();
        Assert.Contains("Create the first administrator", await client.GetStringAsync("/Setup"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/Setup", new() { ["UserName"] = "chief", ["DisplayName"] = "Chief Admin", ["Password"] = "a-long-admin-password" })).StatusCode);

        var admin = await app.SignedInAsync("chief", "a-long-admin-password");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.NewClient().PostFormAsync("/Setup", new() { ["UserName"] = "second", ["DisplayName"] = "X", ["Password"] = "another-long-password" })).StatusCode);
        Assert.Throws<InvalidOperationException>(() => app.SignedInAsync("second", "another-long-password").GetAwaiter().GetResult());
    }

    [Fact]
    public void Production_WithADemoAccountStillOnTheDemoPassword_RefusesToStart()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ketacare-prod-" + Guid.NewGuid().ToString("N"));
        var db = Path.Combine(folder, "ketacare.db");
        try
        {
            using (var demo = new WebAppFactory(new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = db }))
            {
                _ = demo.Server; // writes the demo accounts
            }

            using var production = new ProductionFactory(db);
            var e = Assert.ThrowsAny<Exception>(() => production.Server);
            Assert.Contains("demo password", e.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private sealed class ProductionFactory(string sqlite) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Sqlite", sqlite);
            builder.UseSetting("KetaCare:DemoData", "false");
        }
    }
}
