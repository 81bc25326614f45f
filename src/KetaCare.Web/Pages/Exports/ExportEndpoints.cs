using System.Globalization;
using System.IO.Compression;
using KetaCare.Clinic;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Csv;
using KetaCare.Interop.Reports;
using KetaCare.Interop.Text;
using KetaCare.Web.Api;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Exports;

/// <summary>
/// Downloads: the controlled-substance registers as CSV and PDF (ReadStock); PDF reports (session report and course summary in the user's language; leaflet and consent form in the language asked for) and the research CSV export. Every one is read
/// through the clinic's services, so it is audited under the signed-in user; the research export adds its own event.
/// </summary>
public static class ExportEndpoints
{
    /// <summary>Maps the download endpoints under <c>/exports</c>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var g = app.MapGroup("/exports").RequireAuthorization(Policies.ReadClinical).ExcludeFromDescription();
        g.MapGet("/sessions/{id:guid}/report.pdf", (Guid id, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            PdfAsync(http, limits, $"session-{id:N}.pdf", ct => new ReportService(db, request.Clock, CultureInfo.CurrentUICulture).SessionReportAsync(new SessionId(id), request.RequiredUser, ct)));
        g.MapGet("/patients/{id:guid}/course.pdf", (Guid id, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            PdfAsync(http, limits, $"course-{id:N}.pdf", ct => new ReportService(db, request.Clock, CultureInfo.CurrentUICulture).CourseReportAsync(new PatientId(id), request.RequiredUser, ct)));
        g.MapGet("/patients/{id:guid}/leaflet.pdf", (Guid id, string? lang, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            PdfAsync(http, limits, $"leaflet-{Code(lang)}.pdf", ct => new ReportService(db, request.Clock).LeafletAsync(new PatientId(id), Language(lang), request.RequiredUser, cancellationToken: ct)));
        g.MapGet("/patients/{id:guid}/consent.pdf", (Guid id, string? lang, HttpContext http, WorkLimits limits, KetaCareDbContext db, ClinicRequest request) =>
            PdfAsync(http, limits, $"consent-{Code(lang)}.pdf", ct => new ReportService(db, request.Clock).ConsentFormAsync(new PatientId(id), Language(lang), request.RequiredUser, cancellationToken: ct)));
        g.MapGet("/research.zip", ResearchAsync);
        var analytics = app.MapGroup("/exports").RequireAuthorization(Policies.Analyse).ExcludeFromDescription();
        analytics.MapGet("/analytics.csv", AnalyticsCsvAsync);
        analytics.MapGet("/analytics.pdf", (string? from, string? to, string? protocol, string? indication, string? sex, string? ageBand, string? axis, HttpContext http, WorkLimits limits, AnalyticsService service, KetaCareDbContext db, ClinicRequest request) =>
            new AnalyticsQuery(from, to, protocol, indication, sex, ageBand, axis).Parse() is { IsSuccess: false } bad
                ? Task.FromResult(ApiProblems.Refused(bad.Refusal))
                : PdfAsync(http, limits, "ketacare-analytics.pdf", async ct =>
                {
                    var (filter, x) = new AnalyticsQuery(from, to, protocol, indication, sex, ageBand, axis).Parse().Value;
                    var report = await service.ReportAsync(filter, x, request.RequiredUser, ct).ConfigureAwait(false);
                    var (clinic, _) = await new SettingsService(db, request.Clock).ClinicIdentityAsync(ct).ConfigureAwait(false);
                    return Outcome<byte[]>.Ok(AnalyticsDocuments.Pdf(report, CultureInfo.CurrentUICulture, request.Clock.GetUtcNow(), clinic, ct));
                }));
        var stock = app.MapGroup("/exports/stock").RequireAuthorization(Policies.ReadStock).ExcludeFromDescription();
        stock.MapGet("/{name}.csv", StockCsvAsync);
        stock.MapGet("/{name}.pdf", StockPdfAsync);
    }

    /// <summary>The courses of the analytics filter as a de-identified CSV (invariant numbers, UTF-8 with BOM); an unreadable filter is 400 naming the field.</summary>
    private static async Task<IResult> AnalyticsCsvAsync(string? from, string? to, string? protocol, string? indication, string? sex, string? ageBand, string? axis, AnalyticsService service, ClinicRequest request, CancellationToken ct)
    {
        var query = new AnalyticsQuery(from, to, protocol, indication, sex, ageBand, axis).Parse();
        if (!query.IsSuccess)
        {
            return ApiProblems.Refused(query.Refusal);
        }

        var report = await service.ReportAsync(query.Value.Filter, query.Value.Axis, request.RequiredUser, ct).ConfigureAwait(false);
        return Results.File(AnalyticsDocuments.CsvBytes(report), "text/csv; charset=utf-8", "ketacare-analytics.csv");
    }

    /// <summary>One controlled-substance register as CSV in the user's language; an unknown register is 404.</summary>
    private static async Task<IResult> StockCsvAsync(string name, StockService stock, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var text = await new StockRegisterCsv(stock, db).WriteAsync(name, CultureInfo.CurrentUICulture, request.RequiredUser, ct).ConfigureAwait(false);
        return text is null
            ? UnknownRegister(name)
            : Results.File(new System.Text.UTF8Encoding(true).GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(text)).ToArray(), "text/csv; charset=utf-8", "ketacare-stock-" + name + ".csv");
    }

    /// <summary>One controlled-substance register as PDF in the user's language, bounded like the reports; an unknown register is 404.</summary>
    private static Task<IResult> StockPdfAsync(string name, HttpContext http, WorkLimits limits, StockService stock, KetaCareDbContext db, ClinicRequest request) =>
        StockLabels.Reports.All(r => r.Name != name)
            ? Task.FromResult(UnknownRegister(name))
            : PdfAsync(http, limits, "ketacare-stock-" + name + ".pdf", async ct => Outcome<byte[]>.Ok((await new StockRegisterPdf(stock, db, request.Clock).RenderAsync(name, CultureInfo.CurrentUICulture, request.RequiredUser, ct).ConfigureAwait(false))!));

    private static IResult UnknownRegister(string name) =>
        Results.Problem(detail: "register: " + name + " is not one of " + string.Join(", ", StockLabels.Reports.Select(r => r.Name)) + ".", statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// Both research files in one archive, so that a de-identified export's pseudonyms and date shifts (drawn anew for
    /// every export and never stored) link the two files.
    /// </summary>
    private static async Task<IResult> ResearchAsync(bool? deidentified, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var deid = deidentified ?? true;
        var files = await new ResearchExport(db, request.Clock).ExportAsync(deid, request.RequiredUser, ct).ConfigureAwait(false);
        db.RecordEvent("export", "research", deid ? "de-identified" : "identified", deid ? "research CSV, de-identified" : "research CSV with names");
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { (ResearchFiles.SessionsFileName, files.SessionsCsv), (ResearchFiles.OutcomesFileName, files.OutcomesCsv) })
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                await using var w = new StreamWriter(await entry.OpenAsync(ct).ConfigureAwait(false), new System.Text.UTF8Encoding(false));
                await w.WriteAsync(text).ConfigureAwait(false);
            }
        }

