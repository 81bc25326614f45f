using System.Globalization;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;

namespace KetaCare.Clinic.Eligibility;

/// <summary>What a rule concluded.</summary>
public enum FindingLevel
{
    /// <summary>The criterion is met.</summary>
    Pass,

    /// <summary>Allowed, with something the team must know or do (e.g. a test before the first infusion).</summary>
    Warning,

    /// <summary>A physician must review before treatment.</summary>
    Review,

    /// <summary>Not eligible.</summary>
    Exclude,
}

/// <summary>Result of a screening.</summary>
public enum EligibilityResult
{
    /// <summary>No exclusion and nothing to review (warnings may remain).</summary>
    Eligible,

    /// <summary>At least one exclusion.</summary>
    NotEligible,

    /// <summary>No exclusion, at least one finding a physician must review.</summary>
    NeedsPhysicianReview,
}

/// <summary>Tests needed before the first infusion (clinical-reference: Consensus guideline, tests before the first infusion (cohen2018)).</summary>
public enum RequiredTest
{
    /// <summary>ECG, with cardiovascular risk.</summary>
    Ecg,

    /// <summary>Baseline and follow-up liver tests, with liver risk or frequent/high-dose infusions.</summary>
    LiverFunctionTests,

    /// <summary>Pregnancy test before each session, when of childbearing potential.</summary>
    PregnancyTest,
}

/// <summary>One rule's conclusion, with its reason and source.</summary>
/// <param name="RuleId">Stable rule id, e.g. "pain-duration".</param>
/// <param name="Level">What the rule concluded.</param>
/// <param name="Message">Why, in words a clinician can check.</param>
/// <param name="Source">Where the rule comes from.</param>
public sealed record RuleFinding(string RuleId, FindingLevel Level, string Message, Source Source);

/// <summary>
/// Settings of the eligibility rule set. Every value is either from the clinical reference (cited) or a labelled
/// assumption a clinic may change; changing one should go with a new <see cref="Version"/>.
/// </summary>
public sealed record EligibilitySettings
{
    /// <summary>The default settings of rule set "eligibility-2026.1".</summary>
    public static EligibilitySettings Default { get; } = new();

    /// <summary>Rule-set version recorded on each assessment.</summary>
    public string Version { get; init; } = "eligibility-2026.1";

    /// <summary>
    /// The youngest age, whole years, for a protocol that does not set its own (<see cref="Protocol.MinimumAgeYears"/>).
    /// Assumption: 18; the guideline and the regimens it rests on studied adults.
    /// </summary>
    public int MinimumAgeYears { get; init; } = 18;

    /// <summary>Source of the age rule.</summary>
    public static Source AgeSource { get; } = Source.Assumption("adults (18 years) unless the protocol sets a lower age: the consensus guideline and the regimens it draws on studied adults; clinic-configurable");

    /// <summary>Source of the breastfeeding rule: no source of the clinical reference gives one, so a physician decides.</summary>
    public static Source BreastfeedingSource { get; } = Source.Assumption("breastfeeding: no rule in the clinical reference's sources; physician review before treatment; clinic-configurable");

    /// <summary>Source of the hyperthyroidism rule (the Swiss product information).</summary>
    public static Source HyperthyroidismSource { get; } = new("clinical-reference: Product label (ketamine-ch)", "Ketalar, Swiss product information: untreated or insufficiently treated hyperthyroidism is a contraindication", Pharmacology.Models.Certainty.Primary);

    /// <summary>Source of the uropathy rule: the label's lower urinary tract findings with chronic use; excluding on them is the clinic's rule.</summary>
    public static Source UropathySource { get; } = new("clinical-reference: Adverse effects (ketalar-label)", "Ketalar label: lower urinary tract symptoms with chronic use; excluding a patient with current ketamine uropathy and reviewing a past one is an assumption", Pharmacology.Models.Certainty.Assumption);

    /// <summary>Minimum pain duration, months (the clinic requirements: chronic pain "over 3 months"; exactly 3 months passes).</summary>
    public int MinimumPainMonths { get; init; } = 3;

