using System.Globalization;
using Hl7.Fhir.Model;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Stock;
using KetaCare.Pharmacology.Units;
using ClinicAuditEvent = KetaCare.Clinic.Persistence.AuditEvent;
using DomainPatient = KetaCare.Clinic.Patients.Patient;
using Observation = Hl7.Fhir.Model.Observation;
using AdverseEvent = Hl7.Fhir.Model.AdverseEvent;
using AllergyIntolerance = Hl7.Fhir.Model.AllergyIntolerance;

namespace KetaCare.Interop.Fhir;

/// <summary>
/// Domain → FHIR R4, pure: each method turns loaded domain data into Firely POCOs. Only the active version of each chart
/// entry is written (amended and entered-in-error versions stay in KetaCare's own history). Resource ids are KetaCare's
/// ids (a suffix names each value of a multi-value entry), so the same chart always maps to the same resources.
/// </summary>
internal static class FhirMapper
{
    private const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    private const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    private const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";
    private const string IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
    private const string ConsentScope = "http://terminology.hl7.org/CodeSystem/consentscope";
    private const string AeSeriousness = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness";
    private const string AeSeverity = "http://terminology.hl7.org/CodeSystem/adverse-event-severity";
    private const string AeOutcome = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome";
    private const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";
    private const string RestfulInteraction = "http://hl7.org/fhir/restful-interaction";
    private const string VitalProfileBase = "http://hl7.org/fhir/StructureDefinition/";

    /// <summary>A reference to the patient resource.</summary>
    public static ResourceReference PatientRef(PatientId id) => new("Patient/" + id);

    /// <summary>A logical reference to a KetaCare user (no Practitioner resource is kept).</summary>
    public static ResourceReference User(UserId id) => new() { Type = "Practitioner", Identifier = new Identifier(FhirCodes.UserSystem, id.ToString()) };

    public static Hl7.Fhir.Model.Patient ToPatient(DomainPatient p)
    {
        var d = p.Demographics;
        return new Hl7.Fhir.Model.Patient
        {
            Id = p.Id.ToString(),
            Meta = Updated(p.DemographicsHistory.Select(h => h.At).Concat(p.ContactHistory.All.Select(e => e.RecordedAt)).Append(p.CreatedAt).Max()),
            Identifier = [new Identifier(FhirCodes.MrnSystem, d.MedicalRecordNumber) { Type = new CodeableConcept(IdentifierType, "MR", "Medical record number") }],
            Name = [new HumanName { Use = HumanName.NameUse.Official, Family = d.FamilyName, Given = [d.GivenName] }],
            BirthDate = Date(d.BirthDate),
            Gender = d.Sex switch
            {
                Pharmacology.Models.Sex.Female => AdministrativeGender.Female,
                Pharmacology.Models.Sex.Male => AdministrativeGender.Male,
                _ => null,
            },
            Telecom = Telecom(p.Contact),
            Communication = p.Contact is { } c
                ? [new Hl7.Fhir.Model.Patient.CommunicationComponent { Language = new CodeableConcept(FhirCodes.Bcp47, c.Language, c.Language == "tr" ? "Turkish" : "English"), Preferred = true }]
                : [],
        };
    }

