using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Interop.Fhir;

/// <summary>What an import does with one bundle entry.</summary>
public enum FhirImportAction
{
    /// <summary>Recorded on the new chart (or, on an update, added to the registered patient's chart).</summary>
    Import,

    /// <summary>
    /// The Patient entry of a bundle whose patient is already registered (<see cref="FhirImportPreview.Match"/>): no new
    /// registration; the other entries are added to that chart.
    /// </summary>
    Update,

    /// <summary>Left out on purpose, with a reason (not an error; the rest of the bundle imports).</summary>
    Skip,

    /// <summary>Wrong or incomplete: the bundle cannot be applied until the entry is corrected or removed.</summary>
    Refuse,
}

/// <summary>
/// Why an entry is skipped or refused (or the bundle as a whole refused). Faces translate the code; the English detail
/// beside it names the field and the allowed values.
/// </summary>
public enum FhirImportReason
{
    /// <summary>Imported: no reason needed.</summary>
    None,

    /// <summary>Refused: not FHIR JSON, not UTF-8, or not parseable as FHIR R4.</summary>
    Malformed,

    /// <summary>Refused: larger than <see cref="FhirImporter.MaxBundleBytes"/>.</summary>
    TooLarge,

    /// <summary>Refused: the resource is not a Bundle, or its type is not collection, searchset, transaction or batch.</summary>
    NotImportableBundle,

    /// <summary>Refused: the bundle does not hold exactly one Patient.</summary>
    PatientCount,

    /// <summary>Refused: a required field is missing.</summary>
    Required,

    /// <summary>Refused: a field's value is outside what is allowed.</summary>
    Invalid,

    /// <summary>Refused: a quantity's unit is not accepted.</summary>
    Unit,

    /// <summary>Refused: the entry refers to a patient other than the bundle's.</summary>
    OtherPatient,

    /// <summary>Refused: the entry contradicts another entry (two weights on one date, a height without a weight).</summary>
    Conflict,

    /// <summary>Refused: the record number is already registered to a patient.</summary>
    RecordNumberTaken,

    /// <summary>Skipped: KetaCare does not import this resource type.</summary>
    TypeNotImported,

    /// <summary>Skipped: an Encounter, kept by the sending system as the context of its records.</summary>
    EncounterContext,

    /// <summary>Skipped: an Observation KetaCare does not import (other than body weight and height, liver tests, vital signs and the pain score).</summary>
    ObservationNotImported,

    /// <summary>
    /// Skipped: a systolic or diastolic pressure sent alone, outside a blood-pressure panel (the other vital signs and the
    /// pain score are imported as history).
    /// </summary>
    VitalSignNotStored,

    /// <summary>
    /// Skipped: an active or on-hold MedicationRequest of another system. The chart's current medications carry their
    /// interaction classes with ketamine, a clinical judgement not taken from a drug code: the clinician records it.
    /// </summary>
    MedicationNeedsReview,

    /// <summary>Skipped: the sender marked the entry entered in error or refuted.</summary>
    EnteredInError,

    /// <summary>Skipped: a condition that is no longer active (inactive, remission, resolved).</summary>
    NotActive,

    /// <summary>Skipped: a condition without an ICD-10-CM coding, which is what the chart's conditions carry.</summary>
    NoIcd10Coding,

    /// <summary>Skipped: "no known allergies" beside an allergy that applies (the allergy takes precedence).</summary>
    Superseded,

    /// <summary>Skipped on an update: the chart already holds the same record (the bundle, or this entry, was imported before).</summary>
    AlreadyOnChart,
}

/// <summary>What the import does with one bundle entry.</summary>
/// <param name="EntryIndex">0-based index of the entry.</param>
/// <param name="ResourceType">The entry's resource type.</param>
/// <param name="Action">Imported, skipped or refused.</param>
/// <param name="Reason">Why it is skipped or refused; <see cref="FhirImportReason.None"/> when imported.</param>
/// <param name="Detail">
/// English detail: for a skip or refusal the field and what is allowed; for an import what the entry became when that
/// is not obvious (a SNOMED CT code recorded under its ICD-10-CM equivalent), else empty.
/// </param>
public sealed record FhirImportEntry(int EntryIndex, string ResourceType, FhirImportAction Action, FhirImportReason Reason, string Detail);

