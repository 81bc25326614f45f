using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;

namespace KetaCare.Pharmacology.Tests.Models;

public sealed class Clements1981Tests
{
    private readonly Clements1981 _model = new();

    [Fact]
    public void Build_70Kg_HasWeightProportionalV1AndClearanceK10TimesV1()
    {
        var s = _model.Build(ModelTestKit.Patient(70, 40));

        // V1 1.7522 L/kg × 70 kg = 122.654 L; CL = k10 · V1 = 1.3369 L/min ≈ 80.2 L/h.
        Assert.Equal(122.654, s.CentralVolume.Liters, 1e-9);
        Assert.Equal(80.2, s.ParentClearanceLitersPerMinute * 60, 0.05);

        // Independent check against the Kamp 2020 meta-analysis (79 L/h/70 kg): within 5 %.
        Assert.InRange(s.ParentClearanceLitersPerMinute * 60, 79 * 0.95, 79 * 1.05);
    }

    [Fact]
    public void TerminalHalfLife_70Kg_MatchesClosedFormBeta()
    {
        var expected = ModelTestKit.BetaHalfLifeMinutes(0.0109, 0.0186, 0.0137);
        var simulated = ModelTestKit.TerminalHalfLifeMinutes(_model, ModelTestKit.Patient(70, 40), 1200, 1440);
        Assert.Equal(expected, simulated, 1e-6 * expected);
        Assert.InRange(expected / 60, 2.9, 3.2);
    }

    [Fact]
    public void Notes_V1_AreFlaggedAsSuspicious()
    {
        Assert.Contains(_model.Notes, n => n.Contains("1.7522 L/kg", StringComparison.Ordinal) && n.Contains("suspiciously large", StringComparison.Ordinal));
        Assert.Equal(Certainty.Secondary, _model.Certainty);
    }
}
