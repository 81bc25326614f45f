using KetaCare.Pharmacology.Units;

namespace KetaCare.Units.Tests;

/// <summary>
/// Every unit the parser knows with its factor to the canonical unit, and each refusal with the whole sentence the
/// user reads (it names the field, repeats what was typed and says what to write instead).
/// </summary>
public class QuantityParserUnitTests
{
    private const string KnownUnits = "Known units: mg, mcg, g, ng; mg/kg; mg/h, mg/min; mg/kg/h, mcg/kg/min; ng/mL, mg/L, mg/mL, µM; mL, L; mL/h; s, min, h, d.";

    private static QuantityParser.Quantity Q(string text) => QuantityParser.Parse(text).Value;

    private static string? Error(string text) => QuantityParser.Parse(text, "dose").Error;

    [Theory]
    [InlineData("2 mg", QuantityKind.Mass, 2)]
    [InlineData("2 MG", QuantityKind.Mass, 2)]
    [InlineData("2 g", QuantityKind.Mass, 2000)]
    [InlineData("2 mcg", QuantityKind.Mass, 2e-3)]
    [InlineData("2 µg", QuantityKind.Mass, 2e-3)]
    [InlineData("2 μg", QuantityKind.Mass, 2e-3)]
    [InlineData("2 ug", QuantityKind.Mass, 2e-3)]
    [InlineData("2 ng", QuantityKind.Mass, 2e-6)]
    [InlineData("2 L", QuantityKind.Volume, 2)]
    [InlineData("2 mL", QuantityKind.Volume, 2e-3)]
    [InlineData("2 dL", QuantityKind.Volume, 0.2)]
    [InlineData("2 s", QuantityKind.Duration, 2.0 / 60)]
    [InlineData("2 sec", QuantityKind.Duration, 2.0 / 60)]
    [InlineData("2 min", QuantityKind.Duration, 2)]
    [InlineData("2 mins", QuantityKind.Duration, 2)]
    [InlineData("2 minute", QuantityKind.Duration, 2)]
    [InlineData("2 minutes", QuantityKind.Duration, 2)]
    [InlineData("2 h", QuantityKind.Duration, 120)]
    [InlineData("2 hr", QuantityKind.Duration, 120)]
    [InlineData("2 hrs", QuantityKind.Duration, 120)]
    [InlineData("2 hour", QuantityKind.Duration, 120)]
    [InlineData("2 hours", QuantityKind.Duration, 120)]
    [InlineData("2 d", QuantityKind.Duration, 2880)]
    [InlineData("2 day", QuantityKind.Duration, 2880)]
    [InlineData("2 days", QuantityKind.Duration, 2880)]
    [InlineData("2 wk", QuantityKind.Duration, 20160)]
    [InlineData("2 week", QuantityKind.Duration, 20160)]
    [InlineData("2 kg", QuantityKind.BodyWeight, 2)]
    [InlineData("2 KG", QuantityKind.BodyWeight, 2)]
    [InlineData("2 mg/kg", QuantityKind.DosePerKg, 2)]
    [InlineData("2 mg/KG", QuantityKind.DosePerKg, 2)]
    [InlineData("120 mg/h", QuantityKind.DoseRate, 2)]
    [InlineData("2 mg/min", QuantityKind.DoseRate, 2)]
    [InlineData("120 mg/kg/h", QuantityKind.WeightNormalizedRate, 2)]
    [InlineData("2 mg / kg / min", QuantityKind.WeightNormalizedRate, 2)]
    [InlineData("2 mg/dL", QuantityKind.Concentration, 20)]
    [InlineData("2 g/L", QuantityKind.Concentration, 2000)]
    [InlineData("120 mL/h", QuantityKind.FlowRate, 2e-3)]
    [InlineData("2 L/min", QuantityKind.FlowRate, 2)]
    [InlineData("+2 mg", QuantityKind.Mass, 2)]
    [InlineData("2e3 mg", QuantityKind.Mass, 2000)]
    [InlineData("2E-3 g", QuantityKind.Mass, 2)]
    public void Parse_KnownUnit_KindAndCanonicalValue(string text, QuantityKind kind, double canonical)
    {
        var q = Q(text);

        Assert.Equal(kind, q.Kind);
        Assert.Equal(canonical, q.Canonical, canonical * 1e-12);
    }

    [Fact]
    public void Parse_Nanomolar_AThousandthOfMicromolar()
    {
        Assert.Equal(QuantityKind.Concentration, Q("2 nM").Kind);
        Assert.Equal(Q("2 µM").Canonical / 1000, Q("2 nM").Canonical, 1e-15);
    }

    [Fact]
    public void Parse_SurroundingSpace_TextIsTrimmed() => Assert.Equal("35 mg", Q("  35 mg \t").Text);

