using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Eligibility;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Interop.Tests.Reports;

/// <summary>
/// Ten courses built by hand so that every figure of the analytics is known without running the analysis: relief lies
/// exactly on the Emax curve E0 10 %, Emax 60 %, EC50 100 ng·h/mL; the five courses of outpatient-seed (mean AUC 10–45)
/// stay below 30 % and the five of rema2012 (100–1600) are above it; sessions of courses 1–3 peak at 100 ng/mL and never
/// dissociate, of courses 4–6 at 200 ng/mL with one dissociating session each, of courses 7–10 at 300 ng/mL all
/// dissociating, one of them with an adverse event; the responders relapse at 10, 20 and 30 days and two are censored at
/// 40 and 50 days (Kaplan–Meier by hand: 0.8, 0.6, 0.4 — median 30 days, a quarter by 20 days).
/// </summary>
internal static class KnownAnalyticsCohort
{
    public const double E0 = 10;
    public const double Emax = 60;
    public const double Ec50 = 100;

    /// <summary>Mean plasma AUC per session of each course, ng·h/mL.</summary>
    public static IReadOnlyList<double> Aucs { get; } = [10, 20, 25, 40, 45, 100, 200, 400, 800, 1600];

    /// <summary>When the PDF says it was printed.</summary>
    public static DateTimeOffset PrintedAt { get; } = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The courses.</summary>
    public static IReadOnlyList<CourseFacts> Courses()
    {
        TimeToEvent?[] relapse = [null, null, null, null, null, new(10, true), new(20, true), new(30, true), new(40, false), new(50, false)];
        var courses = new List<CourseFacts>();
        for (var i = 0; i < Aucs.Count; i++)
        {
            var auc = Aucs[i];
            var (cmax, dissociated) = i < 3 ? (100.0, new[] { false, false }) : i < 6 ? (200.0, new[] { true, false }) : (300.0, new[] { true, true });
            var level = i < 5 ? "0.5 mg/kg/h" : "1 mg/kg/h";
            SessionFacts[] sessions = [.. dissociated.Select((d, s) => new SessionFacts(level, i < 5 ? 0.5 : 1, auc, cmax, cmax * 0.8, d ? 40 : 10, d, i == 9 && s == 0))];
            courses.Add(new CourseFacts(
                ClinicAnalytics.Pseudonym(i),
                i % 2 == 0 ? Sex.Female : Sex.Male,
                AgeBand.From40To59,
                i < 5 ? "outpatient-seed" : "rema2012",
                Indication.ComplexRegionalPainSyndrome,
                new DateOnly(2026, 1, 5).AddDays(7 * i),
                sessions,
                8,
                E0 + (Emax * auc / (Ec50 + auc)),
                relapse[i])
            {
                TopDoseLevel = level,
            });
        }

        return courses;
    }

    /// <summary>The analysis of all ten, with the default relapse line and a CADSS alert threshold of 30.</summary>
    public static AnalyticsReport Report() => ClinicAnalytics.Analyse(Courses(), AnalyticsFilter.All, ExposureAxis.PlasmaAuc, AnalyticsSettings.Default, 30);
}
