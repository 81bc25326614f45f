using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Dynamics;

/// <summary>
/// A pharmacodynamic model with states of its own, driven by one concentration output of the PK system
/// (plasma, effect site, …). It may be nonlinear; it is integrated jointly with the PK states by the
/// adaptive Dormand–Prince solver (<see cref="Simulation.Engine.RunWithPd"/>).
/// </summary>
public interface INonlinearPdModel
{
    /// <summary>Output key of the driving concentration ("plasma", "effect", …).</summary>
    string DriverKey { get; }

    /// <summary>Names of the PD states, in order.</summary>
    IReadOnlyList<string> StateNames { get; }

    /// <summary>Number of PD states.</summary>
    int StateCount => StateNames.Count;

    /// <summary>Writes the initial PD state.</summary>
    void Initial(Span<double> y);

    /// <summary>dy/dt of the PD states at time t (min) for driving concentration c (mg/L).</summary>
    void Derivative(double t, double concentrationMgPerLiter, ReadOnlySpan<double> y, Span<double> dydt);
}

/// <summary>
/// Indirect-response model with inhibition of the response's production (Dayneka NL, Garg V, Jusko WJ,
/// J Pharmacokinet Biopharm 1993;21:457, model I): dR/dt = kin·(1 − Imax·C^γ/(IC50^γ + C^γ)) − kout·R,
/// R(0) = R0 = kin/kout. Nonlinear in C. KetaCare ships no parameter values for it: none is in
/// the clinical reference, so a clinic or pharmacometrician supplies its own fitted values.
/// </summary>
public sealed class IndirectResponseModel : INonlinearPdModel
{
    /// <summary>Creates the model; every parameter is checked and named in the error.</summary>
    /// <param name="driverKey">Driving output ("plasma" or "effect").</param>
    /// <param name="baseline">R0, the response without drug (&gt; 0, in the response's own unit).</param>
    /// <param name="koutPerMinute">kout, 1/min (&gt; 0).</param>
    /// <param name="imax">Maximal inhibition, 0–1.</param>
    /// <param name="ic50">Concentration of half-maximal inhibition (&gt; 0).</param>
    /// <param name="gamma">Hill coefficient, 0.1–10.</param>
    public IndirectResponseModel(string driverKey, double baseline, double koutPerMinute, double imax, Concentration ic50, double gamma = 1)
    {
        DriverKey = driverKey;
        Baseline = Guard.Positive(baseline, "baseline");
        KoutPerMinute = Guard.Positive(koutPerMinute, "kout");
        Imax = Guard.InRange(imax, 0, 1, "Imax");
        Ic50 = ic50.MilligramsPerLiter > 0 ? ic50 : throw new ArgumentOutOfRangeException(nameof(ic50), "IC50 must be > 0.");
        Gamma = Guard.InRange(gamma, 0.1, 10, "gamma");
    }

    /// <inheritdoc/>
    public string DriverKey { get; }

    /// <summary>R0.</summary>
    public double Baseline { get; }

    /// <summary>kout, 1/min.</summary>
    public double KoutPerMinute { get; }

    /// <summary>Imax, 0–1.</summary>
    public double Imax { get; }

    /// <summary>IC50.</summary>
    public Concentration Ic50 { get; }

    /// <summary>Hill coefficient.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> StateNames { get; } = ["response"];

    /// <summary>Inhibition I(C) = Imax·C^γ/(IC50^γ + C^γ), 0–Imax.</summary>
    public double Inhibition(double concentrationMgPerLiter)
    {
        if (concentrationMgPerLiter <= 0)
        {
            return 0;
        }

        var cg = Math.Pow(concentrationMgPerLiter, Gamma);
        return Imax * cg / (Math.Pow(Ic50.MilligramsPerLiter, Gamma) + cg);
    }

    /// <summary>Steady-state response at a constant concentration: R0·(1 − I(C)).</summary>
    public double SteadyState(double concentrationMgPerLiter) => Baseline * (1 - Inhibition(concentrationMgPerLiter));

    /// <inheritdoc/>
    public void Initial(Span<double> y) => y[0] = Baseline;

    /// <inheritdoc/>
    public void Derivative(double t, double concentrationMgPerLiter, ReadOnlySpan<double> y, Span<double> dydt) =>
        dydt[0] = (KoutPerMinute * Baseline * (1 - Inhibition(concentrationMgPerLiter))) - (KoutPerMinute * y[0]);
}
