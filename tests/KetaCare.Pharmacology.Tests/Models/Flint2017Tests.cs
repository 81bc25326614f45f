using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tests.Models;

public sealed class Flint2017Tests
{
    private readonly Flint2017 _model = new();

    [Fact]
    public void Build_70Kg_EqualsTableValues()
    {
        var s = _model.Build(ModelTestKit.Patient(70, 17));
        Assert.Equal(7.73, s.CentralVolume.Liters, 1e-9);
        Assert.Equal(7.73 + 545, ModelTestKit.ParentVss(s), 1e-9);
        Assert.Equal(112, s.ParentClearanceLitersPerMinute * 60, 1e-9);

        var nk = s.Compartments.Single(c => c.Species == Species.Norketamine && c.Role == CompartmentRole.Central);
        Assert.Equal(1.0, nk.VolumeLiters, 1e-12);
        Assert.NotNull(s.Output("norketamine"));
    }

    [Fact]
    public void Build_20Kg_ScalesAllometrically()
    {
        var s = _model.Build(ModelTestKit.Patient(20, 5));
        var w = 20.0 / 70;
        Assert.Equal(7.73 * w, s.CentralVolume.Liters, 1e-9);
        Assert.Equal((7.73 + 545) * w, ModelTestKit.ParentVss(s), 1e-9);
        Assert.Equal(112 * Math.Pow(w, 0.75), s.ParentClearanceLitersPerMinute * 60, 1e-9);
    }

    [Fact]
    public void Infusion_SteadyState_NorketamineToKetamineRatioIsClearanceRatio()
    {
        // At steady state every mg of S-ketamine cleared forms apparent S-norketamine, so
        // C_NK / C_K = (CL / (CL_NK/Fm)) × MW_NK / MW_K, independent of weight. 72 h of infusion is
        // > 13 terminal half-lives (≈ 5 h), so the ratio is reached to better than 1e-3.
        var r = ModelTestKit.Run(_model, ModelTestKit.Patient(7, 0.5), DoseExpression.Infusion(Mass.FromMilligrams(72), Duration.FromHours(72)), Route.Intravenous, 72 * 60 - 1, 60);
        var k = r.MgPerLiter("plasma")[^1];
        var nk = r.MgPerLiter("norketamine")[^1];
        var expected = 112 / 53.2 * MolarMass.Norketamine.GramsPerMole / MolarMass.Ketamine.GramsPerMole;
        Assert.Equal(expected, nk / k, 1e-3 * expected);
    }

    [Fact]
    public void Omega_ClearanceEtas_AreCorrelated()
    {
        var omega = _model.Omega!;
        Assert.Equal(["CL", "CL_NK"], omega.Names);
        var r = omega.Covariance[1] / Math.Sqrt(omega.Covariance[0] * omega.Covariance[3]);
        Assert.Equal(0.506, r, 1e-12);
        Assert.Equal(omega.Covariance[1], omega.Covariance[2]);
    }

    [Fact]
    public void CheckPatient_Adult30Years_IsRefused()
    {
        Assert.True(_model.Refuses(ModelTestKit.Patient(70, 30)));
        Assert.False(_model.Refuses(ModelTestKit.Patient(50, 15)));
    }
}
