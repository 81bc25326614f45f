namespace KetaCare.Cli.Tests;

/// <summary>simulate: what the model refuses (exit 1), what it only warns about, and input the engine rejects (exit 2).</summary>
public class SimulateRefusalTests
{
    [Fact]
    public void Refused_ChildBelowTheAgeLimit_Exits1()
    {
        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "35", "--age", "8", "--dose", "0.5 mg/kg");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("age 8 years", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public void Refused_EveryReasonIsGiven()
    {
        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "25", "--age", "9", "--dose", "0.5 mg/kg");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refused: domino1984: weight 25 kg", run.Error, StringComparison.Ordinal);
        Assert.Contains("refused: domino1984: age 9 years", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Extrapolation_IsWarnedNotRefused()
    {
        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "120", "--age", "70", "--dose", "0.5 mg/kg", "--until", "1h");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("weight 120 kg is outside the studied range 50 kg to 100 kg", run.Out, StringComparison.Ordinal);
        Assert.Contains("age 70 years is outside the studied range 18 years to 65 years", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void InfusionByAnExtravascularRoute_Exits2AndNamesTheDose()
    {
        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "70", "--dose", "0.5 mg/kg over 60 min", "--route", "im");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --dose: administration 1", run.Error, StringComparison.Ordinal);
        Assert.Contains("takes a single dose, not an infusion", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyGridPoints_Exits2AndNamesTheStep()
    {
        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "70", "--dose", "1 mg", "--until", "14 d", "--step", "0.5 s");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --step:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadRegimenFile_Exits2AndNamesTheEntry()
    {
        using var file = Cli.TempFile(".json");
        File.WriteAllText(file.Path, """{"administrations":[{"at":"0 min","dose":"0,5 mg/kg"}]}""");

        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "70", "--regimen", file.Path);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --regimen", run.Error, StringComparison.Ordinal);
        Assert.Contains("administrations[0].dose", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRegimenFile_Exits2()
    {
        var run = Cli.Run("simulate", "--model", "domino1984", "--weight", "70", "--regimen", Path.Combine(Path.GetTempPath(), "ketacare-missing-" + Guid.NewGuid().ToString("N") + ".json"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --regimen: cannot read", run.Error, StringComparison.Ordinal);
    }
}
