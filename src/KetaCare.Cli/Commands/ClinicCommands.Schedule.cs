using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Calendar;
using KetaCare.Interop.Messaging;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare schedule</c>: chair scheduling through <see cref="SchedulingService"/> — chairs, nurses on duty, the day
/// and week, booking a patient's active plan into a chair, cancellation and no-show with a reason, proposed dates, the
/// .ics files, and one pass of the reminder outbox (<see cref="OutboxSender"/>). Times are clinic-local in
/// <c>--time-zone</c> (an IANA id; default $KETACARE_TIME_ZONE, else UTC).
/// </summary>
internal static partial class ClinicCommands
{
    /// <summary>The environment variable naming the clinic's time zone for the CLI.</summary>
    public const string TimeZoneVariable = "KETACARE_TIME_ZONE";

    /// <summary>The environment variable holding the SMTP password of <c>schedule send-reminders</c> (never an option: it would show in process lists).</summary>
    public const string SmtpPasswordVariable = "KETACARE_SMTP_PASSWORD";

    internal static Command Schedule(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var at = new Option<string?>("--at") { Description = "The time it happens, ISO 8601 UTC (default: now).", Recursive = true };
        var zoneOption = new Option<string?>("--time-zone") { Description = $"The clinic's time zone, an IANA id such as Europe/Istanbul (default: ${TimeZoneVariable}, else UTC).", Recursive = true };
        var command = new Command("schedule", "Infusion-chair scheduling: chairs, nurses on duty, day and week, booking, cancellation and no-show, proposed dates, .ics files and reminders.") { database, connection, by, at, zoneOption };

        void Sub(string name, string description, Func<ParseResult, SchedulingService, UserId, ClinicDatabase, TimeProvider, CancellationToken, Task<int>> run, params Option[] options)
        {
            var c = new Command(name, description);
            options.ToList().ForEach(c.Options.Add);
            c.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
            {
                var clock = ClockOption(context, parse.GetValue(at));
                var zone = Zone(parse.GetValue(zoneOption));
                if (!clock.IsSuccess || zone is null)
                {
                    return Task.FromResult(context.UsageError(clock.IsSuccess ? "--time-zone: not a known IANA time zone id (e.g. Europe/Istanbul)." : clock.Error!));
                }

                return DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, async (db, t) =>
                {
                    await using var scope = ClinicScope.Open(db, user, clock.Value, zone);
                    return await run(parse, scope.Get<SchedulingService>(), user, db, clock.Value, t).ConfigureAwait(false);
                }, ct);
            }));
            command.Subcommands.Add(c);
        }

        Option<string?> Text(string name, string description) => new(name) { Description = description };
        var nameOption = Text("--name", "The chair's or room's name, e.g. \"Chair 1\".");
        var day = Text("--day", "The clinic-local day, yyyy-MM-dd (default: today).");
        var nurses = Text("--nurses", "Nurses on duty that day, 0 to 50.");
        var reason = Text("--reason", "Why (required, at most 500 characters).");
        var record = Text("--record", "The patient's record number (their active plan is booked).");
        var chair = Text("--chair", "The chair's name.");
        var start = Text("--start", "Start, clinic-local: yyyy-MM-ddTHH:mm.");
        var email = Text("--email", "Reminder e-mail for this booking only (optional; by default the chart's).");
        var phone = Text("--phone", "Reminder mobile number for this booking only, + and 8 to 15 digits (optional; by default the chart's).");
        var language = Text("--language", "Language of this booking's own reminders (with --email or --phone): en (default) or tr; otherwise the chart's.");
        var appointment = Text("--appointment", "The appointment id (a GUID, printed by 'schedule book' and 'schedule day').");
        var version = Text("--version", "The appointment version you read (from 'schedule day').");
        var output = Text("--out", "File to write (default: standard output).");

        Sub("chairs", "List the chairs, in use or not.", (p, s, u, db, clock, ct) => ChairsAsync(context, s, ct));
        Sub("add-chair", "Add a chair or room.", (p, s, u, db, clock, ct) => Say(context, s.AddChairAsync(p.GetValue(nameOption) ?? string.Empty, u, ct), c => $"chair {c.Name}: {c.Id}"), nameOption);
        Sub("staff", "Set the nurses on duty on a day, with a reason; the day's capacity is nurses × patients per nurse.", (p, s, u, db, clock, ct) =>
            ParseDay(context, p.GetValue(day), s, clock) is not { } d ? Task.FromResult(ExitCodes.Usage)
            : !int.TryParse(p.GetValue(nurses), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Task.FromResult(context.UsageError("--nurses: a whole number from 0 to 50."))
            : Say(context, s.SetStaffingAsync(d, n, p.GetValue(reason) ?? string.Empty, u, ct), c => $"{Date(c.Day)}: {c.NursesOnDuty} nurses on duty, up to {c.Capacity} patients in care at once"), day, nurses, reason);
        Sub("day", "The appointments of a day, by start.", (p, s, u, db, clock, ct) =>
            ParseDay(context, p.GetValue(day), s, clock) is { } d ? ListAsync(context, s, d, d, u, ct) : Task.FromResult(ExitCodes.Usage), day);
        Sub("week", "The appointments of the Monday-to-Sunday week of a day.", (p, s, u, db, clock, ct) =>
            ParseDay(context, p.GetValue(day), s, clock) is { } d ? ListAsync(context, s, SchedulingService.WeekOf(d).Monday, SchedulingService.WeekOf(d).Sunday, u, ct) : Task.FromResult(ExitCodes.Usage), day);
        Sub("book", "Book the active plan of a patient into a chair at a start time; refused by code when the chair or patient is booked then, the day is full or the time is outside the opening hours.", (p, s, u, db, clock, ct) =>
            BookAsync(context, s, u, p.GetValue(record), p.GetValue(chair), p.GetValue(start), p.GetValue(email), p.GetValue(phone), p.GetValue(language), ct), record, chair, start, email, phone, language);
        Sub("cancel", "Cancel a booked appointment with a reason (its session is cancelled and its reminders withdrawn).", (p, s, u, db, clock, ct) =>
            EndAsync(context, p.GetValue(appointment), p.GetValue(version), (id, v) => s.CancelAsync(id, v, p.GetValue(reason) ?? string.Empty, u, ct)), appointment, version, reason);
        Sub("no-show", "Record that the patient did not come, from the start time on, with a reason.", (p, s, u, db, clock, ct) =>
            EndAsync(context, p.GetValue(appointment), p.GetValue(version), (id, v) => s.NoShowAsync(id, v, p.GetValue(reason) ?? string.Empty, u, ct)), appointment, version, reason);
        Sub("propose", "The dates of the remaining sessions of a patient's active plan, from its interval, on open days.", (p, s, u, db, clock, ct) => ProposeAsync(context, s, p.GetValue(record), ct), record);
        Sub("ics", "Write an iCalendar file: a patient's appointments (--record) or a chair's from today on (--chair).", (p, s, u, db, clock, ct) =>
            IcsAsync(context, s, db, clock, u, p.GetValue(record), p.GetValue(chair), p.GetValue(output), ct), record, chair, output);

        var smtpHost = Text("--smtp-host", "SMTP server host (e-mail is set aside as not configured without one).");
        var smtpPort = Text("--smtp-port", "SMTP port (default 587).");
        var smtpSecurity = Text("--smtp-security", "StartTls (default), SslOnConnect, Auto or None (a local relay only).");
        var smtpUser = Text("--smtp-user", $"SMTP user name; the password is read from ${SmtpPasswordVariable}.");
        var smtpFrom = Text("--smtp-from", "The From address.");
        var baseUrl = Text("--public-url", "The web app's address as patients reach it, for the portal link (e.g. https://clinic.example/).");
        Sub("send-reminders", "Send the outbox's due messages once (what the web app's background sender does every 30 s).", (p, s, u, db, clock, ct) =>
            SendAsync(context, db, clock, new SmtpSettings
            {
                Host = p.GetValue(smtpHost) ?? string.Empty,
                Port = int.TryParse(p.GetValue(smtpPort), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 587,
                Security = p.GetValue(smtpSecurity) ?? "StartTls",
                UserName = p.GetValue(smtpUser) ?? string.Empty,
                Password = Environment.GetEnvironmentVariable(SmtpPasswordVariable) ?? string.Empty,
                FromAddress = p.GetValue(smtpFrom) ?? string.Empty,
            }, p.GetValue(baseUrl), ct), smtpHost, smtpPort, smtpSecurity, smtpUser, smtpFrom, baseUrl);
        Sub("outbox", "The most recent messages of the outbox with their state (no message text).", (p, s, u, db, clock, ct) => OutboxAsync(context, db, clock, ct));
        return command;
    }

    private static TimeZoneInfo? Zone(string? id)
    {
        var text = string.IsNullOrWhiteSpace(id) ? Environment.GetEnvironmentVariable(TimeZoneVariable) : id;
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(text.Trim(), out var zone) ? zone : null;
    }

    private static DateOnly? ParseDay(CliContext context, string? text, SchedulingService s, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return BookingRules.Day(clock.GetUtcNow(), s.Zone);
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        context.UsageError($"--day: \"{text}\" is not a date; write yyyy-MM-dd.");
        return null;
    }

    private static async Task<int> ChairsAsync(CliContext context, SchedulingService s, CancellationToken ct)
    {
        var table = new TextTable("Chair", "In use", "Id");
        foreach (var c in await s.ChairsAsync(true, ct).ConfigureAwait(false))
        {
            table.Add(c.Name, c.Active ? "yes" : "no", c.Id.ToString());
        }

        context.Write(table);
        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(CliContext context, SchedulingService s, DateOnly from, DateOnly to, UserId by, CancellationToken ct)
    {
        var table = new TextTable("Day", "Start", "End", "Chair", "Record", "Status", "Version", "Appointment", "Reason");
        foreach (var a in await s.RangeAsync(from, to, by, ct).ConfigureAwait(false))
        {
            table.Add(Date(a.Day), Local(a.Start, s.Zone), Local(a.End, s.Zone), a.ChairName, a.RecordNumber, a.Status.ToString(), Int(a.Version), a.Id.ToString(), a.Reason ?? string.Empty);
        }

        context.Write(table);
        return ExitCodes.Success;
    }

    private static async Task<int> BookAsync(CliContext context, SchedulingService s, UserId by, string? record, string? chairName, string? startText, string? email, string? phone, string? language, CancellationToken ct)
    {
        if (!DateTime.TryParseExact(startText?.Trim(), "yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return context.UsageError($"--start: \"{startText}\" is not a clinic-local time; write yyyy-MM-ddTHH:mm.");
        }

        var chair = (await s.ChairsAsync(true, ct).ConfigureAwait(false)).FirstOrDefault(c => string.Equals(c.Name, chairName?.Trim(), StringComparison.Ordinal));
        if (chair is null)
        {
            return context.UsageError($"--chair: no chair named \"{chairName}\"; see 'ketacare schedule chairs'.");
        }

        var plan = await s.ActivePlanAsync(record ?? string.Empty, ct).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            return context.Refused(plan.Refusal);
        }

        var start = BookingRules.Instant(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), s.Zone);
        var contact = email is null && phone is null ? null : new ReminderContact(email, phone, language ?? "en");
        return await Say(context, s.BookAsync(new BookingCommand(plan.Value, chair.Id, start, contact), by, ct), a =>
            $"booked {a.RecordNumber} in {a.ChairName} on {Date(a.Day)} {Local(a.Start, s.Zone)}–{Local(a.End, s.Zone)}; appointment {a.Id}, version {Int(a.Version)}").ConfigureAwait(false);
    }

    private static Task<int> EndAsync(CliContext context, string? id, string? version, Func<AppointmentId, long, Task<Outcome<AppointmentView>>> end)
    {
        if (!Guid.TryParse(id?.Trim(), out var g))
        {
            return Task.FromResult(context.UsageError("--appointment: the appointment id, a GUID (see 'schedule day')."));
        }

        return long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? Say(context, end(new AppointmentId(g), v), a => $"appointment {a.Id}: {a.Status} ({a.Reason})")
            : Task.FromResult(context.UsageError("--version: the appointment version you read, a whole number (see 'schedule day')."));
    }

    private static async Task<int> ProposeAsync(CliContext context, SchedulingService s, string? record, CancellationToken ct)
    {
        var plan = await s.ActivePlanAsync(record ?? string.Empty, ct).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            return context.Refused(plan.Refusal);
        }

        var dates = await s.ProposeDatesAsync(plan.Value, ct).ConfigureAwait(false);
        if (!dates.IsSuccess)
        {
            return context.Refused(dates.Refusal);
        }

        foreach (var d in dates.Value)
        {
            context.Out.WriteLine(Date(d));
        }

        return ExitCodes.Success;
    }

    private static async Task<int> IcsAsync(CliContext context, SchedulingService s, ClinicDatabase database, TimeProvider clock, UserId by, string? record, string? chairName, string? output, CancellationToken ct)
    {
        string text;
        if (!string.IsNullOrWhiteSpace(chairName))
        {
            var chair = (await s.ChairsAsync(true, ct).ConfigureAwait(false)).FirstOrDefault(c => string.Equals(c.Name, chairName.Trim(), StringComparison.Ordinal));
            if (chair is null)
            {
                return context.UsageError($"--chair: no chair named \"{chairName}\"; see 'ketacare schedule chairs'.");
            }

            var list = await s.ForChairAsync(chair.Id, BookingRules.Day(clock.GetUtcNow(), s.Zone), by, ct).ConfigureAwait(false);
            text = CalendarFeed.ForChair(chair.Name, list.Value, CultureInfo.CurrentUICulture);
        }
        else
        {
            await using var db = database.Open(by, clock);
            var patient = await FindAsync(db, record ?? string.Empty, ct).ConfigureAwait(false);
            if (patient is null)
            {
                return NoPatient(context, record ?? string.Empty);
            }

            var (identity, _) = await new SettingsService(db, clock).ClinicIdentityAsync(ct).ConfigureAwait(false);
            text = CalendarFeed.ForPatient(await s.ForPatientAsync(patient.Id, by, ct).ConfigureAwait(false), identity.Name, CultureInfo.CurrentUICulture);
        }

        if (string.IsNullOrWhiteSpace(output))
        {
            context.Out.Write(text);
        }
        else
        {
            await File.WriteAllTextAsync(output, text, ct).ConfigureAwait(false);
            context.Out.WriteLine($"wrote {output}");
        }

        return ExitCodes.Success;
    }

    private static async Task<int> SendAsync(CliContext context, ClinicDatabase database, TimeProvider clock, SmtpSettings smtp, string? publicUrl, CancellationToken ct)
    {
        await using var db = database.Open(null, clock);
        var texts = new MessageTexts(Uri.TryCreate(publicUrl, UriKind.Absolute, out var u) ? u : null);
        var pass = await new OutboxSender(db, clock, texts, [new SmtpEmailChannel(smtp), new NotConfiguredTextGateway()]).SendDueAsync(ct).ConfigureAwait(false);
        context.Out.WriteLine($"{pass.Sent} sent, {pass.Retrying} to retry, {pass.Failed} failed, {pass.NotConfigured} without a gateway");
        return ExitCodes.Success;
    }

    private static async Task<int> OutboxAsync(CliContext context, ClinicDatabase database, TimeProvider clock, CancellationToken ct)
    {
        await using var db = database.Open(null, clock);
        var table = new TextTable("Due (UTC)", "Channel", "Template", "Language", "State", "Attempts", "Key", "Last error");
        foreach (var m in await new OutboxService(db, clock).RecentAsync(50, ct).ConfigureAwait(false))
        {
            table.Add(m.DueAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), m.Channel.ToString(), m.Template, m.Language, m.State.ToString(), Int(m.Attempts), m.Key, m.LastError ?? string.Empty);
        }

        context.Write(table);
        return ExitCodes.Success;
    }

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm", CultureInfo.InvariantCulture);
}
