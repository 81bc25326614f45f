namespace KetaCare.Pharmacology.Solvers;

/// <summary>Right-hand side f(t, y) → dy/dt written into <c>dydt</c>.</summary>
public delegate void OdeFunction(double t, ReadOnlySpan<double> y, Span<double> dydt);

/// <summary>Tolerances and limits of the adaptive solver.</summary>
/// <param name="RelativeTolerance">Relative tolerance per component (default 1e-8).</param>
/// <param name="AbsoluteTolerance">Absolute tolerance per component, in the state's units (default 1e-12).</param>
/// <param name="MaxSteps">Maximum accepted + rejected steps per call (default 10,000,000).</param>
/// <param name="MaxStep">Largest step, in time units (default unlimited).</param>
public sealed record OdeOptions(double RelativeTolerance = 1e-8, double AbsoluteTolerance = 1e-12, int MaxSteps = 10_000_000, double MaxStep = double.PositiveInfinity);

/// <summary>
/// Adaptive explicit Runge–Kutta of order 5(4), Dormand &amp; Prince 1980 (J Comput Appl Math 6:19), with
/// the FSAL property, the standard step-size controller, and Hairer's 4th-order dense output (DOPRI5,
/// Hairer, Nørsett &amp; Wanner, Solving ODEs I, 2nd ed., §II.5–II.6) for output between steps.
/// Used for nonlinear PD and as the independent check of the exact linear solver.
/// </summary>
public static class DormandPrince
{
    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double A71 = 35.0 / 384, A73 = 500.0 / 1113, A74 = 125.0 / 192, A75 = -2187.0 / 6784, A76 = 11.0 / 84;
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;
    private const double D1 = -12715105075.0 / 11282082432, D3 = 87487479700.0 / 32700410799, D4 = -10690763975.0 / 1880347072;
    private const double D5 = 701980252875.0 / 199316789632, D6 = -1453857185.0 / 822651844, D7 = 69997945.0 / 29380423;

