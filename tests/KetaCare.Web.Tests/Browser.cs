using KetaCare.Tests;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser). Without /usr/bin/chromium (or
/// KETACARE_CHROMIUM) the test is skipped with the reason; with KETACARE_REQUIRE_ALL=1 (CI) it fails instead.
/// </summary>
public static class Browser
{
    /// <summary>The browser executable.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("KETACARE_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    /// <summary>Launches headless Chromium, or skips/fails the test when it is not installed.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Prerequisite.Missing($"Chromium not found at {ExecutablePath} (apt-get install chromium)", "browser tests");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots of the main pages go (docs/screenshots of the repository).</summary>
    /// <remarks>
    /// The tests always take the screenshots (a page that fails to render fails the test), but write them over the
    /// committed ones in docs/screenshots only with KETACARE_UPDATE_SCREENSHOTS=1, so a test run leaves the tree clean.
    /// </remarks>
    public static string ScreenshotFolder() => Environment.GetEnvironmentVariable("KETACARE_UPDATE_SCREENSHOTS") == "1"
        ? Path.GetFullPath(Path.Combine(ThisFolder(), "..", "..", "docs", "screenshots"))
        : Path.Combine(Path.GetTempPath(), "ketacare-screenshots");

    private static string ThisFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
