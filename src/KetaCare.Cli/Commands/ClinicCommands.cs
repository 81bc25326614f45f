using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary>
/// The clinic commands over the services: <c>ketacare patients list|show</c>, <c>ketacare screen</c>,
/// <c>ketacare outcomes</c> and <c>ketacare protocols list|show</c>. Same database options as <c>ketacare db</c>.
/// Every read of a patient's record is audited under the user given by <c>--by</c> (or <c>$KETACARE_USER</c>).
/// </summary>
internal static partial class ClinicCommands
{
    /// <summary>Environment variable naming the acting user (a GUID) when <c>--by</c> is not given.</summary>
    public const string UserVariable = "KETACARE_USER";

    internal static Command Patients(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var command = new Command("patients", "List patients or show a patient's chart (the chart read is audited).") { database, connection, by };

        var search = new Option<string?>("--search") { Description = "Only patients whose record number or name contains TEXT." };
        var list = new Command("list", "Patients by family name: record number, name, birth date, version (no chart is read).") { search };
        list.SetAction((parse, ct) => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ListPatientsAsync(context, db, parse.GetValue(search), c), ct));

        var record = new Argument<string>("RECORD") { Description = "The patient's medical record number." };
        var show = new Command("show", "The chart: demographics, weights, conditions, treatments, medications, findings, consents, assessments, plans, sessions, outcomes.") { record };
        show.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ShowPatientAsync(context, db, parse.GetValue(record)!, user, c), ct)));

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(AddPatient(context, database, connection, by));
        command.Subcommands.Add(RecordOnChart(context, database, connection, by));
        return command;
    }

    internal static Command Screen(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: true);
        var record = new Argument<string>("RECORD") { Description = "The patient's medical record number." };
        var condition = new Option<string?>("--condition") { Description = "ICD-10 code of the condition to screen (default: the patient's only active condition)." };
        var protocol = new Option<string?>("--protocol") { Description = "Protocol id intended, for frequency and dose warnings." };
        var command = new Command("screen", "Run the eligibility rule set on the patient's current chart and store the assessment; prints each finding with its reason and source. Not eligible is a result (exit 0).")
        {
            record, database, connection, by, condition, protocol,
        };
        command.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ScreenAsync(context, db, parse.GetValue(record)!, parse.GetValue(condition), parse.GetValue(protocol), user, c), ct)));
        return command;
    }

    internal static Command Outcomes(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var record = new Argument<string>("RECORD") { Description = "The patient's medical record number." };
        var command = new Command("outcomes", "Pain NRS per session and follow-ups, responder status (IMMPACT ≥ 30 % / ≥ 50 %), duration of relief, BPI, PGIC and the predicted relief beside the observed scores (audited read).")
        {
            record, database, connection, by,
        };
        command.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => OutcomesAsync(context, db, parse.GetValue(record)!, user, c), ct)));
        command.Subcommands.Add(RecordOutcome(context, database, connection, by));
        return command;
    }

    internal static Command Protocols(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var command = new Command("protocols", "The clinic's protocol library stored in the database (every version is kept).") { database, connection };
        var list = new Command("list", "The latest version of every protocol.");
        list.SetAction((parse, ct) => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ListProtocolsAsync(context, db, c), ct));
        var id = new Argument<string>("ID") { Description = "Protocol id, e.g. outpatient-seed." };
        var version = new Option<int?>("--version") { Description = "A given version (default: the latest)." };
        var show = new Command("show", "Every field of a protocol version, with its sources and the list of versions.") { id, version };
        show.SetAction((parse, ct) => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ShowProtocolAsync(context, db, parse.GetValue(id)!, parse.GetValue(version), c), ct));
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        return command;
    }

    private static (Option<string?> Database, Option<string?> Connection) DatabaseOptions() =>
        (new Option<string?>("--database") { Description = "SQLite database file (default: $KETACARE_DATA/ketacare.db, else ./data/ketacare.db).", Recursive = true },
         new Option<string?>("--connection") { Description = $"PostgreSQL connection string (default: ${DbCommand.PostgresVariable}).", Recursive = true });

    private static Option<string?> ByOption(bool required) => new("--by")
    {
        Description = required
            ? "Who runs it: the user's id (a GUID); recorded in the assessment and the audit log."
            : $"Who reads the record: the user's id (a GUID) for the audit log (default: ${UserVariable}).",
        Recursive = true,
    };

    private static Task<int> WithUser(CliContext context, string? by, Func<UserId, Task<int>> action)
    {
        var text = string.IsNullOrWhiteSpace(by) ? Environment.GetEnvironmentVariable(UserVariable) : by;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Task.FromResult(context.UsageError($"--by: name the user (a GUID) — every read and change of a patient's record is audited (or set ${UserVariable})."));
        }

        return Guid.TryParse(text.Trim(), out var g) && g != Guid.Empty
            ? action(new UserId(g))
            : Task.FromResult(context.UsageError($"--by: \"{text}\" is not a user id; expected a GUID such as 00000000-0000-0000-0000-000000000001."));
    }

    private static async Task<PatientSummary?> FindAsync(KetaCareDbContext db, string record, CancellationToken ct)
    {
        var matches = await new PatientService(db, TimeProvider.System).SearchAsync(record, ct).ConfigureAwait(false);
        return matches.FirstOrDefault(p => string.Equals(p.MedicalRecordNumber, record.Trim(), StringComparison.Ordinal));
    }

    private static int NoPatient(CliContext context, string record) =>
        context.UsageError($"RECORD: no patient with record number \"{record}\"; see 'ketacare patients list'.");

    private static async Task<int> ListPatientsAsync(CliContext context, ClinicDatabase database, string? search, CancellationToken ct)
    {
        await using var db = database.Open();
        var list = await new PatientService(db, TimeProvider.System).SearchAsync(search, ct).ConfigureAwait(false);
        var table = new TextTable("Record", "Family name", "Given name", "Born", "Version", "Demo");
        foreach (var p in list)
        {
            table.Add(p.MedicalRecordNumber, p.FamilyName, p.GivenName, Date(p.BirthDate), Int(p.Version), p.IsDemo ? "yes" : string.Empty);
        }

        context.Write(table);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{list.Count} patient(s)."));
        return ExitCodes.Success;
    }

    private static async Task<int> ShowPatientAsync(CliContext context, ClinicDatabase database, string record, UserId by, CancellationToken ct)
    {
        await using var db = database.Open(by, TimeProvider.System);
        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var clock = TimeProvider.System;
        var chart = await new PatientService(db, clock).OpenChartAsync(summary.Id, by, ct).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return context.Refused(chart.Refusal);
        }

        var treatments = new TreatmentService(db, clock);
        var assessments = await treatments.AssessmentsAsync(summary.Id, by, ct).ConfigureAwait(false);
        var plans = await treatments.PlansAsync(summary.Id, by, ct).ConfigureAwait(false);
        var sessions = await new SessionService(db, clock).ForPatientAsync(summary.Id, by, ct).ConfigureAwait(false);
        var (investigations, _) = await new SettingsService(db, clock).InvestigationSettingsAsync(ct).ConfigureAwait(false);
        var p = chart.Value;
        var d = p.Demographics;
        var w = context.Out;

        context.Heading($"{d.FamilyName}, {d.GivenName} — record {d.MedicalRecordNumber}");
        w.WriteLine($"  born {Date(d.BirthDate)}, sex {d.Sex?.ToString() ?? "not recorded"}; registered {Time(p.CreatedAt)}; version {Int(p.Version)}");
        foreach (var (previous, reason, at, who) in p.DemographicsHistory)
        {
            w.WriteLine($"  corrected {Time(at)} by {who}: was {previous.FamilyName}, {previous.GivenName} ({previous.MedicalRecordNumber}, born {Date(previous.BirthDate)}) — {reason}");
        }

        Section(context, "Weights and heights", p.Measurements, m => $"{Date(m.MeasuredOn)}: {m.Weight}" + (m.HeightCm is { } h ? $", {SafeNumber.Format(h)} cm" : string.Empty) + (m.Imported ? " (imported history, not for dosing)" : string.Empty));
        Section(context, "Conditions", p.Conditions, c => $"{c.Code} {c.Description}, onset {Date(c.Onset)}" + (c.Indication is { } i ? $" ({i})" : string.Empty) + (c.SnomedCode is { } sct ? $" [SNOMED CT {sct}]" : string.Empty));
        Section(context, "Prior treatments", p.PriorTreatments, t => $"{t.Class}: {t.Drug}" + (t.DoseText is { } dose ? $" {dose}" : string.Empty) + $", {SafeNumber.Format(t.Duration.Hours / 24, 3)} days, {t.Outcome}");
        var snapshot = p.Snapshot();
        w.WriteLine("  allergies: " + snapshot.AllergyState switch
        {
            Clinic.Patients.AllergyState.Allergies => string.Join(", ", snapshot.ApplyingAllergies.Select(a => a.Substance.Display)) + (snapshot.KetamineAllergy is null ? string.Empty : " — KETAMINE IS CONTRAINDICATED"),
            Clinic.Patients.AllergyState.NoKnownAllergies => $"none known (stated {Date(snapshot.NoKnownAllergies!.StatedOn)})",
            _ => "not recorded",
        });
        Section(context, "Allergies and intolerances", p.Allergies, a => $"{a.Substance.Display}: {a.Type}, {a.Category}, criticality {a.Criticality}, {a.ClinicalStatus}, {a.Verification}" + (a.Reaction is { } r ? $" — {r}" : string.Empty) + (a.Severity is { } sev ? $" ({sev})" : string.Empty));
        Section(context, "No known allergies", p.AllergyStatements, n => $"stated {Date(n.StatedOn)}");
        Section(context, "Current medications", p.Medications, m => m.Name + (m.DoseText is { } dose ? $" {dose}" : string.Empty) + $" (interactions: {m.Interactions}; source: {MedicationOrigin(m)})");
        Section(context, "Findings", p.Findings, f => $"{f.Kind}, {f.Severity}, {(f.IsActive ? "active" : "history")}" + (f.Note is { } n ? $" — {n}" : string.Empty));
        Section(context, "Pregnancy status", p.PregnancyStatuses, s => $"{s.State} on {Date(s.AssessedOn)}");
        Section(context, "Consents", p.Consents, c => $"{c.Kind} signed {Date(c.SignedOn)}" + (c.ExpiresOn is { } e ? $", expires {Date(e)}" : string.Empty) + (c.WithdrawnOn is { } wd ? $", withdrawn {Date(wd)}" : string.Empty) + $" ({c.DocumentReference})");
        Section(context, "Liver panels", p.LiverPanels, l => $"{Date(l.CollectedOn)}: " + string.Join(", ", l.Results.Select(r => $"{Clinic.Patients.LabTestInfo.Of(r.Test).Name} {SafeNumber.Format(r.Value)} {Clinic.Patients.LabTestInfo.Of(r.Test).Unit}" + (Clinic.Eligibility.InvestigationRules.Flag(r.Test, r.Value, investigations) is var flag && flag != Clinic.Eligibility.LabFlag.Normal ? $" ({flag})" : string.Empty))));
        Section(context, "ECGs", p.Ecgs, g => $"{Date(g.RecordedOn)}: {g.Rhythm}, {g.Interpretation}" + (g.QtcMs is { } q ? $", QTc {SafeNumber.Format(q)} ms" : string.Empty) + (g.Note is { } n ? $" — {n}" : string.Empty));
        Section(context, "Urinary symptoms", p.UrinarySymptomScores, q => $"{Date(q.CompletedOn)}: score {q.Total} of 15 (frequency {q.Frequency}, urgency {q.Urgency}, dysuria {q.Dysuria}, haematuria {q.Haematuria}, bladder pain {q.BladderPain})");
        Section(context, "Urine dipsticks", p.Urinalyses, u => $"{Date(u.CollectedOn)}: blood {u.Blood}, leukocytes {u.Leukocytes}" + (u.Nitrite is { } n ? $", nitrite {n}" : string.Empty));
        context.Heading("Monitoring schedule");
        var monitoring = Clinic.Eligibility.MonitoringSchedule.For(snapshot, Clinic.Services.MonitoringService.Courses(plans, sessions), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), investigations);
        w.WriteLine(monitoring.Count == 0 ? "  nothing due for the current course" : string.Join(Environment.NewLine, monitoring.Select(m => $"  {m.Kind}: {m.Status} ({m.Reason})" + (m.DueOn is { } due ? $", due by {Date(due)}" : m.Status == Clinic.Eligibility.MonitoringStatus.Done ? string.Empty : ", before the first course") + (m.LastDoneOn is { } last ? $"; last done {Date(last)}" : string.Empty))));

        context.Heading("Eligibility assessments");
        foreach (var (a, review) in assessments.OrderBy(x => x.Assessment.RecordedAt))
        {
            w.WriteLine($"  {Date(a.AssessedOn)}: {a.Evaluation.Result} (rule set {a.Evaluation.RuleSetVersion}, patient version {Int(a.PatientVersion)}, by {a.RecordedBy})"
                + (review is null ? string.Empty : $"; physician review: {(review.Approved ? "approved" : "not approved")} — {review.Reason}"));
        }

        None(context, assessments.Count);
        context.Heading("Treatment plans");
        foreach (var plan in plans)
        {
            w.WriteLine($"  {plan.Protocol.Id} v{Int(plan.Protocol.Version)} ({plan.Protocol.Name}): {plan.Status}, current dose {plan.CurrentDose}, model {plan.ModelId}, {plan.Preparation.Id}; prescribed {Time(plan.PrescribedAt)} by {plan.PrescribedBy}");
            foreach (var t in plan.TitrationDecisions)
            {
                w.WriteLine($"    titration {Time(t.At)} by {t.By}: proposed {t.Proposal.Action} {t.Proposal.NextDose?.ToString() ?? "-"}; "
                    + (t.Overridden ? $"overridden to {t.Dose?.ToString() ?? "-"} — {t.Reason}" : "accepted"));
            }
        }

        None(context, plans.Count);
        context.Heading("Sessions");
        var now = clock.GetUtcNow();
        foreach (var s in sessions)
        {
            w.WriteLine($"  {Date(s.ScheduledFor)}: {s.State}, planned {s.PlannedDose}, given {s.DoseGiven(now)}; {Int(s.Observations.ActiveValues.Count())} observation(s), {Int(s.AdverseEvents.ActiveValues.Count())} adverse event(s), {Int(s.ActiveAlerts.Count())} alert(s)");
        }

        None(context, sessions.Count);
        Section(context, "Follow-up pain (NRS)", p.FollowUpPains, f => $"{Time(f.At)}: NRS {Int(f.Nrs)}" + (f.Note is { } n ? $" — {n}" : string.Empty) + PatientReported(f.Source));
        Section(context, "BPI short form", p.BpiAssessments, b => $"{Date(b.CompletedOn)}: severity {SafeNumber.Format(b.Form.Severity, 3)}, interference {SafeNumber.Format(b.Form.Interference, 3)}");
        Section(context, "PGIC", p.PgicAssessments, g => $"{Date(g.CompletedOn)}: {Int(g.Score.Value)}{(g.Score.IsResponder ? " (responder)" : string.Empty)}");
        return ExitCodes.Success;
    }

    private static async Task<int> ScreenAsync(CliContext context, ClinicDatabase database, string record, string? conditionCode, string? protocolId, UserId by, CancellationToken ct)
    {
        await using var db = database.Open(by, TimeProvider.System);
        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var clock = TimeProvider.System;
        var chart = await new PatientService(db, clock).OpenChartAsync(summary.Id, by, ct).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return context.Refused(chart.Refusal);
        }

        var conditions = chart.Value.Conditions.Active.ToList();
        var chosen = conditionCode is null ? conditions : [.. conditions.Where(c => string.Equals(c.Value.Code.ToString(), conditionCode.Trim(), StringComparison.OrdinalIgnoreCase))];
        if (chosen.Count != 1)
        {
            var known = conditions.Count == 0 ? "none recorded" : string.Join(", ", conditions.Select(c => c.Value.Code.ToString()));
            return context.UsageError(conditionCode is null
                ? string.Create(CultureInfo.InvariantCulture, $"--condition: the patient has {conditions.Count} active condition(s) ({known}); name the one to screen.")
                : $"--condition: \"{conditionCode}\" is not an active condition of the patient ({known}).");
        }

        var library = await new ProtocolService(db, clock).LibraryAsync(ct).ConfigureAwait(false);
        if (protocolId is not null && !library.Find(protocolId).IsSuccess)
        {
            return context.UsageError("--protocol: " + library.Find(protocolId).Error);
        }

        var result = await new TreatmentService(db, clock, library).AssessEligibilityAsync(summary.Id, chosen[0].Id, by, protocolId, ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return context.Refused(result.Refusal);
        }

        var a = result.Value;
        var w = context.Out;
        context.Heading($"Eligibility of {summary.FamilyName}, {summary.GivenName} ({summary.MedicalRecordNumber}) for {chosen[0].Value.Code} {chosen[0].Value.Description}: {Label(a.Evaluation.Result)}");
        w.WriteLine($"  rule set {a.Evaluation.RuleSetVersion}; assessed {Date(a.AssessedOn)} on patient version {Int(a.PatientVersion)}; stored as assessment {a.Id}");
        foreach (var f in a.Evaluation.Findings)
        {
            w.WriteLine($"  [{f.Level}] {f.RuleId}: {f.Message}");
            w.WriteLine($"      source: {f.Source}");
        }

        if (a.Evaluation.RequiredTests.Count > 0)
        {
            w.WriteLine("  required before the first infusion: " + string.Join(", ", a.Evaluation.RequiredTests));
        }

        return ExitCodes.Success;
    }

    private static string Label(EligibilityResult r) => r switch
    {
        EligibilityResult.Eligible => "eligible",
        EligibilityResult.NotEligible => "NOT eligible",
        _ => "needs physician review",
    };

    private static async Task<int> OutcomesAsync(CliContext context, ClinicDatabase database, string record, UserId by, CancellationToken ct)
    {
        await using var db = database.Open(by, TimeProvider.System);
        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var result = await new OutcomeService(db, TimeProvider.System).CourseAsync(summary.Id, by, ct).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return context.Refused(result.Refusal);
        }

        var c = result.Value;
        var w = context.Out;
        context.Heading($"Outcomes of {summary.FamilyName}, {summary.GivenName} ({summary.MedicalRecordNumber})");
        w.WriteLine("  baseline NRS: " + (c.Baseline is { } b ? Int(b) : "not recorded"));
        var sessions = new TextTable("Session", "NRS before", "NRS after", "Reduction %", "Dose given");
        foreach (var s in c.PerSession)
        {
            sessions.Add(Date(s.Date), Opt(s.Before), Opt(s.After), s.ReductionPercent is { } r ? SafeNumber.Format(r, 3) : "-", s.DoseGiven.ToString());
        }

        context.Write(sessions);
        var follow = new TextTable("Follow-up", "NRS", "Note");
        foreach (var f in c.FollowUps)
        {
            follow.Add(Time(f.At), Int(f.Nrs), (f.Note ?? string.Empty) + PatientReported(f.Source));
        }

        if (c.FollowUps.Count > 0)
        {
            context.Write(follow);
        }

        w.WriteLine("  responder status (IMMPACT, latest score): " + (c.Responder is { } rs ? Clinic.Outcomes.OutcomeAnalysis.Describe(rs) : "needs a baseline and a later score"));
        w.WriteLine("  duration of relief after the last infusion: " + (c.DurationOfRelief is { } d
            ? SafeNumber.Format(d.Hours, 3) + " h (until the first score below 30 % reduction)"
            : c.LastRelieved is { } lr ? $"still relieved at the last score ({Time(lr)})" : "no relief (≥ 30 %) after the last infusion recorded"));
        foreach (var bpi in c.Bpi)
        {
            w.WriteLine($"  BPI {Date(bpi.CompletedOn)}: severity {SafeNumber.Format(bpi.Form.Severity, 3)}, interference {SafeNumber.Format(bpi.Form.Interference, 3)}");
        }

        foreach (var g in c.Pgic)
        {
            w.WriteLine($"  PGIC {Date(g.CompletedOn)}: {Int(g.Score.Value)} ({(g.Score.IsResponder ? "responder: much or very much improved" : "not a responder")})");
        }

        if (c.Predicted.IsSuccess)
        {
            context.Heading("Predicted relief beside observed (Dahan 2011 relief model; fraction of maximal effect, not an NRS reduction)");
            var t = new TextTable("Time", "Observed reduction %", "Predicted fraction of max effect");
            foreach (var p in c.Predicted.Value)
            {
                t.Add(Time(p.At), p.ObservedReductionPercent is { } o ? SafeNumber.Format(o, 3) : "-", SafeNumber.Format(p.PredictedFractionOfMaxEffect, 3));
            }

            context.Write(t);
        }
        else
        {
            w.WriteLine("  predicted relief: " + c.Predicted.Error);
        }

        return ExitCodes.Success;
    }

    private static async Task<int> ListProtocolsAsync(CliContext context, ClinicDatabase database, CancellationToken ct)
    {
        await using var db = database.Open();
        var list = await new ProtocolService(db, TimeProvider.System).ListAsync(ct).ConfigureAwait(false);
        var table = new TextTable("Id", "Version", "Name", "Route", "Start", "Step", "Ceiling", "Sessions", "Interval (days)");
        foreach (var v in list)
        {
            var p = v.Protocol;
            table.Add(p.Id, Int(p.Version), p.Name, p.Route.ToString(), p.Start.ToString(), p.Step.ToString(), p.Ceiling.ToString(), Int(p.NumberOfSessions), Int(p.IntervalDays));
        }

        context.Write(table);
        return ExitCodes.Success;
    }

    private static async Task<int> ShowProtocolAsync(CliContext context, ClinicDatabase database, string id, int? version, CancellationToken ct)
    {
        await using var db = database.Open();
        var service = new ProtocolService(db, TimeProvider.System);
        var found = await service.FindAsync(id, version, ct).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return context.UsageError((version is null ? "ID: " : "--version: ") + found.Error);
        }

        var p = found.Value.Protocol;
        var w = context.Out;
        context.Heading($"{p.Id} v{Int(p.Version)}: {p.Name}");
        w.WriteLine($"  route {p.Route}; start {p.Start}, step {p.Step}, ceiling {p.Ceiling}" + (p.InfusionDuration is { } d ? $", infusion {SafeNumber.Format(d.Minutes)} min" : string.Empty)
            + (p.MaxRateMgPerHour is { } mgh ? $", at most {SafeNumber.Format(mgh)} mg/h" : string.Empty));
        w.WriteLine($"  {Int(p.NumberOfSessions)} session(s), every {Int(p.IntervalDays)} day(s)");
        w.WriteLine("  premedication: " + p.Premedication);
        foreach (var rule in p.HoldStopRules)
        {
            w.WriteLine("  hold/stop: " + rule);
        }

        foreach (var s in p.Sources)
        {
            w.WriteLine("  source: " + s);
        }

        w.WriteLine("  titration rules: " + p.Titration.Source);
        if (p.IsClinicDefinedExample)
        {
            w.WriteLine("  a clinic-defined example, not a published regimen");
        }

        context.Heading("Versions");
        foreach (var v in await service.VersionsAsync(id, ct).ConfigureAwait(false))
        {
            w.WriteLine($"  v{Int(v.Protocol.Version)} {Time(v.CreatedAt)} by {v.CreatedBy}: {v.Reason}");
        }

        return ExitCodes.Success;
    }

    private static void Section<T>(CliContext context, string title, ChartHistory<T> history, Func<T, string> describe)
        where T : notnull
    {
        context.Heading(title);
        foreach (var e in history.All)
        {
            var status = e.Status == EntryStatus.Active ? string.Empty : $" [{e.Status}]";
            context.Out.WriteLine($"  {describe(e.Value)}{status} (recorded {Time(e.RecordedAt)} by {e.RecordedBy}{(e.Reason is { } r ? "; " + r : string.Empty)})");
        }

        None(context, history.All.Count);
    }

    private static void None(CliContext context, int count)
    {
        if (count == 0)
        {
            context.Out.WriteLine("  none");
        }
    }

    // Where a medication came from, as the chart page says it.
    private static string MedicationOrigin(Clinic.Patients.Medication m) => m.Source switch
    {
        Clinic.Patients.MedicationSource.PreSessionChecklist => "pre-session checklist" + (m.ReportedOn is { } on ? $" on {Date(on)}" : string.Empty),
        Clinic.Patients.MedicationSource.Imported => "import",
        _ => "chart",
    };

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Opt(int? v) => v is { } x ? Int(x) : "-";

    /// <summary>" (patient-reported)" for a score the patient gave in the portal; nothing for staff's.</summary>
    private static string PatientReported(Clinic.Outcomes.ReportSource source) =>
        source == Clinic.Outcomes.ReportSource.Patient ? " (patient-reported)" : string.Empty;
}
