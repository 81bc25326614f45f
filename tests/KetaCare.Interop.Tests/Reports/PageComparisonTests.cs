using KetaCare.Interop.Reports;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// The tolerance of <see cref="PageComparison"/> proven both ways: what rendering varies by (anti-aliasing, sub-pixel
/// positions) passes, and each way a layout breaks fails — on a specimen page built with the reports' own layout, once
/// as it should be and once with one fault, and on the real documents' pages moved by two pixels.
/// </summary>
public sealed class PageComparisonTests(ReportDocuments documents) : IClassFixture<ReportDocuments>
{
    /// <summary>The faults a layout can have, each as the specimen that has it.</summary>
    public static TheoryData<string> Faults => new(FaultySpecimens.Keys);

    private static readonly Dictionary<string, Specimen> FaultySpecimens = new()
    {
        ["table moved down by 3 pt"] = new Specimen { SpaceBeforeTable = 3 },
        ["table row missing"] = new Specimen { LastRow = false },
        ["table rules missing"] = new Specimen { TableRules = false },
        ["letterhead missing from the header"] = new Specimen { Letterhead = string.Empty },
        ["column running over the right margin"] = new Specimen { NoteWidth = 0.65 },
        ["signature line missing"] = new Specimen { Signature = false },
    };

    [Fact]
    public void Compare_SameDocumentRenderedAndRasterisedTwice_Identical()
    {
        // Rendering is deterministic: fixed input gives the same pixels, so the tolerance only has to absorb changes of
        // the rasteriser or the fonts, never run-to-run noise.
        var first = Pdftoppm.Rasterise(PatientDocuments.Leaflet(documents.Facts, ReportLanguage.Turkish, TestContext.Current.CancellationToken));
        var second = Pdftoppm.Rasterise(PatientDocuments.Leaflet(documents.Facts, ReportLanguage.Turkish, TestContext.Current.CancellationToken));

        Assert.Equal(first.Count, second.Count);
        Assert.All(first.Zip(second), p => Assert.Equal(p.First.Pixels, p.Second.Pixels));
    }

    [Theory]
    [InlineData("-aaVector", "no")]
    [InlineData("-thinlinemode", "solid")]
    public void Compare_SessionReportWithOtherAntiAliasing_Passes(string option, string value)
    {
        var pdf = documents["session-report"];
        var usual = Pdftoppm.Rasterise(pdf);
        var other = Pdftoppm.Rasterise(pdf, option, value);

        Assert.Equal(usual.Count, other.Count);
        Assert.All(usual.Zip(other), p => Assert.True(PageComparison.Compare(p.First, p.Second).WithinTolerance, $"{option} {value}: {PageComparison.Compare(p.First, p.Second).DifferingPixels} pixels differ"));
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(1.2)]
    public void Compare_EverythingMovedByAPixelOrLess_Passes(double points)
    {
        // Every glyph lands on another sub-pixel position and is anti-aliased anew: not a broken layout.
        var difference = PageComparison.Compare(Render(new Specimen()), Render(new Specimen { SpaceAtTop = points }));

        Assert.True(difference.WithinTolerance, $"{difference.DifferingPixels} pixels differ after a move of {points} pt");
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void Compare_SpecimenWithALayoutFault_Fails(string fault)
    {
        var good = Render(new Specimen());

        Assert.True(PageComparison.Compare(good, Render(new Specimen())).DifferingPixels == 0, "the specimen itself is not stable");
        var difference = PageComparison.Compare(good, Render(FaultySpecimens[fault]));
        Assert.False(difference.WithinTolerance, $"{fault}: only {difference.DifferingPixels} pixels differ");
    }

    [Theory]
    [MemberData(nameof(ReportDocuments.Names), MemberType = typeof(ReportDocuments))]
    public void Compare_EveryReferencePageMovedByTwoPixels_Fails(string document)
    {
        // Two pixels at 60 dpi are 2.4 pt (0.85 mm): a table or paragraph moved by that much is a changed layout.
        var pages = ReferenceImages.Read(document);

        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            foreach (var (dx, dy) in new[] { (2, 0), (0, 2), (-2, 0), (0, -2) })
            {
                var difference = PageComparison.Compare(page, page.Shifted(dx, dy));
                Assert.False(difference.WithinTolerance, $"{document}: moved ({dx}, {dy}) px, only {difference.DifferingPixels} pixels differ");
            }
        }
    }

    [Fact]
    public void Compare_PagesOfDifferentSizes_DifferEverywhere()
    {
        var a = new PageImage(10, 10, new byte[100]);
        var b = new PageImage(10, 11, new byte[110]);

        Assert.Equal(110, PageComparison.Compare(a, b).DifferingPixels);
    }

    private static PageImage Render(Specimen specimen)
    {
        var pages = Pdftoppm.Rasterise(specimen.Pdf());
        Assert.Single(pages);
        return pages[0];
    }

    /// <summary>A page like the reports' own: header, title, fields, a paragraph, bullets, a ruled table, a signature.</summary>
    private sealed record Specimen
    {
        public double SpaceAtTop { get; init; }

        public double SpaceBeforeTable { get; init; }

        public bool LastRow { get; init; } = true;

        public bool TableRules { get; init; } = true;

        public string Letterhead { get; init; } = "Anatolia Pain Clinic · Ankara";

        public double NoteWidth { get; init; } = 0.5;

        public bool Signature { get; init; } = true;

        public byte[] Pdf()
        {
            using var l = new PdfLayout("Specimen", Letterhead, "Elif Yılmaz · MRN DEMO-0001", "Page", "of");
            l.Space(SpaceAtTop);
            l.Title("Session report");
            l.Heading("Patient");
            l.Fields([("Patient", "Elif Yılmaz"), ("Record number (MRN)", "DEMO-0001")]);
            l.Paragraph("Ketamine is approved as an anaesthetic. Its use for long-lasting pain is off-label: doctors may prescribe it for this purpose, but the medicine is not licensed for it, which is why we ask for your written consent.");
            l.Bullets(["Feeling sick or being sick.", "Sleepiness, double vision or flickering eye movements, vivid dreams."]);
            l.Space(SpaceBeforeTable);
            l.Heading("Vital signs");
            string[][] rows = [["08:00", "128/80", "72", "98", "14", "pre-assessment baseline"], ["08:15", "135/84", "76", "97", "14", "infusion running at the planned rate, patient comfortable"], ["08:30", "131/82", "74", "98", "13", "no alert"]];
            l.Table(["Time", "BP mmHg", "HR /min", "SpO2 %", "RR /min", "Note"], LastRow ? rows : rows[..2], [0.1, 0.1, 0.1, 0.1, 0.1, NoteWidth], lines: TableRules);
            if (Signature)
            {
                l.Signature("Programmed by", "Nurse Deniz Aydın");
            }

            l.Paragraph("Not discharged yet.");
            return l.Save();
        }
    }
}
