using System.Text.RegularExpressions;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Patients;

/// <summary>An ICD-10-CM diagnosis code such as "G90.511", normalised to upper case with its dot.</summary>
public readonly partial struct Icd10Code : IEquatable<Icd10Code>
{
    private readonly string? _code;

    private Icd10Code(string code) => _code = code;

    /// <summary>The code, e.g. "G90.511"; empty for the default value.</summary>
    public string Code => _code ?? string.Empty;

    /// <summary>Parses a code: a letter, two digits, then optionally a dot and 1–4 letters or digits ("g90511" → "G90.511").</summary>
    public static Outcome<Icd10Code> Parse(string? text, string field = "icd10")
    {
        var t = (text ?? string.Empty).Trim().ToUpperInvariant().Replace(".", string.Empty, StringComparison.Ordinal);
        if (!Shape().IsMatch(t))
        {
            return new Refusal(
                $"{field}: \"{text}\" is not an ICD-10-CM code; expected a letter, two digits and up to four more characters, e.g. G90.511.",
                [Finding.Refused(FindingCodes.ChartIcd10Invalid, FindingArg.Of("field", field), FindingArg.Of("text", text ?? string.Empty))]);
        }

        return Outcome<Icd10Code>.Ok(new Icd10Code(t.Length > 3 ? t[..3] + "." + t[3..] : t));
    }

    /// <summary>True when this code equals <paramref name="prefix"/> or is a subcode of it ("G90.511" starts with "G90.5").</summary>
    public bool IsWithin(string prefix) => Code.StartsWith(prefix, StringComparison.Ordinal);

    /// <inheritdoc/>
    public bool Equals(Icd10Code other) => string.Equals(Code, other.Code, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Icd10Code other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    /// <summary>Equality.</summary>
    public static bool operator ==(Icd10Code a, Icd10Code b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Icd10Code a, Icd10Code b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() => Code;

    [GeneratedRegex("^[A-Z][0-9]{2}[0-9A-Z]{0,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