    /// <summary>
    /// Minimum number of earlier treatments tried and failed (ineffective, not tolerated or partial). Assumption:
    /// 1; neither the clinic requirements nor a published source says how many first-line treatments must have failed.
    /// </summary>
    public int MinimumFailedTreatments { get; init; } = 1;

    /// <summary>Treatment classes that count as first-line. Assumption: all pharmacological and non-pharmacological classes.</summary>
    public IReadOnlySet<TreatmentClass> FirstLineClasses { get; init; } = Enum.GetValues<TreatmentClass>().ToHashSet();

    /// <summary>
    /// Sessions this many days apart or closer count as "frequent" for liver tests (Cohen 2018 names frequent
    /// infusions without a number). Assumption: 1 day (daily courses such as Schwartzman 2009, Rema 2012).
    /// </summary>
    public int FrequentIntervalDays { get; init; } = 1;

    /// <summary>
    /// A protocol ceiling at or above this weight-normalised rate counts as "high-dose" for liver tests. Assumption:
    /// 2 mg/kg/h, the top of Cohen 2018's 0.5–2 mg/kg/h infusion range.
    /// </summary>
    public double HighDoseMgPerKgPerHour { get; init; } = 2.0;

    /// <summary>Source of the pain-duration criterion.</summary>
    public static Source PainDurationSource { get; } = new("clinical-reference: Clinic requirements (clinic-requirements)", "Clinic criteria: chronic pain over 3 months, first-line treatments failed; no published source checked", Pharmacology.Models.Certainty.Unverified);

    /// <summary>Source of the rule that allergies are recorded before treatment: an assumption (what a chart is expected to hold before a drug is given).</summary>
    public static Source AllergyStatusSource { get; } = Source.Assumption("allergies, or an explicit dated \"no known allergies\", are recorded before the first infusion; clinic-configurable");

    /// <summary>Source of the MAOI rule: named by the clinic requirements; no published source.</summary>
    public static Source MaoiSource { get; } = new("clinical-reference: Clinic requirements (clinic-requirements)", "Interaction named by the clinic's requirements; no source checked", Pharmacology.Models.Certainty.Unverified);
}

/// <summary>
/// The eligibility rule set: a pure function of a patient snapshot, the condition to treat, a date and
/// (optionally) the intended protocol. Deterministic; every finding cites its source.
/// </summary>
public static class EligibilityRules
{
    /// <summary>Runs every rule and combines the findings.</summary>
    /// <param name="patient">The patient snapshot.</param>
    /// <param name="conditionId">The condition to treat (an active condition entry).</param>
    /// <param name="asOf">The screening date.</param>
    /// <param name="intendedProtocol">The protocol intended, if chosen (frequent or high-dose courses need liver tests).</param>
    /// <param name="settings">Rule-set settings; <see cref="EligibilitySettings.Default"/> when null.</param>
    public static EligibilityEvaluation Evaluate(PatientSnapshot patient, EntryId conditionId, DateOnly asOf, Protocol? intendedProtocol = null, EligibilitySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        settings ??= EligibilitySettings.Default;
        var findings = new List<RuleFinding>();
        var tests = new SortedSet<RequiredTest>();
        var condition = patient.Conditions.Where(c => c.Id == conditionId).Select(c => c.Condition).FirstOrDefault();
        if (condition is null)
        {
            findings.Add(new RuleFinding("condition", FindingLevel.Exclude, $"condition {conditionId}: no active condition with this id.", IndicationCatalogue.CodeSource));
        }
        else
        {
            PainDuration(condition, asOf, settings, findings);
            IndicationRule(condition, findings);
        }

        Age(patient, asOf, intendedProtocol, settings, findings);
        FailedTreatments(patient, settings, findings);
        Contraindications(patient, findings, tests);
        Allergies(patient, findings);
        Pregnancy(patient, findings, tests);
        Interactions(patient, findings);
        DoseIntensity(intendedProtocol, settings, findings, tests);
        if (!patient.HasValidOffLabelConsent(asOf))
        {
            findings.Add(new RuleFinding("consent", FindingLevel.Warning, "No valid informed consent for off-label use yet; it is required before a plan starts (FDA approval is as an anaesthetic only).", new Source("clinical-reference: Regulatory status (ketalar-label)", "Ketalar FDA approval 1970, anaesthetic only", Pharmacology.Models.Certainty.Primary)));
        }

        var result = findings.Any(f => f.Level == FindingLevel.Exclude) ? EligibilityResult.NotEligible
            : findings.Any(f => f.Level == FindingLevel.Review) ? EligibilityResult.NeedsPhysicianReview
            : EligibilityResult.Eligible;
        return new EligibilityEvaluation(result, findings, [.. tests], settings.Version);
    }

