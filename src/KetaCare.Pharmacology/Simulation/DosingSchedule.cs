using System.Globalization;
using System.Runtime.InteropServices;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Simulation;

/// <summary>An instantaneous input of drug into a state.</summary>
/// <param name="Time">When, min.</param>
/// <param name="State">Receiving state.</param>
/// <param name="AmountMg">Amount, mg.</param>
public readonly record struct BolusInput(double Time, int State, double AmountMg);

/// <summary>A constant-rate input of drug into a state over [Start, End).</summary>
/// <param name="Start">Start, min.</param>
/// <param name="End">End, min (&gt; Start).</param>
/// <param name="State">Receiving state.</param>
/// <param name="RateMgPerMin">Rate, mg/min.</param>
public readonly record struct RateInput(double Start, double End, int State, double RateMgPerMin);

/// <summary>
/// A regimen resolved for one subject's system: boluses and constant-rate inputs in canonical units,
/// after bioavailability, lag and zero-order release. This is what the solvers consume.
/// </summary>
public sealed class DosingSchedule
{
    /// <summary>Creates a schedule from raw inputs (used by TCI and tests).</summary>
    public DosingSchedule(IEnumerable<BolusInput> boluses, IEnumerable<RateInput> rates, double administeredMg)
    {
        Boluses = InTimeOrder(boluses, b => b.Time);
        Rates = InTimeOrder(rates, r => r.Start);
        foreach (var r in Rates)
        {
            if (!(r.End > r.Start) || !double.IsFinite(r.RateMgPerMin) || r.RateMgPerMin < 0)
            {
                throw new ArgumentException("Each rate input needs End > Start and a finite rate ≥ 0.", nameof(rates));
            }
        }

        AdministeredMg = administeredMg;
    }

    // Stable order by time; a regimen resolved per subject is usually in order already, so sorting is skipped then.
    private static T[] InTimeOrder<T>(IEnumerable<T> items, Func<T, double> time)
    {
        T[] array = [.. items];
        return InOrder(array, time) ? array : [.. array.OrderBy(time)];
    }

    private static bool InOrder<T>(ReadOnlySpan<T> items, Func<T, double> time)
    {
        for (var i = 1; i < items.Length; i++)
        {
            if (time(items[i]) < time(items[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Instantaneous inputs, in time order.</summary>
    public IReadOnlyList<BolusInput> Boluses { get; }

    /// <summary>Constant-rate inputs, in start order.</summary>
    public IReadOnlyList<RateInput> Rates { get; }

    /// <summary>Nominal amount administered (before bioavailability), mg.</summary>
    public double AdministeredMg { get; }

    /// <summary>Amount that enters the system by time <paramref name="t"/> (after bioavailability), mg.</summary>
    public double EnteredBy(double t)
    {
        var s = 0.0;
        foreach (var b in Boluses)
        {
            if (b.Time <= t)
            {
                s += b.AmountMg;
            }
        }

        foreach (var r in Rates)
        {
            var overlap = Math.Min(r.End, t) - r.Start;
            if (overlap > 0)
            {
                s += r.RateMgPerMin * overlap;
            }
        }

        return s;
    }

    /// <summary>Resolves a regimen for a patient and system; errors name the administration and the problem.</summary>
    public static ParseResult<DosingSchedule> Resolve(Regimen regimen, CompartmentSystem system, BodyWeight weight)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        ArgumentNullException.ThrowIfNull(system);
        var boluses = new List<BolusInput>();
        var rates = new List<RateInput>();
        var error = ResolveInto(regimen, system.Routes, weight, boluses, rates, out var administered);
        return error is null
            ? ParseResult<DosingSchedule>.Ok(new DosingSchedule(boluses, rates, administered))
            : ParseResult<DosingSchedule>.Fail(error);
    }

    /// <summary>
    /// Resolves a regimen into <paramref name="boluses"/> and <paramref name="rates"/> (emptied first), in the order the
    /// administrations come, not sorted; a population run reuses the lists for every subject. Returns the error, or null.
    /// </summary>
    internal static string? ResolveInto(Regimen regimen, IReadOnlyDictionary<Route, RouteInput> routes, BodyWeight weight, List<BolusInput> boluses, List<RateInput> rates, out double administered)
    {
        boluses.Clear();
        rates.Clear();
        administered = 0.0;
        for (var i = 0; i < regimen.Administrations.Count; i++)
        {
            var a = regimen.Administrations[i];
            // Built only for an error: population runs resolve a regimen once per subject.
            string Label() => string.Create(CultureInfo.InvariantCulture, $"administration {i + 1} ({a.Dose} {a.Route.Code()} at {a.Start})");
            if (!routes.TryGetValue(a.Route, out var input))
            {
                return $"{Label()}: the route {a.Route.Code()} is not set up for this model.";
            }

            var resolved = a.Dose.Resolve(weight);
            if (!resolved.IsSuccess)
            {
                return $"{Label()}: {resolved.Error}";
            }

            var dose = resolved.Value;
            var infusion = dose.Over is not null;
            if (infusion && a.Route is not (Route.Intravenous or Route.Subcutaneous))
            {
                return $"{Label()}: the {a.Route.Code()} route takes a single dose, not an infusion; only IV and SC doses can run over time.";
            }

            administered += dose.Total.Milligrams;
            for (var k = 0; k < input.Paths.Count; k++)
            {
                var path = input.Paths[k];
                var amount = dose.Total.Milligrams * path.Fraction;
                var start = a.Start.Minutes + path.LagMinutes;
                if (amount <= 0)
                {
                    continue;
                }

                var over = dose.Over?.Minutes ?? path.ZeroOrderMinutes;
                if (over is { } d)
                {
                    rates.Add(new RateInput(start, start + d, path.State, amount / d));
                }
                else
                {
                    boluses.Add(new BolusInput(start, path.State, amount));
                }
            }
        }

        return null;
    }

    /// <summary>Puts <paramref name="items"/> in time order as the schedule does (stable; nothing allocated when already in order).</summary>
    internal static void SortByTime<T>(List<T> items, Func<T, double> time)
    {
        if (!InOrder<T>(CollectionsMarshal.AsSpan(items), time))
        {
            T[] sorted = [.. items.OrderBy(time)];
            items.Clear();
            items.AddRange(sorted);
        }
    }
}
