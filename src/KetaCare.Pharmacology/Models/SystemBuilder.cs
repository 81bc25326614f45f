using System.Collections.Concurrent;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Models;

/// <summary>
/// Assembles a <see cref="CompartmentSystem"/>: compartments, first-order flows, elimination into a
/// per-species "eliminated" state (so mass balance can be checked exactly), effect sites, outputs and
/// route inputs. Amounts of metabolites are kept in parent-equivalent mg (molar), so every flow conserves
/// mass; an output converts to the metabolite's own mass concentration with the molar-mass ratio.
/// </summary>
/// <remarks>
/// A population run builds 10⁵–10⁶ systems: it reuses one builder per worker (<see cref="Reset"/>) and reads the
/// matrix, outputs and routes from the builder itself (<see cref="Complete"/>, <see cref="FillMatrix"/>), so a
/// subject costs no garbage. States are kept as values and become <see cref="Compartment"/> records only in
/// <see cref="Build"/>.
/// </remarks>
public sealed class SystemBuilder
{
    private readonly List<State> _compartments = [];
    private readonly List<(int From, int To, double K)> _flows = [];
    private readonly List<(int To, int From, double K)> _drives = [];
    private readonly List<(string Key, string Label, int State, double Scale)> _outputs = [];
    private readonly Dictionary<Route, RouteInput> _routes = [];
    private readonly Dictionary<Species, int> _sinks = [];
    private int _central = -1;

    /// <summary>Adds a state and returns its index.</summary>
    /// <param name="name">Human-readable name.</param>
    /// <param name="role">What it is.</param>
    /// <param name="species">What it holds.</param>
    /// <param name="volumeLiters">Volume for concentration compartments, L (&gt; 0), or NaN.</param>
    public int Add(string name, CompartmentRole role, Species species, double volumeLiters = double.NaN)
    {
        // The message is built only for a bad volume: population runs add compartments 10⁵ times and more.
        if (!double.IsNaN(volumeLiters) && !(double.IsFinite(volumeLiters) && volumeLiters > 0))
        {
            Guard.Positive(volumeLiters, $"volume of {name}");
        }

        _compartments.Add(new State(name, role, species, volumeLiters));
        var index = _compartments.Count - 1;
        if (role == CompartmentRole.Central && species == Species.Parent && _central < 0)
        {
            _central = index;
        }

        return index;
    }

    /// <summary>Moves drug from one state to another at first-order rate constant <paramref name="k"/> (1/min, ≥ 0).</summary>
    public void Flow(int from, int to, double k) => _flows.Add((from, to, Guard.NonNegative(k, "rate constant")));

    /// <summary>Eliminates drug from a state at rate constant <paramref name="k"/> (1/min) into its species' eliminated state.</summary>
    public void Eliminate(int from, double k)
    {
        var species = _compartments[from].Species;
        if (!_sinks.TryGetValue(species, out var sink))
        {
            sink = Add(SinkName(species), CompartmentRole.Eliminated, species);
            _sinks[species] = sink;
        }

        Flow(from, sink, k);
    }

    /// <summary>Adds an effect-site state driven by the concentration of <paramref name="central"/>: dCe/dt = ke0·(C − Ce).</summary>
    /// <param name="central">A compartment with a volume.</param>
    /// <param name="ke0PerMinute">Equilibration rate constant, 1/min.</param>
    /// <param name="key">Output key.</param>
    /// <param name="label">Output label.</param>
    /// <param name="driveScale">Factor on the driving concentration (e.g. 0.5 for the S-enantiomer share of a racemate).</param>
    public int EffectSite(int central, double ke0PerMinute, string key = "effect", string label = "Effect site", double driveScale = 1.0)
    {
        Guard.Positive(ke0PerMinute, "ke0");
        var c = _compartments[central];
        var e = Add(label, CompartmentRole.EffectSite, c.Species);
        _drives.Add((e, central, driveScale * ke0PerMinute / c.VolumeLiters));
        _drives.Add((e, e, -ke0PerMinute));
        _outputs.Add((key, label, e, 1.0));
        return e;
    }

    /// <summary>Reports the concentration of a compartment with a volume, in the species' own mass units.</summary>
    public void Output(string key, string label, int state)
    {
        var c = _compartments[state];
        var ratio = MolarMassOf(c.Species).GramsPerMole / MolarMass.Ketamine.GramsPerMole;
        _outputs.Add((key, label, state, ratio / c.VolumeLiters));
    }

    /// <summary>Adds a first-order absorption depot for a route feeding <paramref name="target"/>.</summary>
    /// <param name="route">The route.</param>
    /// <param name="target">State the depot empties into.</param>
    /// <param name="kaPerMinute">Absorption rate constant, 1/min.</param>
    /// <param name="bioavailability">Fraction of the dose absorbed, 0–1.</param>
    /// <param name="lagMinutes">Absorption lag, min.</param>
    /// <param name="source">Citation of the numbers.</param>
    /// <param name="isAssumption">True when they are not the model's own.</param>
    /// <param name="zeroOrderMinutes">Release into the depot spread over this time, or null.</param>
    public int Depot(Route route, int target, double kaPerMinute, double bioavailability, double lagMinutes, string source, bool isAssumption, double? zeroOrderMinutes = null)
    {
        Guard.InRange(bioavailability, 0, 1, "bioavailability");
        Guard.NonNegative(lagMinutes, "lag");
        var depot = Add(DepotNames.GetOrAdd(route, r => r.Code() + " depot"), CompartmentRole.Depot, _compartments[target].Species);
        Flow(depot, target, Guard.Positive(kaPerMinute, "ka"));
        AddRoute(new RouteInput(route, [new InputPath(depot, bioavailability, lagMinutes, zeroOrderMinutes)], source, isAssumption));
        return depot;
    }

