using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Outcomes;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Patients;

/// <summary>
/// The patient aggregate: demographics and append-only chart histories (measurements, conditions, prior
/// treatments, medications, findings, pregnancy status, consents, outcome measures). Every change increments
/// <see cref="Version"/> (optimistic concurrency when stored). Nothing is deleted: corrections are amendments
/// with a reason, mistakes are marked entered-in-error. Rules never read the aggregate; they read a
/// <see cref="PatientSnapshot"/>. Not thread-safe.
/// </summary>
public sealed class Patient
{
    private Patient(PatientId id, Demographics demographics, DateTimeOffset createdAt, UserId createdBy)
    {
        Id = id;
        Demographics = demographics;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    /// <summary>Identity.</summary>
    public PatientId Id { get; }

    /// <summary>Concurrency version: 1 when created, +1 per change.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>When the patient was registered (UTC).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Who registered the patient.</summary>
    public UserId CreatedBy { get; }

    /// <summary>Current demographics; earlier versions are in <see cref="DemographicsHistory"/>.</summary>
    public Demographics Demographics { get; private set; }

    /// <summary>Earlier demographics with the reason for each correction.</summary>
    public IReadOnlyList<(Demographics Previous, string Reason, DateTimeOffset At, UserId By)> DemographicsHistory => _demographicsHistory;

    /// <summary>
    /// Identifiers other systems know the patient by (system and value), recorded when the chart was imported from one of
    /// them: a later import naming one of them is an update of this chart, not a new registration.
    /// </summary>
    public IReadOnlyList<PatientIdentifier> Identifiers => _identifiers ??= [];

    /// <summary>Weight and height history.</summary>
    public ChartHistory<BodyMeasurement> Measurements { get; } = new();

    /// <summary>Pain conditions.</summary>
    public ChartHistory<Condition> Conditions { get; } = new();

    /// <summary>Earlier pain treatments.</summary>
    public ChartHistory<PriorTreatment> PriorTreatments { get; } = new();

    /// <summary>Current medications.</summary>
    public ChartHistory<Medication> Medications { get; } = new();

    /// <summary>Findings relevant to contraindications.</summary>
    public ChartHistory<ContraindicationFinding> Findings { get; } = new();

    /// <summary>Pregnancy statuses over time.</summary>
    public ChartHistory<PregnancyStatus> PregnancyStatuses { get; } = new();

    /// <summary>Consents.</summary>
    public ChartHistory<Consent> Consents { get; } = new();

    /// <summary>Pain NRS scores recorded between sessions (follow-ups).</summary>
    public ChartHistory<FollowUpPain> FollowUpPains => _followUpPains ??= new();

    /// <summary>Brief Pain Inventory short forms.</summary>
    public ChartHistory<BpiAssessment> BpiAssessments => _bpiAssessments ??= new();

    /// <summary>Patient Global Impressions of Change.</summary>
    public ChartHistory<PgicAssessment> PgicAssessments => _pgicAssessments ??= new();

    /// <summary>Allergies and intolerances.</summary>
    public ChartHistory<AllergyIntolerance> Allergies => _allergies ??= new();

    /// <summary>Dated "no known allergies" statements.</summary>
    public ChartHistory<NoKnownAllergies> AllergyStatements => _allergyStatements ??= new();

    /// <summary>Liver panels (ALT, AST, bilirubin, GGT, ALP).</summary>
    public ChartHistory<LiverPanel> LiverPanels => _liverPanels ??= new();

    /// <summary>ECGs.</summary>
    public ChartHistory<EcgRecord> Ecgs => _ecgs ??= new();

    /// <summary>Urine dipsticks.</summary>
    public ChartHistory<Urinalysis> Urinalyses => _urinalyses ??= new();

    /// <summary>Urinary-symptom questionnaires.</summary>
    public ChartHistory<UrinarySymptoms> UrinarySymptomScores => _urinarySymptoms ??= new();

    /// <summary>
    /// Vital signs and pain scores imported from another system: history with their original dates, shown on the chart,
    /// never in <see cref="Snapshot"/> and so never read by dosing, gating or pre-session checks.
    /// </summary>
    public ChartHistory<ImportedVitalSign> ImportedVitalSigns => _importedVitalSigns ??= new();

    /// <summary>Side effects the patient reported in the portal.</summary>
    public ChartHistory<Portal.SideEffectReport> SideEffects => _sideEffects ??= new();

    /// <summary>The patient's own pre-visit checklists (day before and day of a session).</summary>
    public ChartHistory<Portal.PreVisitAnswers> PreVisitAnswers => _preVisitAnswers ??= new();

    /// <summary>Clinician tasks raised from the patient's reports; acknowledging or closing one amends it.</summary>
    public ChartHistory<Portal.ClinicianTask> Tasks => _tasks ??= new();

    /// <summary>
    /// Contact details over time: one entry, amended at each change (the earlier versions stay readable with who changed
    /// them and when). <see cref="Contact"/> is the current one.
    /// </summary>
    public ChartHistory<PatientContact> ContactHistory => _contacts ??= new();

    /// <summary>The current contact details and reminder consents, or null when none are recorded.</summary>
    public PatientContact? Contact => ContactHistory.Active.LastOrDefault()?.Value;

    private readonly List<(Demographics, string, DateTimeOffset, UserId)> _demographicsHistory = [];

    // Outcome histories were added after the first stored documents: a document without them restores them as null,
    // read as empty histories.
    private ChartHistory<FollowUpPain>? _followUpPains = new();
    private ChartHistory<BpiAssessment>? _bpiAssessments = new();
    private ChartHistory<PgicAssessment>? _pgicAssessments = new();
    private ChartHistory<AllergyIntolerance>? _allergies = new();
    private ChartHistory<NoKnownAllergies>? _allergyStatements = new();
    private ChartHistory<LiverPanel>? _liverPanels = new();
    private ChartHistory<EcgRecord>? _ecgs = new();
    private ChartHistory<Urinalysis>? _urinalyses = new();
    private ChartHistory<UrinarySymptoms>? _urinarySymptoms = new();
    private ChartHistory<ImportedVitalSign>? _importedVitalSigns = new();
    private ChartHistory<Portal.SideEffectReport>? _sideEffects = new();
    private ChartHistory<Portal.PreVisitAnswers>? _preVisitAnswers = new();
    private ChartHistory<Portal.ClinicianTask>? _tasks = new();
    private List<PatientIdentifier>? _identifiers = [];
    private ChartHistory<PatientContact>? _contacts = new();

    /// <summary>Registers a patient.</summary>
    /// <param name="demographics">Who the patient is.</param>
    /// <param name="by">The registering user.</param>
    /// <param name="clock">The clock.</param>
    public static Patient Register(Demographics demographics, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(demographics);
        ArgumentNullException.ThrowIfNull(clock);
        return new Patient(PatientId.New(), demographics, clock.GetUtcNow(), by);
    }

    /// <summary>Corrects the demographics; the previous version is kept with the reason.</summary>
    public Outcome CorrectDemographics(Demographics corrected, string reason, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(corrected);
        ArgumentNullException.ThrowIfNull(clock);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Refusal("reason: a correction needs a reason.", [Finding.Refused(FindingCodes.PatientCorrectionReasonMissing, FindingArg.Of("field", "reason"))]);
        }

        var valid = ChartInput.Demographics(corrected, clock);
        valid = valid.IsSuccess ? ChartInput.Reason(reason) : valid;
        if (!valid.IsSuccess)
        {
            return valid;
        }

        _demographicsHistory.Add((Demographics, reason.Trim(), clock.GetUtcNow(), by));
        Demographics = corrected;
        Version++;
        return Outcome.Ok();
    }

