using System.Reflection;

namespace KetaCare.Clinic.Findings;

/// <summary>
/// Every finding code the clinic layer raises, named once. Faces translate each one (a test fails on a code without
/// an English and a Turkish text); the API maps <see cref="NotFound"/> to 404 and <see cref="VersionConflict"/> to
/// 409 and every other refusal to 422/400. Codes are stable: stored records and API clients keep them.
/// </summary>
public static partial class FindingCodes
{
    // Workflow

    /// <summary>An id matches nothing. Args: what, id.</summary>
    public const string NotFound = "not-found";

    /// <summary>The record was changed by someone else since it was read. Args: what, expected, stored.</summary>
    public const string VersionConflict = "conflict.version";

    /// <summary>A transition the state machine does not allow. Args: from, to.</summary>
    public const string SessionState = "session.state";

    /// <summary>A step that needs a reason got none (or one too long). Args: field, max.</summary>
    public const string ReasonRequired = "reason.required";

    /// <summary>The pre-assessment checks have not passed.</summary>
    public const string PreAssessmentNotPassed = "session.pre-assessment-not-passed";

    /// <summary>A pump action on a single-dose protocol. Args: protocol.</summary>
    public const string SingleDoseProtocol = "session.single-dose-protocol";

    /// <summary>A single-dose action on an infusion protocol. Args: protocol.</summary>
    public const string InfusionProtocol = "session.infusion-protocol";

    /// <summary>The acting user may not take this step (a physician is needed, or a registered clinical user). Args: role.</summary>
    public const string RoleRequired = "user.role-required";

    // Pre-assessment

    /// <summary>No vital-signs set recorded in pre-assessment.</summary>
    public const string PreVitalsMissing = "pre.vitals-missing";

    /// <summary>No pain NRS recorded in pre-assessment.</summary>
    public const string PrePainMissing = "pre.pain-missing";

    /// <summary>The chart is another patient's.</summary>
    public const string PrePatientMismatch = "pre.patient-mismatch";

    /// <summary>No valid off-label consent on the session date. Args: date.</summary>
    public const string PreConsentMissing = "pre.consent-missing";

    /// <summary>No eligibility assessment.</summary>
    public const string PreEligibilityMissing = "pre.eligibility-missing";

    /// <summary>
    /// The eligibility assessment is not current. Args: cause (the code of the screening's refusal, one of the
    /// <c>eligibility.*</c> codes below) and that refusal's own arguments.
    /// </summary>
    public const string PreEligibilityNotCurrent = "pre.eligibility-not-current";

    /// <summary>The patient is pregnant (Cohen 2018: avoid).</summary>
    public const string PrePregnant = "pre.pregnant";

    /// <summary>An allergy to ketamine, esketamine or an excipient of the ketamine products applies (label: contraindicated). Args: substance.</summary>
    public const string PreKetamineAllergy = "pre.allergy-ketamine";

    /// <summary>A negative pregnancy test on the session date is required. Args: date.</summary>
    public const string PrePregnancyTestMissing = "pre.pregnancy-test-missing";

    /// <summary>An investigation the monitoring schedule needs for this course is not done. Args: investigation (LiverPanel, Ecg, UrinaryScreen), date it was due by when dated.</summary>
    public const string PreInvestigationDue = "pre.investigation-due";

    /// <summary>An investigation recorded after the eligibility screening needs a physician's review; screen again. Args: rule, detail.</summary>
    public const string PreInvestigationAbnormal = "pre.investigation-abnormal";

    /// <summary>No weight valid on the session date. Args: cause (<see cref="WeightNone"/> or <see cref="WeightOnlyImported"/>) and its arguments.</summary>
    public const string PreWeightMissing = "pre.weight-missing";

    /// <summary>The dosing weight is older than the protocol's window; weigh the patient again. Args: measured (date), age (days), window (days).</summary>
    public const string WeightStale = "dose.weight-stale";

    /// <summary>The checklist has no fasting time.</summary>
    public const string PreFastingMissing = "pre.fasting-missing";

    /// <summary>The fasting time is after now. Args: at.</summary>
    public const string PreFastingInFuture = "pre.fasting-in-future";

    /// <summary>The fast is shorter than the protocol's minimum (needs a physician's reason at the start). Args: hours, minimum (h).</summary>
    public const string PreFastingShort = "pre.fasting-short";

    /// <summary>No escort confirmed for the way home.</summary>
    public const string PreEscortNotConfirmed = "pre.escort-not-confirmed";

    /// <summary>The patient has not acknowledged not driving for 24 h.</summary>
    public const string PreNoDrivingNotAcknowledged = "pre.no-driving-not-acknowledged";

    /// <summary>The checklist does not say whether medications were started since the last session.</summary>
    public const string PreNewMedicationsNotAsked = "pre.new-medications-not-asked";

    /// <summary>A medication started since the last session interacts with ketamine. Args: rule, medication.</summary>
    public const string PreNewMedicationInteraction = "pre.new-medication-interaction";

    /// <summary>The protocol doses on ideal or adjusted weight but the chart has no height or sex. Args: rule.</summary>
    public const string DosingWeightUnavailable = "dose.dosing-weight-unavailable";

    // Pump program and second check

    /// <summary>No pump program recorded.</summary>
    public const string ProgramMissing = "program.missing";