    // E-mail as the patient's own (home) address, the number as their mobile; consent to reminders has no place on Patient.
    private static List<ContactPoint> Telecom(Clinic.Patients.PatientContact? c) =>
    [
        .. c?.Email is { } email ? [new ContactPoint(ContactPoint.ContactPointSystem.Email, ContactPoint.ContactPointUse.Home, email)] : Array.Empty<ContactPoint>(),
        .. c?.MobilePhone is { } phone ? [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, phone)] : Array.Empty<ContactPoint>(),
    ];

    public static IEnumerable<Hl7.Fhir.Model.Condition> Conditions(DomainPatient p) => p.Conditions.Active.Select(e =>
    {
        var code = new CodeableConcept { Coding = [new Coding(FhirCodes.Icd10Cm, e.Value.Code.Code)], Text = e.Value.Description };
        if (e.Value.SnomedCode is { } snomed)
        {
            code.Coding.Add(new Coding(FhirCodes.Snomed, snomed));
        }

        if (e.Value.Indication is { } indication)
        {
            code.Coding.Add(new Coding(FhirCodes.IndicationSystem, indication.ToString()));
        }

        return new Hl7.Fhir.Model.Condition
        {
            Id = e.Id.ToString(),
            Meta = Updated(e.RecordedAt),
            ClinicalStatus = new CodeableConcept(ConditionClinical, "active", "Active"),
            VerificationStatus = new CodeableConcept(ConditionVerification, "confirmed", "Confirmed"),
            Category = [new CodeableConcept(ConditionCategory, "problem-list-item", "Problem List Item")],
            Code = code,
            Subject = PatientRef(p.Id),
            Onset = DateOnlyTime(e.Value.Onset),
            RecordedDateElement = new FhirDateTime(e.RecordedAt),
            Recorder = User(e.RecordedBy),
        };
    });

    /// <summary>Weights, heights and the outcome measures of the chart (follow-up NRS, BPI, PGIC).</summary>
    public static IEnumerable<Observation> ChartObservations(DomainPatient p)
    {
        var subject = PatientRef(p.Id);
        foreach (var e in p.Measurements.Active)
        {
            var on = DateOnlyTime(e.Value.MeasuredOn);
            yield return Stamp(Vital(e.Id + "-weight", "bodyweight", FhirCodes.BodyWeight, "Body weight", subject, on, e.RecordedBy, Q(e.Value.Weight.Kilograms, "kg")), e.RecordedAt);
            if (e.Value.HeightCm is { } h)
            {
                yield return Stamp(Vital(e.Id + "-height", "bodyheight", FhirCodes.BodyHeight, "Body height", subject, on, e.RecordedBy, Q(h, "cm")), e.RecordedAt);
            }
        }

        foreach (var e in p.FollowUpPains.Active)
        {
            var o = Survey(e.Id.ToString(), FhirCodes.LoincCoding(FhirCodes.PainNrs, "Pain severity - 0-10 verbal numeric rating [Score] - Reported"), subject, new FhirDateTime(e.Value.At), e.RecordedBy, new Integer(e.Value.Nrs));
            o.Note = Notes(e.Value.Note);
            PatientReported(o, e.Value.Source, subject);
            yield return Stamp(o, e.RecordedAt);
        }

        foreach (var e in p.BpiAssessments.Active)
        {
            var on = DateOnlyTime(e.Value.CompletedOn);
            yield return Stamp(Survey(e.Id + "-interference", FhirCodes.LoincCoding(FhirCodes.BpiInterference, "Brief pain inventory pain interference score"), subject, on, e.RecordedBy, Q(e.Value.Form.Interference, "{score}")), e.RecordedAt);
            yield return Stamp(Survey(e.Id + "-severity", Scale("bpi-severity", "BPI pain severity (mean of worst, least, average, now)"), subject, on, e.RecordedBy, Q(e.Value.Form.Severity, "{score}")), e.RecordedAt);
        }

        foreach (var e in p.PgicAssessments.Active)
        {
            var o = Survey(e.Id.ToString(), Scale("pgic", "Patient Global Impression of Change (1 very much improved … 7 very much worse)"), subject, DateOnlyTime(e.Value.CompletedOn), e.RecordedBy, new Integer(e.Value.Score.Value));
            PatientReported(o, e.Value.Source, subject);
            yield return Stamp(o, e.RecordedAt);
        }
    }

    /// <summary>
    /// Vital signs and pain scores imported from another system, written back as the vital-signs (or survey) Observations
    /// they came as, with their original date and LOINC code; <c>meta.source</c> names the sending system when known and
    /// no performer is claimed, since no one at the clinic measured them.
    /// </summary>
    public static IEnumerable<Observation> ImportedVitalSignObservations(DomainPatient p)
    {
        var subject = PatientRef(p.Id);
        foreach (var e in p.ImportedVitalSigns.Active)
        {
            var v = e.Value;
            var at = new FhirDateTime(v.MeasuredAt);
            var id = e.Id + "-imported";
            var o = v.Kind switch
            {
                VitalSignKind.BloodPressure => Vital(id, "bp", FhirCodes.BloodPressurePanel, "Blood pressure panel with all children optional", subject, at, e.RecordedBy, null),
                VitalSignKind.HeartRate => Vital(id, "heartrate", v.Loinc, "Heart rate", subject, at, e.RecordedBy, Q(v.Value, v.Unit)),
                VitalSignKind.RespiratoryRate => Vital(id, "resprate", v.Loinc, "Respiratory rate", subject, at, e.RecordedBy, Q(v.Value, v.Unit)),
                VitalSignKind.OxygenSaturation => Vital(id, "oxygensat", FhirCodes.OxygenSaturation, "Oxygen saturation in Arterial blood", subject, at, e.RecordedBy, Q(v.Value, v.Unit)),
                VitalSignKind.BodyTemperature => Vital(id, "bodytemp", v.Loinc, "Body temperature", subject, at, e.RecordedBy, Q(v.Value, v.Unit)),
                _ => Survey(id, FhirCodes.LoincCoding(v.Loinc, "Pain severity - 0-10 verbal numeric rating [Score] - Reported"), subject, at, e.RecordedBy, v.Value == Math.Round(v.Value) ? new Integer((int)v.Value) : Q(v.Value, v.Unit)),
            };
            if (v.Kind == VitalSignKind.OxygenSaturation && v.Loinc == FhirCodes.PulseOximetry)
            {
                // The R4 oxygen-saturation profile requires 2708-6 first; pulse oximetry beside it, as the session export writes.
                o.Code.Coding.Add(FhirCodes.LoincCoding(FhirCodes.PulseOximetry, "Oxygen saturation in Arterial blood by Pulse oximetry"));
            }

            if (v.Diastolic is { } diastolic)
            {
                o.Component =
                [
                    new Observation.ComponentComponent { Code = new CodeableConcept { Coding = [FhirCodes.LoincCoding(FhirCodes.Systolic, "Systolic blood pressure")] }, Value = Q(v.Value, v.Unit) },
                    new Observation.ComponentComponent { Code = new CodeableConcept { Coding = [FhirCodes.LoincCoding(FhirCodes.Diastolic, "Diastolic blood pressure")] }, Value = Q(diastolic, v.Unit) },
                ];
            }

            o.Performer = [];
            o.Meta ??= new Meta();
            o.Meta.Source = v.SourceSystem;
            yield return Stamp(o, e.RecordedAt);
        }
    }

    /// <summary>
    /// The investigations as laboratory and procedure Observations, LOINC-coded with UCUM units, the reference range and
    /// an H/L interpretation for lab values: each liver value (one Observation per test, id "{entry}-{loinc}"), the
    /// QTc of an ECG (rhythm and interpretation in the text), the urine dipstick's readings, and the urinary-symptom
    /// score under KetaCare's scale code system. Ranges and interpretations are the clinic's <paramref name="settings"/>.
    /// </summary>
    public static IEnumerable<Observation> InvestigationObservations(DomainPatient p, Clinic.Eligibility.InvestigationSettings settings)
    {
        var subject = PatientRef(p.Id);
        foreach (var e in p.LiverPanels.Active)
        {
            foreach (var (test, value) in e.Value.Results)
            {
                var info = LabTestInfo.Of(test);
                var range = settings.RangeOf(test);
                var o = Lab(e.Id + "-" + info.Loinc, "laboratory", FhirCodes.LoincCoding(info.Loinc, info.Name), subject, DateOnlyTime(e.Value.CollectedOn), e.RecordedBy, Q(value, info.Unit));
                o.ReferenceRange = [new Observation.ReferenceRangeComponent { Low = Q(range.Lower, info.Unit), High = Q(range.Upper, info.Unit) }];
                var flag = Clinic.Eligibility.InvestigationRules.Flag(test, value, settings);
                if (flag != Clinic.Eligibility.LabFlag.Normal)
                {
                    o.Interpretation = [new CodeableConcept(FhirCodes.ObservationInterpretation, flag switch { Clinic.Eligibility.LabFlag.Low => "L", Clinic.Eligibility.LabFlag.High => "H", _ => "HH" })];
                }

                yield return Stamp(o, e.RecordedAt);
            }
        }

        foreach (var e in p.Ecgs.Active)
        {
            var g = e.Value;
            var o = Lab(e.Id + "-qtc", "procedure", FhirCodes.LoincCoding(EcgRecord.QtcLoinc, "QTc interval"), subject, DateOnlyTime(g.RecordedOn), e.RecordedBy, g.QtcMs is { } q ? Q(q, "ms") : null);
            o.Component =
            [
                new Observation.ComponentComponent { Code = new CodeableConcept { Coding = [Scale("ecg-rhythm", "ECG rhythm")] }, Value = new CodeableConcept(FhirCodes.ScaleSystem, "ecg-rhythm-" + g.Rhythm.ToString().ToLowerInvariant(), g.Rhythm.ToString()) },
                new Observation.ComponentComponent { Code = new CodeableConcept { Coding = [Scale("ecg-interpretation", "ECG interpretation")] }, Value = new CodeableConcept(FhirCodes.ScaleSystem, "ecg-" + g.Interpretation.ToString().ToLowerInvariant(), g.Interpretation.ToString()) },
            ];
            o.Note = Notes(g.Note);
            yield return Stamp(o, e.RecordedAt);
        }

        foreach (var e in p.Urinalyses.Active)
        {
            var u = e.Value;
            var readings = new List<(string Loinc, string Name, DipstickResult Value)> { (Urinalysis.BloodLoinc, "Hemoglobin [Presence] in Urine by Test strip", u.Blood), (Urinalysis.LeukocytesLoinc, "Leukocyte esterase [Presence] in Urine by Test strip", u.Leukocytes) };
            if (u.Nitrite is { } n)
            {
                readings.Add((Urinalysis.NitriteLoinc, "Nitrite [Presence] in Urine by Test strip", n));
            }

            foreach (var (loinc, name, value) in readings)
            {
                yield return Stamp(Lab(e.Id + "-" + loinc, "laboratory", FhirCodes.LoincCoding(loinc, name), subject, DateOnlyTime(u.CollectedOn), e.RecordedBy, new CodeableConcept(FhirCodes.ScaleSystem, "dipstick-" + value.ToString().ToLowerInvariant(), Interop.Text.SessionLabels.Words(value))), e.RecordedAt);
            }
        }

        foreach (var e in p.UrinarySymptomScores.Active)
        {
            yield return Stamp(Survey(e.Id.ToString(), Scale("urinary-symptoms", "Urinary-symptom score (five items 0-3: frequency, urgency, dysuria, haematuria, bladder pain; total 0-15)"), subject, DateOnlyTime(e.Value.CompletedOn), e.RecordedBy, new Integer(e.Value.Total)), e.RecordedAt);
        }
    }

    /// <summary>One DiagnosticReport per liver panel, grouping its Observations (the panel as the laboratory reported it).</summary>
    public static IEnumerable<DiagnosticReport> LiverPanelReports(DomainPatient p) => p.LiverPanels.Active.Select(e => Stamp(
        new DiagnosticReport
        {
            Id = e.Id.ToString(),
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Category = [new CodeableConcept(FhirCodes.DiagnosticServiceSection, "LAB", "Laboratory")],
            Code = new CodeableConcept { Coding = [Scale("liver-panel", "Liver panel (ALT, AST, total bilirubin, GGT, ALP)")], Text = "Liver panel" },
            Subject = PatientRef(p.Id),
            Effective = DateOnlyTime(e.Value.CollectedOn),
            Result = [.. e.Value.Results.Select(r => new ResourceReference("Observation/" + e.Id + "-" + LabTestInfo.Of(r.Test).Loinc))],
        },
        e.RecordedAt));

    /// <summary>The observations of a session: vital signs (vital-signs profile), pain NRS, sedation, CADSS, discharge Aldrete.</summary>
    public static IEnumerable<Observation> SessionObservations(InfusionSession s)
    {
        var subject = PatientRef(s.PatientId);
        foreach (var e in s.Observations.Active)
        {
            var o = e.Value;
            var at = new FhirDateTime(o.At);
            var made = new List<Observation>();
            if (o.Systolic is { } sys && o.Diastolic is { } dia)
            {
                var bp = Vital(e.Id + "-bp", "bp", FhirCodes.BloodPressurePanel, "Blood pressure panel with all children optional", subject, at, e.RecordedBy, null);
                bp.Component =
                [
                    new Observation.ComponentComponent { Code = new CodeableConcept { Coding = [FhirCodes.LoincCoding(FhirCodes.Systolic, "Systolic blood pressure")] }, Value = Q(sys, "mm[Hg]") },
                    new Observation.ComponentComponent { Code = new CodeableConcept { Coding = [FhirCodes.LoincCoding(FhirCodes.Diastolic, "Diastolic blood pressure")] }, Value = Q(dia, "mm[Hg]") },
                ];
                made.Add(bp);
            }

            if (o.HeartRate is { } hr)
            {
                made.Add(Vital(e.Id + "-hr", "heartrate", FhirCodes.HeartRate, "Heart rate", subject, at, e.RecordedBy, Q(hr, "/min")));
            }

            if (o.SpO2 is { } spo2)
            {
                var sat = Vital(e.Id + "-spo2", "oxygensat", FhirCodes.OxygenSaturation, "Oxygen saturation in Arterial blood", subject, at, e.RecordedBy, Q(spo2, "%"));
                sat.Code.Coding.Add(FhirCodes.LoincCoding(FhirCodes.PulseOximetry, "Oxygen saturation in Arterial blood by Pulse oximetry"));
                made.Add(sat);
            }

            if (o.RespiratoryRate is { } rr)
            {
                made.Add(Vital(e.Id + "-rr", "resprate", FhirCodes.RespiratoryRate, "Respiratory rate", subject, at, e.RecordedBy, Q(rr, "/min")));
            }

            if (o.PainNrs is { } nrs)
            {
                made.Add(Survey(e.Id + "-nrs", FhirCodes.LoincCoding(FhirCodes.PainNrs, "Pain severity - 0-10 verbal numeric rating [Score] - Reported"), subject, at, e.RecordedBy, new Integer(nrs)));
            }

            if (o.Sedation is { } sedation)
            {
                var code = sedation.Scale == SedationScale.Rass
                    ? Scale("rass", "Richmond Agitation-Sedation Scale (+4 combative … -5 unarousable)")
                    : Scale("moaas", "Modified Observer's Assessment of Alertness/Sedation (5 … 0)");
                made.Add(Survey(e.Id + (sedation.Scale == SedationScale.Rass ? "-rass" : "-moaas"), code, subject, at, e.RecordedBy, new Integer(sedation.Value)));
            }

            if (o.Cadss is { } cadss)
            {
                made.Add(Survey(e.Id + "-cadss", Scale("cadss", "Clinician-Administered Dissociative States Scale, subjective total (0-92)"), subject, at, e.RecordedBy, new Integer(cadss)));
            }

            if (made.Count > 0)
            {
                made[0].Note = Notes(o.Note);
            }

            foreach (var m in made)
            {
                m.Encounter = EncounterRef(s);
                yield return Stamp(m, e.RecordedAt);
            }
        }

        if (s.DischargeAldrete is { } aldrete)
        {
            var at = s.Transitions.Last(t => t.To == SessionState.Discharged);
            var o = Survey("aldrete-" + s.Id, Scale("aldrete", "Modified Aldrete score (0-10; discharge at 9 or more)"), subject, new FhirDateTime(at.At), at.By, new Integer(aldrete.Total));
            o.Component =
            [
                .. new[]
                {
                    ("aldrete-activity", "Activity", aldrete.Activity),
                    ("aldrete-respiration", "Respiration", aldrete.Respiration),
                    ("aldrete-circulation", "Circulation", aldrete.Circulation),
                    ("aldrete-consciousness", "Consciousness", aldrete.Consciousness),
                    ("aldrete-oxygen-saturation", "Oxygen saturation", aldrete.OxygenSaturation),
                }.Select(i => new Observation.ComponentComponent { Code = new CodeableConcept { Coding = [Scale(i.Item1, "Modified Aldrete: " + i.Item2)] }, Value = new Integer(i.Item3) }),
            ];
            o.Encounter = EncounterRef(s);
            yield return Stamp(o, at.At);
        }
    }

    /// <summary>Prior treatments (status stopped) and current medications (status active).</summary>
    public static IEnumerable<MedicationStatement> MedicationStatements(DomainPatient p)
    {
        foreach (var e in p.PriorTreatments.Active)
        {
            var t = e.Value;
            yield return new MedicationStatement
            {
                Id = e.Id.ToString(),
                Meta = Updated(e.RecordedAt),
                Status = MedicationStatement.MedicationStatusCodes.Stopped,
                StatusReason = [new CodeableConcept(FhirCodes.TreatmentOutcomeSystem, t.Outcome.ToString())],
                Category = new CodeableConcept(FhirCodes.TreatmentClassSystem, t.Class.ToString()),
                Medication = new CodeableConcept { Text = t.Drug },
                Subject = PatientRef(p.Id),
                DateAssertedElement = new FhirDateTime(e.RecordedAt),
                InformationSource = User(e.RecordedBy),
                Dosage =
                [
                    new Dosage
                    {
                        Text = t.DoseText,
                        Timing = new Timing { Repeat = new Timing.RepeatComponent { Bounds = new Hl7.Fhir.Model.Duration { Value = Dec(t.Duration.Hours / 24, 3), Unit = "d", System = FhirCodes.Ucum, Code = "d" } } },
                    },
                ],
            };
        }

        foreach (var e in p.Medications.Active)
        {
            var m = e.Value;
            var classes = Enum.GetValues<InteractionClass>().Where(f => f != InteractionClass.None && m.Interactions.HasFlag(f)).ToList();
            yield return new MedicationStatement
            {
                Id = e.Id.ToString(),
                Meta = Updated(e.RecordedAt),
                Status = MedicationStatement.MedicationStatusCodes.Active,
                Category = new CodeableConcept
                {
                    Coding = classes.Count == 0
                        ? [new Coding(FhirCodes.InteractionClassSystem, nameof(InteractionClass.None))]
                        : [.. classes.Select(c => new Coding(FhirCodes.InteractionClassSystem, c.ToString()))],
                    Text = "interaction classes with ketamine",
                },
                Medication = new CodeableConcept { Text = m.Name },
                Subject = PatientRef(p.Id),
                DateAssertedElement = new FhirDateTime(e.RecordedAt),
                InformationSource = User(e.RecordedBy),
                Dosage = m.DoseText is null ? [] : [new Dosage { Text = m.DoseText }],
            };
        }
    }

    /// <summary>
    /// Allergies and intolerances, and the latest dated "no known allergies" statement (SNOMED CT 716186003, as the
    /// UK Core guidance records one), each with who recorded it. Ketamine is coded with its SNOMED CT substance code;
    /// every catalogue substance carries KetaCare's catalogue code; the name travels as text.
    /// </summary>
    public static IEnumerable<AllergyIntolerance> Allergies(DomainPatient p)
    {
        foreach (var e in p.Allergies.Active)
        {
            var a = e.Value;
            var code = new CodeableConcept { Text = a.Substance.Display };
            if (a.Substance.CatalogueId is { } catalogue)
            {
                if (catalogue == "ketamine")
                {
                    code.Coding.Add(new Coding(FhirCodes.Snomed, FhirCodes.KetamineSubstance, "Ketamine (substance)"));
                }

                code.Coding.Add(new Coding(FhirCodes.AllergySubstanceSystem, catalogue));
            }

            yield return new AllergyIntolerance
            {
                Id = e.Id.ToString(),
                Meta = Updated(e.RecordedAt),
                ClinicalStatus = new CodeableConcept(FhirCodes.AllergyClinicalStatus, a.ClinicalStatus.ToString().ToLowerInvariant()),
                VerificationStatus = new CodeableConcept(FhirCodes.AllergyVerificationStatus, a.Verification.ToString().ToLowerInvariant()),
                Type = a.Type == Clinic.Patients.AllergyType.Allergy ? AllergyIntolerance.AllergyIntoleranceType.Allergy : AllergyIntolerance.AllergyIntoleranceType.Intolerance,
                Category = [a.Category switch
                {
                    AllergyCategory.Food => AllergyIntolerance.AllergyIntoleranceCategory.Food,
                    AllergyCategory.Environment => AllergyIntolerance.AllergyIntoleranceCategory.Environment,
                    AllergyCategory.Biologic => AllergyIntolerance.AllergyIntoleranceCategory.Biologic,
                    _ => AllergyIntolerance.AllergyIntoleranceCategory.Medication,
                }],
                Criticality = a.Criticality switch
                {
                    AllergyCriticality.Low => AllergyIntolerance.AllergyIntoleranceCriticality.Low,
                    AllergyCriticality.High => AllergyIntolerance.AllergyIntoleranceCriticality.High,
                    _ => AllergyIntolerance.AllergyIntoleranceCriticality.UnableToAssess,
                },
                Code = code,
                Patient = PatientRef(p.Id),
                Onset = a.Onset is { } onset ? DateOnlyTime(onset) : null,
                RecordedDateElement = new FhirDateTime(e.RecordedAt),
                Recorder = User(e.RecordedBy),
                Asserter = a.VerifiedBy is { } verifier ? User(verifier) : null,
                Reaction = a.Reaction is null ? [] :
                [
                    new AllergyIntolerance.ReactionComponent
                    {
                        Manifestation = [new CodeableConcept { Text = a.Reaction }],
                        Severity = a.Severity switch
                        {
                            ReactionSeverity.Mild => AllergyIntolerance.AllergyIntoleranceSeverity.Mild,
                            ReactionSeverity.Moderate => AllergyIntolerance.AllergyIntoleranceSeverity.Moderate,
                            ReactionSeverity.Severe => AllergyIntolerance.AllergyIntoleranceSeverity.Severe,
                            _ => null,
                        },
                    },
                ],
            };
        }

        // The statement stands only while no allergy applies (the domain refuses it beside one).
        if (p.AllergyStatements.Active.MaxBy(s => s.Value.StatedOn) is { } none && !p.Snapshot().ApplyingAllergies.Any())
        {
            yield return new AllergyIntolerance
            {
                Id = none.Id.ToString(),
                Meta = Updated(none.RecordedAt),
                ClinicalStatus = new CodeableConcept(FhirCodes.AllergyClinicalStatus, "active"),
                VerificationStatus = new CodeableConcept(FhirCodes.AllergyVerificationStatus, "confirmed"),
                Code = new CodeableConcept(FhirCodes.Snomed, FhirCodes.NoKnownAllergy, "No known allergy (situation)", "No known allergies"),
                Patient = PatientRef(p.Id),
                RecordedDateElement = new FhirDateTime(none.Value.StatedOn.Year, none.Value.StatedOn.Month, none.Value.StatedOn.Day),
                Recorder = User(none.RecordedBy),
            };
        }
    }

    /// <summary>Off-label treatment consents: active while valid on <paramref name="today"/>, inactive once expired or withdrawn.</summary>
    public static IEnumerable<Hl7.Fhir.Model.Consent> Consents(DomainPatient p, DateOnly today) => p.Consents.Active.Select(e =>
    {
        var c = e.Value;
        DateOnly? end = (c.ExpiresOn, c.WithdrawnOn) switch
        {
            ({ } x, { } w) => x < w ? x : w,
            ({ } x, null) => x,
            (null, { } w) => w,
            _ => null,
        };
        return new Hl7.Fhir.Model.Consent
        {
            Id = e.Id.ToString(),
            Meta = Updated(e.RecordedAt),
            Status = c.IsValidOn(today) || c.SignedOn > today ? Hl7.Fhir.Model.Consent.ConsentState.Active : Hl7.Fhir.Model.Consent.ConsentState.Inactive,
            Scope = new CodeableConcept(ConsentScope, "treatment", "Treatment"),
            Category = [new CodeableConcept(FhirCodes.ConsentCategorySystem, "off-label-treatment", "Informed consent to off-label treatment", "Informed consent to off-label ketamine for chronic pain")],
            Patient = PatientRef(p.Id),
            DateTime = Date(c.SignedOn),
            Source = new Attachment { Title = c.DocumentReference },
            PolicyRule = new CodeableConcept { Text = "Informed consent to off-label ketamine for pain: FDA approval is as an anaesthetic only (Ketalar label)." },
            Provision = new Hl7.Fhir.Model.Consent.provisionComponent
            {
                Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
                Period = new Period { Start = Date(c.SignedOn), End = end is { } last ? Date(last) : null },
            },
        };
    });

    /// <summary>The prescription: the next session's dose (rate as mg/kg per h), route, the course timing and the ceiling.</summary>
    public static MedicationRequest ToMedicationRequest(TreatmentPlan plan)
    {
        var protocol = plan.Protocol;
        var dosage = new Dosage
        {
            Sequence = 1,
            Text = DosageText(plan),
            Route = new CodeableConcept { Coding = [FhirCodes.RouteCoding(plan.Route)], Text = plan.Route.ToString() },
            Timing = new Timing
            {
                Repeat = new Timing.RepeatComponent
                {
                    Count = protocol.NumberOfSessions,
                    Frequency = 1,
                    Period = protocol.IntervalDays > 0 ? protocol.IntervalDays : null,
                    PeriodUnit = protocol.IntervalDays > 0 ? Timing.UnitsOfTime.D : null,
                    Duration = protocol.InfusionDuration is { } d ? Dec(d.Minutes, 3) : null,
                    DurationUnit = protocol.InfusionDuration is not null ? Timing.UnitsOfTime.Min : null,
                },
            },
        };
        if (plan.CurrentDose.Basis == DoseBasis.MgPerKgPerHour)
        {
            dosage.DoseAndRate = [new Dosage.DoseAndRateComponent { Rate = PerHour(plan.CurrentDose.Value, "mg/kg") }];
            dosage.MaxDosePerPeriod = PerHour(protocol.Ceiling.Value, "mg/kg");
        }
        else
        {
            var unit = plan.CurrentDose.Basis == DoseBasis.MgPerKg ? "mg/kg" : "mg";
            dosage.DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = Q(plan.CurrentDose.Value, unit) }];
            dosage.MaxDosePerAdministration = Q(protocol.Ceiling.Value, unit);
        }

        return new MedicationRequest
        {
            Id = plan.Id.ToString(),
            Meta = Updated(PlanUpdated(plan)),
            Status = plan.Status switch
            {
                PlanStatus.Active => MedicationRequest.MedicationrequestStatus.Active,
                PlanStatus.Completed => MedicationRequest.MedicationrequestStatus.Completed,
                PlanStatus.Discontinued => MedicationRequest.MedicationrequestStatus.Stopped,
                _ => MedicationRequest.MedicationrequestStatus.EnteredInError,
            },
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = FhirCodes.Ketamine(plan.Preparation.Concentration.MilligramsPerMilliliter, plan.Preparation.Kind == ContainerKind.Vial),
            Subject = PatientRef(plan.PatientId),
            AuthoredOnElement = new FhirDateTime(plan.PrescribedAt),
            Requester = User(plan.PrescribedBy),
            DosageInstruction = [dosage],
            Note = Notes(plan.StatusReason),
        };
    }

    /// <summary>The course: the protocol, its sessions and interval, pointing at the prescription.</summary>
    public static CarePlan ToCarePlan(TreatmentPlan plan)
    {
        var p = plan.Protocol;
        return new CarePlan
        {
            Id = plan.Id.ToString(),
            Meta = Updated(PlanUpdated(plan)),
            Status = plan.Status switch
            {
                PlanStatus.Active => RequestStatus.Active,
                PlanStatus.Completed => RequestStatus.Completed,
                PlanStatus.Discontinued => RequestStatus.Revoked,
                _ => RequestStatus.EnteredInError,
            },
            Intent = CarePlan.CarePlanIntent.Plan,
            Title = $"{p.Name} (protocol {p.Id} v{p.Version.ToString(CultureInfo.InvariantCulture)})",
            Description = string.Create(CultureInfo.InvariantCulture, $"Ketamine {p.Route}: {p.NumberOfSessions} session(s), every {p.IntervalDays} day(s); start {p.Start}, step {p.Step}, ceiling {p.Ceiling}; next session {plan.CurrentDose}."),
            Subject = PatientRef(plan.PatientId),
            Period = new Period { StartElement = new FhirDateTime(plan.PrescribedAt) },
            CreatedElement = new FhirDateTime(plan.PrescribedAt),
            Author = User(plan.PrescribedBy),
            Activity = [new CarePlan.ActivityComponent { Reference = new ResourceReference("MedicationRequest/" + plan.Id) }],
            Note = Notes(plan.StatusReason),
        };
    }

    /// <summary>The pump of an infusion session, with its checked program.</summary>
    public static Device? Pump(InfusionSession s)
    {
        if (s.Program is not { } program)
        {
            return null;
        }

        var text = "Program: " + program;
        if (program.Check is { } check)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; second check by {check.By} at {check.At.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        }

        return new Device
        {
            Id = PumpId(s),
            Meta = Updated(program.Check?.At ?? program.ProgrammedAt),
            Type = new CodeableConcept { Text = "Infusion pump" },
            Patient = PatientRef(s.PatientId),
            Note = [new Annotation { Text = text }],
        };
    }

    /// <summary>
    /// One administration per rate segment (and per single dose): period, rate mg/h, amount, performer, the request and
    /// the pump. When the session has recorded custody (<paramref name="custody"/>: its preparations' labels), the
    /// medication is a contained Medication carrying the batch — lot number and expiry — of the preparation in use (the
    /// last prepared before the administration began).
    /// </summary>
    public static IEnumerable<MedicationAdministration> Administrations(InfusionSession s, DateTimeOffset asOf, IReadOnlyList<PreparationLabel>? custody = null)
    {
        var route = new CodeableConcept { Coding = [FhirCodes.RouteCoding(s.Protocol.Route)], Text = s.Protocol.Route.ToString() };
        var preparation = s.Program?.Preparation;
        CodeableConcept Drug() => FhirCodes.Ketamine(preparation?.Concentration.MilligramsPerMilliliter, preparation?.Kind == ContainerKind.Vial);
        MedicationAdministration WithBatch(MedicationAdministration a, DateTimeOffset began)
        {
            if (custody is not { Count: > 0 })
            {
                a.Medication = Drug();
                return a;
            }

            var label = custody.LastOrDefault(l => l.Preparation.At <= began) ?? custody[0];
            var lot = label.Lots[0];
            a.Contained = [new Hl7.Fhir.Model.Medication
            {
                Id = "medication",
                Code = Drug(),
                Batch = new Hl7.Fhir.Model.Medication.BatchComponent { LotNumber = lot.LotNumber, ExpirationDateElement = new FhirDateTime(lot.Expiry.Year, lot.Expiry.Month, lot.Expiry.Day) },
            }];
            a.Medication = new ResourceReference("#medication");
            if (label.Lots.Count > 1)
            {
                a.Note.Add(new Annotation { Text = "lots drawn into this preparation: " + string.Join(", ", label.Lots.Select(l => l.LotNumber + " (expiry " + l.Expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ")")) });
            }

            return a;
        }

        foreach (var seg in s.Segments)
        {
            yield return WithBatch(new MedicationAdministration
            {
                Id = SegmentId(s, seg.Index),
                Meta = Updated(seg.End ?? seg.Start),
                Status = seg.End is null ? MedicationAdministration.MedicationAdministrationStatusCodes.InProgress : MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                Subject = PatientRef(s.PatientId),
                Context = EncounterRef(s),
                Effective = new Period { StartElement = new FhirDateTime(seg.Start), EndElement = seg.End is { } end ? new FhirDateTime(end) : null },
                Performer = [new MedicationAdministration.PerformerComponent { Actor = User(PerformerOf(s, seg.Start)) }],
                Request = new ResourceReference("MedicationRequest/" + s.PlanId),
                Device = s.Program is null ? [] : [new ResourceReference("Device/" + PumpId(s))],
                Note = Notes(seg.Reason),
                Dosage = new MedicationAdministration.DosageComponent
                {
                    Text = $"{SafeNumber.Format(seg.RateMlPerHour)} mL/h of {SafeNumber.Format(seg.ConcentrationMgPerMl)} mg/mL",
                    Route = route,
                    Dose = Q(s.DeliveredAmount(seg, asOf).Milligrams, "mg"),
                    Rate = Q(seg.Rate.MilligramsPerHour, "mg/h"),
                },
            }, seg.Start);
        }

        for (var i = 0; i < s.SingleDoses.Count; i++)
        {
            var d = s.SingleDoses[i];
            yield return WithBatch(new MedicationAdministration
            {
                Id = $"{s.Id}-dose{i.ToString(CultureInfo.InvariantCulture)}",
                Meta = Updated(d.At),
                Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                Subject = PatientRef(s.PatientId),
                Context = EncounterRef(s),
                Effective = new FhirDateTime(d.At),
                Performer = [new MedicationAdministration.PerformerComponent { Actor = User(PerformerOf(s, d.At)) }],
                Request = new ResourceReference("MedicationRequest/" + s.PlanId),
                Dosage = new MedicationAdministration.DosageComponent { Text = d.Level.ToString(), Route = route, Dose = Q(d.Amount.Milligrams, "mg") },
            }, d.At);
        }
    }

    /// <summary>Adverse events; the suspect entity is the administration running at onset (else the session's last one).</summary>
    public static IEnumerable<AdverseEvent> AdverseEvents(InfusionSession s) => s.AdverseEvents.Active.Select(e =>
    {
        var ae = e.Value;
        string? suspect = ae.SegmentIndex is { } i ? SegmentId(s, i)
            : s.Segments.Count > 0 ? SegmentId(s, s.Segments[^1].Index)
            : s.SingleDoses.Count > 0 ? $"{s.Id}-dose{(s.SingleDoses.Count - 1).ToString(CultureInfo.InvariantCulture)}"
            : null;
        return new AdverseEvent
        {
            Id = e.Id.ToString(),
            Meta = Updated(e.RecordedAt),
            Actuality = AdverseEvent.AdverseEventActuality.Actual,
            Event = new CodeableConcept(FhirCodes.AdverseEventTypeSystem, ae.Type.ToString(), null, $"{ae.Description} (action taken: {ae.Action})"),
            Subject = PatientRef(s.PatientId),
            Encounter = EncounterRef(s),
            DateElement = new FhirDateTime(ae.OnsetAt),
            RecordedDateElement = new FhirDateTime(e.RecordedAt),
            Recorder = User(e.RecordedBy),
            Seriousness = ae.Serious ? new CodeableConcept(AeSeriousness, "Serious", "Serious") : new CodeableConcept(AeSeriousness, "Non-serious", "Non-serious"),
            Severity = new CodeableConcept
            {
                Coding =
                [
                    new Coding(AeSeverity, ae.Grade switch { 1 => "mild", 2 => "moderate", _ => "severe" }),
                    new Coding(FhirCodes.CtcaeGradeSystem, ae.Grade.ToString(CultureInfo.InvariantCulture), "CTCAE grade " + ae.Grade.ToString(CultureInfo.InvariantCulture)),
                ],
            },
            Outcome = new CodeableConcept(AeOutcome, ae.Outcome switch
            {
                AdverseEventOutcome.Resolved => "resolved",
                AdverseEventOutcome.Resolving => "recovering",
                AdverseEventOutcome.NotResolved => "ongoing",
                AdverseEventOutcome.ResolvedWithSequelae => "resolvedWithSequelae",
                AdverseEventOutcome.Fatal => "fatal",
                _ => "unknown",
            }),
            SuspectEntity = suspect is null ? [] : [new AdverseEvent.SuspectEntityComponent { Instance = new ResourceReference("MedicationAdministration/" + suspect) }],
        };
    });

    /// <summary>
    /// The session as an ambulatory Encounter: status from the session's state, period from the first step out of
    /// "scheduled" to discharge or cancellation (the scheduled day while nothing has happened yet), and every clinician
    /// who moved the session on, programmed the pump or checked it as a participant.
    /// </summary>
    public static Encounter ToEncounter(InfusionSession s)
    {
        var started = s.Transitions.FirstOrDefault(t => t.From == SessionState.Scheduled && t.To != SessionState.Scheduled);
        var ended = s.Transitions.LastOrDefault(t => t.To is SessionState.Discharged or SessionState.Cancelled);
        var people = s.Transitions.Select(t => t.By)
            .Concat(s.Program is { } p ? [p.ProgrammedBy] : [])
            .Concat(s.Program?.Check is { } c ? [c.By] : [])
            .Distinct()
            .ToList();
        return new Encounter
        {
            Id = s.Id.ToString(),
            Meta = Updated(s.Transitions.Count > 0 ? s.Transitions[^1].At : DateTimeOffset.MinValue),
            Status = s.State switch
            {
                SessionState.Scheduled => Encounter.EncounterStatus.Planned,
                SessionState.Discharged => Encounter.EncounterStatus.Finished,
                SessionState.Cancelled => Encounter.EncounterStatus.Cancelled,
                _ => Encounter.EncounterStatus.InProgress,
            },
            Class = new Coding(FhirCodes.ActCode, "AMB", "ambulatory"),
            Type = [new CodeableConcept { Text = "Ketamine " + s.Protocol.Route + " session (" + s.Protocol.Name + ")" }],
            Subject = PatientRef(s.PatientId),
            Participant = [.. people.Select(u => new Encounter.ParticipantComponent { Individual = User(u) })],
            Period = started is null
                ? new Period { Start = Date(s.ScheduledFor) }
                : new Period { StartElement = new FhirDateTime(started.At), EndElement = ended is null ? null : new FhirDateTime(ended.At) },
        };
    }

    /// <summary>A member of staff as a Practitioner: the KetaCare user id and the name shown on screens, nothing of the account.</summary>
    public static Practitioner ToPractitioner(UserId id, string displayName, DateTimeOffset createdAt) => new()
    {
        Id = id.ToString(),
        Meta = Updated(createdAt),
        Identifier = [new Identifier(FhirCodes.UserSystem, id.ToString())],
        Name = string.IsNullOrWhiteSpace(displayName) ? [] : [new HumanName { Text = displayName }],
    };

    /// <summary>An entry of the hash-chained audit log, with its sequence and hashes so the chain can be checked from the export.</summary>
    public static Hl7.Fhir.Model.AuditEvent ToAuditEvent(ClinicAuditEvent e)
    {
        var (action, interaction) = e.Action switch
        {
            "create" => (Hl7.Fhir.Model.AuditEvent.AuditEventAction.C, "create"),
            "update" => (Hl7.Fhir.Model.AuditEvent.AuditEventAction.U, "update"),
            "read" => (Hl7.Fhir.Model.AuditEvent.AuditEventAction.R, "read"),
            _ => (Hl7.Fhir.Model.AuditEvent.AuditEventAction.E, "operation"),
        };
        return new Hl7.Fhir.Model.AuditEvent
        {
            Id = "audit-" + e.Sequence.ToString(CultureInfo.InvariantCulture),
            Meta = Updated(e.At),
            Type = new Coding(Dicom, "110110", "Patient Record"),
            Subtype = [new Coding(RestfulInteraction, interaction)],
            Action = action,
            Recorded = e.At,
            Outcome = Hl7.Fhir.Model.AuditEvent.AuditEventOutcome.N0,
            Agent = [new Hl7.Fhir.Model.AuditEvent.AgentComponent { Who = User(e.UserId), Requestor = true }],
            Source = new Hl7.Fhir.Model.AuditEvent.SourceComponent { Observer = new ResourceReference { Identifier = new Identifier(FhirCodes.RecordSystem, "ketacare"), Display = "KetaCare" } },
            Entity =
            [
                new Hl7.Fhir.Model.AuditEvent.EntityComponent { What = PatientRef(e.PatientId) },
                new Hl7.Fhir.Model.AuditEvent.EntityComponent
                {
                    What = new ResourceReference { Identifier = new Identifier(FhirCodes.RecordSystem, e.EntityType + "/" + e.EntityId), Display = e.EntityType + " " + e.EntityId },
                    Description = e.Detail,
                    Detail =
                    [
                        new Hl7.Fhir.Model.AuditEvent.DetailComponent { Type = "sequence", Value = new FhirString(e.Sequence.ToString(CultureInfo.InvariantCulture)) },
                        new Hl7.Fhir.Model.AuditEvent.DetailComponent { Type = "previous-hash", Value = new FhirString(e.PreviousHash) },
                        new Hl7.Fhir.Model.AuditEvent.DetailComponent { Type = "hash", Value = new FhirString(e.Hash) },
                    ],
                },
            ],
        };
    }

    internal static string SegmentId(InfusionSession s, int index) => $"{s.Id}-seg{index.ToString(CultureInfo.InvariantCulture)}";

    private static string PumpId(InfusionSession s) => "pump-" + s.Id;

    // The segment's performer: whoever started or resumed the infusion at or before the segment began (a rate change
    // records no state change, so it keeps the performer of the running infusion).
    private static UserId PerformerOf(InfusionSession s, DateTimeOffset at) =>
        s.Transitions.LastOrDefault(t => t.To == SessionState.Running && t.At <= at)?.By ?? s.Program?.ProgrammedBy ?? s.Transitions[0].By;

    private static string DosageText(TreatmentPlan plan)
    {
        var p = plan.Protocol;
        var duration = p.InfusionDuration is { } d ? string.Create(CultureInfo.InvariantCulture, $" over {SafeNumber.Format(d.Minutes)} min") : string.Empty;
        var max = p.MaxRateMgPerHour is { } m ? $", not above {SafeNumber.Format(m)} mg/h" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"ketamine {plan.CurrentDose} {p.Route}{duration}, {p.NumberOfSessions} session(s) every {p.IntervalDays} day(s); ceiling {p.Ceiling}{max}; preparation {plan.Preparation}");
    }

    private static Meta Updated(DateTimeOffset at) => new() { LastUpdated = at };

    private static T Stamp<T>(T resource, DateTimeOffset at)
        where T : Resource
    {
        resource.Meta ??= new Meta();
        resource.Meta.LastUpdated = at;
        return resource;
    }

    // A plan changes when it is prescribed and at each dose change (titration); its status reason carries no time.
    private static DateTimeOffset PlanUpdated(TreatmentPlan plan) => plan.DoseChanges.Select(c => c.At).Append(plan.PrescribedAt).Max();

    private static ResourceReference EncounterRef(InfusionSession s) => new("Encounter/" + s.Id);

    private static Observation Vital(string id, string profile, string loinc, string display, ResourceReference subject, DataType effective, UserId by, Quantity? value) => new()
    {
        Id = id,
        Meta = new Meta { Profile = [VitalProfileBase + profile] },
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept(FhirCodes.ObservationCategory, "vital-signs", "Vital Signs")],
        Code = new CodeableConcept { Coding = [FhirCodes.LoincCoding(loinc, display)], Text = display },
        Subject = subject,
        Effective = effective,
        Performer = [User(by)],
        Value = value,
    };

    /// <summary>A score the patient gave in the portal: the patient is its performer (no clinician measured it).</summary>
    private static void PatientReported(Observation o, KetaCare.Clinic.Outcomes.ReportSource source, ResourceReference subject)
    {
        if (source == KetaCare.Clinic.Outcomes.ReportSource.Patient)
        {
            o.Performer = [new ResourceReference(subject.Reference)];
        }
    }

    private static Observation Survey(string id, Coding code, ResourceReference subject, DataType effective, UserId by, DataType value) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept(FhirCodes.ObservationCategory, "survey", "Survey")],
        Code = new CodeableConcept { Coding = [code], Text = code.Display },
        Subject = subject,
        Effective = effective,
        Performer = [User(by)],
        Value = value,
    };

    private static Observation Lab(string id, string category, Coding code, ResourceReference subject, DataType effective, UserId by, DataType? value) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept(FhirCodes.ObservationCategory, category, category == "laboratory" ? "Laboratory" : "Procedure")],
        Code = new CodeableConcept { Coding = [code], Text = code.Display },
        Subject = subject,
        Effective = effective,
        Performer = [User(by)],
        Value = value,
    };

    private static Coding Scale(string code, string display) => new(FhirCodes.ScaleSystem, code, display);


    private static List<Annotation> Notes(string? text) => string.IsNullOrWhiteSpace(text) ? [] : [new Annotation { Text = text }];

    private static Ratio PerHour(double value, string unit) => new() { Numerator = Q(value, unit), Denominator = Q(1, "h") };

    private static Quantity Q(double value, string ucum) => FhirCodes.UcumQuantity(Dec(value, 6), ucum);

    private static decimal Dec(double value, int digits) => (decimal)Math.Round(value, digits);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static FhirDateTime DateOnlyTime(DateOnly d) => new(d.Year, d.Month, d.Day);
}