/// <summary>A registered patient who may be the person the bundle describes (resembling names and birth date, under another record number).</summary>
/// <param name="PatientId">The registered patient.</param>
/// <param name="MedicalRecordNumber">Their record number.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="BirthDate">Date of birth.</param>
public sealed record FhirDuplicateCandidate(PatientId PatientId, string MedicalRecordNumber, string FamilyName, string GivenName, DateOnly BirthDate)
{
    /// <summary>The registered patient's administrative sex, when recorded.</summary>
    public Sex? Sex { get; init; }

    /// <summary>True when both the chart and the bundle record a sex and they differ (noted: a data error or another person).</summary>
    public bool SexDiffers { get; init; }
}

/// <summary>
/// The registered patient a bundle's record-number identifier names (the same system and value as recorded when the chart
/// was imported, or this clinic's own record number): the import adds the bundle's new records to that chart.
/// </summary>
/// <param name="PatientId">The registered patient.</param>
/// <param name="MedicalRecordNumber">Their record number.</param>
/// <param name="FamilyName">Family name on the chart.</param>
/// <param name="GivenName">Given name on the chart.</param>
/// <param name="BirthDate">Birth date on the chart.</param>
/// <param name="Sex">Administrative sex on the chart.</param>
/// <param name="SexDiffers">The bundle states another administrative sex than the chart (noted; the chart is not changed).</param>
/// <param name="BirthDateDiffers">The bundle states another birth date (noted; the chart is not changed).</param>
/// <param name="NameDiffers">The bundle's current name is not the chart's (noted; the chart is not changed).</param>
/// <param name="Detail">The English sentence the plan shows on the Patient entry, naming each difference.</param>
public sealed record FhirImportMatch(PatientId PatientId, string MedicalRecordNumber, string FamilyName, string GivenName, DateOnly BirthDate, Sex? Sex, bool SexDiffers, bool BirthDateDiffers, bool NameDiffers, string Detail)
{
    /// <summary>True when the bundle describes the patient differently in any way: check before importing.</summary>
    public bool Differs => SexDiffers || BirthDateDiffers || NameDiffers;
}

/// <summary>
/// The import plan of a bundle, computed without storing anything: the patient it registers, every entry's action
/// with its reason, the bundle-level problems, and registered patients who may be the same person. A bundle can be
/// applied when <see cref="CanApply"/>; when <see cref="Duplicates"/> is not empty the importing user must confirm
/// that the bundle's patient is a different person.
/// </summary>
/// <param name="Patient">The patient the bundle registers, when its Patient entry is complete.</param>
/// <param name="Entries">One row per bundle entry, in bundle order; empty when the bundle could not be read.</param>
/// <param name="Errors">Every problem: bundle-level and per entry. Nothing is stored while any exists.</param>
/// <param name="Duplicates">Registered patients who may be the same person.</param>
public sealed record FhirImportPreview(Demographics? Patient, IReadOnlyList<FhirImportEntry> Entries, IReadOnlyList<FhirImportError> Errors, IReadOnlyList<FhirDuplicateCandidate> Duplicates)
{
    /// <summary>True when nothing is refused: applying stores the patient and every imported entry.</summary>
    public bool CanApply => Errors.Count == 0 && Patient is not null;

    /// <summary>True when applying needs the user's confirmation that the patient is not one of <see cref="Duplicates"/>.</summary>
    public bool NeedsDuplicateConfirmation => Duplicates.Count > 0;

    /// <summary>The registered patient the bundle updates, or null when it registers a new patient.</summary>
    public FhirImportMatch? Match { get; init; }

    /// <summary>True when the bundle updates a registered patient's chart rather than registering one.</summary>
    public bool IsUpdate => Match is not null;

    /// <summary>Entries with <paramref name="action"/>.</summary>
    public int Count(FhirImportAction action) => Entries.Count(e => e.Action == action);

    internal static FhirImportPreview Refused(IReadOnlyList<FhirImportError> errors) => new(null, [], errors, []);
}