    /// <summary>The program was computed for another dose. Args: programmed, planned.</summary>
    public const string ProgramDoseMismatch = "program.dose-mismatch";

    /// <summary>The program was computed for another weight. Args: programmed, session.</summary>
    public const string ProgramWeightMismatch = "program.weight-mismatch";

    /// <summary>The computed rate is below what the pump can deliver. Args: rate, increment.</summary>
    public const string ProgramRateRoundsToZero = "program.rate-rounds-to-zero";

    /// <summary>The program has not had its independent second check.</summary>
    public const string ProgramNotChecked = "program.not-checked";

    /// <summary>The checker is the programmer.</summary>
    public const string CheckSameUser = "check.same-user";

    /// <summary>The checker is not a registered, active user with a clinical role. Args: checker.</summary>
    public const string CheckCheckerNotEligible = "check.checker-not-eligible";

    /// <summary>The second check was already done. Args: by, at.</summary>
    public const string CheckAlreadyDone = "check.already-done";

    /// <summary>A value read on the pump or label differs from the program. Args: field, read, programmed (with unit).</summary>
    public const string CheckMismatch = "check.mismatch";

    // Dose check and authorisation

    /// <summary>The dose check was run for another rate, VTBI, weight or preparation.</summary>
    public const string DoseCheckStale = "dose.check-stale";

    /// <summary>A dose of zero or less. Args: field.</summary>
    public const string DoseNotPositive = "dose.not-positive";

    /// <summary>Prefix of the drug-library limit codes: "limit." + the limit id ("limit.rate-mg-kg-h", "limit.pk-peak"…). Args: value, limit.</summary>
    public const string LimitPrefix = "limit.";

    // Premedication and rescue orders

    /// <summary>The drug library does not allow the route for the drug. Args: drug, route.</summary>
    public const string OrderRoute = "order.route";

    /// <summary>The order names a drug the drug library does not hold. Args: drug.</summary>
    public const string OrderNotInLibrary = "order.not-in-library";

    /// <summary>Premedication after the start, or any order before the pre-assessment or after discharge. Args: purpose, state.</summary>
    public const string OrderState = "order.state";

    /// <summary>A sedative order for a patient on a sedative medication (needs a physician's reason). Args: drug, medication.</summary>
    public const string OrderSedativeInteraction = "order.sedative-interaction";

    /// <summary>A protocol order's dose is zero or less or above the drug library's hard per-dose limit. Args: field, value, max.</summary>
    public const string OrderDoseOutOfRange = "order.dose-out-of-range";

    /// <summary>A protocol order's maximum per session is below its dose or above the drug's hard session limit. Args: field, value, min, max.</summary>
    public const string OrderSessionMaxOutOfRange = "order.session-max-out-of-range";

    /// <summary>A protocol holds more orders than allowed. Args: value, max.</summary>
    public const string OrderTooMany = "order.too-many";

    /// <summary>A dose would take the session's total of the drug above the order's own maximum per session. Args: drug, value, max.</summary>
    public const string OrderSessionMaxExceeded = "order.session-max-exceeded";

    // Rates

    /// <summary>A rate outside what a pump can run. Args: value, min, max.</summary>
    public const string RateOutOfRange = "rate.out-of-range";

    /// <summary>A rate above the checked program's rate. Args: value, limit.</summary>
    public const string RateAboveProgram = "rate.above-program";

    // Vital signs (alerts and gating). Args: value, limit; severity hard stop or needs override.

    /// <summary>SpO₂ below the threshold.</summary>
    public const string VitalSpO2Low = "vital.spo2-low";

    /// <summary>Systolic BP above the threshold.</summary>
    public const string VitalSystolicHigh = "vital.systolic-high";

    /// <summary>Systolic BP below the threshold (hypotension).</summary>
    public const string VitalSystolicLow = "vital.systolic-low";

    /// <summary>Diastolic BP above the threshold.</summary>
    public const string VitalDiastolicHigh = "vital.diastolic-high";

    /// <summary>Heart rate above the threshold.</summary>
    public const string VitalHeartRateHigh = "vital.heart-rate-high";

    /// <summary>Heart rate below the threshold (bradycardia).</summary>
    public const string VitalHeartRateLow = "vital.heart-rate-low";

    /// <summary>Respiratory rate below the threshold (respiratory depression).</summary>
    public const string VitalRespiratoryRateLow = "vital.rr-low";

    /// <summary>Respiratory rate above the threshold.</summary>
    public const string VitalRespiratoryRateHigh = "vital.rr-high";

    /// <summary>RASS or MOAA/S at or below the deep-sedation threshold. Args also: scale.</summary>
    public const string VitalDeepSedation = "vital.deep-sedation";

    /// <summary>RASS at or above the agitation threshold (emergence reaction).</summary>
    public const string VitalAgitation = "vital.agitation";

    /// <summary>CADSS total above the dissociation threshold.</summary>
    public const string VitalCadssHigh = "vital.cadss-high";

    /// <summary>An observation with no value and no note.</summary>
    public const string ObservationEmpty = "observation.empty";

    /// <summary>Only one of systolic and diastolic blood pressure was given.</summary>
    public const string ObservationBloodPressurePair = "observation.blood-pressure-pair";

    /// <summary>Systolic blood pressure not above diastolic. Args: systolic, diastolic (mmHg).</summary>
    public const string ObservationBloodPressureOrder = "observation.blood-pressure-order";

