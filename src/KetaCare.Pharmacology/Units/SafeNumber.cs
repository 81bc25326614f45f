using System.Globalization;

namespace KetaCare.Pharmacology.Units;

/// <summary>
/// Formats numbers for screens and reports after ISMP's safe-notation rules: always a leading zero
/// (0.5), never a trailing zero (5, not 5.0), no thousands separators that could be read as decimals.
/// </summary>
public static class SafeNumber
{
    /// <summary>Formats <paramref name="value"/> with at most <paramref name="significantDigits"/> significant digits.</summary>
    /// <param name="value">The number; NaN and infinities are written as such.</param>
    /// <param name="significantDigits">1–15; default 4.</param>
    public static string Format(double value, int significantDigits = 4) => FormatFor(CultureInfo.InvariantCulture, value, significantDigits);

    /// <summary>Formats for display in a user's culture (decimal comma in tr-TR, de-DE); never for text that is parsed again.</summary>
    /// <param name="culture">Culture for the decimal separator.</param>
    /// <param name="value">The number.</param>
    /// <param name="significantDigits">1–15; default 4.</param>
    public static string FormatFor(IFormatProvider culture, double value, int significantDigits = 4)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(culture);
        }

        if (value == 0)
        {
            return "0";
        }

        significantDigits = Math.Clamp(significantDigits, 1, 15);
        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        var decimals = Math.Clamp(significantDigits - 1 - magnitude, 0, 15);
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        // "0.############" keeps the leading zero and drops trailing zeros; no group separators.
        var pattern = decimals == 0 ? "0" : "0." + new string('#', decimals);
        return rounded.ToString(pattern, culture);
    }
}
