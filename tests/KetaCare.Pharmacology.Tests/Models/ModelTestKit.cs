using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Models;

/// <summary>Shared helpers for the model tests: patients, single-dose runs, derived values.</summary>
internal static class ModelTestKit
{
    public static Covariates Patient(double kg, double? age = null) => new(BodyWeight.FromKilograms(kg), age);

    /// <summary>The centre of the model's studied age and weight ranges: a patient the model must accept without refusal.</summary>
    public static Covariates Reference(PkModel model) => Patient(
        (model.Population.WeightKg.Min + model.Population.WeightKg.Max) / 2,
        (model.Population.AgeYears.Min + model.Population.AgeYears.Max) / 2);

    public static SimulationResult Run(PkModel model, Covariates patient, DoseExpression dose, Route route, double untilMinutes, double stepMinutes)
    {
        var request = new SimulationRequest(model, patient, Regimen.Single(dose, route))
        {
            Until = Duration.FromMinutes(untilMinutes),
            Step = Duration.FromMinutes(stepMinutes),
        };
        var result = Simulator.Run(request);
        Assert.True(result.IsSuccess, result.Error);
        return result.Value;
    }

    public static SimulationResult Bolus(PkModel model, Covariates patient, double mg, Route route, double untilMinutes, double stepMinutes) =>
        Run(model, patient, DoseExpression.Bolus(Mass.FromMilligrams(mg)), route, untilMinutes, stepMinutes);

    /// <summary>Parent steady-state volume: the sum of the parent's central and peripheral volumes (liver excluded), L.</summary>
    public static double ParentVss(CompartmentSystem s) => s.Compartments
        .Where(c => c.Species == Species.Parent && c.Role is CompartmentRole.Central or CompartmentRole.Peripheral)
        .Sum(c => c.VolumeLiters);

    /// <summary>Terminal half-life from the simulated log-linear decline of plasma between two late times, min.</summary>
    public static double TerminalHalfLifeMinutes(PkModel model, Covariates patient, double t1, double t2)
    {
        var r = Simulator.Run(new SimulationRequest(model, patient, Regimen.Single(DoseExpression.Bolus(Mass.FromMilligrams(100)))), [0, t1, t2]);
        Assert.True(r.IsSuccess, r.Error);
        var c = r.Value.MgPerLiter("plasma");
        return Math.Log(2) * (t2 - t1) / Math.Log(c[1] / c[2]);
    }

    /// <summary>Slow disposition half-life of a two-compartment model from its rate constants (closed form), min.</summary>
    public static double BetaHalfLifeMinutes(double k10, double k12, double k21)
    {
        var sum = k10 + k12 + k21;
        var beta = (sum - Math.Sqrt((sum * sum) - (4 * k10 * k21))) / 2;
        return Math.Log(2) / beta;
    }
}