    /// <summary>Declares a route with explicit input paths (e.g. IV into central, or a split nasal/swallowed dose).</summary>
    public void AddRoute(RouteInput input) => _routes[input.Route] = input;

    /// <summary>Index of the first state with this name (ordinal comparison); for models that add route inputs to states added in their definition.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < _compartments.Count; i++)
        {
            if (string.Equals(_compartments[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"No state named \"{name}\" was added.");
    }

    /// <summary>Index of the parent's central compartment (the first one added).</summary>
    public int Central => _central >= 0 ? _central : throw new InvalidOperationException("No central compartment was added.");

    /// <summary>Builds the immutable system; adds an AUC integral state for every output.</summary>
    public CompartmentSystem Build()
    {
        Complete();
        var a = new double[Order * Order];
        FillMatrix(a);
        var outputs = new List<OutputChannel>(_outputs.Count);
        for (var i = 0; i < _outputs.Count; i++)
        {
            var (key, label, state, scale) = _outputs[i];
            outputs.Add(new OutputChannel(key, label, state, scale, _integralStart + i));
        }

        var compartments = new Compartment[_compartments.Count];
        for (var i = 0; i < compartments.Length; i++)
        {
            var c = _compartments[i];
            compartments[i] = new Compartment(c.Name, c.Role, c.Species, c.VolumeLiters);
        }

        return new CompartmentSystem(compartments, a, outputs, new Dictionary<Route, RouteInput>(_routes), _central);
    }

    /// <summary>Empties the builder for the next subject, keeping its storage.</summary>
    internal void Reset()
    {
        _compartments.Clear();
        _flows.Clear();
        _drives.Clear();
        _outputs.Clear();
        _routes.Clear();
        _sinks.Clear();
        _central = -1;
        _integralStart = -1;
    }

    /// <summary>Ends the definition: the IV route when the model set none, and an AUC integral state for every output.</summary>
    internal void Complete()
    {
        if (_central < 0)
        {
            throw new InvalidOperationException("A model needs a parent central compartment.");
        }

        if (_integralStart >= 0)
        {
            return;
        }

        if (!_routes.ContainsKey(Route.Intravenous))
        {
            AddRoute(IvInputs.GetOrAdd(_central, c => new RouteInput(Route.Intravenous, [new InputPath(c, 1.0, 0, null)], "IV: F = 1 by definition", false)));
        }

        _integralStart = _compartments.Count;
        foreach (var o in _outputs)
        {
            Add(AucNames.GetOrAdd(o.Label, label => "AUC " + label), CompartmentRole.Integral, _compartments[o.State].Species);
        }
    }

    /// <summary>Number of states (after <see cref="Complete"/>).</summary>
    internal int Order => _compartments.Count;

    /// <summary>Routes set so far.</summary>
    internal IReadOnlyDictionary<Route, RouteInput> Routes => _routes;

    /// <summary>Writes the system matrix, row-major, into the first Order² values of <paramref name="a"/> (after <see cref="Complete"/>).</summary>
    internal void FillMatrix(Span<double> a)
    {
        var n = Order;
        a[..(n * n)].Clear();
        foreach (var (from, to, k) in _flows)
        {
            a[(to * n) + from] += k;
            a[(from * n) + from] -= k;
        }

        foreach (var (to, from, k) in _drives)
        {
            a[(to * n) + from] += k;
        }

        for (var i = 0; i < _outputs.Count; i++)
        {
            var (_, _, state, scale) = _outputs[i];
            a[((_integralStart + i) * n) + state] += scale;
        }
    }

    /// <summary>The state and scale of the output <paramref name="key"/>; false when there is none.</summary>
    internal bool TryGetOutput(string key, out int state, out double scale)
    {
        foreach (var o in _outputs)
        {
            if (string.Equals(o.Key, key, StringComparison.Ordinal))
            {
                (state, scale) = (o.State, o.Scale);
                return true;
            }
        }

        (state, scale) = (-1, 0);
        return false;
    }

    private int _integralStart = -1;

    // A state as added; a Compartment record is made only for a built system.
    private readonly record struct State(string Name, CompartmentRole Role, Species Species, double VolumeLiters);

    // IV into central needs no per-subject numbers: one input per central index, shared by every built system.
    private static readonly ConcurrentDictionary<int, RouteInput> IvInputs = new();

    private static readonly ConcurrentDictionary<Route, string> DepotNames = new();

    // Names of the generated states, made once rather than per built system.
    private static readonly ConcurrentDictionary<string, string> AucNames = new(StringComparer.Ordinal);

    private static string SinkName(Species species) => species switch
    {
        Species.Parent => "eliminated parent",
        Species.Norketamine => "eliminated norketamine",
        Species.Hydroxynorketamine => "eliminated hydroxynorketamine",
        _ => "eliminated " + species.ToString().ToLowerInvariant(),
    };

    internal static MolarMass MolarMassOf(Species s) => s switch
    {
        Species.Norketamine => MolarMass.Norketamine,
        Species.Hydroxynorketamine => MolarMass.Hydroxynorketamine,
        _ => MolarMass.Ketamine,
    };
}
