using System.Globalization;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Interop.Text;

/// <summary>
/// Numbers, units, doses and dates as a reader of <c>culture</c> writes them, for screens and documents (never for
/// text that is parsed again): the culture's decimal separator with ISMP's safe notation, units in the language's own
/// abbreviations from <see cref="Strings"/> (mL/sa, mg/kg/sa, dk in Turkish), "%30" in Turkish and "30 %" in English,
/// and dates as 05.12.2026 in Turkish and 2026-12-05 otherwise. Thread-safe.
/// </summary>
public static class TextFormat
{
    /// <summary>A number with at most <paramref name="significantDigits"/> significant digits (1–15, default 4) in <paramref name="culture"/>.</summary>
    public static string Number(double value, CultureInfo culture, int significantDigits = 4) =>
        double.IsFinite(value) ? SafeNumber.FormatFor(culture, value, significantDigits) : "—";

    /// <summary>A whole number in <paramref name="culture"/>, empty for none.</summary>
    public static string Whole(int? value, CultureInfo culture) => value?.ToString(culture) ?? string.Empty;

    /// <summary>A unit in <paramref name="culture"/>'s language ("mL/h" → "mL/sa" in Turkish); a unit without a translation as it is.</summary>
    public static string Unit(string unit, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return unit.Length == 0 ? unit : Strings.For(culture)[unit].Value;
    }

    /// <summary>"0,5 mg/kg/sa" in Turkish, "0.5 mg/kg/h" in English; a percentage as "%30" in Turkish and "30 %" otherwise.</summary>
    public static string Quantity(double value, string unit, CultureInfo culture, int significantDigits = 4)
    {
        var number = Number(value, culture, significantDigits);
        if (unit.Length == 0)
        {
            return number;
        }

        return unit == "%" && Strings.IsTurkish(culture) ? "%" + number : number + " " + Unit(unit, culture);
    }

    /// <summary>A dose level ("0,5 mg/kg/sa").</summary>
    public static string Dose(DoseLevel dose, CultureInfo culture) => Quantity(dose.Value, DoseUnit(dose.Basis), culture);

    /// <summary>The unit of a dose basis in ISMP's English form ("mg/kg/h"); pass it to <see cref="Unit"/> to show it.</summary>
    public static string DoseUnit(DoseBasis basis) => basis switch
    {
        DoseBasis.MgPerKgPerHour => "mg/kg/h",
        DoseBasis.MgPerKg => "mg/kg",
        _ => "mg",
    };

    /// <summary>A preparation ("Torba 1 mg/mL, 250 mL" in Turkish).</summary>
    public static string Preparation(Preparation preparation, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        var kind = Strings.For(culture)[preparation.Kind.ToString()].Value;
        return $"{kind} {Quantity(preparation.Concentration.MilligramsPerMilliliter, "mg/mL", culture)}, {Quantity(preparation.ContainerVolume.Milliliters, "mL", culture)}";
    }

    /// <summary>A calendar date: 05.12.2026 in Turkish, 2026-12-05 (ISO 8601, read the same everywhere) otherwise.</summary>
    public static string Date(DateOnly date, CultureInfo culture) =>
        date.ToString(Strings.IsTurkish(culture) ? "dd.MM.yyyy" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A moment in UTC with its date: "05.12.2026 14:30 UTC" in Turkish, "2026-12-05 14:30 UTC" otherwise.</summary>
    public static string DateTimeUtc(DateTimeOffset at, CultureInfo culture) =>
        Date(DateOnly.FromDateTime(at.UtcDateTime), culture) + at.UtcDateTime.ToString(" HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
