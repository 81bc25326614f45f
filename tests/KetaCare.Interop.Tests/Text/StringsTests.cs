using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Interop.Charts;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Tests.Text;

/// <summary>The one text catalogue is complete: every text has a Turkish translation with the same placeholders.</summary>
public sealed partial class StringsTests
{
    private static readonly CultureInfo Turkish = CultureInfo.GetCultureInfo("tr");

    private static Dictionary<string, string> Set(CultureInfo culture) =>
        Strings.For(culture).GetAllStrings(includeParentCultures: false).ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);

    [Fact]
    public void EveryEnglishText_HasANonEmptyTurkishTextWithTheSamePlaceholders()
    {
        // Hazard: a Turkish reader is shown English, a blank, or a number in the wrong slot ("{0}" lost in translation).
        var english = Set(CultureInfo.InvariantCulture);
        var turkish = Set(Turkish);
        Assert.True(english.Count > 800, $"only {english.Count} texts: is Strings.resx embedded?");
        var problems = new List<string>();
        foreach (var (key, en) in english)
        {
            if (!turkish.TryGetValue(key, out var tr) || string.IsNullOrWhiteSpace(tr))
            {
                problems.Add($"no Turkish: {key}");
            }
            else if (!Placeholders(en).SetEquals(Placeholders(tr)))
            {
                problems.Add($"placeholders differ: {key} → {tr}");
            }

            // The English text is the key, except after a "|context" that tells apart texts differing only in case.
            if (en != key.Split('|')[0])
            {
                problems.Add($"English text differs from its key: {key} → {en}");
            }
        }

        problems.AddRange(turkish.Keys.Except(english.Keys).Select(k => $"Turkish text without an English one: {k}"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("Strings.resx")]
    [InlineData("Strings.tr.resx")]
    public void ResourceFile_NoTwoNamesDifferOnlyInCase(string file)
    {
        // Hazard: the resource build keeps one of two names that differ only in case and drops the other with a mere
        // warning, so a text silently falls back to English; "|context" keys exist to tell such texts apart.
        var names = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "KetaCare.Interop", "Text", file))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToList();
        Assert.True(names.Count > 800, $"only {names.Count} names in {file}");
        var clashes = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g));
        Assert.Empty(clashes);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KetaCare.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (KetaCare.slnx) not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void EveryFindingTemplate_IsInTheCatalogue()
    {
        var turkish = Set(Turkish);
        var codes = FindingCodes.All.Concat(DoseCheck.LimitIds.Select(id => FindingCodes.LimitPrefix + id));
        Assert.All(codes, code => Assert.True(FindingText.Template(code) is { } t && turkish.ContainsKey(t), code));
    }

    [Fact]
    public void ChartText_Turkish_ComesFromTheCatalogue()
    {
        var tr = ChartText.For(CultureInfo.GetCultureInfo("tr-TR"));
        Assert.Equal("tr", tr.Language);
        Assert.Equal("Hız (mL/sa)", tr.RateMlPerHour);
        Assert.Equal("plazma", tr.Plasma);
        Assert.Equal("plasma", ChartText.English.Plasma);
        Assert.Equal("Rate (mL/h)", ChartText.For(CultureInfo.GetCultureInfo("de-DE")).RateMlPerHour);
    }

    [Theory]
    [InlineData("tr-TR", 0.5, "mg/kg/h", "0,5 mg/kg/sa")]
    [InlineData("tr-TR", 30, "%", "%30")]
    [InlineData("tr-TR", 60, "min", "60 dk")]
    [InlineData("en-GB", 0.5, "mg/kg/h", "0.5 mg/kg/h")]
    [InlineData("en-GB", 30, "%", "30 %")]
    public void Quantity_ReadersCulture_NumberAndUnitAsTheReaderWritesThem(string culture, double value, string unit, string expected) =>
        Assert.Equal(expected, TextFormat.Quantity(value, unit, CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public void Date_Turkish_DayFirst_OtherwiseIso() =>
        Assert.Equal(("05.12.2026", "2026-12-05"), (TextFormat.Date(new DateOnly(2026, 12, 5), Turkish), TextFormat.Date(new DateOnly(2026, 12, 5), CultureInfo.InvariantCulture)));

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{[^{}]+\}")]
    private static partial Regex Placeholder();
}
