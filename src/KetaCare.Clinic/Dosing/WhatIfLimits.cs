using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Dosing;

/// <summary>
/// Dose-error reduction for the what-if tools (simulation, population, TCI): their doses are not prescriptions, so
/// nothing is refused, but a TCI schedule — whose rates a user may program — is capped at the clinical hard limits, and
/// a simulated dose above a hard limit is always named with the limit and its source. The limits are the drug
/// library's infusion ceilings: 2 mg/kg/h and 0.35 mg/kg bolus (Cohen 2018) and the absolute rate cap.
/// </summary>
public static class WhatIfLimits
{
    /// <summary>The hard weight-normalised rate for TCI schedules: the requested ceiling, never above the clinical hard limit.</summary>
    /// <param name="requested">The user's ceiling, or null.</param>
    /// <returns>The ceiling in force, and true when the clinical limit replaced a higher (or missing) request.</returns>
    public static (WeightNormalizedRate Ceiling, bool Capped) TciCeiling(WeightNormalizedRate? requested)
    {
        var hard = WeightNormalizedRate.FromMilligramsPerKilogramPerHour(DoseLimits.CohenInfusionCeiling.Value);
        return requested is { } r && r.MilligramsPerKilogramPerHour <= hard.MilligramsPerKilogramPerHour ? (r, false) : (hard, true);
    }

    /// <summary>The absolute rate cap for TCI schedules, mg/h (the drug library's default cap).</summary>
    public static DoseRate TciAbsoluteCeiling { get; } = DoseRate.FromMilligramsPerHour(DoseLimits.AbsoluteRateCeiling.Value);

    /// <summary>
    /// A finding when a TCI schedule needed a rate above the ceiling in force: the rates were capped, so the target is
    /// reached later. Null when the schedule stayed below it.
    /// </summary>
    public static Finding? TciCapped(double neededMgPerKgPerHour, WeightNormalizedRate ceiling) =>
        neededMgPerKgPerHour > ceiling.MilligramsPerKilogramPerHour * (1 + 1e-9)
            ? Finding.Of(FindingCodes.TciRateCapped, FindingSeverity.Warning, DoseLimits.CohenInfusionCeiling.Source,
                FindingArg.Of("needed", Math.Round(neededMgPerKgPerHour, 3), "mg/kg/h"), FindingArg.Of("limit", ceiling.MilligramsPerKilogramPerHour, "mg/kg/h"))
            : null;

    /// <summary>
    /// Warnings for every IV administration of a simulated regimen above a clinical hard limit for a patient of
    /// <paramref name="weight"/>: bolus mg/kg, infusion mg/kg/h and mg/h. Other routes have no infusion limits here.
    /// </summary>
    public static IReadOnlyList<Finding> Check(Regimen regimen, BodyWeight weight)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        var findings = new List<Finding>();
        var kg = weight.Kilograms;
        foreach (var a in regimen.Administrations.Where(a => a.Route == Route.Intravenous))
        {
            var resolved = a.Dose.Resolve(weight, Duration.FromHours(1));
            if (!resolved.IsSuccess)
            {
                continue;
            }

            var dose = resolved.Value;
            if (dose.Over is not { Minutes: > 0 } over)
            {
                Add(findings, "bolus", dose.Total.Milligrams / kg, DoseLimits.CohenBolusCeiling, "mg/kg");
                continue;
            }

            var mgPerHour = dose.Total.Milligrams / over.Hours;
            Add(findings, "rate", mgPerHour / kg, DoseLimits.CohenInfusionCeiling, "mg/kg/h");
            Add(findings, "absolute rate", mgPerHour, DoseLimits.AbsoluteRateCeiling, "mg/h");
        }

        return findings;
    }

    private static void Add(List<Finding> findings, string what, double value, Limit limit, string unit)
    {
        if (value > limit.Value * (1 + 1e-9))
        {
            findings.Add(Finding.Of(FindingCodes.SimulationAboveLimit, FindingSeverity.Warning, limit.Source,
                FindingArg.Of("what", what), FindingArg.Of("value", Math.Round(value, 3), unit), FindingArg.Of("limit", limit.Value, unit)));
        }
    }
}
