using KetaCare.Pharmacology.Models.Library;

namespace KetaCare.Pharmacology.Tests.Models;

public sealed class Hijazi2003Tests
{
    private readonly Hijazi2003 _model = new();

    [Fact]
    public void Build_AnyWeight_GivesClearance36MlPerKgPerMin()
    {
        foreach (var kg in new[] { 50.0, 70, 110 })
        {
            var s = _model.Build(ModelTestKit.Patient(kg, 40));

            // Abstract: CL 36 mL/kg/min; k10 · V1 = 35.96, so within rounding (±0.5).
            var mlPerKgPerMin = s.ParentClearanceLitersPerMinute * 1000 / kg;
            Assert.Equal(36, mlPerKgPerMin, 0.5);
        }
    }

    [Fact]
    public void TerminalHalfLife_70Kg_Is4Point9Hours()
    {
        // Abstract: t½β 4.9 h; the closed form gives 4.94 h, within rounding (±0.05 h); the simulated
        // 24–48 h log-linear slope must agree with the closed form.
        var closed = ModelTestKit.BetaHalfLifeMinutes(0.0333, 0.0088, 0.0030);
        Assert.Equal(4.9, closed / 60, 0.05);
        var simulated = ModelTestKit.TerminalHalfLifeMinutes(_model, ModelTestKit.Patient(70, 40), 1440, 2880);
        Assert.Equal(closed, simulated, 1e-6 * closed);
    }
}
