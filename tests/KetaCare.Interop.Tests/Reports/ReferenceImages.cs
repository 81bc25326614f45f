using System.Globalization;
using System.Runtime.CompilerServices;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// The reviewed reference images of the PDF documents: one grey PNG a page, Reports/Images/&lt;document&gt;-&lt;page&gt;.png in
/// the test project's source folder. With KETACARE_UPDATE_REPORT_IMAGES=1 the report image tests write them from the
/// pages they render instead of comparing; a failed comparison writes the page and its diff to
/// <see cref="OutputFolder"/>.
/// </summary>
internal static class ReferenceImages
{
    /// <summary>Most that the reference images may weigh together: they are kept in the repository.</summary>
    public const long BudgetBytes = 1_500_000;

    /// <summary>True when the references are to be rewritten (KETACARE_UPDATE_REPORT_IMAGES=1).</summary>
    public static bool Updating => Environment.GetEnvironmentVariable("KETACARE_UPDATE_REPORT_IMAGES") == "1";

    /// <summary>The folder of the reference images (in the source tree, not the build output).</summary>
    public static string Folder => Path.Combine(ThisFolder(), "Images");

    /// <summary>Where a failed comparison leaves the rendered page and its diff: beside the test assembly.</summary>
    public static string OutputFolder => Path.Combine(AppContext.BaseDirectory, "report-images");

    /// <summary>The reference pages of <paramref name="document"/>, first page first (none when it has no references yet).</summary>
    public static IReadOnlyList<PageImage> Read(string document) => [.. Files(document).Select(f => PageImage.FromPng(File.ReadAllBytes(f)))];

    /// <summary>The files of the reference pages of <paramref name="document"/>: pages 1, 2, … while they exist.</summary>
    public static IReadOnlyList<string> Files(string document)
    {
        var files = new List<string>();
        for (var n = 1; File.Exists(PathOf(document, n)); n++)
        {
            files.Add(PathOf(document, n));
        }

        return files;
    }

    /// <summary>Replaces the reference pages of <paramref name="document"/> with <paramref name="pages"/>.</summary>
    public static void Write(string document, IReadOnlyList<PageImage> pages)
    {
        Directory.CreateDirectory(Folder);
        foreach (var old in Directory.EnumerateFiles(Folder, document + "-*.png").Where(f => IsPageOf(f, document)))
        {
            File.Delete(old);
        }

        for (var i = 0; i < pages.Count; i++)
        {
            File.WriteAllBytes(PathOf(document, i + 1), pages[i].ToPng());
        }
    }

    /// <summary>Removes what an earlier failed run left in <see cref="OutputFolder"/> for <paramref name="document"/>.</summary>
    public static void ClearMismatches(string document)
    {
        if (Directory.Exists(OutputFolder))
        {
            foreach (var old in Directory.EnumerateFiles(OutputFolder, document + "-*.png").Where(f => IsPageOf(f, document)))
            {
                File.Delete(old);
            }
        }
    }

    /// <summary>Writes a page that did not match, and its diff, to <see cref="OutputFolder"/>; returns both paths.</summary>
    public static (string Actual, string Diff) WriteMismatch(string document, int page, PageImage actual, PageImage? diff)
    {
        Directory.CreateDirectory(OutputFolder);
        var name = Path.GetFileNameWithoutExtension(PathOf(document, page));
        var actualPath = Path.Combine(OutputFolder, name + "-actual.png");
        var diffPath = Path.Combine(OutputFolder, name + "-diff.png");
        File.WriteAllBytes(actualPath, actual.ToPng());
        if (diff is not null)
        {
            File.WriteAllBytes(diffPath, diff.ToPng());
        }

        return (actualPath, diff is null ? "(no reference page to diff against)" : diffPath);
    }

    /// <summary>The file of page <paramref name="page"/> (from 1) of <paramref name="document"/>.</summary>
    public static string PathOf(string document, int page) =>
        Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"{document}-{page}.png"));

    // "leaflet-en-2.png" (and its "-actual" and "-diff") is a page of "leaflet-en"; "leaflet-en-tr-1.png" would not be.
    private static bool IsPageOf(string file, string document)
    {
        var rest = Path.GetFileNameWithoutExtension(file).AsSpan(document.Length + 1);
        var dash = rest.IndexOf('-');
        return int.TryParse(dash < 0 ? rest : rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private static string ThisFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