    /// <summary>
    /// Integrates y from <paramref name="t0"/> to <paramref name="t1"/> (t1 ≥ t0) in place, calling
    /// <paramref name="output"/> with the interpolated state at each of <paramref name="outputTimes"/> that
    /// lies in (t0, t1] (ascending). Returns the number of accepted steps.
    /// </summary>
    /// <exception cref="InvalidOperationException">The step budget ran out or the step size underflowed.</exception>
    public static int Integrate(OdeFunction f, double t0, Span<double> y, double t1, OdeOptions options, ReadOnlySpan<double> outputTimes = default, Action<double, ReadOnlySpan<double>>? output = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(options);
        var n = y.Length;
        if (t1 <= t0)
        {
            return 0;
        }

        var k1 = new double[n];
        var k2 = new double[n];
        var k3 = new double[n];
        var k4 = new double[n];
        var k5 = new double[n];
        var k6 = new double[n];
        var k7 = new double[n];
        var yt = new double[n];
        var y1 = new double[n];
        var dense = new double[5 * n];
        var yi = new double[n];
        var rtol = options.RelativeTolerance;
        var atol = options.AbsoluteTolerance;
        var t = t0;
        var next = 0;
        while (next < outputTimes.Length && outputTimes[next] <= t0)
        {
            next++;
        }

        f(t, y, k1);
        var h = InitialStep(f, t, y, k1, rtol, atol, t1 - t0, yt, k2);
        h = Math.Min(h, options.MaxStep);
        var accepted = 0;
        var steps = 0;
        var facOld = 1e-4;
        while (t < t1)
        {
            if (++steps > options.MaxSteps)
            {
                throw new InvalidOperationException($"Dormand–Prince: more than {options.MaxSteps} steps; the problem may be too stiff for an explicit method.");
            }

            var last = false;
            if (t + (h * 1.0000001) >= t1)
            {
                h = t1 - t;
                last = true;
            }

            if (h <= Math.Abs(t) * 1e-15)
            {
                throw new InvalidOperationException("Dormand–Prince: step size underflow.");
            }

            for (var i = 0; i < n; i++)
            {
                yt[i] = y[i] + (h * A21 * k1[i]);
            }

            f(t + (C2 * h), yt, k2);
            for (var i = 0; i < n; i++)
            {
                yt[i] = y[i] + (h * ((A31 * k1[i]) + (A32 * k2[i])));
            }

            f(t + (C3 * h), yt, k3);
            for (var i = 0; i < n; i++)
            {
                yt[i] = y[i] + (h * ((A41 * k1[i]) + (A42 * k2[i]) + (A43 * k3[i])));
            }

            f(t + (C4 * h), yt, k4);
            for (var i = 0; i < n; i++)
            {
                yt[i] = y[i] + (h * ((A51 * k1[i]) + (A52 * k2[i]) + (A53 * k3[i]) + (A54 * k4[i])));
            }

            f(t + (C5 * h), yt, k5);
            for (var i = 0; i < n; i++)
            {
                yt[i] = y[i] + (h * ((A61 * k1[i]) + (A62 * k2[i]) + (A63 * k3[i]) + (A64 * k4[i]) + (A65 * k5[i])));
            }

            var tn = last ? t1 : t + h;
            f(tn, yt, k6);
            for (var i = 0; i < n; i++)
            {
                y1[i] = y[i] + (h * ((A71 * k1[i]) + (A73 * k3[i]) + (A74 * k4[i]) + (A75 * k5[i]) + (A76 * k6[i])));
            }

            f(tn, y1, k7);
            var err = 0.0;
            for (var i = 0; i < n; i++)
            {
                var e = h * ((E1 * k1[i]) + (E3 * k3[i]) + (E4 * k4[i]) + (E5 * k5[i]) + (E6 * k6[i]) + (E7 * k7[i]));
                var sk = atol + (rtol * Math.Max(Math.Abs(y[i]), Math.Abs(y1[i])));
                err += (e / sk) * (e / sk);
            }

            err = Math.Sqrt(err / n);
            if (double.IsNaN(err))
            {
                throw new InvalidOperationException("Dormand–Prince: the solution is not finite.");
            }

            // Lund-stabilised controller (DOPRI5 defaults: safety 0.9, beta 0.04, factor limits 0.2–10).
            var fac11 = Math.Pow(Math.Max(err, 1e-300), 0.2 - (0.04 * 0.75));
            var fac = fac11 / Math.Pow(facOld, 0.04) / 0.9;
            fac = Math.Clamp(fac, 0.1, 5.0);
            if (err <= 1.0)
            {
                facOld = Math.Max(err, 1e-4);
                accepted++;
                if (output is not null && next < outputTimes.Length && outputTimes[next] <= tn)
                {
                    for (var i = 0; i < n; i++)
                    {
                        var ydiff = y1[i] - y[i];
                        var bspl = (h * k1[i]) - ydiff;
                        dense[i] = y[i];
                        dense[n + i] = ydiff;
                        dense[(2 * n) + i] = bspl;
                        dense[(3 * n) + i] = ydiff - (h * k7[i]) - bspl;
                        dense[(4 * n) + i] = h * ((D1 * k1[i]) + (D3 * k3[i]) + (D4 * k4[i]) + (D5 * k5[i]) + (D6 * k6[i]) + (D7 * k7[i]));
                    }

                    while (next < outputTimes.Length && outputTimes[next] <= tn)
                    {
                        var to = outputTimes[next];
                        if (to == tn)
                        {
                            output(to, y1);
                        }
                        else
                        {
                            var theta = (to - t) / h;
                            var theta1 = 1 - theta;
                            for (var i = 0; i < n; i++)
                            {
                                yi[i] = dense[i] + (theta * (dense[n + i] + (theta1 * (dense[(2 * n) + i] + (theta * (dense[(3 * n) + i] + (theta1 * dense[(4 * n) + i])))))));
                            }

                            output(to, yi);
                        }

                        next++;
                    }
                }

                y1.CopyTo(y);
                (k1, k7) = (k7, k1);
                t = tn;
                if (last)
                {
                    break;
                }

                h = Math.Min(h / fac, options.MaxStep);
            }
            else
            {
                h /= Math.Min(5.0, fac11 / 0.9);
            }
        }

        return accepted;
    }

    private static double InitialStep(OdeFunction f, double t, ReadOnlySpan<double> y, double[] f0, double rtol, double atol, double span, double[] y1, double[] f1)
    {
        // Hairer & Wanner's starting-step heuristic (HNW I, §II.4).
        var n = y.Length;
        double dnf = 0, dny = 0;
        for (var i = 0; i < n; i++)
        {
            var sk = atol + (rtol * Math.Abs(y[i]));
            dnf += (f0[i] / sk) * (f0[i] / sk);
            dny += (y[i] / sk) * (y[i] / sk);
        }

        var h = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : Math.Sqrt(dny / dnf) * 0.01;
        h = Math.Min(h, span);
        for (var i = 0; i < n; i++)
        {
            y1[i] = y[i] + (h * f0[i]);
        }

        f(t + h, y1, f1);
        var der2 = 0.0;
        for (var i = 0; i < n; i++)
        {
            var sk = atol + (rtol * Math.Abs(y[i]));
            der2 += ((f1[i] - f0[i]) / sk) * ((f1[i] - f0[i]) / sk);
        }

        der2 = Math.Sqrt(der2) / h;
        var der12 = Math.Max(der2, Math.Sqrt(dnf));
        var h1 = der12 <= 1e-15 ? Math.Max(1e-6, h * 1e-3) : Math.Pow(0.01 / der12, 0.2);
        return Math.Min(Math.Min(100 * h, h1), span);
    }
}
