using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Sessions;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary><c>ketacare session …</c>: the infusion session's steps through the clinic's <see cref="SessionWorkflow"/>, as the web app runs them.</summary>
internal static partial class ClinicCommands
{
    private static readonly string[] ObservationFields = ["systolic BP:--bp", "diastolic BP:--bp", "blood pressure:--bp", "heart rate:--hr", "SpO2:--spo2", "respiratory rate:--rr", "CADSS:--cadss", "pain NRS:--nrs", "RASS:--rass", "MOAA/S:--moaas"];

    internal static Command Session(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var at = new Option<string?>("--at") { Description = "When it happened, ISO 8601 UTC (e.g. 2026-03-02T09:15:00Z; default: now).", Recursive = true };
        var command = new Command("session", "Infusion sessions: schedule → pre-assess → start (pump program with an independent second check) → observe, pause/resume/rate → complete or stop → recover → discharge; every change is audited.") { database, connection, by, at };

        Command Sub(string name, string description, Func<ParseResult, UserId, TimeProvider, ClinicDatabase, CancellationToken, Task<int>> run, params Symbol[] symbols)
        {
            var c = new Command(name, description);
            foreach (var s in symbols)
            {
                switch (s)
                {
                    case Argument a: c.Arguments.Add(a); break;
                    case Option o: c.Options.Add(o); break;
                }
            }

            c.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
            {
                var clock = ClockOption(context, parse.GetValue(at));
                return clock.IsSuccess
                    ? DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, t) => run(parse, user, clock.Value, db, t), ct)
                    : Task.FromResult(context.UsageError(clock.Error));
            }));
            command.Subcommands.Add(c);
            return c;
        }

        Argument<string> SessionArg() => new("SESSION") { Description = "The session id (printed by 'session schedule' and 'patients show')." };

        var record = new Argument<string>("RECORD") { Description = "The patient's medical record number (the active plan is used)." };
        Sub("schedule", "Schedule a session of the patient's active plan at the plan's current dose; the date is taken from --at.", (p, u, clock, db, ct) => ScheduleAsync(context, db, p.GetValue(record)!, u, clock, ct), record);

        var bp = new Option<string?>("--bp") { Description = "Blood pressure, systolic/diastolic mmHg, e.g. 120/80." };
        var hr = new Option<string?>("--hr") { Description = "Heart rate, /min." };
        var spo2 = new Option<string?>("--spo2") { Description = "SpO2, %." };
        var rr = new Option<string?>("--rr") { Description = "Respiratory rate, /min." };
        var rass = new Option<string?>("--rass") { Description = "Sedation, RASS (-5 to +4)." };
        var moaas = new Option<string?>("--moaas") { Description = "Sedation, MOAA/S (0 to 5)." };
        var cadss = new Option<string?>("--cadss") { Description = "Dissociation, CADSS total." };
        var nrs = new Option<string?>("--nrs") { Description = "Pain NRS, 0–10." };
        var note = new Option<string?>("--note") { Description = "Free-text note." };
        Symbol[] vitals = [bp, hr, spo2, rr, rass, moaas, cadss, nrs, note];
        ParseResult<Observation> Observe(ParseResult p, TimeProvider clock) =>
            ObservationOptions(clock.GetUtcNow(), p.GetValue(bp), p.GetValue(hr), p.GetValue(spo2), p.GetValue(rr), p.GetValue(rass), p.GetValue(moaas), p.GetValue(cadss), p.GetValue(nrs), p.GetValue(note));

        var s1 = SessionArg();
        var pregnancyTest = new Option<bool>("--negative-pregnancy-test") { Description = "A negative pregnancy test on the session date (required when the patient could be pregnant)." };
        var possiblyPregnant = new Option<bool>("--possibly-pregnant") { Description = "The patient may be pregnant or a test was positive (refuses the session)." };
        var fastingSince = new Option<string?>("--fasting-since") { Description = "When the patient last ate, ISO 8601 UTC, e.g. 2026-03-02T01:30Z (required; a fast shorter than the protocol's minimum needs a physician's reason at the start)." };
        var escortConfirmed = new Option<bool>("--escort-confirmed") { Description = "An escort will take the patient home (required)." };
        var noDriving = new Option<bool>("--no-driving-acknowledged") { Description = "The patient acknowledged not driving for 24 h (required)." };
        var noNewMedications = new Option<bool>("--no-new-medications") { Description = "No medication was started since the last session (or name one with --new-medication)." };
        var newMedication = new Option<string?>("--new-medication") { Description = "A medication started since the last session; screened for interactions with ketamine." };
        var newInteractions = new Option<string?>("--new-medication-interactions") { Description = "Interaction classes of --new-medication, comma-separated: " + Names<InteractionClass>() + " (default none)." };
        Sub("pre-assess", "Pre-assessment: records the baseline vitals and pain NRS, then checks consent, eligibility, pregnancy, the weight's age and the pre-session checklist (fasting, escort, no driving, new medications); all or nothing.", (p, u, clock, db, ct) =>
        {
            var o = Observe(p, clock);
            if (!o.IsSuccess)
            {
                return Task.FromResult(context.UsageError(o.Error));
            }

            var pregnancy = p.GetValue(possiblyPregnant) ? PregnancyCheck.PositiveOrPossible : p.GetValue(pregnancyTest) ? PregnancyCheck.NegativeTestToday : PregnancyCheck.NotTested;
            var checklist = ChecklistOptions(p.GetValue(fastingSince), p.GetValue(escortConfirmed), p.GetValue(noDriving), pregnancy, p.GetValue(noNewMedications), p.GetValue(newMedication), p.GetValue(newInteractions));
            return checklist.IsSuccess ? PreAssessAsync(context, db, p.GetValue(s1)!, o.Value, checklist.Value, u, clock, ct) : Task.FromResult(context.UsageError(checklist.Error));
        }, [s1, pregnancyTest, possiblyPregnant, fastingSince, escortConfirmed, noDriving, noNewMedications, newMedication, newInteractions, .. vitals]);

        var s2 = SessionArg();
        Sub("program", "Records the pump program for the session's dose: rate (mL/h, to the pump's increment), VTBI, duration and the back-calculated mg/kg/h; another clinician then does the blind check.", (p, u, clock, db, ct) => ProgramAsync(context, db, p.GetValue(s2)!, u, clock, ct), s2);

        var s3 = SessionArg();
        var checkRate = new Option<string>("--rate") { Description = "Rate read on the pump, mL/h.", Required = true };
        var checkVtbi = new Option<string>("--vtbi") { Description = "VTBI read on the pump, mL.", Required = true };
        var checkConcentration = new Option<string>("--concentration") { Description = "Concentration read on the bag or syringe label, mg/mL.", Required = true };
        var checkWeight = new Option<string>("--weight") { Description = "Weight read on the label or chart, kg.", Required = true };
        Sub("check", "The blind second check by --by (a registered, active nurse or physician other than the programmer): what they read on the pump and label, without seeing the program; a mismatch clears the program.", (p, u, clock, db, ct) =>
        {
            var rate = Inputs.OptionalNumber(p.GetValue(checkRate), "--rate", 0, PumpProgram.MaxRateMlPerHour, "mL/h");
            var vtbi = Inputs.OptionalNumber(p.GetValue(checkVtbi), "--vtbi", 0, PumpProgram.MaxVolumeMl, "mL");
            var conc = Inputs.OptionalNumber(p.GetValue(checkConcentration), "--concentration", 0, 100, "mg/mL");
            var kg = Inputs.OptionalNumber(p.GetValue(checkWeight), "--weight", 0, 500, "kg");
            var error = new[] { rate, vtbi, conc, kg }.FirstOrDefault(x => !x.IsSuccess).Error;
            return error is null
                ? StepAsync(context, db, p.GetValue(s3)!, (w, id, v) => w.SecondCheckAsync(id, v, new PumpReading(rate.Value!.Value, vtbi.Value!.Value, conc.Value!.Value, kg.Value!.Value), u, ct), "blind second check matched", u, clock, ct)
                : Task.FromResult(context.UsageError(error));
        }, s3, checkRate, checkVtbi, checkConcentration, checkWeight);

        var s3b = SessionArg();
        var overrideReason = new Option<string?>("--override-reason") { Description = "A physician's reason for soft dose limits or vitals outside the alert thresholds (hard limits cannot be overridden)." };
        Sub("start", "Start the checked infusion (or give the single dose): runs the dose check of the program and the vital-sign gate; --override-reason only from a physician.", (p, u, clock, db, ct) =>
            StepAsync(context, db, p.GetValue(s3b)!, (w, id, v) => w.StartAsync(id, v, p.GetValue(overrideReason), u, ct), "started", u, clock, ct), s3b, overrideReason);

        var s4 = SessionArg();
        Sub("observe", "Record an observation; prints every alert it raised with the suggested action.", (p, u, clock, db, ct) =>
        {
            var o = Observe(p, clock);
            return o.IsSuccess ? ObserveAsync(context, db, p.GetValue(s4)!, o.Value, u, clock, ct) : Task.FromResult(context.UsageError(o.Error));
        }, [s4, .. vitals]);

        var reason = new Option<string?>("--reason") { Description = "Why (pause, rate change, early stop)." };
        var newRate = new Option<string?>("--rate") { Description = "New pump rate, mL/h." };
        var pumpVolume = new Option<string?>("--pump-volume") { Description = "Volume infused as the pump shows it, mL (required to complete an infusion)." };
        var resumeOverride = new Option<string?>("--override-reason") { Description = "resume: a physician's reason for vitals outside the alert thresholds." };
        foreach (var (name, help) in new[]
        {
            ("pause", "Pause the infusion (--reason)."),
            ("resume", "Resume the infusion, optionally at a lower --rate; gated on the vitals and on acknowledged stop alerts."),
            ("rate", "Change the rate (--rate, --reason); a new rate segment starts."),
            ("stop", "Stop the infusion early (--reason, optionally --pump-volume)."),
            ("complete", "Complete the infusion (--pump-volume as the pump shows it)."),
        })
        {
            var s = SessionArg();
            Sub(name, help, (p, u, clock, db, ct) =>
            {
                var r = Inputs.OptionalNumber(p.GetValue(newRate), "--rate", 0, PumpProgram.MaxRateMlPerHour, "mL/h");
                var volume = Inputs.OptionalNumber(p.GetValue(pumpVolume), "--pump-volume", 0, PumpProgram.MaxVolumeMl, "mL");
                if (!r.IsSuccess || !volume.IsSuccess)
                {
                    return Task.FromResult(context.UsageError(r.IsSuccess ? volume.Error! : r.Error!));
                }

                var why = p.GetValue(reason) ?? string.Empty;
                if (name == "rate" && r.Value is null)
                {
                    return Task.FromResult(context.UsageError("--rate: the new rate in mL/h is required."));
                }

                Func<SessionWorkflow, SessionId, long, Task<Outcome<InfusionSession>>> step = name switch
                {
                    "pause" => (w, id, v) => w.PauseAsync(id, v, why, u, ct),
                    "resume" => (w, id, v) => w.ResumeAsync(id, v, r.Value, p.GetValue(resumeOverride), u, ct),
                    "rate" => (w, id, v) => w.ChangeRateAsync(id, v, r.Value!.Value, why, u, ct),
                    "stop" => (w, id, v) => w.StopAsync(id, v, why, volume.Value, u, ct),
                    _ => (w, id, v) => w.CompleteAsync(id, v, volume.Value, u, ct),
                };
                return StepAsync(context, db, p.GetValue(s)!, step, name, u, clock, ct);
            }, s, reason, newRate, pumpVolume, resumeOverride);
        }

        var sGive = SessionArg();
        var order = new Option<string>("--order") { Description = "The premedication or rescue order's number in 'session show' (0 = the first).", Required = true };
        var giveDose = new Option<string>("--dose") { Description = "The dose given, mg (e.g. 1 or \"1 mg\").", Required = true };
        var giveOverride = new Option<string?>("--override-reason") { Description = "A physician's reason for a dose above a soft limit (hard limits cannot be overridden)." };
        Sub("give", "Give one dose of a premedication (before the start) or rescue order (until discharge), checked against the drug library's limits per dose and per session.", (p, u, clock, db, ct) =>
        {
            var n = IntOption(p.GetValue(order), "--order");
            var mg = Inputs.OptionalNumber(p.GetValue(giveDose), "--dose", 0, AncillaryDrugs.MaxEnteredDoseMg, "mg");
            if (!n.IsSuccess || n.Value is not { } index)
            {
                return Task.FromResult(context.UsageError(n.IsSuccess ? "--order: required." : n.Error!));
            }

            return mg.IsSuccess && mg.Value is { } dose
                ? StepAsync(context, db, p.GetValue(sGive)!, (w, id, v) => w.GiveAncillaryAsync(id, v, index, dose, p.GetValue(giveOverride), u, ct), "dose given", u, clock, ct)
                : Task.FromResult(context.UsageError(mg.IsSuccess ? "--dose: required." : mg.Error!));
        }, sGive, order, giveDose, giveOverride);

        var sAck = SessionArg();
        var alertNumber = new Option<string>("--alert") { Description = "The alert's number in 'session show' (0 = the first alert).", Required = true };
        var actionTaken = new Option<string>("--action-taken") { Description = "What was done about the alert.", Required = true };
        Sub("acknowledge", "Acknowledge an alert with the action taken; stop-level alerts block resume and rate increases until acknowledged.", (p, u, clock, db, ct) =>
        {
            var n = IntOption(p.GetValue(alertNumber), "--alert");
            return n.IsSuccess && n.Value is { } index
                ? StepAsync(context, db, p.GetValue(sAck)!, (w, id, v) => w.AcknowledgeAlertAsync(id, v, index, p.GetValue(actionTaken) ?? string.Empty, u, ct), "alert acknowledged", u, clock, ct)
                : Task.FromResult(context.UsageError(n.IsSuccess ? "--alert: required." : n.Error!));
        }, sAck, alertNumber, actionTaken);

        var s5 = SessionArg();
        var type = new Option<string>("--type") { Description = "Type: " + Names<AdverseEventType>() + ".", Required = true };
        var grade = new Option<string>("--grade") { Description = "CTCAE grade 1–5.", Required = true };
        var serious = new Option<bool>("--serious") { Description = "A serious adverse event." };
        var action = new Option<string?>("--action") { Description = "Action taken: " + Names<AdverseEventAction>() + " (default none)." };
        var outcome = new Option<string?>("--outcome") { Description = "Outcome: " + Names<AdverseEventOutcome>() + " (default resolving)." };
        var description = new Option<string?>("--description") { Description = "What happened." };
        Sub("adverse-event", "Record an adverse event linked to the session and the rate segment running at --at.", (p, u, clock, db, ct) =>
        {
            var t = EnumOption<AdverseEventType>(p.GetValue(type), "--type");
            var g = int.TryParse(p.GetValue(grade), NumberStyles.None, CultureInfo.InvariantCulture, out var gv) && gv is >= 1 and <= 5
                ? ParseResult<int>.Ok(gv) : ParseResult<int>.Fail($"--grade: \"{p.GetValue(grade)}\" is not a CTCAE grade 1–5.");
            var a = p.GetValue(action) is null ? ParseResult<AdverseEventAction>.Ok(AdverseEventAction.None) : EnumOption<AdverseEventAction>(p.GetValue(action), "--action");
            var o = p.GetValue(outcome) is null ? ParseResult<AdverseEventOutcome>.Ok(AdverseEventOutcome.Resolving) : EnumOption<AdverseEventOutcome>(p.GetValue(outcome), "--outcome");
            var error = t.IsSuccess ? g.IsSuccess ? a.IsSuccess ? o.IsSuccess ? null : o.Error : a.Error : g.Error : t.Error;
            if (error is not null)
            {
                return Task.FromResult(context.UsageError(error));
            }

            var text = p.GetValue(description) ?? t.Value.ToString();
            var isSerious = p.GetValue(serious);
            return StepAsync(context, db, p.GetValue(s5)!, (w, id, v) => w.RecordAdverseEventAsync(id, v, t.Value, g.Value, isSerious, a.Value, o.Value, clock.GetUtcNow(), text, u, ct), "adverse event recorded", u, clock, ct);
        }, s5, type, grade, serious, action, outcome, description);

        var s6 = SessionArg();
        Sub("recover", "Begin recovery after the infusion ended, with the recovery observation (vitals, pain NRS).", async (p, u, clock, db, ct) =>
        {
            var o = Observe(p, clock);
            if (!o.IsSuccess)
            {
                return context.UsageError(o.Error);
            }

            var begun = await StepAsync(context, db, p.GetValue(s6)!, (w, id, v) => w.BeginRecoveryAsync(id, v, u, ct), "recovery", u, clock, ct).ConfigureAwait(false);
            return begun == ExitCodes.Success ? await ObserveAsync(context, db, p.GetValue(s6)!, o.Value, u, clock, ct).ConfigureAwait(false) : begun;
        }, [s6, .. vitals]);

        var s7 = SessionArg();
        var aldrete = new Option<string>("--aldrete") { Description = "Modified Aldrete: activity,respiration,circulation,consciousness,SpO2 (each 0–2), e.g. 2,2,2,2,1.", Required = true };
        var escort = new Option<string>("--escort") { Description = "yes when an escort is present.", Required = true };
        var dischargeOverride = new Option<string?>("--override-reason") { Description = "A physician's reason to discharge before the patient is ready." };
        Sub("discharge", "Discharge after recovery: the minimum observation time, recovery vitals inside the thresholds, a modified Aldrete score ≥ 9 from its five items, an escort and the predicted effect-site concentration below the clinic's threshold; a physician may override with --override-reason.", (p, u, clock, db, ct) =>
        {
            var parts = (p.GetValue(aldrete) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
            var values = parts.Select(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1).ToArray();
            if (values.Length != 5 || values.Any(v => v < 0))
            {
                return Task.FromResult(context.UsageError($"--aldrete: \"{p.GetValue(aldrete)}\" is not five scores 0–2 separated by commas (activity,respiration,circulation,consciousness,SpO2)."));
            }

            var score = AldreteScore.Create(values[0], values[1], values[2], values[3], values[4]);
            if (!score.IsSuccess)
            {
                return Task.FromResult(context.UsageError("--aldrete: " + score.Error));
            }

            var e = p.GetValue(escort)?.Trim().ToLowerInvariant();
            if (e is not ("yes" or "no"))
            {
                return Task.FromResult(context.UsageError($"--escort: \"{p.GetValue(escort)}\" is not yes or no."));
            }

            return StepAsync(context, db, p.GetValue(s7)!, (w, id, v) => w.DischargeAsync(id, v, score.Value, e == "yes", p.GetValue(dischargeOverride), u, ct), $"discharged (Aldrete {Int(score.Value.Total)})", u, clock, ct);
        }, s7, aldrete, escort, dischargeOverride);

        var s8 = SessionArg();
        Sub("show", "The session's timeline: transitions, rate segments, observations, alerts, adverse events and the dose given computed from the segments (audited read).", (p, u, clock, db, ct) => ShowSessionAsync(context, db, p.GetValue(s8)!, u, clock, ct), s8);
        return command;
    }

    private static ParseResult<TimeProvider> ClockOption(CliContext context, string? at)
    {
        if (at is null)
        {
            return ParseResult<TimeProvider>.Ok(context.Clock);
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"];
        return DateTimeOffset.TryParseExact(at.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? ParseResult<TimeProvider>.Ok(new FixedClock(t))
            : ParseResult<TimeProvider>.Fail($"--at: \"{at}\" is not an ISO 8601 UTC time, e.g. 2026-03-02T09:15:00Z.");
    }

    private static ParseResult<int?> IntOption(string? text, string option)
    {
        if (text is null)
        {
            return ParseResult<int?>.Ok(null);
        }

        var t = text.Trim();
        return int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? ParseResult<int?>.Ok(v)
            : ParseResult<int?>.Fail($"{option}: \"{text}\" is not a whole number.");
    }

    private static ParseResult<Observation> ObservationOptions(DateTimeOffset at, string? bp, string? hr, string? spo2, string? rr, string? rass, string? moaas, string? cadss, string? nrs, string? note)
    {
        int? systolic = null, diastolic = null;
        if (bp is not null)
        {
            var parts = bp.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                return ParseResult<Observation>.Fail($"--bp: \"{bp}\" is not systolic/diastolic in mmHg, e.g. 120/80.");
            }

            (systolic, diastolic) = (s, d);
        }

        var fields = new[] { (hr, "--hr"), (spo2, "--spo2"), (rr, "--rr"), (rass, "--rass"), (moaas, "--moaas"), (cadss, "--cadss"), (nrs, "--nrs") }.Select(f => IntOption(f.Item1, f.Item2)).ToList();
        if (fields.FirstOrDefault(f => !f.IsSuccess) is { IsSuccess: false } bad)
        {
            return ParseResult<Observation>.Fail(bad);
        }

        if (rass is not null && moaas is not null)
        {
            return ParseResult<Observation>.Fail("--rass/--moaas: record sedation on one scale.");
        }

        SedationScore? sedation = fields[3].Value is { } r ? new SedationScore(SedationScale.Rass, r) : fields[4].Value is { } m ? new SedationScore(SedationScale.Moaas, m) : null;
        var o = Observation.Create(at, systolic, diastolic, fields[0].Value, fields[1].Value, fields[2].Value, sedation, fields[5].Value, fields[6].Value, note);
        if (o.IsSuccess)
        {
            return ParseResult<Observation>.Ok(o.Value);
        }

        var option = ObservationFields.Select(f => f.Split(':')).FirstOrDefault(f => o.Error!.StartsWith(f[0], StringComparison.Ordinal)) is { } hit ? hit[1] + ": " : string.Empty;
        return ParseResult<Observation>.Fail(option + o.Error);
    }

    private static async Task<int> ScheduleAsync(CliContext context, ClinicDatabase database, string record, UserId by, TimeProvider clock, CancellationToken ct)
    {
        await using var db = database.Open(by, clock);
        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var plan = (await new TreatmentService(db, clock).PlansAsync(summary.Id, by, ct).ConfigureAwait(false)).LastOrDefault(p => p.Status == PlanStatus.Active);
        if (plan is null)
        {
            return context.Refused($"{summary.MedicalRecordNumber}: no active treatment plan; prescribe one with 'ketacare plan prescribe'.");
        }

        var date = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var s = await new SessionWorkflow(db, clock).ScheduleAsync(plan.Id, date, by, ct).ConfigureAwait(false);
        if (!s.IsSuccess)
        {
            return context.Refused(s.Refusal);
        }

        context.Out.WriteLine($"scheduled session {s.Value.Id} for {summary.MedicalRecordNumber} on {Date(date)}: {s.Value.Protocol.Id}, planned dose {s.Value.PlannedDose}");
        return ExitCodes.Success;
    }

    private static async Task<(InfusionSession? Session, int Exit)> LoadSessionAsync(CliContext context, KetaCareDbContext db, string id, UserId by, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(id.Trim(), out var g))
        {
            return (null, context.UsageError($"SESSION: \"{id}\" is not a session id (a GUID printed by 'session schedule')."));
        }

        var s = await new SessionService(db, clock).GetAsync(new SessionId(g), by, ct).ConfigureAwait(false);
        return s.IsSuccess ? (s.Value, ExitCodes.Success) : (null, context.UsageError("SESSION: " + Say(s.Refusal)));
    }

    /// <summary>
    /// Runs one workflow step on the session named on the command line (against the version just read) and prints
    /// the result, or the refusal's findings in words.
    /// </summary>
    private static async Task<int> StepAsync(CliContext context, ClinicDatabase database, string id, Func<SessionWorkflow, SessionId, long, Task<Outcome<InfusionSession>>> step, string what, UserId by, TimeProvider clock, CancellationToken ct)
    {
        await using var scope = ClinicScope.Open(database, by, clock);
        var workflow = scope.Get<SessionWorkflow>();
        var (session, exit) = await LoadSessionAsync(context, scope.Get<KetaCareDbContext>(), id, by, clock, ct).ConfigureAwait(false);
        if (session is null)
        {
            return exit;
        }

        var r = await step(workflow, session.Id, session.Version).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        foreach (var f in r.Value.RecordFindings)
        {
            context.Out.WriteLine("  FINDING " + f.Code + ": " + FindingText.Render(f, CultureInfo.InvariantCulture));
        }

        context.Out.WriteLine($"session {r.Value.Id}: {what}; now {r.Value.State}, dose given {r.Value.DoseGiven(clock.GetUtcNow())}; version {Int(r.Value.Version)}");
        return ExitCodes.Success;
    }

    /// <summary>A refusal in words (English: the CLI speaks English), with each finding's code.</summary>
    private static string Say(Refusal refusal) => CliContext.Say(refusal);

    /// <summary>The pre-session checklist from the options: a missing fasting time or new-medication answer stays missing for the rules to refuse.</summary>
    private static ParseResult<PreSessionChecklist> ChecklistOptions(string? fastingSince, bool escort, bool noDriving, PregnancyCheck pregnancy, bool noNewMedications, string? newMedication, string? interactions)
    {
        DateTimeOffset? fasting = null;
        if (fastingSince is not null)
        {
            string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"];
            if (!DateTimeOffset.TryParseExact(fastingSince.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            {
                return ParseResult<PreSessionChecklist>.Fail($"--fasting-since: \"{fastingSince}\" is not an ISO 8601 UTC time, e.g. 2026-03-02T01:30Z.");
            }

            fasting = t;
        }

        if (noNewMedications && !string.IsNullOrWhiteSpace(newMedication))
        {
            return ParseResult<PreSessionChecklist>.Fail("--no-new-medications and --new-medication: give one, not both.");
        }

        IReadOnlyList<Medication>? medications = noNewMedications ? [] : null;
        if (!string.IsNullOrWhiteSpace(newMedication))
        {
            var m = MedicationOf(newMedication, null, interactions, "--new-medication-interactions");
            if (!m.IsSuccess)
            {
                return ParseResult<PreSessionChecklist>.Fail(m.Error);
            }

            medications = [m.Value];
        }

        return ParseResult<PreSessionChecklist>.Ok(new PreSessionChecklist(fasting, escort, noDriving, pregnancy, medications));
    }

    private static async Task<int> PreAssessAsync(CliContext context, ClinicDatabase database, string id, Observation baseline, PreSessionChecklist checklist, UserId by, TimeProvider clock, CancellationToken ct)
    {
        await using var scope = ClinicScope.Open(database, by, clock);
        var (session, exit) = await LoadSessionAsync(context, scope.Get<KetaCareDbContext>(), id, by, clock, ct).ConfigureAwait(false);
        if (session is null)
        {
            return exit;
        }

        var r = await scope.Get<SessionWorkflow>().PreAssessAsync(session.Id, session.Version, baseline, checklist, by, ct).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        PrintAlerts(context, r.Value.Alerts);
        if (!r.Value.Checks.IsSuccess)
        {
            return context.Refused($"session {session.Id}: baseline recorded; the pre-assessment checks did not pass: " + Say(r.Value.Checks.Refusal));
        }

        context.Out.WriteLine($"session {r.Value.Session.Id}: pre-assessment passed (weight {r.Value.Session.Weight}); now {r.Value.Session.State}; version {Int(r.Value.Session.Version)}");
        return ExitCodes.Success;
    }

    private static async Task<int> ProgramAsync(CliContext context, ClinicDatabase database, string id, UserId by, TimeProvider clock, CancellationToken ct)
    {
        await using var scope = ClinicScope.Open(database, by, clock);
        var workflow = scope.Get<SessionWorkflow>();
        var (session, exit) = await LoadSessionAsync(context, scope.Get<KetaCareDbContext>(), id, by, clock, ct).ConfigureAwait(false);
        if (session is null)
        {
            return exit;
        }

        var r = await workflow.ProgramPumpAsync(session.Id, session.Version, by, ct).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        var pp = r.Value.Program!;
        var w = context.Out;
        context.Heading($"Pump program for session {session.Id}: {session.PlannedDose} at {pp.Weight}, {pp.Preparation}");
        w.WriteLine($"  rate {SafeNumber.Format(pp.RateMlPerHour)} mL/h; VTBI {SafeNumber.Format(pp.VtbiMl)} mL; duration {SafeNumber.Format(pp.Duration.Minutes, 3)} min");
        w.WriteLine($"  back-calculated {pp.BackCalculated} (total {pp.TotalDose})");
        var preview = (await workflow.PreviewStartAsync(r.Value, ct).ConfigureAwait(false)).Value;
        if (preview.DoseCheck is { } dose)
        {
            foreach (var f in dose.Findings)
            {
                w.WriteLine($"  [{f.Severity}] {f.LimitId}: {FindingText.Render(f, CultureInfo.InvariantCulture)}");
            }

            w.WriteLine("  predicted peak plasma concentration: " + (dose.PredictedPeak is { } peak ? SafeNumber.Format(peak.NanogramsPerMilliliter, 3) + " ng/mL" : "not predicted"));
        }

        w.WriteLine($"session {r.Value.Id}: pump program recorded; a second clinician checks it blind ('session check'); version {Int(r.Value.Version)}");
        return ExitCodes.Success;
    }

    private static async Task<int> ObserveAsync(CliContext context, ClinicDatabase database, string id, Observation observation, UserId by, TimeProvider clock, CancellationToken ct)
    {
        await using var scope = ClinicScope.Open(database, by, clock);
        var (session, exit) = await LoadSessionAsync(context, scope.Get<KetaCareDbContext>(), id, by, clock, ct).ConfigureAwait(false);
        if (session is null)
        {
            return exit;
        }

        var r = await scope.Get<SessionWorkflow>().ObserveAsync(session.Id, session.Version, observation, by, ct).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        PrintAlerts(context, r.Value);
        context.Out.WriteLine($"session {session.Id}: observation recorded at {Time(observation.At)}; {Int(r.Value.Count)} alert(s)");
        return ExitCodes.Success;
    }

    private static void PrintAlerts(CliContext context, IReadOnlyList<VitalAlert> alerts)
    {
        foreach (var a in alerts)
        {
            context.Out.WriteLine($"  ALERT {a.Id}: {FindingText.Render(a.Finding, CultureInfo.InvariantCulture)} Suggested action: {a.Action}.");
        }
    }

    private static async Task<int> ShowSessionAsync(CliContext context, ClinicDatabase database, string id, UserId by, TimeProvider clock, CancellationToken ct)
    {
        await using var db = database.Open(by, clock);
        var (s, exit) = await LoadSessionAsync(context, db, id, by, clock, ct).ConfigureAwait(false);
        if (s is null)
        {
            return exit;
        }

        var w = context.Out;
        var now = clock.GetUtcNow();
        context.Heading($"Session {s.Id}: {s.State}, {Date(s.ScheduledFor)}, {s.Protocol.Id}, planned {s.PlannedDose}; version {Int(s.Version)}");
        if (s.Program is { } p)
        {
            w.WriteLine($"  pump program: {SafeNumber.Format(p.RateMlPerHour)} mL/h, VTBI {SafeNumber.Format(p.VtbiMl)} mL, back-calculated {p.BackCalculated}; programmed by {p.ProgrammedBy}" + (p.Check is { } c ? $", checked by {c.By}" : string.Empty));
        }

        context.Heading("Transitions");
        foreach (var t in s.Transitions)
        {
            w.WriteLine($"  {Time(t.At)} {t.From} → {t.To} by {t.By}" + (t.Reason is { } r ? $" — {r}" : string.Empty));
        }

        context.Heading("Premedication and rescue");
        for (var i = 0; i < s.Protocol.AncillaryOrders.Count; i++)
        {
            var o = s.Protocol.AncillaryOrders[i];
            w.WriteLine($"  order #{Int(i)}: {o.Purpose} {o.Drug} {SafeNumber.Format(o.DoseMg)} mg {o.Route}");
        }

        foreach (var g in s.AncillaryDoses)
        {
            w.WriteLine($"  {Time(g.At)} given by {g.By}: {g.Drug} {SafeNumber.Format(g.DoseMg)} mg {g.Route} ({g.Purpose})");
        }

        None(context, s.Protocol.AncillaryOrders.Count + s.AncillaryDoses.Count);
        context.Heading("Rate segments");
        foreach (var g in s.Segments)
        {
            w.WriteLine($"  #{Int(g.Index)} {Time(g.Start)}–{(g.End is { } e ? Time(e) : "running")}: {SafeNumber.Format(g.RateMlPerHour)} mL/h ({g.Rate}), {s.DeliveredAmount(g, now)} — {g.Reason}");
        }

        None(context, s.Segments.Count);
        context.Heading("Observations");
        foreach (var e in s.Observations.All)
        {
            var o = e.Value;
            w.WriteLine($"  {Time(o.At)}: " + string.Join(", ", new[]
            {
                o.Systolic is { } sy ? $"BP {Int(sy)}/{Int(o.Diastolic ?? 0)}" : null,
                o.HeartRate is { } h ? $"HR {Int(h)}" : null,
                o.SpO2 is { } sp ? $"SpO2 {Int(sp)} %" : null,
                o.RespiratoryRate is { } rr ? $"RR {Int(rr)}" : null,
                o.Sedation is { } sd ? $"{(sd.Scale == SedationScale.Rass ? "RASS" : "MOAA/S")} {Int(sd.Value)}" : null,
                o.Cadss is { } cd ? $"CADSS {Int(cd)}" : null,
                o.PainNrs is { } n ? $"NRS {Int(n)}" : null,
                o.Note,
            }.Where(x => x is not null)) + (e.Status == EntryStatus.Active ? string.Empty : $" [{e.Status}]"));
        }

        None(context, s.Observations.All.Count);
        context.Heading("Alerts");
        for (var k = 0; k < s.Alerts.Count; k++)
        {
            var a = s.Alerts[k];
            var ack = s.Acknowledgements.FirstOrDefault(x => x.AlertIndex == k);
            w.WriteLine($"  [{Int(k)}] {Time(a.At)} {a.Alert.Id}: {FindingText.Render(a.Alert.Finding, CultureInfo.InvariantCulture)} Suggested action: {a.Alert.Action}." + (a.SegmentIndex is { } i ? $" (segment #{Int(i)})" : string.Empty)
                + (ack is null ? string.Empty : $" Acknowledged by {ack.By} at {Time(ack.At)}: {ack.ActionTaken}"));
        }

        None(context, s.Alerts.Count);
        context.Heading("Adverse events");
        foreach (var e in s.AdverseEvents.All)
        {
            w.WriteLine($"  {e.Value.Type}, grade {Int(e.Value.Grade)}{(e.Value.Serious ? ", serious" : string.Empty)}, action {e.Value.Action} (recorded {Time(e.RecordedAt)} by {e.RecordedBy})");
        }

        None(context, s.AdverseEvents.All.Count);
        var account = s.Account(now);
        w.WriteLine($"dose given (from the rate segments, up to the VTBI): {s.DoseGiven(now)}" + (account.VtbiReachedAt is { } reached ? $"; VTBI reached at {Time(reached)}" : string.Empty)
            + (account.VolumeLeftMl is { } left ? $"; left in the container {SafeNumber.Format(left)} mL" : string.Empty) + (s.PumpVolumeMl is { } pv ? $"; pump showed {SafeNumber.Format(pv)} mL" : string.Empty));
        foreach (var f in s.RecordFindings)
        {
            w.WriteLine("  FINDING " + f.Code + ": " + FindingText.Render(f, CultureInfo.InvariantCulture));
        }
        if (s.DischargeAldrete is { } ald)
        {
            w.WriteLine($"discharge Aldrete: {Int(ald.Total)}");
        }

        return ExitCodes.Success;
    }

    /// <summary>A clock fixed at the time given by <c>--at</c>.</summary>
    private sealed class FixedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
