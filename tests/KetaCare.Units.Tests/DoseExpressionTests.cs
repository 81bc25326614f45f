using KetaCare.Pharmacology.Units;

namespace KetaCare.Units.Tests;

public class DoseExpressionTests
{
    private static readonly BodyWeight Kg70 = BodyWeight.FromKilograms(70);

    [Fact]
    public void Parse_WeightBasedInfusionOverDuration_ResolvesAmountAndRate()
    {
        var d = DoseExpression.Parse("0.5 mg/kg over 60 min").Value;
        Assert.Equal(DoseShape.AmountOverDuration, d.Shape);
        Assert.True(d.IsWeightBased);
        var r = d.Resolve(Kg70).Value;
        Assert.Equal(35, r.Total.Milligrams, 12);
        Assert.Equal(60, r.Over!.Value.Minutes);
        Assert.Equal(35, r.Rate.MilligramsPerHour, 12);
    }

    [Fact]
    public void Parse_AbsoluteAmountOverHours_Resolves()
    {
        var r = DoseExpression.Parse("35 mg over 1 h").Value.Resolve(Kg70).Value;
        Assert.Equal(35, r.Total.Milligrams, 12);
        Assert.Equal(60, r.Over!.Value.Minutes);
    }

    [Fact]
    public void Parse_McgPerKgPerMin_IsRate()
    {
        // 7.2 mcg/kg/min = 0.432 mg/kg/h; for 70 kg over 1 h = 30.24 mg.
        var d = DoseExpression.Parse("7.2 mcg/kg/min for 60 min").Value;
        Assert.Equal(DoseShape.Rate, d.Shape);
        Assert.Equal(30.24, d.Resolve(Kg70).Value.Total.Milligrams, 9);
    }

    [Fact]
    public void Parse_OpenRate_NeedsDurationAtResolve()
    {
        var d = DoseExpression.Parse("0.5 mg/kg/h").Value;
        var r = d.Resolve(Kg70);
        Assert.False(r.IsSuccess);
        Assert.Contains("needs a duration", r.Error, StringComparison.Ordinal);
        Assert.Equal(70, d.Resolve(Kg70, Duration.FromHours(2)).Value.Total.Milligrams, 9);
    }

    [Fact]
    public void Parse_Bolus_HasNoDuration()
    {
        var r = DoseExpression.Parse("0.35 mg/kg").Value.Resolve(Kg70).Value;
        Assert.Null(r.Over);
        Assert.Equal(24.5, r.Total.Milligrams, 12);
        Assert.Equal(DoseRate.Zero, r.Rate);
    }

    [Theory]
    [InlineData("2 g/kg", "plausible ketamine maximum")]
    [InlineData("21 mg/kg", "plausible ketamine maximum")]
    [InlineData("3 g", "plausible ketamine maximum")]
    [InlineData("0.5 mg/kg/min", "plausible ketamine maximum")]
    [InlineData("35 mg over 0 min", "over 0 min")]
    [InlineData("0 mg", "zero")]
    [InlineData("35 mg for 60 min", "\"over\"")]
    [InlineData("0.5 mg/kg/h over 60 min", "\"for\"")]
    [InlineData("150 ng/mL", "not a dose")]
    [InlineData("35 mg over 15 d", "longer than")]
    [InlineData("0,5 mg/kg over 60 min", "comma")]
    public void Parse_UnsafeOrAmbiguous_IsRefusedWithReason(string text, string expected)
    {
        var r = DoseExpression.Parse(text, "dose");
        Assert.False(r.IsSuccess, text);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AtPlausibilityCeiling_IsAccepted()
    {
        // Boundary: exactly the ceiling passes, just above fails.
        Assert.True(DoseExpression.Parse("20 mg/kg").IsSuccess);
        Assert.False(DoseExpression.Parse("20.01 mg/kg").IsSuccess);
        Assert.True(DoseExpression.Parse("20 mg/kg/h for 1 h").IsSuccess);
    }

    [Fact]
    public void Factories_RoundTripThroughText()
    {
        var d = DoseExpression.Infusion(DosePerKg.FromMilligramsPerKilogram(0.75), Duration.FromMinutes(60));
        Assert.Equal(52.5, d.Resolve(Kg70).Value.Total.Milligrams, 12);
        var r = DoseExpression.AtRate(WeightNormalizedRate.FromMilligramsPerKilogramPerHour(0.35), Duration.FromHours(4));
        Assert.Equal(98, r.Resolve(Kg70).Value.Total.Milligrams, 9);
    }
}
