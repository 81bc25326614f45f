using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Plans;

/// <summary>Dose entry on the plan pages: a number typed in the user's language, in the unit the protocol prescribes in.</summary>
public static class PlanInput
{
    /// <summary>
    /// Parses a dose typed as a number ("0,75" or "0.75") in the unit of <paramref name="basis"/>. The range is input
    /// plausibility only (the engine's <see cref="PlausibilityLimits"/>); the clinical limits are the dose check's.
    /// </summary>
    public static bool TryDose(string? text, DoseBasis basis, string field, out DoseLevel dose, out string? error)
    {
        dose = default;
        var max = basis == DoseBasis.Milligrams ? PlausibilityLimits.MaxDoseMg : PlausibilityLimits.MaxDosePerKgMg;
        if (!WebNumber.TryParse(text, field, 0.001, max, out var v, out error))
        {
            return false;
        }

        dose = basis switch
        {
            DoseBasis.MgPerKgPerHour => DoseLevel.MgPerKgPerHour(v),
            DoseBasis.MgPerKg => DoseLevel.MgPerKg(v),
            _ => DoseLevel.Milligrams(v),
        };
        return true;
    }
}