    /// <summary>An Aldrete item outside 0–2. Args: item, value, min, max.</summary>
    public const string AldreteItemOutOfRange = "aldrete.item-out-of-range";

    /// <summary>An observation dated in the future or before the session's day. Args: earliest, latest.</summary>
    public const string ObservationTimeOutOfRange = "observation.time-out-of-range";

    // Gating of start and resume

    /// <summary>No complete vital-signs set within the window before starting or resuming. Args: window (min).</summary>
    public const string GateVitalsMissing = "gate.vitals-missing";

    /// <summary>Stop-level alerts not yet acknowledged block resume and rate increases. Args: count.</summary>
    public const string GateUnacknowledgedAlert = "gate.unacknowledged-alert";

    /// <summary>The alert to acknowledge does not exist or was acknowledged already. Args: alert.</summary>
    public const string AlertNotOpen = "alert.not-open";

    // Discharge

    /// <summary>The minimum observation time after the infusion has not passed. Args: elapsed, required (min), readyAt.</summary>
    public const string DischargeObservationTime = "discharge.observation-time";

    /// <summary>No complete vital-signs set recorded after the end of the infusion.</summary>
    public const string DischargeRecoveryVitalsMissing = "discharge.recovery-vitals-missing";

    /// <summary>The modified Aldrete total is below the discharge threshold. Args: total, threshold.</summary>
    public const string DischargeAldreteLow = "discharge.aldrete-low";

    /// <summary>No escort present.</summary>
    public const string DischargeEscortMissing = "discharge.escort-missing";

    /// <summary>The predicted effect-site concentration is above the discharge threshold. Args: value, limit (ng/mL), readyAt.</summary>
    public const string DischargeEffectSiteHigh = "discharge.effect-site-high";

    /// <summary>The prediction of the effect-site concentration could not run. Args: detail.</summary>
    public const string DischargePredictionUnavailable = "discharge.prediction-unavailable";

    // Dose accounting

    /// <summary>The volume the pump shows differs from the computed volume by more than the tolerance. Args: pump, computed, tolerance (mL).</summary>
    public const string PumpVolumeDifference = "dose.pump-volume-difference";

    /// <summary>The volume typed from the pump is outside the possible range. Args: value, max (mL).</summary>
    public const string PumpVolumeOutOfRange = "dose.pump-volume-out-of-range";

    // Prescription

    /// <summary>The first session's dose is above the protocol's start dose. Args: value, limit.</summary>
    public const string FirstSessionAboveStart = "plan.first-session-above-start";

    /// <summary>The start dose is above the protocol's ceiling. Args: value, limit.</summary>
    public const string StartAboveCeiling = "plan.start-above-ceiling";

    /// <summary>A condition id that names no active condition on the patient's chart. Args: field, id.</summary>
    public const string TreatmentConditionNotActive = "treatment.condition-not-active";

    /// <summary>The screening ran under another rule-set version than the one in force. Args: assessed, current (versions).</summary>
    public const string EligibilityRuleSetChanged = "eligibility.rule-set-changed";

    /// <summary>The screening is older than the clinic's validity window or after the session date. Args: assessed (ISO date), days.</summary>
    public const string EligibilityExpired = "eligibility.expired";

    /// <summary>The screening needs a physician review that approves treatment and has none.</summary>
    public const string EligibilityReviewNeeded = "eligibility.review-needed";

    /// <summary>The screening found the patient not eligible.</summary>
    public const string EligibilityNotEligible = "eligibility.not-eligible";

    /// <summary>A physician review of an assessment whose result needs none. Args: field, result (Eligible or NotEligible).</summary>
    public const string ReviewNotNeeded = "review.not-needed";

    /// <summary>A physician review without the physician's reasoning. Args: field.</summary>
    public const string ReviewReasonMissing = "review.reason-missing";

    /// <summary>An assessment already reviewed: a conflict with the stored state (the API answers 409). Args: field, id.</summary>
    public const string ReviewAlreadyDone = "review.already-done";

    /// <summary>Informed consent for off-label ketamine is not recorded before the plan starts. Args: field.</summary>
    public const string PlanConsentMissing = "plan.consent-missing";

    /// <summary>Soft-limit overrides recorded after the plan was prescribed. Args: field.</summary>
    public const string PlanOverridesNotAtPrescription = "plan.overrides-not-at-prescription";

    /// <summary>A soft-limit override without a reason. Args: field.</summary>
    public const string PlanOverrideReasonMissing = "plan.override-reason-missing";

    /// <summary>A change of the plan's next dose without a reason. Args: field.</summary>
    public const string PlanDoseChangeReasonMissing = "plan.dose-change-reason-missing";

    /// <summary>Closing a plan without a reason. Args: field.</summary>
    public const string PlanCloseReasonMissing = "plan.close-reason-missing";

    /// <summary>A dose change on a plan that is not active. Args: field, status (Completed, Discontinued, EnteredInError).</summary>
    public const string PlanNotActive = "plan.not-active";

    /// <summary>A plan's next dose above the protocol's ceiling or in another unit. Args: field, value, limit (doses).</summary>
    public const string PlanDoseAboveCeiling = "plan.dose-above-ceiling";

    /// <summary>A status change the plan does not allow (only an active plan closes, and never to active). Args: field, from, to.</summary>
    public const string PlanStatusChange = "plan.status-change";

