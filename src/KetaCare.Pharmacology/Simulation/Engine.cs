using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Solvers;

namespace KetaCare.Pharmacology.Simulation;

/// <summary>Which solver integrates the system.</summary>
public enum SolverKind
{
    /// <summary>Exact: matrix exponential with piecewise-constant input (default for linear PK).</summary>
    Exact,

    /// <summary>Adaptive Dormand–Prince 5(4) (independent check; nonlinear extensions).</summary>
    DormandPrince,
}

/// <summary>
/// Walks a <see cref="DosingSchedule"/> through a <see cref="CompartmentSystem"/> and returns the state at
/// every output time. Convention: states are right-continuous — a bolus at time t is included in the
/// output at t; an infusion over [s, e) has started at s and has stopped at e.
/// </summary>
public static class Engine
{
    /// <summary>Returns states[k * Order + i] = state i at outputTimes[k].</summary>
    /// <param name="system">The subject's system.</param>
    /// <param name="schedule">Inputs.</param>
    /// <param name="outputTimes">Ascending, ≥ 0, min.</param>
    /// <param name="solver">Exact or Dormand–Prince.</param>
    /// <param name="odeOptions">Tolerances for Dormand–Prince (default rtol 1e-10, atol 1e-13).</param>
    public static double[] Run(CompartmentSystem system, DosingSchedule schedule, ReadOnlySpan<double> outputTimes, SolverKind solver = SolverKind.Exact, OdeOptions? odeOptions = null) =>
        RunCore(system, schedule, outputTimes, solver, odeOptions, null, null);

    /// <summary>
    /// Integrates the PK system jointly with a (possibly nonlinear) PD model driven by one of its outputs,
    /// with Dormand–Prince. Returns states[k * (Order + pd.StateCount) + i]: PK states first, then PD states.
    /// </summary>
    /// <param name="system">The subject's system.</param>
    /// <param name="schedule">Inputs.</param>
    /// <param name="outputTimes">Ascending, ≥ 0, min.</param>
    /// <param name="pd">The PD model.</param>
    /// <param name="odeOptions">Tolerances (default rtol 1e-10, atol 1e-13).</param>
    public static double[] RunWithPd(CompartmentSystem system, DosingSchedule schedule, ReadOnlySpan<double> outputTimes, INonlinearPdModel pd, OdeOptions? odeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(pd);
        var driver = system.Output(pd.DriverKey) ?? throw new ArgumentException($"The PD model is driven by \"{pd.DriverKey}\", which this system does not report; available: {string.Join(", ", system.Outputs.Select(o => o.Key))}.", nameof(pd));
        return RunCore(system, schedule, outputTimes, SolverKind.DormandPrince, odeOptions, pd, driver);
    }

    private static double[] RunCore(CompartmentSystem system, DosingSchedule schedule, ReadOnlySpan<double> outputTimes, SolverKind solver, OdeOptions? odeOptions, INonlinearPdModel? pd, OutputChannel? driver)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(schedule);
        for (var k = 1; k < outputTimes.Length; k++)
        {
            if (!(outputTimes[k] >= outputTimes[k - 1]))
            {
                throw new ArgumentException("Output times must be ascending.", nameof(outputTimes));
            }
        }

        if (outputTimes.Length > 0 && !(outputTimes[0] >= 0))
        {
            throw new ArgumentException("Output times start at 0 or later.", nameof(outputTimes));
        }

        var pk = system.Order;
        var n = pk + (pd?.StateCount ?? 0);
        var result = new double[outputTimes.Length * n];
        if (outputTimes.Length == 0)
        {
            return result;
        }

        var horizon = outputTimes[^1];
        var breaks = Breakpoints(schedule, horizon);
        var x = new double[n];
        var u = new double[n];
        var scratch = new double[n];
        pd?.Initial(x.AsSpan(pk));
        var cache = solver == SolverKind.Exact ? new PropagatorCache(n, system.Matrix) : null;
        var ode = odeOptions ?? new OdeOptions(1e-10, 1e-13);
        var a = system.Matrix;

