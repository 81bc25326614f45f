using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace KetaCare.Web.Tests;

/// <summary>
/// Every text the code asks the localizer for by its literal key (T["…"], texts["…"], t["…"] in pages, page models,
/// reports and charts) is in the catalogue and has a Turkish text. Keys built at run time (enum words, labels) are
/// covered by the tests of the types that build them.
/// </summary>
public sealed partial class TextsTests
{
    private static string SourceRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "src"));

    [Fact]
    public void EveryLiteralKeyInTheCode_HasATurkishText()
    {
        var files = Directory.EnumerateFiles(SourceRoot(), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal)) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        var missing = new List<string>();
        var used = 0;
        foreach (var file in files)
        {
            foreach (Match m in TextUse().Matches(File.ReadAllText(file)))
            {
                used++;
                var key = m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
                if (!TurkishTexts.Keys.Contains(key) || string.IsNullOrWhiteSpace(TurkishTexts.Of(key)))
                {
                    missing.Add($"{Path.GetFileName(file)}: {key}");
                }
            }
        }

        Assert.True(used > 500, $"only {used} uses found; has the localizer's name changed?");
        Assert.True(missing.Count == 0, "no Turkish text for:\n" + string.Join("\n", missing.Distinct()));
    }

    [GeneratedRegex("""\b(?:T|t|texts)\[\s*"((?:[^"\\]|\\.)*)"[\],]""")]
    private static partial Regex TextUse();
}
