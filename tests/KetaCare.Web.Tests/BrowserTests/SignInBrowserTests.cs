using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>Sign-in, language switch and the CSP in a real browser.</summary>
[Trait("Kind", "Browser")]
public sealed class SignInBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task SignIn_Nurse_LandsOnTheDashboardWithNoConsoleOrCspErrors()
    {
        var page = await app.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                problems.Add(m.Text + " " + m.Location);
            }
        };
        await page.GotoAsync("/");
        Assert.Contains("/Account/SignIn", page.Url, StringComparison.Ordinal);
        await BrowserApp.ScreenshotAsync(page, "sign-in");
        await BrowserApp.SignInAsync(page, "nurse");
        Assert.Equal("nurse", await page.GetByTestId("signed-in-user").InnerTextAsync());
        Assert.Empty(problems);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheErrorAndStaysSignedOut()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("User name").FillAsync("physician");
        await page.Locator("#Password").FillAsync("not-the-password");
        await page.Locator("form button[type=submit].primary").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-error")).ToBeVisibleAsync();
        Assert.Contains("/Account/SignIn", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_Turkish_ChangesTheInterfaceWithScriptFromTheApp()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.Locator("#culture").SelectOptionAsync("tr");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Giriş yap");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "tr");
    }
}
