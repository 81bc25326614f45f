using System.Globalization;
using System.Text.RegularExpressions;

using C = KetaCare.Pharmacology.EngineWarningCodes;

namespace KetaCare.Pharmacology.Units;

/// <summary>What a piece of quantity text measures.</summary>
public enum QuantityKind
{
    /// <summary>An amount, e.g. "35 mg".</summary>
    Mass,

    /// <summary>A weight-normalised amount, e.g. "0.5 mg/kg".</summary>
    DosePerKg,

    /// <summary>An absolute rate, e.g. "25 mg/h".</summary>
    DoseRate,

    /// <summary>A weight-normalised rate, e.g. "0.5 mg/kg/h" or "7.2 mcg/kg/min".</summary>
    WeightNormalizedRate,

    /// <summary>A concentration, e.g. "150 ng/mL" or "0.6 µM".</summary>
    Concentration,

    /// <summary>A volume, e.g. "50 mL".</summary>
    Volume,

    /// <summary>A pump flow, e.g. "1200 mL/h".</summary>
    FlowRate,

    /// <summary>A duration, e.g. "60 min", "4 h", "10 d".</summary>
    Duration,

    /// <summary>A body weight, e.g. "70 kg".</summary>
    BodyWeight,
}

/// <summary>
/// Parses quantity text such as "0.5 mg/kg/h", "7.2 mcg/kg/min", "150 ng/mL", "60 min" with the
/// invariant culture whatever the process culture is. A comma is never a decimal separator here:
/// "0,5" is refused rather than guessed, because a guess is how 0.5 becomes 5.
/// </summary>
public static partial class QuantityParser
{
    /// <summary>A parsed quantity in canonical units (mg, L, min, mg/L, kg and their ratios).</summary>
    /// <param name="Kind">What it measures.</param>
    /// <param name="Canonical">The value in canonical units: mg, mg/kg, mg/min, mg/kg/min, mg/L, L, L/min, min, kg.</param>
    /// <param name="Text">The text it came from, trimmed.</param>
    public readonly record struct Quantity(QuantityKind Kind, double Canonical, string Text);

