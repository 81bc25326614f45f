using System.Globalization;
using KetaCare.Clinic.Eligibility;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Patients;

/// <summary>Who the patient is. Names are free text; the birth date gives the age covariate.</summary>
/// <param name="MedicalRecordNumber">The clinic's record number.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Sex">Sex as used by covariate equations and for pregnancy questions; null when not recorded.</param>
public sealed record Demographics(string MedicalRecordNumber, string GivenName, string FamilyName, DateOnly BirthDate, Sex? Sex)
{
    /// <summary>Age in whole years on <paramref name="date"/>.</summary>
    public int AgeOn(DateOnly date)
    {
        var age = date.Year - BirthDate.Year;
        return BirthDate.AddYears(age) > date ? age - 1 : age;
    }
}

/// <summary>An identifier another system gives the patient: the system's URI and the value within it.</summary>
/// <param name="System">The identifier system, e.g. a hospital's record-number namespace.</param>
/// <param name="Value">The value within that system.</param>
public sealed record PatientIdentifier(string System, string Value);

/// <summary>
/// A dated body measurement. The dose of a session uses the latest measurement taken at the clinic on or before the
/// session date; a measurement imported from another system (<see cref="Imported"/>) is history and never a dosing weight.
/// </summary>
public sealed record BodyMeasurement
{
    /// <summary>Smallest accepted height, cm (input sanity, assumption).</summary>
    public const double MinHeightCm = 30;

    /// <summary>Largest accepted height, cm (input sanity, assumption).</summary>
    public const double MaxHeightCm = 250;

    private BodyMeasurement(DateOnly measuredOn, BodyWeight weight, double? heightCm, bool imported = false)
    {
        MeasuredOn = measuredOn;
        Weight = weight;
        HeightCm = heightCm;
        Imported = imported;
    }

    /// <summary>
    /// True when the measurement came from another system's record (a FHIR import): kept with its date as history and
    /// never used for dosing, since neither the scale nor the day it was weighed on is the clinic's to vouch for.
    /// </summary>
    public bool Imported { get; }

    /// <summary>This measurement as history imported from another system (<see cref="Imported"/>).</summary>
    public BodyMeasurement AsImported() => new(MeasuredOn, Weight, HeightCm, imported: true);

    /// <summary>Date of measurement.</summary>
    public DateOnly MeasuredOn { get; }

    /// <summary>Total body weight.</summary>
    public BodyWeight Weight { get; }

    /// <summary>Height, cm, when measured (30–250).</summary>
    public double? HeightCm { get; }

    /// <summary>Creates a measurement; refuses a weight or height outside the accepted ranges, naming the field.</summary>
    /// <param name="measuredOn">Date of measurement.</param>
    /// <param name="weightKg">Weight, kg (0.3–500).</param>
    /// <param name="heightCm">Height, cm (30–250), or null.</param>
    public static Outcome<BodyMeasurement> Create(DateOnly measuredOn, double weightKg, double? heightCm = null)
    {
        if (!double.IsFinite(weightKg) || weightKg < BodyWeight.MinKilograms || weightKg > BodyWeight.MaxKilograms)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"weight: {weightKg} kg is outside the accepted range {BodyWeight.MinKilograms}–{BodyWeight.MaxKilograms} kg."),
                [Finding.Refused(FindingCodes.ChartNumberOutOfRange, FindingArg.Of("field", "weight"), FindingArg.Of("value", weightKg, "kg"), FindingArg.Of("min", BodyWeight.MinKilograms), FindingArg.Of("max", BodyWeight.MaxKilograms, "kg"))]);
        }

        if (heightCm is { } h && (!double.IsFinite(h) || h < MinHeightCm || h > MaxHeightCm))
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"height: {h} cm is outside the accepted range {MinHeightCm}–{MaxHeightCm} cm."),
                [Finding.Refused(FindingCodes.ChartNumberOutOfRange, FindingArg.Of("field", "height"), FindingArg.Of("value", h, "cm"), FindingArg.Of("min", MinHeightCm), FindingArg.Of("max", MaxHeightCm, "cm"))]);
        }

        return Outcome<BodyMeasurement>.Ok(new BodyMeasurement(measuredOn, BodyWeight.FromKilograms(weightKg), heightCm));
    }

    /// <inheritdoc/>
    public override string ToString() => HeightCm is { } h
        ? string.Create(CultureInfo.InvariantCulture, $"{Weight}, {SafeNumber.Format(h)} cm on {MeasuredOn:yyyy-MM-dd}")
        : string.Create(CultureInfo.InvariantCulture, $"{Weight} on {MeasuredOn:yyyy-MM-dd}");
}

