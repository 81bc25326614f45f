using System.Diagnostics;
using KetaCare.Tests;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// The text of a PDF as Poppler's pdftotext reads it (Debian package poppler-utils; /usr/bin/pdftotext or
/// KETACARE_PDFTOTEXT) — an extractor independent of the library that writes the PDFs. Without it the test is skipped
/// with the reason; with KETACARE_REQUIRE_ALL=1 (CI) it fails instead.
/// </summary>
internal static class Pdftotext
{
    /// <summary>The executable.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("KETACARE_PDFTOTEXT") is { Length: > 0 } p ? p : "/usr/bin/pdftotext";

    /// <summary>The document's text with every run of white space (line breaks in table cells included) made one space.</summary>
    public static string Text(byte[] pdf)
    {
        if (!File.Exists(ExecutablePath))
        {
            Prerequisite.Missing($"pdftotext not found at {ExecutablePath} (apt-get install poppler-utils)", "PDF text tests");
        }

        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, pdf);
            using var process = Process.Start(new ProcessStartInfo(ExecutablePath, ["-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true, UseShellExecute = false })
                ?? throw new InvalidOperationException($"{ExecutablePath} did not start.");
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            return System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
