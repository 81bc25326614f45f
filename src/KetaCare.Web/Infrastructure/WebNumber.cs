using System.Globalization;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// Numbers typed into forms and shown on pages. Display follows the user's culture (0,5 in Turkish, 0.5 in English)
/// with ISMP's safe notation (leading zero, no trailing zero). Parsing is built so that no culture can misread a
/// dose: the one decimal separator may be written as a point or a comma, digit grouping is never accepted, and a
/// number that one culture reads as a decimal and another as thousands ("1.500", "1,500") is refused as ambiguous
/// — the hazard is a dose read 1,000 times too large or too small.
/// </summary>
public static class WebNumber
{
    /// <summary>Shows <paramref name="value"/> in the current culture with up to <paramref name="significantDigits"/> significant digits.</summary>
    public static string Show(double value, int significantDigits = 4) => SafeNumber.FormatFor(CultureInfo.CurrentCulture, value, significantDigits);

    /// <summary>Parses a whole number (a score, a count, mmHg) with the rules of <see cref="TryParse"/>; "7.5" is refused, not rounded.</summary>
    public static bool TryParseWhole(string? text, string field, int min, int max, out int value, out string? error)
    {
        value = 0;
        if (!TryParse(text, field, min, max, out var v, out error))
        {
            return false;
        }

        if (v != Math.Floor(v))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{field}: {Show(v)} is not a whole number ({min} to {max}).");
            return false;
        }

        value = (int)v;
        return true;
    }

    /// <summary>Parses a number typed by a user; the error names <paramref name="field"/> and the allowed range.</summary>
    /// <param name="text">What was typed.</param>
    /// <param name="field">The field's name as shown to the user.</param>
    /// <param name="min">Smallest allowed value (inclusive).</param>
    /// <param name="max">Largest allowed value (inclusive).</param>
    /// <param name="value">The number when valid.</param>
    /// <param name="error">Why not, naming the field and the range.</param>
    public static bool TryParse(string? text, string field, double min, double max, out double value, out string? error)
    {
        value = double.NaN;
        var range = string.Create(CultureInfo.InvariantCulture, $"{Show(min)} to {Show(max)}");
        var t = (text ?? string.Empty).Trim();
        if (t.Length == 0)
        {
            error = $"{field}: required ({range}).";
            return false;
        }

        var separators = t.Count(c => c is '.' or ',');
        var sepIndex = t.IndexOfAny(['.', ',']);
        if (separators > 1)
        {
            error = $"{field}: \"{t}\" has more than one decimal separator; write digits with at most one point or comma and no thousands separators ({range}).";
            return false;
        }

        if (t.Any(c => !(char.IsAsciiDigit(c) || c is '.' or ',' or '-')) || t.LastIndexOf('-') > 0)
        {
            error = $"{field}: \"{t}\" is not a number ({range}).";
            return false;
        }

        // "1.500" is 1.5 in English and 1500 in Turkish; "1,500" the reverse. Refuse rather than guess.
        if (separators == 1 && t.Length - sepIndex - 1 == 3 && t.TrimStart('-')[0] != '0' && sepIndex > 0)
        {
            error = $"{field}: \"{t}\" could mean {t.Replace(',', '.')} or {t.Replace(".", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal)} depending on the language; write it without a thousands separator, or with fewer decimals ({range}).";
            return false;
        }

        if (separators == 1 && (sepIndex == 0 || sepIndex == t.Length - 1 || (sepIndex == 1 && t[0] == '-')))
        {
            error = $"{field}: \"{t}\" needs digits on both sides of the decimal separator, e.g. 0.5 ({range}).";
            return false;
        }

        if (!double.TryParse(t.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            error = $"{field}: \"{t}\" is not a number ({range}).";
            return false;
        }

        if (v < min || v > max)
        {
            error = $"{field}: {Show(v)} is outside the allowed range {range}.";
            return false;
        }

        value = v;
        error = null;
        return true;
    }
}
