using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// The repository stands on its own: every relative link in the README and the docs resolves in a clone, nothing in
/// the source or the docs points to files outside the repository or to process words, and every clinical-reference
/// key the code cites is an entry of docs/clinical-reference.md.
/// </summary>
public partial class RepositoryDocsTests
{
    /// <summary>
    /// Files still being rewritten by their owner; their references to outside files are listed for them and will be
    /// replaced there. Remove an entry once the file is clean — do not add new ones.
    /// </summary>

    private static readonly string[] TextExtensions = [".cs", ".cshtml", ".md", ".json", ".resx", ".sh", ".csproj", ".props", ".txt", ".css", ".js", ".html", ".xml"];

    private static string Root([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    private static string Relative(string file) => Path.GetRelativePath(Root(), file).Replace(Path.DirectorySeparatorChar, '/');

    private static IEnumerable<string> MarkdownDocs() =>
        new[] { Path.Combine(Root(), "README.md") }.Concat(Directory.EnumerateFiles(Path.Combine(Root(), "docs"), "*.md", SearchOption.AllDirectories));

    private static IEnumerable<string> ScannedFiles() =>
        new[] { "src", "docs", "benchmarks" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root(), d), "*", SearchOption.AllDirectories))
            .Append(Path.Combine(Root(), "README.md"))
            .Where(f => TextExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Where(f => !Relative(f).Split('/').Any(part => part is "bin" or "obj" or "BenchmarkDotNet.Artifacts"));

    [Fact]
    public void ReadmeAndDocs_RelativeLinks_ResolveToFilesAndAnchors()
    {
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var doc in MarkdownDocs())
        {
            foreach (var (line, target) in Links(File.ReadAllText(doc)))
            {
                if (IsExternal(target))
                {
                    continue;
                }

                checkedLinks++;
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var resolved = pathPart.Length == 0 ? doc : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc)!, pathPart));
                var where = $"{Relative(doc)}:{line.ToString(CultureInfo.InvariantCulture)} → {target}";
                if (!resolved.StartsWith(Root(), StringComparison.Ordinal))
                {
                    broken.Add($"{where} (outside the repository)");
                }
                else if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{where} (no such file)");
                }
                else if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !Anchors(File.ReadAllText(resolved)).Contains(anchor))
                {
                    broken.Add($"{where} (no such anchor)");
                }
            }
        }

        Assert.True(checkedLinks > 20, $"only {checkedLinks} relative links found; is the link parser broken?");
        Assert.True(broken.Count == 0, "Dangling links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void SourceAndDocs_Scanned_NoReferenceOutsideTheRepositoryNorIssueNumbers()
    {
        var hits = new List<string>();
        var scanned = 0;
        foreach (var file in ScannedFiles())
        {
            var relative = Relative(file);
            scanned++;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in OutsideReference().Matches(lines[i]))
                {
                    hits.Add($"{relative}:{(i + 1).ToString(CultureInfo.InvariantCulture)}: {m.Value}");
                }
            }
        }

        Assert.True(scanned > 100, $"only {scanned} files scanned");
        Assert.True(hits.Count == 0, "References outside the repository or to issue numbers (cite docs/clinical-reference.md or docs/architecture.md instead):\n" + string.Join('\n', hits));
    }

    [Fact]
    public void ClinicalReferenceKeys_CitedInSourceAndDocs_AreEntriesOfTheReference()
    {
        var anchors = Anchors(File.ReadAllText(Path.Combine(Root(), "docs", "clinical-reference.md")));
        var missing = new List<string>();
        var cited = 0;
        foreach (var file in ScannedFiles())
        {
            var text = File.ReadAllText(file);
            foreach (Match m in ClinicalReferenceCitation().Matches(text))
            {
                foreach (var key in m.Groups["keys"].Value.Split(", "))
                {
                    cited++;
                    if (!anchors.Contains(key))
                    {
                        missing.Add($"{Relative(file)}: {m.Value} → no entry '{key}'");
                    }
                }
            }
        }

        Assert.True(cited > 50, $"only {cited} clinical-reference keys found; is the pattern broken?");
        Assert.True(missing.Count == 0, "Keys missing from docs/clinical-reference.md:\n" + string.Join('\n', missing));
    }

    [Theory]
    [InlineData("How sure we are", "how-sure-we-are")]
    [InlineData("KetaCare's own assumptions", "ketacares-own-assumptions")]
    [InlineData("Set up and run", "set-up-and-run")]
    [InlineData("Clinic core: storage", "clinic-core-storage")]
    [InlineData("FHIR R4", "fhir-r4")]
    [InlineData("Install the `ketacare` command", "install-the-ketacare-command")]
    public void Slug_Heading_MatchesGitHubAnchor(string heading, string expected) => Assert.Equal(expected, Slug(heading));

    [Fact]
    public void Links_CodeBlocksAndInlineCode_Ignored()
    {
        const string text = "See [a](a.md) and `[b](b.md)`.\n```\n[c](c.md)\n```\n![d](d.png) [e](https://x.example) [f](#top)";
        Assert.Equal(["a.md", "d.png", "https://x.example", "#top"], Links(text).Select(l => l.Target).ToArray());
    }

    /// <summary>Markdown links and images outside fenced code blocks and inline code, with their 1-based line.</summary>
    private static List<(int Line, string Target)> Links(string markdown)
    {
        var result = new List<(int, string)>();
        var inFence = false;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            var withoutCode = InlineCode().Replace(line, string.Empty);
            foreach (Match m in MarkdownLink().Matches(withoutCode))
            {
                result.Add((i + 1, m.Groups["target"].Value));
            }
        }

        return result;
    }

    private static bool IsExternal(string target) =>
        target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The anchors of a Markdown file: explicit <c>id="…"</c> attributes and GitHub's heading slugs.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in ExplicitAnchor().Matches(markdown))
        {
            anchors.Add(m.Groups["id"].Value);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            var heading = Heading().Match(line);
            if (inFence || !heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var n = seen.GetValueOrDefault(slug);
            seen[slug] = n + 1;
            anchors.Add(n == 0 ? slug : $"{slug}-{n.ToString(CultureInfo.InvariantCulture)}");
        }

        return anchors;
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens.</summary>
    private static string Slug(string heading)
    {
        var text = HtmlTag().Replace(heading.Trim(), string.Empty).ToLowerInvariant();
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('-');
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\bid=""(?<id>[^""]+)""")]
    private static partial Regex ExplicitAnchor();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex HtmlTag();

    // Outside files (the shared workspace, its CLINICAL/DESIGN/benchmark documents) and process words ("issue 4").
    [GeneratedRegex(@"\.\./shared|/work/shared|shared/bench|CLINICAL\.md|DESIGN\.md|WORKLOAD\.md|\bissues?\s*#?\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutsideReference();

    // "clinical-reference: <topic> (<key>[, <key>…])", the one form code and docs use to cite the reference.
    [GeneratedRegex(@"clinical-reference: [^()\r\n""]*\((?<keys>[a-z0-9-]+(?:, [a-z0-9-]+)*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex ClinicalReferenceCitation();
}
