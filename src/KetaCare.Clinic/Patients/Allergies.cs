namespace KetaCare.Clinic.Patients;

/// <summary>What kind of substance an allergy or intolerance is to (the categories of HL7 FHIR AllergyIntolerance).</summary>
public enum AllergyCategory
{
    /// <summary>A medicine or one of its ingredients.</summary>
    Medication,

    /// <summary>A food.</summary>
    Food,

    /// <summary>Something in the environment (latex, pollen, adhesive).</summary>
    Environment,

    /// <summary>A biological product (vaccine, blood product).</summary>
    Biologic,
}

/// <summary>Whether the reaction is immune-mediated (allergy) or not (intolerance).</summary>
public enum AllergyType
{
    /// <summary>An immune-mediated reaction.</summary>
    Allergy,

    /// <summary>A non-immune reaction (e.g. nausea with a drug).</summary>
    Intolerance,
}

/// <summary>The potential for a serious reaction on the next exposure.</summary>
public enum AllergyCriticality
{
    /// <summary>Unlikely to be life-threatening.</summary>
    Low,

    /// <summary>May be life-threatening (anaphylaxis, angio-oedema).</summary>
    High,

    /// <summary>Not known.</summary>
    UnableToAssess,
}

/// <summary>Whether the allergy applies now.</summary>
public enum AllergyClinicalStatus
{
    /// <summary>Applies now.</summary>
    Active,

    /// <summary>No longer applies (e.g. outgrown), kept for history.</summary>
    Inactive,

    /// <summary>Resolved (e.g. after desensitisation), kept for history.</summary>
    Resolved,
}

/// <summary>How certain the allergy is.</summary>
public enum AllergyVerification
{
    /// <summary>Reported (by the patient or a letter), not confirmed.</summary>
    Unconfirmed,

    /// <summary>Confirmed by a clinician (history, test or challenge).</summary>
    Confirmed,

    /// <summary>Shown not to exist; rules ignore it, the record stays.</summary>
    Refuted,
}

/// <summary>How severe the reaction was.</summary>
public enum ReactionSeverity
{
    /// <summary>Mild.</summary>
    Mild,

    /// <summary>Moderate.</summary>
    Moderate,

    /// <summary>Severe.</summary>
    Severe,
}

/// <summary>
/// The substance an allergy is to: a substance of the catalogue (<see cref="Catalogue"/>), which the rules recognise
/// by its id, or free text. Free text naming ketamine, esketamine, Ketalar or the vial preservative is recognised too,
/// so a typed "Ketamin" is never missed.
/// </summary>
/// <param name="Display">The name as shown.</param>
/// <param name="CatalogueId">The catalogue id ("ketamine"), or null for free text.</param>
public sealed record AllergySubstance(string Display, string? CatalogueId = null)
{
    /// <summary>Racemic ketamine, the drug this clinic gives.</summary>
    public static AllergySubstance Ketamine => new("ketamine", "ketamine");

    /// <summary>Esketamine (S-ketamine): the same molecule's enantiomer, so an allergy to it counts as an allergy to ketamine.</summary>
    public static AllergySubstance Esketamine => new("esketamine", "esketamine");

    /// <summary>Benzethonium chloride, the preservative of the multi-dose ketamine vials (an excipient).</summary>
    public static AllergySubstance BenzethoniumChloride => new("benzethonium chloride", "benzethonium-chloride");

    /// <summary>Midazolam, given for emergence reactions.</summary>
    public static AllergySubstance Midazolam => new("midazolam", "midazolam");

    /// <summary>Clonidine, given for emergence reactions and blood pressure.</summary>
    public static AllergySubstance Clonidine => new("clonidine", "clonidine");

    /// <summary>Ondansetron, given for nausea.</summary>
    public static AllergySubstance Ondansetron => new("ondansetron", "ondansetron");

    /// <summary>Latex (gloves, tourniquets).</summary>
    public static AllergySubstance Latex => new("latex", "latex");

    /// <summary>Adhesive dressings and tapes (cannula fixation).</summary>
    public static AllergySubstance Adhesive => new("adhesive dressing", "adhesive");

