namespace KetaCare.Pharmacology.Models.Library;

/// <summary>
/// S-ketamine IV and as a sublingual/buccal oral thin film in healthy volunteers, with its metabolites
/// S-norketamine and S-hydroxynorketamine (Simons P et al., Front Pain Res 2022;3:946486) [S]. Three-compartment
/// S-ketamine; cleared S-ketamine passes a two-compartment transit chain of which 80 % forms a two-compartment
/// S-norketamine; cleared S-norketamine passes a second two-compartment chain of which 70 % forms a
/// two-compartment S-hydroxynorketamine. The film (Route.Sublingual) is absorbed through the oral mucosa
/// (F 26.3 %, zero-order over 13.1 min into a depot, ka 0.04 /min) and, for the swallowed share, straight
/// into first-pass metabolism.
/// </summary>
public sealed class Simons2022 : PkModel
{
    // clinical-reference: Population pharmacokinetic models (simons2022), [S], at 70 kg; L and L/min.
    private const double Vk1 = 11.6, Vk2 = 39.0, Vk3 = 174, Clk1 = 1.48, Clk2 = 2.43, Clk3 = 1.21;
    private const double MttKToNk = 20.1, FmNk = 0.80;
    private const double Vn2 = 221, Cln1 = 1.00, Cln2 = 2.63;
    private const double MttNkToHnk = 1.12, FmHnk = 0.70;
    private const double Vh1 = 4.4, Vh2 = 87.5, Clh1 = 0.933, Clh2 = 1.70;

    // Oral thin film, mucosal path: clinical-reference (simons2022) [S] (F1 26.3 %, D1 13.1 min, KA1 0.04 /min).
    private const double FilmMucosalF = 0.263, FilmMucosalMinutes = 13.1, FilmMucosalKa = 0.04;

    // Oral thin film, swallowed path, and the number of compartments in each metabolism chain: not in
    // the clinical reference's table; from the nlmixr2lib transcription of Simons 2022 Table 4 and Figure 2
    // (github.com/nlmixr2/nlmixr2lib, inst/modeldb/specificDrugs/Simons_2022_s_ketamine.R) [S]:
    // F2 116 %, D2 29.9 min, KA2 0.049 /min, gut-to-liver MTT 10.7 min; two compartments per chain.
    private const double FilmSwallowedF = 1.16, FilmSwallowedMinutes = 29.9, FilmGutKa = 0.049, MttGut = 10.7;
    private const int ChainCompartments = 2;
    private const string KToNkChain = "S-ketamine → S-norketamine";

    // Allometric exponents: Table 4 gives values "@ 70 kg" without exponents; 0.75 / 1 is a KetaCare assumption.
    private const double ClearanceExponent = 0.75;

    /// <inheritdoc/>
    public override string Id => "simons2022";

    /// <inheritdoc/>
    public override string Title => "Simons 2022 — S-ketamine IV and oral thin film, with S-norketamine and S-hydroxynorketamine";

    /// <inheritdoc/>
    public override DrugForm Drug => DrugForm.SKetamine;

    /// <inheritdoc/>
    public override string Structure => "3-compartment S-ketamine → 2-compartment transit (MTT 20.1 min, 80 %) → 2-compartment S-norketamine → 2-compartment transit (MTT 1.12 min, 70 %) → 2-compartment S-hydroxynorketamine; film: mucosal zero-order + first-order depot, swallowed share into first-pass metabolism";

    /// <inheritdoc/>
    public override string Citation => "Simons P, Olofsen E, van Velzen M, van Lemmen M, Mooren R, van Dasselaar T, Mohr P, Hammes F, van der Schrier R, Niesters M, Dahan A. S-Ketamine Oral Thin Film—Part 1: Population Pharmacokinetics of S-Ketamine, S-Norketamine and S-Hydroxynorketamine. Front Pain Res 2022;3:946486";

    /// <inheritdoc/>
    public override Certainty Certainty => Certainty.Secondary;

