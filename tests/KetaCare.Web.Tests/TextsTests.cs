using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Tests;

/// <summary>The Turkish UI is complete: every text a page shows through T["…"] has a translation.</summary>
public sealed partial class TextsTests
{
    private static string WebRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "src", "KetaCare.Web"));

    [Fact]
    public void EveryTextUsedInAPage_HasATurkishTranslation()
    {
        var texts = new Texts();
        var pages = Directory.EnumerateFiles(WebRoot(), "*.cshtml", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(pages);
        var missing = new List<string>();
        foreach (var file in pages)
        {
            foreach (Match m in TextUse().Matches(File.ReadAllText(file)))
            {
                var key = m.Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
                if (!texts.Translated.Contains(key))
                {
                    missing.Add($"{Path.GetFileName(file)}: {key}");
                }
            }
        }

        Assert.True(missing.Count == 0, "no Turkish text for:\n" + string.Join("\n", missing.Distinct()));
    }

    [GeneratedRegex("""T(?:\[|\.Format\()"((?:[^"\\]|\\.)*)"[\],]""")]
    private static partial Regex TextUse();
}
