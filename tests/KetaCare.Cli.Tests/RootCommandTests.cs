namespace KetaCare.Cli.Tests;

public class RootCommandTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("models", "--help")]
    [InlineData("models", "show", "--help")]
    [InlineData("simulate", "--help")]
    [InlineData("tci", "--help")]
    [InlineData("occupancy", "--help")]
    [InlineData("validate", "--help")]
    [InlineData("db", "--help")]
    [InlineData("db", "backup", "--help")]
    public void Help_Exits0AndDescribesOptions(params string[] args)
    {
        var run = Cli.Run(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains("--help", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_Simulate_ListsEveryOption()
    {
        var run = Cli.Run("simulate", "--help");

        foreach (var option in new[] { "--model", "--weight", "--age", "--sex", "--dose", "--route", "--at", "--regimen", "--until", "--step", "--every", "--ke0", "--relief", "--csv", "--json", "--plot", "--threshold" })
        {
            Assert.Contains(option, run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Version_Exits0AndPrintsTheVersion()
    {
        var run = Cli.Run("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Out);
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("simulate", "--no-such-option")]
    public void UsageError_Exits2WithAHint(params string[] args)
    {
        var run = Cli.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--help' for usage.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Registrations_NameEachCommandItsFactoryBuilds_SoARunOfOneCommandBuildsTheRightOne()
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, isTerminal: false);

        foreach (var (name, create) in CliApp.Registrations)
        {
            Assert.Equal(name, create(context).Name);
        }
    }

    [Fact]
    public void CreateRoot_FirstArgumentNamesACommand_BuildsOnlyThatCommand()
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, isTerminal: false);

        Assert.Equal(["bench"], CliApp.CreateRoot(context, "bench").Subcommands.Select(c => c.Name));
        Assert.Equal(CliApp.Registrations.Length, CliApp.CreateRoot(context, "frobnicate").Subcommands.Count);
    }
}
