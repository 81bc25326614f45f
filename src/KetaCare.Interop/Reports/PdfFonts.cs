using PdfSharp.Fonts;

namespace KetaCare.Interop.Reports;

/// <summary>
/// PDFsharp's font resolver for KetaCare's reports (the Core build has no access to system fonts): every family
/// resolves to <see cref="SystemFonts.Sans"/> — DejaVu Sans or Liberation Sans, regular or bold, italic simulated —
/// so Turkish letters are embedded. Thread-safe.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    private const string RegularFace = "KetaCareSans-Regular";
    private const string BoldFace = "KetaCareSans-Bold";
    private static readonly Lock Gate = new();
    private readonly FontFamilyFiles _files;
    private readonly Lazy<byte[]> _regular;
    private readonly Lazy<byte[]> _bold;

    /// <summary>Resolves to the given files.</summary>
    public PdfFonts(FontFamilyFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        _files = files;
        _regular = new(() => File.ReadAllBytes(files.RegularPath));
        _bold = new(() => File.ReadAllBytes(files.BoldPath));
    }

    /// <summary>The family name to use in <c>XFont</c>.</summary>
    public string Family => _files.Family;

    /// <summary>
    /// Installs a resolver for the system's fonts as PDFsharp's global resolver, once per process, unless the host
    /// application installed one of its own. Throws <see cref="FileNotFoundException"/> naming the package to install
    /// when no usable font exists. Returns the family name to use.
    /// </summary>
    public static string Install()
    {
        lock (Gate)
        {
            switch (GlobalFontSettings.FontResolver)
            {
                case PdfFonts installed:
                    return installed.Family;
                case null:
                    var fonts = new PdfFonts(SystemFonts.Sans);
                    GlobalFontSettings.FontResolver = fonts;
                    return fonts.Family;
                default:
                    // The host's resolver is asked for the family KetaCare prefers.
                    return SystemFonts.Sans.Family;
            }
        }
    }

    /// <inheritdoc/>
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: bold && _files.BoldPath == _files.RegularPath, mustSimulateItalic: italic);

    /// <inheritdoc/>
    public byte[]? GetFont(string faceName) => faceName == BoldFace ? _bold.Value : _regular.Value;
}
