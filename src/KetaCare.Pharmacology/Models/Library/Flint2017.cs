namespace KetaCare.Pharmacology.Models.Library;

/// <summary>
/// S-ketamine by continuous infusion in mechanically ventilated children in paediatric intensive care:
/// two-compartment S-ketamine with a one-compartment S-norketamine metabolite, allometric scaling with
/// exponents 0.75 (clearances) and 1 (volumes) to 70 kg (Flint RB et al., Paediatr Anaesth 2017;27:1098) [S].
/// The metabolite parameters are apparent (divided by the unknown fraction metabolised, Fm), so all S-ketamine
/// clearance is routed into the metabolite compartment; concentrations come out right because Fm cancels.
/// </summary>
public sealed class Flint2017 : PkModel
{
    // clinical-reference: Population pharmacokinetic models (flint2017), [S], per 70 kg. Population, IIV and the time effect: nlmixr2lib
    // transcription of Flint 2017 Tables 2–3 (github.com/nlmixr2/nlmixr2lib, Flint_2017_s_ketamine.R) [S].
    private const double ClPerHour = 112, V1 = 7.73, QPerHour = 196, V2 = 545;
    private const double NkClPerHour = 53.2, NkV = 1.0;

    /// <inheritdoc/>
    public override string Id => "flint2017";

    /// <inheritdoc/>
    public override string Title => "Flint 2017 — S-ketamine and S-norketamine, paediatric ICU";

    /// <inheritdoc/>
    public override DrugForm Drug => DrugForm.SKetamine;

    /// <inheritdoc/>
    public override string Structure => "2-compartment S-ketamine → 1-compartment S-norketamine (apparent CL/Fm, V/Fm), allometric 0.75 (clearances) / 1 (volumes) to 70 kg";

    /// <inheritdoc/>
    public override string Citation => "Flint RB, Brouwer CNM, Kranzlin ASC, Lie-A-Huen L, Bos AP, Mathot RAA. Pharmacokinetics of S-ketamine during prolonged sedation at the pediatric intensive care unit. Paediatr Anaesth 2017;27:1098–1107";

    /// <inheritdoc/>
    public override Certainty Certainty => Certainty.Secondary;

    // nlmixr2lib transcription of Flint 2017 Table 2 [S]: 25 children, 0.02–12.5 years (median 0.42),
    // 3.4–35 kg (median 7.0).
    /// <inheritdoc/>
    public override StudyPopulation Population { get; } = new("mechanically ventilated children in paediatric intensive care on prolonged S-ketamine sedation, age 0.02–12.5 years (median 0.42), weight 3.4–35 kg (median 7)", (0.02, 12.5), (3.4, 35), "not transcribed", 25);

    /// <inheritdoc/>
    public override ExtrapolationLimits Limits { get; } = new((0, 18), (2, 80),
        "Assumption: a paediatric ICU model; adolescents up to 18 and up to 80 kg are accepted with a warning (allometry to the 70-kg standard is built in), adults have their own models; below 2 kg there are no data.");

    /// <inheritdoc/>
    public override IReadOnlyList<ModelParameter> Parameters { get; } =
    [
        new("CL", ClPerHour, "L/h per 70 kg", "S-ketamine clearance (all of it forms the apparent S-norketamine)", "CV 40.2 %"),
        new("V1", V1, "L per 70 kg", "S-ketamine central volume"),
        new("Q", QPerHour, "L/h per 70 kg", "S-ketamine intercompartmental clearance"),
        new("V2", V2, "L per 70 kg", "S-ketamine peripheral volume"),
        new("CL_NK/Fm", NkClPerHour, "L/h per 70 kg", "apparent S-norketamine clearance", "CV 104 % (r = 0.506 with CL)"),
        new("V_NK/Fm", NkV, "L per 70 kg", "apparent S-norketamine volume (fixed)"),
        new("time on CL_NK/Fm", 0.870, "% per hour", "increase of CL_NK/Fm with time after the first dose (not applied, see notes)"),
    ];

    /// <inheritdoc/>
    public override string Covariates => "CL, Q, CL_NK/Fm × (WT/70)^0.75; V1, V2, V_NK/Fm × WT/70. Published but not applied: CL_NK/Fm rises 0.870 %/h with time after the first dose";

    // nlmixr2lib transcription of Flint 2017 Table 3 [S]: CV 40.2 % (CL), 104 % (CL_NK), r = 0.506;
    // ω² = ln(1 + CV²), covariance = r·ω_CL·ω_NK.
    /// <inheritdoc/>
    public override OmegaMatrix? Omega { get; } = CorrelatedOmega();

    /// <inheritdoc/>
    public override IReadOnlyList<string> Notes { get; } =
    [
        "S-norketamine parameters are apparent (divided by the unknown fraction metabolised, Fm): KetaCare routes all S-ketamine clearance into the metabolite compartment, so the S-norketamine concentration is right but its amounts are not real amounts.",
        "V_NK/Fm was fixed to 1 L/70 kg by the authors: the metabolite equilibrates within minutes, so only its formation and clearance are informative.",
        "The published rise of CL_NK/Fm with time (0.870 %/h) is not applied (KetaCare's systems are time-invariant): after 48 h of infusion CL_NK/Fm is about 42 % higher than at the start, so steady S-norketamine is over-predicted by roughly that much.",
        "The metabolite concentration is converted from S-ketamine-equivalent moles to S-norketamine mass (× 223.7/237.7); whether the paper's fit did this is not in KetaCare's sources (≈ 6 % difference).",
        "Built on infants and young children (median 5 months) on prolonged sedation with lorazepam co-medication; adolescent predictions are extrapolations.",
        "No ke0 was published; only the borrowed, labelled Olofsen 2012 analgesia ke0 is offered.",
    ];

    /// <inheritdoc/>
    protected override void Define(SystemBuilder b, Covariates patient, Func<string, double> eta)
    {
        var w = Wt70(patient);
        var a = Math.Pow(w, 0.75);
        var v1 = V1 * w;
        var v2 = V2 * w;
        var cl = ClPerHour / 60.0 * a * Math.Exp(eta("CL"));
        var q = QPerHour / 60.0 * a;
        var vNk = NkV * w;
        var clNk = NkClPerHour / 60.0 * a * Math.Exp(eta("CL_NK"));

        var c = b.Add("S-ketamine central", CompartmentRole.Central, Species.Parent, v1);
        var p = b.Add("S-ketamine peripheral", CompartmentRole.Peripheral, Species.Parent, v2);
        var nk = b.Add("S-norketamine (apparent)", CompartmentRole.Central, Species.Norketamine, vNk);
        b.Flow(c, p, q / v1);
        b.Flow(p, c, q / v2);

        // All S-ketamine clearance forms the apparent metabolite: Fm is absorbed in CL_NK/Fm and V_NK/Fm.
        b.Flow(c, nk, cl / v1);
        b.Eliminate(nk, clNk / vNk);
        b.Output("norketamine", "S-norketamine", nk);
    }

    private static OmegaMatrix CorrelatedOmega()
    {
        var wCl = Math.Log(1 + (0.402 * 0.402));
        var wNk = Math.Log(1 + (1.04 * 1.04));
        var cov = 0.506 * Math.Sqrt(wCl * wNk);
        return new OmegaMatrix(["CL", "CL_NK"], [wCl, cov, cov, wNk], "Flint 2017 Table 3 via nlmixr2lib transcription [S]: CV 40.2 % (CL), 104 % (CL_NK/Fm), r = 0.506");
    }
}