    /// <summary>
    /// Records the contact details staff entered (<see cref="PatientContacts.Apply"/>): the first time as a new entry,
    /// afterwards as an amendment of it with <paramref name="reason"/> ("contact details changed" when blank).
    /// </summary>
    /// <returns>The new contact, or a refusal naming the field.</returns>
    public Outcome<PatientContact> ChangeContact(ContactInput input, string? reason, UserId by, TimeProvider clock)
    {
        var made = PatientContacts.Apply(input, Contact, by, clock);
        if (!made.IsSuccess)
        {
            return made;
        }

        var why = string.IsNullOrWhiteSpace(reason) ? "contact details changed" : reason.Trim();
        if (ChartInput.Reason(why) is { IsSuccess: false } badReason)
        {
            return badReason.Refusal;
        }

        if (ContactHistory.Active.LastOrDefault() is { } current)
        {
            var amended = Amend(current.Id, made.Value, why, by, clock);
            return amended.IsSuccess ? made : amended.Refusal;
        }

        Record(made.Value, by, clock);
        return made;
    }

    /// <summary>Adds an identifier another system knows the patient by; one already held is not added twice.</summary>
    /// <returns>Refused when the system or value is empty or too long, naming the field.</returns>
    public Outcome AddIdentifier(PatientIdentifier identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var valid = ChartInput.Text(identifier.System, "identifier.system", ChartInput.MaxShortTextLength, required: true);
        valid = valid.IsSuccess ? ChartInput.Text(identifier.Value, "identifier.value", ChartInput.MaxShortTextLength, required: true) : valid;
        if (!valid.IsSuccess || Identifiers.Contains(identifier))
        {
            return valid;
        }

        _identifiers!.Add(identifier);
        Version++;
        return Outcome.Ok();
    }

