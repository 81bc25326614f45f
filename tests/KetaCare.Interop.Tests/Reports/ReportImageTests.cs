using System.Globalization;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// Every page of every PDF document KetaCare prints, rasterised by pdftoppm, against its reviewed reference image within
/// <see cref="PageComparison"/>'s tolerance: a table moved, a line lost, a header broken or text over a margin fails
/// here, where the text checks of PdfReportTests still pass. After an intended change of a document, rewrite the
/// references with KETACARE_UPDATE_REPORT_IMAGES=1 and review them in the diff.
/// </summary>
public sealed class ReportImageTests(ReportDocuments documents) : IClassFixture<ReportDocuments>
{
    [Theory]
    [MemberData(nameof(ReportDocuments.Names), MemberType = typeof(ReportDocuments))]
    public void Document_EveryPage_MatchesItsReviewedImage(string document)
    {
        var pages = Pdftoppm.Rasterise(documents[document]);
        ReferenceImages.ClearMismatches(document);
        if (ReferenceImages.Updating)
        {
            ReferenceImages.Write(document, pages);
            TestContext.Current.SendDiagnosticMessage($"{document}: {pages.Count} reference page(s) written to {ReferenceImages.Folder}");
            return;
        }

        var references = ReferenceImages.Read(document);
        var problems = new List<string>();
        if (references.Count != pages.Count)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{pages.Count} page(s) rendered, {references.Count} in the reference images"));
        }

        for (var i = 0; i < pages.Count; i++)
        {
            var difference = i < references.Count ? PageComparison.Compare(references[i], pages[i]) : null;
            if (difference is { WithinTolerance: true })
            {
                continue;
            }

            var (actual, diff) = ReferenceImages.WriteMismatch(document, i + 1, pages[i], difference?.Diff);
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"page {i + 1}: {(difference is null ? "no reference" : $"{difference.DifferingPixels} pixels differ ({difference.Fraction:P3}, at most {PageComparison.MaxDifferingFraction:P3} allowed)")}; rendered {actual}, diff {diff}"));
        }

        Assert.True(problems.Count == 0,
            $"{document} does not match its reference images in {ReferenceImages.Folder}:\n{string.Join("\n", problems)}\n" +
            "If the change is intended, rewrite them with KETACARE_UPDATE_REPORT_IMAGES=1 dotnet test tests/KetaCare.Interop.Tests --filter ReportImageTests and review the images.");
    }

    [Fact]
    public void ReferenceImages_EachIsAPageOfAPrintedDocumentAndAllStayWithinTheBudget()
    {
        var files = Directory.EnumerateFiles(ReferenceImages.Folder, "*.png").Select(f => new FileInfo(f)).ToList();
        var pages = ReportDocuments.All.SelectMany(ReferenceImages.Files).ToHashSet();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Contains(f.FullName, pages));
        Assert.True(files.Sum(f => f.Length) <= ReferenceImages.BudgetBytes, $"{files.Sum(f => f.Length)} bytes of reference images, budget {ReferenceImages.BudgetBytes}");
    }
}
