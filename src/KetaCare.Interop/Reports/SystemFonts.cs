namespace KetaCare.Interop.Reports;

/// <summary>A sans-serif font family found on the machine: regular and bold TrueType files.</summary>
/// <param name="Family">Family name, e.g. "DejaVu Sans".</param>
/// <param name="RegularPath">Path of the regular face.</param>
/// <param name="BoldPath">Path of the bold face (the regular one when no bold face is installed).</param>
public sealed record FontFamilyFiles(string Family, string RegularPath, string BoldPath);

/// <summary>
/// Finds the fonts that charts and PDF reports use: DejaVu Sans, else Liberation Sans — both cover the Turkish
/// letters (ğ, ş, ı, İ, ç, ö, ü). Fonts are never shipped with KetaCare; on Debian they come from the package
/// <c>fonts-dejavu-core</c>. Thread-safe; the search runs once per process.
/// </summary>
public static class SystemFonts
{
    /// <summary>The Debian package that provides the preferred font.</summary>
    public const string DebianPackage = "fonts-dejavu-core";

    private static readonly (string Family, string Regular, string Bold)[] Candidates =
    [
        ("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("Liberation Sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ];

    private static readonly Lazy<FontFamilyFiles?> Found = new(() => Search(DefaultDirectories()));

    /// <summary>The folders searched, in order: the standard Debian/freedesktop font folders.</summary>
    public static IReadOnlyList<string> DefaultDirectories()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return
        [
            "/usr/share/fonts/truetype/dejavu",
            "/usr/share/fonts/truetype/liberation",
            "/usr/share/fonts/truetype/liberation2",
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            Path.Combine(home, ".local", "share", "fonts"),
            Path.Combine(home, ".fonts"),
        ];
    }

    /// <summary>The font family to use; throws <see cref="FileNotFoundException"/> naming the package to install when none is found.</summary>
    public static FontFamilyFiles Sans => Found.Value ?? throw new FileNotFoundException(
        $"No DejaVu Sans or Liberation Sans TrueType font was found in {string.Join(", ", DefaultDirectories())}. " +
        $"Install the Debian package {DebianPackage} (apt-get install {DebianPackage}).");

    /// <summary>The first candidate family found under <paramref name="directories"/>, or null.</summary>
    public static FontFamilyFiles? Search(IEnumerable<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var existing = directories.Where(Directory.Exists).ToList();
        foreach (var (family, regular, bold) in Candidates)
        {
            var r = FindFile(existing, regular);
            if (r is not null)
            {
                return new FontFamilyFiles(family, r, FindFile(existing, bold) ?? r);
            }
        }

        return null;
    }

    private static string? FindFile(IReadOnlyList<string> directories, string name)
    {
        foreach (var d in directories)
        {
            try
            {
                var hit = Directory.EnumerateFiles(d, name, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive }).FirstOrDefault();
                if (hit is not null)
                {
                    return hit;
                }
            }
            catch (IOException)
            {
                // A folder that vanished or cannot be read is skipped; the next one may hold the font.
            }
        }

        return null;
    }
}