    /// <summary>The substances a pain clinic giving ketamine meets, offered first on the chart.</summary>
    public static IReadOnlyList<AllergySubstance> Catalogue =>
        [Ketamine, Esketamine, BenzethoniumChloride, Midazolam, Clonidine, Ondansetron, Latex, Adhesive];

    /// <summary>
    /// True when the substance is ketamine, esketamine or an excipient of the ketamine products (the label's
    /// contraindication: hypersensitivity to the active substance or any excipient). Free text is matched on the
    /// stems "ketamin" (English, Turkish, German), "ketalar" and "benzethonium", case-insensitively.
    /// </summary>
    public bool IsKetamineProduct =>
        CatalogueId is "ketamine" or "esketamine" or "benzethonium-chloride"
        || (CatalogueId is null && KetamineStems.Any(s => Display.Contains(s, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The category a substance of the catalogue belongs to: latex and dressings are environmental, the rest medicines.</summary>
    public AllergyCategory DefaultCategory => CatalogueId is "latex" or "adhesive" ? AllergyCategory.Environment : AllergyCategory.Medication;

    private static readonly string[] KetamineStems = ["ketamin", "ketalar", "benzethonium"];

    /// <summary>The catalogue substance with this id, or null.</summary>
    public static AllergySubstance? FromCatalogue(string? id) =>
        Catalogue.FirstOrDefault(s => string.Equals(s.CatalogueId, id, StringComparison.Ordinal));
}

/// <summary>
/// An allergy or intolerance on the chart. Amended (a new version with a reason) when it changes, marked
/// entered-in-error when it was never true; a refuted allergy stays on the chart with that status.
/// </summary>
/// <param name="Substance">What it is to.</param>
/// <param name="Category">The kind of substance.</param>
/// <param name="Type">Allergy or intolerance.</param>
/// <param name="Criticality">Potential for a serious reaction on the next exposure.</param>
/// <param name="ClinicalStatus">Whether it applies now.</param>
/// <param name="Verification">How certain it is.</param>
/// <param name="Reaction">The reaction (manifestation) as described, e.g. "urticaria"; null when not known.</param>
/// <param name="Severity">The reaction's severity, when known.</param>
/// <param name="Onset">When it first happened, when known.</param>
/// <param name="VerifiedBy">The clinician who confirmed or refuted it; null while unconfirmed.</param>
public sealed record AllergyIntolerance(
    AllergySubstance Substance,
    AllergyCategory Category,
    AllergyType Type,
    AllergyCriticality Criticality,
    AllergyClinicalStatus ClinicalStatus,
    AllergyVerification Verification,
    string? Reaction = null,
    ReactionSeverity? Severity = null,
    DateOnly? Onset = null,
    UserId? VerifiedBy = null)
{
    /// <summary>
    /// An allergy as a clinician records it: whoever records a confirmed or refuted allergy is named as its verifier; an
    /// unconfirmed report has none.
    /// </summary>
    public static AllergyIntolerance Recorded(AllergySubstance substance, AllergyCategory category, AllergyType type, AllergyCriticality criticality, AllergyClinicalStatus status, AllergyVerification verification, string? reaction, ReactionSeverity? severity, DateOnly? onset, UserId recordedBy) =>
        new(substance, category, type, criticality, status, verification, reaction, severity, onset, verification == AllergyVerification.Unconfirmed ? null : recordedBy);

    /// <summary>True when the rules must act on it: active and not refuted (an unconfirmed report counts).</summary>
    public bool Applies => ClinicalStatus == AllergyClinicalStatus.Active && Verification != AllergyVerification.Refuted;
}

/// <summary>
/// The explicit statement that the patient has no known allergies, as of a date, so that "none" is a recorded,
/// dated answer and not an empty list nobody filled in. Refused while an allergy that applies is on the chart;
/// recording an allergy later supersedes it.
/// </summary>
/// <param name="StatedOn">The date the patient was asked.</param>
public sealed record NoKnownAllergies(DateOnly StatedOn);

/// <summary>What the chart says about allergies, for banners and rules.</summary>
public enum AllergyState
{
    /// <summary>Nothing recorded: neither an allergy nor a "no known allergies" statement.</summary>
    NotRecorded,

    /// <summary>A dated "no known allergies" statement and no allergy that applies.</summary>
    NoKnownAllergies,

    /// <summary>At least one allergy or intolerance applies.</summary>
    Allergies,
}
