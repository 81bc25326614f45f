using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Dynamics;

/// <summary>Which ketamine is present.</summary>
public enum Enantiomer
{
    /// <summary>Racemic ketamine (50 % S, 50 % R).</summary>
    Racemic,

    /// <summary>S-ketamine (esketamine).</summary>
    S,

    /// <summary>R-ketamine (arketamine).</summary>
    R,
}

/// <summary>A receptor or channel ketamine binds, with its affinity constants (µM) and their sources (clinical-reference: Receptor and channel targets (receptor-targets)).</summary>
/// <param name="Id">Stable id, e.g. "nmda-forebrain".</param>
/// <param name="Name">Display name.</param>
/// <param name="KiRacemicMicromolar">Ki/IC50 measured for the racemate, µM, or null.</param>
/// <param name="KiSMicromolar">Ki/IC50 of S-ketamine, µM, or null.</param>
/// <param name="KiRMicromolar">Ki/IC50 of R-ketamine, µM, or null.</param>
/// <param name="Source">Citation.</param>
/// <param name="Certainty">How sure.</param>
/// <param name="Note">Caveat, or null.</param>
public sealed record ReceptorTarget(string Id, string Name, double? KiRacemicMicromolar, double? KiSMicromolar, double? KiRMicromolar, string Source, Certainty Certainty, string? Note = null)
{
    /// <summary>True when no affinity at clinical concentrations is known (occupancy is not computed).</summary>
    public bool NoAffinity => KiRacemicMicromolar is null && KiSMicromolar is null && KiRMicromolar is null;
}

/// <summary>Occupancy of one target.</summary>
/// <param name="Target">The target.</param>
/// <param name="Occupancy">Fraction of sites occupied, 0–1 (NaN when the target has no known affinity).</param>
/// <param name="EffectiveKiMicromolar">The Ki that applies to the mixture present, µM (NaN when none).</param>
/// <param name="Basis">How it was computed ("S and R competing", "racemic Ki", …).</param>
public sealed record OccupancyResult(ReceptorTarget Target, double Occupancy, double EffectiveKiMicromolar, string Basis);

/// <summary>
/// Receptor and channel occupancy from the unbound plasma concentration by the law of mass action,
/// occupancy = Σ(Cu,i/Ki,i) / (1 + Σ(Cu,i/Ki,i)) for ligands competing at one site (one ligand: Cu/(Cu + Ki)).
/// Makes the clinic requirements' "at higher concentrations it also acts on opioid receptors, blocks sodium and
/// potassium channels" quantitative: analgesic concentrations sit near the NMDA Ki, while opioid
/// receptors and Na⁺ channels are reached only at anaesthetic concentrations. Thread-safe.
/// </summary>
public static class ReceptorOccupancy
{
    /// <summary>
    /// Default unbound fraction 0.6: plasma protein binding 12–47 % gives fu 0.53–0.88 (Dayton 1983) [P];
    /// 0.6 is a labelled assumption (clinical-reference: Receptor and channel targets (dayton1983)).
    /// </summary>
    public const double DefaultUnboundFraction = 0.6;

    /// <summary>Norketamine Ki at the NMDA receptor, µM (clinical-reference: Receptor and channel targets (receptor-targets); ≈ 1/3 the potency of ketamine).</summary>
    public const double NorketamineNmdaKiMicromolar = 2.5;

    /// <summary>The targets, in the order of the clinical reference (receptor-targets).</summary>
    public static IReadOnlyList<ReceptorTarget> Targets { get; } =
    [
        new("nmda-forebrain", "NMDA receptor (PCP site), forebrain", 0.3, 0.30, 1.4,
            "racemic: Shimoyama 1999, Pain 81:85 [P]; S 0.30, R 1.4 µM: Ebert 1997 [S]", Certainty.Primary),
        new("nmda-spinal", "NMDA receptor (PCP site), spinal cord", 1.0, null, null,
            "Shimoyama 1999, Pain 81:85 [P]", Certainty.Primary, "measured for the racemate only; used for S and R too"),
        new("mu-opioid", "μ-opioid receptor", 42, null, null, "Hirota 1999, Anesthesiology 90:174 (pKi 4.38) [P]", Certainty.Primary),
        new("kappa-opioid", "κ-opioid receptor", 28, null, null, "Hirota 1999, Anesthesiology 90:174 (pKi 4.55) [P]", Certainty.Primary),
        new("delta-opioid", "δ-opioid receptor", 270, null, null, "Hirota 1999, Anesthesiology 90:174 [P]", Certainty.Primary),
        new("nav-dorsal-horn", "Na⁺ channels (dorsal horn neurons)", null, 128, 269, "Schnoebel 2005 [P]", Certainty.Primary),
        new("nav-human", "Na⁺ channels (human neuronal)", 1140, null, null, "Reckziegel 2002 [P]", Certainty.Primary),
        new("k-delayed-rectifier", "K⁺ channels (delayed rectifier)", null, 266, 196, "Schnoebel 2005 [P]", Certainty.Primary),
        new("hcn1", "HCN1 channel (human)", 67, null, null, "oocyte study [P]", Certainty.Primary, "mouse HCN1 ≈ 4–8 µM (Chen 2009 [S])"),
        new("alpha7", "α7 nicotinic acetylcholine receptor", 20, null, null, "Coates & Flood 2001 [P]", Certainty.Primary),
        new("gaba-a", "GABA-A receptor", null, null, null, "Peltoniemi 2016 [P]", Certainty.Primary, "no affinity at clinical concentrations; GABA effects are indirect"),
    ];