    /// <summary>Whole months from <paramref name="onset"/> to <paramref name="asOf"/> (a month is complete on the same day of the month, or the month's last day).</summary>
    public static int WholeMonths(DateOnly onset, DateOnly asOf)
    {
        var months = ((asOf.Year - onset.Year) * 12) + asOf.Month - onset.Month;
        if (months > 0 && onset.AddMonths(months) > asOf)
        {
            months--;
        }

        return Math.Max(0, months);
    }

    private static void PainDuration(Condition condition, DateOnly asOf, EligibilitySettings s, List<RuleFinding> findings)
    {
        var months = WholeMonths(condition.Onset, asOf);
        var passes = condition.Onset.AddMonths(s.MinimumPainMonths) <= asOf;
        var text = string.Create(CultureInfo.InvariantCulture, $"Pain since {condition.Onset:yyyy-MM-dd}: {months} whole month(s) on {asOf:yyyy-MM-dd}; at least {s.MinimumPainMonths} required.");
        findings.Add(new RuleFinding("pain-duration", passes ? FindingLevel.Pass : FindingLevel.Exclude, text, EligibilitySettings.PainDurationSource));
    }

    private static void IndicationRule(Condition condition, List<RuleFinding> findings)
    {
        if (IndicationCatalogue.IndicationOf(condition) is not { } indication)
        {
            findings.Add(new RuleFinding("indication", FindingLevel.Review, $"{condition.Code}: no evidence grade is known for this code; a physician must judge the indication.", IndicationCatalogue.CodeSource));
            return;
        }

        var grade = IndicationCatalogue.GradeOf(indication);
        var (level, text) = grade switch
        {
            EvidenceGrade.B => (FindingLevel.Pass, $"{condition.Code} {indication}: moderate evidence (Grade B, benefit up to 12 weeks)."),
            EvidenceGrade.C => (FindingLevel.Warning, $"{condition.Code} {indication}: weak evidence (Grade C); discuss the expected benefit."),
            _ => (FindingLevel.Warning, $"{condition.Code} {indication}: weak or no evidence (Grade D); allowed, but the expected benefit is uncertain and must be discussed."),
        };
        findings.Add(new RuleFinding("indication", level, text, Source.Cohen2018));
    }

    private static void Age(PatientSnapshot p, DateOnly asOf, Protocol? protocol, EligibilitySettings s, List<RuleFinding> findings)
    {
        var minimum = protocol?.MinimumAgeYears ?? s.MinimumAgeYears;
        var age = p.Demographics.AgeOn(asOf);
        if (age < minimum)
        {
            findings.Add(new("age", FindingLevel.Exclude, string.Create(CultureInfo.InvariantCulture, $"Age {age} on {asOf:yyyy-MM-dd}; at least {minimum} required{(protocol?.MinimumAgeYears is null ? string.Empty : $" by {protocol.Name}")}."), EligibilitySettings.AgeSource));
        }
    }

    private static void FailedTreatments(PatientSnapshot p, EligibilitySettings s, List<RuleFinding> findings)
    {
        var failed = p.PriorTreatments.Where(t => s.FirstLineClasses.Contains(t.Class)).ToList();
        var text = string.Create(CultureInfo.InvariantCulture, $"{failed.Count} first-line treatment(s) tried and failed ({string.Join(", ", failed.Select(t => $"{t.Drug}: {t.Outcome}"))}); at least {s.MinimumFailedTreatments} required.");
        findings.Add(new RuleFinding(
            "first-line-failed",
            failed.Count >= s.MinimumFailedTreatments ? FindingLevel.Pass : FindingLevel.Review,
            failed.Count >= s.MinimumFailedTreatments ? text : text + " A physician must confirm that first-line options were tried.",
            EligibilitySettings.PainDurationSource));
    }