    /// <summary>Records a new entry of any chart kind (measurement, condition, treatment, medication, finding, pregnancy status, consent, follow-up pain, BPI, PGIC, allergy, investigation, imported vital sign).</summary>
    /// <typeparam name="T">The entry kind.</typeparam>
    /// <returns>The stored entry, whose id is used to amend it later.</returns>
    public ChartEntry<T> Record<T>(T value, UserId by, TimeProvider clock)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(clock);
        var entry = History<T>().Add(value, clock.GetUtcNow(), by);
        Version++;
        return entry;
    }

    /// <summary>
    /// Puts the medications a pre-session checklist reported on <paramref name="on"/> on the chart's medication list, with
    /// <see cref="MedicationSource.PreSessionChecklist"/> and the date, so that every later interaction screen (prescribing,
    /// eligibility, a dose given in a session) sees them. A medication already active on the chart under the same name
    /// (case ignored) is not added twice, so running the checks again adds nothing. Refused, adding none, when one breaks
    /// the chart's limits.
    /// </summary>
    /// <returns>The entries added (empty when every medication was on the chart already).</returns>
    public Outcome<IReadOnlyList<ChartEntry<Medication>>> RecordReportedMedications(IEnumerable<Medication> medications, DateOnly on, UserId by, TimeProvider clock)
    {
        var fresh = NotOnChart(medications).Select(m => m with { Source = MedicationSource.PreSessionChecklist, ReportedOn = on }).ToList();
        foreach (var m in fresh)
        {
            var valid = Check(m, clock);
            if (!valid.IsSuccess)
            {
                return valid.Refusal;
            }
        }

        return Outcome<IReadOnlyList<ChartEntry<Medication>>>.Ok([.. fresh.Select(m => Record(m, by, clock))]);
    }

    /// <summary>The medications of <paramref name="medications"/> (names trimmed, each name once) not active on the chart under the same name, case ignored.</summary>
    public IReadOnlyList<Medication> NotOnChart(IEnumerable<Medication> medications)
    {
        ArgumentNullException.ThrowIfNull(medications);
        var names = new HashSet<string>(Medications.ActiveValues.Select(m => m.Name.Trim()), StringComparer.OrdinalIgnoreCase);
        return [.. medications.Select(m => m with { Name = (m.Name ?? string.Empty).Trim() }).Where(m => names.Add(m.Name))];
    }

    /// <summary>
    /// Checks an entry against the chart's limits before it is recorded or amended (<see cref="ChartInput"/>): text
    /// lengths and characters, dates between the birth date and today.
    /// </summary>
    public Outcome Check<T>(T value, TimeProvider clock)
        where T : notnull
    {
        var valid = ChartInput.Entry(value, Demographics.BirthDate, clock);
        if (valid.IsSuccess && value is Portal.PreVisitAnswers answers)
        {
            return Portal.PreVisitChecklist.Check(Portal.PreVisitChecklist.For(this), answers);
        }

        // "No known allergies" beside an allergy that applies would tell the next reader the opposite of the chart.
        return valid.IsSuccess && value is NoKnownAllergies && Allergies.ActiveValues.FirstOrDefault(a => a.Applies) is { } allergy
            ? new Refusal(
                $"noKnownAllergies: the chart has an allergy to {allergy.Substance.Display} that applies; mark it inactive, resolved or refuted first.",
                [Finding.Refused(FindingCodes.PatientAllergyContradictsNoKnownAllergies, FindingArg.Of("field", "noKnownAllergies"), FindingArg.Of("substance", allergy.Substance.Display))])
            : valid;
    }

    /// <summary>Amends an entry: a new version with the reason; the old one stays readable. Refused when the value or reason breaks the chart's limits.</summary>
    public Outcome<ChartEntry<T>> Amend<T>(EntryId id, T value, string reason, UserId by, TimeProvider clock)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(clock);
        var valid = Check(value, clock);
        valid = valid.IsSuccess && !string.IsNullOrWhiteSpace(reason) ? ChartInput.Reason(reason) : valid;
        if (!valid.IsSuccess)
        {
            return valid.Refusal;
        }

        var result = History<T>().Amend(id, value, reason, clock.GetUtcNow(), by);
        if (result.IsSuccess)
        {
            Version++;
        }

        return result;
    }

    /// <summary>Marks an entry entered-in-error with the reason; it stays readable and rules ignore it.</summary>
    public Outcome MarkEnteredInError<T>(EntryId id, string reason, UserId by, TimeProvider clock)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (!string.IsNullOrWhiteSpace(reason) && ChartInput.Reason(reason) is { IsSuccess: false } badReason)
        {
            return badReason;
        }

        var result = History<T>().MarkEnteredInError(id, reason, clock.GetUtcNow(), by);
        if (result.IsSuccess)
        {
            Version++;
        }

        return result;
    }

    /// <summary>An immutable view of the active entries, for the rules.</summary>
    public PatientSnapshot Snapshot() => new(
        Id,
        Version,
        Demographics,
        [.. Measurements.ActiveValues.OrderBy(m => m.MeasuredOn)],
        [.. Conditions.Active.Select(e => (e.Id, e.Value))],
        [.. PriorTreatments.ActiveValues],
        [.. Medications.ActiveValues],
        [.. Findings.ActiveValues],
        PregnancyStatuses.ActiveValues.OrderBy(p => p.AssessedOn).LastOrDefault(),
        [.. Consents.ActiveValues])
    {
        Allergies = [.. Allergies.ActiveValues],
        NoKnownAllergies = AllergyStatements.ActiveValues.OrderBy(s => s.StatedOn).LastOrDefault(),
        LiverPanels = [.. LiverPanels.ActiveValues.OrderBy(x => x.CollectedOn)],
        Ecgs = [.. Ecgs.ActiveValues.OrderBy(x => x.RecordedOn)],
        Urinalyses = [.. Urinalyses.ActiveValues.OrderBy(x => x.CollectedOn)],
        UrinarySymptoms = [.. UrinarySymptomScores.ActiveValues.OrderBy(x => x.CompletedOn)],
    };

    /// <summary>The active (not amended, not entered-in-error) entry of type <typeparamref name="T"/> with this id, or null.</summary>
    public ChartEntry<T>? ActiveEntry<T>(EntryId id)
        where T : notnull =>
        History<T>().Active.FirstOrDefault(e => e.Id == id);

    private ChartHistory<T> History<T>()
        where T : notnull
    {
        object history = typeof(T) switch
        {
            var t when t == typeof(BodyMeasurement) => Measurements,
            var t when t == typeof(Condition) => Conditions,
            var t when t == typeof(PriorTreatment) => PriorTreatments,
            var t when t == typeof(Medication) => Medications,
            var t when t == typeof(ContraindicationFinding) => Findings,
            var t when t == typeof(PregnancyStatus) => PregnancyStatuses,
            var t when t == typeof(Consent) => Consents,
            var t when t == typeof(FollowUpPain) => FollowUpPains,
            var t when t == typeof(BpiAssessment) => BpiAssessments,
            var t when t == typeof(PgicAssessment) => PgicAssessments,
            var t when t == typeof(AllergyIntolerance) => Allergies,
            var t when t == typeof(NoKnownAllergies) => AllergyStatements,
            var t when t == typeof(LiverPanel) => LiverPanels,
            var t when t == typeof(EcgRecord) => Ecgs,
            var t when t == typeof(Urinalysis) => Urinalyses,
            var t when t == typeof(UrinarySymptoms) => UrinarySymptomScores,
            var t when t == typeof(ImportedVitalSign) => ImportedVitalSigns,
            var t when t == typeof(Portal.SideEffectReport) => SideEffects,
            var t when t == typeof(Portal.PreVisitAnswers) => PreVisitAnswers,
            var t when t == typeof(Portal.ClinicianTask) => Tasks,
            var t when t == typeof(PatientContact) => ContactHistory,
            _ => throw new NotSupportedException($"{typeof(T).Name} is not a patient chart entry."),
        };
        return (ChartHistory<T>)history;
    }
}

