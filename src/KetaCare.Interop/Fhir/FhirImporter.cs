using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;
using Microsoft.EntityFrameworkCore;
using DomainCondition = KetaCare.Clinic.Patients.Condition;
using Duration = KetaCare.Pharmacology.Units.Duration;
using Medication = KetaCare.Clinic.Patients.Medication;
using AllergyIntolerance = Hl7.Fhir.Model.AllergyIntolerance;
using DomainAllergy = KetaCare.Clinic.Patients.AllergyIntolerance;

namespace KetaCare.Interop.Fhir;

/// <summary>One problem of an import, naming the entry, the resource type, the field and what is allowed.</summary>
/// <param name="EntryIndex">0-based index of the bundle entry; null for the bundle itself.</param>
/// <param name="ResourceType">The entry's resource type ("Bundle" for the bundle itself).</param>
/// <param name="Field">The field, e.g. <c>valueQuantity.code</c>.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record FhirImportError(int? EntryIndex, string ResourceType, string Field, string Message)
{
    /// <summary>The kind of problem, for faces to translate and to choose a status from.</summary>
    public FhirImportReason Reason { get; init; } = FhirImportReason.Invalid;

    /// <summary>A FHIRPath expression of the field, for an OperationOutcome.</summary>
    public string Expression => EntryIndex is { } i
        ? string.Create(CultureInfo.InvariantCulture, $"Bundle.entry[{i}].resource.{Field}")
        : "Bundle" + (Field.Length > 0 ? "." + Field : string.Empty);

    /// <summary>"entry 3 (Observation) valueQuantity.code: …".</summary>
    public override string ToString() => EntryIndex is { } i
        ? string.Create(CultureInfo.InvariantCulture, $"entry {i} ({ResourceType}) {Field}: {Message}")
        : $"bundle{(Field.Length > 0 ? " " + Field : string.Empty)}: {Message}";
}

/// <summary>An entry the import left out because KetaCare does not import its kind of record (not an error).</summary>
/// <param name="EntryIndex">0-based index of the bundle entry.</param>
/// <param name="ResourceType">The entry's resource type.</param>
/// <param name="Reason">Why it was left out, e.g. "AuditEvent is not imported".</param>
public sealed record FhirImportSkip(int EntryIndex, string ResourceType, string Reason)
{
    /// <summary>The kind of skip, for faces to translate.</summary>
    public FhirImportReason Code { get; init; } = FhirImportReason.TypeNotImported;
}

/// <summary>What an import did, or why it stored nothing.</summary>
/// <param name="PatientId">The registered patient; null when nothing was stored.</param>
/// <param name="MedicalRecordNumber">The patient's record number, when the bundle named one.</param>
/// <param name="Conditions">Conditions recorded.</param>
/// <param name="Measurements">Dated weights (with their heights) recorded.</param>
/// <param name="PriorTreatments">Prior treatments recorded.</param>
/// <param name="Medications">Current medications recorded.</param>
/// <param name="Errors">Every problem found; empty on success. When not empty nothing was stored.</param>
public sealed record FhirImportResult(PatientId? PatientId, string? MedicalRecordNumber, int Conditions, int Measurements, int PriorTreatments, int Medications, IReadOnlyList<FhirImportError> Errors)
{
    /// <summary>
    /// Entries left out because KetaCare does not import their kind of record: resource types other than
    /// <see cref="FhirImporter.ImportedTypes"/> (KetaCare's own export carries encounters, administrations, practitioners…)
    /// and Observations that are not body measurements, liver tests or vital signs. Reported, never silently dropped; they do not stop the import.
    /// </summary>
    public IReadOnlyList<FhirImportSkip> Skipped { get; init; } = [];

    /// <summary>Allergies and intolerances recorded, with a "no known allergies" statement counted as one.</summary>
    public int Allergies { get; init; }

    /// <summary>The plan the import followed (or refused on); per entry what was done and why.</summary>
    public FhirImportPreview? Preview { get; init; }

    /// <summary>
    /// True when nothing was stored only because the bundle's patient resembles registered patients
    /// (<see cref="FhirImportPreview.Duplicates"/>) and the user did not confirm a different person.
    /// </summary>
    public bool NeedsDuplicateConfirmation { get; init; }

    /// <summary>Liver panels recorded: liver-test Observations of one collection date form one panel.</summary>
    public int LiverPanels { get; init; }

    /// <summary>Vital signs and pain scores recorded as imported history.</summary>
    public int VitalSigns { get; init; }

    /// <summary>True when the bundle's patient was already registered (<see cref="FhirImportPreview.Match"/>) and the records were added to that chart.</summary>
    public bool Updated { get; init; }

    /// <summary>True when the patient and every importable entry were stored.</summary>
    public bool IsSuccess => Errors.Count == 0 && PatientId is not null;

    /// <summary>The errors as an OperationOutcome (issue type invalid, one issue per error with its FHIRPath).</summary>
    public OperationOutcome ToOperationOutcome() =>
        FhirJson.Outcome(OperationOutcome.IssueType.Invalid, Errors.Select(e => (e.ToString(), (string?)e.Expression)));

    internal static FhirImportResult Failed(string? mrn, IReadOnlyList<FhirImportError> errors) => new(null, mrn, 0, 0, 0, 0, errors);
}

/// <summary>
/// Imports a patient from a FHIR R4 Bundle (collection, searchset, transaction or batch) holding exactly one Patient
/// and any number of Condition (ICD-10-CM, or a SNOMED CT code KetaCare knows the ICD-10-CM equivalent of), Observation
/// (liver tests by their LOINC codes in their UCUM unit, bilirubin also in µmol/L, one panel per collection date; body
/// weight LOINC 29463-7 in kg or [lb_av], body height LOINC 8302-2 in cm, each height on the date of a weight; vital
/// signs and the pain score as imported history, <see cref="ImportedVitalSign"/>), MedicationStatement (stopped or
/// completed: prior treatments; active: current medications) and AllergyIntolerance. A new patient is registered; when
/// the Patient's record-number identifier (system and value) names a chart imported from the same system, the bundle
/// updates that chart instead (<see cref="FhirImportPreview.Match"/>), adding only records it does not hold. <see cref="PreviewAsync(string, CancellationToken)"/> computes
/// the plan without storing anything: per entry imported, skipped (with a reason: other resource types, other
/// Observations, conditions no longer active…) or refused (with the field and the allowed values), and registered
/// patients who may be the same person. <see cref="ImportAsync(string, UserId, bool, CancellationToken)"/> computes the
/// same plan and applies it only when nothing is refused and, when duplicates are flagged, the user confirmed a
/// different person. The patient and the entries are written through <see cref="PatientService"/> in one database
/// transaction, audited under the importing user. Bundles over <see cref="MaxBundleBytes"/> are refused before parsing.
/// One instance per unit of work; not thread-safe.
/// </summary>
/// <param name="db">The context.</param>
/// <param name="clock">The clock for recorded times.</param>
public sealed partial class FhirImporter(KetaCareDbContext db, TimeProvider clock)
{
    /// <summary>Largest bundle accepted: 10 MB (a chart is far smaller; a larger upload is refused before it is parsed).</summary>
    public const long MaxBundleBytes = 10L * 1024 * 1024;

    /// <summary>The pound (avoirdupois) in kg, exact by definition (international yard and pound agreement, 1959).</summary>
    private const double KilogramsPerPound = 0.45359237;

    /// <summary>The resource types a bundle may hold.</summary>
    public static IReadOnlyList<string> ImportedTypes { get; } = ["Patient", "Condition", "Observation", "MedicationStatement", "AllergyIntolerance"];

