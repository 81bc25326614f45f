namespace KetaCare.Pharmacology.Models.Library;

/// <summary>
/// Esketamine nasal spray (and IV and oral esketamine) in 820 healthy subjects and patients with
/// treatment-resistant depression: three-compartment esketamine with a hepato-portal (well-stirred liver)
/// compartment and a two-compartment apparent noresketamine (Perez-Ruixo C et al., Clin Pharmacokinet
/// 2021;60:501) [S]. A nasal dose is split: 54 % absorbed through the nasal mucosa into plasma, the rest
/// swallowed, of which 64 % escapes the gut wall and passes the liver before reaching plasma.
/// </summary>
public sealed class PerezRuixo2021 : PkModel
{
    // clinical-reference: Population pharmacokinetic models (perezruixo2021), [S]: L and L/h.
    private const double Vc = 192, Vp1 = 143, Vp2 = 417, Q1 = 84.3, Q2 = 37.6, Qh = 151, Vh = 101;
    private const double NasalFraction = 0.54, NasalKaPerHour = 2.93, Fgut = 0.64;

    // Not in the clinical reference's table: nlmixr2lib transcription of Perez-Ruixo 2021 Table 3
    // (github.com/nlmixr2/nlmixr2lib, inst/modeldb/specificDrugs/PerezRuixo_2020_esketamine.R) [S].
    // Liver rate constants kel 1.11 /h (to other metabolites) and kmet 2.77 /h (to noresketamine);
    // swallowed nasal share zero-order over Dsw 0.53 h then ka,sw 1.45 /h; oral solution zero-order over
    // Dpo 0.32 h then ka,po 0.97 /h; noresketamine Vcn/F 70 L, Vpn/F 115 L, CLn/F 38.0 L/h, Q3/F 26.1 L/h;
    // Qh falls 2.19 L/h per year of age above 60.
    private const double KelPerHour = 1.11, KmetPerHour = 2.77;
    private const double SwallowedHours = 0.53, SwallowedKaPerHour = 1.45, OralHours = 0.32, OralKaPerHour = 0.97;
    private const double Vcn = 70.0, Vpn = 115, ClnPerHour = 38.0, Q3PerHour = 26.1;
    private const double QhAgeSlope = 2.19, QhAgeThreshold = 60;

    private const string Liver = "hepato-portal (liver)";

    /// <inheritdoc/>
    public override string Id => "perezruixo2021";

    /// <inheritdoc/>
    public override string Title => "Perez-Ruixo 2021 — esketamine nasal spray, with noresketamine";

    /// <inheritdoc/>
    public override DrugForm Drug => DrugForm.EsketamineNasal;

    /// <inheritdoc/>
    public override string Structure => "3-compartment esketamine + hepato-portal compartment (well-stirred liver; elimination and noresketamine formation from the liver) → 2-compartment apparent noresketamine; nasal dose split into a nasal (to plasma) and a swallowed (gut → liver) share";

    /// <inheritdoc/>
    public override string Citation => "Perez-Ruixo C, Rossenu S, Zannikos P, Nandy P, Singh J, Drevets WC, Perez-Ruixo JJ. Population Pharmacokinetics of Esketamine Nasal Spray and its Metabolite Noresketamine in Healthy Subjects and Patients with Treatment-Resistant Depression. Clin Pharmacokinet 2021;60:501–516";

    /// <inheritdoc/>
    public override Certainty Certainty => Certainty.Secondary;

    // nlmixr2lib transcription of Perez-Ruixo 2021 Table 2 [S]: 820 subjects, age 18–86 (median 45),
    // weight 39–170 kg (median 74).
    /// <inheritdoc/>
    public override StudyPopulation Population { get; } = new("healthy adults and adults with treatment-resistant depression (13 studies), age 18–86 years (median 45), weight 39–170 kg (median 74)", (18, 86), (39, 170), "not transcribed (plasma)", 820);

    /// <inheritdoc/>
    public override ExtrapolationLimits Limits { get; } = new((16, 95), (30, 200),
        "Assumption: an adult model without weight scaling; adolescents under 16 and weights outside 30–200 kg are too far from the 820 adults studied.");

