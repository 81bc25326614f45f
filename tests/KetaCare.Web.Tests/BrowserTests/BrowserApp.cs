using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The app served by Kestrel on a loopback port with its own SQLite file and the demo data, and one headless
/// Chromium (Debian's) for a test class. Each test opens its own browser context (cookies, locale).
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    private IPlaywright? _playwright;

    /// <summary>The app with its default configuration (the class fixture of the browser tests).</summary>
    public BrowserApp()
        : this(null)
    {
    }

    /// <summary>The app with <paramref name="settings"/> over its configuration (an SMTP server, a faster outbox), for a test that starts it itself.</summary>
    internal BrowserApp(IDictionary<string, string?>? settings) => Factory = new WebAppFactory(settings);

    public WebAppFactory Factory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(45_000);
        (_playwright, Browser) = await Tests.Browser.LaunchAsync();
        BaseAddress = Factory.StartKestrel();
    }

    /// <summary>A fresh browser context (own cookies) with a UI locale, tablet-sized.</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-GB", int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        // Generous: CI runs these beside the in-process suites on two cores; a real hang still fails within a minute.
        context.SetDefaultTimeout(45_000);
        context.SetDefaultNavigationTimeout(45_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        page.SetDefaultTimeout(45_000);
        return page;
    }

    /// <summary>A page signed in as the demo account of <paramref name="role"/>, its interface switched to Turkish for a tr locale.</summary>
    public async Task<IPage> RolePageAsync(string role, string locale, int width = 1280)
    {
        var page = await NewPageAsync(locale, width);
        await SignInAsync(page, KetaCare.Web.Infrastructure.Startup.DemoAccounts.First(a => a.Role == role).UserName);
        if (locale.StartsWith("tr", StringComparison.Ordinal))
        {
            await page.Locator("#culture").SelectOptionAsync("tr");
            await page.WaitForFunctionAsync("() => document.documentElement.lang === 'tr'");
        }

        return page;
    }

    /// <summary>Signs in through the sign-in page as a demo account.</summary>
    public static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("User name").Or(page.GetByLabel("Kullanıcı adı")).FillAsync(user);
        await page.Locator("#Password").FillAsync(KetaCare.Web.Infrastructure.Startup.DemoPassword);
        await page.Locator("form button[type=submit].primary").ClickAsync();

        // Wait for what a signed-in page shows rather than for load events: on a loaded machine a load-state wait
        // after the redirect has timed out although the page was there.
        try
        {
            await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync(user);
        }
        catch (PlaywrightException e)
        {
            var shown = await page.GetByTestId("signin-error").AllInnerTextsAsync();
            throw new InvalidOperationException($"sign-in as {user} did not arrive: the browser is at {page.Url} showing [{string.Join("; ", shown)}]", e);
        }
    }

    /// <summary>PNGs above this size are stored with a 256-colour palette (see <see cref="PngPalette"/>).</summary>
    public const int ScreenshotBudgetBytes = 400_000;

    /// <summary>Width (CSS pixels) of a tablet in portrait, the device at the bedside.</summary>
    public const int TabletWidth = 800;

    /// <summary>Saves a full-page PNG screenshot to docs/screenshots/<paramref name="name"/>.png.</summary>
    public static Task ScreenshotAsync(IPage page, string name) => SaveScreenshotAsync(page, name, ScreenshotBudgetBytes);

    /// <summary>
    /// Saves a full-page screenshot of the page as a tablet in portrait shows it to
    /// docs/screenshots/<paramref name="name"/>-tablet.png: the viewport is narrowed to <see cref="TabletWidth"/> for
    /// the picture and restored after it. A page wider than the tablet fails the test instead of being photographed.
    /// </summary>
    public static async Task TabletScreenshotAsync(IPage page, string name)
    {
        var before = page.ViewportSize;
        await page.SetViewportSizeAsync(TabletWidth, 1280);
        try
        {
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= TabletWidth, $"{page.Url} is {width} px wide on a {TabletWidth} px tablet");

            // Always with a palette: tablet pictures are long, and the README shows five of them.
            await SaveScreenshotAsync(page, name + "-tablet", paletteAbove: 0);
        }
        finally
        {
            if (before is not null)
            {
                await page.SetViewportSizeAsync(before.Width, before.Height);
            }
        }
    }

    private static async Task SaveScreenshotAsync(IPage page, string file, int paletteAbove)
    {
        Directory.CreateDirectory(Tests.Browser.ScreenshotFolder());
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png, FullPage = true });
        if (png.Length > paletteAbove)
        {
            png = PngPalette.Reduce(png);
        }

        await File.WriteAllBytesAsync(Path.Combine(Tests.Browser.ScreenshotFolder(), file + ".png"), png);
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
