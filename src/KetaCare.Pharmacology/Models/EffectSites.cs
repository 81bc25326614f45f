namespace KetaCare.Pharmacology.Models;

/// <summary>The effect-site equilibration constants KetaCare knows, each with its source (clinical-reference: Concentration and effect (concentration-effect)).</summary>
public static class EffectSites
{
    /// <summary>
    /// Analgesia, S-ketamine: t½ke0 11.8 min (Olofsen E et al., Anesthesiology 2012;117:353) [P].
    /// Estimated with its own PK model; applied to other models it is borrowed and labelled so.
    /// </summary>
    public static Ke0Option Olofsen2012Analgesia { get; } = new(
        "olofsen2012", Math.Log(2) / 11.8,
        "blood–effect-site equilibration for analgesia (S-ketamine), t½ke0 11.8 min",
        "Olofsen E et al., Anesthesiology 2012;117:353", Certainty.Primary, Borrowed: true);

    /// <summary>Arousal/sedation in children: t½ke0 11 s (Herd DW et al. 2008, with the Herd 2007 PK model) [P].</summary>
    public static Ke0Option Herd2008Arousal { get; } = new(
        "herd2008", Math.Log(2) / (11.0 / 60.0),
        "arousal in children (racemic), t½ke0 11 s; EC50 arousal 0.52 mg/L",
        "Herd DW, Anderson BJ, Holford NHG 2008 (with Herd 2007, Paediatr Anaesth 2007;17:622)", Certainty.Primary, Borrowed: false);

    /// <summary>All known options.</summary>
    public static IReadOnlyList<Ke0Option> All { get; } = [Olofsen2012Analgesia, Herd2008Arousal];

    /// <summary>A clinician-supplied ke0, labelled as such.</summary>
    public static Ke0Option UserSupplied(double ke0PerMinute) => new(
        "user", Guard.Positive(ke0PerMinute, "ke0"), "user-supplied ke0", "supplied by the user (not a published value)", Certainty.Assumption, Borrowed: true);
}
