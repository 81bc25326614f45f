using System.Globalization;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Reports;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>The session report and the course summary in Turkish: Turkish words, comma decimals, Turkish units and dates.</summary>
public sealed partial class TurkishReportTests
{
    private static readonly CultureInfo Turkish = CultureInfo.GetCultureInfo("tr-TR");

    [Fact]
    public async Task SessionReport_Turkish_TurkishWordsCommaDecimalsAndHourAsSa()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, sessions) = await db.CrpsAsync();
        var session = sessions[1];
        await using var c = db.Open();

        var pdf = await new ReportService(c, db.Clock, Turkish).SessionReportAsync(session.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        Assert.True(pdf.IsSuccess, pdf.IsSuccess ? null : pdf.Error);
        var (pages, text) = PdfReportTests.ReadPdf(pdf.Value);
        foreach (var words in new[] { "Seans raporu", "Hasta", "Pompa programı", "Yaşam bulguları ve skorlar", "İmzalar", "Modifiye Aldrete 10/10", $"Sayfa 1 / {pages}", patient.Demographics.MedicalRecordNumber })
        {
            Assert.Contains(words, text, StringComparison.Ordinal);
        }

        // Hazard: a rate read 10× off. The segment's rate is written with a decimal comma and Turkish hour units.
        var segment = session.Segments.Single();
        Assert.Contains(TextFormat.Quantity(segment.RateMlPerHour, "mL/h", Turkish), text, StringComparison.Ordinal);
        Assert.Contains("mL/sa", text, StringComparison.Ordinal);
        Assert.DoesNotContain("mL/h", text, StringComparison.Ordinal);
        Assert.Contains(TextFormat.Date(session.ScheduledFor, Turkish), text, StringComparison.Ordinal);
        AssertNoEnglish(text);
    }

    [Fact]
    public async Task CourseReport_Turkish_TurkishResponderStatusAndPercentFirst()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, _) = await db.CrpsAsync();
        await using var c = db.Open();
        var outcome = (await new OutcomeService(c, db.Clock).CourseAsync(patient.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken)).Value;

        var pdf = await new ReportService(c, db.Clock, Turkish).CourseReportAsync(patient.Id, SeededDatabase.Reader, TestContext.Current.CancellationToken);

        var (_, text) = PdfReportTests.ReadPdf(pdf.Value);
        Assert.Contains("Kür özeti", text, StringComparison.Ordinal);
        Assert.Contains("Yanıt durumu", text, StringComparison.Ordinal);
        Assert.Contains("yanıtlı", text, StringComparison.Ordinal);
        Assert.Contains("%", text, StringComparison.Ordinal);
        Assert.All(outcome.PerSession, s => Assert.Contains(TextFormat.Quantity(s.DoseGiven.Milligrams, "mg", Turkish), text, StringComparison.Ordinal));
        AssertNoEnglish(text);
    }

    [Fact]
    public async Task ConsentForm_Turkish_FilledInTurkish()
    {
        await using var db = await SeededDatabase.CreateAsync();
        var (patient, _, _) = await db.CrpsAsync();
        await using var c = db.Open();

        var pdf = await new ReportService(c, db.Clock).ConsentFormAsync(patient.Id, ReportLanguage.Turkish, SeededDatabase.Reader, cancellationToken: TestContext.Current.CancellationToken);

        var (_, text) = PdfReportTests.ReadPdf(pdf.Value);
        Assert.Contains("Aydınlatılmış onam formu", text, StringComparison.Ordinal);
        Assert.Contains("Paraf:", text, StringComparison.Ordinal);
        Assert.Contains(ConsentForm.DocumentReference(patient.Demographics.MedicalRecordNumber, ReportLanguage.Turkish), text, StringComparison.Ordinal);
        AssertNoEnglish(text);
    }

    // Common English words that are not Turkish ones ("not" is: a note); free text typed into the seeded records is left out.
    private static void AssertNoEnglish(string text)
    {
        text = text.Replace("demo: predicted peak reviewed with the patient's previous sessions", " ", StringComparison.Ordinal);
        var found = EnglishWord().Matches(text).Select(m => text.Substring(Math.Max(0, m.Index - 30), Math.Min(text.Length - Math.Max(0, m.Index - 30), 70))).ToList();
        Assert.True(found.Count == 0, "English in the Turkish document:\n" + string.Join("\n", found));
    }

    [GeneratedRegex(@"(?<![\p{L}\-/])(the|and|of|with|is|are|for|to|from|was|has|this|that|by|or|your|will|none|yet|given|start|step|ceiling|session|report)(?![\p{L}\-/])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EnglishWord();
}