    /// <inheritdoc/>
    public override IReadOnlyList<ModelParameter> Parameters { get; } =
    [
        new("FRn", NasalFraction, "fraction per 28-mg device", "fraction of a nasal dose absorbed through the nasal cavity (−38 % for the 2nd and later device of a session; not applied)", "70.8 % (logit scale)"),
        new("ka,n", NasalKaPerHour, "1/h", "nasal absorption rate constant", "CV 61.5 %"),
        new("Fgut", Fgut, "fraction", "fraction of a swallowed dose escaping gut-wall metabolism"),
        new("Dsw", SwallowedHours, "h", "zero-order duration of the swallowed nasal share (transcription [S])"),
        new("ka,sw", SwallowedKaPerHour, "1/h", "absorption rate constant of the swallowed nasal share into the liver (transcription [S])", "CV 132 %"),
        new("Dpo", OralHours, "h", "zero-order duration of an oral solution dose (transcription [S])"),
        new("ka,po", OralKaPerHour, "1/h", "absorption rate constant of an oral solution into the liver (transcription [S])", "CV 132 %"),
        new("Vc", Vc, "L", "esketamine central volume", "CV 27.5 %"),
        new("Vp1", Vp1, "L", "esketamine shallow peripheral volume", "CV 49.3 %"),
        new("Vp2", Vp2, "L", "esketamine deep peripheral volume"),
        new("Q1", Q1, "L/h", "intercompartmental clearance, shallow"),
        new("Q2", Q2, "L/h", "intercompartmental clearance, deep"),
        new("Qh", Qh, "L/h", "hepatic blood flow; −2.19 L/h per year of age above 60", "CV 23.2 %"),
        new("Vh", Vh, "L", "hepato-portal volume", "CV 34.6 %"),
        new("kel", KelPerHour, "1/h", "liver elimination rate constant to other metabolites (transcription [S])", "CV 120 %"),
        new("kmet", KmetPerHour, "1/h", "liver rate constant of metabolism to noresketamine (transcription [S])", "estimated; value not printed"),
        new("Vcn/F", Vcn, "L", "noresketamine apparent central volume (transcription [S])", "CV 31.6 %"),
        new("Vpn/F", Vpn, "L", "noresketamine apparent peripheral volume (transcription [S])"),
        new("CLn/F", ClnPerHour, "L/h", "noresketamine apparent clearance (transcription [S])", "CV 25.4 %"),
        new("Q3/F", Q3PerHour, "L/h", "noresketamine apparent intercompartmental clearance (transcription [S])"),
    ];

    /// <inheritdoc/>
    public override string Covariates => "Qh = 151 − 2.19 × (age − 60) L/h above 60 years (applied when age is known). Not applied (no covariate in KetaCare): Asian race kel × 0.36 and CLn/F × 0.81; Japanese FRn × 1.34. Weight, sex and liver tests had no retained effect.";

    /// <inheritdoc/>
    public override OmegaMatrix? Omega { get; } = OmegaMatrix.FromCv(
        "Perez-Ruixo 2021 Table 3 (CV %): Vc from the clinical reference (perezruixo2021) [S]; the others from the nlmixr2lib transcription [S]",
        ("Vc", 27.5), ("Vp1", 49.3), ("Qh", 23.2), ("Vh", 34.6), ("kel", 120), ("Vcn", 31.6), ("CLn", 25.4));

    /// <inheritdoc/>
    public override IReadOnlyList<string> Notes { get; } =
    [
        "A 28-mg device: 54 % is absorbed nasally (ka,n 2.93 /h); 46 % is swallowed, 64 % of that escapes the gut wall and passes the liver (Qh 151 L/h, extraction ≈ 0.72 at typical values), so F ≈ 0.54 + 0.46 × 0.64 × 0.28 ≈ 0.62 for one device.",
        "The 38 % lower nasal fraction for the second and later 28-mg device of a session is not applied: every device is given FRn 0.54, so 56- and 84-mg sessions are over-predicted (F ≈ 0.62 instead of the published 0.54 and 0.51).",
        "Elimination happens in the liver compartment: derived CL = Qh · E ≈ 109 L/h at typical values (the abstract reports 114 L/h); Vss without the liver = Vc + Vp1 + Vp2 = 752 L, as in the abstract.",
        "The liver rate constants (kel, kmet), the swallowed and oral absorption parameters and all noresketamine parameters are not in the clinical reference's table; they come from the nlmixr2lib transcription of Table 3 [S], which notes that the printed table gives rate constants in L/h (read as 1/h).",
        "Noresketamine parameters are apparent (Vcn/F, CLn/F): noresketamine is formed at kmet × the liver amount and diluted in Vcn/F, as transcribed; the transcription reports that this reproduces the published noresketamine Cmax but over-predicts its AUC by about 1.4–1.6 ×.",
        "Not applied: race effects (Asian kel × 0.36 and CLn/F × 0.81; Japanese FRn × 1.34); IIV on FRn (logit scale), on the absorption rate constants (ka,n, ka,sw, ka,po: route inputs take no etas in KetaCare) and on kmet (value not printed).",
        "No weight scaling: body weight had no retained effect on esketamine PK.",
        "Oral esketamine (route \"oral\") uses the model's oral solution parameters (Fgut 0.64, zero-order 0.32 h, ka,po 0.97 /h into the liver). Other routes use the route table into plasma (labelled assumptions).",
        "No ke0 was published; only the borrowed, labelled Olofsen 2012 analgesia ke0 is offered.",
    ];

