using KetaCare.Pharmacology.Models.Library;

namespace KetaCare.Pharmacology.Tests.Models;

public sealed class Domino1984Tests
{
    private readonly Domino1984 _model = new();

    [Fact]
    public void Build_70Kg_MatchesPublishedDerivedClearanceAndVss()
    {
        var s = _model.Build(ModelTestKit.Patient(70, 40));

        // clinical-reference: Population pharmacokinetic models (domino1984): CL 115.9 L/h, Vss 193 L at 70 kg; tolerance: rounding of the last published digit.
        Assert.Equal(115.9, s.ParentClearanceLitersPerMinute * 60, 0.05);
        Assert.Equal(193, ModelTestKit.ParentVss(s), 0.5);
    }

    [Fact]
    public void TerminalHalfLife_70Kg_Is114Point6Minutes()
    {
        // Log-linear slope of the simulated plasma curve 20–24 h after a bolus (the faster exponentials have
        // decayed by > 1e-20 by then); published 114.6 min, tolerance 0.1 min (rounding).
        var t = ModelTestKit.TerminalHalfLifeMinutes(_model, ModelTestKit.Patient(70, 40), 1200, 1440);
        Assert.Equal(114.6, t, 0.1);
    }
}
