using KetaCare.Pharmacology;
using KetaCare.Pharmacology.Units;
using C = KetaCare.Pharmacology.EngineWarningCodes;

namespace KetaCare.Units.Tests;

/// <summary>
/// Every refusal of the unit parser carries its code and typed arguments, and its English text is exactly the code's
/// template filled with them: a face that translates the code says what the English says, with the same numbers.
/// </summary>
public class ParseCodeTests
{
    public static TheoryData<string, string, string, string> Refusals() => new()
    {
        // parser, text, code, "name=value;…" of the arguments
        { "quantity", " ", C.ParseValueRequired, "field=value" },
        { "quantity", "NaN mg", C.ParseNotFinite, "field=value;text=NaN mg" },
        { "quantity", "mg 5", C.ParseNoNumber, "field=value;text=mg 5" },
        { "quantity", "5", C.ParseNoUnit, "field=value;text=5" },
        { "quantity", "1e308 g", C.ParseTooLarge, "field=value;text=1e308 g" },
        { "quantity", "5 mg//h", C.UnitEmptyPart, "field=value;unit=mg//h" },
        { "quantity", "5 mgg", C.UnitUnknown, "field=value;unit=mgg" },
        { "quantity", "5 mL/kg", C.UnitUnknownFlow, "field=value;unit=mL/kg" },
        { "quantity", "5 mgg/kg", C.UnitUnknown, "field=value;unit=mgg/kg" },
        { "quantity", "5 ng/mL/h", C.UnitConcentrationParts, "field=value;unit=ng/mL/h" },
        { "quantity", "5 mg/kg/h/h", C.UnitWeightRateParts, "field=value;unit=mg/kg/h/h" },
        { "quantity", "5 mg/h/h", C.UnitRateParts, "field=value;unit=mg/h/h" },
        { "quantity", "5 mg/kg/x", C.UnitNotTime, "field=value;unit=mg/kg/x;part=x" },
        { "number", "", C.ParseNumberRequired, "field=value" },
        { "number", "1,000.5", C.ParseComma, "field=value;text=1,000.5" },
        { "number", "0,5", C.ParseDecimalComma, "field=value;text=0,5;suggestion=0.5" },
        { "number", ".5", C.ParseNoLeadingZero, "field=value;text=.5;suggestion=0.5" },
        { "number", "5x", C.ParseNotANumber, "field=value;text=5x" },
        { "number", "1e999", C.ParseNotFinite, "field=value;text=1e999" },
        { "number", "-2", C.ParseNegative, "field=value;text=-2" },
        { "duration", "5 mg", C.ParseWrongKind, "field=duration;text=5 mg;kind=dose (amount);needed=duration;example=60 min" },
        { "volume", "0 mL", C.ParseVolumeNotPositive, "field=volume" },
        { "weight", "700", C.ParseWeightOutOfRange, "field=weight;value=700 kg;min=0.3;max=500 kg" },
        { "dose", "", C.DoseRequired, "field=dose" },
        { "dose", "5 mg over 0 min", C.DoseZeroDuration, "field=dose;text=5 mg" },
        { "dose", "5 mg over 15 d", C.DoseTooLong, "field=dose;duration=15 d;max=14" },
        { "dose", "5 mg for 1 h", C.DoseAmountFor, "field=dose;text=5 mg for 1 h;quantity=5 mg" },
        { "dose", "5 mg/h over 1 h", C.DoseRateOver, "field=dose;text=5 mg/h over 1 h;quantity=5 mg/h" },
        { "dose", "5 ng/mL", C.DoseNotADose, "field=dose;text=5 ng/mL;kind=concentration" },
        { "dose", "0 mg", C.DoseZero, "field=dose;text=0 mg" },
        { "dose", "3 g", C.DoseImplausible, "field=dose;text=3 g;value=3000 mg;max=2000 mg" },
        { "dose", "25 mg/kg/h", C.DoseImplausible, "field=dose;text=25 mg/kg/h;value=25 mg/kg/h;max=20 mg/kg/h" },
        { "dose", "5 mg over x", C.ParseNoNumber, "field=dose duration;text=x" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refusal_CarriesItsCodeAndArguments_AndTheEnglishIsTheTemplateFilled(string parser, string text, string code, string args)
    {
        var (error, reason) = parser switch
        {
            "quantity" => Failed(QuantityParser.Parse(text)),
            "number" => Failed(QuantityParser.ParseNumber(text)),
            "duration" => Failed(QuantityParser.ParseDuration(text)),
            "volume" => Failed(QuantityParser.ParseVolume(text)),
            "weight" => Failed(QuantityParser.ParseBodyWeight(text)),
            _ => Failed(DoseExpression.Parse(text)),
        };

        Assert.NotNull(reason);
        Assert.Equal(code, reason.Code);
        Assert.Equal(args, string.Join(';', reason.Args.Select(a => a.Name + "=" + a.Invariant())));
        Assert.Equal(reason.Message, error);
        Assert.DoesNotContain("{", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TypedDose_OutOfRangeDuration_IsCoded()
    {
        var q = QuantityParser.Parse("5 mg").Value;
        var r = DoseExpression.Create(q, Duration.FromDays(15), "dose 2");
        Assert.Equal(C.DoseDurationOutOfRange, r.Reason!.Code);
        Assert.Equal("dose 2: a duration of 15 d is outside the allowed range of more than 0 min up to 14 days.", r.Error);
        Assert.Equal("dose 2", r.Reason.Arg("field")!.Text);
    }

    [Fact]
    public void OpenRate_ResolvedWithoutDuration_IsCoded()
    {
        var r = DoseExpression.Parse("0.5 mg/kg/h").Value.Resolve(BodyWeight.FromKilograms(70));
        Assert.Equal(C.DoseRateNeedsDuration, r.Reason!.Code);
        Assert.Equal("dose: the rate \"0.5 mg/kg/h\" needs a duration, e.g. \"0.5 mg/kg/h for 60 min\".", r.Error);
    }

    [Fact]
    public void PassedOnFailure_KeepsItsCode_AndAnUncodedOneHasNone()
    {
        var failed = QuantityParser.ParseMass("5 mgg", "dose 1");
        Assert.Equal(C.UnitUnknown, failed.Reason!.Code);
        Assert.Equal("dose 1", failed.Reason.Arg("field")!.Text);
        var passed = ParseResult<int>.Fail(failed);
        Assert.Equal((failed.Error, failed.Reason), (passed.Error, passed.Reason));
        Assert.Null(ParseResult<int>.Fail("plain").Reason);
        Assert.Equal("plain", ParseResult<int>.Fail("plain").Error);
        Assert.Throws<InvalidOperationException>(() => ParseResult<int>.Fail(ParseResult<string>.Ok("x")));
        Assert.Null(ParseResult<int>.Ok(1).Reason);
    }

    [Fact]
    public void UserText_IsNeverReadAsAPlaceholder()
    {
        var r = QuantityParser.Parse("5 {field}");
        Assert.Equal("value: the unit \"{field}\" is not a known unit.", r.Error![..r.Error!.IndexOf(" Known", StringComparison.Ordinal)]);
    }

    private static (string? Error, EngineWarning? Reason) Failed<T>(ParseResult<T> r)
    {
        Assert.False(r.IsSuccess);
        return (r.Error, r.Reason);
    }
}
