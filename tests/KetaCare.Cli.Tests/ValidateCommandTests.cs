using KetaCare.Clinic.Analytics;
using KetaCare.Pharmacology.Validation;

namespace KetaCare.Cli.Tests;

public class ValidateCommandTests
{
    [Fact]
    public void Validate_AllCasesPass_Exits0WithOneRowPerCase()
    {
        IReadOnlyList<VerificationCase> cases = [.. VerificationSuite.Run(), .. IndividualisationValidation.Cases(IndividualisationValidation.Run())];

        var run = Cli.Run("validate");

        Assert.Equal(0, run.ExitCode);
        foreach (var c in cases)
        {
            Assert.Contains(run.OutLines, l => l.StartsWith(c.Id + " ", StringComparison.Ordinal) && l.EndsWith("pass", StringComparison.Ordinal));
        }

        Assert.Contains($"{cases.Count} of {cases.Count} verification cases passed.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateMarkdown_WritesATableRowPerCase()
    {
        IReadOnlyList<VerificationCase> cases = [.. VerificationSuite.Run(), .. IndividualisationValidation.Cases(IndividualisationValidation.Run())];

        var run = Cli.Run("validate", "--markdown");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("# Engine verification report", run.Out, StringComparison.Ordinal);
        // One row per case and the header pair; then the estimation table: a header pair and a row per checkpoint (3, 5, 8).
        Assert.Equal(cases.Count + 2 + 2 + 3, run.OutLines.Count(l => l.StartsWith('|')));
        Assert.Contains("| `domino-clearance` |", run.Out, StringComparison.Ordinal);
        Assert.Contains("| `individual-ec50-bias-8` |", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidationDoc_IsUpToDate()
    {
        // docs/validation.md is the committed output of 'ketacare validate --markdown'.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KetaCare.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var doc = Path.Combine(dir.FullName, "docs", "validation.md");
        Assert.True(File.Exists(doc), "docs/validation.md is missing; regenerate it with 'ketacare validate --markdown > docs/validation.md'.");
        var current = Cli.Run("validate", "--markdown").Out.ReplaceLineEndings();
        Assert.True(
            current == File.ReadAllText(doc).ReplaceLineEndings(),
            "docs/validation.md is out of date (cases were added or changed); regenerate it with 'dotnet run --project src/KetaCare.Cli -- validate --markdown > docs/validation.md'.");
    }
}