/// <summary>An immutable view of a patient's active chart entries at one <see cref="Version"/>; the input of every rule.</summary>
/// <param name="Id">Patient id.</param>
/// <param name="Version">The aggregate version this snapshot was taken at.</param>
/// <param name="Demographics">Demographics.</param>
/// <param name="Measurements">Active measurements, oldest first.</param>
/// <param name="Conditions">Active conditions with their entry ids.</param>
/// <param name="PriorTreatments">Active prior treatments.</param>
/// <param name="Medications">Active current medications.</param>
/// <param name="Findings">Active contraindication findings.</param>
/// <param name="Pregnancy">Latest pregnancy status, or null if never recorded.</param>
/// <param name="Consents">Active consents.</param>
public sealed record PatientSnapshot(
    PatientId Id,
    long Version,
    Demographics Demographics,
    IReadOnlyList<BodyMeasurement> Measurements,
    IReadOnlyList<(EntryId Id, Condition Condition)> Conditions,
    IReadOnlyList<PriorTreatment> PriorTreatments,
    IReadOnlyList<Medication> Medications,
    IReadOnlyList<ContraindicationFinding> Findings,
    PregnancyStatus? Pregnancy,
    IReadOnlyList<Consent> Consents)
{
    /// <summary>Active allergy entries (whatever their clinical or verification status; see <see cref="AllergyIntolerance.Applies"/>).</summary>
    public IReadOnlyList<AllergyIntolerance> Allergies { get; init; } = [];

    /// <summary>The latest "no known allergies" statement, or null.</summary>
    public NoKnownAllergies? NoKnownAllergies { get; init; }

    /// <summary>Active liver panels, oldest first.</summary>
    public IReadOnlyList<LiverPanel> LiverPanels { get; init; } = [];

    /// <summary>Active ECGs, oldest first.</summary>
    public IReadOnlyList<EcgRecord> Ecgs { get; init; } = [];

    /// <summary>Active urine dipsticks, oldest first.</summary>
    public IReadOnlyList<Urinalysis> Urinalyses { get; init; } = [];

    /// <summary>Active urinary-symptom questionnaires, oldest first.</summary>
    public IReadOnlyList<UrinarySymptoms> UrinarySymptoms { get; init; } = [];

    /// <summary>The latest liver panel, or null.</summary>
    public LiverPanel? LatestLiverPanel => LiverPanels.LastOrDefault();

    /// <summary>The latest ECG, or null.</summary>
    public EcgRecord? LatestEcg => Ecgs.LastOrDefault();

    /// <summary>The latest urine dipstick, or null.</summary>
    public Urinalysis? LatestUrinalysis => Urinalyses.LastOrDefault();

    /// <summary>The latest urinary-symptom questionnaire, or null.</summary>
    public UrinarySymptoms? LatestUrinarySymptoms => UrinarySymptoms.LastOrDefault();

    /// <summary>The allergies that apply now: active and not refuted.</summary>
    public IEnumerable<AllergyIntolerance> ApplyingAllergies => Allergies.Where(a => a.Applies);

    /// <summary>What the chart says about allergies: some apply, none known (stated), or not recorded.</summary>
    public AllergyState AllergyState =>
        ApplyingAllergies.Any() ? AllergyState.Allergies
        : NoKnownAllergies is not null ? AllergyState.NoKnownAllergies
        : AllergyState.NotRecorded;

    /// <summary>True when the chart records raised intracranial or intraocular pressure as current: doses are capped low (<see cref="Dosing.DoseLimits.ForRaisedPressure"/>).</summary>
    public bool HasRaisedPressure => Findings.Any(f => f.IsActive && f.Kind is FindingKind.RaisedIntracranialPressure or FindingKind.RaisedIntraocularPressure);

    /// <summary>The first allergy that applies to ketamine, esketamine or an excipient of the ketamine products, or null.</summary>
    public AllergyIntolerance? KetamineAllergy => ApplyingAllergies.FirstOrDefault(a => a.Substance.IsKetamineProduct);

    /// <summary>
    /// The measurement valid on <paramref name="date"/>: the latest one taken at the clinic on or before it (a weight
    /// recorded on the session day is used that day). Imported measurements are history and never count. Refused when
    /// no clinic measurement precedes the date.
    /// </summary>
    public Outcome<BodyMeasurement> MeasurementOn(DateOnly date)
    {
        var m = Measurements.LastOrDefault(x => x.MeasuredOn <= date && !x.Imported);
        if (m is not null)
        {
            return Outcome<BodyMeasurement>.Ok(m);
        }

        return Measurements.LastOrDefault(x => x.MeasuredOn <= date) is { } history
            ? new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"weight: the only weight on or before {date:yyyy-MM-dd} is imported history ({history.MeasuredOn:yyyy-MM-dd}); weigh the patient here before dosing."),
                [Finding.Refused(FindingCodes.WeightOnlyImported, FindingArg.Of("field", "weight"), IsoDate("date", date), IsoDate("measured", history.MeasuredOn))])
            : new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"weight: no weight recorded on or before {date:yyyy-MM-dd}; record one before dosing."),
                [Finding.Refused(FindingCodes.WeightNone, FindingArg.Of("field", "weight"), IsoDate("date", date))]);
    }

    private static FindingArg IsoDate(string name, DateOnly date) => FindingArg.Of(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>Model covariates on a date: the valid weight, the latest height on or before it, age and sex.</summary>
    public Outcome<Covariates> CovariatesOn(DateOnly date)
    {
        var m = MeasurementOn(date);
        if (!m.IsSuccess)
        {
            return m.Refusal;
        }

        var height = Measurements.LastOrDefault(x => x.MeasuredOn <= date && x.HeightCm is not null && !x.Imported)?.HeightCm;
        return Outcome<Covariates>.Ok(new Covariates(m.Value.Weight, Demographics.AgeOn(date), Demographics.Sex, height));
    }

    /// <summary>True when an off-label informed consent is valid on <paramref name="date"/>.</summary>
    public bool HasValidOffLabelConsent(DateOnly date) =>
        Consents.Any(c => c.Kind == ConsentKind.OffLabelKetamineForPain && c.IsValidOn(date));

    /// <summary>True when a pregnancy test is needed (status unknown or of childbearing potential); false for males and when not of childbearing potential.</summary>
    public bool PregnancyTestApplicable =>
        Demographics.Sex != Sex.Male && (Pregnancy is null || Pregnancy.TestRequired);
}
