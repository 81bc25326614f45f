using KetaCare.Interop.Reports;
using KetaCare.Tests;
using UglyToad.PdfPig;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// Line breaking of the PDF reports: every line fits, nothing is lost, and the work grows linearly with the text (a
/// 10,000-character name once took 46 s of CPU: each cut of a long word re-measured every shorter prefix).
/// </summary>
public sealed class PdfLayoutTests
{
    private const double Width = 300;

    [Theory]
    [InlineData(10_000, 1)]
    [InlineData(10_000, 5)]
    [InlineData(100, 5)]
    public void Wrap_LongText_EveryLineFitsNothingIsLostAndMeasuringIsLinear(int length, int wordLength)
    {
        using var layout = new PdfLayout("t", "t", "p", "Page", "of");
        var word = string.Concat(Enumerable.Repeat("abcdefghij", (wordLength + 9) / 10))[..wordLength];
        var text = wordLength == 1
            ? new string('W', length)
            : string.Join(' ', Enumerable.Repeat(word, length / (wordLength + 1)));
        var font = layout.Font();
        var before = layout.Measurements;

        var lines = layout.Wrap(text, font, Width);

        var cost = layout.Measurements - before;
        Assert.All(lines, l => Assert.True(Measure(layout, l, font) <= Width + 0.01, $"line wider than {Width} pt: {l.Length} chars"));
        Assert.Equal(text.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(lines).Replace(" ", string.Empty, StringComparison.Ordinal));
        // Linear: a few measurements per word or per cut (bisection), never one per prefix of a long word.
        Assert.True(cost <= (text.Split(' ').Length * 2) + (lines.Count * 20), $"{cost} measurements for {text.Length} characters in {lines.Count} lines");
    }

    [Fact]
    public void Wrap_KeepsExplicitLineBreaksAndPacksWords()
    {
        using var layout = new PdfLayout("t", "t", "p", "Page", "of");

        var lines = layout.Wrap("one two three\nfour", layout.Font(), Width);

        Assert.Equal(["one two three", "four"], lines);
    }

    [Theory]
    [InlineData("KetaCare — session report", true)]
    [InlineData("Anatolia Pain Clinic · Hastane Caddesi 1, Çankaya, Ankara · +90 312 000 00 00", false)]
    [InlineData("Anatolia Pain Clinic · Hastane Caddesi 1, Çankaya, Ankara · Hastane Caddesi 1, Çankaya, Ankara · Hastane Caddesi 1, Çankaya, Ankara · +90 312 000 00 00", false)]
    public void Header_LetterheadAndPatientLine_NeverPrintedOverEachOther(string letterhead, bool sharesALine)
    {
        // A clinic's full letterhead once ran under the patient line on every page ("+90 312 0Elif Yılmaz").
        const string patient = "Elif Yılmaz · MRN DEMO-0001 · born 1979-04-12";
        using var layout = new PdfLayout("t", letterhead, patient, "Page", "of");
        layout.Paragraph("Body text.");

        using var pdf = PdfDocument.Open(layout.Save());
        var page = pdf.GetPage(1);
        var header = page.Letters.Where(l => l.PointSize < 9 && l.BoundingBox.Bottom > page.Height / 2 && !string.IsNullOrWhiteSpace(l.Value)).ToList();
        var bold = header.Where(l => (l.FontName ?? string.Empty).Contains("Bold", StringComparison.Ordinal)).ToList();
        var regular = header.Except(bold).ToList();
        Assert.Equal(letterhead.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(regular.Select(l => l.Value)));
        Assert.Equal(patient.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(bold.Select(l => l.Value)));
        Assert.DoesNotContain(regular, r => bold.Any(b => Overlap(r.BoundingBox, b.BoundingBox)));
        Assert.Equal(sharesALine, Math.Abs(regular.Max(l => l.StartBaseLine.Y) - bold.Max(l => l.StartBaseLine.Y)) < 0.5);
        var body = page.Letters.Where(l => l.PointSize > 9).ToList();
        Assert.True(body.Max(l => l.BoundingBox.Top) < header.Min(l => l.BoundingBox.Bottom), "the page's text begins inside the header");
    }

