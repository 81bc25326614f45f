using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace KetaCare.Interop.Reports;

/// <summary>
/// A small flowing layout on A4 pages with PDFsharp: headings, wrapped paragraphs, bullet lists, label–value lines,
/// tables whose cells wrap, images, signature lines, on portrait or landscape pages; a header on every page (title and patient) and "page n of N"
/// footers. Line breaking is its own (at spaces, with a hard break for words longer than a line) so text can flow
/// over pages. One instance per document; not thread-safe.
/// </summary>
internal sealed class PdfLayout : IDisposable
{
    private const double Margin = 50;
    private const double HeaderHeight = 34;
    private const double HeaderLine = 10;
    private const double HeaderGap = 12;
    private const double FooterHeight = 26;
    private readonly PdfDocument _document = new();
    private readonly string _family;
    private readonly string _header;
    private readonly string _patientLine;
    private readonly string _pageWord;
    private readonly string _ofWord;
    private readonly bool _landscape;
    private XGraphics? _gfx;
    private PdfPage? _page;
    private double _y;

    // A heading waits until what it heads is drawn, so that the two can go to a new page together (DrawHeading).
    private string? _heading;

    // Checked at every line, row and page: a report for a client that has gone, or past the time the app allows it,
    // stops instead of running to the end.
    private readonly CancellationToken _cancellation;

    // landscape: A4 landscape pages, for tables too wide for portrait (the registers).
    public PdfLayout(string title, string header, string patientLine, string pageWord, string ofWord, CancellationToken cancellationToken = default, bool landscape = false)
    {
        _cancellation = cancellationToken;
        _landscape = landscape;
        _family = PdfFonts.Install();
        _header = header;
        _patientLine = patientLine;
        _pageWord = pageWord;
        _ofWord = ofWord;
        _document.Info.Title = title;
        _document.Info.Creator = "KetaCare";
        NewPage();
    }

    private double Width => _page!.Width.Point - (2 * Margin);

    private double Bottom => _page!.Height.Point - Margin - FooterHeight;

