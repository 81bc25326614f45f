namespace KetaCare.Pharmacology.Models.Library;

/// <summary>
/// Racemic ketamine in children given IV or IM ketamine: two-compartment model with allometric scaling
/// (Hornik CP et al., J Clin Pharmacol 2018). Disposition parameters from a secondary transcription [S];
/// IM bioavailability 41 % from the abstract [P]. The IM absorption rate constant is not in KetaCare's
/// sources, so the KetaCare IM default is used and labelled as an assumption.
/// </summary>
public sealed class Hornik2018 : PkModel
{
    // clinical-reference: Population pharmacokinetic models (hornik2018), [S], per 70 kg.
    private const double V1 = 32.8, V2 = 152, ClPerHour = 38.9, QPerHour = 54.9;

    /// <summary>IM bioavailability: 41 % (Hornik 2018 abstract) [P].</summary>
    public const double ImBioavailability = 0.41;

    /// <inheritdoc/>
    public override string Id => "hornik2018";

    /// <inheritdoc/>
    public override string Title => "Hornik 2018 — racemic ketamine, children (IV and IM)";

    /// <inheritdoc/>
    public override DrugForm Drug => DrugForm.Racemic;

    /// <inheritdoc/>
    public override string Structure => "2-compartment mammillary with first-order IM absorption, allometric: CL, Q × (WT/70)^0.75; V1, V2 × WT/70";

    /// <inheritdoc/>
    public override string Citation => "Hornik CP, et al. (Pediatric Trials Network). Population pharmacokinetics of intramuscular and intravenous ketamine in children. J Clin Pharmacol 2018";

    /// <inheritdoc/>
    public override Certainty Certainty => Certainty.Secondary;

    // Hornik 2018 abstract [P]: 113 children, age 0.02–17.6 years (median 3.3), weight 2.4–176.1 kg (median 14).
    /// <inheritdoc/>
    public override StudyPopulation Population { get; } = new("children receiving IV or IM ketamine for procedures, age 0.02–17.6 years (median 3.3), weight 2.4–176.1 kg (median 14)", (0.02, 17.6), (2.4, 176.1), "not stated in the abstract", 113);

    /// <inheritdoc/>
    public override ExtrapolationLimits Limits { get; } = new((0, 21), (2, 180),
        "Assumption: a paediatric model; young adults up to 21 are accepted with a warning, older adults have their own models; below 2 kg there are no data.");

    /// <inheritdoc/>
    public override IReadOnlyList<ModelParameter> Parameters { get; } =
    [
        new("V1", V1, "L per 70 kg", "central volume"),
        new("V2", V2, "L per 70 kg", "peripheral volume"),
        new("CL", ClPerHour, "L/h per 70 kg", "clearance"),
        new("Q", QPerHour, "L/h per 70 kg", "intercompartmental clearance"),
        new("F_IM", ImBioavailability, "fraction", "IM bioavailability (abstract [P])"),
        new("ka_IM", RouteTable.ImKaPerMinute, "1/min", "IM absorption rate constant: not in KetaCare's sources; KetaCare IM default (assumption)", null, Certainty.Assumption),
    ];

    /// <inheritdoc/>
    public override string Covariates => "CL, Q × (WT/70)^0.75; V1, V2 × WT/70 (allometric, exponents fixed in the base model)";

    /// <inheritdoc/>
    public override IReadOnlyList<string> Notes { get; } =
    [
        "CL 38.9 L/h/70 kg is about half of the Kamp 2020 meta-analysis value (79 L/h/70 kg); values rest on a secondary transcription [S].",
        "IM: F 0.41 is Hornik's own estimate [P]; ka is KetaCare's IM default (RouteTable.ImKaPerMinute, assumption), because the published ka is not in KetaCare's sources. SC is treated as IM (assumption).",
        "IIV was estimated but is not in KetaCare's sources; no Ω is offered.",
        "No ke0 was published; only the borrowed, labelled Olofsen 2012 analgesia ke0 is offered.",
    ];

    /// <inheritdoc/>
    protected override bool DefinesRoute(Route route) => route is Route.Intramuscular or Route.Subcutaneous;

    /// <inheritdoc/>
    protected override void DefineRoutes(SystemBuilder b, SubjectOptions options)
    {
        foreach (var route in options.Routes.Distinct().Where(DefinesRoute))
        {
            if (options.RouteOverrides is not null && options.RouteOverrides.TryGetValue(route, out var o))
            {
                b.Depot(route, b.Central, o.KaPerMinute, o.Bioavailability, o.LagMinutes, o.Source, o.IsAssumption);
                continue;
            }

            var source = route == Route.Intramuscular
                ? "F 0.41: Hornik 2018 [P]; ka: KetaCare IM default (assumption)"
                : "SC treated as IM (assumption): F 0.41 Hornik 2018 [P]; ka: KetaCare IM default (assumption)";
            b.Depot(route, b.Central, RouteTable.ImKaPerMinute, ImBioavailability, 0, source, true);
        }
    }

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