    /// <summary>An override of the titration proposal without a reason. Args: field.</summary>
    public const string TitrationOverrideReasonMissing = "titration-override.reason-missing";

    /// <summary>An override of the titration proposal in another unit than the protocol's. Args: field, value, max (doses).</summary>
    public const string TitrationOverrideUnit = "titration-override.unit";

    /// <summary>An override of the titration proposal above the maximum (ceiling or hard limit; never overridable). Args: field, value, max.</summary>
    public const string TitrationOverrideAboveMaximum = "titration-override.above-maximum";

    /// <summary>The start dose is in another unit than the protocol's. Args: value, unit.</summary>
    public const string StartDoseUnit = "plan.start-dose-unit";

    // Titration advisor: the reasons of a proposal (severity info, source the protocol's titration rules)

    /// <summary>No session yet: the protocol's start dose. Args: dose.</summary>
    public const string TitrationFirstSession = "titration.first-session";

    /// <summary>Every session of the protocol is done. Args: done, total.</summary>
    public const string TitrationCourseComplete = "titration.course-complete";

    /// <summary>The last session had a serious adverse event.</summary>
    public const string TitrationSeriousAdverseEvent = "titration.serious-adverse-event";

    /// <summary>The last session's highest adverse-event grade. Args: grade.</summary>
    public const string TitrationAdverseEvent = "titration.adverse-event";

    /// <summary>The last session raised stop-level alerts. Args: count.</summary>
    public const string TitrationStopAlerts = "titration.stop-alerts";

    /// <summary>The last session raised pause-level alerts. Args: count.</summary>
    public const string TitrationPauseAlerts = "titration.pause-alerts";

    /// <summary>The last session's infusion was stopped early.</summary>
    public const string TitrationStoppedEarly = "titration.stopped-early";

    /// <summary>Stop the course; a physician reviews it.</summary>
    public const string TitrationStopCourse = "titration.stop-course";

    /// <summary>One step down. Args: dose.</summary>
    public const string TitrationStepDown = "titration.step-down";

    /// <summary>One step down would reach zero: stop the course. Args: dose.</summary>
    public const string TitrationNoLowerStep = "titration.no-lower-step";

    /// <summary>Hold the dose after a moderate adverse event or a pause alert. Args: dose.</summary>
    public const string TitrationHold = "titration.hold";

    /// <summary>Pain between sessions fell enough: hold at the minimum effective dose. Args: reduction, baseline, now, threshold (%).</summary>
    public const string TitrationHoldAtReduction = "titration.hold-at-reduction";

    /// <summary>Hold: the dose is already the maximum. Args: dose, max.</summary>
    public const string TitrationHoldAtMaximum = "titration.hold-at-maximum";

    /// <summary>Hold: the protocol has no step to go up or down by. Args: dose.</summary>
    public const string TitrationHoldNoStep = "titration.hold-no-step";

    /// <summary>Tolerated, relief below the hold threshold: one step up. Args: dose, max.</summary>
    public const string TitrationStepUp = "titration.step-up";

    // Why a plan's dose changed (the record of a dose change, next to any free-text reason)

    /// <summary>The titration proposal was accepted; its reasons follow.</summary>
    public const string PlanTitrationAccepted = "plan.titration-accepted";

    /// <summary>The titration proposal was overridden. Args: reason (the physician's words).</summary>
    public const string PlanTitrationOverridden = "plan.titration-overridden";

    /// <summary>The plan was prescribed above soft limits; one <see cref="PlanSoftLimitOverride"/> per limit follows.</summary>
    public const string PlanAboveSoftLimit = "plan.above-soft-limit";

    /// <summary>One soft limit overridden at prescription. Args: limit (id), reason (the physician's words).</summary>
    public const string PlanSoftLimitOverride = "plan.soft-limit-override";

    // Chart input limits

    /// <summary>A required chart text left empty. Args: field, max (characters).</summary>
    public const string ChartTextRequired = "chart.text-required";

    /// <summary>A chart text longer than its limit. Args: field, length, max (characters).</summary>
    public const string ChartTextTooLong = "chart.text-too-long";

    /// <summary>A chart text with an unpaired UTF-16 surrogate. Args: field, position.</summary>
    public const string ChartTextBrokenCharacter = "chart.text-broken-character";

    /// <summary>A one-line chart text with an invisible or control character. Args: field, character (U+XXXX), position.</summary>
    public const string ChartTextControlCharacter = "chart.text-control-character";

    /// <summary>A multi-line chart text with an invisible or control character other than a line break or tab. Args: field, character, position.</summary>
    public const string ChartTextControlCharacterMultiline = "chart.text-control-character-multiline";

    /// <summary>A chart date outside its window. Args: field, value, earliest, latest (ISO dates).</summary>
    public const string ChartDateOutOfRange = "chart.date-out-of-range";

    /// <summary>A chart number (lab value, QTc, questionnaire item) outside its accepted range. Args: field, value, min, max (with unit).</summary>
    public const string ChartNumberOutOfRange = "chart.number-out-of-range";

    /// <summary>A liver panel with no result.</summary>
    public const string ChartLiverPanelEmpty = "chart.liver-panel-empty";

    /// <summary>Text that is not an ICD-10-CM code. Args: field, text (as typed).</summary>
    public const string ChartIcd10Invalid = "chart.icd10-invalid";

