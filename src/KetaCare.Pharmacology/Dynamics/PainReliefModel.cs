using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Dynamics;

/// <summary>
/// Chronic pain relief after a ketamine course in CRPS-1, after Dahan A et al., Eur J Pain 2011;15:258 [P]:
/// a slow effect compartment (onset/offset t½ 10.9 days, keo 0.0636 /day) driven by the S-ketamine plasma
/// concentration, and relief rising with the effect-site concentration with C50 10.5 ng/mL.
/// The paper's model carries response probability (67 % vs 23 % placebo); KetaCare reports the
/// concentration-driven fraction of the maximal effect Ce/(C50 + Ce) — the Hill coefficient of 1 is an
/// assumption (not in the clinical reference), as is taking a racemate as 50 % S-ketamine.
/// </summary>
public static class PainReliefModel
{
    /// <summary>keo, 1/day (Dahan 2011).</summary>
    public const double KeoPerDay = 0.0636;

    /// <summary>keo, 1/min.</summary>
    public const double KeoPerMinute = KeoPerDay / 1440.0;

    /// <summary>C50, ng/mL of S-ketamine (Dahan 2011).</summary>
    public const double C50NgPerMl = 10.5;

    /// <summary>Hill coefficient (assumption: 1).</summary>
    public const double Gamma = 1.0;

    /// <summary>Share of S-ketamine in a racemate (assumption: equal enantiomer kinetics).</summary>
    public const double SShareOfRacemate = 0.5;

    /// <summary>Fraction of the maximal relief effect for a slow effect-site S-ketamine concentration, 0–1.</summary>
    public static double FractionOfMaxEffect(Concentration effectSite)
    {
        var c = effectSite.NanogramsPerMilliliter;
        return c <= 0 ? 0 : Math.Pow(c, Gamma) / (Math.Pow(C50NgPerMl, Gamma) + Math.Pow(c, Gamma));
    }
}