    [Fact]
    public void Heading_ImageDoesNotFitBelowIt_GoesToTheNextPageWithTheImage()
    {
        // The course summary's "Pain trajectory" once ended page 1 with its chart alone on page 2.
        using var layout = new PdfLayout("t", "t", "p", "Page", "of");
        for (var i = 0; i < 30; i++)
        {
            layout.Paragraph($"Line {i}.");
        }

        layout.Heading("Trajectory");
        layout.Image(Png.Encode(new PngPixels(700, 550, 3, Enumerable.Repeat((byte)128, 700 * 550 * 3).ToArray())));
        layout.Heading("Afterwards");
        layout.Paragraph("Text.");

        using var pdf = PdfDocument.Open(layout.Save());
        var pages = pdf.GetPages().ToList();
        Assert.Equal(2, pages.Count);
        Assert.Contains("Line 29.", string.Join(" ", pages[0].GetWords().Select(w => w.Text)), StringComparison.Ordinal);
        Assert.Empty(pages[0].GetImages());
        Assert.Single(pages[1].GetImages());
        Assert.Equal(["Trajectory", "Afterwards", "Text."], pages[1].GetWords().Select(w => w.Text).Where(w => w is "Trajectory" or "Afterwards" or "Text."));
    }

    [Fact]
    public void Heading_LastThingOnThePage_IsStillPrinted()
    {
        using var layout = new PdfLayout("t", "t", "p", "Page", "of");
        layout.Heading("Closing heading");

        using var pdf = PdfDocument.Open(layout.Save());
        Assert.Contains("Closing heading", string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void Table_Landscape_LongSupplierAndPatientNamesWrapInsideTheirColumns()
    {
        // A register row: a supplier's full name and address and a long patient name in narrow columns of a landscape page.
        const string supplier = "Anatolia Pharmaceutical Wholesale and Distribution Incorporated, Organize Sanayi Bölgesi 12. Cadde No 345, Sincan, Ankara, DEA RW0000000";
        const string patient = "DEMO-0001 Papadopoulou Konstantinidou Yılmaz, Elif Ayşegül Nur";
        string[] headers = ["Date", "Supplier", "Patient", "Volume drawn (mL)", "Draw witnessed by", "Reference"];
        using var layout = new PdfLayout("t", "KetaCare", "register", "Page", "of", landscape: true);
        layout.Table(headers, [["2026-12-05 09:00 UTC", supplier, patient, "2", "Nurse Two", "INV-77"]], [.. headers.Select(_ => 1.0 / headers.Length)], size: 7);

        using var pdf = PdfDocument.Open(layout.Save());
        var page = pdf.GetPage(1);
        Assert.True(page.Width > page.Height, "the page is not landscape");
        var column = (page.Width - 100) / headers.Length;
        var words = page.GetWords().Where(w => w.Letters[0].PointSize < 7.5).ToList();
        foreach (var (text, index) in new[] { (supplier, 1), (patient, 2) })
        {
            // Every word of the cell is printed whole inside its column, over several lines.
            var cell = words.Where(w => w.BoundingBox.Left >= 50 + (index * column) - 0.5 && w.BoundingBox.Right <= 50 + ((index + 1) * column) + 0.5).ToList();
            Assert.Equal(text.Split(' '), cell.Select(w => w.Text).Where(text.Split(' ').Contains).ToArray());
            Assert.True(cell.Select(w => Math.Round(w.BoundingBox.Bottom)).Distinct().Count() > 2, "the long cell did not wrap");
        }

        // A header word is never cut ("witness / ed"), and nothing is printed over anything else.
        foreach (var word in headers.SelectMany(h => h.Split(' ')))
        {
            Assert.Contains(words, w => w.Text == word);
        }

        var letters = page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)).ToList();
        Assert.All(letters, l => Assert.True(l.BoundingBox.Right <= page.Width - 50 + 0.5, "a letter runs past the margin"));
        Assert.DoesNotContain(letters, a => letters.Any(b => !ReferenceEquals(a, b) && Overlap(Shrunk(a.BoundingBox), Shrunk(b.BoundingBox))));
    }

    // A glyph's box less a hair on each side: neighbouring letters of one word touch.
    private static UglyToad.PdfPig.Core.PdfRectangle Shrunk(UglyToad.PdfPig.Core.PdfRectangle r) => new(r.Left + 0.3, r.Bottom + 0.3, r.Right - 0.3, r.Top - 0.3);

    private static bool Overlap(UglyToad.PdfPig.Core.PdfRectangle a, UglyToad.PdfPig.Core.PdfRectangle b) =>
        a.Left < b.Right && b.Left < a.Right && a.Bottom < b.Top && b.Bottom < a.Top;

    // Measured independently of the layout: PDFsharp's own measurement on a page of its own.
    private static double Measure(PdfLayout layout, string text, PdfSharp.Drawing.XFont font)
    {
        _ = layout;
        using var document = new PdfSharp.Pdf.PdfDocument();
        using var g = PdfSharp.Drawing.XGraphics.FromPdfPage(document.AddPage());
        return g.MeasureString(text, font).Width;
    }
}
