using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Dynamics;

public class ReceptorOccupancyTests
{
    private static double Occ(double ngPerMl, string target, Enantiomer form = Enantiomer.Racemic) =>
        ReceptorOccupancy.Compute(Concentration.FromNanogramsPerMilliliter(ngPerMl), form).Single(r => r.Target.Id == target).Occupancy;

    [Fact]
    public void AnalgesicConcentration_OccupiesNmdaButNotOpioidOrSodium()
    {
        // 150 ng/mL is within the acute-analgesia range 70–160 ng/mL (Zanos 2018).
        Assert.InRange(Occ(150, "nmda-forebrain"), 0.4, 0.7);
        Assert.True(Occ(150, "mu-opioid") < 0.02);
        Assert.True(Occ(150, "kappa-opioid") < 0.02);
        Assert.True(Occ(150, "nav-dorsal-horn") < 0.005);
        Assert.True(Occ(150, "nav-human") < 0.001);
    }

    [Fact]
    public void AnaestheticConcentration_ReachesOpioidReceptors()
    {
        // Anaesthesia 1,200–2,400 ng/mL (Zanos 2018): opioid occupancy rises tenfold from the analgesic range.
        Assert.True(Occ(2000, "nmda-forebrain") > 0.9);
        Assert.True(Occ(2000, "mu-opioid") > 0.08);
        Assert.True(Occ(2000, "kappa-opioid") > 0.12);
        Assert.True(Occ(2000, "mu-opioid") > 10 * Occ(150, "mu-opioid") * 0.9);
    }

    [Fact]
    public void MassAction_HandComputed()
    {
        // 237.73 ng/mL = 1 µM total; fu 0.6 → 0.6 µM unbound; NMDA racemic Ki 0.3 µM → 0.6/0.9 = 2/3.
        Assert.Equal(2.0 / 3.0, Occ(MolarMass.Ketamine.GramsPerMole, "nmda-forebrain"), 12);
        // S-ketamine at the same concentration: Ki 0.30 µM → 2/3; R-ketamine Ki 1.4 µM → 0.6/2.0 = 0.3.
        Assert.Equal(2.0 / 3.0, Occ(MolarMass.Ketamine.GramsPerMole, "nmda-forebrain", Enantiomer.S), 12);
        Assert.Equal(0.3, Occ(MolarMass.Ketamine.GramsPerMole, "nmda-forebrain", Enantiomer.R), 12);
    }

    [Fact]
    public void Racemate_WithOnlyEnantiomerValues_CompetesFiftyFifty()
    {
        // Na⁺ dorsal horn: S 128, R 269 µM; racemic 1 µM total (0.6 µM unbound) → Σ = 0.3/128 + 0.3/269.
        var sum = (0.3 / 128) + (0.3 / 269);
        Assert.Equal(sum / (1 + sum), Occ(MolarMass.Ketamine.GramsPerMole, "nav-dorsal-horn"), 12);
    }

    [Fact]
    public void Norketamine_CompetesAtNmdaOnly()
    {
        var c = Concentration.FromNanogramsPerMilliliter(100);
        var without = ReceptorOccupancy.Compute(c);
        var with = ReceptorOccupancy.Compute(c, norketamine: Concentration.FromNanogramsPerMilliliter(200));
        Assert.True(with.Single(r => r.Target.Id == "nmda-forebrain").Occupancy > without.Single(r => r.Target.Id == "nmda-forebrain").Occupancy);
        Assert.Equal(without.Single(r => r.Target.Id == "mu-opioid").Occupancy, with.Single(r => r.Target.Id == "mu-opioid").Occupancy);
    }

    [Fact]
    public void GabaA_HasNoComputedOccupancy() =>
        Assert.True(double.IsNaN(Occ(2000, "gaba-a")));

    [Fact]
    public void UnboundFraction_OutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ReceptorOccupancy.Compute(Concentration.FromNanogramsPerMilliliter(100), unboundFraction: 1.5));

    [Fact]
    public void EveryTarget_CitesASource() =>
        Assert.All(ReceptorOccupancy.Targets, t => Assert.False(string.IsNullOrWhiteSpace(t.Source)));
}
