namespace KetaCare.Pharmacology.Units;

/// <summary>
/// Input-plausibility ceilings for ketamine that catch unit slips (g typed for mg, mg/kg/min for mg/kg/h).
/// They are not clinical limits: those come from the clinic's drug library (hard and soft limits per
/// protocol). Assumption, chosen an order of magnitude above the highest doses in clinical-reference: Consensus guideline (cohen2018)
/// (infusion 0.5–2 mg/kg/h, up to 7 mg/kg/h only in ICU settings; bolus ≤ 0.35 mg/kg; Cohen 2018) so
/// that no real prescription is refused while a 1000× slip always is.
/// </summary>
public static class PlausibilityLimits
{
    /// <summary>Largest plausible single dose per kg, mg/kg.</summary>
    public const double MaxDosePerKgMg = 20;

    /// <summary>Largest plausible single dose, mg.</summary>
    public const double MaxDoseMg = 2000;

    /// <summary>Largest plausible weight-normalised rate, mg/kg/h (ICU ceiling 7 mg/kg/h × ~3).</summary>
    public const double MaxRateMgPerKgPerHour = 20;

    /// <summary>Largest plausible absolute rate, mg/h.</summary>
    public const double MaxRateMgPerHour = 2000;

    /// <summary>Largest plausible plasma concentration, ng/mL (anaesthesia 1,200–2,400 ng/mL, Zanos 2018).</summary>
    public const double MaxPlasmaNgPerMl = 50_000;

    /// <summary>Largest plausible duration of one administration, days (Sigtermans 2009 infused for 100 h).</summary>
    public const double MaxAdministrationDays = 14;
}