    /// <summary>An amendment of a chart entry without a reason. Args: field.</summary>
    public const string ChartAmendReasonMissing = "chart.amend-reason-missing";

    /// <summary>Marking a chart entry entered-in-error without a reason. Args: field.</summary>
    public const string ChartEnteredInErrorReasonMissing = "chart.entered-in-error-reason-missing";

    /// <summary>A chart entry id that names no active entry (unknown, amended or entered-in-error). Args: field, id.</summary>
    public const string ChartEntryNotActive = "chart.entry-not-active";

    /// <summary>A correction of the demographics without a reason. Args: field.</summary>
    public const string PatientCorrectionReasonMissing = "patient.correction-reason-missing";

    /// <summary>"No known allergies" recorded beside an allergy that applies. Args: field, substance.</summary>
    public const string PatientAllergyContradictsNoKnownAllergies = "patient.allergy-contradicts-nka";

    /// <summary>A corrected record number that another patient already has. Args: field, mrn.</summary>
    public const string PatientRecordNumberOfAnother = "patient.record-number-of-another";

    /// <summary>A new patient's record number is already registered: a conflict with the stored state (the API answers 409). Args: field, mrn.</summary>
    public const string RecordNumberTaken = "conflict.record-number";

    /// <summary>
    /// Two saves raced past a uniqueness check and the database's unique index refused the second: a conflict with the
    /// stored state (the API answers 409). Args: what.
    /// </summary>
    public const string UniqueConflict = "conflict.unique";

    // Clinic settings and protocols

    /// <summary>An alert threshold outside its allowed range. Args: field, value, min, max.</summary>
    public const string SettingOutOfRange = "setting.out-of-range";

    /// <summary>A hard PK threshold outside its range (it may only be lowered). Args: value, min, max (ng/mL).</summary>
    public const string SettingHardPeakOutOfRange = "setting.hard-peak-out-of-range";

    /// <summary>A soft PK threshold outside the analgesia floor to the hard threshold. Args: value, min, max (ng/mL).</summary>
    public const string SettingSoftPeakOutOfRange = "setting.soft-peak-out-of-range";

    /// <summary>A protocol's number of sessions outside its range. Args: value, min, max.</summary>
    public const string ProtocolSessionsOutOfRange = "protocol.sessions-out-of-range";

    /// <summary>A clinic setting changed without a reason of 1 to max characters. Args: field, max.</summary>
    public const string SettingReasonRequired = "setting.reason-required";

    /// <summary>A protocol name that is empty or longer than max characters. Args: field, max.</summary>
    public const string ProtocolNameLength = "protocol.name-length";

    /// <summary>A protocol without a source or a labelled assumption. Args: field.</summary>
    public const string ProtocolSourcesMissing = "protocol.sources-missing";

    /// <summary>A protocol added or revised without a reason. Args: field.</summary>
    public const string ProtocolReasonMissing = "protocol.reason-missing";

    /// <summary>A protocol's interval between sessions outside its range. Args: value, min, max (days).</summary>
    public const string ProtocolIntervalOutOfRange = "protocol.interval-out-of-range";

    /// <summary>An infusion protocol's duration not above 0 or above a day. Args: value, max (minutes).</summary>
    public const string ProtocolDurationOutOfRange = "protocol.duration-out-of-range";

    /// <summary>A protocol's maximum rate not above 0. Args: value (mg/h).</summary>
    public const string ProtocolMaxRateOutOfRange = "protocol.max-rate-out-of-range";

    // Controlled-substance stock

    /// <summary>A lot past its expiry date may not be drawn. Args: lot, expiry (ISO date).</summary>
    public const string StockLotExpired = "stock.lot-expired";

    /// <summary>A quarantined or recalled lot may not be drawn or moved except back to the supplier. Args: lot, hold.</summary>
    public const string StockLotOnHold = "stock.lot-on-hold";

    /// <summary>Less on hand than the step takes; stock never goes below zero. Args: lot, onHand (mL), requested (mL).</summary>
    public const string StockInsufficient = "stock.insufficient";

    /// <summary>The witness or checker is the person doing the step. Args: field.</summary>
    public const string StockWitnessSamePerson = "stock.witness-same-person";

    /// <summary>The person doing or witnessing a stock step is not an active nurse or physician. Args: field, user.</summary>
    public const string StockUserNotEligible = "stock.user-not-eligible";

    /// <summary>The person doing or witnessing a register step is not an active nurse, physician or stock keeper. Args: field, user.</summary>
    public const string StockUserNotStaff = "stock.user-not-staff";

    /// <summary>A quantity outside its allowed range. Args: field, value, min, max (with units).</summary>
    public const string StockQuantityOutOfRange = "stock.quantity-out-of-range";

    /// <summary>A product strength other than 10, 50 or 100 mg/mL. Args: value (mg/mL).</summary>
    public const string StockStrengthUnsupported = "stock.strength-unsupported";

    /// <summary>A required text (name, lot number, supplier, reference, reason, method) is missing or longer than max. Args: field, max.</summary>
    public const string StockTextLength = "stock.text-length";

    /// <summary>A lot number received again with another expiry date. Args: lot, stored, given (ISO dates).</summary>
    public const string StockExpiryMismatch = "stock.expiry-mismatch";

