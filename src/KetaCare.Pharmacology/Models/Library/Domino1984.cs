namespace KetaCare.Pharmacology.Models.Library;

/// <summary>
/// Racemic ketamine in adults, three-compartment mammillary model in rate-constant form with V1 ∝ weight
/// (Domino EF et al., Clin Pharmacol Ther 1984;36:645–653). Values as carried by STANPUMP and several TCI
/// codes [S]. No ke0 was published: KetaCare offers only borrowed, labelled effect-site constants.
/// </summary>
public sealed class Domino1984 : PkModel
{
    // clinical-reference: Population pharmacokinetic models (domino1984), [S].
    private const double V1PerKg = 0.063, K10 = 0.4381, K12 = 0.5921, K13 = 0.5900, K21 = 0.2470, K31 = 0.0146;

    /// <inheritdoc/>
    public override string Id => "domino1984";

    /// <inheritdoc/>
    public override string Title => "Domino 1984 — racemic ketamine, adults";

    /// <inheritdoc/>
    public override DrugForm Drug => DrugForm.Racemic;

    /// <inheritdoc/>
    public override string Structure => "3-compartment mammillary (central, rapid and slow peripheral), V1 ∝ weight";

    /// <inheritdoc/>
    public override string Citation => "Domino EF, Domino SE, Smith RE, et al. Ketamine kinetics in unmedicated and diazepam-premedicated subjects. Clin Pharmacol Ther 1984;36:645–653";

    /// <inheritdoc/>
    public override Certainty Certainty => Certainty.Secondary;

    /// <inheritdoc/>
    public override StudyPopulation Population { get; } = new("adult volunteers", (18, 65), (50, 100), "venous");

    /// <inheritdoc/>
    public override ExtrapolationLimits Limits { get; } = new((12, 95), (30, 250),
        "Assumption: adult rate constants are not used for children under 12 or for weights a linear V1 cannot describe.");

    /// <inheritdoc/>
    public override IReadOnlyList<ModelParameter> Parameters { get; } =
    [
        new("V1", V1PerKg, "L/kg", "central volume"),
        new("k10", K10, "1/min", "elimination rate constant"),
        new("k12", K12, "1/min", "central → rapid peripheral"),
        new("k13", K13, "1/min", "central → slow peripheral"),
        new("k21", K21, "1/min", "rapid peripheral → central"),
        new("k31", K31, "1/min", "slow peripheral → central"),
    ];

    /// <inheritdoc/>
    public override string Covariates => "V1 = 0.063 L/kg × weight; rate constants independent of covariates";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Notes { get; } =
    [
        "No ke0 was published with this model; software uses placeholders (0.15–1.0 /min). KetaCare offers only the borrowed, labelled Olofsen 2012 analgesia ke0.",
        "Derived at 70 kg: CL 115.9 L/h, Vss 193 L, terminal t½ 114.6 min (clinical reference, domino1984).",
    ];

    /// <inheritdoc/>
    protected override void Define(SystemBuilder b, Covariates patient, Func<string, double> eta)
    {
        var v1 = V1PerKg * patient.Weight.Kilograms * Math.Exp(eta("V1"));
        var c = b.Add("central", CompartmentRole.Central, Species.Parent, v1);
        var p1 = b.Add("rapid peripheral", CompartmentRole.Peripheral, Species.Parent, v1 * K12 / K21);
        var p2 = b.Add("slow peripheral", CompartmentRole.Peripheral, Species.Parent, v1 * K13 / K31);
        b.Flow(c, p1, K12 * Math.Exp(eta("k12")));
        b.Flow(p1, c, K21 * Math.Exp(eta("k21")));
        b.Flow(c, p2, K13 * Math.Exp(eta("k13")));
        b.Flow(p2, c, K31 * Math.Exp(eta("k31")));
        b.Eliminate(c, K10 * Math.Exp(eta("k10")));
    }
}
