namespace KetaCare.Pharmacology.Models.Library;

/// <summary>
/// Racemic ketamine in adults, two-compartment model in rate-constant form with V1 ∝ weight (Clements JA,
/// Nimmo WS, Br J Anaesth 1981;53:27). Values from a single secondary transcription [S]; V1 of 1.7522 L/kg is
/// suspiciously large for a central volume. No ke0 was published.
/// </summary>
public sealed class Clements1981 : PkModel
{
    // clinical-reference: Population pharmacokinetic models (clements1981), [S] (one transcription only).
    private const double V1PerKg = 1.7522, K10 = 0.0109, K12 = 0.0186, K21 = 0.0137;

    /// <inheritdoc/>
    public override string Id => "clements1981";

    /// <inheritdoc/>
    public override string Title => "Clements 1981 — racemic ketamine, adults";

    /// <inheritdoc/>
    public override DrugForm Drug => DrugForm.Racemic;

    /// <inheritdoc/>
    public override string Structure => "2-compartment mammillary (central, peripheral), V1 ∝ weight";

    /// <inheritdoc/>
    public override string Citation => "Clements JA, Nimmo WS. Pharmacokinetics and analgesic effect of ketamine in man. Br J Anaesth 1981;53:27";

    /// <inheritdoc/>
    public override Certainty Certainty => Certainty.Secondary;

    // Ranges are not in KetaCare's sources (clinical-reference: "racemic, adults"): the adult range used for
    // Domino 1984 is assumed (see Notes).
    /// <inheritdoc/>
    public override StudyPopulation Population { get; } = new("adults (study details, age and weight ranges not transcribed; adult range assumed)", (18, 65), (50, 100), "not transcribed");

    /// <inheritdoc/>
    public override ExtrapolationLimits Limits { get; } = new((16, 95), (35, 200),
        "Assumption: adult rate constants are not used for children under 16; below 35 kg or above 200 kg a weight-proportional V1 of this size cannot be trusted.");

    /// <inheritdoc/>
    public override IReadOnlyList<ModelParameter> Parameters { get; } =
    [
        new("V1", V1PerKg, "L/kg", "central volume (suspiciously large; one transcription only)"),
        new("k10", K10, "1/min", "elimination rate constant"),
        new("k12", K12, "1/min", "central → peripheral"),
        new("k21", K21, "1/min", "peripheral → central"),
    ];

    /// <inheritdoc/>
    public override string Covariates => "V1 = 1.7522 L/kg × weight; rate constants independent of covariates";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Notes { get; } =
    [
        "V1 1.7522 L/kg is suspiciously large for a central volume and rests on one transcription only [S]; early concentrations after a bolus will be low compared with the other adult models.",
        "No ke0 was published; only the borrowed, labelled Olofsen 2012 analgesia ke0 is offered.",
        "Derived at 70 kg: CL = k10 · V1 ≈ 80 L/h, close to the Kamp 2020 meta-analysis (79 L/h/70 kg).",
        "Studied age and weight ranges are not in KetaCare's sources; an adult range (18–65 years, 50–100 kg) is assumed for the population check.",
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
