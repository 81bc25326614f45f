using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;

namespace KetaCare.Interop.Text;

/// <summary>
/// Turns coded findings into sentences in the reader's language, with numbers in the reader's culture and units in the
/// language's own abbreviations. The one place findings become words: the web pages, the API's problem details, the
/// CLI and the reports all call it. Each code has an English template here, whose translations live in
/// <see cref="Strings"/> like every other text; every code of <see cref="FindingCodes"/> and every dose-limit id has a
/// template and a Turkish translation (tests enforce both). Thread-safe.
/// </summary>
public static partial class FindingText
{
    // English templates by code; the English text is the key of its translation in Strings. Placeholders: {name} is
    // replaced by the finding's parameter of that name (number with unit, or token).
    private static readonly FrozenDictionary<string, string> Templates = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [FindingCodes.NotFound] = "{what} {id}: not found.",
        [FindingCodes.VersionConflict] = "{what}: changed by someone else since you opened it; nothing was saved — reload it and apply your change again.",
        [FindingCodes.SessionState] = "session: cannot go from {from} to {to}.",
        [FindingCodes.ReasonRequired] = "{field}: a reason of 1 to {max} characters is required.",
        [FindingCodes.PreAssessmentNotPassed] = "session: the pre-assessment checks have not passed.",
        [FindingCodes.SingleDoseProtocol] = "session: {protocol} is a single-dose protocol; it has no pump or rate.",
        [FindingCodes.InfusionProtocol] = "session: {protocol} is an infusion; start it with its pump program.",
        [FindingCodes.RoleRequired] = "only an active {role} may do this; the override was not accepted.",
        [FindingCodes.PreVitalsMissing] = "pre-assessment: vital signs (BP, HR, SpO₂) not recorded.",
        [FindingCodes.PrePainMissing] = "pre-assessment: pain NRS not recorded.",
        [FindingCodes.PrePatientMismatch] = "pre-assessment: the chart is another patient's.",
        [FindingCodes.PreConsentMissing] = "pre-assessment: no valid off-label consent on {date}.",
        [FindingCodes.PreEligibilityMissing] = "pre-assessment: no eligibility assessment.",
        [FindingCodes.PreEligibilityNotCurrent] = "pre-assessment: the eligibility assessment is not current ({cause}).",
        [FindingCodes.PrePregnant] = "pre-assessment: the patient is pregnant; ketamine is avoided in pregnancy.",
        [FindingCodes.PreKetamineAllergy] = "pre-assessment: the chart records an allergy to {substance}; ketamine is contraindicated with hypersensitivity to ketamine or an excipient.",
        [FindingCodes.PrePregnancyTestMissing] = "pre-assessment: a negative pregnancy test on {date} is required.",
        [FindingCodes.PreInvestigationDue] = "pre-assessment: {investigation} is needed for this course and is not on the chart; record it first.",
        [FindingCodes.PreInvestigationAbnormal] = "pre-assessment: a result recorded after the screening needs a physician's review ({detail}); screen again.",
        [FindingCodes.PreWeightMissing] = "pre-assessment: no weight valid on the session date ({cause}).",
        [FindingCodes.WeightStale] = "weight: measured on {measured}, {age} before the dose; the protocol doses only on a weight at most {window} old — weigh the patient again.",
        [FindingCodes.PreFastingMissing] = "pre-session checklist: when the patient last ate is not recorded.",
        [FindingCodes.PreFastingInFuture] = "pre-session checklist: the fasting time {at} is in the future.",
        [FindingCodes.PreFastingShort] = "pre-session checklist: fasting for {hours}, less than the protocol's minimum of {minimum}; a physician's reason is needed to start.",
        [FindingCodes.PreEscortNotConfirmed] = "pre-session checklist: no escort home confirmed.",
        [FindingCodes.PreNoDrivingNotAcknowledged] = "pre-session checklist: the patient has not acknowledged not driving for 24 h.",
        [FindingCodes.PreNewMedicationsNotAsked] = "pre-session checklist: not recorded whether medications were started since the last session.",
        [FindingCodes.PreNewMedicationInteraction] = "pre-session checklist: {medication}, started since the last session, interacts with ketamine ({rule}).",
        [FindingCodes.DosingWeightUnavailable] = "dosing weight: the protocol doses on the {rule} body weight, which needs a height and sex on the chart.",
        [FindingCodes.ProgramMissing] = "pump program: none recorded yet; program the pump, then have it checked.",
        [FindingCodes.ProgramDoseMismatch] = "pump program: programmed for {programmed}, but this session's dose is {planned}.",
        [FindingCodes.ProgramWeightMismatch] = "pump program: computed for {programmed}, but the session's weight is {session}; program again.",
        [FindingCodes.ProgramRateRoundsToZero] = "rate: {rate} rounds to 0 at the pump's increment of {increment}; use a lower concentration.",
        [FindingCodes.ProgramNotChecked] = "pump program: needs an independent second check before starting.",
        [FindingCodes.CheckSameUser] = "second check: must be done by another person than the one who programmed the pump.",
        [FindingCodes.CheckCheckerNotEligible] = "second check: the checker must be an active, registered nurse or physician.",
        [FindingCodes.CheckAlreadyDone] = "second check: already done.",
        [FindingCodes.CheckMismatch] = "second check: {field} read {read}, programmed {programmed} — the program was cleared; program the pump again.",
        [FindingCodes.DoseCheckStale] = "dose check: it was run for another rate, VTBI, weight or preparation; check again.",
        [FindingCodes.DoseNotPositive] = "{field}: must be greater than 0.",
        [FindingCodes.RateOutOfRange] = "rate: {value} is outside what the pump can run ({min} to {max}); pause instead of a rate below the pump's increment.",
        [FindingCodes.RateAboveProgram] = "rate: {value} is above the checked program's {limit}; a higher rate needs a new program, dose check and second check.",
        [FindingCodes.VitalSpO2Low] = "SpO₂ {value} is below {limit}.",
        [FindingCodes.VitalSystolicHigh] = "systolic BP {value} is above {limit}.",
        [FindingCodes.VitalSystolicLow] = "systolic BP {value} is below {limit} (hypotension).",
        [FindingCodes.VitalDiastolicHigh] = "diastolic BP {value} is above {limit}.",
        [FindingCodes.VitalHeartRateHigh] = "heart rate {value} is above {limit}.",
        [FindingCodes.VitalHeartRateLow] = "heart rate {value} is below {limit} (bradycardia).",
        [FindingCodes.VitalRespiratoryRateLow] = "respiratory rate {value} is below {limit} (respiratory depression).",
        [FindingCodes.VitalRespiratoryRateHigh] = "respiratory rate {value} is above {limit}.",
        [FindingCodes.VitalDeepSedation] = "{scale} {value} is sedation at or below {limit}.",
        [FindingCodes.VitalAgitation] = "RASS {value} is agitation at or above {limit} (emergence reaction).",
        [FindingCodes.VitalCadssHigh] = "CADSS {value} is above {limit} (dissociation).",
        [FindingCodes.ObservationEmpty] = "observation: enter at least one value.",
        [FindingCodes.ObservationBloodPressurePair] = "blood pressure: record systolic and diastolic together.",
        [FindingCodes.ObservationBloodPressureOrder] = "blood pressure: systolic {systolic} must be above diastolic {diastolic}.",
        [FindingCodes.AldreteItemOutOfRange] = "Aldrete {item}: {value} is outside the allowed range {min} to {max}.",
        [FindingCodes.ChartTextRequired] = "{field}: required, 1 to {max} characters.",
        [FindingCodes.ChartTextTooLong] = "{field}: {length} characters is longer than the allowed {max}.",
        [FindingCodes.ChartTextBrokenCharacter] = "{field}: contains a broken character (an unpaired UTF-16 surrogate at position {position}).",
        [FindingCodes.ChartTextControlCharacter] = "{field}: contains an invisible or control character ({character} at position {position}); only visible characters are allowed.",
        [FindingCodes.ChartTextControlCharacterMultiline] = "{field}: contains an invisible or control character ({character} at position {position}); only visible characters, line breaks and tabs are allowed.",
        [FindingCodes.ChartDateOutOfRange] = "{field}: {value} is outside the allowed range {earliest} to {latest}.",
        [FindingCodes.ChartNumberOutOfRange] = "{field}: {value} is outside the accepted range {min}–{max}.",
        [FindingCodes.ChartLiverPanelEmpty] = "liverPanel: at least one of alt, ast, bilirubin, ggt, alp is required.",
        [FindingCodes.ChartIcd10Invalid] = "{field}: \"{text}\" is not an ICD-10-CM code; expected a letter, two digits and up to four more characters, e.g. G90.511.",
        [FindingCodes.ChartAmendReasonMissing] = "reason: an amendment needs a reason.",
        [FindingCodes.ChartEnteredInErrorReasonMissing] = "reason: marking an entry entered-in-error needs a reason.",
        [FindingCodes.ChartEntryNotActive] = "entry {id}: no active entry with this id.",
        [FindingCodes.PatientCorrectionReasonMissing] = "reason: a correction needs a reason.",
        [FindingCodes.PatientAllergyContradictsNoKnownAllergies] = "noKnownAllergies: the chart has an allergy to {substance} that applies; mark it inactive, resolved or refuted first.",
        [FindingCodes.PatientRecordNumberOfAnother] = "medical record number: {mrn} belongs to another patient.",
        [FindingCodes.RecordNumberTaken] = "medical record number: {mrn} is already registered.",
        [FindingCodes.UniqueConflict] = "{what}: changed by someone else while you were saving — a record with the same unique value (such as the record number) was saved first; nothing was saved — reload and check before trying again.",
        [FindingCodes.SettingOutOfRange] = "{field}: {value} is outside the allowed range {min} to {max}.",
        [FindingCodes.SettingHardPeakOutOfRange] = "hardPeak: {value} is outside the allowed range {min} to {max} (the bottom of the anaesthesia range, Zanos 2018, can only be lowered).",
        [FindingCodes.SettingSoftPeakOutOfRange] = "softPeak: {value} is outside the allowed range {min} to {max} (from the analgesia floor to the hard threshold).",
        [FindingCodes.ProtocolSessionsOutOfRange] = "sessions: {value} is outside the allowed range {min} to {max} (assumption).",
        [FindingCodes.SettingReasonRequired] = "reason: a reason of 1 to {max} characters is required for every change of a clinic setting.",
        [FindingCodes.ProtocolNameLength] = "name: must be 1 to {max} characters.",
        [FindingCodes.ProtocolSourcesMissing] = "sources: at least one source (or a labelled assumption) is required.",
        [FindingCodes.ProtocolReasonMissing] = "reason: adding or revising a protocol needs a reason.",
        [FindingCodes.ProtocolIntervalOutOfRange] = "interval: {value} days is outside the allowed range {min} to {max} days (assumption).",
        [FindingCodes.ProtocolDurationOutOfRange] = "duration: {value} min is outside the allowed range: greater than 0 and at most {max} min.",
        [FindingCodes.ProtocolMaxRateOutOfRange] = "maximum rate: {value} mg/h is outside the allowed range: greater than 0 mg/h.",
        [FindingCodes.ObservationTimeOutOfRange] = "observation time: must lie between {earliest} and now ({latest}).",
        [FindingCodes.GateVitalsMissing] = "record a complete vitals set (BP, HR, SpO₂, RR) within the last {window} first.",
        [FindingCodes.GateUnacknowledgedAlert] = "{count} stop-level alert(s) not acknowledged: acknowledge each with the action taken before resuming or raising the rate.",
        [FindingCodes.AlertNotOpen] = "alert {alert}: no open alert with this number.",
        [FindingCodes.DischargeObservationTime] = "discharge: {elapsed} since the end of the drug; the minimum is {required} (ready at {readyAt}).",
        [FindingCodes.DischargeRecoveryVitalsMissing] = "discharge: record a complete vitals set after the end of the infusion first.",
        [FindingCodes.DischargeAldreteLow] = "discharge: modified Aldrete {total} is below {threshold}.",
        [FindingCodes.DischargeEscortMissing] = "discharge: an escort must be present.",
        [FindingCodes.DischargeEffectSiteHigh] = "discharge: predicted effect-site concentration {value} is above {limit} (predicted ready at {readyAt}).",
        [FindingCodes.DischargePredictionUnavailable] = "discharge: the effect-site prediction could not run ({detail}).",
        [FindingCodes.PumpVolumeDifference] = "dose: the pump shows {pump} infused but {computed} was computed (tolerance {tolerance}); check the pump and the line.",
        [FindingCodes.PumpVolumeOutOfRange] = "pump volume: {value} is outside 0 to {max}.",
        [FindingCodes.FirstSessionAboveStart] = "start dose: {value} is above the protocol's start dose {limit}; start low, or override with a reason.",
        [FindingCodes.StartAboveCeiling] = "start dose: {value} is above the protocol's ceiling {limit}.",
        [FindingCodes.PlanConsentMissing] = "consent: informed consent for off-label ketamine must be recorded before a plan starts (FDA approval is as an anaesthetic only).",
        [FindingCodes.PlanOverridesNotAtPrescription] = "plan: overrides at prescription are recorded only when the plan is prescribed.",
        [FindingCodes.PlanOverrideReasonMissing] = "reason: every soft-limit override needs a reason.",
        [FindingCodes.PlanDoseChangeReasonMissing] = "reason: a dose change needs a reason.",
        [FindingCodes.PlanCloseReasonMissing] = "reason: closing a plan needs a reason.",
        [FindingCodes.TreatmentConditionNotActive] = "condition {id}: no active condition with this id on the patient's chart.",
        [FindingCodes.StartDoseUnit] = "start dose: {value} is not in the protocol's unit ({unit}).",
        [FindingCodes.StockLotExpired] = "lot {lot}: expired on {expiry}; an expired lot is not drawn — waste it or return it to the supplier.",
        [FindingCodes.StockLotOnHold] = "lot {lot}: on hold ({hold}); it is not drawn or moved, only returned or wasted.",
        [FindingCodes.StockInsufficient] = "lot {lot}: {onHand} on hand, {requested} requested; stock never goes below zero.",
        [FindingCodes.StockWitnessSamePerson] = "{field}: the witness must be another person than the one doing the step.",
        [FindingCodes.StockUserNotEligible] = "{field}: user {user} is not an active nurse or physician; controlled-substance steps need one.",
        [FindingCodes.StockUserNotStaff] = "{field}: user {user} is not an active nurse, physician or stock keeper; the register's steps need one.",
        [FindingCodes.StockQuantityOutOfRange] = "{field}: {value} is outside the allowed range {min} to {max}.",
        [FindingCodes.StockStrengthUnsupported] = "concentration: {value} is not a ketamine strength; the products are 10, 50 or 100 mg/mL.",
        [FindingCodes.StockTextLength] = "{field}: required, at most {max} characters.",
        [FindingCodes.StockExpiryMismatch] = "lot {lot}: registered with expiry {stored}, received with {given}; check the label.",
        [FindingCodes.StockSameLocation] = "transfer: from and to are the same location.",
        [FindingCodes.StockSessionState] = "{step}: not possible while the session is {state}.",
        [FindingCodes.StockNoProgram] = "session {session}: no pump program yet; program the pump before recording the preparation.",
        [FindingCodes.StockConcentrationMismatch] = "preparation: {prepared} does not match the pump program's {programmed}.",
        [FindingCodes.StockPreparedNotDrawn] = "preparation: holds {prepared} but {drawn} was drawn for this session; the whole draw goes into the preparation.",
        [FindingCodes.StockStepMissing] = "{step}: not recorded yet for this session.",
        [FindingCodes.StockStepRecorded] = "{step}: already recorded for this session.",
        [FindingCodes.StockWasteMismatch] = "waste: {stated} stated, but the remainder (prepared less given) is {remainder}; nothing was saved — look into the difference.",
        [FindingCodes.StockDiscrepancyResolved] = "discrepancy {discrepancy}: already resolved.",
        [FindingCodes.StockPreparationRequired] = "start: this clinic requires the infusion's preparation to be recorded (drawn, prepared and checked) before it starts.",
        [FindingCodes.StockPreparationNotProgrammed] = "start: the recorded preparation is {prepared} but the pump program's concentration is {programmed}; prepare again or program the pump again.",
        [FindingCodes.StockTemplateUnknown] = "register template: {value} is not known; choose one of {allowed}.",
        [FindingCodes.SimulationAboveLimit] = "{what}: {value} is above the clinical hard limit of {limit}.",
        [FindingCodes.TciRateCapped] = "TCI: the schedule needed up to {needed}; rates were capped at the hard limit {limit}, so the target is reached later.",
        [FindingCodes.TitrationFirstSession] = "First session: the protocol's start dose {dose}.",
        [FindingCodes.TitrationCourseComplete] = "{done} of {total} sessions done: the course is complete.",
        [FindingCodes.TitrationSeriousAdverseEvent] = "Last session: serious adverse event.",
        [FindingCodes.TitrationAdverseEvent] = "Last session: adverse event grade {grade}.",
        [FindingCodes.TitrationStopAlerts] = "Last session: {count} stop alert(s).",
        [FindingCodes.TitrationPauseAlerts] = "Last session: {count} pause alert(s).",
        [FindingCodes.TitrationStoppedEarly] = "Last session: the infusion was stopped early.",
        [FindingCodes.TitrationStopCourse] = "Stop the course and review.",
        [FindingCodes.TitrationStepDown] = "One step down to {dose}.",
        [FindingCodes.TitrationNoLowerStep] = "No lower step below {dose}: stop the course and review.",
        [FindingCodes.TitrationHold] = "Hold at {dose}.",
        [FindingCodes.TitrationHoldAtReduction] = "Pain between sessions reduced {reduction} from the pre-course baseline (NRS {baseline} → {now}; threshold {threshold}): hold at the minimum effective dose.",
        [FindingCodes.TitrationHoldAtMaximum] = "Hold at {dose}: already at the maximum {max}.",
        [FindingCodes.TitrationHoldNoStep] = "Hold at {dose}: the protocol has no step; the physician decides whether to continue.",
        [FindingCodes.TitrationStepUp] = "Tolerated, pain reduction between sessions below the hold threshold: one step up to {dose} (maximum {max}).",
        [FindingCodes.PlanTitrationAccepted] = "Titration proposal accepted:",
        [FindingCodes.PlanTitrationOverridden] = "Titration proposal overridden: {reason}",
        [FindingCodes.PlanAboveSoftLimit] = "Prescribed above a soft limit:",
        [FindingCodes.PlanSoftLimitOverride] = "limit {limit} overridden: {reason}",
        [FindingCodes.LimitPrefix + "rate-mg-kg-h"] = "rate: {value} is above the limit of {limit}.",
        [FindingCodes.LimitPrefix + "rate-mg-h"] = "absolute rate: {value} is above the limit of {limit}.",
        [FindingCodes.LimitPrefix + "bolus-mg-kg"] = "bolus: {value} is above the limit of {limit}.",
        [FindingCodes.LimitPrefix + "single-dose-mg"] = "single dose: {value} is above the limit of {limit}.",
        [FindingCodes.LimitPrefix + "session-total"] = "session total: {value} is above the limit of {limit} (rate limit × duration × weight).",
        [FindingCodes.LimitPrefix + "session-total-mg"] = "session total: {value} is above the absolute limit of {limit}.",
        [FindingCodes.LimitPrefix + "vtbi"] = "VTBI: {value} is above the limit of {limit}.",
        [FindingCodes.LimitPrefix + "preparation"] = "preparation: {value} must be diluted before IV use.",
        [FindingCodes.LimitPrefix + "dose-unit"] = "dose: {value} is not in the protocol's unit.",
        [FindingCodes.LimitPrefix + "dose-zero"] = "dose: must be greater than 0.",
        [FindingCodes.LimitPrefix + AncillaryDrugs.DoseLimitId] = "premedication or rescue dose: {value} is above the limit of {limit}.",
        [FindingCodes.LimitPrefix + AncillaryDrugs.SessionLimitId] = "premedication or rescue: {value} in this session is above the limit of {limit}.",
        [FindingCodes.OrderRoute] = "order: the drug library does not allow {drug} by the {route} route.",
        [FindingCodes.OrderNotInLibrary] = "order: {drug} is not in the drug library.",
        [FindingCodes.OrderState] = "order: a {purpose} dose cannot be given in the {state} state.",
        [FindingCodes.OrderSedativeInteraction] = "order: {drug} adds sedation to the patient's {medication}; a physician's reason is needed.",
        [FindingCodes.OrderDoseOutOfRange] = "{field}: {value} is outside the allowed range: greater than 0 and at most {max} (hard limit of the drug library).",
        [FindingCodes.OrderSessionMaxOutOfRange] = "{field}: {value} is outside the allowed range {min} (the order's dose) to {max} (hard session limit of the drug library).",
        [FindingCodes.OrderTooMany] = "orders: {value} orders; a protocol holds at most {max}.",
        [FindingCodes.OrderSessionMaxExceeded] = "order: {value} of {drug} in this session would exceed the order's maximum of {max} per session.",
        [FindingCodes.LimitPrefix + "pk-peak"] = "predicted peak plasma concentration: {value} is above the limit of {limit}.",
        [FindingCodes.LimitPrefix + "pk-unavailable"] = "predicted peak: the PK check could not run; give only with a recorded reason.",
        [FindingCodes.EligibilityRuleSetChanged] = "eligibility: assessed with rule set {assessed}; {current} is in force; screen again.",
        [FindingCodes.EligibilityExpired] = "eligibility: assessed on {assessed}; valid for {days} days; screen again.",
        [FindingCodes.EligibilityReviewNeeded] = "eligibility: needs a physician review that approves treatment.",
        [FindingCodes.EligibilityNotEligible] = "eligibility: the patient is not eligible.",
        [FindingCodes.ReviewNotNeeded] = "review: the assessment's result is {result}; only NeedsPhysicianReview is reviewed.",
        [FindingCodes.ReviewReasonMissing] = "reason: a review needs the physician's reasoning.",
        [FindingCodes.ReviewAlreadyDone] = "assessment {id}: already reviewed; run a new assessment for a new decision.",
        [FindingCodes.PlanNotActive] = "plan: status is {status}; only an active plan's dose can change.",
        [FindingCodes.PlanDoseAboveCeiling] = "dose: {value} is above the protocol's ceiling {limit} or in another unit.",
        [FindingCodes.PlanStatusChange] = "plan: cannot change status from {from} to {to}.",
        [FindingCodes.TitrationOverrideReasonMissing] = "reason: overriding the titration proposal needs a reason.",
        [FindingCodes.TitrationOverrideUnit] = "dose: {value} is not in the protocol's unit ({max}).",
        [FindingCodes.TitrationOverrideAboveMaximum] = "dose: {value} is above the maximum {max} (protocol ceiling or hard limit); it cannot be overridden.",
        [FindingCodes.ProtocolDoseFormat] = "{field}: \"{text}\" needs a number and a unit: mg/kg/h, mg/kg or mg, e.g. \"0.5 mg/kg/h\".",
        [FindingCodes.ProtocolDoseUnit] = "{field}: unit \"{text}\" is not a protocol dose unit; use mg/kg/h, mg/kg or mg.",
        [FindingCodes.ProtocolDoseImplausible] = "{field}: {value} is above the plausible maximum {max}.",
        [FindingCodes.ProtocolUnitsDiffer] = "{protocol}: start, step and ceiling must use the same unit.",
        [FindingCodes.ProtocolStartNotPositive] = "{protocol}: start dose must be greater than 0.",
        [FindingCodes.ProtocolStartAboveCeiling] = "{protocol}: start {value} is above the ceiling {limit}.",
        [FindingCodes.ProtocolDurationMismatch] = "{protocol}: rate-based protocols need an infusion duration; single-dose protocols have none.",
        [FindingCodes.ProtocolCourseInvalid] = "{protocol}: interval must be ≥ 0 days and sessions ≥ 1.",
        [FindingCodes.ProtocolValueOutOfRange] = "{field}: {value} is outside the allowed range {min}–{max}.",
        [FindingCodes.ProtocolOrderDoseNotPositive] = "{field}: {drug} dose {value} must be greater than 0.",
        [FindingCodes.ProtocolNotInLibrary] = "protocol: \"{id}\" is not in the library; known: {known}.",
        [FindingCodes.ProtocolUnknown] = "protocol: \"{id}\" is not in the library.",
        [FindingCodes.ProtocolVersionUnknown] = "protocol: \"{id}\" has no version {version}.",
        [FindingCodes.ProtocolExists] = "id: protocol \"{id}\" exists already; revise it to add a version.",
        [FindingCodes.ProtocolReviseUnknown] = "id: protocol \"{id}\" is not in the library; add it first.",
        [FindingCodes.ProtocolIdInvalid] = "id: \"{text}\" must be 1 to 48 lower-case letters, digits or hyphens, starting with a letter or digit.",
        [FindingCodes.ProtocolLevelUnit] = "{field}: {value} is not in the ceiling's unit ({unit}).",
        [FindingCodes.ProtocolLevelOutOfRange] = "{field}: {value} is outside the allowed range: {low} {unit}.",
        [FindingCodes.ProtocolLevelAboveHardLimit] = "{field}: {value} is outside the allowed range: {low} and at most {max} (hard limit of the drug library; {source}).",
        [FindingCodes.PreparationNotInLibrary] = "preparation: \"{id}\" is not in the drug library; known: {known}.",
        [FindingCodes.PreparationNeedsDilution] = "preparation: {preparation} must be diluted before IV use (Ketalar label).",
        [FindingCodes.InputOutOfRange] = "{field}: {value} is outside the allowed range {min} to {max}.",
        [FindingCodes.ProgramNeedsRate] = "dose: a pump program needs a rate in mg/kg/h; {value} is a single dose.",
        [FindingCodes.AuditDatesOrder] = "dates: the start must be before the end.",
        [FindingCodes.AuditPatientUnknown] = "patient: no patient with id or record number \"{text}\".",
        [FindingCodes.AuditUserUnknown] = "user: no account with id, user name or display name \"{text}\".",
        [FindingCodes.OutcomePredictionUnavailable] = "predicted relief: no baseline pain score and no plan yet.",
        [FindingCodes.PortalSevereSideEffect] = "patient reports a severe side effect: {kind}.",
        [FindingCodes.PortalUrinarySymptom] = "patient reports urinary symptoms ({severity}).",
        [FindingCodes.PortalPainReturned] = "pain is back: diary NRS {nrs} against a baseline of {baseline} (rule: {percent} of baseline).",
        [FindingCodes.PortalNotFasted] = "pre-visit checklist for {date}: the patient has not fasted.",
        [FindingCodes.PortalNoEscort] = "pre-visit checklist for {date}: no escort home.",
        [FindingCodes.PortalPossiblyPregnant] = "pre-visit checklist for {date}: the patient may be pregnant.",
        [FindingCodes.PortalNewMedications] = "pre-visit checklist for {date}: new medications: {text}.",
        [FindingCodes.PortalChecklistMissing] = "pre-visit checklist for {date}: not answered by {hour}:00.",
        [FindingCodes.PortalNotLinked] = "account: not a patient account linked to a patient.",
        [FindingCodes.PortalInvitationInvalid] = "invitation: the link is unknown, used or expired; ask the clinic for a new one.",
        [FindingCodes.PortalSessionNotOwn] = "{field}: not one of your booked sessions.",
        [FindingCodes.PortalTaskState] = "task: cannot go from {from} to {to}.",
        [FindingCodes.PortalPregnancyRequired] = "{field}: answer yes or no; the question applies to this patient.",
        [FindingCodes.PortalPregnancyNotAsked] = "{field}: the question does not apply to this patient; leave it out.",
        [FindingCodes.PortalAccountNotInUse] = "{field}: the patient has not accepted an invitation yet; send an invitation instead.",
        [FindingCodes.OutcomeBpiItemCount] = "BPI interference: {count} items given; exactly {required} are required.",
        [FindingCodes.OutcomeNoDrugGiven] = "sessions: no drug has been given yet.",
        [FindingCodes.OutcomeNoScoresAfterDose] = "observed: no scores after the first dose.",
        [FindingCodes.AnalyticsTooFewPoints] = "{field}: {count} pairs; an exposure–response fit needs at least {required}, with three distinct exposures.",
        [FindingCodes.AnalyticsFilterDate] = "{field}: \"{text}\" is not a date (yyyy-MM-dd).",
        [FindingCodes.AnalyticsFilterChoice] = "{field}: \"{text}\" is not one of {allowed}.",
        [FindingCodes.AnalyticsFilterDatesOrder] = "{field}: must be on or after the first date, {from}.",
        [FindingCodes.AnalyticsIdentifyNotPermitted] = "{field}: only an active {role} may see the record numbers and names of the courses; the analytics stay de-identified.",
        [FindingCodes.IndividualNotInfusion] = "protocol: {protocol} is not an infusion dosed in mg/kg/h; no individualised rate is proposed.",
        [FindingCodes.IndividualNoObservations] = "{field}: no CADSS score has been recorded after a dose yet; the individual estimate needs at least one.",
        [FindingCodes.AnalyticsFitFailed] = "{field}: the exposures and responses do not determine E0, Emax and EC50 (no rise, no plateau, or a value that is not a number).",
        [FindingCodes.AdverseEventGrade5NotFatal] = "CTCAE grade: grade 5 is death; the outcome must be Fatal and the event serious.",
        [FindingCodes.AdverseEventFatalNotGrade5] = "outcome: a fatal outcome is CTCAE grade 5.",
        [FindingCodes.ObservationTimeNotUtc] = "time: observations are recorded in UTC.",
        [FindingCodes.WeightOnlyImported] = "weight: the only weight on or before {date} is imported history ({measured}); weigh the patient here before dosing.",
        [FindingCodes.WeightNone] = "weight: no weight recorded on or before {date}; record one before dosing.",
        [FindingCodes.SettingIdleAboveAbsolute] = "idleMinutes: {value} is longer than the absolute timeout of {limit}.",
        [FindingCodes.SeedDatabaseNotEmpty] = "seed: the database holds {count} patient(s) that are not demo data; demo data is only written to a new database.",
        [FindingCodes.BackupTargetExists] = "backup: {text} already exists; choose a new file name.",
        [FindingCodes.BackupNoDatabase] = "backup: no database at {text}; run 'ketacare db migrate' first.",
        [FindingCodes.BackupPgDumpMissing] = "backup: pg_dump was not found on PATH; install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or back up with your server's own tooling.",
        [FindingCodes.BackupPgDumpFailed] = "backup: pg_dump failed (exit code {code}): {text}",
        [FindingCodes.UserDisplayNameLength] = "display name: must be 1 to {max} characters.",
        [FindingCodes.UserOwnAdminRole] = "roles: you cannot remove your own Admin role; another administrator must do it.",
        [FindingCodes.UserLastAdminRole] = "roles: {user} is the last administrator who can sign in; give another account the Admin role first.",
        [FindingCodes.UserLockOwn] = "lock: you cannot lock your own account.",
        [FindingCodes.UserLockLastAdmin] = "lock: {user} is the last administrator who can sign in; it cannot be locked.",
        [FindingCodes.UserPasswordRequired] = "password: required, at least {min} characters.",
        [FindingCodes.UserRolesEmpty] = "roles: choose at least one of {roles}.",
        [FindingCodes.UserRoleUnknown] = "roles: \"{text}\" is not a role; choose from {roles}.",
        [FindingCodes.UserUnknown] = "user: no account with id {id}.",
        [FindingCodes.UserIdentityRefused] = "{field}: {text}",
        [FindingCodes.EngineRefused] = "{text}",
        [FindingCodes.ImportedVitalDiastolicMissing] = "diastolic: a blood pressure needs its diastolic.",
        [FindingCodes.ImportedVitalDiastolicNotBelow] = "diastolic: {value} is not below the systolic {systolic}.",
        [FindingCodes.ImportedVitalDiastolicNotAllowed] = "diastolic: only a blood pressure has one ({kind}).",
    }.Concat(SchedulingTemplates()).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every code with a text (the finding codes and the "limit." codes of the dose check).</summary>
    public static IReadOnlyCollection<string> Codes => Templates.Keys;

    /// <summary>True when <paramref name="code"/> has a text (its translations live in <see cref="Strings"/>).</summary>
    public static bool Has(string code) => Templates.ContainsKey(code);

    /// <summary>The English template of <paramref name="code"/> — the key of its translations — or null for an unknown code.</summary>
    public static string? Template(string code) => Templates.GetValueOrDefault(code);

    /// <summary>The finding as a sentence in <paramref name="culture"/>'s language (English where no translation exists).</summary>
    /// <param name="finding">The finding.</param>
    /// <param name="culture">The reader's culture: language and number format.</param>
    /// <param name="time">Formats a moment for the reader (e.g. the clinic's local HH:mm); UTC HH:mm when null.</param>
    public static string Render(Finding finding, CultureInfo culture, Func<DateTimeOffset, string>? time = null)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(culture);
        if (!Templates.TryGetValue(finding.Code, out var english))
        {
            if (Pharmacology.EngineWarningCodes.Templates.TryGetValue(finding.Code, out var engine))
            {
                // Input the engine's parser refused, passed on by a service as a finding.
                return Translated(engine, finding.Args, culture);
            }

            // An unknown code (a newer server's) is still shown, in its canonical form, never dropped.
            return finding.ToString();
        }

        // The investigation travels as its enum name ("LiverPanel"); the reader sees its words in their language.
        var t = Strings.For(culture);
        FindingArg? Arg(string name) => finding.Arg(name) switch
        {
            { Text: { } kind } a when name == "investigation" && Enum.TryParse<InvestigationKind>(kind, out var k) => a with { Text = t[SessionLabels.Words(k)].Value },
            { Text: { } field } a when name == "field" => a with { Text = Field(field, culture) },
            { Text: { } cause } a when name == "cause" && Templates.ContainsKey(cause) => a with { Text = Cause(finding with { Code = cause }, culture, time) },
            { Text: { } unit } a when name == "unit" => a with { Text = TextFormat.Unit(unit, culture) },
            { Text: { } id } a when name == "preparation" && DrugLibrary.Default.Preparation(id) is { IsSuccess: true } p => a with { Text = TextFormat.Preparation(p.Value, culture) },
            { Text: { } token } a when name is not ("text" or "id") && t[token + "|token"] is { ResourceNotFound: false } word => a with { Text = word.Value },
            var a => a,
        };
        return Fill(t[english].Value, Arg, culture, time);
    }

    // A finding nested in another as its cause ("not current (eligibility: … screen again)"): the cause's own sentence,
    // filled from the same arguments, without its closing full stop.
    private static string Cause(Finding cause, CultureInfo culture, Func<DateTimeOffset, string>? time) =>
        Render(cause with { Args = [.. cause.Args.Where(a => a.Name != "cause")] }, culture, time).TrimEnd('.');

    /// <summary>
    /// An eligibility finding in <paramref name="culture"/>'s language: its English template translated and filled with
    /// its arguments (numbers and dates as the reader writes them, names and words translated where the catalogue has
    /// them); its stored English message when it has no template (screenings recorded before templates were kept).
    /// </summary>
    public static string Render(Clinic.Eligibility.RuleFinding finding, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(culture);
        if (finding.Template is not { } english)
        {
            return finding.Message;
        }

        return Translated(english, finding.Args, culture);
    }

    /// <summary>
    /// An engine warning in <paramref name="culture"/>'s language: its English template translated and filled with its
    /// arguments (numbers and units as the reader writes them, words such as a route's name translated where the
    /// catalogue has them).
    /// </summary>
    public static string Render(Pharmacology.EngineWarning warning, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(warning);
        ArgumentNullException.ThrowIfNull(culture);
        return Translated(warning.Template, [.. warning.Args.Select(a => new FindingArg(a.Name, a.Number, a.Unit, a.Text))], culture);
    }

    // A template and its arguments in the reader's language; a word argument is translated when the catalogue has it,
    // as a word inside a sentence ("effect site|sentence") before the word on its own ("Intranasal").
    private static string Translated(string english, IReadOnlyList<FindingArg> args, CultureInfo culture)
    {
        var t = Strings.For(culture);
        FindingArg? Arg(string name)
        {
            var arg = args.FirstOrDefault(a => a.Name == name);
            if (arg?.Text is not { } text || name == "text")
            {
                // What the user typed is quoted back as it was, never translated.
                return arg;
            }

            if (name == "field")
            {
                return arg with { Text = Field(text, culture) };
            }

            var word = t[text + "|sentence"] is { ResourceNotFound: false } inSentence ? inSentence : t[text];
            return word.ResourceNotFound ? arg : arg with { Text = word.Value };
        }

        return Fill(t[english].Value, Arg, culture, null);
    }

    /// <summary>
    /// An input field's name ("weight", "dose 2", "dose 2 duration") in <paramref name="culture"/>'s language; the
    /// catalogue has each fixed name with "|field", a numbered one with its number as {0} ("dose {0} duration|field").
    /// A name the catalogue lacks is shown as it is.
    /// </summary>
    public static string Field(string field, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(field);
        var t = Strings.For(culture);
        var whole = t[field + "|field"];
        if (!whole.ResourceNotFound)
        {
            return whole.Value;
        }

        var number = FieldNumber().Match(field);
        if (number.Success)
        {
            var numbered = t[string.Concat(field.AsSpan(0, number.Index), "{0}", field.AsSpan(number.Index + number.Length), "|field"), number.Value];
            if (!numbered.ResourceNotFound)
            {
                return numbered.Value;
            }
        }

        return field;
    }

    [GeneratedRegex(@"(?<= )[0-9]+(?= |$)", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNumber();

    private static string Fill(string template, Func<string, FindingArg?> arg, CultureInfo culture, Func<DateTimeOffset, string>? time)
    {
        var sb = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open);
            sb.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            sb.Append(arg(name) is { } value ? Value(value, culture, time) : "?");
            i = close + 1;
        }

        return sb.ToString();
    }

    /// <summary>A refusal's findings as sentences, joined by spaces; the refusal's text when it has no findings.</summary>
    public static string Render(IReadOnlyList<Finding> findings, string fallback, CultureInfo culture, Func<DateTimeOffset, string>? time = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return findings.Count == 0 ? fallback : string.Join(" ", findings.Select(f => Render(f, culture, time)));
    }

    /// <summary>A dose-limit finding as a sentence.</summary>
    public static string Render(LimitFinding finding, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Render(finding.ToFinding(), culture);
    }

    private static string Value(FindingArg arg, CultureInfo culture, Func<DateTimeOffset, string>? time)
    {
        if (arg.Number is { } n)
        {
            return TextFormat.Quantity(n, arg.Unit, culture);
        }

        var text = arg.Text ?? string.Empty;
        if (DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return time?.Invoke(at) ?? at.ToString("HH:mm", CultureInfo.InvariantCulture);
        }

        // A calendar date travels as ISO text; the reader sees it as they write dates (14.01.2026 in Turkish).
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return TextFormat.Date(day, culture);
        }

        return text;
    }
}
