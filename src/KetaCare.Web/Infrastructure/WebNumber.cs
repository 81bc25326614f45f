using System.Globalization;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Units;
using Microsoft.Extensions.Localization;

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

    /// <summary>A number with its unit in the user's language: "48 mL/sa" in Turkish, "48 mL/h" in English.</summary>
    public static string Show(double value, string unit, int significantDigits = 4) => TextFormat.Quantity(value, unit, CultureInfo.CurrentCulture, significantDigits);

    /// <summary>A unit in the user's language ("mg/kg/h" → "mg/kg/sa" in Turkish).</summary>
    public static string Unit(string unit) => TextFormat.Unit(unit, CultureInfo.CurrentCulture);

    // Messages in the user's language; the field's name comes translated by the caller.
    private static IStringLocalizer Texts => Strings.For(CultureInfo.CurrentUICulture);

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
            error = Texts["{0}: {1} is not a whole number ({2} to {3}).", field, Show(v), Show(min), Show(max)];
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
        var range = Texts["{0} to {1}", Show(min), Show(max)].Value;
        var t = (text ?? string.Empty).Trim();
        if (t.Length == 0)
        {
            error = Texts["{0}: required ({1}).", field, range];
            return false;
        }

        var separators = t.Count(c => c is '.' or ',');
        var sepIndex = t.IndexOfAny(['.', ',']);
        if (separators > 1)
        {
            error = Texts["{0}: \"{1}\" has more than one decimal separator; write digits with at most one point or comma and no thousands separators ({2}).", field, t, range];
            return false;
        }

        if (t.Any(c => !(char.IsAsciiDigit(c) || c is '.' or ',' or '-')) || t.LastIndexOf('-') > 0)
        {
            error = Texts["{0}: \"{1}\" is not a number ({2}).", field, t, range];
            return false;
        }

        // "1.500" is 1.5 in English and 1500 in Turkish; "1,500" the reverse. Refuse rather than guess.
        if (separators == 1 && t.Length - sepIndex - 1 == 3 && t.TrimStart('-')[0] != '0' && sepIndex > 0)
        {
            error = Texts[
                "{0}: \"{1}\" could mean {2} or {3} depending on the language; write it without a thousands separator, or with fewer decimals ({4}).",
                field, t, t.Replace(',', '.'), t.Replace(".", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal), range];
            return false;
        }

        if (separators == 1 && (sepIndex == 0 || sepIndex == t.Length - 1 || (sepIndex == 1 && t[0] == '-')))
        {
            error = Texts["{0}: \"{1}\" needs digits on both sides of the decimal separator, e.g. 0.5 ({2}).", field, t, range];
            return false;
        }

        if (!double.TryParse(t.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            error = Texts["{0}: \"{1}\" is not a number ({2}).", field, t, range];
            return false;
        }

        if (v < min || v > max)
        {
            error = Texts["{0}: {1} is outside the allowed range {2}.", field, Show(v), range];
            return false;
        }

        value = v;
        error = null;
        return true;
    }
}
