using System.Globalization;
using KetaCare.Interop.Text;

namespace KetaCare.Web.Tests;

/// <summary>The Turkish side of the one text catalogue (Strings.tr.resx), for tests that look texts up.</summary>
internal static class TurkishTexts
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("tr-TR");

    /// <summary>
    /// Every key that has a Turkish text: the "tr" set itself (asked for tr-TR without parents, the resource manager
    /// answers with whatever set an earlier look-up happened to cache for tr-TR).
    /// </summary>
    public static IReadOnlySet<string> Keys { get; } = Strings.For(CultureInfo.GetCultureInfo("tr")).GetAllStrings(includeParentCultures: false).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every key with its English text (Strings.resx).</summary>
    public static IReadOnlyDictionary<string, string> English { get; } = Strings.For(CultureInfo.InvariantCulture).GetAllStrings(includeParentCultures: false).ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);

    public static string Of(string key) => Strings.For(Culture)[key].Value;
}