    /// <inheritdoc/>
    protected override bool DefinesRoute(Route route) => route is Route.Intranasal or Route.Oral;

    /// <inheritdoc/>
    protected override void Define(SystemBuilder b, Covariates patient, Func<string, double> eta)
    {
        var vc = Vc * Math.Exp(eta("Vc"));
        var vp1 = Vp1 * Math.Exp(eta("Vp1"));
        var vp2 = Vp2;
        var vh = Vh * Math.Exp(eta("Vh"));
        var ageEffect = patient.AgeYears is { } age && age > QhAgeThreshold ? QhAgeSlope * (age - QhAgeThreshold) : 0.0;
        var qh = (Qh - ageEffect) / 60.0 * Math.Exp(eta("Qh"));
        var q1 = Q1 / 60.0;
        var q2 = Q2 / 60.0;
        var kel = KelPerHour / 60.0 * Math.Exp(eta("kel"));
        var kmet = KmetPerHour / 60.0;

        var c = b.Add("esketamine central", CompartmentRole.Central, Species.Parent, vc);
        var p1 = b.Add("esketamine shallow peripheral", CompartmentRole.Peripheral, Species.Parent, vp1);
        var p2 = b.Add("esketamine deep peripheral", CompartmentRole.Peripheral, Species.Parent, vp2);
        var liver = b.Add(Liver, CompartmentRole.Hepatic, Species.Parent, vh);
        b.Flow(c, p1, q1 / vc);
        b.Flow(p1, c, q1 / vp1);
        b.Flow(c, p2, q2 / vc);
        b.Flow(p2, c, q2 / vp2);
        b.Flow(c, liver, qh / vc);
        b.Flow(liver, c, qh / vh);
        b.Eliminate(liver, kel);

        var vcn = Vcn * Math.Exp(eta("Vcn"));
        var cln = ClnPerHour / 60.0 * Math.Exp(eta("CLn"));
        var q3 = Q3PerHour / 60.0;
        var n = b.Add("noresketamine central", CompartmentRole.Central, Species.Norketamine, vcn);
        var np = b.Add("noresketamine peripheral", CompartmentRole.Peripheral, Species.Norketamine, Vpn);
        b.Flow(liver, n, kmet);
        b.Flow(n, np, q3 / vcn);
        b.Flow(np, n, q3 / Vpn);
        b.Eliminate(n, cln / vcn);
        b.Output("norketamine", "Noresketamine", n);
    }

    /// <inheritdoc/>
    protected override void DefineRoutes(SystemBuilder b, SubjectOptions options)
    {
        // Route overrides replace the model's own route with a plain first-order depot into plasma.
        foreach (var route in options.Routes.Distinct().Where(DefinesRoute))
        {
            if (options.RouteOverrides is not null && options.RouteOverrides.TryGetValue(route, out var o))
            {
                b.Depot(route, b.Central, o.KaPerMinute, o.Bioavailability, o.LagMinutes, o.Source, o.IsAssumption);
            }
            else if (route == Route.Intranasal)
            {
                var nose = b.Add("nasal depot", CompartmentRole.Depot, Species.Parent);
                b.Flow(nose, b.Central, NasalKaPerHour / 60.0);
                var gut = b.Add("swallowed nasal share, gut depot", CompartmentRole.Depot, Species.Parent);
                b.Flow(gut, b.IndexOf(Liver), SwallowedKaPerHour / 60.0);
                b.AddRoute(new RouteInput(Route.Intranasal,
                [
                    new InputPath(nose, NasalFraction, 0, null),
                    new InputPath(gut, (1 - NasalFraction) * Fgut, 0, SwallowedHours * 60.0),
                ], "esketamine nasal spray: Perez-Ruixo 2021 (FRn 0.54, ka,n 2.93 /h, Fgut 0.64 [S]; swallowed share 0.53 h zero-order, ka,sw 1.45 /h into the liver, nlmixr2lib transcription [S])", false));
            }
            else
            {
                var gut = b.Add("oral gut depot", CompartmentRole.Depot, Species.Parent);
                b.Flow(gut, b.IndexOf(Liver), OralKaPerHour / 60.0);
                b.AddRoute(new RouteInput(Route.Oral,
                    [new InputPath(gut, Fgut, 0, OralHours * 60.0)],
                    "oral esketamine solution: Perez-Ruixo 2021 (Fgut 0.64 [S]; 0.32 h zero-order, ka,po 0.97 /h into the liver, nlmixr2lib transcription [S])", false));
            }
        }
    }
}
