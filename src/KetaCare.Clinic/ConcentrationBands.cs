using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic;

/// <summary>A plasma concentration range with a clinical meaning, shaded on concentration charts.</summary>
/// <param name="Key">Stable id: "analgesia", "dissociation", "anaesthesia".</param>
/// <param name="LowNgPerMl">Lower edge, ng/mL.</param>
/// <param name="HighNgPerMl">Upper edge, ng/mL.</param>
/// <param name="Citation">Short citation shown in the legend, e.g. "Zanos 2018".</param>
/// <param name="Source">Where the range comes from.</param>
public sealed record ConcentrationBand(string Key, double LowNgPerMl, double HighNgPerMl, string Citation, Source Source);

/// <summary>
/// The concentration ranges KetaCare shades on charts (clinical-reference: Concentration and effect (concentration-effect), racemic plasma).
/// Defined once here, with the clinic's other facts; the CLI, the web app and the PDF reports use these (a command that
/// only needs the numbers, such as <c>ketacare population</c>, then loads no chart or report code).
/// </summary>
public static class ConcentrationBands
{
    /// <summary>Acute analgesia 70–160 ng/mL (Zanos 2018 [P]); "0.1 mg/L associated with analgesia in adults" (Herd 2007) lies inside it.</summary>
    public static ConcentrationBand AcuteAnalgesia { get; } = new(
        "analgesia", 70, 160, "Zanos 2018", new Source("clinical-reference: Concentration and effect (zanos2018)", "Zanos P et al., Pharmacol Rev 2018 (acute analgesia 70–160 ng/mL)", Certainty.Primary));

    /// <summary>Dissociation after 0.5 mg/kg over 40 min: 100–250 ng/mL (Zanos 2018 [P]).</summary>
    public static ConcentrationBand Dissociation { get; } = new(
        "dissociation", 100, 250, "Zanos 2018", new Source("clinical-reference: Concentration and effect (zanos2018)", "Zanos P et al., Pharmacol Rev 2018 (dissociation 100–250 ng/mL)", Certainty.Primary));

    /// <summary>Anaesthesia 1,200–2,400 ng/mL; EC50 ≈ 2 mg/L (Zanos 2018; Herd 2008 [P]).</summary>
    public static ConcentrationBand Anaesthesia { get; } = new(
        "anaesthesia", 1200, 2400, "Zanos 2018; Herd 2008", new Source("clinical-reference: Concentration and effect (zanos2018, herd2008)", "Zanos P et al., Pharmacol Rev 2018; Herd DW et al., Paediatr Anaesth 2008 (anaesthesia 1,200–2,400 ng/mL)", Certainty.Primary));

    /// <summary>All bands, lowest first.</summary>
    public static IReadOnlyList<ConcentrationBand> All { get; } = [AcuteAnalgesia, Dissociation, Anaesthesia];
}
