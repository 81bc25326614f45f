using KetaCare.Pharmacology.Units;

namespace KetaCare.Units.Tests;

/// <summary>
/// The dose-expression rules: shape from kind and keyword, the duration and plausibility limits at their boundaries,
/// the refusal sentences, the typed factories' text and resolving each shape for a patient.
/// </summary>
public class DoseExpressionRuleTests
{
    private static readonly BodyWeight Kg70 = BodyWeight.FromKilograms(70);

    private static QuantityParser.Quantity Q(string text) => QuantityParser.Parse(text).Value;

    [Theory]
    [InlineData("35 mg", DoseShape.Bolus, false, null)]
    [InlineData("0.35 mg/kg", DoseShape.Bolus, true, null)]
    [InlineData("35 mg over 60 min", DoseShape.AmountOverDuration, false, 60.0)]
    [InlineData("35 mg OVER 1 h", DoseShape.AmountOverDuration, false, 60.0)]
    [InlineData("0.5 mg/kg Over 2 h", DoseShape.AmountOverDuration, true, 120.0)]
    [InlineData("25 mg/h", DoseShape.Rate, false, null)]
    [InlineData("25 mg/h For 4 h", DoseShape.Rate, false, 240.0)]
    [InlineData("0.5 mg/kg/h for 1 h", DoseShape.Rate, true, 60.0)]
    [InlineData("35 mg over 14 d", DoseShape.AmountOverDuration, false, 20160.0)] // exactly the longest administration
    public void Parse_Dose_ShapeWeightBasisAndDuration(string text, DoseShape shape, bool weightBased, double? minutes)
    {
        var d = DoseExpression.Parse(text).Value;

        Assert.Equal((shape, weightBased, minutes), (d.Shape, d.IsWeightBased, d.Duration?.Minutes));
        Assert.Equal(text, d.Text);
        Assert.Equal(text, d.ToString());
    }

    [Fact]
    public void Parse_SurroundingSpace_TextTrimmedAndQuantityFromItsOwnPart()
    {
        var d = DoseExpression.Parse("  0.5 mg/kg over 60 min  ").Value;

        Assert.Equal("0.5 mg/kg over 60 min", d.Text);
        Assert.Equal(new QuantityParser.Quantity(QuantityKind.DosePerKg, 0.5, "0.5 mg/kg"), d.Quantity);
    }

    [Theory]
    [InlineData(null, "dose: a dose is required, e.g. \"0.5 mg/kg over 60 min\".")]
    [InlineData(" ", "dose: a dose is required, e.g. \"0.5 mg/kg over 60 min\".")]
    [InlineData("35 mg over 0 min", "dose: an infusion over 0 min is not an infusion; give it as a bolus (\"35 mg\") or give a duration > 0.")]
    [InlineData("35 mg over 20161 min", "dose: 20161 min is longer than the 14 days one administration may run; split the course into separate administrations.")]
    [InlineData("35 mg over 5 mg", "dose duration: \"5 mg\" is a dose (amount), but a duration is needed here, e.g. \"60 min\".")]
    [InlineData("35 mg FOR 60 min", "dose: \"35 mg FOR 60 min\": an amount is given \"over\" a duration (\"35 mg over 60 min\"); \"for\" goes with a rate (\"0.5 mg/kg/h for 1 h\").")]
    [InlineData("0.5 mg/kg/h OVER 1 h", "dose: \"0.5 mg/kg/h OVER 1 h\": a rate runs \"for\" a duration (\"0.5 mg/kg/h for 60 min\"); \"over\" goes with an amount (\"0.5 mg/kg over 60 min\").")]
    [InlineData("150 ng/mL", "dose: \"150 ng/mL\" is a concentration, not a dose; write e.g. \"0.5 mg/kg over 60 min\", \"35 mg\" or \"0.5 mg/kg/h\".")]
    [InlineData("0 mg", "dose: \"0 mg\" is zero; a dose must be greater than 0.")]
    [InlineData("0 mg/kg/h", "dose: \"0 mg/kg/h\" is zero; a dose must be greater than 0.")]
    [InlineData("3 g", "dose: \"3 g\" = 3000 mg is above the plausible ketamine maximum of 2000 mg; check the unit (mg, not g; per hour, not per minute).")]
    [InlineData("20.5 mg/kg", "dose: \"20.5 mg/kg\" = 20.5 mg/kg is above the plausible ketamine maximum of 20 mg/kg; check the unit (mg, not g; per hour, not per minute).")]
    [InlineData("40 mg/min", "dose: \"40 mg/min\" = 2400 mg/h is above the plausible ketamine maximum of 2000 mg/h; check the unit (mg, not g; per hour, not per minute).")]
    [InlineData("0.5 mg/kg/min", "dose: \"0.5 mg/kg/min\" = 30 mg/kg/h is above the plausible ketamine maximum of 20 mg/kg/h; check the unit (mg, not g; per hour, not per minute).")]
    [InlineData("mg", "dose: \"mg\" does not start with a number; write e.g. \"0.5 mg/kg\".")]
    public void Parse_Refused_TheWholeSentence(string? text, string error) => Assert.Equal(error, DoseExpression.Parse(text).Error);

    [Theory]
    [InlineData("2000 mg")]
    [InlineData("20 mg/kg")]
    [InlineData("2000 mg/h")]
    [InlineData("20 mg/kg/h")]
    public void Parse_ExactlyThePlausibleMaximum_Accepted(string text) => Assert.True(DoseExpression.Parse(text).IsSuccess, text);

