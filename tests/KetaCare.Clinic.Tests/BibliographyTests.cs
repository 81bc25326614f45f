using System.Text.RegularExpressions;
using KetaCare.Clinic.Sources;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>The typed bibliography the app shows is the clinical reference's, entry for entry.</summary>
public sealed partial class BibliographyTests
{
    [Fact]
    public void Bibliography_IsTheClinicalReferencesEntryForEntry()
    {
        var expected = ReferenceEntries();

        Assert.True(expected.Count >= 50, $"only {expected.Count} entries parsed from the reference; is the pattern broken?");
        Assert.Equal(expected.Select(e => e.Key), Bibliography.All.Select(s => s.Key));
        foreach (var (e, s) in expected.Zip(Bibliography.All))
        {
            Assert.Equal((e.Key, e.Topic, e.Citation, e.ReadAs), (s.Key, s.Topic, s.Citation, s.ReadAs));
            Assert.Equal(s.Doi is not null, e.Citation.Contains("doi:" + s.Doi, StringComparison.Ordinal) && s.Doi is not null);
            Assert.Equal(s.Pmid is not null, s.Pmid is not null && e.Citation.Contains("PMID " + s.Pmid, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Bibliography_KeysAreUniqueAndLinksGoToTheCheckedIdentifier()
    {
        Assert.Equal(Bibliography.All.Count, Bibliography.All.Select(s => s.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(new Uri("https://doi.org/10.1097/AAP.0000000000000808"), Bibliography.Find("COHEN2018")!.Link);
        Assert.Null(Bibliography.Find("domino1984")!.Link); // DOI not checked: no link is made up
        Assert.Null(Bibliography.Find("nosuchkey"));
        Assert.Contains(Bibliography.Search("Dahan"), s => s.Key == "dahan2011");
        Assert.Equal(Bibliography.All.Count, Bibliography.Search(" ").Count);
    }

    private static List<(string Key, SourceTopic Topic, string Citation, Certainty? ReadAs)> ReferenceEntries()
    {
        var doc = File.ReadAllText(Path.Combine(Root(), "docs", "clinical-reference.md"));
        var start = doc.IndexOf("## Bibliography", StringComparison.Ordinal);
        var section = doc[start..doc.IndexOf("<a id=\"open-citations\"></a>", start, StringComparison.Ordinal)];
        var topics = new Dictionary<string, SourceTopic>
        {
            ["Pharmacokinetics"] = SourceTopic.Pharmacokinetics,
            ["Pharmacodynamics"] = SourceTopic.Pharmacodynamics,
            ["Clinical practice"] = SourceTopic.ClinicalPractice,
            ["Scales and codes"] = SourceTopic.ScalesAndCodes,
        };
        var entries = new List<(string, SourceTopic, string, Certainty?)>();
        foreach (Match heading in Heading().Matches(section))
        {
            var end = heading.NextMatch() is { Success: true } next ? next.Index : section.Length;
            foreach (Match item in Item().Matches(section[heading.Index..end]))
            {
                var text = string.Join(' ', item.Groups["text"].Value.Split('\n').Select(l => l.Trim())).Replace("*", string.Empty, StringComparison.Ordinal).Trim();
                var mark = Mark().Match(text);
                Certainty? readAs = mark.Success ? mark.Groups[1].Value switch { "P" => Certainty.Primary, "S" => Certainty.Secondary, _ => Certainty.Unverified } : null;
                entries.Add((item.Groups["key"].Value, topics[heading.Groups[1].Value.Trim()], mark.Success ? text[..mark.Index].TrimEnd() : text, readAs));
            }
        }

        return entries;
    }

    private static string Root([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    [GeneratedRegex(@"^### (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^- <a id=""(?<key>[^""]+)""></a>\*\*[^*]+\*\* — (?<text>(?:.|\n(?=  ))+)", RegexOptions.Multiline)]
    private static partial Regex Item();

    [GeneratedRegex(@"\s\[([USP])\]$")]
    private static partial Regex Mark();
}