    [Theory]
    [InlineData(null, "dose: a value with a unit is required, e.g. \"0.5 mg/kg\".")]
    [InlineData("   ", "dose: a value with a unit is required, e.g. \"0.5 mg/kg\".")]
    [InlineData("NaN mg", "dose: \"NaN mg\" is not a finite number.")]
    [InlineData("nan mg", "dose: \"nan mg\" is not a finite number.")]
    [InlineData("-Infinity mg", "dose: \"-Infinity mg\" is not a finite number.")]
    [InlineData("INF mg", "dose: \"INF mg\" is not a finite number.")]
    [InlineData("mg 5", "dose: \"mg 5\" does not start with a number; write e.g. \"0.5 mg/kg\".")]
    [InlineData("5", "dose: \"5\" has no unit; write e.g. \"5 mg\" or \"5 mg/kg\".")]
    [InlineData("1e308 g", "dose: \"1e308 g\" is too large to be a real value.")]
    [InlineData("1e999 mg", "dose: \"1e999 mg\" is not a finite number.")]
    [InlineData("0,5 mg", "dose: \"0,5 mg\" uses a comma; the decimal separator is a point — did you mean 0.5? (a comma is never read as a decimal, to avoid 10× errors)")]
    [InlineData("1,000.5 mg", "dose: \"1,000.5 mg\" contains a comma; write numbers without thousands separators and with a point as the decimal separator.")]
    [InlineData("1,000,000 mg", "dose: \"1,000,000 mg\" contains a comma; write numbers without thousands separators and with a point as the decimal separator.")]
    [InlineData(".5 mg", "dose: \".5 mg\" has no leading zero; write 0.5 (a naked decimal point is easily missed).")]
    [InlineData("-5 mg", "dose: \"-5 mg\" is negative; the value must be 0 or more.")]
    [InlineData("5. mg", "dose: \"5. mg\" is not a number.")]
    [InlineData("1.2.3 mg", "dose: \"1.2.3 mg\" is not a number.")]
    public void Parse_Refused_TheWholeSentence(string? text, string error) => Assert.Equal(error, QuantityParser.Parse(text, "dose").Error);

    [Fact]
    public void Parse_NoField_CallsItValue() =>
        Assert.Equal("value: a value with a unit is required, e.g. \"0.5 mg/kg\".", QuantityParser.Parse("").Error);

    [Theory]
    [InlineData("5 furlongs", "furlongs", "is not a known unit")]
    [InlineData("5 mm", "mm", "is not a known unit")] // molar units are case-sensitive: millimetres are not millimolar
    [InlineData("5 UM", "UM", "is not a known unit")]
    [InlineData("5 mg//h", "mg//h", "has an empty part between slashes")]
    [InlineData("5 mg/", "mg/", "has an empty part between slashes")]
    [InlineData("5 mL/kg", "mL/kg", "is not a known unit (a flow is written like mL/h)")]
    [InlineData("5 mL/h/kg", "mL/h/kg", "is not a known unit (a flow is written like mL/h)")]
    [InlineData("5 kg/h", "kg/h", "is not a known unit")]
    [InlineData("5 mg/mL/h", "mg/mL/h", "has too many parts for a concentration (write e.g. ng/mL)")]
    [InlineData("5 mg/kg/h/h", "mg/kg/h/h", "has more than one time denominator; a weight-normalised rate is written like mg/kg/h")]
    [InlineData("5 mg/h/min", "mg/h/min", "has too many parts; a rate is written like mg/h or mg/kg/h")]
    [InlineData("5 mg/kg/fortnight", "mg/kg/fortnight", "ends in \"fortnight\", which is not a time unit (s, min, h, d)")]
    [InlineData("5 mg/fortnight", "mg/fortnight", "ends in \"fortnight\", which is not a time unit (s, min, h, d)")]
    public void Parse_UnknownOrMalformedUnit_SaysWhyAndListsTheKnownUnits(string text, string unit, string why) =>
        Assert.Equal($"dose: the unit \"{unit}\" {why}. {KnownUnits}", Error(text));

    [Theory]
    [InlineData("1", 1)]
    [InlineData(" 2.5 ", 2.5)]
    [InlineData("+3", 3)]
    [InlineData("-0", 0)] // minus zero is zero, not a negative value
    [InlineData("1e3", 1000)]
    [InlineData("1E-3", 0.001)]
    public void ParseNumber_Valid_Value(string text, double value) => Assert.Equal(value, QuantityParser.ParseNumber(text).Value);

    [Theory]
    [InlineData(null, "value: a number is required.")]
    [InlineData(" ", "value: a number is required.")]
    [InlineData("1,5", "value: \"1,5\" uses a comma; the decimal separator is a point — did you mean 1.5? (a comma is never read as a decimal, to avoid 10× errors)")]
    [InlineData("-.5", "value: \"-.5\" has no leading zero; write 0.5 (a naked decimal point is easily missed).")]
    [InlineData("abc", "value: \"abc\" is not a number.")]
    [InlineData("1e400", "value: \"1e400\" is not a finite number.")]
    [InlineData("-2", "value: \"-2\" is negative; the value must be 0 or more.")]
    public void ParseNumber_Refused_TheWholeSentence(string? text, string error) => Assert.Equal(error, QuantityParser.ParseNumber(text).Error);

