using System.Globalization;
using System.Text;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Clinics;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Protocols;
using KetaCare.Interop.Charts;
using KetaCare.Interop.Csv;
using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;

namespace KetaCare.Interop.Reports;

/// <summary>
/// The clinic analytics as files: a de-identified CSV of the courses (pseudonym, sex, age band, protocol, indication,
/// exposure, scores, relapse — no name, record number or date) and a PDF with the same tables and charts as the page,
/// in the reader's language. Stateless.
/// </summary>
public static class AnalyticsDocuments
{
    /// <summary>CSV columns, one row per course, invariant numbers.</summary>
    public static IReadOnlyList<string> CsvHeader { get; } =
        ["course", "sex", "age_band", "protocol", "indication", "sessions", "top_dose_level", "mean_dose_mg_per_kg", "mean_plasma_auc_ng_h_per_ml", "max_plasma_cmax_ng_per_ml", "max_effect_cmax_ng_per_ml", "max_cadss", "sessions_with_adverse_event", "baseline_nrs", "reduction_percent", "responder", "relapse_days", "relapse_event"];

    /// <summary>Columns the identified view adds after "course" (never in the de-identified file).</summary>
    public static IReadOnlyList<string> IdentifiedColumns { get; } = ["medical_record_number", "family_name", "given_name"];

    /// <summary>
    /// The selected courses as CSV: <see cref="CsvHeader"/>, with <see cref="IdentifiedColumns"/> after the course when
    /// the report is the identified view (<see cref="AnalyticsReport.Identities"/>).
    /// </summary>
    public static string Csv(AnalyticsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var identified = report.Identities;
        var w = new CsvWriter(identified is null ? CsvHeader : [CsvHeader[0], .. IdentifiedColumns, .. CsvHeader.Skip(1)]);
        foreach (var c in report.Courses)
        {
            var s = c.Sessions;
            var who = identified?.GetValueOrDefault(c.Pseudonym);
            string?[] identity = identified is null ? [] : [who?.MedicalRecordNumber, who?.FamilyName, who?.GivenName];
            w.Row(
            [
                c.Pseudonym,
                .. identity,
                c.Sex?.ToString(),
                c.AgeBand.ToString(),
                c.ProtocolId,
                c.Indication?.ToString(),
                CsvWriter.Number(s.Count),
                c.TopDoseLevel,
                CsvWriter.Number(s.Count == 0 ? null : s.Average(x => x.DoseMgPerKg)),
                CsvWriter.Number(s.Count == 0 ? null : s.Average(x => x.PlasmaAuc)),
                CsvWriter.Number(s.Count == 0 ? null : s.Max(x => x.PlasmaCmax)),
                CsvWriter.Number(s.Count == 0 ? null : s.Max(x => x.EffectCmax)),
                CsvWriter.Number(s.Max(x => x.MaxCadss)),
                CsvWriter.Number(s.Count(x => x.AdverseEvent)),
                CsvWriter.Number(c.Baseline),
                CsvWriter.Number(c.ReductionPercent),
                c.Responder is { } r ? (r ? "yes" : "no") : string.Empty,
                CsvWriter.Number(c.Relapse?.Days),
                c.Relapse is { } e ? (e.Event ? "relapse" : "censored") : string.Empty,
            ]);
        }

        return w.ToString();
    }

    /// <summary><see cref="Csv"/> as the bytes of a download: UTF-8 with a byte-order mark, so spreadsheets read Turkish names right.</summary>
    public static byte[] CsvBytes(AnalyticsReport report) => [.. new UTF8Encoding(true).GetPreamble(), .. Encoding.UTF8.GetBytes(Csv(report))];

