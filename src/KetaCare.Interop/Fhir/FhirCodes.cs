using KetaCare.Pharmacology.Models;
using Hl7.Fhir.Model;

namespace KetaCare.Interop.Fhir;

/// <summary>
/// The code systems, codes and units KetaCare writes into FHIR R4 resources. LOINC codes are the ones clinical-reference: LOINC codes (loinc)
/// lists [S]; scales without a confirmed LOINC code (RASS, MOAA/S, CADSS, modified Aldrete, PGIC) use KetaCare's own
/// code systems under <see cref="InteropInfo.SystemBase"/> — never a guessed LOINC code.
/// </summary>
public static class FhirCodes
{
    /// <summary>LOINC.</summary>
    public const string Loinc = "http://loinc.org";

    /// <summary>Language tags (BCP 47) of Patient.communication.language, the system of FHIR's common-languages value set.</summary>
    public const string Bcp47 = "urn:ietf:bcp:47";

    /// <summary>UCUM, the system of every quantity KetaCare writes.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>SNOMED CT (routes of administration, the ketamine substance).</summary>
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>RxNorm (US National Library of Medicine), the clinical drug of a vial KetaCare can name exactly.</summary>
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    /// <summary>Encounter classes (HL7 v3 ActCode): every session is ambulatory, AMB.</summary>
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /// <summary>SNOMED CT "Ketamine (substance)": clinical-reference: Code systems (code-systems).</summary>
    public const string KetamineSubstance = "373464007";

    /// <summary>RxNorm clinical drug (SCD) of ketamine 100 mg/mL injectable solution: clinical-reference: Code systems (code-systems).</summary>
    public const string Ketamine100MgPerMlInjection = "238083";

    /// <summary>ICD-10-CM.</summary>
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";

    /// <summary>Observation categories (vital-signs, survey).</summary>
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    /// <summary>The R4 vital-signs base profile.</summary>
    public const string VitalSignsProfile = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

    /// <summary>The clinic's medical record number.</summary>
    public const string MrnSystem = InteropInfo.SystemBase + "/sid/mrn";

    /// <summary>KetaCare user ids (logical references to the people who recorded, performed or prescribed).</summary>
    public const string UserSystem = InteropInfo.SystemBase + "/sid/user";

    /// <summary>KetaCare's own session ids (audit entities that have no FHIR resource of their own).</summary>
    public const string RecordSystem = InteropInfo.SystemBase + "/sid/record";

    /// <summary>Scales without a LOINC code: rass, moaas, cadss, aldrete (+ items), pgic, bpi-severity.</summary>
    public const string ScaleSystem = InteropInfo.SystemBase + "/CodeSystem/scale";

    /// <summary>Adverse event types (<see cref="Clinic.Sessions.AdverseEventType"/> names).</summary>
    public const string AdverseEventTypeSystem = InteropInfo.SystemBase + "/CodeSystem/adverse-event-type";

    /// <summary>CTCAE grade 1–5 beside the FHIR severity.</summary>
    public const string CtcaeGradeSystem = InteropInfo.SystemBase + "/CodeSystem/ctcae-grade";

    /// <summary>Classes of prior pain treatment (<see cref="Clinic.Patients.TreatmentClass"/> names).</summary>
    public const string TreatmentClassSystem = InteropInfo.SystemBase + "/CodeSystem/treatment-class";

    /// <summary>How a prior treatment ended (<see cref="Clinic.Patients.TreatmentOutcome"/> names).</summary>
    public const string TreatmentOutcomeSystem = InteropInfo.SystemBase + "/CodeSystem/treatment-outcome";

    /// <summary>Interaction classes of a current medication with ketamine (<see cref="Clinic.Patients.InteractionClass"/> names).</summary>
    public const string InteractionClassSystem = InteropInfo.SystemBase + "/CodeSystem/interaction-class";

    /// <summary>The screening indication when the ICD-10-CM code alone does not say it (<see cref="Clinic.Eligibility.Indication"/> names).</summary>
    public const string IndicationSystem = InteropInfo.SystemBase + "/CodeSystem/indication";

    /// <summary>SNOMED CT "No known allergy (situation)": an explicit "no known allergies" (clinical-reference: Code systems (code-systems)).</summary>
    public const string NoKnownAllergy = "716186003";

    /// <summary>KetaCare's allergy substance catalogue (<see cref="Clinic.Patients.AllergySubstance.Catalogue"/> ids).</summary>
    public const string AllergySubstanceSystem = InteropInfo.SystemBase + "/CodeSystem/allergy-substance";

