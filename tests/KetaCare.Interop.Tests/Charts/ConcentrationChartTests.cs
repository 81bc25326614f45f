using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Interop.Charts;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Interop.Tests.Charts;

public sealed class ConcentrationChartTests
{
    private static SimulationResult Run(string dose, Ke0Option? effect = null) =>
        Simulator.Run(new SimulationRequest(ModelLibrary.Get("domino1984", "model").Value, new Covariates(BodyWeight.FromKilograms(64)), Regimen.Single(DoseExpression.Parse(dose).Value))
        {
            Until = Duration.FromHours(3),
            EffectSite = effect,
        }).Value;

    [Fact]
    public void Svg_TwoRegimensWithEffectSite_IsWellFormedAndLabelsEverySeriesAndBand()
    {
        LabelledProfile[] profiles =
        [
            new("first session", Run("0.5 mg/kg/h for 60 min", EffectSites.Olofsen2012Analgesia)),
            new("highest planned session", Run("1 mg/kg/h for 60 min", EffectSites.Olofsen2012Analgesia)),
        ];

        var text = ChartAssert.SvgText(ConcentrationChart.Svg(profiles, 900, 500));

        foreach (var label in new[] { "first session: plasma", "first session: effect site", "highest planned session: plasma", "highest planned session: effect site", "acute analgesia 70–160 ng/mL (Zanos 2018)", "dissociation 100–250 ng/mL (Zanos 2018)", "Concentration (ng/mL)" })
        {
            Assert.Contains(label, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Svg_AnaestheticBolus_AddsTheAnaesthesiaBandThatALowInfusionLeavesOut()
    {
        var bolus = ChartAssert.SvgText(ConcentrationChart.Svg([new("induction", Run("2 mg/kg"))], 800, 450));
        var low = ChartAssert.SvgText(ConcentrationChart.Svg([new("session", Run("0.5 mg/kg/h for 60 min"))], 800, 450));

        Assert.Contains("anaesthesia 1200–2400 ng/mL (Zanos 2018; Herd 2008)", bolus, StringComparison.Ordinal);
        Assert.DoesNotContain("anaesthesia", low, StringComparison.Ordinal);
    }

    [Fact]
    public void Svg_Turkish_WritesTurkishLabelsWithTheirLetters()
    {
        var text = ChartAssert.SvgText(ConcentrationChart.Svg([new("ilk seans", Run("0.5 mg/kg/h for 60 min"))], 800, 450, ChartText.For(CultureInfo.GetCultureInfo("tr-TR"))));

        Assert.Contains("ilk seans: plazma", text, StringComparison.Ordinal);
        Assert.Contains("akut analjezi 70–160 ng/mL", text, StringComparison.Ordinal);
        Assert.Contains("Tahmini ketamin konsantrasyonu", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(640, 360)]
    [InlineData(1200, 700)]
    public void Png_RequestedSize_HasThePngSignatureAndThatSize(int width, int height) =>
        ChartAssert.Png(ConcentrationChart.Png([new("first session", Run("0.5 mg/kg/h for 60 min"))], width, height), width, height);

    [Theory]
    [InlineData(99, 400)]
    [InlineData(800, 8001)]
    public void Png_SizeOutOfRange_ThrowsNamingTheAllowedRange(int width, int height)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ConcentrationChart.Png([new("x", Run("0.5 mg/kg/h for 60 min"))], width, height));
        Assert.Contains("100 to 8000 px", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PopulationSvg_PercentileBands_LabelsTheBandsTheMedianAndTheThreshold()
    {
        var pop = VirtualPopulation.FromSubjects([.. new[] { 50.0, 60, 70, 80, 90 }.Select(kg => new Covariates(BodyWeight.FromKilograms(kg)))], [], []);
        var summary = PopulationSimulator.Run(new PopulationRequest(ModelLibrary.Get("domino1984", "model").Value, pop, Regimen.Single(DoseExpression.Parse("0.5 mg/kg/h for 60 min").Value))
        {
            Until = Duration.FromHours(2),
            Percentiles = [5, 50, 95],
            Thresholds = [Concentration.FromNanogramsPerMilliliter(100)],
        }, null, TestContext.Current.CancellationToken).Value;

        var text = ChartAssert.SvgText(PopulationChart.Svg(summary, "Plasma", 900, 500));

        foreach (var label in new[] { "p5–p95", "median", "threshold 100 ng/mL", "acute analgesia 70–160 ng/mL (Zanos 2018)" })
        {
            Assert.Contains(label, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ConcentrationBands_AreTheRangesOfClinicalMd()
    {
        Assert.Equal((70.0, 160.0), (ConcentrationBands.AcuteAnalgesia.LowNgPerMl, ConcentrationBands.AcuteAnalgesia.HighNgPerMl));
        Assert.Equal((100.0, 250.0), (ConcentrationBands.Dissociation.LowNgPerMl, ConcentrationBands.Dissociation.HighNgPerMl));
        Assert.Equal((1200.0, 2400.0), (ConcentrationBands.Anaesthesia.LowNgPerMl, ConcentrationBands.Anaesthesia.HighNgPerMl));
        Assert.All(ConcentrationBands.All, b => Assert.StartsWith("clinical-reference: Concentration and effect (zanos2018", b.Source.Section, StringComparison.Ordinal));
    }
}
