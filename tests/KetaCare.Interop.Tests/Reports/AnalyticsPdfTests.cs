using System.Globalization;
using KetaCare.Clinic.Analytics;
using KetaCare.Interop.Reports;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// The analytics PDF of <see cref="KnownAnalyticsCohort"/>, read back by pdftotext: each figure is the one worked out
/// by hand for that cohort (Wilson intervals from the closed form, the Kaplan–Meier steps, the Emax curve the reliefs
/// were put on), so a table that shows another group's rate, a lost row or a wrong interval fails here. The page
/// layout is checked against the reviewed images by <see cref="ReportImageTests"/> ("analytics-en").
/// </summary>
public sealed class AnalyticsPdfTests
{
    private static string Text(AnalyticsReport report, string culture = "en-GB") =>
        Pdftotext.Text(AnalyticsDocuments.Pdf(report, CultureInfo.GetCultureInfo(culture), KnownAnalyticsCohort.PrintedAt, cancellationToken: TestContext.Current.CancellationToken));

    [Fact]
    public void Pdf_KnownCohort_SummaryAndResponderRatesWithTheirWilsonIntervals()
    {
        var text = Text(KnownAnalyticsCohort.Report());

        Assert.Contains("Courses 10 Sessions 20", text, StringComparison.Ordinal);
        // 5/10: Wilson 95 % 0.2366–0.7634; 0/5: 0–0.4345; 5/5: 0.5655–1 (n / (n + 1.96²)).
        Assert.Contains("Responders (≥ 30 % reduction) 5/10 (50 %; 23.7–76.3 %)", text, StringComparison.Ordinal);
        Assert.Contains("Responders by protocol Group Responders (95 % CI) outpatient-seed 0/5 (0 %; 0–43.4 %) rema2012 5/5 (100 %; 56.6–100 %)", text, StringComparison.Ordinal);
        Assert.Contains("Complex regional pain syndrome 5/10 (50 %; 23.7–76.3 %)", text, StringComparison.Ordinal);
        Assert.Contains("0.5 mg/kg/h 0/5 (0 %; 0–43.4 %) 1 mg/kg/h 5/5 (100 %; 56.6–100 %)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_KnownCohort_DissociationAndAdverseEventsByCmaxBand()
    {
        var text = Text(KnownAnalyticsCohort.Report());

        // 70–160: 0/6 (upper 3.84 / 9.84 = 0.390); 160–250: 3/6 (0.188–0.812); 250–1200: 8/8 (lower 8 / 11.84 = 0.676),
        // adverse events 1/8 (0.0224–0.471); no session below 70 or from 1200.
        Assert.Contains("0–70 ng/mL 0/0 0/0", text, StringComparison.Ordinal);
        Assert.Contains("70–160 ng/mL 0/6 (0 %; 0–39 %) 0/6 (0 %; 0–39 %)", text, StringComparison.Ordinal);
        Assert.Contains("160–250 ng/mL 3/6 (50 %; 18.8–81.2 %) 0/6 (0 %; 0–39 %)", text, StringComparison.Ordinal);
        Assert.Contains("250–1200 ng/mL 8/8 (100 %; 67.6–100 %) 1/8 (12.5 %; 2.24–47.1 %)", text, StringComparison.Ordinal);
        Assert.Contains("≥ 1200 ng/mL 0/0 0/0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_KnownCohort_TheEmaxCurveTheReliefsLieOnAndTheRelapseSteps()
    {
        var text = Text(KnownAnalyticsCohort.Report());

        Assert.Contains("Emax fit of 10 courses: E0 10 (", text, StringComparison.Ordinal);
        Assert.Contains("Emax 60 (", text, StringComparison.Ordinal);
        Assert.Contains("EC50 100 (", text, StringComparison.Ordinal);
        Assert.Contains("residual SD 0 %", text, StringComparison.Ordinal);
        Assert.Contains("5 courses ended with relief; 3 relapsed. Median time to relapse 30 d; a quarter had relapsed by 20 d.", text, StringComparison.Ordinal);
        Assert.Contains("Printed 2026-12-01 09:30 UTC", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_KnownCohortInTurkish_TurkishWordsAndNumbers()
    {
        var text = Text(KnownAnalyticsCohort.Report(), "tr-TR");

        Assert.Contains("5/10 (%50; 23,7–%76,3)", text, StringComparison.Ordinal);
        Assert.Contains("3/6 (%50; 18,8–%81,2)", text, StringComparison.Ordinal);
        Assert.Contains("Nükse kadar ortanca süre 30 gün", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_IdentifiedReport_StillNamesNoPatient()
    {
        var report = KnownAnalyticsCohort.Report();
        var identified = report with { Identities = report.Courses.ToDictionary(c => c.Pseudonym, c => new CourseIdentity("MRN-" + c.Pseudonym, "Yılmaz", "Elif")) };

        var text = Text(identified);

        Assert.DoesNotContain("MRN-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Yılmaz", text, StringComparison.Ordinal);
        Assert.Contains("De-identified: courses are numbered, no patient is named.", text, StringComparison.Ordinal);
    }
}
