namespace KetaCare.Pharmacology.Models.Library;

/// <summary>
/// Racemic ketamine in adult intensive-care patients with brain or spinal cord injury, two-compartment model
/// in rate-constant form with V1 ∝ weight (Hijazi Y et al., Br J Anaesth 2003;90:155). Rate constants from a
/// secondary transcription [S]; they reproduce the abstract's CL 36 mL/kg/min and t½β 4.9 h [P].
/// </summary>
public sealed class Hijazi2003 : PkModel
{
    // clinical-reference: Population pharmacokinetic models (hijazi2003), [S] (rate constants) + [P] (derived CL and t½β in the abstract).
    private const double V1PerKg = 1.08, K10 = 0.0333, K12 = 0.0088, K21 = 0.0030;

    /// <inheritdoc/>
    public override string Id => "hijazi2003";

    /// <inheritdoc/>
    public override string Title => "Hijazi 2003 — racemic ketamine, adult ICU (brain/spinal injury)";

    /// <inheritdoc/>
    public override DrugForm Drug => DrugForm.Racemic;

    /// <inheritdoc/>
    public override string Structure => "2-compartment mammillary (central, peripheral), V1 ∝ weight";

    /// <inheritdoc/>
    public override string Citation => "Hijazi Y, et al. Pharmacokinetics and haemodynamics of ketamine in intensive care patients with brain or spinal cord injury. Br J Anaesth 2003;90:155";

    /// <inheritdoc/>
    public override Certainty Certainty => Certainty.Secondary;

    // Ranges are not in KetaCare's sources: assumption, adult ICU patients (see Notes).
    /// <inheritdoc/>
    public override StudyPopulation Population { get; } = new("adult ICU patients with brain or spinal cord injury (age and weight ranges not transcribed; adult range assumed)", (18, 80), (45, 120), "not transcribed");

    /// <inheritdoc/>
    public override ExtrapolationLimits Limits { get; } = new((16, 95), (35, 200),
        "Assumption: ICU adult rate constants are not used for children under 16; outside 35–200 kg a weight-proportional V1 cannot be trusted.");

    /// <inheritdoc/>
    public override IReadOnlyList<ModelParameter> Parameters { get; } =
    [
        new("V1", V1PerKg, "L/kg", "central volume"),
        new("k10", K10, "1/min", "elimination rate constant"),
        new("k12", K12, "1/min", "central → peripheral"),
        new("k21", K21, "1/min", "peripheral → central"),
    ];

    /// <inheritdoc/>
    public override string Covariates => "V1 = 1.08 L/kg × weight; rate constants independent of covariates";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Notes { get; } =
    [
        "Built on critically ill adults with brain or spinal cord injury; chronic-pain outpatients differ (haemodynamics, co-medication, hepatic blood flow).",
        "The rate constants give CL 36 mL/kg/min and t½β 4.9 h, as in the abstract [P].",
        "No ke0 was published; only the borrowed, labelled Olofsen 2012 analgesia ke0 is offered.",
        "Studied age and weight ranges are not in KetaCare's sources; an adult ICU range (18–80 years, 45–120 kg) is assumed for the population check.",
    ];

    /// <inheritdoc/>
    protected override void Define(SystemBuilder b, Covariates patient, Func<string, double> eta)
    {
        var v1 = V1PerKg * patient.Weight.Kilograms * Math.Exp(eta("V1"));
        var c = b.Add("central", CompartmentRole.Central, Species.Parent, v1);
        var p = b.Add("peripheral", CompartmentRole.Peripheral, Species.Parent, v1 * K12 / K21);
        b.Flow(c, p, K12 * Math.Exp(eta("k12")));
        b.Flow(p, c, K21 * Math.Exp(eta("k21")));
        b.Eliminate(c, K10 * Math.Exp(eta("k10")));
    }
}