    [GeneratedRegex(@"^(?<num>[+\-]?[0-9.,]+(?:[eE][+\-]?[0-9]+)?)\s*(?<unit>\S.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberAndUnit();

    [GeneratedRegex(@"^[0-9]+(?:\.[0-9]+)?(?:[eE][+\-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();

    /// <summary>Parses one quantity of any kind.</summary>
    /// <param name="text">E.g. "0.5 mg/kg/h".</param>
    /// <param name="field">Name of the input field, used in error messages.</param>
    public static ParseResult<Quantity> Parse(string? text, string field = "value")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Refuse<Quantity>(C.ParseValueRequired, field);
        }

        var trimmed = text.Trim();
        var match = NumberAndUnit().Match(trimmed);
        if (!match.Success)
        {
            if (trimmed.Contains("NaN", StringComparison.OrdinalIgnoreCase) || trimmed.Contains("inf", StringComparison.OrdinalIgnoreCase))
            {
                return Refuse<Quantity>(C.ParseNotFinite, field, trimmed);
            }

            return Refuse<Quantity>(C.ParseNoNumber, field, trimmed);
        }

        var number = ParseNumber(match.Groups["num"].Value, field, trimmed);
        if (!number.IsSuccess)
        {
            return ParseResult<Quantity>.Fail(number);
        }

        var unitText = match.Groups["unit"].Value.Trim(); // empty when the group did not match
        if (unitText.Length == 0)
        {
            return Refuse<Quantity>(C.ParseNoUnit, field, trimmed);
        }

        var unit = ParseUnit(unitText, field);
        if (!unit.IsSuccess)
        {
            return ParseResult<Quantity>.Fail(unit);
        }

        var (kind, factor) = unit.Value;
        var canonical = number.Value * factor;
        if (!double.IsFinite(canonical))
        {
            return Refuse<Quantity>(C.ParseTooLarge, field, trimmed);
        }

        return ParseResult<Quantity>.Ok(new Quantity(kind, canonical, trimmed));
    }

    /// <summary>Parses a concentration ("150 ng/mL", "0.15 mg/L", "0.6 µM", "1 mg/mL").</summary>
    public static ParseResult<Concentration> ParseConcentration(string? text, string field = "concentration") =>
        ParseKind(text, field, QuantityKind.Concentration, "150 ng/mL").Select(q => Concentration.FromMilligramsPerLiter(q.Canonical));

    /// <summary>Parses a duration ("60 min", "4 h", "24h", "10 d", "30 s").</summary>
    public static ParseResult<Duration> ParseDuration(string? text, string field = "duration") =>
        ParseKind(text, field, QuantityKind.Duration, "60 min").Select(q => Duration.FromMinutes(q.Canonical));

    /// <summary>Parses an amount ("35 mg", "250 mcg").</summary>
    public static ParseResult<Mass> ParseMass(string? text, string field = "amount") =>
        ParseKind(text, field, QuantityKind.Mass, "35 mg").Select(q => Mass.FromMilligrams(q.Canonical));

    /// <summary>Parses a pump flow ("1200 mL/h").</summary>
    public static ParseResult<FlowRate> ParseFlowRate(string? text, string field = "flow rate") =>
        ParseKind(text, field, QuantityKind.FlowRate, "1200 mL/h").Select(q => FlowRate.FromLitersPerMinute(q.Canonical));

    /// <summary>Parses a volume ("50 mL", "0.5 L").</summary>
    public static ParseResult<Volume> ParseVolume(string? text, string field = "volume")
    {
        var q = ParseKind(text, field, QuantityKind.Volume, "50 mL");
        if (!q.IsSuccess)
        {
            return ParseResult<Volume>.Fail(q);
        }

        return q.Value.Canonical > 0
            ? ParseResult<Volume>.Ok(Volume.FromLiters(q.Value.Canonical))
            : Refuse<Volume>(C.ParseVolumeNotPositive, field);
    }

    /// <summary>Parses a body weight; a bare number is read as kg ("70" or "70 kg"), range 0.3–500 kg.</summary>
    public static ParseResult<BodyWeight> ParseBodyWeight(string? text, string field = "weight")
    {
        var t = text?.Trim() ?? string.Empty;
        if (PlainNumber().IsMatch(t))
        {
            t += " kg";
        }

        var q = ParseKind(t, field, QuantityKind.BodyWeight, "70 kg");
        if (!q.IsSuccess)
        {
            return ParseResult<BodyWeight>.Fail(q);
        }

        var kg = q.Value.Canonical;
        return kg is < BodyWeight.MinKilograms or > BodyWeight.MaxKilograms
            ? ParseResult<BodyWeight>.Fail(EngineWarning.Of(C.ParseWeightOutOfRange, Field(field), WarningArg.Of("value", kg, "kg"), WarningArg.Of("min", BodyWeight.MinKilograms), WarningArg.Of("max", BodyWeight.MaxKilograms, "kg")))
            : ParseResult<BodyWeight>.Ok(BodyWeight.FromKilograms(kg));
    }

    /// <summary>Parses a plain number with the invariant culture; refuses commas, naked decimals, NaN and infinities.</summary>
    /// <param name="text">E.g. "0.5".</param>
    /// <param name="field">Name of the input field, used in error messages.</param>
    /// <param name="allowNegative">Whether a minus sign is allowed.</param>
    public static ParseResult<double> ParseNumber(string? text, string field = "value", bool allowNegative = false)
    {
        var raw = text ?? string.Empty;
        return ParseNumber(raw, field, raw, allowNegative);
    }

    private static ParseResult<double> ParseNumber(string raw, string field, string whole, bool allowNegative = false)
    {
        var s = raw.Trim();
        if (s.Length == 0)
        {
            return Refuse<double>(C.ParseNumberRequired, field);
        }

        if (s.Contains(',', StringComparison.Ordinal))
        {
            var suggestion = s.Count(c => c == ',') == 1 && !s.Contains('.', StringComparison.Ordinal) ? s.Replace(',', '.') : null;
            return suggestion is null
                ? Refuse<double>(C.ParseComma, field, whole)
                : ParseResult<double>.Fail(EngineWarning.Of(C.ParseDecimalComma, Field(field), Given(whole), WarningArg.Of("suggestion", suggestion)));
        }

        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        if (s.StartsWith('.'))
        {
            return ParseResult<double>.Fail(EngineWarning.Of(C.ParseNoLeadingZero, Field(field), Given(whole), WarningArg.Of("suggestion", "0" + s)));
        }

        if (!PlainNumber().IsMatch(s))
        {
            return Refuse<double>(C.ParseNotANumber, field, whole);
        }

        var value = double.Parse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            return Refuse<double>(C.ParseNotFinite, field, whole);
        }

        if (negative && value != 0)
        {
            if (!allowNegative)
            {
                return Refuse<double>(C.ParseNegative, field, whole);
            }

            value = -value;
        }

        return ParseResult<double>.Ok(value);
    }

    private static ParseResult<Quantity> ParseKind(string? text, string field, QuantityKind kind, string example)
    {
        var q = Parse(text, field);
        if (!q.IsSuccess)
        {
            return q;
        }

        if (q.Value.Kind != kind)
        {
            return ParseResult<Quantity>.Fail(EngineWarning.Of(C.ParseWrongKind, Field(field), Given(q.Value.Text), WarningArg.Of("kind", Describe(q.Value.Kind)), WarningArg.Of("needed", Describe(kind)), WarningArg.Of("example", example)));
        }

        return q;
    }

    internal static string Describe(QuantityKind kind) => kind switch
    {
        QuantityKind.Mass => "dose (amount)",
        QuantityKind.DosePerKg => "dose per kg",
        QuantityKind.DoseRate => "dose rate",
        QuantityKind.WeightNormalizedRate => "weight-normalised rate",
        QuantityKind.Concentration => "concentration",
        QuantityKind.Volume => "volume",
        QuantityKind.FlowRate => "flow rate",
        QuantityKind.Duration => "duration",
        QuantityKind.BodyWeight => "body weight",
        _ => kind.ToString(),
    };

    // The unit tables are switch expressions rather than static dictionaries: a static table is built once per process,
    // so a test run that swaps definitions within one process (mutation testing does) could never see a changed
    // factor; every alias below is pinned by the unit tests. Factors are to mg, L and min.
    private static double? MassFactor(string unit) => unit.ToLowerInvariant() switch
    {
        "mg" => 1,
        "g" => 1000,
        "mcg" or "µg" or "μg" or "ug" => 1e-3,
        "ng" => 1e-6,
        _ => null,
    };

    private static double? VolumeFactor(string unit) => unit.ToLowerInvariant() switch
    {
        "l" => 1,
        "ml" => 1e-3,
        "dl" => 0.1,
        _ => null,
    };

    private static double? TimeFactor(string unit) => unit.ToLowerInvariant() switch
    {
        "s" or "sec" => 1.0 / 60,
        "min" or "mins" or "minute" or "minutes" => 1,
        "h" or "hr" or "hrs" or "hour" or "hours" => 60,
        "d" or "day" or "days" => 1440,
        "wk" or "week" or "weeks" => 10080,
        _ => null,
    };

    // Molar units are case-sensitive: "mM" and "mm" must not be confused.
    private static double? MolarFactor(string unit) => unit switch
    {
        "µM" or "μM" or "uM" => 1,
        "nM" => 1e-3,
        _ => null,
    };

    private static ParseResult<(QuantityKind Kind, double Factor)> ParseUnit(string unit, string field)
    {
        var compact = unit.Replace(" ", string.Empty, StringComparison.Ordinal);
        var parts = compact.Split('/');
        if (parts.Any(p => p.Length == 0))
        {
            return Bad(C.UnitEmptyPart, unit, field);
        }

        if (parts.Length == 1)
        {
            var p = parts[0];
            if (MassFactor(p) is { } m)
            {
                return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.Mass, m));
            }

            if (MolarFactor(p) is { } mol)
            {
                // µmol/L → mg/L of ketamine (MW 237.73 g/mol; clinical-reference: Units and constants (units)).
                return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.Concentration, mol * MolarMass.Ketamine.GramsPerMole / 1000.0));
            }

            if (VolumeFactor(p) is { } v)
            {
                return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.Volume, v));
            }

            if (TimeFactor(p) is { } t)
            {
                return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.Duration, t));
            }

            if (string.Equals(p, "kg", StringComparison.OrdinalIgnoreCase))
            {
                return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.BodyWeight, 1));
            }

            return Bad(C.UnitUnknown, unit, field);
        }

        if (VolumeFactor(parts[0]) is { } flowVolume)
        {
            if (parts.Length == 2 && TimeFactor(parts[1]) is { } ft)
            {
                return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.FlowRate, flowVolume / ft));
            }

            return Bad(C.UnitUnknownFlow, unit, field);
        }

        if (MassFactor(parts[0]) is not { } mass)
        {
            return Bad(C.UnitUnknown, unit, field);
        }

        if (VolumeFactor(parts[1]) is { } vol)
        {
            return parts.Length == 2
                ? ParseResult<(QuantityKind, double)>.Ok((QuantityKind.Concentration, mass / vol))
                : Bad(C.UnitConcentrationParts, unit, field);
        }

        var perKg = string.Equals(parts[1], "kg", StringComparison.OrdinalIgnoreCase);
        var timeIndex = perKg ? 2 : 1;
        if (parts.Length == timeIndex)
        {
            return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.DosePerKg, mass));
        }

        if (parts.Length > timeIndex + 1)
        {
            return Bad(perKg ? C.UnitWeightRateParts : C.UnitRateParts, unit, field);
        }

        if (TimeFactor(parts[timeIndex]) is not { } time)
        {
            return ParseResult<(QuantityKind, double)>.Fail(EngineWarning.Of(C.UnitNotTime, Field(field), WarningArg.Of("unit", unit), WarningArg.Of("part", parts[timeIndex])));
        }

        return ParseResult<(QuantityKind, double)>.Ok((perKg ? QuantityKind.WeightNormalizedRate : QuantityKind.DoseRate, mass / time));
    }

    private static ParseResult<(QuantityKind, double)> Bad(string code, string unit, string field) =>
        ParseResult<(QuantityKind, double)>.Fail(EngineWarning.Of(code, Field(field), WarningArg.Of("unit", unit)));

    /// <summary>The field argument of a refusal: the name of the input, which faces translate.</summary>
    internal static WarningArg Field(string field) => WarningArg.Of("field", field);

    /// <summary>The text the user gave, quoted back as it was.</summary>
    internal static WarningArg Given(string text) => WarningArg.Of("text", text);

    // A refusal whose arguments are the field and, when given, the text.
    internal static ParseResult<T> Refuse<T>(string code, string field, string? text = null) =>
        ParseResult<T>.Fail(text is null ? EngineWarning.Of(code, Field(field)) : EngineWarning.Of(code, Field(field), Given(text)));
}
