using System.Globalization;

namespace KetaCare.Cli.Tests;

/// <summary>Dose-error reduction on the what-if commands: TCI rates capped at the clinical hard limits; simulated overdoses named.</summary>
public class WhatIfSafetyCommandTests
{
    [Fact]
    public void Tci_Target20000NgPerMl_RatesCappedAtTwoMgPerKgPerHourAndTheCapSaid()
    {
        // Hazard: a schedule of 17 mg/kg/h printed "to program" with no drug-library check.
        var run = Cli.Run("tci", "--model", "domino1984", "--weight", "70", "--target", "20000 ng/mL", "--csv");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: [tci.rate-capped]", run.Error, StringComparison.Ordinal);
        Assert.Contains("needed up to 17", run.Error, StringComparison.Ordinal);
        var header = run.OutLines[0].Split(',');
        Assert.Equal("rate_mg_h", header[2]);
        var rates = run.OutLines.Skip(1).Where(l => !l.StartsWith('#')).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture) / 70).ToList();
        Assert.NotEmpty(rates);
        Assert.All(rates, r => Assert.True(r <= 2 + 1e-9, $"{r} mg/kg/h above the hard limit"));
        Assert.Equal(2, rates.Max(), 9);
    }

    [Fact]
    public void Tci_HigherCeilingAskedFor_StillCappedAtTheHardLimit()
    {
        var run = Cli.Run("tci", "--model", "domino1984", "--weight", "70", "--target", "3000 ng/mL", "--max-rate-per-kg", "7 mg/kg/h");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("capped at 2 mg/kg/h", run.Out, StringComparison.Ordinal);
        Assert.Contains("[tci.rate-capped]", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tci_AnalgesicTarget_NotCappedAndNoWarning()
    {
        var run = Cli.Run("tci", "--model", "domino1984", "--weight", "70", "--target", "100 ng/mL", "--max-rate", "60 mL/h");
        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("tci.rate-capped", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20 mg/kg", "bolus: 20 mg/kg is above the clinical hard limit of 0.35 mg/kg")]
    [InlineData("3 mg/kg/h for 60 min", "rate: 3 mg/kg/h is above the clinical hard limit of 2 mg/kg/h")]
    public void Simulate_DoseAboveAHardLimit_WarnsNamingTheLimitAndItsSourceOnEveryOutput(string dose, string expected)
    {
        foreach (var output in new[] { Array.Empty<string>(), ["--csv"], ["--json"] })
        {
            var run = Cli.Run(["simulate", "--model", "domino1984", "--weight", "70", "--dose", dose, .. output]);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("warning: [simulation.above-limit] " + expected, run.Error, StringComparison.Ordinal);
            Assert.Contains("Cohen SP", run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Simulate_DoseWithinTheLimits_NoWarning() =>
        Assert.DoesNotContain("simulation.above-limit", Cli.Run("simulate", "--model", "domino1984", "--weight", "70", "--dose", "0.35 mg/kg").Error, StringComparison.Ordinal);

    [Fact]
    public void Population_RateAboveTheHardLimit_Warns()
    {
        var run = Cli.Run("population", "--model", "domino1984", "--n", "50", "--dose", "2.5 mg/kg/h for 60 min", "--csv");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("[simulation.above-limit] rate: 2.5 mg/kg/h", run.Error, StringComparison.Ordinal);
    }
}
