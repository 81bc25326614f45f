using System.Collections.Concurrent;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Models;

/// <summary>
/// Assembles a <see cref="CompartmentSystem"/>: compartments, first-order flows, elimination into a
/// per-species "eliminated" state (so mass balance can be checked exactly), effect sites, outputs and
/// route inputs. Amounts of metabolites are kept in parent-equivalent mg (molar), so every flow conserves
/// mass; an output converts to the metabolite's own mass concentration with the molar-mass ratio.
/// </summary>
public sealed class SystemBuilder
{
    private readonly List<Compartment> _compartments = [];
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

        _compartments.Add(new Compartment(name, role, species, volumeLiters));
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
        var depot = Add($"{route.Code()} depot", CompartmentRole.Depot, _compartments[target].Species);
        Flow(depot, target, Guard.Positive(kaPerMinute, "ka"));
        AddRoute(new RouteInput(route, [new InputPath(depot, bioavailability, lagMinutes, zeroOrderMinutes)], source, isAssumption));
        return depot;
    }

    /// <summary>Declares a route with explicit input paths (e.g. IV into central, or a split nasal/swallowed dose).</summary>
    public void AddRoute(RouteInput input) => _routes[input.Route] = input;

    /// <summary>Index of the first state with this name (ordinal comparison); for models that add route inputs to states added in their definition.</summary>
    public int IndexOf(string name)
    {
        var i = _compartments.FindIndex(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        return i >= 0 ? i : throw new InvalidOperationException($"No state named \"{name}\" was added.");
    }

    /// <summary>Index of the parent's central compartment (the first one added).</summary>
    public int Central => _central >= 0 ? _central : throw new InvalidOperationException("No central compartment was added.");

    /// <summary>Builds the immutable system; adds an AUC integral state for every output.</summary>
    public CompartmentSystem Build()
    {
        if (_central < 0)
        {
            throw new InvalidOperationException("A model needs a parent central compartment.");
        }

        if (!_routes.ContainsKey(Route.Intravenous))
        {
            AddRoute(new RouteInput(Route.Intravenous, [new InputPath(_central, 1.0, 0, null)], "IV: F = 1 by definition", false));
        }

        var integrals = new List<int>();
        foreach (var o in _outputs)
        {
            integrals.Add(Add(AucNames.GetOrAdd(o.Label, label => "AUC " + label), CompartmentRole.Integral, _compartments[o.State].Species));
        }

        var n = _compartments.Count;
        var a = new double[n * n];
        foreach (var (from, to, k) in _flows)
        {
            a[(to * n) + from] += k;
            a[(from * n) + from] -= k;
        }

        foreach (var (to, from, k) in _drives)
        {
            a[(to * n) + from] += k;
        }

        var outputs = new List<OutputChannel>();
        for (var i = 0; i < _outputs.Count; i++)
        {
            var (key, label, state, scale) = _outputs[i];
            var s = state;
            var integral = integrals[i];
            a[(integral * n) + s] += scale;
            outputs.Add(new OutputChannel(key, label, s, scale, integral));
        }

        return new CompartmentSystem([.. _compartments], a, outputs, new Dictionary<Route, RouteInput>(_routes), _central);
    }

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