    // 20 healthy volunteers, 10 women, age 19–32 years (mean 24), weight 53–93 kg (mean 73): Simons P,
    // PhD thesis, Leiden 2024 (clinical-reference: Simons thesis (simons2024thesis)), ch. 3 results, and the
    // nlmixr2lib transcription of Simons 2022 Table 1 [S];
    // radial-artery samples: thesis ch. 2 methods.
    /// <inheritdoc/>
    public override StudyPopulation Population { get; } = new("healthy volunteers (10 women, 10 men), age 19–32 years (mean 24), weight 53–93 kg (mean 73)", (19, 32), (53, 93), "arterial (radial artery)", 20);

    /// <inheritdoc/>
    public override ExtrapolationLimits Limits { get; } = new((16, 90), (40, 150),
        "Assumption: built on 20 young healthy adults; older adults (the chronic-pain population) are accepted with a warning, children under 16 are refused, and outside 40–150 kg the assumed allometric exponents are not trusted.");

    /// <inheritdoc/>
    public override IReadOnlyList<ModelParameter> Parameters { get; } =
    [
        new("VK1", Vk1, "L at 70 kg", "S-ketamine central volume (also the S-norketamine central volume)", "ω² 0.057"),
        new("VK2", Vk2, "L at 70 kg", "S-ketamine rapid peripheral volume"),
        new("VK3", Vk3, "L at 70 kg", "S-ketamine slow peripheral volume"),
        new("CLK1", Clk1, "L/min at 70 kg", "S-ketamine clearance (into the metabolism chain)", "ω² 0.029"),
        new("CLK2", Clk2, "L/min at 70 kg", "S-ketamine intercompartmental clearance, rapid"),
        new("CLK3", Clk3, "L/min at 70 kg", "S-ketamine intercompartmental clearance, slow", "ω² 0.026"),
        new("MTT K→NK", MttKToNk, "min", "mean transit time of the S-ketamine metabolism chain", "ω² 0.021"),
        new("Fm NK", FmNk, "fraction", "share of metabolised S-ketamine forming S-norketamine (fixed by the authors)"),
        new("VN2", Vn2, "L at 70 kg", "S-norketamine peripheral volume"),
        new("CLN1", Cln1, "L/min at 70 kg", "S-norketamine clearance (into the metabolism chain)", "ω² 0.050"),
        new("CLN2", Cln2, "L/min at 70 kg", "S-norketamine intercompartmental clearance"),
        new("MTT NK→HNK", MttNkToHnk, "min", "mean transit time of the S-norketamine metabolism chain"),
        new("Fm HNK", FmHnk, "fraction", "share of metabolised S-norketamine forming S-hydroxynorketamine (fixed by the authors)"),
        new("VH1", Vh1, "L at 70 kg", "S-hydroxynorketamine central volume", "ω² 1.22"),
        new("VH2", Vh2, "L at 70 kg", "S-hydroxynorketamine peripheral volume"),
        new("CLH1", Clh1, "L/min at 70 kg", "S-hydroxynorketamine clearance", "ω² 0.103"),
        new("CLH2", Clh2, "L/min at 70 kg", "S-hydroxynorketamine intercompartmental clearance", "ω² 0.287"),
        new("F1", FilmMucosalF, "fraction", "film: oral-mucosal bioavailability", "IOV ν² 0.060"),
        new("D1", FilmMucosalMinutes, "min", "film: duration of zero-order mucosal release into the depot", "IOV ν² 0.154"),
        new("KA1", FilmMucosalKa, "1/min", "film: mucosal absorption rate constant", "IOV ν² 0.062"),
        new("F2", FilmSwallowedF, "fraction", "film: swallowed share delivered into first-pass metabolism (apparent; see notes)", "IOV ν² 0.057"),
        new("D2", FilmSwallowedMinutes, "min", "film: duration of zero-order release of the swallowed share", "IOV ν² 0.611"),
        new("KA2", FilmGutKa, "1/min", "film: gastrointestinal absorption rate constant", "IOV ν² 0.376"),
        new("MTT gut", MttGut, "min", "film: gut-to-liver mean transit time (one compartment)", "IOV ν² 0.937"),
        new("allometric exponent, clearances", ClearanceExponent, "–", "not published; standard value (assumption)", null, Certainty.Assumption),
        new("allometric exponent, volumes", 1.0, "–", "not published; standard value (assumption)", null, Certainty.Assumption),
    ];

    /// <inheritdoc/>
    public override string Covariates => "Values at 70 kg; clearances × (WT/70)^0.75 and volumes × WT/70 (exponents assumed by KetaCare, not published). No other covariates.";

