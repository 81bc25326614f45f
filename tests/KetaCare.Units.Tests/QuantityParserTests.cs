using System.Globalization;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Units.Tests;

public class QuantityParserTests
{
    [Theory]
    [InlineData("150 ng/mL", 0.15)]
    [InlineData("150ng/mL", 0.15)]
    [InlineData("0.15 mg/L", 0.15)]
    [InlineData("0.15 mcg/mL", 0.15)]
    [InlineData("150 µg/L", 0.15)]
    [InlineData("1 mg/mL", 1000)]
    [InlineData("2.5e2 ng/mL", 0.25)]
    public void ParseConcentration_KnownUnits_CanonicalMgPerLiter(string text, double mgPerL)
    {
        var c = QuantityParser.ParseConcentration(text).Value;
        Assert.Equal(mgPerL, c.MilligramsPerLiter, 12);
    }

    [Theory]
    [InlineData("1 µM")]
    [InlineData("1 μM")]
    [InlineData("1 uM")]
    [InlineData("1000 nM")]
    public void ParseConcentration_Micromolar_UsesKetamineMolarMass(string text)
    {
        // clinical-reference: Units and constants (units): 1 µM = 237.7 ng/mL (MW 237.73 g/mol).
        var c = QuantityParser.ParseConcentration(text).Value;
        Assert.Equal(237.73, c.NanogramsPerMilliliter, 2);
    }

    [Theory]
    [InlineData("60 min", 60)]
    [InlineData("1 h", 60)]
    [InlineData("24h", 1440)]
    [InlineData("30 s", 0.5)]
    [InlineData("10 d", 14400)]
    [InlineData("2 weeks", 20160)]
    public void ParseDuration_Units_Minutes(string text, double minutes) =>
        Assert.Equal(minutes, QuantityParser.ParseDuration(text).Value.Minutes, 12);

    [Theory]
    [InlineData("0,5 mg/kg", "comma")]
    [InlineData("1,000 mg", "comma")]
    [InlineData(".5 mg", "leading zero")]
    [InlineData("-5 mg", "negative")]
    [InlineData("NaN mg", "finite")]
    [InlineData("Infinity ng/mL", "finite")]
    [InlineData("5 mg/kg/h/h", "more than one time denominator")]
    [InlineData("5 mg/h/min", "too many parts")]
    [InlineData("5 furlongs", "not a known unit")]
    [InlineData("5", "no unit")]
    [InlineData("", "required")]
    [InlineData("mg", "does not start with a number")]
    [InlineData("5 mg/kg/fortnight", "not a time unit")]
    [InlineData("1e999 mg", "finite")]
    public void Parse_BadText_ErrorSaysWhy(string text, string expected)
    {
        var r = QuantityParser.Parse(text, "dose");
        Assert.False(r.IsSuccess);
        Assert.Contains(expected, r.Error, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("dose:", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CommaDecimal_SuggestsPointNeverGuesses()
    {
        // Hazard: "0,5" read as 5 (or 05) in a comma-decimal culture is a 10× overdose.
        var r = QuantityParser.Parse("0,5 mg/kg", "dose");
        Assert.Contains("did you mean 0.5", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("ar-SA")]
    public void Parse_UnderCommaDecimalCulture_ReadsPointAsDecimal(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            Assert.Equal(0.5, QuantityParser.Parse("0.5 mg/kg").Value.Canonical, 15);
            Assert.False(QuantityParser.Parse("0,5 mg/kg").IsSuccess);
            Assert.Equal("0.5 mg", Mass.FromMilligrams(0.5).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void ParseKind_WrongDimension_NamesBoth()
    {
        var r = QuantityParser.ParseConcentration("5 mg/kg", "target");
        Assert.Contains("dose per kg", r.Error, StringComparison.Ordinal);
        Assert.Contains("concentration", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("70", 70)]
    [InlineData("70 kg", 70)]
    public void ParseBodyWeight_BareNumberIsKg(string text, double kg) =>
        Assert.Equal(kg, QuantityParser.ParseBodyWeight(text).Value.Kilograms);

    [Fact]
    public void ParseBodyWeight_MassUnit_IsRefused()
    {
        // A drug amount typed into the weight field must not become a weight.
        var r = QuantityParser.ParseBodyWeight("3500 g");
        Assert.False(r.IsSuccess);
        Assert.Contains("body weight", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 kg")]
    [InlineData("0.2")]
    [InlineData("600")]
    public void ParseBodyWeight_OutOfRange_NamesRange(string text)
    {
        var r = QuantityParser.ParseBodyWeight(text);
        Assert.False(r.IsSuccess);
        Assert.Contains("0.3–500 kg", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFlowRate_MlPerHour()
    {
        Assert.Equal(1200, QuantityParser.ParseFlowRate("1200 mL/h").Value.MillilitersPerHour, 9);
        Assert.Equal(60, QuantityParser.ParseFlowRate("1 mL/min").Value.MillilitersPerHour, 9);
    }

    [Fact]
    public void ParseNumber_AllowNegative_OnlyWhenAsked()
    {
        Assert.False(QuantityParser.ParseNumber("-1").IsSuccess);
        Assert.Equal(-1.5, QuantityParser.ParseNumber("-1.5", allowNegative: true).Value);
    }
}
