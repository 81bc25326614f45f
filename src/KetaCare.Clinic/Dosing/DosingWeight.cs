using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Dosing;

/// <summary>Which weight a protocol's per-kg doses are calculated on.</summary>
public enum DosingWeightRule
{
    /// <summary>The measured (total) body weight: the published per-kg regimens use it.</summary>
    Actual,

    /// <summary>Ideal body weight (Devine 1974), never above the actual weight.</summary>
    Ideal,

    /// <summary>Adjusted body weight: ideal + 0.4 × (actual − ideal) (Bauer 1983), never above the actual weight.</summary>
    Adjusted,
}

/// <summary>
/// The dosing weight of a patient under a protocol's rule. Per-kg doses and limits use it; the PK prediction keeps the
/// actual weight (the models' covariate). For an obese patient the ideal or adjusted weight keeps a per-kg dose from
/// growing with fat mass; the absolute mg/h cap applies whatever the rule. Pure.
/// </summary>
public static class DosingWeights
{
    /// <summary>Ideal body weight: 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch above 5 ft [P].</summary>
    public static Source Devine1974 { get; } = new("clinical-reference: Dosing weight (devine1974)", "Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm 1974;8:650–655", Certainty.Primary);

    /// <summary>Adjusted body weight with a 0.4 correction factor [P].</summary>
    public static Source Bauer1983 { get; } = new("clinical-reference: Dosing weight (bauer1983)", "Bauer LA et al. Influence of weight on aminoglycoside pharmacokinetics in normal weight and morbidly obese patients. Eur J Clin Pharmacol 1983;24:643–647", Certainty.Primary);

    /// <summary>The fraction of the weight above ideal that the adjusted weight counts (Bauer 1983).</summary>
    public const double AdjustedFactor = 0.4;

    private const double CmPerInch = 2.54;
    private const double FiveFeetCm = 60 * CmPerInch;
    private const double KgPerInch = 2.3;

    /// <summary>
    /// The dosing weight under <paramref name="rule"/>; refused (<see cref="FindingCodes.DosingWeightUnavailable"/>) when
    /// the ideal or adjusted weight is asked for without a height or sex on the chart.
    /// </summary>
    public static Outcome<BodyWeight> For(DosingWeightRule rule, Covariates patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        if (rule == DosingWeightRule.Actual)
        {
            return Outcome<BodyWeight>.Ok(patient.Weight);
        }

        if (patient.HeightCm is not { } cm || patient.Sex is not { } sex)
        {
            return Refusal.Of(Finding.Of(FindingCodes.DosingWeightUnavailable, FindingSeverity.HardStop, Devine1974, FindingArg.Of("rule", rule.ToString())));
        }

        var actual = patient.Weight.Kilograms;
        var ideal = Math.Max(1, (sex == Sex.Female ? 45.5 : 50) + (KgPerInch * (cm - FiveFeetCm) / CmPerInch));
        var kg = rule == DosingWeightRule.Ideal ? ideal : ideal + (AdjustedFactor * (actual - ideal));

        // A dosing weight above the actual weight would raise the dose of a slim patient: never.
        return Outcome<BodyWeight>.Ok(BodyWeight.FromKilograms(Math.Min(kg, actual)));
    }
}