        var t = 0.0;
        var outIndex = 0;
        var breakIndex = 0;
        var bolusIndex = 0;
        ApplyBoluses(schedule, ref bolusIndex, t, x);
        SetRates(schedule, t, u);
        while (outIndex < outputTimes.Length && outputTimes[outIndex] == t)
        {
            x.CopyTo(result.AsSpan(outIndex * n, n));
            outIndex++;
        }

        while (outIndex < outputTimes.Length)
        {
            while (breakIndex < breaks.Length && breaks[breakIndex] <= t)
            {
                breakIndex++;
            }

            var nextBreak = breakIndex < breaks.Length ? breaks[breakIndex] : double.PositiveInfinity;
            if (cache is not null)
            {
                var nextOut = outputTimes[outIndex];
                var tNext = Math.Min(nextOut, nextBreak);
                var h = tNext - t;
                if (h > 0)
                {
                    cache.Get(h).Advance(x, u, scratch);
                }

                t = tNext;
            }
            else
            {
                var tNext = Math.Min(nextBreak, horizon);
                var start = outIndex;
                var end = start;
                while (end < outputTimes.Length && outputTimes[end] < tNext)
                {
                    end++;
                }

                var uCopy = (double[])u.Clone();
                var t0 = t;
                var slice = outputTimes[start..end];
                var index = start;
                DormandPrince.Integrate(
                    (tt, y, dy) =>
                    {
                        Derivative(a, pk, y, uCopy, dy);
                        if (pd is not null)
                        {
                            pd.Derivative(tt, Math.Max(0, y[driver!.State] * driver.Scale), y[pk..], dy[pk..]);
                        }
                    },
                    t0, x, tNext, ode, slice,
                    (_, y) =>
                    {
                        y.CopyTo(result.AsSpan(index * n, n));
                        index++;
                    });
                outIndex = end;
                t = tNext;
            }

            ApplyBoluses(schedule, ref bolusIndex, t, x);
            SetRates(schedule, t, u);
            while (outIndex < outputTimes.Length && outputTimes[outIndex] == t)
            {
                x.CopyTo(result.AsSpan(outIndex * n, n));
                outIndex++;
            }
        }

        return result;
    }

    internal static void Derivative(double[] a, int n, ReadOnlySpan<double> y, double[] u, Span<double> dy)
    {
        for (var i = 0; i < n; i++)
        {
            var s = u[i];
            var row = a.AsSpan(i * n, n);
            for (var j = 0; j < n; j++)
            {
                s += row[j] * y[j];
            }

            dy[i] = s;
        }
    }

    private static double[] Breakpoints(DosingSchedule schedule, double horizon)
    {
        var set = new SortedSet<double>();
        foreach (var b in schedule.Boluses)
        {
            if (b.Time > 0 && b.Time <= horizon)
            {
                set.Add(b.Time);
            }
        }

        foreach (var r in schedule.Rates)
        {
            if (r.Start > 0 && r.Start <= horizon)
            {
                set.Add(r.Start);
            }

            if (r.End > 0 && r.End <= horizon)
            {
                set.Add(r.End);
            }
        }

        return [.. set];
    }

    private static void ApplyBoluses(DosingSchedule schedule, ref int index, double t, double[] x)
    {
        var list = schedule.Boluses;
        while (index < list.Count && list[index].Time <= t)
        {
            x[list[index].State] += list[index].AmountMg;
            index++;
        }
    }

    // Rates are summed afresh over the active inputs at each change (never += / −=), so that after the
    // last infusion stops the input is exactly zero and decay is exactly monotone.
    private static void SetRates(DosingSchedule schedule, double t, double[] u)
    {
        Array.Clear(u);
        foreach (var r in schedule.Rates)
        {
            if (r.Start <= t && r.End > t)
            {
                u[r.State] += r.RateMgPerMin;
            }
        }
    }
}