    public XFont Font(double size = 10, bool bold = false) =>
        new(_family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));

    public void Title(string text)
    {
        Paragraph(text, Font(18, bold: true));
        Space(6);
    }

    /// <summary>A section heading, drawn together with the start of what follows it (see <see cref="DrawHeading"/>).</summary>
    public void Heading(string text)
    {
        DrawHeading();
        _heading = text;
    }

    public void Paragraph(string text, XFont? font = null, double indent = 0)
    {
        DrawHeading();
        font ??= Font();
        var lineHeight = font.GetHeight() * 1.2;
        foreach (var line in Wrap(text, font, Width - indent))
        {
            _cancellation.ThrowIfCancellationRequested();
            KeepTogether(lineHeight);
            _gfx!.DrawString(line, font, XBrushes.Black, new XRect(Margin + indent, _y, Width - indent, lineHeight), XStringFormats.TopLeft);
            _y += lineHeight;
        }

        Space(3);
    }

    public void Bullets(IEnumerable<string> items, XFont? font = null)
    {
        DrawHeading();
        font ??= Font();
        foreach (var item in items)
        {
            KeepTogether(font.GetHeight() * 1.2);
            _gfx!.DrawString("•", font, XBrushes.Black, new XRect(Margin + 6, _y, 10, font.GetHeight()), XStringFormats.TopLeft);
            Paragraph(item, font, indent: 18);
        }
    }

    /// <summary>Label: value lines, the labels in bold in a column of their own.</summary>
    public void Fields(IEnumerable<(string Label, string Value)> fields)
    {
        var rows = fields.Select(f => new[] { f.Label, f.Value }).ToList();
        Table([], rows, [0.3, 0.7], boldFirstColumn: true, lines: false);
    }

    /// <summary>A table with wrapped cells; <paramref name="widths"/> are fractions of the text width. The header repeats on each page.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<string[]> rows, double[] widths, bool boldFirstColumn = false, bool lines = true, double size = 9)
    {
        DrawHeading();
        var font = Font(size);
        var bold = Font(size, bold: true);
        var lineHeight = font.GetHeight() * 1.15;
        double[] columns = [.. widths.Select(w => w * Width)];

        // A header word never breaks inside ("mg/m L"): a header cell whose longest word does not fit its column is
        // set in a smaller type, down to 6 pt, before anything is cut.
        XFont HeaderFont(string cell, double column)
        {
            var longest = cell.Split(' ', StringSplitOptions.RemoveEmptyEntries).DefaultIfEmpty(string.Empty).MaxBy(w => Measure(w, bold))!;
            var f = bold;
            for (var s = size; s > 6 && Measure(longest, f) > column; s -= 0.5)
            {
                f = Font(s - 0.5, bold: true);
            }

            return f;
        }

        void Row(IReadOnlyList<string> cells, bool header)
        {
            _cancellation.ThrowIfCancellationRequested();
            var fonts = cells.Select((c, i) => header ? HeaderFont(c, columns[i] - 6) : boldFirstColumn && i == 0 ? bold : font).ToList();
            var wrapped = cells.Select((c, i) => Wrap(c, fonts[i], columns[i] - 6)).ToList();
            var height = (wrapped.Max(w => w.Count) * lineHeight) + 4;
            if (_y + height > Bottom)
            {
                NewPage();
                if (!header && headers.Count > 0)
                {
                    Row(headers, header: true);
                }
            }

            var x = Margin;
            if (header)
            {
                _gfx!.DrawRectangle(new XSolidBrush(XColor.FromArgb(235, 235, 235)), Margin, _y, Width, height);
            }

            for (var i = 0; i < wrapped.Count; i++)
            {
                var cellFont = fonts[i];
                for (var l = 0; l < wrapped[i].Count; l++)
                {
                    _gfx!.DrawString(wrapped[i][l], cellFont, XBrushes.Black, new XRect(x + 3, _y + 2 + (l * lineHeight), columns[i] - 6, lineHeight), XStringFormats.TopLeft);
                }

                x += columns[i];
            }

            _y += height;
            if (lines)
            {
                _gfx!.DrawLine(new XPen(XColors.LightGray, 0.5), Margin, _y, Margin + Width, _y);
            }
        }

        if (headers.Count > 0)
        {
            KeepTogether(3 * lineHeight);
            Row(headers, header: true);
        }

        foreach (var r in rows)
        {
            Row(r, header: false);
        }

        Space(6);
    }

    /// <summary>
    /// Column widths (fractions of the text width, as <see cref="Table"/> takes them) fitted to a table's text: each
    /// column gets at least its longest word (so a date or a record number is not cut) and the room left is shared
    /// by how much more each column's longest cell would need. When even the longest words do not fit, every column is
    /// narrowed in proportion and the longest words are cut, as in any cell.
    /// </summary>
    public double[] FitWidths(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows, double size = 9)
    {
        var font = Font(size);
        var bold = Font(size, bold: true);
        double Words(string cell, XFont f) => cell.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Measure(w, f)).DefaultIfEmpty(0).Max();
        var least = new double[headers.Count];
        var most = new double[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            var cells = rows.Select(r => i < r.Length ? r[i] : string.Empty).ToList();
            least[i] = Math.Max(Words(headers[i], font), cells.Select(c => Words(c, font)).DefaultIfEmpty(0).Max()) + 7;
            most[i] = Math.Max(least[i], Math.Min(Width / 3, cells.Select(c => Measure(c, font)).DefaultIfEmpty(0).Max() + 7));
        }

        var spare = Width - least.Sum();
        var wanted = most.Zip(least, (m, l) => m - l).Sum();
        return spare <= 0
            ? [.. least.Select(l => l / least.Sum())]
            : [.. least.Select((l, i) => (l + (wanted <= 0 ? spare / least.Length : spare * (most[i] - l) / wanted)) / Width)];
    }

    /// <summary>A PNG image scaled to the text width (or <paramref name="widthFraction"/> of it).</summary>
    public void Image(byte[] png, double widthFraction = 1)
    {
        using var stream = new MemoryStream(png);
        using var image = XImage.FromStream(stream);
        var width = Width * widthFraction;
        var height = width * image.PixelHeight / image.PixelWidth;
        DrawHeading(height);
        KeepTogether(height);
        _gfx!.DrawImage(image, Margin, _y, width, height);
        _y += height + 6;
    }

    /// <summary>A line to sign on, with its caption and an optional printed name or id.</summary>
    public void Signature(string caption, string? printed)
    {
        DrawHeading();
        KeepTogether(50);
        Space(22);
        _gfx!.DrawLine(new XPen(XColors.Black, 0.6), Margin, _y, Margin + (Width * 0.55), _y);
        _gfx.DrawLine(new XPen(XColors.Black, 0.6), Margin + (Width * 0.65), _y, Margin + Width, _y);
        var font = Font(8);
        _gfx.DrawString(caption + (printed is null ? string.Empty : ": " + printed), font, XBrushes.Black, new XRect(Margin, _y + 2, Width * 0.6, 12), XStringFormats.TopLeft);
        _y += 14;
    }

    public void Space(double points) => _y += points;

    /// <summary>
    /// Draws the heading waiting to be drawn, if any. A heading never ends a page: it goes to the next page unless it
    /// fits together with the first lines of what it heads (a paragraph, or a table's header and first rows: 90 pt in
    /// all) or with the whole of <paramref name="keepWith"/> points of it — an image, which cannot be split.
    /// </summary>
    private void DrawHeading(double keepWith = 0)
    {
        if (_heading is not { } text)
        {
            return;
        }

        _heading = null;
        var font = Font(13, bold: true);
        Space(8);
        KeepTogether(Math.Max(90, HeadingHeight(font) + keepWith));
        Paragraph(text, font);
        Space(2);
    }

    // A heading's line, the paragraph's space after it and the heading's own.
    private static double HeadingHeight(XFont font) => (font.GetHeight() * 1.2) + 3 + 2;

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit on this one.</summary>
    public void KeepTogether(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    /// <summary>Writes the page footers and returns the PDF.</summary>
    public byte[] Save()
    {
        DrawHeading();
        _gfx?.Dispose();
        _gfx = null;
        var count = _document.PageCount;
        var font = Font(8);
        for (var i = 0; i < count; i++)
        {
            var page = _document.Pages[i];
            using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var text = string.Create(CultureInfo.InvariantCulture, $"{_pageWord} {i + 1} {_ofWord} {count}");
            g.DrawString(text, font, XBrushes.Gray, new XRect(Margin, page.Height.Point - Margin - 10, page.Width.Point - (2 * Margin), 12), XStringFormats.TopRight);
            g.DrawString("KetaCare", font, XBrushes.Gray, new XRect(Margin, page.Height.Point - Margin - 10, 200, 12), XStringFormats.TopLeft);
        }

        using var stream = new MemoryStream();
        _document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    public void Dispose()
    {
        _gfx?.Dispose();
        _document.Dispose();
    }

    /// <summary>
    /// Breaks <paramref name="text"/> into lines no wider than <paramref name="width"/> points; keeps explicit line
    /// breaks. Linear in the text: each word is measured once and line widths are summed (PDFsharp does not kern, so
    /// a line's width is the sum of its words and spaces); a word wider than the line (a long id) is cut where it no
    /// longer fits, each cut found by bisection over the characters that can fit at all.
    /// </summary>
    internal List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        var space = Measure(" ", font);
        foreach (var paragraph in (text ?? string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var line = new System.Text.StringBuilder();
            var lineWidth = 0.0;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                _cancellation.ThrowIfCancellationRequested();
                var w = Measure(word, font);
                if (line.Length > 0 && lineWidth + space + w <= width)
                {
                    line.Append(' ').Append(word);
                    lineWidth += space + w;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                var rest = word;
                while (w > width && rest.Length > 1)
                {
                    var n = FittingPrefix(rest, font, width);
                    lines.Add(rest[..n]);
                    rest = rest[n..];
                    w = Measure(rest, font);
                }

                line.Append(rest);
                lineWidth = w;
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    // The longest prefix of word (at least one character) that fits width: bisection up to the most characters of
    // the narrowest common glyph that could fit.
    private int FittingPrefix(string word, XFont font, double width)
    {
        var most = (int)Math.Min(word.Length - 1, Math.Ceiling(width / Math.Max(0.5, Measure(".", font))) + 1);
        int lo = 1, hi = Math.Max(1, most);
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (Measure(word[..mid], font) <= width)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    /// <summary>How many strings were measured so far (the cost of wrapping, which must grow linearly with the text).</summary>
    internal int Measurements { get; private set; }

    private double Measure(string text, XFont font)
    {
        Measurements++;
        return _gfx!.MeasureString(text, font).Width;
    }

    private void NewPage()
    {
        _cancellation.ThrowIfCancellationRequested();
        _gfx?.Dispose();
        _page = _document.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        if (_landscape)
        {
            _page.Orientation = PdfSharp.PageOrientation.Landscape;
        }

        _gfx = XGraphics.FromPdfPage(_page);
        var font = Font(8);
        var bold = Font(8, bold: true);

        // The letterhead on the left and the patient on the right share a line when both fit with a gap between
        // them. A clinic's full letterhead (name, address, telephone) often does not: it then wraps over the lines it
        // needs and the patient line comes below it, never printed over it, and the page's text starts lower.
        var top = Margin - 20;
        var letterhead = Wrap(_header, font, Width);
        var shared = letterhead.Count == 1 && Measure(_header, font) + HeaderGap + _patientLine.Split('\n').Max(x => Measure(x, bold)) <= Width;
        for (var i = 0; i < letterhead.Count; i++)
        {
            _gfx.DrawString(letterhead[i], font, XBrushes.Gray, new XRect(Margin, top + (i * HeaderLine), Width, 12), XStringFormats.TopLeft);
        }

        var patientTop = shared ? top : top + (letterhead.Count * HeaderLine);

        // The patient line may carry more lines (the allergies); each is right-aligned below the one before.
        var patientLines = _patientLine.Split('\n');
        for (var i = 0; i < patientLines.Length; i++)
        {
            _gfx.DrawString(patientLines[i], bold, XBrushes.Black, new XRect(Margin, patientTop + (i * HeaderLine), Width, 12), XStringFormats.TopRight);
        }

        var extra = (patientLines.Length - 1) * HeaderLine;
        _gfx.DrawLine(new XPen(XColors.LightGray, 0.5), Margin, patientTop + extra + 14, Margin + Width, patientTop + extra + 14);
        _y = patientTop + extra + HeaderHeight;
    }
}
