using System.Diagnostics;
using System.Globalization;
using KetaCare.Tests;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// Rasterises PDFs with Poppler's pdftoppm (Debian package poppler-utils; /usr/bin/pdftoppm or KETACARE_PDFTOPPM) into
/// grey pages. Without it the test is skipped with the reason; with KETACARE_REQUIRE_ALL=1 (CI) it fails instead.
/// </summary>
internal static class Pdftoppm
{
    /// <summary>
    /// Resolution of the pages compared: at 60 dpi an A4 page is 496 × 702 pixels, one pixel 1.2 pt — a 9 pt table
    /// row is 9 pixels high, so a row, a rule or a column out of place moves whole pixels, while the reference images
    /// stay a few tens of kilobytes.
    /// </summary>
    public const int Dpi = 60;

    /// <summary>The executable.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("KETACARE_PDFTOPPM") is { Length: > 0 } p ? p : "/usr/bin/pdftoppm";

    /// <summary>Every page of <paramref name="pdf"/> at <see cref="Dpi"/>, first page first; skips or fails the test without pdftoppm.</summary>
    /// <param name="pdf">The document.</param>
    /// <param name="options">More pdftoppm options (its anti-aliasing settings, for the tests of the tolerance).</param>
    public static IReadOnlyList<PageImage> Rasterise(byte[] pdf, params string[] options)
    {
        if (!File.Exists(ExecutablePath))
        {
            Prerequisite.Missing($"pdftoppm not found at {ExecutablePath} (apt-get install poppler-utils)", "report image tests");
        }

        var folder = Directory.CreateTempSubdirectory("ketacare-pdftoppm-");
        try
        {
            var input = Path.Combine(folder.FullName, "report.pdf");
            File.WriteAllBytes(input, pdf);
            var start = new ProcessStartInfo(ExecutablePath, ["-r", Dpi.ToString(CultureInfo.InvariantCulture), "-gray", .. options, input, Path.Combine(folder.FullName, "page")])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{ExecutablePath} did not start.");
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new TimeoutException($"{ExecutablePath} gave no answer in 60 s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{ExecutablePath} failed (exit {process.ExitCode}): {errors.Result}");
            }

            // page-1.pgm … or page-01.pgm …: the number's width follows the page count, so order by the number.
            return [.. folder.EnumerateFiles("page-*.pgm")
                .OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f.Name)["page-".Length..], CultureInfo.InvariantCulture))
                .Select(f => PageImage.FromPgm(File.ReadAllBytes(f.FullName)))];
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
