using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace KetaCare.Interop.Text;

/// <summary>
/// KetaCare's one set of texts: <c>Strings.resx</c> lists every text in English, each keyed by its own English
/// wording, and <c>Strings.tr.resx</c> holds the Turkish. Web pages receive <c>IStringLocalizer&lt;Strings&gt;</c>
/// (the platform's <c>ResourceManagerStringLocalizer</c>, request UI culture); code that writes for a reader other
/// than the current request — PDF reports, charts, coded findings, the CLI — asks <see cref="For"/> with the reader's
/// culture. A text without a translation comes back in English, never blank. Thread-safe.
/// </summary>
public sealed class Strings
{
    private Strings()
    {
    }

    /// <summary>The resource set behind both ways in.</summary>
    internal static ResourceManager Resources { get; } = new(typeof(Strings).FullName!, typeof(Strings).Assembly);

    /// <summary>The texts in <paramref name="culture"/>'s language (Turkish for tr and tr-TR; English for any language without a translation), arguments formatted in that culture.</summary>
    public static IStringLocalizer For(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return new CultureStrings(culture);
    }

    /// <summary>True for a culture whose language is Turkish: numbers and units are then written the Turkish way (%30, mL/sa).</summary>
    public static bool IsTurkish(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName == "tr";
    }

    // A localizer pinned to one culture: ResourceManagerStringLocalizer always reads CurrentUICulture, and a report
    // or a chart is often written for someone other than the current thread's user.
    private sealed class CultureStrings(CultureInfo culture) : IStringLocalizer
    {
        public LocalizedString this[string name]
        {
            get
            {
                ArgumentNullException.ThrowIfNull(name);
                var value = Resources.GetString(name, culture);
                return new LocalizedString(name, value ?? name, resourceNotFound: value is null);
            }
        }

        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var format = this[name];
                return new LocalizedString(name, string.Format(culture, format.Value, arguments), format.ResourceNotFound);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures)
        {
            var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: includeParentCultures);
            if (set is null)
            {
                yield break;
            }

            foreach (System.Collections.DictionaryEntry e in set)
            {
                yield return new LocalizedString((string)e.Key, e.Value as string ?? string.Empty, resourceNotFound: false);
            }
        }
    }
}
