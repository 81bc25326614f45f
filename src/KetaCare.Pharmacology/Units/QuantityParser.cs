using System.Globalization;
using System.Text.RegularExpressions;

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
            return ParseResult<Quantity>.Fail($"{field}: a value with a unit is required, e.g. \"0.5 mg/kg\".");
        }

        var trimmed = text.Trim();
        var match = NumberAndUnit().Match(trimmed);
        if (!match.Success)
        {
            if (trimmed.Contains("NaN", StringComparison.OrdinalIgnoreCase) || trimmed.Contains("inf", StringComparison.OrdinalIgnoreCase))
            {
                return ParseResult<Quantity>.Fail($"{field}: \"{trimmed}\" is not a finite number.");
            }

            return ParseResult<Quantity>.Fail($"{field}: \"{trimmed}\" does not start with a number; write e.g. \"0.5 mg/kg\".");
        }

        var number = ParseNumber(match.Groups["num"].Value, field, trimmed);
        if (!number.IsSuccess)
        {
            return ParseResult<Quantity>.Fail(number.Error);
        }

        var unitText = match.Groups["unit"].Value.Trim(); // empty when the group did not match
        if (unitText.Length == 0)
        {
            return ParseResult<Quantity>.Fail($"{field}: \"{trimmed}\" has no unit; write e.g. \"{trimmed} mg\" or \"{trimmed} mg/kg\".");
        }

        var unit = ParseUnit(unitText, field);
        if (!unit.IsSuccess)
        {
            return ParseResult<Quantity>.Fail(unit.Error);
        }

        var (kind, factor) = unit.Value;
        var canonical = number.Value * factor;
        if (!double.IsFinite(canonical))
        {
            return ParseResult<Quantity>.Fail($"{field}: \"{trimmed}\" is too large to be a real value.");
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
            return ParseResult<Volume>.Fail(q.Error);
        }

        return q.Value.Canonical > 0
            ? ParseResult<Volume>.Ok(Volume.FromLiters(q.Value.Canonical))
            : ParseResult<Volume>.Fail($"{field}: a volume must be greater than 0.");
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
            return ParseResult<BodyWeight>.Fail(q.Error);
        }

        var kg = q.Value.Canonical;
        return kg is < BodyWeight.MinKilograms or > BodyWeight.MaxKilograms
            ? ParseResult<BodyWeight>.Fail(string.Create(CultureInfo.InvariantCulture, $"{field}: {SafeNumber.Format(kg)} kg is outside the allowed range {BodyWeight.MinKilograms}–{BodyWeight.MaxKilograms} kg."))
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
            return ParseResult<double>.Fail($"{field}: a number is required.");
        }

        if (s.Contains(',', StringComparison.Ordinal))
        {
            var suggestion = s.Count(c => c == ',') == 1 && !s.Contains('.', StringComparison.Ordinal) ? s.Replace(',', '.') : null;
            return ParseResult<double>.Fail(suggestion is null
                ? $"{field}: \"{whole}\" contains a comma; write numbers without thousands separators and with a point as the decimal separator."
                : $"{field}: \"{whole}\" uses a comma; the decimal separator is a point — did you mean {suggestion}? (a comma is never read as a decimal, to avoid 10× errors)");
        }

        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        if (s.StartsWith('.'))
        {
            return ParseResult<double>.Fail($"{field}: \"{whole}\" has no leading zero; write 0{s} (a naked decimal point is easily missed).");
        }

        if (!PlainNumber().IsMatch(s))
        {
            return ParseResult<double>.Fail($"{field}: \"{whole}\" is not a number.");
        }

        var value = double.Parse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            return ParseResult<double>.Fail($"{field}: \"{whole}\" is not a finite number.");
        }

        if (negative && value != 0)
        {
            if (!allowNegative)
            {
                return ParseResult<double>.Fail($"{field}: \"{whole}\" is negative; the value must be 0 or more.");
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
            return ParseResult<Quantity>.Fail($"{field}: \"{q.Value.Text}\" is a {Describe(q.Value.Kind)}, but a {Describe(kind)} is needed here, e.g. \"{example}\".");
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
            return Bad(unit, field, "has an empty part between slashes");
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

            return Bad(unit, field, "is not a known unit");
        }

        if (VolumeFactor(parts[0]) is { } flowVolume)
        {
            if (parts.Length == 2 && TimeFactor(parts[1]) is { } ft)
            {
                return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.FlowRate, flowVolume / ft));
            }

            return Bad(unit, field, "is not a known unit (a flow is written like mL/h)");
        }

        if (MassFactor(parts[0]) is not { } mass)
        {
            return Bad(unit, field, "is not a known unit");
        }

        if (VolumeFactor(parts[1]) is { } vol)
        {
            return parts.Length == 2
                ? ParseResult<(QuantityKind, double)>.Ok((QuantityKind.Concentration, mass / vol))
                : Bad(unit, field, "has too many parts for a concentration (write e.g. ng/mL)");
        }

        var perKg = string.Equals(parts[1], "kg", StringComparison.OrdinalIgnoreCase);
        var timeIndex = perKg ? 2 : 1;
        if (parts.Length == timeIndex)
        {
            return ParseResult<(QuantityKind, double)>.Ok((QuantityKind.DosePerKg, mass));
        }

        if (parts.Length > timeIndex + 1)
        {
            return Bad(unit, field, perKg
                ? "has more than one time denominator; a weight-normalised rate is written like mg/kg/h"
                : "has too many parts; a rate is written like mg/h or mg/kg/h");
        }

        if (TimeFactor(parts[timeIndex]) is not { } time)
        {
            return Bad(unit, field, $"ends in \"{parts[timeIndex]}\", which is not a time unit (s, min, h, d)");
        }

        return ParseResult<(QuantityKind, double)>.Ok((perKg ? QuantityKind.WeightNormalizedRate : QuantityKind.DoseRate, mass / time));
    }

    private static ParseResult<(QuantityKind, double)> Bad(string unit, string field, string why) =>
        ParseResult<(QuantityKind, double)>.Fail($"{field}: the unit \"{unit}\" {why}. Known units: mg, mcg, g, ng; mg/kg; mg/h, mg/min; mg/kg/h, mcg/kg/min; ng/mL, mg/L, mg/mL, µM; mL, L; mL/h; s, min, h, d.");
}
