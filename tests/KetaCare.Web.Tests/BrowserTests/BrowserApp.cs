using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The app served by Kestrel on a loopback port with its own SQLite file and the demo data, and one headless
/// Chromium (Debian's) for a test class. Each test opens its own browser context (cookies, locale).
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public WebAppFactory Factory { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        (_playwright, Browser) = await Tests.Browser.LaunchAsync();
        BaseAddress = Factory.StartKestrel();
    }

    /// <summary>A fresh browser context (own cookies) with a UI locale, tablet-sized.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-GB")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>Signs in through the sign-in page as a demo account.</summary>
    public static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("User name").Or(page.GetByLabel("Kullanıcı adı")).FillAsync(user);
        await page.Locator("#Password").FillAsync(KetaCare.Web.Infrastructure.Startup.DemoPassword);
        await page.Locator("form button[type=submit].primary").ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/Account/SignIn", StringComparison.Ordinal));
    }

    /// <summary>Saves a full-page screenshot to docs/screenshots.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Tests.Browser.ScreenshotFolder());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Tests.Browser.ScreenshotFolder(), name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}