    private static void Contraindications(PatientSnapshot p, List<RuleFinding> findings, SortedSet<RequiredTest> tests)
    {
        var label = Source.KetalarLabel;
        var cohen = Source.Cohen2018;
        foreach (var f in p.Findings)
        {
            switch (f.Kind)
            {
                case FindingKind.CardiovascularDisease when f.IsActive:
                    findings.Add(new("cardiovascular", FindingLevel.Exclude, "Poorly controlled cardiovascular disease: do not use (Grade B).", cohen));
                    break;
                case FindingKind.Hypertension when f.IsActive:
                    findings.Add(new("hypertension", FindingLevel.Exclude, "Uncontrolled hypertension: contraindicated where a rise in blood pressure would be a serious hazard.", label));
                    break;
                case FindingKind.CardiovascularDisease or FindingKind.Hypertension or FindingKind.CardiovascularRisk:
                    tests.Add(RequiredTest.Ecg);
                    findings.Add(new("cardiovascular-risk", FindingLevel.Warning, $"{f.Kind} (controlled): ECG before the first infusion.", cohen));
                    break;
                case FindingKind.Psychosis when f.IsActive:
                    findings.Add(new("psychosis", FindingLevel.Exclude, "Active psychosis: avoid (Grade B).", cohen));
                    break;
                case FindingKind.Psychosis:
                    findings.Add(new("psychosis", FindingLevel.Review, "History of psychosis: Cohen 2018 advises avoiding ketamine in active psychosis; a physician must judge a past episode.", cohen));
                    break;
                case FindingKind.HepaticDisease when f.Severity == Severity.Severe:
                    findings.Add(new("hepatic", FindingLevel.Exclude, "Severe hepatic disease: avoid (Grade C).", cohen));
                    break;
                case FindingKind.HepaticDisease when f.Severity == Severity.Moderate:
                    tests.Add(RequiredTest.LiverFunctionTests);
                    findings.Add(new("hepatic", FindingLevel.Warning, "Moderate hepatic disease: use with caution and monitoring (Grade C); baseline and follow-up liver tests.", cohen));
                    break;
                case FindingKind.HepaticDisease:
                    tests.Add(RequiredTest.LiverFunctionTests);
                    findings.Add(new("hepatic", FindingLevel.Warning, "Mild hepatic disease (liver risk): baseline and follow-up liver tests.", cohen));
                    break;
                case FindingKind.RaisedIntracranialPressure or FindingKind.RaisedIntraocularPressure when f.IsActive:
                    findings.Add(new("raised-pressure", FindingLevel.Review, string.Create(CultureInfo.InvariantCulture, $"{f.Kind}: do not use, or low dose with extreme caution (Grade C); physician decision. If approved, every dose is capped low: infusions at {Dosing.DoseLimits.RaisedPressureInfusionCap.Value} mg/kg/h, single doses at the protocol's start dose."), cohen));
                    break;
                case FindingKind.RaisedIntracranialPressure or FindingKind.RaisedIntraocularPressure:
                    findings.Add(new("raised-pressure", FindingLevel.Review, $"{f.Kind} (past): do not use, or low dose with extreme caution (Grade C); physician decision.", cohen));
                    break;
                case FindingKind.Breastfeeding when f.IsActive:
                    findings.Add(new("breastfeeding", FindingLevel.Review, "Breastfeeding: a physician must weigh treatment during lactation.", EligibilitySettings.BreastfeedingSource));
                    break;
                case FindingKind.Hyperthyroidism when f.IsActive:
                    findings.Add(new("hyperthyroidism", FindingLevel.Exclude, "Untreated or uncontrolled hyperthyroidism: contraindicated.", EligibilitySettings.HyperthyroidismSource));
                    break;
                case FindingKind.Hyperthyroidism:
                    findings.Add(new("hyperthyroidism", FindingLevel.Warning, "Treated hyperthyroidism: check that it is controlled before each course.", EligibilitySettings.HyperthyroidismSource));
                    break;
                case FindingKind.KetamineUropathy when f.IsActive:
                    findings.Add(new("uropathy", FindingLevel.Exclude, "Current ketamine-associated uropathy: no further ketamine.", EligibilitySettings.UropathySource));
                    break;
                case FindingKind.KetamineUropathy:
                    findings.Add(new("uropathy", FindingLevel.Review, "Past ketamine-associated uropathy: a physician must judge the risk of further courses.", EligibilitySettings.UropathySource));
                    break;
                case FindingKind.SubstanceAbuse when f.IsActive:
                    findings.Add(new("substance-abuse", FindingLevel.Exclude, "Active substance abuse: no serial infusions (Grade C).", cohen));
                    break;
                case FindingKind.SubstanceAbuse:
                    findings.Add(new("substance-abuse", FindingLevel.Warning, "History of substance abuse: vigilance for diversion (ASA statement 2023).", new Source("clinical-reference: ASA statement (asa2023-statement)", "ASA statement on ketamine for chronic pain, 2023", Pharmacology.Models.Certainty.Primary)));
                    break;
                case FindingKind.KetamineHypersensitivity:
                    findings.Add(new("hypersensitivity", FindingLevel.Exclude, "Hypersensitivity to ketamine: contraindicated.", label));
                    break;
            }
        }
    }