    /// <inheritdoc/>
    public override OmegaMatrix? Omega { get; } = OmegaMatrix.Diagonal(
        "Simons 2022 Table 4 (ω²): V1, CL, Q3, NK CL from the clinical reference (simons2022) [S]; MTT K→NK, VH1, CLH1, CLH2 from the nlmixr2lib transcription [S]",
        ("V1", 0.057), ("CL", 0.029), ("Q3", 0.026), ("CL_NK", 0.050), ("MTT_NK", 0.021), ("V1_HNK", 1.22), ("CL_HNK", 0.103), ("Q_HNK", 0.287));

    /// <inheritdoc/>
    public override IReadOnlyList<string> Notes { get; } =
    [
        "The oral thin film is entered as route \"sublingual\" (buccal placement maps to it too; the paper found no difference). Swallowed (oral) S-ketamine is not the film: it uses the route table (Fanta 2015, F 0.08, labelled assumption) straight into plasma, without the first-pass metabolite formation this model estimates for the film.",
        "Film, mucosal path: F 26.3 % released zero-order over 13.1 min into a depot absorbed at 0.04 /min; the plasma S-ketamine AUC of the film is 0.263 × that of the same IV dose.",
        "Film, swallowed path (nlmixr2lib transcription of Table 4 [S]): F2 = 116 % of the dose, zero-order over 29.9 min into a gut depot (0.049 /min), then a gut-to-liver delay (MTT 10.7 min) into the S-ketamine metabolism chain, never reaching plasma as S-ketamine. F2 above 100 % is an apparent value (the S-norketamine central volume was fixed to the S-ketamine one), so for the film the model takes up 1.42 × the dose in S-ketamine equivalents; mass balance is kept against that.",
        "Two compartments per metabolism chain and the swallowed-path parameters are not in the clinical reference's table; they come from the nlmixr2lib transcription of Simons 2022 (Figure 2, Table 4) [S].",
        "Allometric exponents 0.75 (clearances) and 1 (volumes) are a KetaCare assumption: the paper reports values at 70 kg without exponents.",
        "Inter-occasion variability (film absorption, MTTs, VH2, CLH1) is listed with the parameters but not simulated; the 20 % lower F of the 100-mg film (not significant) is not applied.",
        "Arterial samples: early concentrations after IV doses are higher than venous-sampled models predict (Otto 2021).",
        "No ke0 was published with this PK model; only the borrowed, labelled Olofsen 2012 analgesia ke0 is offered.",
        "A clinic's own sublingual route parameters (route override) replace the film model with a plain first-order depot into plasma.",
    ];

    /// <inheritdoc/>
    protected override bool DefinesRoute(Route route) => route == Route.Sublingual;