    /// <summary>Reads a bundle from a stream of FHIR JSON (UTF-8), refusing it unread beyond <see cref="MaxBundleBytes"/>.</summary>
    /// <returns>The text, or the problem that stops the import.</returns>
    public static async Task<(string? Text, FhirImportError? Error)> ReadAsync(Stream json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.CanSeek && json.Length - json.Position > MaxBundleBytes)
        {
            return (null, TooLarge(json.Length - json.Position));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await json.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBundleBytes)
            {
                return (null, TooLarge(null));
            }
        }

        try
        {
            return (new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, new FhirImportError(null, "Bundle", string.Empty, "not UTF-8 text; FHIR JSON is UTF-8.") { Reason = FhirImportReason.Malformed });
        }
    }

    /// <summary>Imports a bundle from a stream of FHIR JSON (UTF-8), without duplicate confirmation.</summary>
    /// <param name="json">The bundle; refused unread beyond <see cref="MaxBundleBytes"/>.</param>
    /// <param name="by">The importing user (audit).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<FhirImportResult> ImportAsync(Stream json, UserId by, CancellationToken cancellationToken = default) =>
        ImportAsync(json, by, duplicatesConfirmed: false, cancellationToken);

    /// <summary>Imports a bundle from a stream of FHIR JSON (UTF-8).</summary>
    /// <param name="json">The bundle; refused unread beyond <see cref="MaxBundleBytes"/>.</param>
    /// <param name="by">The importing user (audit).</param>
    /// <param name="duplicatesConfirmed">The user confirmed that the bundle's patient is none of the flagged registered patients.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<FhirImportResult> ImportAsync(Stream json, UserId by, bool duplicatesConfirmed, CancellationToken cancellationToken = default)
    {
        var (text, error) = await ReadAsync(json, cancellationToken).ConfigureAwait(false);
        return text is null
            ? FhirImportResult.Failed(null, [error!]) with { Preview = FhirImportPreview.Refused([error!]) }
            : await ImportAsync(text, by, duplicatesConfirmed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports a bundle given as FHIR JSON text, without duplicate confirmation.</summary>
    public Task<FhirImportResult> ImportAsync(string json, UserId by, CancellationToken cancellationToken = default) =>
        ImportAsync(json, by, duplicatesConfirmed: false, cancellationToken);

    /// <summary>
    /// Applies a bundle given as FHIR JSON text: computes <see cref="PreviewAsync(string, CancellationToken)"/> again
    /// (the database may have changed since the user saw it) and stores the plan in one transaction when nothing is
    /// refused and any flagged duplicates are confirmed; otherwise stores nothing.
    /// </summary>
    /// <param name="json">The bundle.</param>
    /// <param name="by">The importing user (audit).</param>
    /// <param name="duplicatesConfirmed">The user confirmed that the bundle's patient is none of the flagged registered patients.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<FhirImportResult> ImportAsync(string json, UserId by, bool duplicatesConfirmed, CancellationToken cancellationToken = default)
    {
        var (preview, plan) = await PlanAsync(json, cancellationToken).ConfigureAwait(false);
        if (plan is null || !preview.CanApply)
        {
            return FhirImportResult.Failed(preview.Patient?.MedicalRecordNumber, preview.Errors) with { Preview = preview, Skipped = plan?.Skipped ?? [] };
        }

        if (preview.NeedsDuplicateConfirmation && !duplicatesConfirmed)
        {
            return FhirImportResult.Failed(preview.Patient!.MedicalRecordNumber, []) with { Preview = preview, Skipped = plan.Skipped, NeedsDuplicateConfirmation = true };
        }

        var stored = await StoreAsync(plan, by, cancellationToken).ConfigureAwait(false);
        return stored with { Preview = preview };
    }

    /// <summary>The import plan of a bundle given as FHIR JSON text; stores nothing and reads no chart.</summary>
    /// <param name="json">The bundle.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<FhirImportPreview> PreviewAsync(string json, CancellationToken cancellationToken = default) =>
        (await PlanAsync(json, cancellationToken).ConfigureAwait(false)).Preview;

    /// <summary>The import plan of a bundle read from a stream of FHIR JSON (UTF-8); stores nothing.</summary>
    public async Task<FhirImportPreview> PreviewAsync(Stream json, CancellationToken cancellationToken = default)
    {
        var (text, error) = await ReadAsync(json, cancellationToken).ConfigureAwait(false);
        return text is null ? FhirImportPreview.Refused([error!]) : await PreviewAsync(text, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(FhirImportPreview Preview, ImportPlan? Plan)> PlanAsync(string json, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (Encoding.UTF8.GetByteCount(json) > MaxBundleBytes)
        {
            return (FhirImportPreview.Refused([TooLarge(Encoding.UTF8.GetByteCount(json))]), null);
        }

        var parsed = FhirJson.Parse(json, out var problems);
        if (!parsed.IsSuccess)
        {
            return (FhirImportPreview.Refused([.. problems.Select(ParseError)]), null);
        }

        if (parsed.Value is not Bundle bundle)
        {
            return (FhirImportPreview.Refused([new FhirImportError(null, parsed.Value.TypeName, "resourceType", $"a {parsed.Value.TypeName} was given; a Bundle is required.") { Reason = FhirImportReason.NotImportableBundle }]), null);
        }

        var plan = Check(bundle);
        var duplicates = new List<FhirDuplicateCandidate>();
        FhirImportMatch? match = null;
        if (plan.Demographics is { } d)
        {
            var patients = new PatientService(db, clock);
            var mrn = d.MedicalRecordNumber;
            plan.Existing = plan.RecordIdentifier is { } identifier ? await patients.IdentifiedByAsync(identifier, ct).ConfigureAwait(false) : null;
            if (plan.Existing is { } existing)
            {
                match = Matched(plan, existing, d);
                LeaveOutWhatTheChartHas(plan, existing);
            }
            else if (await db.Patients.AsNoTracking().AnyAsync(p => p.MedicalRecordNumber == mrn, ct).ConfigureAwait(false))
            {
                plan.Fail(FhirImportReason.RecordNumberTaken, plan.PatientIndex, "Patient", "identifier", $"record number \"{mrn}\" is already registered, but not as {plan.RecordIdentifier?.System ?? "this system"}'s: the same number alone is not the same person; a bundle updates only a chart imported from the same identifier system.");
            }

            var similar = await patients.ResemblingAsync(d, ct).ConfigureAwait(false);
            var known = await patients.DemographicsOfAsync([.. similar.Select(s => s.Id)], ct).ConfigureAwait(false);
            duplicates.AddRange(similar.Select(s => new FhirDuplicateCandidate(s.Id, s.MedicalRecordNumber, s.FamilyName, s.GivenName, s.BirthDate)
            {
                Sex = known.GetValueOrDefault(s.Id)?.Sex,
                SexDiffers = d.Sex is { } sex && known.GetValueOrDefault(s.Id)?.Sex is { } theirs && sex != theirs,
            }));
        }

        var entries = new List<FhirImportEntry>(bundle.Entry.Count);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var type = bundle.Entry[i].Resource?.TypeName ?? "entry";
            var errors = plan.Errors.Where(e => e.EntryIndex == i).ToList();
            var skip = plan.Skipped.FirstOrDefault(s => s.EntryIndex == i);
            entries.Add(errors.Count > 0
                ? new FhirImportEntry(i, type, FhirImportAction.Refuse, errors[0].Reason, string.Join(" ", errors.Select(e => (e.Field.Length > 0 ? e.Field + ": " : string.Empty) + e.Message)))
                : skip is not null
                    ? new FhirImportEntry(i, type, FhirImportAction.Skip, skip.Code, skip.Reason)
                    : i == plan.PatientIndex && match is not null
                        ? new FhirImportEntry(i, type, FhirImportAction.Update, FhirImportReason.None, match.Detail)
                        : new FhirImportEntry(i, type, FhirImportAction.Import, FhirImportReason.None, plan.Notes.GetValueOrDefault(i, string.Empty)));
        }

        return (new FhirImportPreview(plan.Demographics, entries, plan.Errors, duplicates) { Match = match }, plan);
    }

    /// <summary>The registered patient the bundle updates, with what the bundle says differently about who they are.</summary>
    private static FhirImportMatch Matched(ImportPlan plan, Clinic.Patients.Patient existing, Demographics sent)
    {
        var chart = existing.Demographics;
        var differences = new List<string>();
        if (sent.Sex != chart.Sex)
        {
            differences.Add($"administrative sex: the chart says {chart.Sex?.ToString() ?? "not recorded"}, the bundle {sent.Sex?.ToString() ?? "not recorded"}");
        }

        if (sent.BirthDate != chart.BirthDate)
        {
            differences.Add($"birth date: the chart says {chart.BirthDate:yyyy-MM-dd}, the bundle {sent.BirthDate:yyyy-MM-dd}");
        }

        if (PatientNames.Fold(chart.FamilyName) != PatientNames.Fold(sent.FamilyName) || PatientNames.Fold(chart.GivenName) != PatientNames.Fold(sent.GivenName))
        {
            differences.Add($"name: the chart says {chart.GivenName} {chart.FamilyName}, the bundle {sent.GivenName} {sent.FamilyName}");
        }

        var by = $"identifier {plan.RecordIdentifier!.System} {plan.RecordIdentifier.Value}";
        var detail = $"{by} is registered to {chart.GivenName} {chart.FamilyName} ({chart.MedicalRecordNumber}): the bundle's new records are added to that chart, its demographics are not changed"
            + (differences.Count > 0 ? $"; differs: {string.Join("; ", differences)} (check before importing)." : ".");
        return new FhirImportMatch(existing.Id, chart.MedicalRecordNumber, chart.FamilyName, chart.GivenName, chart.BirthDate, chart.Sex, sent.Sex != chart.Sex, sent.BirthDate != chart.BirthDate, differences.Any(x => x.StartsWith("name", StringComparison.Ordinal)), detail);
    }

    /// <summary>
    /// An update adds only what the chart does not hold: a record equal to an active one of the chart (a bundle imported
    /// before, or the same result sent twice) is left out and its entries skipped as <see cref="FhirImportReason.AlreadyOnChart"/>.
    /// </summary>
    private static void LeaveOutWhatTheChartHas(ImportPlan plan, Clinic.Patients.Patient chart)
    {
        void LeaveOut<T>(List<T> planned, IEnumerable<T> held, string type, string what, Func<T, object>? key = null)
            where T : notnull
        {
            key ??= v => v;
            var onChart = held.Select(key).ToList();
            foreach (var value in planned.Where(v => onChart.Contains(key(v))).ToList())
            {
                planned.Remove(value);
                foreach (var i in plan.Origins[value])
                {
                    plan.Skipped.Add(new FhirImportSkip(i, type, $"{what} already on the chart of {chart.Demographics.MedicalRecordNumber}; not added again.") { Code = FhirImportReason.AlreadyOnChart });
                }
            }
        }

        LeaveOut(plan.Conditions, chart.Conditions.ActiveValues, "Condition", "the condition is");
        LeaveOut(plan.Measurements, chart.Measurements.ActiveValues, "Observation", "the measurement is");
        LeaveOut(plan.PriorTreatments, chart.PriorTreatments.ActiveValues, "MedicationStatement", "the prior treatment is");
        // A medication is the same whichever way it reached the chart (entered, reported in a checklist, imported before).
        LeaveOut(plan.Medications, chart.Medications.ActiveValues, "MedicationStatement", "the medication is", m => (m.Name, m.DoseText, m.Interactions));
        LeaveOut(plan.Allergies, chart.Allergies.ActiveValues, "AllergyIntolerance", "the allergy is");
        foreach (var (date, panel) in plan.LiverPanels.Where(p => chart.LiverPanels.ActiveValues.Contains(p.Value)).ToList())
        {
            plan.LiverPanels.Remove(date);
            plan.Skipped.AddRange(plan.LiverPanelEntries[date].Select(i => new FhirImportSkip(i, "Observation", $"the liver panel of {date:yyyy-MM-dd} is already on the chart of {chart.Demographics.MedicalRecordNumber}; not added again.") { Code = FhirImportReason.AlreadyOnChart }));
        }

        foreach (var v in plan.VitalSigns.Where(v => chart.ImportedVitalSigns.ActiveValues.Contains(v.Vital)).ToList())
        {
            plan.VitalSigns.Remove(v);
            plan.Skipped.Add(new FhirImportSkip(v.Index, "Observation", $"the {v.Vital.Kind} of {v.Vital.MeasuredAt:yyyy-MM-dd HH:mm} is already on the chart of {chart.Demographics.MedicalRecordNumber}; not added again.") { Code = FhirImportReason.AlreadyOnChart });
        }

        if (plan.NoKnownAllergies is { } none && chart.AllergyStatements.ActiveValues.Contains(none))
        {
            plan.NoKnownAllergies = null;
            plan.Skipped.Add(new FhirImportSkip(plan.NoKnownAllergiesIndex!.Value, "AllergyIntolerance", $"\"no known allergies\" of {none.StatedOn:yyyy-MM-dd} is already on the chart; not added again.") { Code = FhirImportReason.AlreadyOnChart });
        }
    }

    private static FhirImportError TooLarge(long? bytes) =>
        new(null, "Bundle", string.Empty, bytes is { } b
            ? string.Create(CultureInfo.InvariantCulture, $"{b} bytes is over the limit of {MaxBundleBytes} bytes (10 MB); split the bundle.")
            : string.Create(CultureInfo.InvariantCulture, $"over the limit of {MaxBundleBytes} bytes (10 MB); split the bundle."))
        {
            Reason = FhirImportReason.TooLarge,
        };

    private static FhirImportError ParseError((string Path, string Message) p)
    {
        // The SDK names the element in the path, or for some errors only in the message ("At Bundle.entry[0].resource.birthDate, line …").
        var m = EntryPath().Match(p.Path.Length > 0 ? p.Path : p.Message);
        if (!m.Success)
        {
            return new FhirImportError(null, "Bundle", p.Path, p.Message) { Reason = FhirImportReason.Malformed };
        }

        var index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return new FhirImportError(index, m.Groups[2].Success ? m.Groups[2].Value : "resource", m.Groups[3].Value.TrimStart('.'), p.Message) { Reason = FhirImportReason.Malformed };
    }

    [GeneratedRegex(@"entry\[(\d+)\]\.resource(?:\.ofType\((\w+)\))?((?:\.[\w\[\]]+)*)", RegexOptions.CultureInvariant)]
    private static partial Regex EntryPath();

    private async Task<FhirImportResult> StoreAsync(ImportPlan plan, UserId by, CancellationToken ct)
    {
        var service = new PatientService(db, clock);
        await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
        Clinic.Patients.Patient p;
        if (plan.Existing is { } existing)
        {
            // An update: the chart as it was when planned; a change made since then is a version conflict, nothing stored.
            p = existing;
        }
        else
        {
            var registered = await service.RegisterAsync(plan.Demographics!, by, ct).ConfigureAwait(false);
            if (!registered.IsSuccess)
            {
                await transaction.RollbackAsync(ct).ConfigureAwait(false);
                return FhirImportResult.Failed(plan.Demographics!.MedicalRecordNumber, [new FhirImportError(plan.PatientIndex, "Patient", "identifier", registered.Error) { Reason = FhirImportReason.RecordNumberTaken }]);
            }

            p = registered.Value;
        }

        var recorded = await service.ChangeAsync(
            p.Id,
            p.Version,
            patient =>
            {
                if (plan.RecordIdentifier is { } identifier && patient.AddIdentifier(identifier) is { IsSuccess: false } badIdentifier)
                {
                    return badIdentifier;
                }

                foreach (var c in plan.Conditions)
                {
                    patient.Record(c, by, clock);
                }

                foreach (var m in plan.Measurements)
                {
                    patient.Record(m, by, clock);
                }

                foreach (var t in plan.PriorTreatments)
                {
                    patient.Record(t, by, clock);
                }

                foreach (var m in plan.Medications)
                {
                    patient.Record(m, by, clock);
                }

                foreach (var a in plan.Allergies)
                {
                    patient.Record(a, by, clock);
                }

                foreach (var l in plan.LiverPanels.Values)
                {
                    patient.Record(l, by, clock);
                }

                foreach (var (_, v) in plan.VitalSigns)
                {
                    patient.Record(v, by, clock);
                }

                if (plan.NoKnownAllergies is { } none)
                {
                    patient.Record(none, by, clock);
                }

                // Contact details fill an empty chart; those the clinic recorded itself are not overwritten by another system's.
                if (plan.Contact is { } contact && patient.Contact is null && patient.ChangeContact(contact, "imported from FHIR", by, clock) is { IsSuccess: false } badContact)
                {
                    return badContact.Refusal;
                }

                return Outcome.Ok();
            },
            by,
            ct).ConfigureAwait(false);
        if (!recorded.IsSuccess)
        {
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            return FhirImportResult.Failed(plan.Demographics!.MedicalRecordNumber, [new FhirImportError(null, "Bundle", string.Empty, recorded.Error)]);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return new FhirImportResult(p.Id, p.Demographics.MedicalRecordNumber, plan.Conditions.Count, plan.Measurements.Count, plan.PriorTreatments.Count, plan.Medications.Count, [])
        {
            Skipped = plan.Skipped,
            Allergies = plan.Allergies.Count + (plan.NoKnownAllergies is null ? 0 : 1),
            LiverPanels = plan.LiverPanels.Count,
            VitalSigns = plan.VitalSigns.Count,
            Updated = plan.Existing is not null,
        };
    }

    /// <summary>Checks every entry and builds what will be recorded; pure.</summary>
    private static ImportPlan Check(Bundle bundle)
    {
        var plan = new ImportPlan();
        if (bundle.Type is not (Bundle.BundleType.Collection or Bundle.BundleType.Searchset or Bundle.BundleType.Transaction or Bundle.BundleType.Batch))
        {
            plan.Fail(FhirImportReason.NotImportableBundle, null, "Bundle", "type", $"\"{bundle.Type?.ToString() ?? "missing"}\" is not importable; use collection, searchset, transaction or batch.");
            return plan;
        }

        var patients = bundle.Entry.Select((e, i) => (e, i)).Where(x => x.e.Resource is Hl7.Fhir.Model.Patient).ToList();
        if (patients.Count != 1)
        {
            plan.Fail(FhirImportReason.PatientCount, null, "Bundle", "entry", string.Create(CultureInfo.InvariantCulture, $"{patients.Count} Patient resources found; exactly 1 is required (one patient per bundle)."));
        }
        else
        {
            plan.PatientIndex = patients[0].i;
            plan.PatientReferences = PatientReferences(patients[0].e);
            CheckPatient(plan, (Hl7.Fhir.Model.Patient)patients[0].e.Resource!, patients[0].i);
        }

        var weights = new List<(int Index, DateOnly On, double Kg)>();
        var heights = new List<(int Index, DateOnly On, double Cm)>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            switch (bundle.Entry[i].Resource)
            {
                case null:
                    plan.Fail(FhirImportReason.Required, i, "entry", "resource", "missing; every entry must hold a resource.");
                    break;
                case Hl7.Fhir.Model.Patient:
                    break;
                case Hl7.Fhir.Model.Condition c:
                    CheckSubject(plan, i, "Condition", c.Subject);
                    CheckCondition(plan, c, i);
                    break;
                case Observation o when LiverTest(o) is { } test:
                    CheckSubject(plan, i, "Observation", o.Subject);
                    CheckLabObservation(plan, o, i, test);
                    break;
                case Observation o when IsVitalSign(o):
                    CheckSubject(plan, i, "Observation", o.Subject);
                    CheckVitalSign(plan, o, i);
                    break;
                case Observation o when !IsMeasurement(o):
                    plan.Skipped.Add(new FhirImportSkip(i, "Observation", $"only body weight (LOINC {FhirCodes.BodyWeight}), body height (LOINC {FhirCodes.BodyHeight}) and liver tests (LOINC {string.Join(", ", LabTestInfo.All.Select(t => t.Loinc))}) are imported.") { Code = FhirImportReason.ObservationNotImported });
                    break;
                case Observation o:
                    CheckSubject(plan, i, "Observation", o.Subject);
                    CheckObservation(plan, o, i, weights, heights);
                    break;
                case MedicationStatement m:
                    CheckSubject(plan, i, "MedicationStatement", m.Subject);
                    CheckMedicationStatement(plan, m, i);
                    break;
                case AllergyIntolerance a:
                    CheckSubject(plan, i, "AllergyIntolerance", a.Patient);
                    CheckAllergy(plan, a, i);
                    break;
                case MedicationRequest r when r.Status is MedicationRequest.MedicationrequestStatus.Active or MedicationRequest.MedicationrequestStatus.OnHold:
                    plan.Skipped.Add(new FhirImportSkip(i, "MedicationRequest", $"a current prescription from another system ({DrugNamed(r.Medication)}): record it as a current medication with its interaction classes with ketamine, which are a clinical judgement and never assumed from a drug code.") { Code = FhirImportReason.MedicationNeedsReview });
                    break;
                case Encounter:
                    plan.Skipped.Add(new FhirImportSkip(i, "Encounter", "an encounter is the sending system's context of its records; KetaCare records its own sessions.") { Code = FhirImportReason.EncounterContext });
                    break;
                case var other:
                    plan.Skipped.Add(new FhirImportSkip(i, other.TypeName, $"{other.TypeName} is not imported; KetaCare imports {string.Join(", ", ImportedTypes)}."));
                    break;
            }
        }

        // "No known allergies" beside an allergy that applies is left out, as the allergy takes precedence.
        if (plan.NoKnownAllergiesIndex is { } nka && plan.Allergies.Any(a => a.Applies))
        {
            plan.NoKnownAllergies = null;
            plan.Skipped.Add(new FhirImportSkip(nka, "AllergyIntolerance", "\"no known allergies\" beside an allergy that applies; the allergy is recorded.") { Code = FhirImportReason.Superseded });
        }

        foreach (var w in weights)
        {
            var sameDay = heights.Where(h => h.On == w.On).ToList();
            if (sameDay.Count > 1)
            {
                plan.Fail(FhirImportReason.Conflict, sameDay[1].Index, "Observation", "effectiveDateTime", $"a second body height on {w.On:yyyy-MM-dd}; record one height per weight.");
                continue;
            }

            var m = BodyMeasurement.Create(w.On, w.Kg, sameDay.Count == 1 ? sameDay[0].Cm : null);
            if (!m.IsSuccess)
            {
                var heightFault = m.Error.StartsWith("height", StringComparison.Ordinal);
                plan.Fail(FhirImportReason.Invalid, heightFault ? sameDay[0].Index : w.Index, "Observation", "valueQuantity.value", m.Error);
            }
            else
            {
                // Another system's weight is history: kept with its date, never a dosing weight (BodyMeasurement.Imported).
                plan.Add(plan.Measurements, m.Value.AsImported(), sameDay.Count == 1 ? [w.Index, sameDay[0].Index] : [w.Index]);
            }
        }

        foreach (var h in heights.Where(h => !weights.Any(w => w.On == h.On)))
        {
            plan.Fail(FhirImportReason.Conflict, h.Index, "Observation", "effectiveDateTime", $"a body height on {h.On:yyyy-MM-dd} needs a body weight (LOINC {FhirCodes.BodyWeight}) on the same date: KetaCare records height with a dated weight.");
        }

        if (weights.GroupBy(w => w.On).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            plan.Fail(FhirImportReason.Conflict, twice.Skip(1).First().Index, "Observation", "effectiveDateTime", $"a second body weight on {twice.Key:yyyy-MM-dd}; one weight per date.");
        }

        return plan;
    }

    private static HashSet<string> PatientReferences(Bundle.EntryComponent entry)
    {
        var refs = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(entry.FullUrl))
        {
            refs.Add(entry.FullUrl);
        }

        if (!string.IsNullOrEmpty(entry.Resource?.Id))
        {
            refs.Add("Patient/" + entry.Resource!.Id);
        }

        return refs;
    }

    private static void CheckSubject(ImportPlan plan, int i, string type, ResourceReference? subject)
    {
        if (subject?.Reference is not { Length: > 0 } reference)
        {
            plan.Fail(FhirImportReason.Required, i, type, "subject", "missing; a reference to the bundle's Patient is required.");
        }
        else if (plan.PatientReferences is { } refs && !refs.Contains(reference) && !refs.Any(r => r.StartsWith("Patient/", StringComparison.Ordinal) && reference.EndsWith("/" + r, StringComparison.Ordinal)))
        {
            plan.Fail(FhirImportReason.OtherPatient, i, type, "subject.reference", $"\"{reference}\" is not the bundle's Patient ({string.Join(" or ", refs)}).");
        }
    }

    private static void CheckPatient(ImportPlan plan, Hl7.Fhir.Model.Patient p, int i)
    {
        var mrn = p.Identifier.FirstOrDefault(x => x.System == FhirCodes.MrnSystem)
            ?? p.Identifier.FirstOrDefault(x => x.Type?.Coding.Any(c => c.Code == "MR") == true);
        if (string.IsNullOrWhiteSpace(mrn?.Value))
        {
            plan.Fail(FhirImportReason.Required, i, "Patient", "identifier", $"a medical record number is required: an identifier with system {FhirCodes.MrnSystem} or of type MR (v2-0203).");
        }

        // The current name: an old name or one whose period has ended is history (a maiden name too); official
        // before usual before a name without a use.
        var current = p.Name.Where(n => n.Use is not (HumanName.NameUse.Old or HumanName.NameUse.Maiden) && string.IsNullOrEmpty(n.Period?.End)).ToList();
        var name = current.FirstOrDefault(n => n.Use == HumanName.NameUse.Official)
            ?? current.FirstOrDefault(n => n.Use == HumanName.NameUse.Usual)
            ?? current.FirstOrDefault(n => n.Use is null);
        var given = name?.Given.FirstOrDefault(g => !string.IsNullOrWhiteSpace(g));
        if (string.IsNullOrWhiteSpace(name?.Family))
        {
            plan.Fail(FhirImportReason.Required, i, "Patient", "name.family", "missing; a family name is required.");
        }

        if (string.IsNullOrWhiteSpace(given))
        {
            plan.Fail(FhirImportReason.Required, i, "Patient", "name.given", "missing; a given name is required.");
        }

        DateOnly? birth = null;
        if (string.IsNullOrWhiteSpace(p.BirthDate))
        {
            plan.Fail(FhirImportReason.Required, i, "Patient", "birthDate", "missing; the full date of birth (YYYY-MM-DD) is required for the age covariate.");
        }
        else if (DateOnly.TryParseExact(p.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var b))
        {
            birth = b;
        }
        else
        {
            plan.Fail(FhirImportReason.Invalid, i, "Patient", "birthDate", $"\"{p.BirthDate}\" is not a full date; YYYY-MM-DD is required.");
        }

        Sex? sex = p.Gender switch
        {
            AdministrativeGender.Female => Sex.Female,
            AdministrativeGender.Male => Sex.Male,
            _ => null,
        };
        plan.SourceSystem = mrn?.System is { Length: > 0 } mrnSystem && mrnSystem != FhirCodes.MrnSystem ? mrnSystem : null;
        plan.RecordIdentifier = mrn?.System is { Length: > 0 } idSystem && idSystem != FhirCodes.MrnSystem && mrn.Value is { Length: > 0 } idValue ? new PatientIdentifier(idSystem, idValue.Trim()) : null;
        if (mrn?.Value is { Length: > 0 } record && name?.Family is { Length: > 0 } family && given is not null && birth is { } born)
        {
            plan.Demographics = new Demographics(record.Trim(), given.Trim(), family.Trim(), born, sex);
        }

        plan.Contact = ContactOf(plan, p, i);
    }

    /// <summary>
    /// The contact details a Patient carries: the first current e-mail and mobile number (telecom in use, not old, by
    /// rank) and the preferred communication language when it is English or Turkish. An address that is not one is left
    /// out with a note rather than refusing the bundle. Consent to reminders is not in a Patient resource, so none is
    /// imported: staff ask the patient and record it.
    /// </summary>
    private static ContactInput? ContactOf(ImportPlan plan, Hl7.Fhir.Model.Patient p, int i)
    {
        var live = p.Telecom
            .Where(t => t.Use != ContactPoint.ContactPointUse.Old && string.IsNullOrEmpty(t.Period?.End) && !string.IsNullOrWhiteSpace(t.Value))
            .OrderBy(t => t.Rank ?? int.MaxValue)
            .ToList();
        var email = live.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Email)?.Value?.Trim();
        var phone = (live.FirstOrDefault(t => t.System is ContactPoint.ContactPointSystem.Phone or ContactPoint.ContactPointSystem.Sms && t.Use == ContactPoint.ContactPointUse.Mobile)
            ?? live.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Sms))?.Value;
        var language = p.Communication
            .OrderByDescending(c => c.Preferred == true)
            .SelectMany(c => c.Language?.Coding ?? [])
            .Where(c => c.System is null or FhirCodes.Bcp47 && c.Code is { Length: >= 2 })
            .Select(c => c.Code![..2].ToLowerInvariant())
            .FirstOrDefault(c => Clinic.Messaging.MessageTemplates.Languages.Contains(c));
        var notes = new List<string>();
        if (email is not null && !Clinic.Messaging.Contacts.IsEmail(email))
        {
            notes.Add($"telecom: \"{email}\" is not an e-mail address; not imported.");
            email = null;
        }

        if (phone is not null && !PatientContacts.IsE164(PatientContacts.Normalise(phone)))
        {
            notes.Add($"telecom: \"{phone}\" is not an international mobile number (E.164); not imported.");
            phone = null;
        }

        if (notes.Count > 0)
        {
            plan.Notes[i] = string.Join(" ", notes);
        }

        return email is null && phone is null && language is null ? null : new ContactInput(email, phone, language ?? "en", null, null);
    }

    private static void CheckCondition(ImportPlan plan, Hl7.Fhir.Model.Condition c, int i)
    {
        var verification = c.VerificationStatus?.Coding.FirstOrDefault()?.Code;
        if (verification is "entered-in-error" or "refuted")
        {
            plan.Skipped.Add(new FhirImportSkip(i, "Condition", $"verificationStatus \"{verification}\": a condition entered in error or refuted is not recorded.") { Code = FhirImportReason.EnteredInError });
            return;
        }

        var clinical = c.ClinicalStatus?.Coding.FirstOrDefault()?.Code;
        if (clinical is not (null or "active" or "recurrence" or "relapse"))
        {
            plan.Skipped.Add(new FhirImportSkip(i, "Condition", $"clinicalStatus \"{clinical}\": only active conditions are recorded (active, recurrence or relapse).") { Code = FhirImportReason.NotActive });
            return;
        }

        // The original SNOMED CT coding is kept; a SNOMED-only condition KetaCare knows the ICD-10-CM equivalent of
        // (IndicationCatalogue.SnomedCodes) is recorded under that code, so screening finds its indication.
        var icd = c.Code?.Coding.FirstOrDefault(x => x.System == FhirCodes.Icd10Cm);
        var snomed = c.Code?.Coding.FirstOrDefault(x => x.System == FhirCodes.Snomed && !string.IsNullOrWhiteSpace(x.Code));
        var mapped = icd is null ? IndicationCatalogue.Icd10ForSnomed(snomed?.Code) : null;
        if (icd is null && mapped is null)
        {
            var given = string.Join(", ", c.Code?.Coding.Select(x => $"{x.System} {x.Code}") ?? []);
            plan.Skipped.Add(new FhirImportSkip(i, "Condition", $"no ICD-10-CM coding (system {FhirCodes.Icd10Cm}){(given.Length > 0 ? $"; given: {given}" : string.Empty)}, and no SNOMED CT code KetaCare knows the ICD-10-CM equivalent of; the chart's conditions are ICD-10-CM coded.") { Code = FhirImportReason.NoIcd10Coding });
            return;
        }

        if (mapped is { } m)
        {
            plan.Notes[i] = $"SNOMED CT {snomed!.Code} recorded as ICD-10-CM {m.Code}, the SNOMED CT code kept.";
        }

        var code = mapped is { } equivalent ? Outcome<Icd10Code>.Ok(equivalent) : Icd10Code.Parse(icd!.Code, "code.coding");
        if (!code.IsSuccess)
        {
            plan.Fail(FhirImportReason.Invalid, i, "Condition", "code.coding.code", code.Error);
        }

        Indication? indication = null;
        if (c.Code?.Coding.FirstOrDefault(x => x.System == FhirCodes.IndicationSystem) is { } ind)
        {
            if (Enum.TryParse<Indication>(ind.Code, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed))
            {
                indication = parsed;
            }
            else
            {
                plan.Fail(FhirImportReason.Invalid, i, "Condition", "code.coding.code", $"\"{ind.Code}\" is not an indication; allowed: {string.Join(", ", Enum.GetNames<Indication>())}.");
            }
        }

        DateOnly? onset = c.Onset is FhirDateTime dt ? DateOf(dt) : null;
        if (onset is null)
        {
            plan.Fail(FhirImportReason.Required, i, "Condition", "onsetDateTime", "a full onset date (YYYY-MM-DD) is required: pain duration is counted from it.");
        }

        if (code.IsSuccess && onset is { } on)
        {
            var description = c.Code!.Text ?? icd?.Display ?? snomed?.Display ?? code.Value.Code;
            plan.Add(plan.Conditions, new DomainCondition(code.Value, description.Trim(), on, indication, snomed?.Code?.Trim()), [i]);
        }
    }

    /// <summary>The kind of vital sign each LOINC code is imported as (the components 8480-6 and 8462-4 only within the panel).</summary>
    private static readonly Dictionary<string, VitalSignKind> VitalSignKinds = new(StringComparer.Ordinal)
    {
        [FhirCodes.BloodPressurePanel] = VitalSignKind.BloodPressure,
        [FhirCodes.HeartRate] = VitalSignKind.HeartRate,
        [FhirCodes.RespiratoryRate] = VitalSignKind.RespiratoryRate,
        [FhirCodes.PulseOximetry] = VitalSignKind.OxygenSaturation,
        [FhirCodes.OxygenSaturation] = VitalSignKind.OxygenSaturation,
        [FhirCodes.BodyTemperature] = VitalSignKind.BodyTemperature,
        [FhirCodes.PainNrs] = VitalSignKind.PainScore,
    };

    /// <summary>
    /// Another system's vital sign or pain score: imported as history with its own date and time (never read by dosing,
    /// gating or pre-session checks), in the UCUM unit the chart keeps for its kind. A systolic or diastolic sent alone,
    /// not in a blood-pressure panel, is skipped: one half of a pressure is not a reading.
    /// </summary>
    private static void CheckVitalSign(ImportPlan plan, Observation o, int i)
    {
        // SpO₂ by pulse oximetry is sent beside the arterial code the R4 profile requires (US Core, KetaCare's export): the
        // more specific code is kept.
        var codes = o.Code!.Coding.Where(x => x.System == FhirCodes.Loinc && x.Code is not null).Select(x => x.Code!).ToList();
        var loinc = codes.Contains(FhirCodes.PulseOximetry) ? FhirCodes.PulseOximetry : codes.FirstOrDefault(VitalSignKinds.ContainsKey);
        if (loinc is null)
        {
            plan.Skipped.Add(new FhirImportSkip(i, "Observation", $"a systolic (LOINC {FhirCodes.Systolic}) or diastolic (LOINC {FhirCodes.Diastolic}) pressure alone is not a reading; a blood pressure is imported as the panel LOINC {FhirCodes.BloodPressurePanel} with both.") { Code = FhirImportReason.VitalSignNotStored });
            return;
        }

        if (o.Status is not (ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected))
        {
            plan.Fail(FhirImportReason.Invalid, i, "Observation", "status", $"\"{o.Status?.ToString() ?? "missing"}\": only final, amended or corrected measurements are imported.");
            return;
        }

        var at = EffectiveStart(o) is { } effective ? MomentOf(effective) : null;
        if (at is not { } measuredAt)
        {
            plan.Fail(FhirImportReason.Required, i, "Observation", "effectiveDateTime", "a full date of measurement (YYYY-MM-DD or a date-time) is required: imported vital signs are history kept with their date.");
            return;
        }

        var kind = VitalSignKinds[loinc];
        var unit = ImportedVitalSign.UnitOf(kind);
        double? value;
        double? diastolic = null;
        string field;
        if (kind == VitalSignKind.BloodPressure)
        {
            field = "component.valueQuantity";
            value = ComponentValue(o, FhirCodes.Systolic, unit);
            diastolic = ComponentValue(o, FhirCodes.Diastolic, unit);
            if (value is null || diastolic is null)
            {
                plan.Fail(FhirImportReason.Required, i, "Observation", field, $"a blood-pressure panel needs a systolic (LOINC {FhirCodes.Systolic}) and a diastolic (LOINC {FhirCodes.Diastolic}) component, each a quantity in UCUM {unit}.");
                return;
            }
        }
        else
        {
            field = "valueQuantity";
            value = o.Value switch
            {
                Quantity { Value: { } v } q when q.System == FhirCodes.Ucum && (q.Code ?? q.Unit) == unit => (double)v,
                // A pain score is a count on a scale: sent as an integer, or as a quantity without a unit or as {score}.
                Quantity { Value: { } v } q when kind == VitalSignKind.PainScore && (q.Code ?? q.Unit) is null or "1" or "{score}" => (double)v,
                Integer { Value: { } n } when kind == VitalSignKind.PainScore => n,
                _ => null,
            };
            if (value is null)
            {
                plan.Fail(FhirImportReason.Unit, i, "Observation", field, $"LOINC {loinc} needs a quantity in UCUM {unit}{(kind == VitalSignKind.PainScore ? " or an integer" : string.Empty)} (got {DescribeValue(o.Value)}).");
                return;
            }
        }

        // The sending system of the record number; on a re-import of KetaCare's own export, the source it was imported from.
        var vital = ImportedVitalSign.Create(measuredAt, kind, value.Value, diastolic, loinc, plan.SourceSystem ?? o.Meta?.Source);
        if (!vital.IsSuccess)
        {
            plan.Fail(FhirImportReason.Invalid, i, "Observation", field + ".value", vital.Error);
            return;
        }

        plan.VitalSigns.Add((i, vital.Value));
    }

    private static double? ComponentValue(Observation o, string loinc, string unit) =>
        o.Component.FirstOrDefault(c => c.Code?.Coding.Any(x => x.System == FhirCodes.Loinc && x.Code == loinc) == true)?.Value is Quantity { Value: { } v } q
        && q.System == FhirCodes.Ucum && (q.Code ?? q.Unit) == unit
            ? (double)v
            : null;

    private static string DescribeValue(DataType? value) => value switch
    {
        Quantity q => $"{q.Value?.ToString(CultureInfo.InvariantCulture) ?? "no value"} {q.Code ?? q.Unit ?? "without a unit"}{(q.System is { } system && system != FhirCodes.Ucum ? $" of {system}" : string.Empty)}",
        null => "none",
        _ => value.TypeName,
    };

    /// <summary>When an Observation was made: its effective date-time, or the start of its effective period.</summary>
    private static FhirDateTime? EffectiveStart(Observation o) => o.Effective switch
    {
        FhirDateTime dt => dt,
        Period p => p.StartElement,
        _ => null,
    };

    /// <summary>The moment of a FHIR date-time: a full date is its midnight UTC; a partial date (year, month) is null.</summary>
    private static DateTimeOffset? MomentOf(FhirDateTime dt) =>
        dt.Value is { Length: 10 } ? DateOf(dt) is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null
        : dt.Value is { Length: > 10 } && dt.TryToDateTimeOffset(out var at) ? at.ToUniversalTime()
        : null;

    /// <summary>The LOINC codes of the vital signs and the pain score KetaCare records at sessions (and exports).</summary>
    private static readonly HashSet<string> VitalSigns =
    [
        FhirCodes.BloodPressurePanel, FhirCodes.Systolic, FhirCodes.Diastolic, FhirCodes.HeartRate, FhirCodes.RespiratoryRate,
        FhirCodes.OxygenSaturation, FhirCodes.PulseOximetry, FhirCodes.BodyTemperature, FhirCodes.PainNrs,
    ];

    private static bool IsVitalSign(Observation o) =>
        !IsMeasurement(o) && o.Code?.Coding.Any(x => x.System == FhirCodes.Loinc && x.Code is not null && VitalSigns.Contains(x.Code)) == true;

    private static LabTestInfo? LiverTest(Observation o) =>
        o.Code?.Coding.Where(x => x.System == FhirCodes.Loinc).Select(x => LabTestInfo.ByLoinc(x.Code)).FirstOrDefault(t => t is not null);

    /// <summary>A liver test from a laboratory: final, dated, in the test's UCUM unit; results of one date form one panel.</summary>
    private static void CheckLabObservation(ImportPlan plan, Observation o, int i, LabTestInfo test)
    {
        if (o.Status is not (ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected))
        {
            plan.Fail(FhirImportReason.Invalid, i, "Observation", "status", $"\"{o.Status?.ToString() ?? "missing"}\": only final, amended or corrected results are imported.");
            return;
        }

        DateOnly? on = EffectiveStart(o) is { } effective ? DateOf(effective) : null;
        if (on is not { } date)
        {
            plan.Fail(FhirImportReason.Required, i, "Observation", "effectiveDateTime", "a full date of collection (YYYY-MM-DD or a date-time) is required.");
            return;
        }

        var converted = o.Value is Quantity { Value: { } value } q && q.System == FhirCodes.Ucum ? InTestUnit(test, (double)value, q.Code ?? q.Unit) : null;
        if (converted is not { } number)
        {
            plan.Fail(FhirImportReason.Unit, i, "Observation", "valueQuantity", $"{test.Name} (LOINC {test.Loinc}) needs a quantity in UCUM {test.Unit}{(test.Test == LabTest.TotalBilirubin ? $" or {MicromolesPerLiter} (converted)" : string.Empty)}.");
            return;
        }

        if (ChartInput.LabValue(test.Test, number) is { IsSuccess: false } bad)
        {
            plan.Fail(FhirImportReason.Invalid, i, "Observation", "valueQuantity.value", bad.Error);
            return;
        }

        var panel = plan.LiverPanels.GetValueOrDefault(date) ?? new LiverPanel(date, null, null, null, null, null);
        if (panel.ValueOf(test.Test) is not null)
        {
            plan.Fail(FhirImportReason.Conflict, i, "Observation", "effectiveDateTime", $"a second {test.Name} on {date:yyyy-MM-dd}; one result per test and date.");
            return;
        }

        plan.LiverPanels[date] = panel.With(test.Test, number);
        plan.LiverPanelEntries.TryAdd(date, []);
        plan.LiverPanelEntries[date].Add(i);
    }

    /// <summary>UCUM micromoles per litre, the SI unit many laboratories report bilirubin in.</summary>
    private const string MicromolesPerLiter = "umol/L";

    /// <summary>
    /// A result in the unit the chart keeps for <paramref name="test"/>: as sent when it is that unit; a total bilirubin in
    /// µmol/L converted to mg/dL through its molar mass (clinical-reference: Units and constants (units)); otherwise null.
    /// </summary>
    private static double? InTestUnit(LabTestInfo test, double value, string? unit) =>
        unit == test.Unit ? value
        : test.Test == LabTest.TotalBilirubin && unit == MicromolesPerLiter && value >= 0 && double.IsFinite(value)
            ? Concentration.FromMicromolar(value, MolarMass.Bilirubin).MilligramsPerDeciliter
            : null;

    private static bool IsMeasurement(Observation o) =>
        o.Code?.Coding.Any(x => x.System == FhirCodes.Loinc && x.Code is FhirCodes.BodyWeight or FhirCodes.BodyHeight) == true;

    private static void CheckObservation(ImportPlan plan, Observation o, int i, List<(int, DateOnly, double)> weights, List<(int, DateOnly, double)> heights)
    {
        var loinc = o.Code!.Coding.Where(x => x.System == FhirCodes.Loinc).Select(x => x.Code).ToList();
        var isWeight = loinc.Contains(FhirCodes.BodyWeight);

        if (o.Status is not (ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected))
        {
            plan.Fail(FhirImportReason.Invalid, i, "Observation", "status", $"\"{o.Status?.ToString() ?? "missing"}\": only final, amended or corrected measurements are imported.");
        }

        DateOnly? on = EffectiveStart(o) is { } effective ? DateOf(effective) : null;
        if (on is null)
        {
            plan.Fail(FhirImportReason.Required, i, "Observation", "effectiveDateTime", "a full date of measurement (YYYY-MM-DD or a date-time) is required: the dose uses the weight valid on the session date.");
        }

        if (o.Value is not Quantity q || q.Value is not { } value)
        {
            plan.Fail(FhirImportReason.Required, i, "Observation", "valueQuantity", $"a quantity with a value is required (got {o.Value?.TypeName ?? "none"}).");
            return;
        }

        var unit = q.Code ?? q.Unit;
        if (q.System != FhirCodes.Ucum)
        {
            plan.Fail(FhirImportReason.Unit, i, "Observation", "valueQuantity.system", $"\"{q.System ?? "missing"}\": units must be UCUM ({FhirCodes.Ucum}).");
            return;
        }

        double number = (double)value;
        if (isWeight)
        {
            double? kg = unit switch
            {
                "kg" => number,
                "[lb_av]" => number * KilogramsPerPound,
                _ => null,
            };
            if (kg is null)
            {
                plan.Fail(FhirImportReason.Unit, i, "Observation", "valueQuantity.code", $"\"{unit}\" is not a body weight unit; allowed: kg or [lb_av] (converted to kg).");
            }
            else if (on is { } date)
            {
                weights.Add((i, date, kg.Value));
            }
        }
        else if (unit != "cm")
        {
            plan.Fail(FhirImportReason.Unit, i, "Observation", "valueQuantity.code", $"\"{unit}\" is not accepted for body height; allowed: cm.");
        }
        else if (on is { } date)
        {
            heights.Add((i, date, number));
        }
    }

    // The drug as the sending system named and coded it, for the clinician who records it.
    private static string DrugNamed(DataType? medication) => medication is CodeableConcept mc
        ? string.Join(", ", new[] { mc.Text }.Concat(mc.Coding.Select(x => $"{x.Display} ({x.System} {x.Code})")).Where(x => !string.IsNullOrWhiteSpace(x)))
        : medication?.TypeName ?? "no medication";

    private static void CheckMedicationStatement(ImportPlan plan, MedicationStatement m, int i)
    {
        var drug = (m.Medication as CodeableConcept)?.Text ?? (m.Medication as CodeableConcept)?.Coding.FirstOrDefault()?.Display;
        if (string.IsNullOrWhiteSpace(drug))
        {
            plan.Fail(FhirImportReason.Required, i, "MedicationStatement", "medicationCodeableConcept.text", "the drug or procedure name is required (medicationCodeableConcept with text or a coding display).");
        }

        var doseText = m.Dosage.FirstOrDefault()?.Text;
        switch (m.Status)
        {
            case MedicationStatement.MedicationStatusCodes.Active or MedicationStatement.MedicationStatusCodes.Intended or MedicationStatement.MedicationStatusCodes.OnHold:
                var classes = m.Category?.Coding.Where(c => c.System == FhirCodes.InteractionClassSystem).ToList() ?? [];
                if (classes.Count == 0)
                {
                    // A hospital's medication list has no KetaCare interaction classes; refusing it would refuse the whole
                    // bundle, and guessing the classes from a drug code is a clinical judgement, so the clinician records it.
                    plan.Skipped.Add(new FhirImportSkip(i, "MedicationStatement", $"a current medication from another system ({DrugNamed(m.Medication)}) without interaction classes with ketamine (codes of {FhirCodes.InteractionClassSystem}): record it as a current medication with its interaction classes, which are a clinical judgement and never assumed from a drug code.") { Code = FhirImportReason.MedicationNeedsReview });
                    return;
                }

                var interactions = InteractionClass.None;
                foreach (var c in classes)
                {
                    if (Enum.TryParse<InteractionClass>(c.Code, ignoreCase: false, out var f) && Enum.IsDefined(f))
                    {
                        interactions |= f;
                    }
                    else
                    {
                        plan.Fail(FhirImportReason.Invalid, i, "MedicationStatement", "category.coding.code", $"\"{c.Code}\" is not an interaction class; allowed: {string.Join(", ", Enum.GetNames<InteractionClass>())}.");
                    }
                }

                if (!string.IsNullOrWhiteSpace(drug))
                {
                    plan.Add(plan.Medications, new Medication(drug.Trim(), doseText, interactions, MedicationSource.Imported), [i]);
                }

                return;
            case MedicationStatement.MedicationStatusCodes.Completed or MedicationStatement.MedicationStatusCodes.Stopped:
                break;
            default:
                plan.Fail(FhirImportReason.Invalid, i, "MedicationStatement", "status", $"\"{m.Status?.ToString() ?? "missing"}\": allowed are stopped or completed (a prior treatment) and active, intended or on-hold (a current medication).");
                return;
        }

        var treatmentClass = TreatmentClass.Other;
        if (m.Category?.Coding.FirstOrDefault(c => c.System == FhirCodes.TreatmentClassSystem) is { } cls
            && !(Enum.TryParse(cls.Code, ignoreCase: false, out treatmentClass) && Enum.IsDefined(treatmentClass)))
        {
            plan.Fail(FhirImportReason.Invalid, i, "MedicationStatement", "category.coding.code", $"\"{cls.Code}\" is not a treatment class; allowed: {string.Join(", ", Enum.GetNames<TreatmentClass>())}.");
        }

        var outcomeCode = m.StatusReason.SelectMany(r => r.Coding).FirstOrDefault(c => c.System == FhirCodes.TreatmentOutcomeSystem)?.Code;
        if (!(Enum.TryParse<TreatmentOutcome>(outcomeCode, ignoreCase: false, out var outcome) && Enum.IsDefined(outcome)))
        {
            plan.Fail(FhirImportReason.Required, i, "MedicationStatement", "statusReason", $"how the treatment ended is required: a coding of {FhirCodes.TreatmentOutcomeSystem} with one of {string.Join(", ", Enum.GetNames<TreatmentOutcome>())}{(outcomeCode is null ? string.Empty : $" (got \"{outcomeCode}\")")}.");
        }

        var bounds = m.Dosage.FirstOrDefault()?.Timing?.Repeat?.Bounds as Hl7.Fhir.Model.Duration;
        double? days = bounds?.Value is { } v && bounds.System == FhirCodes.Ucum
            ? bounds.Code switch
            {
                "d" => (double)v,
                "wk" => (double)v * 7,
                "h" => (double)v / 24,
                "min" => (double)v / 1440,
                _ => null,
            }
            : null;
        if (days is not { } d || d < 0 || !double.IsFinite(d))
        {
            plan.Fail(FhirImportReason.Required, i, "MedicationStatement", "dosage.timing.repeat.boundsDuration", "how long the treatment was tried is required: a non-negative UCUM duration in min, h, d or wk.");
        }
        else if (!string.IsNullOrWhiteSpace(drug) && Enum.IsDefined(outcome))
        {
            plan.Add(plan.PriorTreatments, new PriorTreatment(treatmentClass, drug.Trim(), doseText, Duration.FromDays(d), outcome), [i]);
        }
    }

    /// <summary>
    /// An AllergyIntolerance: SNOMED CT 716186003 is a "no known allergies" statement; anything else an allergy whose
    /// substance is KetaCare's catalogue entry (by its catalogue code, or ketamine by its SNOMED CT code) or the
    /// code's text or display. Entered-in-error entries are skipped.
    /// </summary>
    private static void CheckAllergy(ImportPlan plan, AllergyIntolerance a, int i)
    {
        var verification = a.VerificationStatus?.Coding.FirstOrDefault(c => c.System == FhirCodes.AllergyVerificationStatus)?.Code;
        if (verification == "entered-in-error")
        {
            plan.Skipped.Add(new FhirImportSkip(i, "AllergyIntolerance", "entered in error.") { Code = FhirImportReason.EnteredInError });
            return;
        }

        var codings = a.Code?.Coding ?? [];
        var recorded = a.RecordedDateElement is { } rd ? DateOf(rd) : null;
        if (codings.Any(c => c.System == FhirCodes.Snomed && c.Code == FhirCodes.NoKnownAllergy))
        {
            if (recorded is not { } statedOn)
            {
                plan.Fail(FhirImportReason.Required, i, "AllergyIntolerance", "recordedDate", "a \"no known allergies\" statement needs the date it was made.");
                return;
            }

            plan.NoKnownAllergies = new NoKnownAllergies(statedOn);
            plan.NoKnownAllergiesIndex = i;
            return;
        }

        var catalogue = AllergySubstance.FromCatalogue(codings.FirstOrDefault(c => c.System == FhirCodes.AllergySubstanceSystem)?.Code)
            ?? (codings.Any(c => c.System == FhirCodes.Snomed && c.Code == FhirCodes.KetamineSubstance) ? AllergySubstance.Ketamine : null);
        var name = a.Code?.Text ?? codings.Select(c => c.Display).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
        if (catalogue is null && string.IsNullOrWhiteSpace(name))
        {
            plan.Fail(FhirImportReason.Required, i, "AllergyIntolerance", "code.text", "the substance is required (code with text, a coding display or a KetaCare catalogue code).");
            return;
        }

        var substance = catalogue ?? new AllergySubstance(name!.Trim());
        var clinical = a.ClinicalStatus?.Coding.FirstOrDefault(c => c.System == FhirCodes.AllergyClinicalStatus)?.Code;
        var reaction = a.Reaction.FirstOrDefault();
        var allergy = new DomainAllergy(
            substance,
            a.Category.FirstOrDefault() switch
            {
                AllergyIntolerance.AllergyIntoleranceCategory.Food => AllergyCategory.Food,
                AllergyIntolerance.AllergyIntoleranceCategory.Environment => AllergyCategory.Environment,
                AllergyIntolerance.AllergyIntoleranceCategory.Biologic => AllergyCategory.Biologic,
                _ => AllergyCategory.Medication,
            },
            a.Type == AllergyIntolerance.AllergyIntoleranceType.Intolerance ? AllergyType.Intolerance : AllergyType.Allergy,
            a.Criticality switch
            {
                AllergyIntolerance.AllergyIntoleranceCriticality.Low => AllergyCriticality.Low,
                AllergyIntolerance.AllergyIntoleranceCriticality.High => AllergyCriticality.High,
                _ => AllergyCriticality.UnableToAssess,
            },
            clinical switch
            {
                "inactive" => AllergyClinicalStatus.Inactive,
                "resolved" => AllergyClinicalStatus.Resolved,
                _ => AllergyClinicalStatus.Active,
            },
            verification switch
            {
                "confirmed" => AllergyVerification.Confirmed,
                "refuted" => AllergyVerification.Refuted,
                _ => AllergyVerification.Unconfirmed,
            },
            reaction?.Manifestation.Select(m => m.Text ?? m.Coding.FirstOrDefault()?.Display).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)),
            reaction?.Severity switch
            {
                AllergyIntolerance.AllergyIntoleranceSeverity.Mild => ReactionSeverity.Mild,
                AllergyIntolerance.AllergyIntoleranceSeverity.Moderate => ReactionSeverity.Moderate,
                AllergyIntolerance.AllergyIntoleranceSeverity.Severe => ReactionSeverity.Severe,
                _ => null,
            },
            a.Onset is FhirDateTime onset ? DateOf(onset) : null);
        foreach (var (field, check) in new[] { ("code.text", ChartInput.Text(allergy.Substance.Display, "substance", ChartInput.MaxShortTextLength, required: true)), ("reaction.manifestation.text", ChartInput.Text(allergy.Reaction, "reaction", ChartInput.MaxShortTextLength)) })
        {
            if (!check.IsSuccess)
            {
                plan.Fail(FhirImportReason.Invalid, i, "AllergyIntolerance", field, check.Error);
                return;
            }
        }

        plan.Add(plan.Allergies, allergy, [i]);
    }

    private static DateOnly? DateOf(FhirDateTime dt)
    {
        var v = dt.Value;
        if (v is null || v.Length < 10)
        {
            return null;
        }

        return v.Length == 10
            ? DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null
            : dt.TryToDateTimeOffset(out var at) ? DateOnly.FromDateTime(at.UtcDateTime) : null;
    }

    /// <summary>What a checked bundle will record, and the problems found.</summary>
    private sealed class ImportPlan
    {
        public int? PatientIndex { get; set; }

        public HashSet<string>? PatientReferences { get; set; }

        public Demographics? Demographics { get; set; }

        public List<DomainCondition> Conditions { get; } = [];

        public List<BodyMeasurement> Measurements { get; } = [];

        public List<PriorTreatment> PriorTreatments { get; } = [];

        public List<Medication> Medications { get; } = [];

        public List<DomainAllergy> Allergies { get; } = [];

        public NoKnownAllergies? NoKnownAllergies { get; set; }

        public int? NoKnownAllergiesIndex { get; set; }

        public SortedDictionary<DateOnly, LiverPanel> LiverPanels { get; } = [];

        /// <summary>Imported vital signs with the index of the entry each came from (a re-import skips those already on the chart).</summary>
        public List<(int Index, ImportedVitalSign Vital)> VitalSigns { get; } = [];

        /// <summary>The system of the record-number identifier, named on imported history as its source.</summary>
        public string? SourceSystem { get; set; }

        public List<FhirImportError> Errors { get; } = [];

        public List<FhirImportSkip> Skipped { get; } = [];

        /// <summary>What an imported entry became, where that is not obvious (a SNOMED CT code recorded under its ICD-10-CM equivalent).</summary>
        public Dictionary<int, string> Notes { get; } = [];

        /// <summary>The Patient's e-mail, mobile number and language, or null when it carries none.</summary>
        public ContactInput? Contact { get; set; }

        /// <summary>The entries each planned record came from (by reference: two equal records of a bundle are two records).</summary>
        public Dictionary<object, int[]> Origins { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>The entries each liver panel (by collection date) was assembled from.</summary>
        public Dictionary<DateOnly, List<int>> LiverPanelEntries { get; } = [];

        /// <summary>The identifier the record number came from, recorded on the chart so a later import of it updates the chart.</summary>
        public PatientIdentifier? RecordIdentifier { get; set; }

        /// <summary>The registered patient the bundle's identifier names: the bundle updates that chart.</summary>
        public Clinic.Patients.Patient? Existing { get; set; }

        public void Add<T>(List<T> list, T value, int[] entries)
            where T : notnull
        {
            list.Add(value);
            Origins[value] = entries;
        }

        public void Fail(FhirImportReason reason, int? index, string type, string field, string message) => Errors.Add(new FhirImportError(index, type, field, message) { Reason = reason });
    }
}
