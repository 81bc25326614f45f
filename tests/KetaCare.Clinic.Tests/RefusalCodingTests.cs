using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// Every refusal the clinic layer produces carries coded findings, so each face can say it in the reader's language
/// and the API can choose its status from the code; English-only sentences are left to the faces' own input errors.
/// </summary>
public partial class RefusalCodingTests
{
    private static string Root([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    /// <summary>Each place in the clinic's source that builds a refusal, with the text of its argument list.</summary>
    private static IEnumerable<(string Where, string Call, string Args)> RefusalsBuilt()
    {
        var folder = Path.Combine(Root(), "src", "KetaCare.Clinic");
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in RefusalBuilder().Matches(text))
            {
                var open = m.Index + m.Length;
                var depth = 1;
                var i = open;
                while (depth > 0 && i < text.Length)
                {
                    depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
                    i++;
                }

                var line = text.AsSpan(0, m.Index).Count('\n') + 1;
                yield return ($"{Path.GetRelativePath(folder, file)}:{line}", m.Value, text[open..(i - 1)]);
            }
        }
    }

    [Fact]
    public void ClinicSource_EveryRefusalBuiltCarriesAFinding()
    {
        var built = RefusalsBuilt().ToList();
        var uncoded = built.Where(r => !r.Args.Contains("Finding", StringComparison.Ordinal)).Select(r => $"{r.Where}: {r.Call}{r.Args}").ToList();

        // The scan finds the refusals it is meant to find (else it could pass by finding nothing), target-typed ones too.
        Assert.True(built.Count >= 100, $"only {built.Count} refusals found");
        Assert.Contains(built, r => r.Where.StartsWith(Path.Combine("Users", "UserDirectory.cs"), StringComparison.Ordinal) && r.Call.EndsWith("=> new(", StringComparison.Ordinal));
        Assert.Contains(built, r => r.Where.StartsWith(Path.Combine("Eligibility", "EligibilityRules.cs"), StringComparison.Ordinal));
        Assert.Empty(uncoded);
    }

    [Fact]
    public void ClinicSource_BuildsNoRefusalFromASentenceAlone()
    {
        // Outcome.Fail(string) and the string-only Refusal constructor stay for the faces' own input errors.
        var offenders = Directory.EnumerateFiles(Path.Combine(Root(), "src", "KetaCare.Clinic"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadLines(f).Select((l, i) => (File: Path.GetFileName(f), Line: i + 1, Text: l)))
            .Where(l => SentenceOnly().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.Empty(offenders);
        Assert.DoesNotContain(typeof(Refusal).GetMethods(), m => m.Name == "Because");
    }

    [Fact]
    public void EngineRefusalWithoutACode_IsCodedWithItsText()
    {
        var failed = ParseResult<int>.Fail("regimen: \"administrations\" is empty.");

        var r = Refusal.From(failed);

        Assert.Equal("regimen: \"administrations\" is empty.", r.Error);
        Assert.Equal([Finding.Refused(FindingCodes.EngineRefused, FindingArg.Of("text", "regimen: \"administrations\" is empty."))], r.Findings);
    }

    // "new Refusal(", and a target-typed "new(" in a member that returns a Refusal.
    [GeneratedRegex(@"new Refusal\(|\bRefusal\s+\w+\([^)]*\)\s*=>\s*new\(")]
    private static partial Regex RefusalBuilder();

    [GeneratedRegex(@"Outcome(<[^;]*>)?\.Fail\(|Refusal\.Because\(")]
    private static partial Regex SentenceOnly();
}
