using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Tci;

/// <summary>Shared subjects and the independent re-simulation the TCI tests check plans against.</summary>
internal static class TciFixtures
{
    public static PkModel Domino { get; } = new Domino1984();

    public static Covariates Patient(double kg = 70) => new(BodyWeight.FromKilograms(kg), AgeYears: 40);

    /// <summary>Domino 1984 at <paramref name="kg"/>, with the Olofsen 2012 analgesia effect site unless told otherwise.</summary>
    public static CompartmentSystem Build(bool effectSite = true, double kg = 70, IReadOnlyDictionary<string, double>? etas = null) =>
        Domino.Build(Patient(kg), new SubjectOptions { EffectSite = effectSite ? EffectSites.Olofsen2012Analgesia : null, Etas = etas });

    public static TciPlan Plan(CompartmentSystem system, TciSettings settings, TciState? from = null)
    {
        var result = TciPlanner.Plan(system, settings, from);
        Assert.True(result.IsSuccess, result.Error);
        return result.Value;
    }

    /// <summary>0, step, 2·step … up to and including <paramref name="until"/>, min.</summary>
    public static double[] Grid(double until, double step, double from = 0)
    {
        var count = (int)Math.Round((until - from) / step);
        return [.. Enumerable.Range(0, count + 1).Select(k => from + (k * step))];
    }

    /// <summary>Concentrations (mg/L) of one output, re-simulated with the engine from a drug-free start at time 0.</summary>
    public static double[] Resimulate(CompartmentSystem system, DosingSchedule schedule, double[] times, string key = "plasma", SolverKind solver = SolverKind.Exact)
    {
        var states = Engine.Run(system, schedule, times, solver);
        var o = system.Output(key)!;
        return [.. Enumerable.Range(0, times.Length).Select(k => states[(k * system.Order) + o.State] * o.Scale)];
    }

    public static DosingSchedule Concat(params DosingSchedule[] parts) =>
        new([.. parts.SelectMany(p => p.Boluses)], [.. parts.SelectMany(p => p.Rates)], parts.Sum(p => p.AdministeredMg));

    /// <summary>First time (min) a series on <paramref name="times"/> reaches <paramref name="level"/>, with linear interpolation; NaN if never.</summary>
    public static double FirstCrossing(double[] times, double[] values, double level)
    {
        for (var k = 0; k < values.Length; k++)
        {
            if (values[k] >= level)
            {
                return k == 0 ? times[0] : times[k - 1] + ((level - values[k - 1]) / (values[k] - values[k - 1]) * (times[k] - times[k - 1]));
            }
        }

        return double.NaN;
    }

    public static Concentration NgPerMl(double v) => Concentration.FromNanogramsPerMilliliter(v);
}
