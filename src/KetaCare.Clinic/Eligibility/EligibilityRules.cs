using System.Globalization;
using KetaCare.Clinic.Findings;
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
public sealed record RuleFinding(string RuleId, FindingLevel Level, string Message, Source Source)
{
    /// <summary>
    /// The English sentence with named placeholders ("Age {age} on {date}; …") that <see cref="Message"/> fills with
    /// <see cref="Args"/>: the key a face translates. Null on findings stored before templates were kept.
    /// </summary>
    public string? Template { get; init; }

    /// <summary>The typed values of the template's placeholders (numbers, dates as yyyy-MM-dd, names).</summary>
    public IReadOnlyList<Findings.FindingArg> Args { get; init; } = [];

    /// <summary>Equal when every field is, the arguments compared value by value (so the same screening twice is equal).</summary>
    public bool Equals(RuleFinding? other) =>
        other is not null && RuleId == other.RuleId && Level == other.Level && Message == other.Message && Source == other.Source
        && Template == other.Template && Args.SequenceEqual(other.Args);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RuleId, Level, Message, Source, Template, Args.Count);

    /// <summary>A finding from its English template and arguments; the message is the template filled invariantly.</summary>
    public static RuleFinding Of(string ruleId, FindingLevel level, Source source, string template, params Findings.FindingArg[] args) =>
        new(ruleId, level, Fill(template, args), source) { Template = template, Args = args };

    /// <summary>Fills <paramref name="template"/>'s {name} placeholders with the arguments' invariant text.</summary>
    public static string Fill(string template, IReadOnlyList<Findings.FindingArg> args)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(args);
        var text = template;
        foreach (var a in args)
        {
            text = text.Replace("{" + a.Name + "}", a.Invariant(), StringComparison.Ordinal);
        }

        return text;
    }
}

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

    /// <summary>The investigation ranges and thresholds the screening judges results by (the clinic's stored settings, or the defaults).</summary>
    public InvestigationSettings Investigations { get; init; } = InvestigationSettings.Default;

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
            findings.Add(RuleFinding.Of("condition", FindingLevel.Exclude, IndicationCatalogue.CodeSource, "condition {id}: no active condition with this id.", Findings.FindingArg.Of("id", conditionId.ToString())));
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
        findings.AddRange(InteractionFindings(patient.Medications));
        DoseIntensity(intendedProtocol, settings, findings, tests);
        findings.AddRange(InvestigationRules.Evaluate(patient, settings.Investigations));
        if (!patient.HasValidOffLabelConsent(asOf))
        {
            findings.Add(RuleFinding.Of("consent", FindingLevel.Warning, new Source("clinical-reference: Regulatory status (ketalar-label)", "Ketalar FDA approval 1970, anaesthetic only", Pharmacology.Models.Certainty.Primary), "No valid informed consent for off-label use yet; it is required before a plan starts (FDA approval is as an anaesthetic only)."));
        }

        var result = findings.Any(f => f.Level == FindingLevel.Exclude) ? EligibilityResult.NotEligible
            : findings.Any(f => f.Level == FindingLevel.Review) ? EligibilityResult.NeedsPhysicianReview
            : EligibilityResult.Eligible;
        return new EligibilityEvaluation(result, findings, [.. tests], settings.Version);
    }

    // Dates travel as ISO text (faces write them as their reader does); enum values as words ("Cardiovascular disease").
    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Words(Enum value)
    {
        var name = value.ToString();
        return string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
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
        findings.Add(RuleFinding.Of(
            "pain-duration",
            passes ? FindingLevel.Pass : FindingLevel.Exclude,
            EligibilitySettings.PainDurationSource,
            "Pain since {onset}: {months} whole month(s) on {date}; at least {minimum} required.",
            Findings.FindingArg.Of("onset", Iso(condition.Onset)),
            Findings.FindingArg.Of("months", months),
            Findings.FindingArg.Of("date", Iso(asOf)),
            Findings.FindingArg.Of("minimum", s.MinimumPainMonths)));
    }

    private static void IndicationRule(Condition condition, List<RuleFinding> findings)
    {
        if (IndicationCatalogue.IndicationOf(condition) is not { } indication)
        {
            findings.Add(RuleFinding.Of("indication", FindingLevel.Review, IndicationCatalogue.CodeSource, "{code}: no evidence grade is known for this code; a physician must judge the indication.", Findings.FindingArg.Of("code", condition.Code.ToString())));
            return;
        }

        var grade = IndicationCatalogue.GradeOf(indication);
        var (level, template) = grade switch
        {
            EvidenceGrade.B => (FindingLevel.Pass, "{code} {indication}: moderate evidence (Grade B, benefit up to 12 weeks)."),
            EvidenceGrade.C => (FindingLevel.Warning, "{code} {indication}: weak evidence (Grade C); discuss the expected benefit."),
            _ => (FindingLevel.Warning, "{code} {indication}: weak or no evidence (Grade D); allowed, but the expected benefit is uncertain and must be discussed."),
        };
        findings.Add(RuleFinding.Of("indication", level, Source.Cohen2018, template, Findings.FindingArg.Of("code", condition.Code.ToString()), Findings.FindingArg.Of("indication", indication.ToString())));
    }

    private static void Age(PatientSnapshot p, DateOnly asOf, Protocol? protocol, EligibilitySettings s, List<RuleFinding> findings)
    {
        var minimum = protocol?.MinimumAgeYears ?? s.MinimumAgeYears;
        var age = p.Demographics.AgeOn(asOf);
        if (age < minimum)
        {
            findings.Add(protocol?.MinimumAgeYears is null
                ? RuleFinding.Of("age", FindingLevel.Exclude, EligibilitySettings.AgeSource, "Age {age} on {date}; at least {minimum} required.", Findings.FindingArg.Of("age", age), Findings.FindingArg.Of("date", Iso(asOf)), Findings.FindingArg.Of("minimum", minimum))
                : RuleFinding.Of("age", FindingLevel.Exclude, EligibilitySettings.AgeSource, "Age {age} on {date}; at least {minimum} required by {protocol}.", Findings.FindingArg.Of("age", age), Findings.FindingArg.Of("date", Iso(asOf)), Findings.FindingArg.Of("minimum", minimum), Findings.FindingArg.Of("protocol", protocol.Name)));
        }
    }

    private static void FailedTreatments(PatientSnapshot p, EligibilitySettings s, List<RuleFinding> findings)
    {
        var failed = p.PriorTreatments.Where(t => s.FirstLineClasses.Contains(t.Class)).ToList();
        var enough = failed.Count >= s.MinimumFailedTreatments;
        findings.Add(RuleFinding.Of(
            "first-line-failed",
            enough ? FindingLevel.Pass : FindingLevel.Review,
            EligibilitySettings.PainDurationSource,
            enough
                ? "{count} first-line treatment(s) tried and failed ({treatments}); at least {minimum} required."
                : "{count} first-line treatment(s) tried and failed ({treatments}); at least {minimum} required. A physician must confirm that first-line options were tried.",
            Findings.FindingArg.Of("count", failed.Count),
            Findings.FindingArg.Of("treatments", string.Join(", ", failed.Select(t => $"{t.Drug}: {t.Outcome}"))),
            Findings.FindingArg.Of("minimum", s.MinimumFailedTreatments)));
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
                    findings.Add(RuleFinding.Of("cardiovascular", FindingLevel.Exclude, cohen, "Poorly controlled cardiovascular disease: do not use (Grade B)."));
                    break;
                case FindingKind.Hypertension when f.IsActive:
                    findings.Add(RuleFinding.Of("hypertension", FindingLevel.Exclude, label, "Uncontrolled hypertension: contraindicated where a rise in blood pressure would be a serious hazard."));
                    break;
                case FindingKind.CardiovascularDisease or FindingKind.Hypertension or FindingKind.CardiovascularRisk:
                    tests.Add(RequiredTest.Ecg);
                    findings.Add(RuleFinding.Of("cardiovascular-risk", FindingLevel.Warning, cohen, "{finding} (controlled): ECG before the first infusion.", Findings.FindingArg.Of("finding", Words(f.Kind))));
                    break;
                case FindingKind.Psychosis when f.IsActive:
                    findings.Add(RuleFinding.Of("psychosis", FindingLevel.Exclude, cohen, "Active psychosis: avoid (Grade B)."));
                    break;
                case FindingKind.Psychosis:
                    findings.Add(RuleFinding.Of("psychosis", FindingLevel.Review, cohen, "History of psychosis: Cohen 2018 advises avoiding ketamine in active psychosis; a physician must judge a past episode."));
                    break;
                case FindingKind.HepaticDisease when f.Severity == Severity.Severe:
                    findings.Add(RuleFinding.Of("hepatic", FindingLevel.Exclude, cohen, "Severe hepatic disease: avoid (Grade C)."));
                    break;
                case FindingKind.HepaticDisease when f.Severity == Severity.Moderate:
                    tests.Add(RequiredTest.LiverFunctionTests);
                    findings.Add(RuleFinding.Of("hepatic", FindingLevel.Warning, cohen, "Moderate hepatic disease: use with caution and monitoring (Grade C); baseline and follow-up liver tests."));
                    break;
                case FindingKind.HepaticDisease:
                    tests.Add(RequiredTest.LiverFunctionTests);
                    findings.Add(RuleFinding.Of("hepatic", FindingLevel.Warning, cohen, "Mild hepatic disease (liver risk): baseline and follow-up liver tests."));
                    break;
                case FindingKind.RaisedIntracranialPressure or FindingKind.RaisedIntraocularPressure when f.IsActive:
                    findings.Add(RuleFinding.Of("raised-pressure", FindingLevel.Review, cohen, "{finding}: do not use, or low dose with extreme caution (Grade C); physician decision. If approved, every dose is capped low: infusions at {cap}, single doses at the protocol's start dose.", Findings.FindingArg.Of("finding", Words(f.Kind)), Findings.FindingArg.Of("cap", Dosing.DoseLimits.RaisedPressureInfusionCap.Value, "mg/kg/h")));
                    break;
                case FindingKind.RaisedIntracranialPressure or FindingKind.RaisedIntraocularPressure:
                    findings.Add(RuleFinding.Of("raised-pressure", FindingLevel.Review, cohen, "{finding} (past): do not use, or low dose with extreme caution (Grade C); physician decision.", Findings.FindingArg.Of("finding", Words(f.Kind))));
                    break;
                case FindingKind.Breastfeeding when f.IsActive:
                    findings.Add(RuleFinding.Of("breastfeeding", FindingLevel.Review, EligibilitySettings.BreastfeedingSource, "Breastfeeding: a physician must weigh treatment during lactation."));
                    break;
                case FindingKind.Hyperthyroidism when f.IsActive:
                    findings.Add(RuleFinding.Of("hyperthyroidism", FindingLevel.Exclude, EligibilitySettings.HyperthyroidismSource, "Untreated or uncontrolled hyperthyroidism: contraindicated."));
                    break;
                case FindingKind.Hyperthyroidism:
                    findings.Add(RuleFinding.Of("hyperthyroidism", FindingLevel.Warning, EligibilitySettings.HyperthyroidismSource, "Treated hyperthyroidism: check that it is controlled before each course."));
                    break;
                case FindingKind.KetamineUropathy when f.IsActive:
                    findings.Add(RuleFinding.Of("uropathy", FindingLevel.Exclude, EligibilitySettings.UropathySource, "Current ketamine-associated uropathy: no further ketamine."));
                    break;
                case FindingKind.KetamineUropathy:
                    findings.Add(RuleFinding.Of("uropathy", FindingLevel.Review, EligibilitySettings.UropathySource, "Past ketamine-associated uropathy: a physician must judge the risk of further courses."));
                    break;
                case FindingKind.SubstanceAbuse when f.IsActive:
                    findings.Add(RuleFinding.Of("substance-abuse", FindingLevel.Exclude, cohen, "Active substance abuse: no serial infusions (Grade C)."));
                    break;
                case FindingKind.SubstanceAbuse:
                    findings.Add(RuleFinding.Of("substance-abuse", FindingLevel.Warning, new Source("clinical-reference: ASA statement (asa2023-statement)", "ASA statement on ketamine for chronic pain, 2023", Pharmacology.Models.Certainty.Primary), "History of substance abuse: vigilance for diversion (ASA statement 2023)."));
                    break;
                case FindingKind.KetamineHypersensitivity:
                    findings.Add(RuleFinding.Of("hypersensitivity", FindingLevel.Exclude, label, "Hypersensitivity to ketamine: contraindicated."));
                    break;
            }
        }
    }

    private static void Allergies(PatientSnapshot p, List<RuleFinding> findings)
    {
        if (p.KetamineAllergy is { } a)
        {
            findings.Add(RuleFinding.Of("allergy-ketamine", FindingLevel.Exclude, Source.KetaminePreparationAllergy, "Allergy to {substance} ({verification}): hypersensitivity to ketamine or an excipient is a contraindication.", Findings.FindingArg.Of("substance", a.Substance.Display), Findings.FindingArg.Of("verification", Words(a.Verification).ToLowerInvariant())));
        }
        else if (p.AllergyState == AllergyState.NotRecorded)
        {
            findings.Add(RuleFinding.Of("allergy-status", FindingLevel.Warning, EligibilitySettings.AllergyStatusSource, "Allergies not recorded: record them, or a dated \"no known allergies\", before the first infusion."));
        }
    }

    private static void Pregnancy(PatientSnapshot p, List<RuleFinding> findings, SortedSet<RequiredTest> tests)
    {
        if (p.Pregnancy?.State == PregnancyState.Pregnant)
        {
            findings.Add(RuleFinding.Of("pregnancy", FindingLevel.Exclude, Source.Cohen2018, "Pregnancy: avoid (Grade B)."));
            return;
        }

        if (p.PregnancyTestApplicable)
        {
            tests.Add(RequiredTest.PregnancyTest);
            findings.Add(RuleFinding.Of("pregnancy", FindingLevel.Warning, Source.Cohen2018, p.Pregnancy is null || p.Pregnancy.State == PregnancyState.Unknown
                ? "Pregnancy status unknown: pregnancy test before each session (pregnancy: avoid, Grade B)."
                : "Of childbearing potential: pregnancy test before each session (pregnancy: avoid, Grade B)."));
        }
    }

    /// <summary>
    /// The interaction screen: one finding per interaction class of each medication with ketamine (Ketalar label and
    /// interaction studies); review-level findings need a physician. Eligibility screens the chart's medications with it,
    /// the pre-session checklist the medications started since the last session.
    /// </summary>
    public static IReadOnlyList<RuleFinding> InteractionFindings(IEnumerable<Medication> medications)
    {
        ArgumentNullException.ThrowIfNull(medications);
        var findings = new List<RuleFinding>();
        var label = Source.KetalarLabel;
        var interactions = new Source("clinical-reference: Interactions (interaction-studies)", "Interaction studies: clarithromycin 2.6×, ticlopidine 2.4×, rifampicin −86 % oral / −14 % IV, lamotrigine", Pharmacology.Models.Certainty.Primary);
        foreach (var m in medications)
        {
            var c = m.Interactions;
            if (c.HasFlag(InteractionClass.TheophyllineOrAminophylline))
            {
                findings.Add(RuleFinding.Of("interaction-theophylline", FindingLevel.Review, label, "{medication}: theophylline/aminophylline with ketamine lowers the seizure threshold.", Findings.FindingArg.Of("medication", m.Name)));
            }

            if (c.HasFlag(InteractionClass.Sympathomimetic))
            {
                findings.Add(RuleFinding.Of("interaction-sympathomimetic", FindingLevel.Review, label, "{medication}: sympathomimetics/vasopressin add to ketamine's blood-pressure rise.", Findings.FindingArg.Of("medication", m.Name)));
            }

            if (c.HasFlag(InteractionClass.MonoamineOxidaseInhibitor))
            {
                findings.Add(RuleFinding.Of("interaction-maoi", FindingLevel.Review, EligibilitySettings.MaoiSource, "{medication}: MAO inhibitor; the clinic requires physician review (no published source).", Findings.FindingArg.Of("medication", m.Name)));
            }

            if (c.HasFlag(InteractionClass.Cyp3A4Inhibitor))
            {
                findings.Add(RuleFinding.Of("interaction-cyp3a4-inhibitor", FindingLevel.Warning, interactions, "{medication}: CYP3A4 inhibitor raises ketamine exposure (clarithromycin: oral S-ketamine AUC 2.6×); expect stronger effects.", Findings.FindingArg.Of("medication", m.Name)));
            }

            if (c.HasFlag(InteractionClass.Cyp2B6Inhibitor))
            {
                findings.Add(RuleFinding.Of("interaction-cyp2b6-inhibitor", FindingLevel.Warning, interactions, "{medication}: CYP2B6 inhibitor raises ketamine exposure (ticlopidine: oral AUC 2.4×).", Findings.FindingArg.Of("medication", m.Name)));
            }

            if (c.HasFlag(InteractionClass.CypInducer))
            {
                findings.Add(RuleFinding.Of("interaction-cyp-inducer", FindingLevel.Warning, interactions, "{medication}: CYP inducer lowers ketamine exposure (rifampicin: oral AUC −86 %, IV −14 %).", Findings.FindingArg.Of("medication", m.Name)));
            }

            if (c.HasFlag(InteractionClass.Benzodiazepine))
            {
                findings.Add(RuleFinding.Of("interaction-benzodiazepine", FindingLevel.Warning, label, "{medication}: benzodiazepines add sedation, reduce psychomimetic effects and prolong ketamine's half-life.", Findings.FindingArg.Of("medication", m.Name)));
            }

            if (c.HasFlag(InteractionClass.Lamotrigine))
            {
                findings.Add(RuleFinding.Of("interaction-lamotrigine", FindingLevel.Warning, interactions, "{medication}: lamotrigine reduces ketamine's dissociative effects.", Findings.FindingArg.Of("medication", m.Name)));
            }

            if (c.HasFlag(InteractionClass.CnsDepressant))
            {
                findings.Add(RuleFinding.Of("interaction-cns-depressant", FindingLevel.Warning, label, "{medication}: opioids and other CNS depressants add sedation and respiratory depression.", Findings.FindingArg.Of("medication", m.Name)));
            }
        }

        return findings;
    }

    /// <summary>True when the protocol's sessions are <see cref="EligibilitySettings.FrequentIntervalDays"/> or fewer days apart.</summary>
    public static bool IsFrequent(Protocol protocol, EligibilitySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.IntervalDays <= (settings ?? EligibilitySettings.Default).FrequentIntervalDays;
    }

    /// <summary>True when the protocol's ceiling is a weight-normalised rate at or above <see cref="EligibilitySettings.HighDoseMgPerKgPerHour"/>.</summary>
    public static bool IsHighDose(Protocol protocol, EligibilitySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.Ceiling.Basis == DoseBasis.MgPerKgPerHour && protocol.Ceiling.Value >= (settings ?? EligibilitySettings.Default).HighDoseMgPerKgPerHour;
    }

    private static void DoseIntensity(Protocol? protocol, EligibilitySettings s, List<RuleFinding> findings, SortedSet<RequiredTest> tests)
    {
        if (protocol is null)
        {
            return;
        }

        var frequent = IsFrequent(protocol, s);
        if (frequent || IsHighDose(protocol, s))
        {
            tests.Add(RequiredTest.LiverFunctionTests);
            findings.Add(RuleFinding.Of(
                "liver-tests-intensity",
                FindingLevel.Warning,
                Source.Cohen2018,
                frequent
                    ? "{protocol}: frequent infusions; baseline and follow-up liver tests (hepatotoxicity with repeated long infusions, Noppers 2011)."
                    : "{protocol}: high-dose infusions; baseline and follow-up liver tests (hepatotoxicity with repeated long infusions, Noppers 2011).",
                Findings.FindingArg.Of("protocol", protocol.Name)));
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
            return new Refusal(
                $"eligibility: assessed with rule set {Evaluation.RuleSetVersion}; {currentRuleSetVersion} is in force; screen again.",
                [Finding.Refused(FindingCodes.EligibilityRuleSetChanged, FindingArg.Of("assessed", Evaluation.RuleSetVersion), FindingArg.Of("current", currentRuleSetVersion))]);
        }

        if (date < AssessedOn || date.DayNumber - AssessedOn.DayNumber > maxAgeDays)
        {
            return new Refusal(
                string.Create(CultureInfo.InvariantCulture, $"eligibility: assessed on {AssessedOn:yyyy-MM-dd}; valid for {maxAgeDays} days; screen again."),
                [Finding.Refused(FindingCodes.EligibilityExpired, FindingArg.Of("assessed", AssessedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), FindingArg.Of("days", maxAgeDays))]);
        }

        return Evaluation.Result switch
        {
            EligibilityResult.Eligible => Outcome.Ok(),
            EligibilityResult.NeedsPhysicianReview when review is { Approved: true } r && r.AssessmentId == Id => Outcome.Ok(),
            EligibilityResult.NeedsPhysicianReview => new Refusal("eligibility: needs a physician review that approves treatment.", [Finding.Refused(FindingCodes.EligibilityReviewNeeded)]),
            _ => new Refusal("eligibility: the patient is not eligible.", [Finding.Refused(FindingCodes.EligibilityNotEligible)]),
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
            return new Refusal(
                $"review: the assessment's result is {assessment.Evaluation.Result}; only {EligibilityResult.NeedsPhysicianReview} is reviewed.",
                [Finding.Refused(FindingCodes.ReviewNotNeeded, FindingArg.Of("field", "review"), FindingArg.Of("result", assessment.Evaluation.Result.ToString()))]);
        }

        return string.IsNullOrWhiteSpace(reason)
            ? new Refusal("reason: a review needs the physician's reasoning.", [Finding.Refused(FindingCodes.ReviewReasonMissing, FindingArg.Of("field", "reason"))])
            : Patients.ChartInput.Reason(reason) is { IsSuccess: false } tooLong ? tooLong.Refusal
            : Outcome<PhysicianReview>.Ok(new PhysicianReview(assessment.Id, approved, reason.Trim(), physician, clock.GetUtcNow()));
    }
}
