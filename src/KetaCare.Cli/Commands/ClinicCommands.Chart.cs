using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary><c>ketacare patients add</c> and <c>ketacare patients record</c>: registering a patient and recording chart entries through <see cref="PatientService"/>.</summary>
internal static partial class ClinicCommands
{
    private static Command AddPatient(CliContext context, Option<string?> database, Option<string?> connection, Option<string?> by)
    {
        var record = new Option<string>("--record") { Description = "The clinic's medical record number (must not be taken).", Required = true };
        var family = new Option<string>("--family") { Description = "Family name.", Required = true };
        var given = new Option<string>("--given") { Description = "Given name.", Required = true };
        var born = new Option<string>("--born") { Description = "Date of birth, YYYY-MM-DD.", Required = true };
        var sex = new Option<string?>("--sex") { Description = "f or m (covariates and pregnancy questions)." };
        var weight = new Option<string>("--weight") { Description = "Body weight today, e.g. \"70 kg\" (the dose uses a dated weight).", Required = true };
        var height = new Option<string?>("--height") { Description = "Height today, e.g. \"175 cm\"." };
        var command = new Command("add", "Register a patient and record today's weight (and height); prints the record number and version.")
        {
            record, family, given, born, sex, weight, height,
        };
        command.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
        {
            var birth = DateOption(parse.GetValue(born), "--born");
            var s = Inputs.Sex(parse.GetValue(sex), "--sex");
            var w = Inputs.Weight(parse.GetValue(weight)!, "--weight");
            var h = HeightOption(parse.GetValue(height), "--height");
            var error = birth.IsSuccess ? s.IsSuccess ? w.IsSuccess ? h.IsSuccess ? null : h.Error : w.Error : s.Error : birth.Error;
            if (error is not null)
            {
                return Task.FromResult(context.UsageError(error));
            }

            var demographics = new Demographics(parse.GetValue(record)!.Trim(), parse.GetValue(given)!.Trim(), parse.GetValue(family)!.Trim(), birth.Value, s.Value);
            return DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => AddPatientAsync(context, db, demographics, w.Value, h.Value, user, c), ct);
        }));
        return command;
    }

    private static async Task<int> AddPatientAsync(CliContext context, ClinicDatabase database, Demographics demographics, BodyWeight weight, double? heightCm, UserId by, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(context.Clock.GetUtcNow().UtcDateTime);
        var measurement = BodyMeasurement.Create(today, weight.Kilograms, heightCm);
        if (!measurement.IsSuccess)
        {
            return context.UsageError("--weight/--height: " + measurement.Error);
        }

        await using var db = database.Open(by, context.Clock);
        var service = new PatientService(db, context.Clock);
        var registered = await service.RegisterAsync(demographics, by, ct).ConfigureAwait(false);
        if (!registered.IsSuccess)
        {
            return context.Refused(registered.Refusal);
        }

        var p = registered.Value;
        var recorded = await service.RecordAsync(p.Id, p.Version, measurement.Value, by, ct).ConfigureAwait(false);
        if (!recorded.IsSuccess)
        {
            return context.Refused($"registered {demographics.MedicalRecordNumber}, but the weight was not recorded: {recorded.Error}");
        }

        context.Out.WriteLine($"registered {demographics.FamilyName}, {demographics.GivenName} — record {demographics.MedicalRecordNumber}, born {Date(demographics.BirthDate)}; weight {measurement.Value}; version {Int(p.Version + 1)}");
        return ExitCodes.Success;
    }

    private static Command RecordOnChart(CliContext context, Option<string?> database, Option<string?> connection, Option<string?> by)
    {
        var record = new Argument<string>("RECORD") { Description = "The patient's medical record number." };
        var condition = new Option<string?>("--condition") { Description = "A pain condition: its ICD-10-CM code (with --onset, optional --description)." };
        var onset = new Option<string?>("--onset") { Description = "Date the condition's pain began, YYYY-MM-DD." };
        var description = new Option<string?>("--description") { Description = "Free-text description of the condition (default: the code)." };
        var weight = new Option<string?>("--weight") { Description = "A dated weight, e.g. \"72 kg\" (with --on; optional --height)." };
        var height = new Option<string?>("--height") { Description = "Height with --weight, e.g. \"175 cm\"." };
        var on = new Option<string?>("--on") { Description = "Date of the weight, pregnancy status or investigation, YYYY-MM-DD (default: today)." };
        var prior = new Option<string?>("--prior-treatment") { Description = "An earlier treatment: drug or procedure name (with --class, --duration, --result, optional --dose)." };
        var treatmentClass = new Option<string?>("--class") { Description = "Class of the prior treatment: " + Names<TreatmentClass>() + "." };
        var duration = new Option<string?>("--duration") { Description = "How long the prior treatment was tried, e.g. \"90 d\"." };
        var result = new Option<string?>("--result") { Description = "How the prior treatment ended: " + Names<TreatmentOutcome>() + "." };
        var dose = new Option<string?>("--dose") { Description = "Dose as documented (free text) for --prior-treatment or --medication." };
        var medication = new Option<string?>("--medication") { Description = "A current medication: its name (optional --dose, --interactions)." };
        var interactions = new Option<string?>("--interactions") { Description = "Interaction classes of the medication, comma-separated: " + Names<InteractionClass>() + " (default none)." };
        var finding = new Option<string?>("--finding") { Description = "A contraindication finding: " + Names<FindingKind>() + " (with --severity, --active yes|no, optional --note)." };
        var severity = new Option<string?>("--severity") { Description = "Severity of the finding: " + Names<Severity>() + "." };
        var active = new Option<string?>("--active") { Description = "yes when the finding is current or uncontrolled, no for history or controlled disease." };
        var note = new Option<string?>("--note") { Description = "Free-text note for the finding." };
        var pregnancy = new Option<string?>("--pregnancy") { Description = "Pregnancy status: " + Names<PregnancyState>() + " (with --on)." };
        var allergy = new Option<string?>("--allergy") { Description = "An allergy or intolerance: a catalogue substance (" + string.Join(", ", AllergySubstance.Catalogue.Select(s => s.CatalogueId)) + ") or a name (with --criticality, --verification; optional --reaction, --intolerance)." };
        var criticality = new Option<string?>("--criticality") { Description = "Criticality of the allergy: " + Names<AllergyCriticality>() + "." };
        var verification = new Option<string?>("--verification") { Description = "How certain the allergy is: " + Names<AllergyVerification>() + " (confirmed or refuted names you as the verifier)." };
        var reaction = new Option<string?>("--reaction") { Description = "The reaction to the allergen, e.g. \"urticaria\"." };
        var intolerance = new Option<bool>("--intolerance") { Description = "Record a non-immune intolerance rather than an allergy." };
        var noneKnown = new Option<bool>("--no-known-allergies") { Description = "The patient was asked and reports no allergy (dated with --on; refused beside an allergy that applies)." };
        var liver = new Option<string?>("--liver-panel") { Description = "A liver panel: name=value pairs, comma-separated, of alt, ast, ggt, alp (U/L) and bilirubin (total, mg/dL), e.g. \"alt=32,ast=27,bilirubin=0.6\" (dated with --on)." };
        var ecg = new Option<string?>("--ecg") { Description = "An ECG: its rhythm, " + Names<EcgRhythm>() + " (with --interpretation, optional --qtc, --note; dated with --on)." };
        var qtc = new Option<string?>("--qtc") { Description = "QTc of the ECG, e.g. \"440 ms\" (200–800 ms)." };
        var interpretation = new Option<string?>("--interpretation") { Description = "Interpretation of the ECG: " + Names<EcgInterpretation>() + "." };
        var urinalysis = new Option<string?>("--urinalysis") { Description = "A urine dipstick: name=result pairs, comma-separated, of blood and leukocytes (required) and nitrite (when read), each " + Names<DipstickResult>() + ", e.g. \"blood=Negative,leukocytes=Trace\" (dated with --on)." };
        var urinary = new Option<string?>("--urinary-symptoms") { Description = "The urinary-symptom questionnaire: five scores 0–3, comma-separated, in the order frequency, urgency, pain on passing urine, blood in the urine, bladder pain (dated with --on)." };
        var consent = new Option<string?>("--consent") { Description = "A signed consent: off-label (informed consent to off-label ketamine for pain; with --document, optional --signed, --expires)." };
        var signed = new Option<string?>("--signed") { Description = "Date the consent was signed, YYYY-MM-DD (default: today)." };
        var expires = new Option<string?>("--expires") { Description = "Last valid date of the consent, YYYY-MM-DD." };
        var document = new Option<string?>("--document") { Description = "Where the signed consent form is kept." };
        var expect = new Option<long?>("--expect-version") { Description = "The chart version you edited (default: the current one); a chart changed since is refused." };
        var command = new Command("record", "Record one chart entry: a condition, a dated weight, a prior treatment, a medication, a finding, a pregnancy status, an allergy, a dated \"no known allergies\", a liver panel, an ECG, a urine dipstick, a urinary-symptom score or a consent (audited change against the chart's version).")
        {
            record, condition, onset, description, weight, height, on, prior, treatmentClass, duration, result, dose, medication, interactions, finding, severity, active, note, pregnancy, allergy, criticality, verification, reaction, intolerance, noneKnown, liver, ecg, qtc, interpretation, urinalysis, urinary, consent, signed, expires, document, expect,
        };
        command.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user =>
        {
            var today = DateOnly.FromDateTime(context.Clock.GetUtcNow().UtcDateTime);
            var kinds = new[] { ("--condition", parse.GetValue(condition)), ("--weight", parse.GetValue(weight)), ("--prior-treatment", parse.GetValue(prior)), ("--medication", parse.GetValue(medication)), ("--finding", parse.GetValue(finding)), ("--pregnancy", parse.GetValue(pregnancy)), ("--allergy", parse.GetValue(allergy)), ("--no-known-allergies", parse.GetValue(noneKnown) ? "yes" : null), ("--liver-panel", parse.GetValue(liver)), ("--ecg", parse.GetValue(ecg)), ("--urinalysis", parse.GetValue(urinalysis)), ("--urinary-symptoms", parse.GetValue(urinary)), ("--consent", parse.GetValue(consent)) }
                .Where(k => k.Item2 is not null).ToList();
            if (kinds.Count != 1)
            {
                return Task.FromResult(context.UsageError(kinds.Count == 0
                    ? "record: name what to record: --condition, --weight, --prior-treatment, --medication, --finding, --pregnancy, --allergy, --no-known-allergies, --liver-panel, --ecg, --urinalysis, --urinary-symptoms or --consent."
                    : "record: one entry at a time; got " + string.Join(", ", kinds.Select(k => k.Item1)) + "."));
            }

            var (kind, text) = kinds[0];
            var entry = kind switch
            {
                "--condition" => ConditionEntry(text!, parse.GetValue(onset), parse.GetValue(description)),
                "--weight" => WeightEntry(text!, parse.GetValue(height), parse.GetValue(on), today),
                "--prior-treatment" => PriorTreatmentEntry(text!, parse.GetValue(treatmentClass), parse.GetValue(duration), parse.GetValue(result), parse.GetValue(dose)),
                "--medication" => MedicationEntry(text!, parse.GetValue(dose), parse.GetValue(interactions)),
                "--finding" => FindingEntry(text!, parse.GetValue(severity), parse.GetValue(active), parse.GetValue(note)),
                "--pregnancy" => PregnancyEntry(text!, parse.GetValue(on), today),
                "--allergy" => AllergyEntry(text!, parse.GetValue(criticality), parse.GetValue(verification), parse.GetValue(reaction), parse.GetValue(intolerance), user),
                "--no-known-allergies" => NoKnownAllergiesEntry(parse.GetValue(on), today),
                "--liver-panel" => LiverPanelEntry(text!, parse.GetValue(on), today),
                "--ecg" => EcgEntry(text!, parse.GetValue(qtc), parse.GetValue(interpretation), parse.GetValue(note), parse.GetValue(on), today),
                "--urinalysis" => UrinalysisEntry(text!, parse.GetValue(on), today),
                "--urinary-symptoms" => UrinarySymptomsEntry(text!, parse.GetValue(on), today),
                _ => ConsentEntry(text!, parse.GetValue(signed), parse.GetValue(expires), parse.GetValue(document), today),
            };
            return entry.IsSuccess
                ? DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => RecordEntryAsync(context, db, parse.GetValue(record)!, parse.GetValue(expect), entry.Value, user, c), ct)
                : Task.FromResult(context.UsageError(entry.Error));
        }));
        return command;
    }

    /// <summary>A chart entry ready to record: what it is, and how to record it with the service.</summary>
    private sealed record ChartWrite(string Description, Func<PatientService, PatientId, long, UserId, CancellationToken, Task<Outcome>> Write);

    private static ParseResult<ChartWrite> Entry<T>(T value, string description)
        where T : notnull =>
        ParseResult<ChartWrite>.Ok(new ChartWrite(description, async (service, id, version, by, ct) =>
        {
            var r = await service.RecordAsync(id, version, value, by, ct).ConfigureAwait(false);
            return r.IsSuccess ? Outcome.Ok() : r.Refusal;
        }));

    private static async Task<int> RecordEntryAsync(CliContext context, ClinicDatabase database, string record, long? expectedVersion, ChartWrite entry, UserId by, CancellationToken ct)
    {
        await using var db = database.Open(by, context.Clock);
        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var version = expectedVersion ?? summary.Version;
        var r = await entry.Write(new PatientService(db, context.Clock), summary.Id, version, by, ct).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        context.Out.WriteLine($"recorded on {summary.MedicalRecordNumber}: {entry.Description}; version {Int(version + 1)}");
        return ExitCodes.Success;
    }

    private static ParseResult<ChartWrite> ConditionEntry(string code, string? onsetText, string? description)
    {
        var icd = Icd10Code.Parse(code, "--condition");
        if (!icd.IsSuccess)
        {
            return ParseResult<ChartWrite>.Fail(icd.Error!.StartsWith("--condition", StringComparison.Ordinal) ? icd.Error : "--condition: " + icd.Error);
        }

        if (onsetText is null)
        {
            return ParseResult<ChartWrite>.Fail("--onset: the date the pain began is required with --condition, e.g. --onset 2024-09-01.");
        }

        var onset = DateOption(onsetText, "--onset");
        if (!onset.IsSuccess)
        {
            return ParseResult<ChartWrite>.Fail(onset);
        }

        var c = new Condition(icd.Value, string.IsNullOrWhiteSpace(description) ? icd.Value.Code : description.Trim(), onset.Value);
        return Entry(c, $"condition {c.Code} {c.Description}, onset {Date(c.Onset)}");
    }

    private static ParseResult<ChartWrite> WeightEntry(string weightText, string? heightText, string? onText, DateOnly today)
    {
        var w = Inputs.Weight(weightText, "--weight");
        var h = HeightOption(heightText, "--height");
        var on = onText is null ? ParseResult<DateOnly>.Ok(today) : DateOption(onText, "--on");
        var error = w.IsSuccess ? h.IsSuccess ? on.IsSuccess ? null : on.Error : h.Error : w.Error;
        if (error is not null)
        {
            return ParseResult<ChartWrite>.Fail(error);
        }

        var m = BodyMeasurement.Create(on.Value, w.Value.Kilograms, h.Value);
        return m.IsSuccess ? Entry(m.Value, "weight " + m.Value) : ParseResult<ChartWrite>.Fail("--weight: " + m.Error);
    }

    private static ParseResult<ChartWrite> PriorTreatmentEntry(string drug, string? classText, string? durationText, string? resultText, string? doseText)
    {
        var cls = EnumOption<TreatmentClass>(classText, "--class");
        if (!cls.IsSuccess)
        {
            return ParseResult<ChartWrite>.Fail(cls);
        }

        if (durationText is null)
        {
            return ParseResult<ChartWrite>.Fail("--duration: how long the treatment was tried is required with --prior-treatment, e.g. --duration \"90 d\".");
        }

        var d = Inputs.PositiveDuration(durationText, "--duration");
        if (!d.IsSuccess)
        {
            return ParseResult<ChartWrite>.Fail(d);
        }

        var outcome = EnumOption<TreatmentOutcome>(resultText, "--result");
        if (!outcome.IsSuccess)
        {
            return ParseResult<ChartWrite>.Fail(outcome);
        }

        var t = new PriorTreatment(cls.Value, drug.Trim(), doseText?.Trim(), d.Value, outcome.Value);
        return Entry(t, $"prior treatment {t.Class}: {t.Drug}, {SafeNumber.Format(t.Duration.Hours / 24, 3)} days, {t.Outcome}");
    }

    private static ParseResult<ChartWrite> MedicationEntry(string name, string? doseText, string? interactionsText)
    {
        var m = MedicationOf(name, doseText, interactionsText, "--interactions");
        return m.IsSuccess ? Entry(m.Value, $"medication {m.Value.Name} (interactions: {m.Value.Interactions})") : ParseResult<ChartWrite>.Fail(m.Error);
    }

    /// <summary>A medication from its name, documented dose and comma-separated interaction classes (named by <paramref name="option"/> in errors).</summary>
    private static ParseResult<Medication> MedicationOf(string name, string? doseText, string? interactionsText, string option)
    {
        var classes = InteractionClass.None;
        foreach (var part in (interactionsText ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var c = EnumOption<InteractionClass>(part, option);
            if (!c.IsSuccess)
            {
                return ParseResult<Medication>.Fail(c);
            }

            classes |= c.Value;
        }

        return ParseResult<Medication>.Ok(new Medication(name.Trim(), doseText?.Trim(), classes));
    }

    private static ParseResult<ChartWrite> FindingEntry(string kindText, string? severityText, string? activeText, string? note)
    {
        var kind = EnumOption<FindingKind>(kindText, "--finding");
        var severity = EnumOption<Severity>(severityText, "--severity");
        var active = activeText?.Trim().ToLowerInvariant() switch
        {
            "yes" or "y" or "true" => ParseResult<bool>.Ok(true),
            "no" or "n" or "false" => ParseResult<bool>.Ok(false),
            _ => ParseResult<bool>.Fail($"--active: \"{activeText}\" is not yes or no; say whether the finding is current or uncontrolled."),
        };
        var error = kind.IsSuccess ? severity.IsSuccess ? active.IsSuccess ? null : active.Error : severity.Error : kind.Error;
        if (error is not null)
        {
            return ParseResult<ChartWrite>.Fail(error);
        }

        var f = new ContraindicationFinding(kind.Value, severity.Value, active.Value, note?.Trim());
        return Entry(f, $"finding {f.Kind}, {f.Severity}, {(f.IsActive ? "active" : "history")}");
    }

    private static ParseResult<ChartWrite> AllergyEntry(string substanceText, string? criticalityText, string? verificationText, string? reaction, bool intolerance, UserId user)
    {
        var criticality = EnumOption<AllergyCriticality>(criticalityText, "--criticality");
        var verification = EnumOption<AllergyVerification>(verificationText, "--verification");
        var error = string.IsNullOrWhiteSpace(substanceText) ? "--allergy: name the substance." : criticality.IsSuccess ? verification.IsSuccess ? null : verification.Error : criticality.Error;
        if (error is not null)
        {
            return ParseResult<ChartWrite>.Fail(error);
        }

        var substance = AllergySubstance.FromCatalogue(substanceText.Trim().ToLowerInvariant()) ?? new AllergySubstance(substanceText.Trim());
        var a = AllergyIntolerance.Recorded(
            substance,
            substance.DefaultCategory,
            intolerance ? AllergyType.Intolerance : AllergyType.Allergy,
            criticality.Value,
            AllergyClinicalStatus.Active,
            verification.Value,
            string.IsNullOrWhiteSpace(reaction) ? null : reaction.Trim(),
            null,
            null,
            user);
        return Entry(a, $"{a.Type.ToString().ToLowerInvariant()} to {a.Substance.Display} ({a.Criticality}, {a.Verification}){(a.Substance.IsKetamineProduct ? " — ketamine is contraindicated" : string.Empty)}");
    }

    private static ParseResult<ChartWrite> NoKnownAllergiesEntry(string? onText, DateOnly today)
    {
        var on = onText is null ? ParseResult<DateOnly>.Ok(today) : DateOption(onText, "--on");
        return on.IsSuccess ? Entry(new NoKnownAllergies(on.Value), $"no known allergies on {Date(on.Value)}") : ParseResult<ChartWrite>.Fail(on);
    }

    private static ParseResult<ChartWrite> LiverPanelEntry(string text, string? onText, DateOnly today)
    {
        var on = onText is null ? ParseResult<DateOnly>.Ok(today) : DateOption(onText, "--on");
        if (!on.IsSuccess)
        {
            return ParseResult<ChartWrite>.Fail(on.Error);
        }

        var panel = new LiverPanel(on.Value, null, null, null, null, null);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            LabTest? test = parts[0].ToLowerInvariant() switch
            {
                "alt" => LabTest.Alt,
                "ast" => LabTest.Ast,
                "bilirubin" => LabTest.TotalBilirubin,
                "ggt" => LabTest.Ggt,
                "alp" => LabTest.Alp,
                _ => null,
            };
            if (test is not { } t || parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return ParseResult<ChartWrite>.Fail($"--liver-panel: \"{pair}\" is not name=value with a name of alt, ast, bilirubin, ggt, alp and a number with a point, e.g. alt=32.");
            }

            panel = panel.With(t, value);
        }

        return Entry(panel, $"liver panel on {Date(panel.CollectedOn)}: " + string.Join(", ", panel.Results.Select(r => $"{LabTestInfo.Of(r.Test).Name} {SafeNumber.Format(r.Value)} {LabTestInfo.Of(r.Test).Unit}")));
    }

    private static ParseResult<ChartWrite> EcgEntry(string rhythmText, string? qtcText, string? interpretationText, string? note, string? onText, DateOnly today)
    {
        var rhythm = EnumOption<EcgRhythm>(rhythmText, "--ecg");
        var interpretation = EnumOption<EcgInterpretation>(interpretationText, "--interpretation");
        var on = onText is null ? ParseResult<DateOnly>.Ok(today) : DateOption(onText, "--on");
        double? qtc = null;
        string? qtcError = null;
        if (qtcText is not null)
        {
            var number = qtcText.Trim().EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? qtcText.Trim()[..^2].Trim() : null;
            if (number is not null && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                qtc = ms;
            }
            else
            {
                qtcError = $"--qtc: \"{qtcText}\" is not a duration in ms, e.g. \"440 ms\".";
            }
        }

        var error = rhythm.IsSuccess ? interpretation.IsSuccess ? on.IsSuccess ? qtcError : on.Error : interpretation.Error : rhythm.Error;
        return error is not null
            ? ParseResult<ChartWrite>.Fail(error)
            : Entry(new EcgRecord(on.Value, rhythm.Value, qtc, interpretation.Value, string.IsNullOrWhiteSpace(note) ? null : note.Trim()), $"ECG on {Date(on.Value)}: {rhythm.Value}, {interpretation.Value}" + (qtc is { } q ? $", QTc {SafeNumber.Format(q)} ms" : string.Empty));
    }

    private static ParseResult<ChartWrite> UrinalysisEntry(string text, string? onText, DateOnly today)
    {
        var on = onText is null ? ParseResult<DateOnly>.Ok(today) : DateOption(onText, "--on");
        if (!on.IsSuccess)
        {
            return ParseResult<ChartWrite>.Fail(on.Error);
        }

        var results = new Dictionary<string, DipstickResult>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            var name = parts[0].ToLowerInvariant();
            if (name is not ("blood" or "leukocytes" or "nitrite") || parts.Length != 2 || results.ContainsKey(name))
            {
                return ParseResult<ChartWrite>.Fail($"--urinalysis: \"{pair}\" is not name=result with a name of blood, leukocytes, nitrite (each once), e.g. blood=Negative.");
            }

            var result = EnumOption<DipstickResult>(parts[1], "--urinalysis " + name);
            if (!result.IsSuccess)
            {
                return ParseResult<ChartWrite>.Fail(result.Error);
            }

            results[name] = result.Value;
        }

        if (!results.TryGetValue("blood", out var blood) || !results.TryGetValue("leukocytes", out var leukocytes))
        {
            return ParseResult<ChartWrite>.Fail($"--urinalysis: \"{text}\" needs blood and leukocytes, e.g. \"blood=Negative,leukocytes=Negative\".");
        }

        var u = new Urinalysis(on.Value, blood, leukocytes, results.TryGetValue("nitrite", out var nitrite) ? nitrite : null);
        return Entry(u, $"urine dipstick on {Date(u.CollectedOn)}: blood {u.Blood}, leukocytes {u.Leukocytes}" + (u.Nitrite is { } n ? $", nitrite {n}" : string.Empty));
    }

    private static ParseResult<ChartWrite> UrinarySymptomsEntry(string text, string? onText, DateOnly today)
    {
        var on = onText is null ? ParseResult<DateOnly>.Ok(today) : DateOption(onText, "--on");
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var scores = new int[5];
        if (parts.Length != 5 || parts.Select((x, i) => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out scores[i])).Any(ok => !ok))
        {
            return ParseResult<ChartWrite>.Fail($"--urinary-symptoms: \"{text}\" is not five whole scores 0–3 separated by commas (frequency, urgency, pain on passing urine, blood in the urine, bladder pain).");
        }

        if (!on.IsSuccess)
        {
            return ParseResult<ChartWrite>.Fail(on.Error);
        }

        var q = new UrinarySymptoms(on.Value, scores[0], scores[1], scores[2], scores[3], scores[4]);
        return Entry(q, $"urinary symptoms on {Date(q.CompletedOn)}: score {q.Total} of 15");
    }

    private static ParseResult<ChartWrite> PregnancyEntry(string stateText, string? onText, DateOnly today)
    {
        var state = EnumOption<PregnancyState>(stateText, "--pregnancy");
        var on = onText is null ? ParseResult<DateOnly>.Ok(today) : DateOption(onText, "--on");
        var error = state.IsSuccess ? on.IsSuccess ? null : on.Error : state.Error;
        return error is not null
            ? ParseResult<ChartWrite>.Fail(error)
            : Entry(new PregnancyStatus(state.Value, on.Value), $"pregnancy status {state.Value} on {Date(on.Value)}");
    }

    private static ParseResult<ChartWrite> ConsentEntry(string kindText, string? signedText, string? expiresText, string? document, DateOnly today)
    {
        if (kindText.Trim().ToLowerInvariant() is not ("off-label" or "offlabel" or "off-label-ketamine-for-pain"))
        {
            return ParseResult<ChartWrite>.Fail($"--consent: \"{kindText}\" is not a consent kind; use off-label (informed consent to off-label ketamine for pain).");
        }

        if (string.IsNullOrWhiteSpace(document))
        {
            return ParseResult<ChartWrite>.Fail("--document: say where the signed consent form is kept, e.g. --document consent-0001.pdf.");
        }

        var signed = signedText is null ? ParseResult<DateOnly>.Ok(today) : DateOption(signedText, "--signed");
        var expiry = expiresText is null ? ParseResult<DateOnly>.Ok(default) : DateOption(expiresText, "--expires");
        var error = signed.IsSuccess ? expiry.IsSuccess ? null : expiry.Error : signed.Error;
        if (error is not null)
        {
            return ParseResult<ChartWrite>.Fail(error);
        }

        DateOnly? expires = expiresText is null ? null : expiry.Value;
        if (expires is { } x && x < signed.Value)
        {
            return ParseResult<ChartWrite>.Fail($"--expires: {Date(x)} is before the signing date {Date(signed.Value)}.");
        }

        var c = new Consent(ConsentKind.OffLabelKetamineForPain, signed.Value, expires, document.Trim());
        return Entry(c, $"consent {c.Kind} signed {Date(c.SignedOn)} ({c.DocumentReference})");
    }

    /// <summary>A date written YYYY-MM-DD; an error names the option.</summary>
    private static ParseResult<DateOnly> DateOption(string? text, string option) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? ParseResult<DateOnly>.Ok(d)
            : ParseResult<DateOnly>.Fail($"{option}: \"{text}\" is not a date; write YYYY-MM-DD, e.g. 2024-09-01.");

    /// <summary>A height "175 cm" or "175"; null when not given.</summary>
    private static ParseResult<double?> HeightOption(string? text, string option)
    {
        if (text is null)
        {
            return ParseResult<double?>.Ok(null);
        }

        var t = text.Trim();
        if (t.EndsWith("cm", StringComparison.OrdinalIgnoreCase))
        {
            t = t[..^2].TrimEnd();
        }

        return Inputs.OptionalNumber(t, option, BodyMeasurement.MinHeightCm, BodyMeasurement.MaxHeightCm, "cm");
    }

    /// <summary>An enum value by its name, case- and hyphen-insensitive ("not-tolerated"); an error lists the names.</summary>
    private static ParseResult<T> EnumOption<T>(string? text, string option)
        where T : struct, Enum
    {
        var key = (text ?? string.Empty).Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).Trim();
        foreach (var v in Enum.GetValues<T>())
        {
            if (key.Length > 0 && string.Equals(v.ToString(), key, StringComparison.OrdinalIgnoreCase))
            {
                return ParseResult<T>.Ok(v);
            }
        }

        return ParseResult<T>.Fail(text is null
            ? $"{option}: required; one of {Names<T>()}."
            : $"{option}: \"{text}\" is not one of {Names<T>()}.");
    }

    private static string Names<T>()
        where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Where(v => Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0 || typeof(T) != typeof(InteractionClass)).Select(v => Kebab(v.ToString())));

    private static string Kebab(string name) =>
        string.Concat(name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}
