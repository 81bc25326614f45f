using System.Globalization;
using System.Text;

namespace KetaCare.Clinic.Patients;

/// <summary>
/// How names and record numbers are compared when searching and when looking for a patient registered twice: by
/// their folded form — compatibility-normalised, accents removed, lower case, the Turkish dotted İ and dotless ı both
/// read as i, spaces collapsed — so "ismail", "İsmail", "ISMAIL" and "Ismaıl" match, and "Şahin" matches "sahin".
/// The stored names are never changed. Pure functions; thread-safe.
/// </summary>
public static class PatientNames
{
    /// <summary>The folded form of <paramref name="text"/> used for comparison (never shown or stored).</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        // NFKD splits "İ" into I + combining dot and "é" into e + acute; dropping the marks leaves the base letters.
        var decomposed = text.Normalize(NormalizationForm.FormKD);
        var b = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = b.Length > 0;
                continue;
            }

            if (space)
            {
                b.Append(' ');
                space = false;
            }

            // Invariant lower case maps I to i; the dotless ı has no decomposition and is folded by hand.
            var lower = char.ToLowerInvariant(c);
            b.Append(lower switch
            {
                '\u0131' => 'i',
                'ß' => 's',
                'ø' => 'o',
                'ł' => 'l',
                'đ' => 'd',
                _ => lower,
            });
        }

        return b.ToString();
    }

    /// <summary>True when the folded <paramref name="text"/> contains <paramref name="foldedQuery"/> (already folded; empty matches all).</summary>
    public static bool Matches(string? text, string foldedQuery) =>
        foldedQuery.Length == 0 || Fold(text).Contains(foldedQuery, StringComparison.Ordinal);

    /// <summary>
    /// True when two registrations may be one person: the same birth date and the same folded family name, or the
    /// same folded given and family names (a birth date typed wrongly). The registering user is warned, never stopped.
    /// </summary>
    public static bool Resemble(Demographics a, Demographics b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var family = string.Equals(Fold(a.FamilyName), Fold(b.FamilyName), StringComparison.Ordinal);
        var given = string.Equals(Fold(a.GivenName), Fold(b.GivenName), StringComparison.Ordinal);
        return family && (a.BirthDate == b.BirthDate || given);
    }
}
