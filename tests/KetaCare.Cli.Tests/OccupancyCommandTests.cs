using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Tests;

public class OccupancyCommandTests
{
    [Fact]
    public void Occupancy_AnalgesicConcentration_MatchesTheEngineAndMakesThePoint()
    {
        var engine = ReceptorOccupancy.Compute(Concentration.FromNanogramsPerMilliliter(150));

        var run = Cli.Run("occupancy", "--conc", "150 ng/mL");

        Assert.Equal(0, run.ExitCode);
        foreach (var r in engine.Where(r => !double.IsNaN(r.Occupancy)))
        {
            var line = Assert.Single(run.OutLines, l => l.StartsWith(r.Target.Name + " ", StringComparison.Ordinal));
            Assert.Contains(Format.Percent(r.Occupancy), line, StringComparison.Ordinal);
        }

        Assert.Contains("opioid receptors and Na⁺ channels are reached only at anaesthetic concentrations", run.Out, StringComparison.Ordinal);
        Assert.Contains("Hirota 1999", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Occupancy_SWithNorketamineAndFu_PassesThemToTheEngine()
    {
        var engine = ReceptorOccupancy.Compute(Concentration.FromNanogramsPerMilliliter(150), Enantiomer.S, 0.8, Concentration.FromNanogramsPerMilliliter(50));
        var nmda = engine.Single(r => r.Target.Id == "nmda-forebrain");

        var run = Cli.Run("occupancy", "--conc", "150 ng/mL", "--enantiomer", "s", "--fu", "0.8", "--norketamine", "50 ng/mL");

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.OutLines, l => l.StartsWith(nmda.Target.Name + " ", StringComparison.Ordinal));
        Assert.Contains(Format.Percent(nmda.Occupancy), line, StringComparison.Ordinal);
        Assert.Contains("norketamine competing", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Occupancy_AnaestheticConcentration_SaysOpioidReceptorsAreReached()
    {
        var run = Cli.Run("occupancy", "--conc", "20 µM");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("opioid receptors are also substantially occupied", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--conc", "0,15 mg/L", "did you mean 0.15")]
    [InlineData("--conc", "150 mg/kg", "concentration is needed")]
    [InlineData("--conc", "150 mg/mL", "plausible maximum")]
    [InlineData("--fu", "1.5", "allowed range 0.01–1")]
    [InlineData("--enantiomer", "x", "racemic, s or r")]
    [InlineData("--norketamine", "50", "no unit")]
    public void InvalidInput_Exits2AndNamesTheOption(string option, string value, string hint)
    {
        string[] args = option == "--conc" ? ["occupancy", "--conc", value] : ["occupancy", "--conc", "150 ng/mL", option, value];

        var run = Cli.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: " + option, run.Error, StringComparison.Ordinal);
        Assert.Contains(hint, run.Error, StringComparison.Ordinal);
    }
}