    [Theory]
    [InlineData("-2", -2)]
    [InlineData("-0.25", -0.25)]
    [InlineData("+2", 2)]
    public void ParseNumber_NegativeAllowed_SignKept(string text, double value) =>
        Assert.Equal(value, QuantityParser.ParseNumber(text, allowNegative: true).Value);

    [Fact]
    public void ParseKind_EachParser_DefaultFieldAndExampleInTheWrongKindSentence()
    {
        Assert.Equal("concentration: \"5 mg/kg\" is a dose per kg, but a concentration is needed here, e.g. \"150 ng/mL\".", QuantityParser.ParseConcentration("5 mg/kg").Error);
        Assert.Equal("duration: \"5 mg\" is a dose (amount), but a duration is needed here, e.g. \"60 min\".", QuantityParser.ParseDuration("5 mg").Error);
        Assert.Equal("amount: \"5 min\" is a duration, but a dose (amount) is needed here, e.g. \"35 mg\".", QuantityParser.ParseMass("5 min").Error);
        Assert.Equal("flow rate: \"5 mL\" is a volume, but a flow rate is needed here, e.g. \"1200 mL/h\".", QuantityParser.ParseFlowRate("5 mL").Error);
        Assert.Equal("volume: \"5 mL/h\" is a flow rate, but a volume is needed here, e.g. \"50 mL\".", QuantityParser.ParseVolume("5 mL/h").Error);
        Assert.Equal("weight: \"5 mg/h\" is a dose rate, but a body weight is needed here, e.g. \"70 kg\".", QuantityParser.ParseBodyWeight("5 mg/h").Error);
        Assert.Equal("rate: \"5 mg/kg/h\" is a weight-normalised rate, but a duration is needed here, e.g. \"60 min\".", QuantityParser.ParseDuration("5 mg/kg/h", "rate").Error);
    }

    [Theory]
    [InlineData(QuantityKind.Mass, "dose (amount)")]
    [InlineData(QuantityKind.DosePerKg, "dose per kg")]
    [InlineData(QuantityKind.DoseRate, "dose rate")]
    [InlineData(QuantityKind.WeightNormalizedRate, "weight-normalised rate")]
    [InlineData(QuantityKind.Concentration, "concentration")]
    [InlineData(QuantityKind.Volume, "volume")]
    [InlineData(QuantityKind.FlowRate, "flow rate")]
    [InlineData(QuantityKind.Duration, "duration")]
    [InlineData(QuantityKind.BodyWeight, "body weight")]
    [InlineData((QuantityKind)99, "99")]
    public void Describe_EveryKind(QuantityKind kind, string words) => Assert.Equal(words, QuantityParser.Describe(kind));

    [Fact]
    public void ParseTyped_Values_InTheirUnits()
    {
        Assert.Equal(35, QuantityParser.ParseMass("35 mg").Value.Milligrams, 12);
        Assert.Equal(240, QuantityParser.ParseDuration("4 h").Value.Minutes, 12);
        Assert.Equal(0.15, QuantityParser.ParseConcentration("150 ng/mL").Value.MilligramsPerLiter, 12);
        Assert.Equal(50, QuantityParser.ParseVolume("50 mL").Value.Milliliters, 9);
        Assert.Equal(120, QuantityParser.ParseFlowRate("2 mL/min").Value.MillilitersPerHour, 9);
    }

    [Fact]
    public void ParseVolume_Zero_RefusedAsNotGreaterThanZero()
    {
        Assert.Equal("volume: a volume must be greater than 0.", QuantityParser.ParseVolume("0 mL").Error);
        Assert.Equal("bag: a volume must be greater than 0.", QuantityParser.ParseVolume("0 L", "bag").Error);
    }

    [Theory]
    [InlineData("0.3", 0.3)]
    [InlineData("500", 500)]
    [InlineData(" 70.5 ", 70.5)]
    [InlineData("7e1", 70)]
    [InlineData("70 KG", 70)]
    public void ParseBodyWeight_InRange_Kilograms(string text, double kg) => Assert.Equal(kg, QuantityParser.ParseBodyWeight(text).Value.Kilograms, 12);

    [Theory]
    [InlineData("0.29", "weight: 0.29 kg is outside the allowed range 0.3–500 kg.")]
    [InlineData("500.1 kg", "weight: 500.1 kg is outside the allowed range 0.3–500 kg.")]
    [InlineData(null, "weight: a value with a unit is required, e.g. \"0.5 mg/kg\".")]
    [InlineData("-70", "weight: \"-70\" is negative; the value must be 0 or more.")]
    [InlineData("70,5", "weight: \"70,5\" uses a comma; the decimal separator is a point — did you mean 70.5? (a comma is never read as a decimal, to avoid 10× errors)")]
    public void ParseBodyWeight_Refused_TheWholeSentence(string? text, string error) => Assert.Equal(error, QuantityParser.ParseBodyWeight(text).Error);
}
