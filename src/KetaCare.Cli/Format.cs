using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli;

/// <summary>Number formatting for screens (ISMP: leading zero, no trailing zero) and for data files (round-trip).</summary>
internal static class Format
{
    /// <summary>A displayed number, 4 significant digits by default.</summary>
    public static string N(double value, int significantDigits = 4) => SafeNumber.Format(value, significantDigits);

    /// <summary>A displayed number that may be tiny (solver errors): scientific below 0.001, e.g. "2.3E-15".</summary>
    public static string Small(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return SafeNumber.Format(value);
        }

        var a = Math.Abs(value);
        return a is >= 1e-3 and < 1e6 ? SafeNumber.Format(value, 3) : value.ToString("0.##E+0", CultureInfo.InvariantCulture);
    }

    /// <summary>A percentage, e.g. "55.3 %" (3 significant digits; "&lt; 0.01 %" below that).</summary>
    public static string Percent(double fraction)
    {
        if (double.IsNaN(fraction))
        {
            return "—";
        }

        var p = fraction * 100;
        return p is > 0 and < 0.01 ? "< 0.01 %" : SafeNumber.Format(p, 3) + " %";
    }

    /// <summary>A number for CSV/JSON: invariant, round-trip.</summary>
    public static string Data(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Minutes as a readable time: "45 min", "2 h 30 min", "1 d 2 h".</summary>
    public static string Time(double minutes)
    {
        if (minutes < 60 || Math.Abs(minutes - Math.Round(minutes)) > 1e-6)
        {
            return N(minutes) + " min";
        }

        var total = (long)Math.Round(minutes);
        long d = total / 1440, h = total % 1440 / 60, m = total % 60;
        var parts = new List<string>();
        if (d > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{d} d"));
        }

        if (h > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{h} h"));
        }

        if (m > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{m} min"));
        }

        return string.Join(' ', parts);
    }

    /// <summary>
    /// A time on a pump schedule: whole minutes as <see cref="Time"/> ("5 min", "1 h"), whole seconds with the
    /// seconds spelled out ("50 s", "5 min 10 s", "1 h 2 min 30 s"); anything finer as <see cref="Time"/>.
    /// </summary>
    public static string Clock(double minutes)
    {
        var seconds = minutes * 60;
        var whole = Math.Round(seconds);
        if (Math.Abs(seconds - whole) > 1e-6 || whole % 60 == 0 || whole < 0)
        {
            return Time(minutes);
        }

        var total = (long)whole;
        long d = total / 86400, h = total % 86400 / 3600, m = total % 3600 / 60, s = total % 60;
        var parts = new List<string>();
        if (d > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{d} d"));
        }

        if (h > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{h} h"));
        }

        if (m > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{m} min"));
        }

        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{s} s"));
        return string.Join(' ', parts);
    }

    /// <summary>A patient in words: "70 kg, 45 years, female" ("age not given" when the age is missing).</summary>
    public static string Patient(Covariates c)
    {
        var parts = new List<string> { c.Weight.ToString() };
        parts.Add(c.AgeYears is { } age ? N(age) + " years" : "age not given");
        if (c.Sex is { } sex)
        {
            parts.Add(sex == Sex.Female ? "female" : "male");
        }

        if (c.HeightCm is { } h)
        {
            parts.Add(N(h) + " cm");
        }

        return string.Join(", ", parts);
    }
}