    /// <summary>A transfer to the location it comes from. Args: location.</summary>
    public const string StockSameLocation = "stock.same-location";

    /// <summary>The session's state does not allow this stock step. Args: step, state.</summary>
    public const string StockSessionState = "stock.session-state";

    /// <summary>The session has no pump program to prepare for. Args: session.</summary>
    public const string StockNoProgram = "stock.no-program";

    /// <summary>The prepared concentration differs from the pump program's. Args: prepared, programmed (mg/mL).</summary>
    public const string StockConcentrationMismatch = "stock.concentration-mismatch";

    /// <summary>The preparation does not hold the drug drawn for the session (within 1 %). Args: prepared, drawn (mg).</summary>
    public const string StockPreparedNotDrawn = "stock.prepared-not-drawn";

    /// <summary>A session step that needs drug drawn, or a preparation, before it. Args: step.</summary>
    public const string StockStepMissing = "stock.step-missing";

    /// <summary>The session's step was already recorded. Args: step.</summary>
    public const string StockStepRecorded = "stock.step-recorded";

    /// <summary>The wasted volume is not the remainder (prepared − given). Args: stated, remainder (mL).</summary>
    public const string StockWasteMismatch = "stock.waste-mismatch";

    /// <summary>The discrepancy is already resolved. Args: discrepancy.</summary>
    public const string StockDiscrepancyResolved = "stock.discrepancy-resolved";

    /// <summary>
    /// The clinic requires a recorded preparation before an infusion starts, and the session has none. Args: session.
    /// </summary>
    public const string StockPreparationRequired = "stock.preparation-required";

    /// <summary>A recorded preparation's concentration is not the pump program's at the start. Args: prepared, programmed (mg/mL).</summary>
    public const string StockPreparationNotProgrammed = "stock.preparation-not-programmed";

    /// <summary>A register template that is not known. Args: value, allowed.</summary>
    public const string StockTemplateUnknown = "stock.template-unknown";

    // Simulation and TCI (what-if tools)

    /// <summary>A protocol dose typed without a number and a unit. Args: field, text (as typed).</summary>
    public const string ProtocolDoseFormat = "protocol.dose-format";

    /// <summary>A protocol dose in a unit that is not mg/kg/h, mg/kg or mg. Args: field, text (the unit as typed).</summary>
    public const string ProtocolDoseUnit = "protocol.dose-unit";

    /// <summary>A protocol dose above the plausible maximum. Args: field, value, max.</summary>
    public const string ProtocolDoseImplausible = "protocol.dose-implausible";

    /// <summary>A protocol whose start, step and ceiling differ in unit. Args: protocol (id).</summary>
    public const string ProtocolUnitsDiffer = "protocol.units-differ";

    /// <summary>A protocol whose start dose is not above 0. Args: protocol.</summary>
    public const string ProtocolStartNotPositive = "protocol.start-not-positive";

    /// <summary>A protocol whose start dose is above its ceiling. Args: protocol, value, limit (doses).</summary>
    public const string ProtocolStartAboveCeiling = "protocol.start-above-ceiling";

    /// <summary>A rate-based protocol without an infusion duration, or a single-dose protocol with one. Args: protocol.</summary>
    public const string ProtocolDurationMismatch = "protocol.duration-mismatch";

    /// <summary>A protocol's negative interval or no session. Args: protocol.</summary>
    public const string ProtocolCourseInvalid = "protocol.course-invalid";

    /// <summary>A protocol's minimum age, weight window or minimum fast outside its range. Args: field, value, min, max (with unit).</summary>
    public const string ProtocolValueOutOfRange = "protocol.value-out-of-range";

    /// <summary>A premedication or rescue order of a protocol with a dose not above 0. Args: field, drug, value (mg).</summary>
    public const string ProtocolOrderDoseNotPositive = "protocol.order-dose-not-positive";

    /// <summary>A protocol id the library does not hold, naming those it does. Args: field, id, known.</summary>
    public const string ProtocolNotInLibrary = "protocol.not-in-library";

    /// <summary>A protocol id that nothing is stored under. Args: field, id.</summary>
    public const string ProtocolUnknown = "protocol.unknown";

    /// <summary>A version the protocol does not have. Args: field, id, version.</summary>
    public const string ProtocolVersionUnknown = "protocol.version-unknown";

    /// <summary>A new protocol whose id exists: a conflict with the stored state (revise it instead). Args: field, id.</summary>
    public const string ProtocolExists = "protocol.exists";

    /// <summary>A revision of a protocol that is not stored (add it first). Args: field, id.</summary>
    public const string ProtocolReviseUnknown = "protocol.revise-unknown";

    /// <summary>A protocol id that is not 1 to 48 lower-case letters, digits or hyphens. Args: field, text (as typed).</summary>
    public const string ProtocolIdInvalid = "protocol.id-invalid";

    /// <summary>A protocol's start, step or ceiling in another unit than the ceiling's. Args: field, value (dose), unit.</summary>
    public const string ProtocolLevelUnit = "protocol.level-unit";

    /// <summary>A protocol's start, step or ceiling not above 0 (a step may be 0). Args: field, value, low ("greater than 0" or "at least 0"), unit.</summary>
    public const string ProtocolLevelOutOfRange = "protocol.level-out-of-range";

