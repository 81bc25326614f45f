using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// A feature's UI texts: English text (the key) and its Turkish translation. Each feature folder has one; they are
/// found by reflection, so adding a page never edits a shared file.
/// </summary>
public interface ITextCatalog
{
    /// <summary>Pairs of English text and its Turkish translation.</summary>
    IEnumerable<(string En, string Tr)> Entries { get; }
}

/// <summary>
/// The UI texts in the request's UI culture (English or Turkish). The English text is the key, so a missing
/// translation shows English rather than a blank. Thread-safe (immutable after construction).
/// </summary>
public sealed class Texts
{
    private readonly FrozenDictionary<string, string> _turkish;

    /// <summary>Collects every <see cref="ITextCatalog"/> of the web assembly; two different translations of one text are refused.</summary>
    public Texts()
        : this(typeof(Texts).Assembly)
    {
    }

    internal Texts(Assembly assembly)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        var catalogs = assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITextCatalog).IsAssignableFrom(t));
        foreach (var type in catalogs)
        {
            var catalog = (ITextCatalog)Activator.CreateInstance(type)!;
            foreach (var (en, tr) in catalog.Entries)
            {
                if (all.TryGetValue(en, out var existing) && !string.Equals(existing, tr, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"UI text \"{en}\" has two Turkish translations: \"{existing}\" and \"{tr}\" ({type.Name}).");
                }

                all[en] = tr;
            }
        }

        _turkish = all.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every English text that has a Turkish translation.</summary>
    public IReadOnlyCollection<string> Translated => _turkish.Keys;

    /// <summary>The text in the current UI culture.</summary>
    public string this[string english] => IsTurkish && _turkish.TryGetValue(english, out var tr) ? tr : english;

    /// <summary>The text in the current UI culture with arguments formatted in the current culture (numbers as the user reads them).</summary>
    public string Format(string english, params object?[] args) => string.Format(CultureInfo.CurrentCulture, this[english], args);

    private static bool IsTurkish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "tr";
}
