using System.Globalization;
using System.Text;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Tci;

namespace KetaCare.Pharmacology.Tests.Tci;

/// <summary>
/// The call a `ketacare tci --model domino1984 --weight 70 --target "150 ng/mL" --site effect --for 60min
/// --concentration "1 mg/mL" --max-rate "1200 mL/h" --steps 4` command makes, run as a test so the documented
/// example keeps compiling and working.
/// </summary>
public sealed class TciUsageExampleTests(ITestOutputHelper output)
{
    [Fact]
    public void Example_CommandLineStyleCall_PlansAndPrints()
    {
        var model = ModelLibrary.Get("domino1984").Value;
        var patient = new Covariates(KetaCare.Pharmacology.Units.QuantityParser.ParseBodyWeight("70 kg").Value, AgeYears: 45);
        var settings = TciSettings.FromText("150 ng/mL", site: "effect", duration: "60min", concentration: "1 mg/mL", maxRate: "1200 mL/h", steps: 4);
        Assert.True(settings.IsSuccess, settings.Error);

        var result = TciPlanner.Plan(model, patient, settings.Value);
        Assert.True(result.IsSuccess, result.Error);
        var plan = result.Value;

        var text = new StringBuilder();
        foreach (var step in plan.Steps.Where((_, m) => m % 30 == 0))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{step.Start,8}  {step.PumpRate,10}  {step.Rate,10}  plasma {step.PlasmaAtEnd,12}  effect {step.EffectAtEnd,12}  {step.Control}");
        }

        text.AppendLine("manual pump:");
        foreach (var s in plan.Manual!.Steps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{s.Start,8} – {s.End,-8} {s.PumpRate,10}  VTBI {s.Volume}  plasma at end {s.PlasmaAtEnd}  effect at end {s.EffectAtEnd}  peak plasma {s.PeakPlasma}");
        }

        foreach (var w in plan.Warnings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"note: {w}");
        }

        output.WriteLine(text.ToString());
        Assert.Equal(360, plan.Steps.Count);
        Assert.Equal(4, plan.Manual.Steps.Count);
        Assert.Contains(plan.Warnings, w => w.Code == EngineWarningCodes.TciPlasmaOvershoot && w.Arg("ratio")!.Number > 2);
    }

    [Theory]
    [InlineData("0,15 mg/L", null, "target:")]
    [InlineData("150 ng/mL", "brain", "site:")]
    [InlineData("150 ng/mL", null, "maxRate:")]
    public void FromText_BadText_NamesTheField(string target, string? site, string field)
    {
        var result = TciSettings.FromText(target, site, maxRate: field == "maxRate:" ? "fast" : null);
        Assert.False(result.IsSuccess);
        Assert.StartsWith(field, result.Error, StringComparison.Ordinal);
    }
}