/// <summary>A pain condition with its ICD-10-CM code and onset date (pain duration is counted from the onset).</summary>
/// <param name="Code">ICD-10-CM code (clinical-reference: ICD-10-CM codes (icd-10-cm)).</param>
/// <param name="Description">Free-text description.</param>
/// <param name="Onset">Date the pain began.</param>
/// <param name="Indication">
/// The indication for screening when the code alone does not say it (spinal cord injury pain has no code of its
/// own, clinical-reference: ICD-10-CM codes (icd-10-cm)); null to derive it from the code.
/// </param>
/// <param name="SnomedCode">
/// The SNOMED CT code the sending system coded the condition with, kept as it came (null when recorded here or sent in
/// ICD-10-CM only).
/// </param>
public sealed record Condition(Icd10Code Code, string Description, DateOnly Onset, Indication? Indication = null, string? SnomedCode = null);

/// <summary>Classes of earlier pain treatment.</summary>
public enum TreatmentClass
{
    /// <summary>Gabapentin, pregabalin.</summary>
    Gabapentinoid,

    /// <summary>Tricyclic antidepressants.</summary>
    TricyclicAntidepressant,

    /// <summary>Serotonin–noradrenaline reuptake inhibitors.</summary>
    Snri,

    /// <summary>Opioids.</summary>
    Opioid,

    /// <summary>NSAIDs and paracetamol.</summary>
    NonOpioidAnalgesic,

    /// <summary>Topical agents (lidocaine, capsaicin).</summary>
    Topical,

    /// <summary>Physiotherapy, graded motor imagery, psychological therapy.</summary>
    NonPharmacological,

    /// <summary>Nerve blocks, spinal cord stimulation and other procedures.</summary>
    Interventional,

    /// <summary>Any other treatment.</summary>
    Other,
}

/// <summary>How an earlier treatment ended.</summary>
public enum TreatmentOutcome
{
    /// <summary>No meaningful relief.</summary>
    Ineffective,

    /// <summary>Stopped for side effects.</summary>
    NotTolerated,

    /// <summary>Some relief, not enough.</summary>
    Partial,
}

/// <summary>An earlier pain treatment and how it ended.</summary>
/// <param name="Class">Treatment class.</param>
/// <param name="Drug">Drug or procedure name.</param>
/// <param name="DoseText">Dose as documented (free text, e.g. "pregabalin 150 mg twice daily"); null for non-drug treatments.</param>
/// <param name="Duration">How long it was tried.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record PriorTreatment(TreatmentClass Class, string Drug, string? DoseText, Duration Duration, TreatmentOutcome Outcome);

/// <summary>Interaction classes of current medications relevant to ketamine (clinical-reference: Product label (label), Interactions (interactions)).</summary>
[Flags]
public enum InteractionClass
{
    /// <summary>No known interaction with ketamine.</summary>
    None = 0,

    /// <summary>Theophylline or aminophylline: seizure threshold (Ketalar label).</summary>
    TheophyllineOrAminophylline = 1,

    /// <summary>CYP3A4 inhibitor, e.g. clarithromycin (raises oral S-ketamine AUC 2.6×).</summary>
    Cyp3A4Inhibitor = 2,

    /// <summary>CYP2B6 inhibitor, e.g. ticlopidine (raises oral S-ketamine AUC 2.4×).</summary>
    Cyp2B6Inhibitor = 4,

    /// <summary>CYP3A4/CYP2B6 inducer, e.g. rifampicin (lowers oral AUC 86 %, IV 14 %).</summary>
    CypInducer = 8,

    /// <summary>Benzodiazepines: reduce psychomimetic effects, prolong half-life, add sedation.</summary>
    Benzodiazepine = 16,

    /// <summary>Lamotrigine: reduces dissociation.</summary>
    Lamotrigine = 32,

    /// <summary>Monoamine oxidase inhibitors.</summary>
    MonoamineOxidaseInhibitor = 64,

    /// <summary>Sympathomimetics or vasopressin (Ketalar label).</summary>
    Sympathomimetic = 128,

    /// <summary>Opioids and other CNS depressants: sedation, respiratory depression (Ketalar label).</summary>
    CnsDepressant = 256,
}

/// <summary>Where a medication on the chart came from.</summary>
public enum MedicationSource
{
    /// <summary>Entered on the chart (record page, API, CLI); also every medication recorded before sources were kept.</summary>
    Chart,

    /// <summary>Reported by the patient in a pre-session checklist as started since the last session.</summary>
    PreSessionChecklist,

    /// <summary>Imported from another system's FHIR MedicationStatement.</summary>
    Imported,
}