    /// <summary>Finds a target by id, or null.</summary>
    public static ReceptorTarget? Find(string id) => Targets.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    /// <summary>Occupancy of every target at a total (bound + unbound) plasma concentration.</summary>
    /// <param name="total">Total plasma concentration of ketamine (of the form given by <paramref name="form"/>).</param>
    /// <param name="form">Racemic, S or R.</param>
    /// <param name="unboundFraction">Unbound fraction, 0–1 (default 0.6, assumption).</param>
    /// <param name="norketamine">Total norketamine concentration, competing at the NMDA site, or null.</param>
    public static IReadOnlyList<OccupancyResult> Compute(Concentration total, Enantiomer form = Enantiomer.Racemic, double unboundFraction = DefaultUnboundFraction, Concentration? norketamine = null)
    {
        Guard.InRange(unboundFraction, 0.01, 1, nameof(unboundFraction));
        var unbound = total.Micromolar() * unboundFraction;
        var nk = norketamine is { } n ? n.Micromolar(MolarMass.Norketamine) * unboundFraction : 0.0;
        var results = new List<OccupancyResult>(Targets.Count);
        foreach (var t in Targets)
        {
            results.Add(Occupy(t, unbound, form, t.Id.StartsWith("nmda", StringComparison.Ordinal) ? nk : 0.0));
        }

        return results;
    }

    /// <summary>Occupancy of one target by an unbound concentration (µM).</summary>
    internal static OccupancyResult Occupy(ReceptorTarget t, double unboundMicromolar, Enantiomer form, double norketamineUnboundMicromolar = 0)
    {
        if (t.NoAffinity)
        {
            return new OccupancyResult(t, double.NaN, double.NaN, "no known affinity");
        }

        double ratio; // Σ Cu/Ki of the ketamine present
        string basis;
        switch (form)
        {
            case Enantiomer.S when t.KiSMicromolar is { } ks:
                ratio = unboundMicromolar / ks;
                basis = "S-ketamine Ki";
                break;
            case Enantiomer.R when t.KiRMicromolar is { } kr:
                ratio = unboundMicromolar / kr;
                basis = "R-ketamine Ki";
                break;
            case Enantiomer.Racemic when t.KiRacemicMicromolar is { } krac:
                ratio = unboundMicromolar / krac;
                basis = "racemic Ki";
                break;
            case Enantiomer.Racemic when t.KiSMicromolar is { } s2 && t.KiRMicromolar is { } r2:
                ratio = (0.5 * unboundMicromolar / s2) + (0.5 * unboundMicromolar / r2);
                basis = "S and R competing (50:50)";
                break;
            default:
                // Only one published constant: applied to whatever form is present.
                var k = t.KiRacemicMicromolar ?? t.KiSMicromolar ?? t.KiRMicromolar!.Value;
                ratio = unboundMicromolar / k;
                basis = t.KiRacemicMicromolar is not null ? "racemic Ki (no enantiomer value)" : "single published Ki";
                break;
        }

        var effectiveKi = ratio > 0 ? unboundMicromolar / ratio : EffectiveKi(t, form);
        if (norketamineUnboundMicromolar > 0)
        {
            ratio += norketamineUnboundMicromolar / NorketamineNmdaKiMicromolar;
            basis += " + norketamine competing";
        }

        return new OccupancyResult(t, ratio / (1 + ratio), effectiveKi, basis);
    }

    private static double EffectiveKi(ReceptorTarget t, Enantiomer form)
    {
        // Mixture Ki at vanishing concentration: the harmonic combination used above.
        var probe = Occupy(t, 1e-9, form);
        return 1e-9 * (1 - probe.Occupancy) / probe.Occupancy;
    }
}
