namespace KetaCare.Pharmacology.Solvers;

/// <summary>
/// The exact one-step map of a linear system with constant input over a step h:
/// x(t+h) = Φ·x(t) + Γ·u, with Φ = e^{Ah} and Γ = ∫₀ʰ e^{As} ds, both read off the exponential of the
/// augmented matrix [[A, I], [0, 0]]·h (Van Loan 1978). No stepping error: only rounding.
/// </summary>
public sealed class Propagator
{
    private readonly double[] _phi;
    private readonly double[] _gamma;

    /// <summary>Computes the propagator of the row-major system matrix <paramref name="a"/> (order <paramref name="n"/>) for step <paramref name="h"/> (min).</summary>
    public Propagator(int n, ReadOnlySpan<double> a, double h)
    {
        Guard.NonNegative(h, "step");
        Order = n;
        Step = h;
        var m = 2 * n;
        var aug = new double[m * m];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                aug[(i * m) + j] = a[(i * n) + j] * h;
            }

            aug[(i * m) + n + i] = h;
        }

        var e = MatrixExponential.Compute(m, aug);
        _phi = new double[n * n];
        _gamma = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                _phi[(i * n) + j] = e[(i * m) + j];
                _gamma[(i * n) + j] = e[(i * m) + n + j];
            }
        }
    }

    /// <summary>Order of the system.</summary>
    public int Order { get; }

    /// <summary>Step length, min.</summary>
    public double Step { get; }

    /// <summary>Φ = e^{Ah}, row-major.</summary>
    public ReadOnlySpan<double> Phi => _phi;

    /// <summary>Γ = ∫₀ʰ e^{As} ds, row-major.</summary>
    public ReadOnlySpan<double> Gamma => _gamma;

    /// <summary>Advances <paramref name="x"/> by one step with constant input rate <paramref name="u"/> (null or all-zero for none).</summary>
    /// <param name="x">State, updated in place.</param>
    /// <param name="u">Input rates per state (mg/min), or empty for none.</param>
    /// <param name="scratch">Work array of length <see cref="Order"/>.</param>
    public void Advance(Span<double> x, ReadOnlySpan<double> u, Span<double> scratch)
    {
        var n = Order;
        var hasInput = false;
        foreach (var v in u)
        {
            if (v != 0)
            {
                hasInput = true;
                break;
            }
        }

        for (var i = 0; i < n; i++)
        {
            var row = _phi.AsSpan(i * n, n);
            var s = 0.0;
            for (var j = 0; j < n; j++)
            {
                s += row[j] * x[j];
            }

            if (hasInput)
            {
                var g = _gamma.AsSpan(i * n, n);
                for (var j = 0; j < n; j++)
                {
                    s += g[j] * u[j];
                }
            }

            scratch[i] = s;
        }

        scratch[..n].CopyTo(x);
    }
}

/// <summary>Caches propagators by step length (a simulation mostly repeats one grid step). Not thread-safe.</summary>
internal sealed class PropagatorCache(int n, double[] a)
{
    private const int Capacity = 512;
    private readonly Dictionary<long, Propagator> _cache = [];

    public Propagator Get(double h)
    {
        // Steps that differ only in the last few bits (grid times i·Δt) share one propagator; the
        // difference (< 2^-44 relative) is far below every tolerance the engine states.
        var key = BitConverter.DoubleToInt64Bits(h) >> 8;
        if (!_cache.TryGetValue(key, out var p))
        {
            if (_cache.Count >= Capacity)
            {
                _cache.Clear();
            }

            p = new Propagator(n, a, h);
            _cache[key] = p;
        }

        return p;
    }
}
