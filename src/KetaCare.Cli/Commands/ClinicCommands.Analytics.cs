using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Reports;
using KetaCare.Interop.Text;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare analytics</c>: the clinic analytics of the page through the same <see cref="AnalyticsService"/> and the
/// same filter reading (<see cref="AnalyticsQuery"/>) — the summary, the Emax fit, the responder rates with their
/// Wilson intervals, dissociation and adverse events by predicted Cmax and the time to relapse, in English or Turkish —
/// and the CSV or PDF of the downloads. De-identified unless <c>--identified</c> with a <c>--reason</c>, which the
/// service grants only to an active physician and audits apart; every run is audited like a page view.
/// </summary>
internal static partial class ClinicCommands
{
    internal static Command Analytics(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        Option<string?> Text(string name, string description) => new(name) { Description = description };
        var from = Text("--from", "Courses whose first session is on or after this date, yyyy-MM-dd.");
        var to = Text("--to", "Courses whose first session is on or before this date, yyyy-MM-dd.");
        var protocol = Text("--protocol", "Protocol id, e.g. outpatient-seed.");
        var indication = Text("--indication", "Indication: " + string.Join(", ", Enum.GetNames<Clinic.Eligibility.Indication>()) + ".");
        var sex = Text("--sex", "Female or Male.");
        var ageBand = Text("--age-band", "Age band at the first session: " + string.Join(", ", Enum.GetNames<AgeBand>()) + ".");
        var axis = Text("--axis", "Exposure of the Emax fit: PlasmaAuc (default) or DoseMgPerKg.");
        var language = new Option<string>("--lang") { Description = "en or tr: the tables (and the PDF) in this language, numbers in its format.", DefaultValueFactory = _ => "en" };
        var format = Text("--format", "csv or pdf: also write the courses (csv) or the report with its charts (pdf) to --out.");
        var output = new Option<FileInfo?>("--out") { Description = "The file --format writes." };
        var identified = new Option<bool>("--identified") { Description = "Show each course's record number and name (an active physician only, with --reason; audited with the reason; charts and the PDF stay de-identified)." };
        var reason = Text("--reason", $"Why the courses are identified (1 to {AnalyticsService.MaxReasonLength} characters), kept in the audit log.");
        var command = new Command("analytics", "Clinic analytics of the courses a filter selects: responder rates with Wilson 95 % intervals, the Emax fit of relief on exposure, time to relapse, dissociation and adverse events by predicted Cmax; CSV or PDF (audited).")
        {
            database, connection, by, from, to, protocol, indication, sex, ageBand, axis, language, format, output, identified, reason,
        };
        command.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
        {
            var query = new AnalyticsQuery(parse.GetValue(from), parse.GetValue(to), parse.GetValue(protocol), parse.GetValue(indication), parse.GetValue(sex), parse.GetValue(ageBand), parse.GetValue(axis));
            var request = new AnalyticsRun(query, ReportCultures.Of(parse.GetValue(language)), parse.GetValue(format)?.Trim().ToLowerInvariant(), parse.GetValue(output), parse.GetValue(identified), parse.GetValue(reason));
            return request.Problem(parse.GetValue(language)) is { } problem
                ? Task.FromResult(context.UsageError(problem))
                : DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, t) => AnalyticsAsync(context, db, user, request, t), ct);
        }));
        return command;
    }

    // The options' own spelling of the query's fields, so an error names what was typed ("--age-band: …").
    private static string OptionName(string field) => field == "ageBand" ? "--age-band" : "--" + field;

    private static async Task<int> AnalyticsAsync(CliContext context, ClinicDatabase database, UserId by, AnalyticsRun run, CancellationToken ct)
    {
        var query = run.Query.Parse(OptionName);
        if (!query.IsSuccess)
        {
            return context.UsageError(CliContext.Say(query.Refusal));
        }

        await using var scope = ClinicScope.Open(database, by, context.Clock);
        var analytics = scope.Get<AnalyticsService>();
        var (filter, axis) = query.Value;
        var outcome = run.Identified
            ? await analytics.IdentifiedReportAsync(filter, axis, run.Reason, by, ct).ConfigureAwait(false)
            : Outcome<AnalyticsReport>.Ok(await analytics.ReportAsync(filter, axis, by, ct).ConfigureAwait(false));
        if (!outcome.IsSuccess)
        {
            return context.Refused(outcome.Refusal);
        }

        var report = outcome.Value;
        WriteAnalytics(context, report, run.Culture!);
        if (run.Format is null)
        {
            return ExitCodes.Success;
        }

        var (clinic, _) = await scope.Get<SettingsService>().ClinicIdentityAsync(ct).ConfigureAwait(false);
        var bytes = run.Format == "csv" ? AnalyticsDocuments.CsvBytes(report) : AnalyticsDocuments.Pdf(report, run.Culture!, context.Clock.GetUtcNow(), clinic, ct);
        try
        {
            await File.WriteAllBytesAsync(run.Out!.FullName, bytes, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return context.UsageError($"--out: cannot write \"{run.Out!.FullName}\": {e.Message}");
        }

        context.Out.WriteLine($"{(report.Identities is null ? "De-identified" : "Identified")} analytics ({run.Format}) written to {run.Out.FullName}");
        return ExitCodes.Success;
    }

    /// <summary>The page's tables as text, worded by the same helpers as the page and the PDF.</summary>
    private static void WriteAnalytics(CliContext context, AnalyticsReport report, CultureInfo c)
    {
        var t = Strings.For(c);
        context.Heading(t["Clinic analytics"]);
        context.Out.WriteLine(report.Identities is null ? t["De-identified: courses are numbered, no patient is named."] : t["Identified view: record numbers and names are shown for this view only, and the view is audited with your reason. Charts stay de-identified."]);
        foreach (var (label, value) in new[]
        {
            (t["Courses"].Value, report.Courses.Count.ToString(c)),
            (t["Sessions"].Value, report.Sessions.ToString(c)),
            (t["Responders (≥ 30 % reduction)"].Value, AnalyticsDocuments.Rate(report.Responders, c)),
            (t["Relapse line"].Value, t["pain above {0} of the pre-course baseline", TextFormat.Quantity(report.Settings.RelapseFraction * 100, "%", c)].Value),
            (t["Dissociation threshold"].Value, t["CADSS above {0} (the clinic's alert threshold)", report.CadssAbove].Value),
        })
        {
            context.Out.WriteLine($"  {label}: {value}");
        }

        if (report.Identities is { } who)
        {
            context.Heading(t["Courses"]);
            var courses = new TextTable(t["Course"], t["Record number"], t["Name"], t["Protocol"], ">" + t["Reduction"]);
            foreach (var course in report.Courses)
            {
                var id = who.GetValueOrDefault(course.Pseudonym);
                courses.Add(course.Pseudonym, id?.MedicalRecordNumber ?? string.Empty, id is null ? string.Empty : $"{id.FamilyName}, {id.GivenName}", course.ProtocolId, course.ReductionPercent is { } r ? TextFormat.Quantity(r, "%", c, 3) : "-");
            }

            context.Write(courses);
        }

        context.Heading(t["Relief against exposure"]);
        context.Out.WriteLine(AnalyticsDocuments.FitText(report, t, c));
        foreach (var (title, rows) in new[] { (t["Responders by protocol"], report.ByProtocol), (t["Responders by indication"], report.ByIndication), (t["Responders by highest dose level"], report.ByDoseLevel) })
        {
            context.Heading(title);
            var table = new TextTable(t["Group"], ">" + t["Responders (95 % CI)"]);
            rows.ToList().ForEach(g => table.Add(AnalyticsDocuments.GroupLabel(g.Group, t, c), AnalyticsDocuments.Rate(g.Rate, c)));
            context.Write(table);
        }

        context.Heading(t["Dissociation and adverse events by predicted plasma Cmax"]);
        var bands = new TextTable(t["Predicted Cmax"], ">" + t["Dissociation (95 % CI)"], ">" + t["Adverse event (95 % CI)"]);
        report.ByCmax.ToList().ForEach(b => bands.Add(AnalyticsDocuments.BandLabel(b, c), AnalyticsDocuments.Rate(b.Dissociation, c), AnalyticsDocuments.Rate(b.AdverseEvent, c)));
        context.Write(bands);
        context.Heading(t["Time to relapse after a course"]);
        context.Out.WriteLine(AnalyticsDocuments.RelapseText(report, t, c));
    }

    /// <summary>One run of <c>ketacare analytics</c> as given on the command line.</summary>
    private sealed record AnalyticsRun(AnalyticsQuery Query, CultureInfo? Culture, string? Format, FileInfo? Out, bool Identified, string? Reason)
    {
        /// <summary>The first option that cannot be used as given, naming it and what it accepts; null when all can.</summary>
        public string? Problem(string? language) =>
            Culture is null ? $"--lang: \"{language}\" is not a language; use en or tr."
            : Format is not (null or "csv" or "pdf") ? $"--format: \"{Format}\" is neither csv nor pdf."
            : Format is not null && Out is null ? "--out: the file to write is required with --format."
            : Format is null && Out is not null ? "--format: csv or pdf is required with --out."
            // The PDF carries charts and says on every page that no patient is named: it is never identified.
            : Identified && Format == "pdf" ? "--format: the PDF is always de-identified; write the identified view as csv."
            : !Identified && Reason is not null ? "--reason: only with --identified."
            : null;
    }
}