    [Fact]
    public void Parse_OtherField_NamedInTheRefusal() =>
        Assert.Equal("bolus: \"0 mg\" is zero; a dose must be greater than 0.", DoseExpression.Parse("0 mg", "bolus").Error);

    [Theory]
    [InlineData("35 mg", 60.0, "35 mg over 60 min", DoseShape.AmountOverDuration)]
    [InlineData("0.5 mg/kg", 90.0, "0.5 mg/kg over 90 min", DoseShape.AmountOverDuration)]
    [InlineData("25 mg/h", 240.0, "25 mg/h for 240 min", DoseShape.Rate)]
    [InlineData("0.5 mg/kg/h", 20160.0, "0.5 mg/kg/h for 20160 min", DoseShape.Rate)]
    [InlineData("35 mg", null, "35 mg", DoseShape.Bolus)]
    [InlineData("25 mg/h", null, "25 mg/h", DoseShape.Rate)]
    public void Create_TypedQuantity_TextAndShape(string quantity, double? minutes, string text, DoseShape shape)
    {
        var d = DoseExpression.Create(Q(quantity), minutes is { } m ? Duration.FromMinutes(m) : null).Value;

        Assert.Equal((text, shape), (d.Text, d.Shape));
        Assert.Equal(quantity, d.Quantity.Text);
    }

    [Theory]
    [InlineData(0.0, "0 min")]
    [InlineData(20161.0, "20161 min")]
    public void Create_DurationOutsideTheRange_RefusedNamingIt(double minutes, string shown) =>
        Assert.Equal(
            $"infusion: a duration of {shown} is outside the allowed range of more than 0 min up to 14 days.",
            DoseExpression.Create(Q("35 mg"), Duration.FromMinutes(minutes), "infusion").Error);

    [Fact]
    public void Create_NotADoseOrImplausible_SameRulesAsParse()
    {
        Assert.Equal("dose: \"5 mL\" is a volume, not a dose; write e.g. \"0.5 mg/kg over 60 min\", \"35 mg\" or \"0.5 mg/kg/h\".", DoseExpression.Create(Q("5 mL"), null).Error);
        Assert.False(DoseExpression.Create(Q("3 g"), Duration.FromMinutes(60)).IsSuccess);
    }

    [Fact]
    public void TypedFactories_ShapeKindAndText()
    {
        var hour = Duration.FromMinutes(60);

        AssertTyped(DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.75), hour), DoseShape.AmountOverDuration, QuantityKind.DosePerKg, "0.75 mg/kg over 60 min");
        AssertTyped(DoseExpression.Infusion(Mass.FromMilligrams(35), hour), DoseShape.AmountOverDuration, QuantityKind.Mass, "35 mg over 60 min");
        AssertTyped(DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(30), hour), DoseShape.Rate, QuantityKind.DoseRate, "0.5 mg/min for 60 min");
        AssertTyped(DoseExpression.AtRate(WeightNormalizedRate.FromMilligramsPerKilogramPerHour(0.6), hour), DoseShape.Rate, QuantityKind.WeightNormalizedRate, "0.01 mg/kg/min for 60 min");
        AssertTyped(DoseExpression.Bolus(Mass.FromMilligrams(20)), DoseShape.Bolus, QuantityKind.Mass, "20 mg");
        AssertTyped(DoseExpression.Bolus(DosePerKg.FromMilligramsPerKilogram(0.35)), DoseShape.Bolus, QuantityKind.DosePerKg, "0.35 mg/kg");

        static void AssertTyped(DoseExpression d, DoseShape shape, QuantityKind kind, string text) =>
            Assert.Equal((shape, kind, text), (d.Shape, d.Quantity.Kind, d.Text));
    }

    [Theory]
    [InlineData("35 mg", 35.0, null)]
    [InlineData("0.5 mg/kg", 35.0, null)]
    [InlineData("35 mg over 30 min", 35.0, 30.0)]
    [InlineData("0.5 mg/kg over 30 min", 35.0, 30.0)]
    [InlineData("25 mg/h for 4 h", 100.0, 240.0)]              // an absolute rate does not scale with weight
    [InlineData("0.5 mg/kg/h for 2 h", 70.0, 120.0)]
    public void Resolve_For70Kg_TotalAndDuration(string text, double mg, double? minutes)
    {
        var r = DoseExpression.Parse(text).Value.Resolve(Kg70).Value;

        Assert.Equal(mg, r.Total.Milligrams, 9);
        Assert.Equal(minutes, r.Over?.Minutes);
    }

    [Fact]
    public void Resolve_RateWithItsOwnDuration_IgnoresTheOpenRateDuration() =>
        Assert.Equal(35, DoseExpression.Parse("0.5 mg/kg/h for 1 h").Value.Resolve(Kg70, Duration.FromHours(3)).Value.Total.Milligrams, 9);

    [Fact]
    public void Resolve_OpenRate_ZeroOpenDuration_RefusedSayingHowToWriteIt() =>
        Assert.Equal(
            "dose: the rate \"25 mg/h\" needs a duration, e.g. \"25 mg/h for 60 min\".",
            DoseExpression.Parse("25 mg/h").Value.Resolve(Kg70, Duration.Zero).Error);

    [Fact]
    public void ResolvedDose_Rate_TotalOverDuration() =>
        Assert.Equal(70, DoseExpression.Parse("35 mg over 30 min").Value.Resolve(Kg70).Value.Rate.MilligramsPerHour, 9);
}
