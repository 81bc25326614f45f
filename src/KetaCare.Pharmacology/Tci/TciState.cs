using System.Globalization;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tci;

/// <summary>
/// The state of a subject's compartment system at one time: where a re-plan starts when the target or the
/// patient changes. Values are in the system's canonical units, one per state of
/// <see cref="CompartmentSystem.Compartments"/>: mg for amounts, mg/L for effect sites, mg·min/L for AUC
/// integrals. Immutable; safe to share between threads.
/// </summary>
public sealed class TciState
{
    private readonly double[] _values;

    private TciState(Duration time, double[] values)
    {
        Time = time;
        _values = values;
    }

    /// <summary>Time since the start of the session (the first plan's time zero).</summary>
    public Duration Time { get; }

    /// <summary>The state values (mg, mg/L for effect sites, mg·min/L for integrals).</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>Number of states.</summary>
    public int Order => _values.Length;

    /// <summary>A drug-free subject at time zero, for a system of order <paramref name="order"/>.</summary>
    public static TciState Empty(int order)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(order);
        return new(Duration.Zero, new double[order]);
    }

    /// <summary>
    /// A state from values read elsewhere (e.g. a previous plan or simulation). Errors when a value is not
    /// finite or an amount is below −1e-9 mg (rounding below zero is clamped to 0).
    /// </summary>
    /// <param name="time">Time since the start of the session.</param>
    /// <param name="values">One value per state, canonical units.</param>
    public static ParseResult<TciState> Create(Duration time, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = new double[values.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            var v = values[i];
            if (!double.IsFinite(v) || v < -1e-9)
            {
                return ParseResult<TciState>.Fail(string.Create(CultureInfo.InvariantCulture, $"from: state {i} is {v}; every state value must be a finite number ≥ 0."));
            }

            copy[i] = Math.Max(0, v);
        }

        return ParseResult<TciState>.Ok(new TciState(time, copy));
    }

    internal static TciState Trusted(Duration time, double[] values) => new(time, values);

    /// <summary>Plasma concentration of this state in <paramref name="system"/> (which must have the same order).</summary>
    public Concentration Plasma(CompartmentSystem system) => Channel(system, "plasma");

    /// <summary>Effect-site concentration of this state in <paramref name="system"/>, or null when it has no effect site.</summary>
    public Concentration? Effect(CompartmentSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.Output("effect") is null ? null : Channel(system, "effect");
    }

    internal double[] Copy() => (double[])_values.Clone();

    private Concentration Channel(CompartmentSystem system, string key)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (system.Order != _values.Length)
        {
            throw new ArgumentException("The state and the system have different orders.", nameof(system));
        }

        var o = system.Output(key)!;
        return Concentration.FromMilligramsPerLiter(Math.Max(0, _values[o.State] * o.Scale));
    }
}
