using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary><c>ketacare outcomes record</c>: follow-up pain NRS, BPI short form and PGIC through <see cref="OutcomeService"/>.</summary>
internal static partial class ClinicCommands
{
    private static Command RecordOutcome(CliContext context, Option<string?> database, Option<string?> connection, Option<string?> by)
    {
        var record = new Argument<string>("RECORD") { Description = "The patient's medical record number." };
        var nrs = new Option<string?>("--nrs") { Description = "Follow-up pain NRS, 0–10." };
        var note = new Option<string?>("--note") { Description = "Note with the follow-up NRS (e.g. telephone)." };
        var bpi = new Option<string?>("--bpi") { Description = "BPI short form severity items worst,least,average,now (each 0–10), with --interference." };
        var interference = new Option<string?>("--interference") { Description = "BPI interference items, seven scores 0–10 separated by commas." };
        var pgic = new Option<string?>("--pgic") { Description = "PGIC, 1 (very much improved) to 7 (very much worse)." };
        var at = new Option<string?>("--at") { Description = "When, ISO 8601 UTC (default: now); BPI and PGIC take its date." };
        var command = new Command("record", "Record follow-up outcome measures: pain NRS, BPI short form and/or PGIC (each an audited change of the chart).")
        {
            record, nrs, note, bpi, interference, pgic, at,
        };
        command.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
        {
            var clock = ClockOption(context, parse.GetValue(at));
            var n = IntOption(parse.GetValue(nrs), "--nrs");
            var g = IntOption(parse.GetValue(pgic), "--pgic");
            var severity = IntList(parse.GetValue(bpi), "--bpi", 4);
            var items = IntList(parse.GetValue(interference), "--interference", 7);
            var error = clock.IsSuccess ? n.IsSuccess ? g.IsSuccess ? severity.IsSuccess ? items.IsSuccess ? null : items.Error : severity.Error : g.Error : n.Error : clock.Error;
            if (error is null && n.Value is { } nv && nv is < 0 or > 10)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"--nrs: {nv} is outside 0–10.");
            }

            if (error is null && g.Value is { } gv && gv is < 1 or > 7)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"--pgic: {gv} is outside 1–7.");
            }

            if (error is null && (severity.Value is null) != (items.Value is null))
            {
                error = "--bpi/--interference: give the four severity items and the seven interference items together.";
            }

            if (error is null && n.Value is null && g.Value is null && severity.Value is null)
            {
                error = "record: name what to record: --nrs, --bpi with --interference, or --pgic.";
            }

            return error is not null
                ? Task.FromResult(context.UsageError(error))
                : DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => RecordOutcomeAsync(context, db, parse.GetValue(record)!, n.Value, parse.GetValue(note), severity.Value, items.Value, g.Value, user, clock.Value, c), ct);
        }));
        return command;
    }

    private static ParseResult<int[]?> IntList(string? text, string option, int count)
    {
        if (text is null)
        {
            return ParseResult<int[]?>.Ok(null);
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = parts.Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= 10 ? v : -1).ToArray();
        return values.Length == count && values.All(v => v >= 0)
            ? ParseResult<int[]?>.Ok(values)
            : ParseResult<int[]?>.Fail(string.Create(CultureInfo.InvariantCulture, $"{option}: \"{text}\" is not {count} scores 0–10 separated by commas."));
    }

    private static async Task<int> RecordOutcomeAsync(CliContext context, ClinicDatabase database, string record, int? nrs, string? note, int[]? severity, int[]? interference, int? pgic, UserId by, TimeProvider clock, CancellationToken ct)
    {
        await using var db = database.Open(by, clock);
        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var service = new OutcomeService(db, clock);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var version = summary.Version;
        if (nrs is { } n)
        {
            var r = await service.RecordFollowUpAsync(summary.Id, version, now, n, note, by, ct).ConfigureAwait(false);
            if (!r.IsSuccess)
            {
                return context.Refused(r.Refusal);
            }

            version++;
            context.Out.WriteLine($"recorded on {summary.MedicalRecordNumber}: follow-up NRS {Int(n)} at {Time(now)}");
        }

        if (severity is { } s && interference is { } i)
        {
            var r = await service.RecordBpiAsync(summary.Id, version, today, s[0], s[1], s[2], s[3], i, by, ct).ConfigureAwait(false);
            if (!r.IsSuccess)
            {
                return context.Refused(r.Refusal);
            }

            version++;
            context.Out.WriteLine($"recorded on {summary.MedicalRecordNumber}: BPI {Date(today)}, severity {SafeNumber.Format(r.Value.Value.Form.Severity, 3)}, interference {SafeNumber.Format(r.Value.Value.Form.Interference, 3)}");
        }

        if (pgic is { } g)
        {
            var r = await service.RecordPgicAsync(summary.Id, version, today, g, by, ct).ConfigureAwait(false);
            if (!r.IsSuccess)
            {
                return context.Refused(r.Refusal);
            }

            version++;
            context.Out.WriteLine($"recorded on {summary.MedicalRecordNumber}: PGIC {Date(today)} {Int(g)}{(r.Value.Value.Score.IsResponder ? " (responder)" : string.Empty)}");
        }

        context.Out.WriteLine($"version {Int(version)}");
        return ExitCodes.Success;
    }
}