    /// <summary>A protocol's start, step or ceiling outside 0 to the drug library's hard limit. Args: field, value, low, max, source.</summary>
    public const string ProtocolLevelAboveHardLimit = "protocol.level-above-hard-limit";

    /// <summary>A preparation id the drug library does not hold, naming those it does. Args: field, id, known.</summary>
    public const string PreparationNotInLibrary = "preparation.not-in-library";

    /// <summary>A preparation given IV that must be diluted first (Ketalar label). Args: field, preparation (id).</summary>
    public const string PreparationNeedsDilution = "preparation.needs-dilution";

    /// <summary>A number outside its allowed range. Args: field, value, min, max (with units where the text writes them).</summary>
    public const string InputOutOfRange = "input.out-of-range";

    /// <summary>A pump program for a single dose; a program needs a rate in mg/kg/h. Args: field, value (dose).</summary>
    public const string ProgramNeedsRate = "program.needs-rate";

    /// <summary>An audit search whose start is not before its end. Args: field.</summary>
    public const string AuditDatesOrder = "audit.dates-order";

    /// <summary>An audit search for a patient no id or record number matches. Args: field, text (as typed).</summary>
    public const string AuditPatientUnknown = "audit.patient-unknown";

    /// <summary>An audit search for a user no id, user name or display name matches. Args: field, text (as typed).</summary>
    public const string AuditUserUnknown = "audit.user-unknown";

    /// <summary>No predicted relief: the patient has no baseline pain score or no plan. Args: field.</summary>
    public const string OutcomePredictionUnavailable = "outcome.prediction-unavailable";

    /// <summary>A BPI short form without exactly seven interference items. Args: field, count, required.</summary>
    public const string OutcomeBpiItemCount = "outcome.bpi-item-count";

    /// <summary>A relief prediction before any drug was given. Args: field.</summary>
    public const string OutcomeNoDrugGiven = "outcome.no-drug-given";

    /// <summary>A relief prediction with no pain score after the first dose. Args: field.</summary>
    public const string OutcomeNoScoresAfterDose = "outcome.no-scores-after-dose";

    /// <summary>An exposure–response fit with too few pairs or fewer than three distinct exposures. Args: field, count, required.</summary>
    public const string AnalyticsTooFewPoints = "analytics.too-few-points";

    /// <summary>An exposure–response fit the data do not determine (non-finite or negative values, no rise or no plateau). Args: field.</summary>
    public const string AnalyticsFitFailed = "analytics.fit-failed";

    /// <summary>An analytics filter date that is not yyyy-MM-dd. Args: field, text (as typed).</summary>
    public const string AnalyticsFilterDate = "analytics.filter-date";

    /// <summary>An analytics filter value that is none of the names the field accepts. Args: field, text (as typed), allowed.</summary>
    public const string AnalyticsFilterChoice = "analytics.filter-choice";

    /// <summary>An analytics filter whose last date is before its first. Args: field, from.</summary>
    public const string AnalyticsFilterDatesOrder = "analytics.filter-dates-order";

    /// <summary>
    /// The identified view of the analytics asked for by someone who is not an active physician (identifying the courses
    /// is for following up one's patients; administrators see the analytics de-identified). Args: field, role.
    /// </summary>
    public const string AnalyticsIdentifyNotPermitted = "analytics.identify-not-permitted";

    /// <summary>No individualised rate: the protocol is not an infusion dosed in mg/kg/h. Args: protocol.</summary>
    public const string IndividualNotInfusion = "individual.not-infusion";

    /// <summary>No individual estimate yet: no CADSS score was recorded after a dose. Args: field.</summary>
    public const string IndividualNoObservations = "individual.no-observations";

    /// <summary>A CTCAE grade 5 event (death) whose outcome is not fatal or that is not serious. Args: field.</summary>
    public const string AdverseEventGrade5NotFatal = "adverse-event.grade5-not-fatal";

    /// <summary>A fatal outcome recorded with a CTCAE grade other than 5. Args: field.</summary>
    public const string AdverseEventFatalNotGrade5 = "adverse-event.fatal-not-grade5";

    /// <summary>An observation time not given in UTC. Args: field.</summary>
    public const string ObservationTimeNotUtc = "observation.time-not-utc";

    /// <summary>The only weight on or before the date is imported history, never a dosing weight. Args: field, date, measured (ISO dates).</summary>
    public const string WeightOnlyImported = "weight.only-imported";

    /// <summary>No weight recorded on or before the date. Args: field, date (ISO date).</summary>
    public const string WeightNone = "weight.none";

    /// <summary>An idle timeout longer than the absolute timeout. Args: field, value (minutes), limit (hours).</summary>
    public const string SettingIdleAboveAbsolute = "setting.idle-above-absolute";

    /// <summary>Demo data asked for on a database that holds real patients. Args: field, count.</summary>
    public const string SeedDatabaseNotEmpty = "seed.database-not-empty";

    /// <summary>A backup file that exists already. Args: field, text (the path).</summary>
    public const string BackupTargetExists = "backup.target-exists";

    /// <summary>No SQLite database to back up. Args: field, text (the path).</summary>
    public const string BackupNoDatabase = "backup.no-database";

    /// <summary>pg_dump is not on the PATH. Args: field.</summary>
    public const string BackupPgDumpMissing = "backup.pg-dump-missing";