    private static void Allergies(PatientSnapshot p, List<RuleFinding> findings)
    {
        if (p.KetamineAllergy is { } a)
        {
            findings.Add(new("allergy-ketamine", FindingLevel.Exclude, $"Allergy to {a.Substance.Display} ({a.Verification.ToString().ToLowerInvariant()}): hypersensitivity to ketamine or an excipient is a contraindication.", Source.KetaminePreparationAllergy));
        }
        else if (p.AllergyState == AllergyState.NotRecorded)
        {
            findings.Add(new("allergy-status", FindingLevel.Warning, "Allergies not recorded: record them, or a dated \"no known allergies\", before the first infusion.", EligibilitySettings.AllergyStatusSource));
        }
    }

    private static void Pregnancy(PatientSnapshot p, List<RuleFinding> findings, SortedSet<RequiredTest> tests)
    {
        if (p.Pregnancy?.State == PregnancyState.Pregnant)
        {
            findings.Add(new("pregnancy", FindingLevel.Exclude, "Pregnancy: avoid (Grade B).", Source.Cohen2018));
            return;
        }

        if (p.PregnancyTestApplicable)
        {
            tests.Add(RequiredTest.PregnancyTest);
            findings.Add(new("pregnancy", FindingLevel.Warning, p.Pregnancy is null || p.Pregnancy.State == PregnancyState.Unknown
                ? "Pregnancy status unknown: pregnancy test before each session (pregnancy: avoid, Grade B)."
                : "Of childbearing potential: pregnancy test before each session (pregnancy: avoid, Grade B).", Source.Cohen2018));
        }
    }

