using System.Globalization;

namespace KetaCare.Cli.Tests;

/// <summary>Hazard: a dose read 10× too high, or a CSV a spreadsheet misreads, when the process culture uses decimal commas.</summary>
public class CultureTests
{
    private static readonly string[] Simulate = ["simulate", "--model", "domino1984", "--weight", "70.5", "--age", "40", "--dose", "0.5 mg/kg over 60 min", "--until", "3h", "--step", "0.5 min", "--ke0", "0.1/min"];

    private static CliRun RunUnder(string culture, params string[] args)
    {
        var saved = CultureInfo.CurrentCulture;
        var savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            return Cli.Run(args);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    public void SimulateCsvJsonAndTable_AreIdenticalUnderCommaCultures(string culture)
    {
        foreach (var format in new[] { "--csv", "--json", "--every=30min" })
        {
            var invariant = RunUnder("", [.. Simulate, format]);
            var local = RunUnder(culture, [.. Simulate, format]);

            Assert.Equal(0, local.ExitCode);
            Assert.Equal(invariant.Out, local.Out);
        }
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    public void CsvNumbers_UseAPointAndParseBackInvariantly(string culture)
    {
        var run = RunUnder(culture, [.. Simulate, "--csv"]);

        var line = run.OutLines[100];
        Assert.Equal(3, line.Split(',').Length);
        Assert.Contains('.', line);
        Assert.All(line.Split(','), v => double.Parse(v, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    public void CommaDose_IsRefusedUnderACommaCulture(string culture)
    {
        var run = RunUnder(culture, "simulate", "--model", "domino1984", "--weight", "70", "--dose", "0,5 mg/kg");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("did you mean 0.5", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    public void OccupancyAndModels_AreIdenticalUnderCommaCultures(string culture)
    {
        Assert.Equal(RunUnder("", "occupancy", "--conc", "150 ng/mL", "--fu", "0.6").Out, RunUnder(culture, "occupancy", "--conc", "150 ng/mL", "--fu", "0.6").Out);
        Assert.Equal(RunUnder("", "models", "show", "DOMINO1984").Out, RunUnder(culture, "models", "show", "DOMINO1984").Out);
        Assert.Equal(RunUnder("", "validate").Out, RunUnder(culture, "validate").Out);
    }
}
