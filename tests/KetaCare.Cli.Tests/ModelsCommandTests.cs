using KetaCare.Cli.Commands;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Cli.Tests;

public class ModelsCommandTests
{
    [Fact]
    public void Models_ListsEveryLibraryModel_WithShortCitation()
    {
        var run = Cli.Run("models");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        Assert.StartsWith("id", run.OutLines[0], StringComparison.Ordinal);
        foreach (var m in ModelLibrary.All)
        {
            Assert.Contains(run.OutLines, l => l.StartsWith(m.Id + " ", StringComparison.Ordinal));
        }

        Assert.Contains("Domino EF et al., Clin Pharmacol Ther 1984;36:645–653", run.Out, StringComparison.Ordinal);
        Assert.Contains("[S] secondary source", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelsShow_Domino_PrintsParametersLimitsEffectSitesRoutesAndCitation()
    {
        var model = ModelLibrary.Get("domino1984").Value;

        var run = Cli.Run("models", "show", "domino1984");

        Assert.Equal(0, run.ExitCode);
        foreach (var p in model.Parameters)
        {
            Assert.Contains(run.OutLines, l => l.StartsWith(p.Name + " ", StringComparison.Ordinal) && l.Contains(p.Unit, StringComparison.Ordinal));
        }

        Assert.Contains("0.4381", run.Out, StringComparison.Ordinal);
        Assert.Contains("Refused:     age outside 12–95 years or weight outside 30–250 kg.", run.Out, StringComparison.Ordinal);
        Assert.Contains("olofsen2012", run.Out, StringComparison.Ordinal);
        Assert.Contains("11.8 min", run.Out, StringComparison.Ordinal);
        Assert.Contains(run.OutLines, l => l.StartsWith("sublingual", StringComparison.Ordinal) && l.Contains("0.3 ", StringComparison.Ordinal));
        Assert.Contains(model.Citation, run.Out, StringComparison.Ordinal);
        Assert.Contains("Not published", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelsShow_UnknownId_Exits2AndListsKnownModels()
    {
        var run = Cli.Run("models", "show", "nosuchmodel");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("\"nosuchmodel\" is not a known model", run.Error, StringComparison.Ordinal);
        Assert.Contains("domino1984", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Domino EF, Domino SE, Smith RE, et al. Ketamine kinetics. Clin Pharmacol Ther 1984;36:645–653", "Domino EF et al., Clin Pharmacol Ther 1984;36:645–653")]
    [InlineData("Short citation", "Short citation")]
    public void ShortCitation_FirstAuthorAndJournal(string citation, string expected) =>
        Assert.Equal(expected, ModelsCommand.ShortCitation(citation));

    [Fact]
    public void Models_OnTerminal_DrawsATable()
    {
        var run = Cli.RunOnTerminal("models");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("╭", run.Out, StringComparison.Ordinal);
        Assert.Contains("domino1984", run.Out, StringComparison.Ordinal);
    }
}