    private static void Interactions(PatientSnapshot p, List<RuleFinding> findings)
    {
        var label = Source.KetalarLabel;
        var interactions = new Source("clinical-reference: Interactions (interaction-studies)", "Interaction studies: clarithromycin 2.6×, ticlopidine 2.4×, rifampicin −86 % oral / −14 % IV, lamotrigine", Pharmacology.Models.Certainty.Primary);
        foreach (var m in p.Medications)
        {
            var c = m.Interactions;
            if (c.HasFlag(InteractionClass.TheophyllineOrAminophylline))
            {
                findings.Add(new("interaction-theophylline", FindingLevel.Review, $"{m.Name}: theophylline/aminophylline with ketamine lowers the seizure threshold.", label));
            }

            if (c.HasFlag(InteractionClass.Sympathomimetic))
            {
                findings.Add(new("interaction-sympathomimetic", FindingLevel.Review, $"{m.Name}: sympathomimetics/vasopressin add to ketamine's blood-pressure rise.", label));
            }

            if (c.HasFlag(InteractionClass.MonoamineOxidaseInhibitor))
            {
                findings.Add(new("interaction-maoi", FindingLevel.Review, $"{m.Name}: MAO inhibitor; the clinic requires physician review (no published source).", EligibilitySettings.MaoiSource));
            }

            if (c.HasFlag(InteractionClass.Cyp3A4Inhibitor))
            {
                findings.Add(new("interaction-cyp3a4-inhibitor", FindingLevel.Warning, $"{m.Name}: CYP3A4 inhibitor raises ketamine exposure (clarithromycin: oral S-ketamine AUC 2.6×); expect stronger effects.", interactions));
            }

            if (c.HasFlag(InteractionClass.Cyp2B6Inhibitor))
            {
                findings.Add(new("interaction-cyp2b6-inhibitor", FindingLevel.Warning, $"{m.Name}: CYP2B6 inhibitor raises ketamine exposure (ticlopidine: oral AUC 2.4×).", interactions));
            }

            if (c.HasFlag(InteractionClass.CypInducer))
            {
                findings.Add(new("interaction-cyp-inducer", FindingLevel.Warning, $"{m.Name}: CYP inducer lowers ketamine exposure (rifampicin: oral AUC −86 %, IV −14 %).", interactions));
            }

            if (c.HasFlag(InteractionClass.Benzodiazepine))
            {
                findings.Add(new("interaction-benzodiazepine", FindingLevel.Warning, $"{m.Name}: benzodiazepines add sedation, reduce psychomimetic effects and prolong ketamine's half-life.", label));
            }

            if (c.HasFlag(InteractionClass.Lamotrigine))
            {
                findings.Add(new("interaction-lamotrigine", FindingLevel.Warning, $"{m.Name}: lamotrigine reduces ketamine's dissociative effects.", interactions));
            }

            if (c.HasFlag(InteractionClass.CnsDepressant))
            {
                findings.Add(new("interaction-cns-depressant", FindingLevel.Warning, $"{m.Name}: opioids and other CNS depressants add sedation and respiratory depression.", label));
            }
        }
    }

    private static void DoseIntensity(Protocol? protocol, EligibilitySettings s, List<RuleFinding> findings, SortedSet<RequiredTest> tests)
    {
        if (protocol is null)
        {
            return;
        }

        var frequent = protocol.IntervalDays <= s.FrequentIntervalDays;
        var high = protocol.Ceiling.Basis == DoseBasis.MgPerKgPerHour && protocol.Ceiling.Value >= s.HighDoseMgPerKgPerHour;
        if (frequent || high)
        {
            tests.Add(RequiredTest.LiverFunctionTests);
            findings.Add(new("liver-tests-intensity", FindingLevel.Warning, string.Create(CultureInfo.InvariantCulture,
                $"{protocol.Name}: {(frequent ? "frequent" : "high-dose")} infusions; baseline and follow-up liver tests (hepatotoxicity with repeated long infusions, Noppers 2011)."), Source.Cohen2018));
        }
    }
}

/// <summary>What the rules concluded, before it is recorded as an assessment.</summary>
/// <param name="Result">Combined result.</param>
/// <param name="Findings">Every rule's finding, in rule order.</param>
/// <param name="RequiredTests">Tests needed before the first infusion.</param>
/// <param name="RuleSetVersion">The rule-set version that ran.</param>
public sealed record EligibilityEvaluation(EligibilityResult Result, IReadOnlyList<RuleFinding> Findings, IReadOnlyList<RequiredTest> RequiredTests, string RuleSetVersion);