    /// <summary>A group key in words: an indication's name, a dose level in the reader's units, "unknown", or the key itself (protocol ids).</summary>
    public static string GroupLabel(string group, IStringLocalizer t, CultureInfo c)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Enum.TryParse<Indication>(group, out var indication)
            ? t[SessionLabels.Words(indication)]
            : group == "unknown"
                ? t["Unknown"]
                : char.IsAsciiDigit(group.FirstOrDefault()) && DoseLevel.Parse(group) is { IsSuccess: true } dose ? TextFormat.Dose(dose.Value, c) : group;
    }

    /// <summary>An age band in words.</summary>
    public static string AgeBandLabel(AgeBand band, IStringLocalizer t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return band switch
        {
            AgeBand.Under40 => t["under 40"],
            AgeBand.From40To59 => t["40 to 59"],
            _ => t["60 and over"],
        };
    }

    /// <summary>A rate with its interval: "12/40 (30 %; 18–45 %)".</summary>
    public static string Rate(Proportion p, CultureInfo c)
    {
        ArgumentNullException.ThrowIfNull(p);
        return p.Trials == 0
            ? "0/0"
            : string.Create(c, $"{p.Successes}/{p.Trials} ({TextFormat.Quantity(p.Estimate * 100, "%", c, 3)}; {TextFormat.Number(p.Low * 100, c, 3)}–{TextFormat.Quantity(p.High * 100, "%", c, 3)})");
    }

    /// <summary>A Cmax band in words: "70–160 ng/mL", "≥ 1200 ng/mL".</summary>
    public static string BandLabel(CmaxBand b, CultureInfo c)
    {
        ArgumentNullException.ThrowIfNull(b);
        return double.IsPositiveInfinity(b.HighNgPerMl)
            ? "≥ " + TextFormat.Quantity(b.LowNgPerMl, "ng/mL", c)
            : TextFormat.Number(b.LowNgPerMl, c) + "–" + TextFormat.Quantity(b.HighNgPerMl, "ng/mL", c);
    }

    /// <summary>The analytics as a PDF: filter and settings, the exposure–response chart and fit, the rate tables, the relapse curve.</summary>
    public static byte[] Pdf(AnalyticsReport report, CultureInfo c, DateTimeOffset printedAt, ClinicIdentity? clinic = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = Strings.For(c);
        using var l = new PdfLayout(t["Clinic analytics"], clinic is { IsSet: true } id ? id.Letterhead : t["KetaCare — clinic analytics"], t["De-identified: courses are numbered, no patient is named."], t["Page"], t["of|pages"], cancellationToken);
        l.Title(t["Clinic analytics"]);
        l.Paragraph(t["Printed {0}", TextFormat.DateTimeUtc(printedAt, c)]);
        l.Fields(
        [
            (t["Courses"], report.Courses.Count.ToString(c)),
            (t["Sessions"], report.Sessions.ToString(c)),
            (t["Responders (≥ 30 % reduction)"], Rate(report.Responders, c)),
            (t["Relapse line"], t["pain above {0} of the pre-course baseline", TextFormat.Quantity(report.Settings.RelapseFraction * 100, "%", c)]),
            (t["Dissociation threshold"], t["CADSS above {0} (the clinic's alert threshold)", report.CadssAbove]),
        ]);

        l.Heading(t["Relief against exposure"]);
        l.Image(AnalyticsCharts.ExposureResponsePng(report, c));
        l.Paragraph(FitText(report, t, c));

        foreach (var (title, rows) in new[] { (t["Responders by protocol"], report.ByProtocol), (t["Responders by indication"], report.ByIndication), (t["Responders by highest dose level"], report.ByDoseLevel) })
        {
            l.Heading(title);
            l.Table([t["Group"], t["Responders (95 % CI)"]], rows.Select(r => new[] { GroupLabel(r.Group, t, c), Rate(r.Rate, c) }), [0.5, 0.5]);
        }

        l.Heading(t["Dissociation and adverse events by predicted plasma Cmax"]);
        l.Table([t["Predicted Cmax"], t["Dissociation (95 % CI)"], t["Adverse event (95 % CI)"]], report.ByCmax.Select(b => new[] { BandLabel(b, c), Rate(b.Dissociation, c), Rate(b.AdverseEvent, c) }), [0.3, 0.35, 0.35]);

        l.Heading(t["Time to relapse after a course"]);
        l.Image(AnalyticsCharts.RelapsePng(report, c));
        l.Paragraph(RelapseText(report, t, c));
        return l.Save();
    }

    /// <summary>The fit in one sentence, or why there is none.</summary>
    public static string FitText(AnalyticsReport report, IStringLocalizer t, CultureInfo c)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(t);
        if (!report.Fit.IsSuccess)
        {
            return t["No fit:"] + " " + FindingText.Render(report.Fit.Findings, report.Fit.Error ?? string.Empty, c);
        }

        var f = report.Fit.Value;
        string E(Estimate e) => string.Create(c, $"{TextFormat.Number(e.Value, c, 3)} ({TextFormat.Number(e.Low, c, 3)}–{TextFormat.Number(e.High, c, 3)})");

        // To 0.1 %, the finest difference of a reduction from NRS scores that means anything: data that lie on the curve
        // leave a residual of rounding error, which three significant digits would print as 0.000000000000017 %.
        return t["Emax fit of {0} courses: E0 {1} %, Emax {2} %, EC50 {3}; residual SD {4} % (95 % limits in brackets).", f.Points, E(f.E0), E(f.Emax), E(f.Ec50), TextFormat.Number(Math.Round(f.ResidualStandardDeviation, 1), c)];
    }

    /// <summary>The relapse curve in one sentence: courses at risk, relapses, the median and the 75 % point.</summary>
    public static string RelapseText(AnalyticsReport report, IStringLocalizer t, CultureInfo c)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(t);
        var k = report.Relapse;
        string Days(double? d) => d is { } v ? TextFormat.Quantity(v, "d", c, 3) : t["not reached"];
        return t["{0} courses ended with relief; {1} relapsed. Median time to relapse {2}; a quarter had relapsed by {3}.", k.Subjects, k.Steps.Sum(s => s.Events), Days(k.Median), Days(report.RelapseFreeUntil(0.75))];
    }
}
