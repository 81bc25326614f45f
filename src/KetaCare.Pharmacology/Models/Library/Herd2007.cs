namespace KetaCare.Pharmacology.Models.Library;

/// <summary>
/// Racemic ketamine in children given 1–1.5 mg/kg IV for procedural sedation in the emergency department:
/// two-compartment model standardised to 70 kg with allometric scaling (Herd D, Anderson BJ, Paediatr
/// Anaesth 2007;17:622) [P]. The arousal ke0 (t½ke0 11 s) was estimated with this PK model (Herd 2008).
/// </summary>
public sealed class Herd2007 : PkModel
{
    // Herd 2007 abstract [P], per 70 kg: V1 38.7 L (BSV 64 %), V2 102 L (51.7 %), CL 90 L/h (38.1 %), Q 215 L/h (19 %).
    private const double V1 = 38.7, V2 = 102, ClPerHour = 90, QPerHour = 215;

    /// <inheritdoc/>
    public override string Id => "herd2007";

    /// <inheritdoc/>
    public override string Title => "Herd 2007 — racemic ketamine, children (procedural sedation)";

    /// <inheritdoc/>
    public override DrugForm Drug => DrugForm.Racemic;

    /// <inheritdoc/>
    public override string Structure => "2-compartment mammillary, allometric: CL, Q × (WT/70)^0.75; V1, V2 × WT/70";

    /// <inheritdoc/>
    public override string Citation => "Herd D, Anderson BJ. Ketamine disposition in children presenting for procedural sedation and analgesia in a children's emergency department. Paediatr Anaesth 2007;17:622–629";

    /// <inheritdoc/>
    public override Certainty Certainty => Certainty.Primary;

    // The abstract gives mean ± SD only (age 8.3 ± 3.5 y, weight 32.5 ± 15.6 kg, n = 54). KetaCare takes
    // mean ± 2 SD as the studied range: age 1.3–15.3 y; weight up to 63.7 kg. Mean − 2 SD weight (1.3 kg) is
    // meaningless in a cohort of this age, so the lower weight bound is 10 kg, about the weight of the youngest
    // child in that age range (assumption).
    /// <inheritdoc/>
    public override StudyPopulation Population { get; } = new("children in an emergency department, age 8.3 ± 3.5 years, weight 32.5 ± 15.6 kg", (1.3, 15.3), (10, 63.7), "not stated in the abstract (serum samples)", 54);

    /// <inheritdoc/>
    public override ExtrapolationLimits Limits { get; } = new((0.5, 18), (5, 100),
        "Assumption: a paediatric model; adults (over 18) have their own models, and infants under 6 months or 5 kg need maturation functions this model does not have.");

    /// <inheritdoc/>
    public override IReadOnlyList<ModelParameter> Parameters { get; } =
    [
        new("V1", V1, "L per 70 kg", "central volume", "BSV 64 %"),
        new("V2", V2, "L per 70 kg", "peripheral volume", "BSV 51.7 %"),
        new("CL", ClPerHour, "L/h per 70 kg", "clearance", "BSV 38.1 %"),
        new("Q", QPerHour, "L/h per 70 kg", "intercompartmental clearance", "BSV 19 %"),
    ];

    /// <inheritdoc/>
    public override string Covariates => "CL, Q × (WT/70)^0.75; V1, V2 × WT/70 (allometric, standardised to 70 kg)";

    /// <inheritdoc/>
    public override OmegaMatrix? Omega { get; } = OmegaMatrix.FromCv("Herd 2007 abstract (BSV %)", ("V1", 64), ("V2", 51.7), ("CL", 38.1), ("Q", 19));

    /// <inheritdoc/>
    public override IReadOnlyList<Ke0Option> EffectSiteOptions { get; } = [EffectSites.Herd2008Arousal, EffectSites.Olofsen2012Analgesia];

    /// <inheritdoc/>
    public override IReadOnlyList<string> Notes { get; } =
    [
        "Samples were taken over 14–152 min (median 28.5) after the dose: the terminal phase is poorly informed, so predictions after long infusions are extrapolations.",
        "The arousal ke0 (t½ke0 11 s, EC50 0.52 mg/L, Herd 2008) was estimated with this PK model; the Olofsen 2012 analgesia ke0 is borrowed.",
        "Studied ranges are mean ± 2 SD of the abstract's figures (age 1.3–15.3 years, weight up to 63.7 kg) with a 10-kg lower weight bound (assumption).",
    ];

    /// <inheritdoc/>
    protected override void Define(SystemBuilder b, Covariates patient, Func<string, double> eta)
    {
        var w = Wt70(patient);
        var v1 = V1 * w * Math.Exp(eta("V1"));
        var v2 = V2 * w * Math.Exp(eta("V2"));
        var cl = ClPerHour / 60.0 * Math.Pow(w, 0.75) * Math.Exp(eta("CL"));
        var q = QPerHour / 60.0 * Math.Pow(w, 0.75) * Math.Exp(eta("Q"));
        var c = b.Add("central", CompartmentRole.Central, Species.Parent, v1);
        var p = b.Add("peripheral", CompartmentRole.Peripheral, Species.Parent, v2);
        b.Flow(c, p, q / v1);
        b.Flow(p, c, q / v2);
        b.Eliminate(c, cl / v1);
    }
}