/// <summary>
/// An immutable record of one screening: the evaluation, the patient version it ran on, who ran it and when.
/// A physician's review of a <see cref="EligibilityResult.NeedsPhysicianReview"/> result is a separate record
/// (<see cref="PhysicianReview"/>); the assessment itself never changes.
/// </summary>
/// <param name="Id">Assessment id.</param>
/// <param name="PatientId">Patient.</param>
/// <param name="PatientVersion">Patient aggregate version screened.</param>
/// <param name="ConditionId">Condition screened for.</param>
/// <param name="Evaluation">What the rules concluded, including the rule-set version.</param>
/// <param name="AssessedOn">Screening date (the rules' "as of").</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
/// <param name="RecordedBy">Who ran it.</param>
public sealed record EligibilityAssessment(AssessmentId Id, PatientId PatientId, long PatientVersion, EntryId ConditionId, EligibilityEvaluation Evaluation, DateOnly AssessedOn, DateTimeOffset RecordedAt, UserId RecordedBy)
{
    /// <summary>Runs the rule set and records the result.</summary>
    public static EligibilityAssessment Run(PatientSnapshot patient, EntryId conditionId, UserId by, TimeProvider clock, Protocol? intendedProtocol = null, EligibilitySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var evaluation = EligibilityRules.Evaluate(patient, conditionId, today, intendedProtocol, settings);
        return new EligibilityAssessment(AssessmentId.New(), patient.Id, patient.Version, conditionId, evaluation, today, now, by);
    }

    /// <summary>
    /// True when the assessment may be relied on for a session on <paramref name="date"/>: run by the current
    /// rule-set version, within <paramref name="maxAgeDays"/> days, and either eligible or reviewed and approved.
    /// </summary>
    /// <param name="date">The session date.</param>
    /// <param name="currentRuleSetVersion">The rule-set version in force.</param>
    /// <param name="maxAgeDays">How long a screening stays valid (clinic setting; see <see cref="Sessions.SessionSettings"/>).</param>
    /// <param name="review">The physician review, when the result needed one.</param>
    public Outcome IsCurrent(DateOnly date, string currentRuleSetVersion, int maxAgeDays, PhysicianReview? review = null)
    {
        if (!string.Equals(Evaluation.RuleSetVersion, currentRuleSetVersion, StringComparison.Ordinal))
        {
            return new Refusal($"eligibility: assessed with rule set {Evaluation.RuleSetVersion}; {currentRuleSetVersion} is in force; screen again.");
        }

        if (date < AssessedOn || date.DayNumber - AssessedOn.DayNumber > maxAgeDays)
        {
            return Refusal.Because($"eligibility: assessed on {AssessedOn:yyyy-MM-dd}; valid for {maxAgeDays} days; screen again.");
        }

        return Evaluation.Result switch
        {
            EligibilityResult.Eligible => Outcome.Ok(),
            EligibilityResult.NeedsPhysicianReview when review is { Approved: true } r && r.AssessmentId == Id => Outcome.Ok(),
            EligibilityResult.NeedsPhysicianReview => new Refusal("eligibility: needs a physician review that approves treatment."),
            _ => new Refusal("eligibility: the patient is not eligible."),
        };
    }
}

/// <summary>A physician's decision on an assessment that needed review.</summary>
/// <param name="AssessmentId">The assessment reviewed.</param>
/// <param name="Approved">True to approve treatment.</param>
/// <param name="Reason">The physician's reasoning (required).</param>
/// <param name="By">The physician.</param>
/// <param name="At">When (UTC).</param>
public sealed record PhysicianReview(AssessmentId AssessmentId, bool Approved, string Reason, UserId By, DateTimeOffset At)
{
    /// <summary>Records a review; refused without a reason or for an assessment that did not need review.</summary>
    public static Outcome<PhysicianReview> Create(EligibilityAssessment assessment, bool approved, string reason, UserId physician, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(clock);
        if (assessment.Evaluation.Result != EligibilityResult.NeedsPhysicianReview)
        {
            return new Refusal($"review: the assessment's result is {assessment.Evaluation.Result}; only {EligibilityResult.NeedsPhysicianReview} is reviewed.");
        }

        return string.IsNullOrWhiteSpace(reason)
            ? new Refusal("reason: a review needs the physician's reasoning.")
            : Patients.ChartInput.Reason(reason) is { IsSuccess: false } tooLong ? tooLong.Refusal
            : Outcome<PhysicianReview>.Ok(new PhysicianReview(assessment.Id, approved, reason.Trim(), physician, clock.GetUtcNow()));
    }
}