/// <summary>A current medication.</summary>
/// <param name="Name">Drug name.</param>
/// <param name="DoseText">Dose as documented (free text).</param>
/// <param name="Interactions">Interaction classes with ketamine; <see cref="InteractionClass.None"/> when none.</param>
/// <param name="Source">Where it came from: the chart, a pre-session checklist or an import.</param>
/// <param name="ReportedOn">The day a pre-session checklist reported it; null for a medication entered on the chart.</param>
public sealed record Medication(string Name, string? DoseText, InteractionClass Interactions, MedicationSource Source = MedicationSource.Chart, DateOnly? ReportedOn = null);

/// <summary>Conditions that bear on ketamine contraindications (clinical-reference: Consensus guideline (cohen2018)).</summary>
public enum FindingKind
{
    /// <summary>Cardiovascular disease; active = poorly controlled.</summary>
    CardiovascularDisease,

    /// <summary>Hypertension; active = uncontrolled.</summary>
    Hypertension,

    /// <summary>Cardiovascular risk factors without disease (ECG before infusion).</summary>
    CardiovascularRisk,

    /// <summary>Psychosis; active = current psychosis.</summary>
    Psychosis,

    /// <summary>Hepatic disease, graded by <see cref="Severity"/>.</summary>
    HepaticDisease,

    /// <summary>Raised intracranial pressure.</summary>
    RaisedIntracranialPressure,

    /// <summary>Raised intraocular pressure.</summary>
    RaisedIntraocularPressure,

    /// <summary>Substance abuse; active = current.</summary>
    SubstanceAbuse,

    /// <summary>Hypersensitivity to ketamine.</summary>
    KetamineHypersensitivity,

    /// <summary>Breastfeeding; active = currently.</summary>
    Breastfeeding,

    /// <summary>Hyperthyroidism; active = untreated or not controlled.</summary>
    Hyperthyroidism,

    /// <summary>Ketamine-associated uropathy (cystitis, lower urinary tract damage); active = current symptoms.</summary>
    KetamineUropathy,
}

/// <summary>Severity of a finding.</summary>
public enum Severity
{
    /// <summary>Mild.</summary>
    Mild,

    /// <summary>Moderate.</summary>
    Moderate,

    /// <summary>Severe.</summary>
    Severe,
}

/// <summary>A finding relevant to contraindications.</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Severity">How severe (used for hepatic disease: mild, moderate, severe).</param>
/// <param name="IsActive">True when current, uncontrolled or poorly controlled; false for history or controlled disease.</param>
/// <param name="Note">Free-text detail.</param>
public sealed record ContraindicationFinding(FindingKind Kind, Severity Severity, bool IsActive, string? Note = null);

/// <summary>Pregnancy state.</summary>
public enum PregnancyState
{
    /// <summary>Cannot become pregnant (male, post-menopausal, after hysterectomy): no test needed.</summary>
    NotOfChildbearingPotential,

    /// <summary>Could become pregnant; not pregnant as of the assessment date.</summary>
    NotPregnant,

    /// <summary>Pregnant.</summary>
    Pregnant,

    /// <summary>Could become pregnant; status not known.</summary>
    Unknown,
}

/// <summary>Pregnancy status as of a date.</summary>
/// <param name="State">The state.</param>
/// <param name="AssessedOn">Date of the assessment or test.</param>
public sealed record PregnancyStatus(PregnancyState State, DateOnly AssessedOn)
{
    /// <summary>True when a pregnancy test is needed before each session (pregnancy: avoid; clinical-reference: Consensus guideline (cohen2018)).</summary>
    public bool TestRequired => State != PregnancyState.NotOfChildbearingPotential;
}

/// <summary>Kinds of consent.</summary>
public enum ConsentKind
{
    /// <summary>Informed consent to off-label ketamine for pain (FDA approval is as an anaesthetic only; clinical-reference: Regulatory status (regulatory)).</summary>
    OffLabelKetamineForPain,
}

/// <summary>A signed consent; withdrawal is recorded by amending it with <see cref="WithdrawnOn"/>.</summary>
/// <param name="Kind">What was consented to.</param>
/// <param name="SignedOn">Date signed.</param>
/// <param name="ExpiresOn">Last valid date, or null when it does not expire.</param>
/// <param name="DocumentReference">Where the signed form is kept.</param>
/// <param name="WithdrawnOn">Date withdrawn, or null.</param>
public sealed record Consent(ConsentKind Kind, DateOnly SignedOn, DateOnly? ExpiresOn, string DocumentReference, DateOnly? WithdrawnOn = null)
{
    /// <summary>True when signed on or before <paramref name="date"/>, not expired and not withdrawn by then.</summary>
    public bool IsValidOn(DateOnly date) =>
        SignedOn <= date && (ExpiresOn is not { } e || date <= e) && (WithdrawnOn is not { } w || date < w);
}