    /// <inheritdoc/>
    protected override void Define(SystemBuilder b, Covariates patient, Func<string, double> eta)
    {
        var w = Wt70(patient);
        var a = Math.Pow(w, ClearanceExponent);

        var vk1 = Vk1 * w * Math.Exp(eta("V1"));
        var vk2 = Vk2 * w;
        var vk3 = Vk3 * w;
        var clk1 = Clk1 * a * Math.Exp(eta("CL"));
        var clk2 = Clk2 * a;
        var clk3 = Clk3 * a * Math.Exp(eta("Q3"));
        var k = b.Add("S-ketamine central", CompartmentRole.Central, Species.Parent, vk1);
        var k2 = b.Add("S-ketamine rapid peripheral", CompartmentRole.Peripheral, Species.Parent, vk2);
        var k3 = b.Add("S-ketamine slow peripheral", CompartmentRole.Peripheral, Species.Parent, vk3);
        b.Flow(k, k2, clk2 / vk1);
        b.Flow(k2, k, clk2 / vk2);
        b.Flow(k, k3, clk3 / vk1);
        b.Flow(k3, k, clk3 / vk3);

        // VN1 = VK1 (Figure 2): the S-norketamine central volume shares the S-ketamine V1 and its eta.
        var vn1 = vk1;
        var vn2 = Vn2 * w;
        var cln1 = Cln1 * a * Math.Exp(eta("CL_NK"));
        var cln2 = Cln2 * a;
        var nk = b.Add("S-norketamine central", CompartmentRole.Central, Species.Norketamine, vn1);
        var nk2 = b.Add("S-norketamine peripheral", CompartmentRole.Peripheral, Species.Norketamine, vn2);
        b.Flow(nk, nk2, cln2 / vn1);
        b.Flow(nk2, nk, cln2 / vn2);

        var vh1 = Vh1 * w * Math.Exp(eta("V1_HNK"));
        var vh2 = Vh2 * w;
        var clh1 = Clh1 * a * Math.Exp(eta("CL_HNK"));
        var clh2 = Clh2 * a * Math.Exp(eta("Q_HNK"));
        var h = b.Add("S-hydroxynorketamine central", CompartmentRole.Central, Species.Hydroxynorketamine, vh1);
        var h2 = b.Add("S-hydroxynorketamine peripheral", CompartmentRole.Peripheral, Species.Hydroxynorketamine, vh2);
        b.Flow(h, h2, clh2 / vh1);
        b.Flow(h2, h, clh2 / vh2);
        b.Eliminate(h, clh1 / vh1);

        // S-ketamine clearance → chain (MTT 20.1 min) → 80 % S-norketamine, 20 % lost (other pathways).
        var nkEntry = Chain(b, KToNkChain, Species.Parent, MttKToNk * Math.Exp(eta("MTT_NK")), nk, FmNk);
        b.Flow(k, nkEntry, clk1 / vk1);

        // S-norketamine clearance → chain (MTT 1.12 min) → 70 % S-hydroxynorketamine, 30 % lost.
        var hnkEntry = Chain(b, "S-norketamine → S-hydroxynorketamine", Species.Norketamine, MttNkToHnk, h, FmHnk);
        b.Flow(nk, hnkEntry, cln1 / vn1);

        b.Output("norketamine", "S-norketamine", nk);
        b.Output("hnk", "S-hydroxynorketamine", h);
    }

    /// <inheritdoc/>
    protected override void DefineRoutes(SystemBuilder b, SubjectOptions options)
    {
        if (!options.Routes.Contains(Route.Sublingual))
        {
            return;
        }

        if (options.RouteOverrides is not null && options.RouteOverrides.TryGetValue(Route.Sublingual, out var o))
        {
            b.Depot(Route.Sublingual, b.Central, o.KaPerMinute, o.Bioavailability, o.LagMinutes, o.Source, o.IsAssumption);
            return;
        }

        var mucosa = b.Add("film mucosal depot", CompartmentRole.Depot, Species.Parent);
        b.Flow(mucosa, b.Central, FilmMucosalKa);
        var gut = b.Add("film swallowed gut depot", CompartmentRole.Depot, Species.Parent);
        var portal = b.Add("film gut-to-liver transit", CompartmentRole.Transit, Species.Parent);
        b.Flow(gut, portal, FilmGutKa);
        b.Flow(portal, b.IndexOf($"{KToNkChain} transit 1"), 1.0 / MttGut);
        b.AddRoute(new RouteInput(Route.Sublingual,
        [
            new InputPath(mucosa, FilmMucosalF, 0, FilmMucosalMinutes),
            new InputPath(gut, FilmSwallowedF, 0, FilmSwallowedMinutes),
        ], "S-ketamine oral thin film: Simons 2022 (mucosal F 0.263, 13.1 min, ka 0.04 /min [S]; swallowed F2 1.16, 29.9 min, ka 0.049 /min, MTT 10.7 min, nlmixr2lib transcription [S])", false));
    }

    // A chain of transit compartments with total mean transit time mtt; the last one passes `fraction` to
    // `target` and eliminates the rest. Returns the first compartment.
    private static int Chain(SystemBuilder b, string name, Species species, double mtt, int target, double fraction)
    {
        var k = ChainCompartments / mtt;
        var first = b.Add($"{name} transit 1", CompartmentRole.Transit, species);
        var last = first;
        for (var i = 2; i <= ChainCompartments; i++)
        {
            var next = b.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} transit {i}"), CompartmentRole.Transit, species);
            b.Flow(last, next, k);
            last = next;
        }

        b.Flow(last, target, fraction * k);
        b.Eliminate(last, (1 - fraction) * k);
        return first;
    }
}
