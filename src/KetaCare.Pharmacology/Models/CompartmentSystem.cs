using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Models;

/// <summary>The chemical species a compartment holds.</summary>
public enum Species
{
    /// <summary>Ketamine (racemic or an enantiomer, as the model says).</summary>
    Parent,

    /// <summary>Norketamine.</summary>
    Norketamine,

    /// <summary>Hydroxynorketamine.</summary>
    Hydroxynorketamine,
}

/// <summary>What a state of the compartment system represents.</summary>
public enum CompartmentRole
{
    /// <summary>Central (sampled) compartment: amount, mg.</summary>
    Central,

    /// <summary>Peripheral compartment: amount, mg.</summary>
    Peripheral,

    /// <summary>Absorption depot of an extravascular route: amount, mg.</summary>
    Depot,

    /// <summary>Transit compartment (metabolite formation delay): amount, mg.</summary>
    Transit,

    /// <summary>Liver compartment (first-pass models): amount, mg.</summary>
    Hepatic,

    /// <summary>Eliminated amount of one species: amount, mg (cumulative).</summary>
    Eliminated,

    /// <summary>Effect-site concentration, mg/L; carries no mass.</summary>
    EffectSite,

    /// <summary>Running integral of a concentration (AUC), mg·min/L; carries no mass.</summary>
    Integral,
}

/// <summary>One state of a compartment system.</summary>
/// <param name="Name">Human-readable name, e.g. "central", "S-norketamine peripheral".</param>
/// <param name="Role">What the state is.</param>
/// <param name="Species">The species it holds.</param>
/// <param name="VolumeLiters">Volume for concentration states, L; NaN where none applies.</param>
public sealed record Compartment(string Name, CompartmentRole Role, Species Species, double VolumeLiters)
{
    /// <summary>True for states that hold drug amount (mass balance counts them).</summary>
    public bool CarriesMass => Role is not (CompartmentRole.EffectSite or CompartmentRole.Integral);

    /// <summary>True for states that hold drug still in the body (depots included, eliminated excluded).</summary>
    public bool InBody => CarriesMass && Role != CompartmentRole.Eliminated;
}

/// <summary>A concentration the model reports.</summary>
/// <param name="Key">Stable key: "plasma", "effect", "norketamine", "hnk".</param>
/// <param name="Label">Label for tables and charts.</param>
/// <param name="State">Index of the state.</param>
/// <param name="Scale">Factor from the state to mg/L (1/V, times a molar-mass ratio for metabolites; 1 for effect-site states).</param>
/// <param name="AucState">Index of the state integrating this concentration, or −1.</param>
public sealed record OutputChannel(string Key, string Label, int State, double Scale, int AucState);

/// <summary>One way a dose given by a route enters the system.</summary>
/// <param name="State">State receiving the drug (a depot, or the central compartment).</param>
/// <param name="Fraction">Fraction of the dose taking this path (bioavailability included).</param>
/// <param name="LagMinutes">Delay before the drug arrives, min.</param>
/// <param name="ZeroOrderMinutes">For a bolus dose: release spread evenly over this time (e.g. an oral film), or null.</param>
public sealed record InputPath(int State, double Fraction, double LagMinutes, double? ZeroOrderMinutes);

/// <summary>How a route delivers drug into this subject's system, with where the numbers come from.</summary>
/// <param name="Route">The route.</param>
/// <param name="Paths">Input paths; their fractions add up to the route's bioavailability.</param>
/// <param name="Source">Citation of F, ka and lag.</param>
/// <param name="IsAssumption">True when the numbers are not the model's own (route table or a labelled assumption).</param>
public sealed record RouteInput(Route Route, IReadOnlyList<InputPath> Paths, string Source, bool IsAssumption)
{
    /// <summary>
    /// Fraction of the dose that enters the model's states by this route. For routes with a pre-systemic
    /// path (a swallowed share that passes a liver compartment or feeds metabolite formation directly) this is
    /// not the systemic bioavailability of the parent drug; see the model's notes.
    /// </summary>
    public double Bioavailability => Paths.Sum(p => p.Fraction);
}

/// <summary>
/// A subject's linear compartment system dx/dt = A·x + u(t) in canonical units (mg, L, min), built by a
/// <see cref="PkModel"/> for one patient's covariates. Immutable; safe to share between threads.
/// </summary>
public sealed class CompartmentSystem
{
    internal CompartmentSystem(IReadOnlyList<Compartment> compartments, double[] a, IReadOnlyList<OutputChannel> outputs, IReadOnlyDictionary<Route, RouteInput> routes, int central)
    {
        Compartments = compartments;
        Matrix = a;
        Outputs = outputs;
        Routes = routes;
        Central = central;
    }

    /// <summary>Number of states.</summary>
    public int Order => Compartments.Count;

    /// <summary>The states.</summary>
    public IReadOnlyList<Compartment> Compartments { get; }

    /// <summary>System matrix, row-major, 1/min; A[i,j] is the rate at which state j feeds state i.</summary>
    internal double[] Matrix { get; }

    /// <summary>System matrix element A[i,j], 1/min.</summary>
    public double this[int i, int j] => Matrix[(i * Order) + j];

    /// <summary>Concentrations the system reports.</summary>
    public IReadOnlyList<OutputChannel> Outputs { get; }

    /// <summary>Routes this subject's system accepts.</summary>
    public IReadOnlyDictionary<Route, RouteInput> Routes { get; }

    /// <summary>Index of the central (plasma) compartment of the parent drug.</summary>
    public int Central { get; }

    /// <summary>Central volume of the parent drug.</summary>
    public Volume CentralVolume => Volume.FromLiters(Compartments[Central].VolumeLiters);

    /// <summary>The output with the given key, or null.</summary>
    public OutputChannel? Output(string key) => Outputs.FirstOrDefault(o => string.Equals(o.Key, key, StringComparison.Ordinal));

    /// <summary>
    /// Parent-drug clearance (elimination plus metabolic conversion) from the central compartment, L/min:
    /// the total outflow rate constant of central that does not return (to peripheral compartments), times V1.
    /// Flow into a liver compartment counts with the fraction extracted there (well-stirred: the liver's
    /// non-returning outflow over its total outflow), so a hepatic model gives CL = Qh · E.
    /// </summary>
    public double ParentClearanceLitersPerMinute
    {
        get
        {
            var n = Order;
            var outflow = 0.0;
            for (var i = 0; i < n; i++)
            {
                if (i == Central || Compartments[i].Role is CompartmentRole.EffectSite or CompartmentRole.Integral)
                {
                    continue;
                }

                var c = Compartments[i];
                var returns = c.Species == Species.Parent && c.Role is CompartmentRole.Peripheral or CompartmentRole.Hepatic;
                if (!returns)
                {
                    outflow += Matrix[(i * n) + Central];
                }
                else if (c.Role == CompartmentRole.Hepatic && Matrix[(i * n) + Central] > 0)
                {
                    // Assumes the liver drains only back to central or into non-returning states (elimination,
                    // metabolites), as in Perez-Ruixo 2021.
                    var total = -Matrix[(i * n) + i];
                    var back = Matrix[(Central * n) + i];
                    outflow += Matrix[(i * n) + Central] * (total - back) / total;
                }
            }

            return outflow * Compartments[Central].VolumeLiters;
        }
    }
}