    /// <summary>pg_dump failed. Args: field, code (exit code), text (its message, as it wrote it).</summary>
    public const string BackupPgDumpFailed = "backup.pg-dump-failed";

    /// <summary>A display name that is empty or longer than max characters. Args: field, max.</summary>
    public const string UserDisplayNameLength = "user.display-name-length";

    /// <summary>An administrator removing their own Admin role. Args: field.</summary>
    public const string UserOwnAdminRole = "user.own-admin-role";

    /// <summary>Removing the Admin role of the last administrator who can sign in. Args: field, user.</summary>
    public const string UserLastAdminRole = "user.last-admin-role";

    /// <summary>A user locking their own account. Args: field.</summary>
    public const string UserLockOwn = "user.lock-own";

    /// <summary>Locking the last administrator who can sign in. Args: field, user.</summary>
    public const string UserLockLastAdmin = "user.lock-last-admin";

    /// <summary>No password given. Args: field, min (characters).</summary>
    public const string UserPasswordRequired = "user.password-required";

    /// <summary>An account without a role. Args: field, roles (those to choose from).</summary>
    public const string UserRolesEmpty = "user.roles-empty";

    /// <summary>A role that does not exist. Args: field, text (as given), roles.</summary>
    public const string UserRoleUnknown = "user.role-unknown";

    /// <summary>An account id that names no account. Args: field, id.</summary>
    public const string UserUnknown = "user.unknown";

    /// <summary>The identity store refused a user name, password or change. Args: field, rule (its error code), text (its description).</summary>
    public const string UserIdentityRefused = "user.identity-refused";

    /// <summary>The engine refused without a code of its own (a simulation that cannot run). Args: text (the engine's sentence).</summary>
    public const string EngineRefused = "engine.refused";

    /// <summary>An imported blood pressure without its diastolic. Args: field.</summary>
    public const string ImportedVitalDiastolicMissing = "import.vital-diastolic-missing";

    /// <summary>An imported diastolic not below its systolic. Args: field, value, systolic (mm[Hg]).</summary>
    public const string ImportedVitalDiastolicNotBelow = "import.vital-diastolic-not-below";

    /// <summary>A diastolic sent with a vital sign that is not a blood pressure. Args: field, kind.</summary>
    public const string ImportedVitalDiastolicNotAllowed = "import.vital-diastolic-not-allowed";

    /// <summary>A simulated dose is above a clinical hard limit of the drug library. Args: value, limit, what.</summary>
    public const string SimulationAboveLimit = "simulation.above-limit";

    /// <summary>A TCI schedule needed a rate above the hard limit; the rate was capped. Args: limit (mg/kg/h), needed.</summary>
    public const string TciRateCapped = "tci.rate-capped";

    // Patient portal

    /// <summary>A side effect the patient reported as severe. Args: kind (token), severity (token).</summary>
    public const string PortalSevereSideEffect = "portal.severe-side-effect";

    /// <summary>The patient reported a urinary symptom. Args: severity (token).</summary>
    public const string PortalUrinarySymptom = "portal.urinary-symptom";

    /// <summary>A diary pain score back at or above the clinic's share of the baseline. Args: nrs, baseline, percent (%).</summary>
    public const string PortalPainReturned = "portal.pain-returned";

    /// <summary>The patient's checklist on the session day says not fasted. Args: date.</summary>
    public const string PortalNotFasted = "portal.not-fasted";

    /// <summary>The patient's checklist says no escort home. Args: date.</summary>
    public const string PortalNoEscort = "portal.no-escort";

    /// <summary>The patient's checklist says possibly pregnant. Args: date.</summary>
    public const string PortalPossiblyPregnant = "portal.possibly-pregnant";

    /// <summary>The patient's checklist names new medications. Args: date, text.</summary>
    public const string PortalNewMedications = "portal.new-medications";

    /// <summary>No pre-visit checklist from the patient by the clinic's hour on the session day. Args: date, hour.</summary>
    public const string PortalChecklistMissing = "portal.checklist-missing";

    /// <summary>The signed-in account is not a patient account linked to a patient.</summary>
    public const string PortalNotLinked = "portal.not-linked";

    /// <summary>An invitation link that is unknown, used or expired.</summary>
    public const string PortalInvitationInvalid = "portal.invitation-invalid";

    /// <summary>A session that is not the patient's own, or not booked ahead. Args: field.</summary>
    public const string PortalSessionNotOwn = "portal.session-not-own";

    /// <summary>A task step that is not allowed from the task's state. Args: from, to.</summary>
    public const string PortalTaskState = "portal.task-state";

    /// <summary>The pre-visit checklist's pregnancy question applies to the patient and was not answered. Args: field.</summary>
    public const string PortalPregnancyRequired = "portal.pregnancy-required";

    /// <summary>A pregnancy answer to a pre-visit checklist whose pregnancy question does not apply to the patient. Args: field.</summary>
    public const string PortalPregnancyNotAsked = "portal.pregnancy-not-asked";

    /// <summary>A re-invitation that resets the second factor, for a patient whose portal account is not in use yet. Args: field.</summary>
    public const string PortalAccountNotInUse = "portal.account-not-in-use";

    /// <summary>Every code declared here (constants of this class, excluding the <see cref="LimitPrefix"/>).</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(FindingCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.Name != nameof(LimitPrefix))
        .Select(f => (string)f.GetRawConstantValue()!)];
}
