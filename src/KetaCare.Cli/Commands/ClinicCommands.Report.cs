using System.CommandLine;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Interop.Csv;
using KetaCare.Interop.Reports;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare report session|course|leaflet|consent|csv</c>: PDF reports and the research CSV export through
/// <see cref="ReportService"/> and <see cref="ResearchExport"/>; every chart read is audited under <c>--by</c>.
/// </summary>
internal static partial class ClinicCommands
{
    internal static Command Report(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var command = new Command("report", "PDF reports (session, course summary, patient leaflet, consent form) and the research CSV export; reads are audited.") { database, connection, by };

        Option<FileInfo> Out() => new("--out") { Description = "The PDF file to write.", Required = true };
        Option<string> Patient() => new("--patient") { Description = "The patient: medical record number, or patient id (a GUID).", Required = true };

        void Add(Command c, Func<ParseResult, KetaCareDbContext, UserId, CancellationToken, Task<int>> run)
        {
            c.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, async (db, t) =>
            {
                await using var ctx = db.Open(user, context.Clock);
                return await run(parse, ctx, user, t).ConfigureAwait(false);
            }, ct)));
            command.Subcommands.Add(c);
        }

        var sessionId = new Option<string>("--session") { Description = "The session id (a GUID, printed by 'session schedule').", Required = true };
        var sessionOut = Out();
        Add(new Command("session", "Session report: patient, plan, pump program, rate segments, vitals and scores, timeline chart, adverse events, discharge, signatures.") { sessionId, sessionOut }, async (p, db, user, ct) =>
        {
            var text = p.GetValue(sessionId)!;
            return !Guid.TryParse(text.Trim(), out var g)
                ? context.UsageError($"--session: \"{text}\" is not a session id (a GUID printed by 'session schedule').")
                : await WritePdfAsync(context, p.GetValue(sessionOut)!, await new ReportService(db, context.Clock).SessionReportAsync(new SessionId(g), user, ct).ConfigureAwait(false)).ConfigureAwait(false);
        });

        var coursePatient = Patient();
        var courseOut = Out();
        Add(new Command("course", "Course summary: doses per session, pain trajectory chart, responder status.") { coursePatient, courseOut }, async (p, db, user, ct) =>
        {
            var id = await PatientIdAsync(db, p.GetValue(coursePatient)!, ct).ConfigureAwait(false);
            return id is { } pid
                ? await WritePdfAsync(context, p.GetValue(courseOut)!, await new ReportService(db, context.Clock).CourseReportAsync(pid, user, ct).ConfigureAwait(false)).ConfigureAwait(false)
                : NoPatient(context, p.GetValue(coursePatient)!);
        });

        foreach (var kind in new[] { "leaflet", "consent" })
        {
            var patient = Patient();
            var output = Out();
            var lang = new Option<string>("--lang") { Description = "Language: en or tr.", DefaultValueFactory = _ => "en" };
            var protocol = new Option<string?>("--protocol") { Description = "Protocol to describe when the patient has no plan yet (the consent comes before the plan), e.g. outpatient-seed." };
            var description = kind == "leaflet"
                ? "Patient information leaflet for off-label ketamine for pain, filled for the patient's plan (English or Turkish)."
                : $"Informed-consent form (form version {ConsentForm.Version}), filled for the patient's plan; record the signed form with 'patients record --consent off-label --document {ConsentForm.Version}/<lang>/<MRN>'.";
            Add(new Command(kind, description) { patient, output, lang, protocol }, async (p, db, user, ct) =>
            {
                var language = p.GetValue(lang)?.Trim() switch
                {
                    "en" or "EN" => ReportLanguage.English,
                    "tr" or "TR" => ReportLanguage.Turkish,
                    _ => (ReportLanguage?)null,
                };
                if (language is null)
                {
                    return context.UsageError($"--lang: \"{p.GetValue(lang)}\" is not a language; use en or tr.");
                }

                var id = await PatientIdAsync(db, p.GetValue(patient)!, ct).ConfigureAwait(false);
                if (id is not { } pid)
                {
                    return NoPatient(context, p.GetValue(patient)!);
                }

                var service = new ReportService(db, context.Clock);
                var pdf = kind == "leaflet"
                    ? await service.LeafletAsync(pid, language.Value, user, p.GetValue(protocol), ct).ConfigureAwait(false)
                    : await service.ConsentFormAsync(pid, language.Value, user, p.GetValue(protocol), ct).ConfigureAwait(false);
                return await WritePdfAsync(context, p.GetValue(output)!, pdf).ConfigureAwait(false);
            });
        }

        var outDir = new Option<DirectoryInfo>("--out-dir") { Description = $"Folder for {ResearchFiles.SessionsFileName} and {ResearchFiles.OutcomesFileName} (created if missing).", Required = true };
        var deidentify = new Option<bool>("--deidentify") { Description = "Leave out names, record numbers and birth dates; random pseudonyms; dates shifted per patient (intervals kept). The mapping is never written." };
        Add(new Command("csv", "Research export: one row per session, one row per patient's course outcome (RFC 4180, invariant numbers, ISO 8601 UTC).") { outDir, deidentify }, async (p, db, user, ct) =>
        {
            var dir = p.GetValue(outDir)!;
            var files = await new ResearchExport(db, context.Clock).ExportAsync(p.GetValue(deidentify), user, ct).ConfigureAwait(false);
            try
            {
                Directory.CreateDirectory(dir.FullName);
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, ResearchFiles.SessionsFileName), files.SessionsCsv, ct).ConfigureAwait(false);
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, ResearchFiles.OutcomesFileName), files.OutcomesCsv, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return context.UsageError($"--out-dir: cannot write to \"{dir.FullName}\": {e.Message}");
            }

            context.Out.WriteLine($"{(files.Deidentified ? "De-identified" : "Identified")} export written to {dir.FullName}: {ResearchFiles.SessionsFileName}, {ResearchFiles.OutcomesFileName}");
            return ExitCodes.Success;
        });

        return command;
    }

    private static async Task<PatientId?> PatientIdAsync(KetaCareDbContext db, string text, CancellationToken ct)
    {
        if (Guid.TryParse(text.Trim(), out var g))
        {
            return new PatientId(g);
        }

        return (await FindAsync(db, text, ct).ConfigureAwait(false))?.Id;
    }

    private static async Task<int> WritePdfAsync(CliContext context, FileInfo file, Outcome<byte[]> pdf)
    {
        if (!pdf.IsSuccess)
        {
            return context.Refused(pdf.Refusal);
        }

        try
        {
            await File.WriteAllBytesAsync(file.FullName, pdf.Value).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return context.UsageError($"--out: cannot write \"{file.FullName}\": {e.Message}");
        }

        context.Out.WriteLine($"Report written to {file.FullName}");
        return ExitCodes.Success;
    }
}