    /// <summary>HL7 AllergyIntolerance clinical status.</summary>
    public const string AllergyClinicalStatus = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";

    /// <summary>HL7 AllergyIntolerance verification status.</summary>
    public const string AllergyVerificationStatus = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";

    /// <summary>Consent categories (off-label treatment).</summary>
    public const string ConsentCategorySystem = InteropInfo.SystemBase + "/CodeSystem/consent-category";

    /// <summary>LOINC heart rate.</summary>
    public const string HeartRate = "8867-4";

    /// <summary>LOINC respiratory rate.</summary>
    public const string RespiratoryRate = "9279-1";

    /// <summary>LOINC oxygen saturation in arterial blood (required by the R4 oxygen-saturation profile).</summary>
    public const string OxygenSaturation = "2708-6";

    /// <summary>LOINC oxygen saturation by pulse oximetry.</summary>
    public const string PulseOximetry = "59408-5";

    /// <summary>LOINC blood pressure panel.</summary>
    public const string BloodPressurePanel = "85354-9";

    /// <summary>LOINC systolic blood pressure.</summary>
    public const string Systolic = "8480-6";

    /// <summary>LOINC diastolic blood pressure.</summary>
    public const string Diastolic = "8462-4";

    /// <summary>LOINC body temperature.</summary>
    public const string BodyTemperature = "8310-5";

    /// <summary>LOINC body weight.</summary>
    public const string BodyWeight = "29463-7";

    /// <summary>LOINC body height.</summary>
    public const string BodyHeight = "8302-2";

    /// <summary>LOINC pain severity 0–10 numeric rating scale.</summary>
    public const string PainNrs = "72514-3";

    /// <summary>LOINC BPI pain interference score.</summary>
    public const string BpiInterference = "77565-0";

    /// <summary>SNOMED CT route of administration of <paramref name="route"/> (the codes of FHIR's route-codes value set).</summary>
    public static Coding RouteCoding(Route route) => route switch
    {
        Route.Intravenous => new Coding(Snomed, "47625008", "Intravenous route"),
        Route.Intramuscular => new Coding(Snomed, "78421000", "Intramuscular route"),
        Route.Subcutaneous => new Coding(Snomed, "34206005", "Subcutaneous route"),
        Route.Intranasal => new Coding(Snomed, "46713006", "Nasal route"),
        Route.Sublingual => new Coding(Snomed, "37839007", "Sublingual route"),
        Route.Oral => new Coding(Snomed, "26643006", "Oral route"),
        _ => new Coding(Snomed, "37161004", "Rectal route"),
    };

    /// <summary>
    /// The medication KetaCare gives: racemic ketamine hydrochloride, coded with the SNOMED CT substance and, for a vial of
    /// 100 mg/mL as supplied, the RxNorm clinical drug. Clinic-prepared bags and syringes and the 10 and 50 mg/mL vials
    /// carry no RxNorm code: their clinical-drug codes are not verified (clinical-reference: Code systems (code-systems)),
    /// and a guessed code is worse than none. The text always names the drug.
    /// </summary>
    /// <param name="concentrationMgPerMl">The preparation's concentration, mg/mL; null when no preparation applies.</param>
    /// <param name="isVial">True for a vial as supplied (a manufactured product), false for a clinic-prepared container.</param>
    public static CodeableConcept Ketamine(double? concentrationMgPerMl = null, bool isVial = false)
    {
        var concept = new CodeableConcept { Coding = [new Coding(Snomed, KetamineSubstance, "Ketamine")], Text = "ketamine hydrochloride" };
        if (isVial && concentrationMgPerMl == 100)
        {
            concept.Coding.Insert(0, new Coding { System = RxNorm, Code = Ketamine100MgPerMlInjection });
        }

        return concept;
    }

    /// <summary>A LOINC coding.</summary>
    /// <summary>HL7 v3 observation interpretation (H, L, HH).</summary>
    public const string ObservationInterpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    /// <summary>HL7 v2-0074 diagnostic service section (LAB).</summary>
    public const string DiagnosticServiceSection = "http://terminology.hl7.org/CodeSystem/v2-0074";

    internal static Coding LoincCoding(string code, string display) => new(Loinc, code, display);

    /// <summary>A UCUM quantity (value, UCUM code as the unit).</summary>
    internal static Quantity UcumQuantity(decimal value, string code) => new() { Value = value, Unit = code, System = Ucum, Code = code };
}
