using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Eligibility;

/// <summary>Indications for ketamine in chronic pain, as graded by Cohen 2018 (clinical-reference: Consensus guideline (cohen2018)).</summary>
public enum Indication
{
    /// <summary>Complex regional pain syndrome (type I or II): Grade B.</summary>
    ComplexRegionalPainSyndrome,

    /// <summary>Spinal cord injury pain: Grade C.</summary>
    SpinalCordInjuryPain,

    /// <summary>Mixed neuropathic pain (central, diabetic polyneuropathy…): Grade D.</summary>
    MixedNeuropathicPain,

    /// <summary>Phantom limb pain: Grade D.</summary>
    PhantomLimbPain,

    /// <summary>Post-herpetic neuralgia: Grade D.</summary>
    PostHerpeticNeuralgia,

    /// <summary>Fibromyalgia: Grade D.</summary>
    Fibromyalgia,

    /// <summary>Cancer pain: Grade D.</summary>
    CancerPain,

    /// <summary>Other chronic pain (ischaemic, headache, low back, unspecified chronic pain): Grade D.</summary>
    OtherChronicPain,
}

/// <summary>Evidence grade of Cohen 2018 for an indication.</summary>
public enum EvidenceGrade
{
    /// <summary>Moderate evidence (CRPS).</summary>
    B,

    /// <summary>Weak evidence (spinal cord injury pain).</summary>
    C,

    /// <summary>Weak or no evidence (all other chronic pain).</summary>
    D,
}

/// <summary>Maps ICD-10-CM codes (clinical-reference: ICD-10-CM codes (icd-10-cm)) to indications, and indications to Cohen 2018 evidence grades (clinical-reference: Consensus guideline (cohen2018)).</summary>
public static class IndicationCatalogue
{
    /// <summary>Source of the grades.</summary>
    public static Source GradeSource => Source.Cohen2018;

    /// <summary>Source of the codes: ICD-10-CM [S] (clinical-reference: ICD-10-CM codes (icd-10-cm-codes)).</summary>
    public static Source CodeSource { get; } = new("clinical-reference: ICD-10-CM codes (icd-10-cm-codes)", "ICD-10-CM", Pharmacology.Models.Certainty.Secondary);

    // Prefixes from clinical-reference: ICD-10-CM codes (icd-10-cm): CRPS I G90.5x, CRPS II G56.4x / G57.7x, central pain G89.0, chronic pain
    // G89.2x, neoplasm-related pain G89.3, chronic pain syndrome G89.4, phantom limb G54.6, PHN B02.23,
    // diabetic polyneuropathy E11.42, fibromyalgia M79.7.
    private static readonly (string Prefix, Indication Indication)[] Codes =
    [
        ("G90.5", Indication.ComplexRegionalPainSyndrome),
        ("G56.4", Indication.ComplexRegionalPainSyndrome),
        ("G57.7", Indication.ComplexRegionalPainSyndrome),
        ("G89.0", Indication.MixedNeuropathicPain),
        ("G89.2", Indication.OtherChronicPain),
        ("G89.3", Indication.CancerPain),
        ("G89.4", Indication.OtherChronicPain),
        ("G54.6", Indication.PhantomLimbPain),
        ("B02.23", Indication.PostHerpeticNeuralgia),
        ("E11.42", Indication.MixedNeuropathicPain),
        ("M79.7", Indication.Fibromyalgia),
    ];

    /// <summary>
    /// SNOMED CT condition codes another system may send without an ICD-10-CM coding, each with the ICD-10-CM code that
    /// says the same thing (so the indication follows from <see cref="IndicationOf"/>). Only codes whose display was read
    /// in a published source are listed (clinical-reference: Code systems (code-systems)); SNOMED CT 128200000 "Complex regional pain
    /// syndrome" is not, since it does not say type I or II and ICD-10-CM codes the two apart; nor are codes of post-herpetic
    /// neuralgia, phantom limb pain, painful diabetic neuropathy, trigeminal neuralgia and neuropathic pain, whose SNOMED CT
    /// codes were not read in an authoritative source (or, for the last two, have no ICD-10-CM code screening reads).
    /// </summary>
    public static IReadOnlyList<SnomedConditionCode> SnomedCodes { get; } =
    [
        new("734947007", "Complex regional pain syndrome type I (disorder)", "G90.50", "be-ehealth-imaging-indication"),
        new("203082005", "Fibromyalgia (disorder)", "M79.7", "fhir-r4-meddisp0321"),
        new("95417003", "Primary fibromyalgia syndrome (disorder)", "M79.7", "vsac-chronic-pain"),
        new("426566004", "Central pain syndrome (disorder)", "G89.0", "vsac-chronic-pain"),
        new("373621006", "Chronic pain syndrome (disorder)", "G89.4", "vsac-chronic-pain"),
        new("293971000119103", "Complex regional pain syndrome type I of right upper limb (disorder)", "G90.511", "vsac-chronic-pain"),
        new("293941000119105", "Complex regional pain syndrome type I of left upper limb (disorder)", "G90.512", "vsac-chronic-pain"),
        new("293921000119104", "Complex regional pain syndrome type I of bilateral upper limbs (disorder)", "G90.513", "vsac-chronic-pain"),
        new("293961000119109", "Complex regional pain syndrome type I of right lower limb (disorder)", "G90.521", "vsac-chronic-pain"),
        new("293931000119101", "Complex regional pain syndrome type I of left lower limb (disorder)", "G90.522", "vsac-chronic-pain"),
        new("293951000119107", "Complex regional pain syndrome type I of bilateral lower limbs (disorder)", "G90.523", "vsac-chronic-pain"),
    ];

    /// <summary>The ICD-10-CM code equivalent to a SNOMED CT condition code of <see cref="SnomedCodes"/>; null for any other code.</summary>
    public static Icd10Code? Icd10ForSnomed(string? snomedCode) =>
        SnomedCodes.FirstOrDefault(c => string.Equals(c.Code, snomedCode, StringComparison.Ordinal)) is { } c ? Icd10Code.Parse(c.Icd10).Value : null;

    /// <summary>The indication for a condition: its explicit indication, else the one its code maps to; null for an unknown code.</summary>
    public static Indication? IndicationOf(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return condition.Indication ?? Codes.Where(c => condition.Code.IsWithin(c.Prefix)).Select(c => (Indication?)c.Indication).FirstOrDefault();
    }

    /// <summary>Cohen 2018 grade: CRPS B, spinal cord injury C, all others D.</summary>
    public static EvidenceGrade GradeOf(Indication indication) => indication switch
    {
        Indication.ComplexRegionalPainSyndrome => EvidenceGrade.B,
        Indication.SpinalCordInjuryPain => EvidenceGrade.C,
        _ => EvidenceGrade.D,
    };
}

/// <summary>A SNOMED CT condition code and its ICD-10-CM equivalent.</summary>
/// <param name="Code">SNOMED CT concept id.</param>
/// <param name="Display">The fully specified name as read in <paramref name="SourceKey"/>.</param>
/// <param name="Icd10">The ICD-10-CM code that says the same thing.</param>
/// <param name="SourceKey">Bibliography key of the source the code was verified in.</param>
public sealed record SnomedConditionCode(string Code, string Display, string Icd10, string SourceKey);