        return Results.File(zip.ToArray(), "application/zip", deid ? "ketacare-research-deidentified.zip" : "ketacare-research.zip");
    }

    // Bounded in time and by the client (WorkLimits): the rendering checks the token at every line and page.
    private static Task<IResult> PdfAsync(HttpContext http, WorkLimits limits, string name, Func<CancellationToken, Task<Outcome<byte[]>>> render) =>
        WorkLimits.RunAsync(http, limits.Report, async ct => Pdf(await render(ct).ConfigureAwait(false), name), () => WorkLimits.TooLong("The report " + name, limits.Report));

    private static IResult Pdf(Outcome<byte[]> pdf, string name) => pdf.IsSuccess
        ? Results.File(pdf.Value, "application/pdf", name)
        : Results.Problem(
            detail: FindingText.Render(pdf.Findings, pdf.Error, CultureInfo.InvariantCulture),
            statusCode: IsNotFound(pdf) ? StatusCodes.Status404NotFound : StatusCodes.Status422UnprocessableEntity);

    // A coded refusal says not-found by its code; an uncoded one in its words.
    private static bool IsNotFound(Outcome<byte[]> pdf) =>
        pdf.Findings.Any(f => f.Code == FindingCodes.NotFound) || (pdf.Error ?? string.Empty).Contains("not found", StringComparison.OrdinalIgnoreCase);

    private static ReportLanguage Language(string? lang) => string.Equals(lang, "tr", StringComparison.OrdinalIgnoreCase) ? ReportLanguage.Turkish : ReportLanguage.English;

    private static string Code(string? lang) => Language(lang) == ReportLanguage.Turkish ? "tr" : "en";
}
