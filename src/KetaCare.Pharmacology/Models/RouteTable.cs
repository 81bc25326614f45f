namespace KetaCare.Pharmacology.Models;

/// <summary>
/// Default absorption parameters for extravascular routes when a model has none of its own
/// (clinical-reference: Routes and bioavailability (routes)). F comes from the cited study; absorption rate
/// constants are KetaCare assumptions (labelled), chosen so that the simulated time of peak with the
/// Domino model at 70 kg matches the published tmax where one is published (IM ≈ 20 min, sublingual
/// ≈ 45 min); for the other routes ka is an assumption with no published anchor. The calibrated absorption
/// half-lives (60 and 107 min) are long because Domino's rapid distribution would otherwise put the
/// plasma peak within minutes; a clinic with its own absorption data overrides them per route
/// (<see cref="SubjectOptions.RouteOverrides"/>).
/// </summary>
public static class RouteTable
{
    /// <summary>ka for IM/SC, 1/min: gives Tmax ≈ 20 min with Domino at 70 kg (assumption fitted to Clements 1982's Cmax ≈ 20 min).</summary>
    public const double ImKaPerMinute = 0.0115;

    /// <summary>ka for sublingual, 1/min: gives Tmax ≈ 45 min with Domino at 70 kg (assumption fitted to tmax 0.75 h, Rolan 2014; Chong 2006).</summary>
    public const double SublingualKaPerMinute = 0.0065;

    /// <summary>ka for routes without a published tmax (intranasal racemic, oral, rectal), 1/min: absorption half-life ≈ 23 min (assumption).</summary>
    public const double GenericKaPerMinute = 0.03;

    /// <summary>Default parameters for a route and drug form, or null for IV (which needs none).</summary>
    public static RouteParameters? For(Route route, DrugForm form) => route switch
    {
        Route.Intravenous => null,
        Route.Intramuscular => new(0.93, ImKaPerMinute, 0, "F 0.93: Clements 1982 [U]; ka: assumption (Tmax ≈ 20 min)", true),
        Route.Subcutaneous => new(0.93, ImKaPerMinute, 0, "treated as IM (assumption); F 0.93 Clements 1982 [U]", true),
        Route.Intranasal when form == DrugForm.Racemic => new(0.45, GenericKaPerMinute, 0, "F 0.45: Yanagihara 2003 (n = 3) [P] (0.11–0.17 at 10–50 mg in Pharmacotherapy 2022;42:298 [P]); ka: assumption", true),
        Route.Intranasal => new(0.48, GenericKaPerMinute, 0, "F 0.48: esketamine nasal spray label [S]; ka: assumption", true),
        Route.Sublingual => new(0.30, SublingualKaPerMinute, 0, "F 0.29–0.32: Rolan 2014; Chong 2006 [P]; ka: assumption (Tmax ≈ 45 min)", true),
        Route.Oral when form == DrugForm.Racemic => new(0.20, GenericKaPerMinute, 0, "F 0.17–0.23: Yanagihara 2003; Chong 2006 [P] (midpoint 0.20); ka: assumption", true),
        Route.Oral => new(0.08, GenericKaPerMinute, 0, "F 0.08: Fanta 2015, Eur J Clin Pharmacol 71:441 [P]; ka: assumption", true),
        Route.Rectal => new(0.30, GenericKaPerMinute, 0, "F 0.30: Yanagihara 2003 [P]; ka: assumption", true),
        _ => null,
    };
}
