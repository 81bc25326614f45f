using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;

namespace KetaCare.Pharmacology.Tests.Models;

public sealed class Herd2007Tests
{
    private readonly Herd2007 _model = new();

    [Fact]
    public void Build_70Kg_EqualsTableValues()
    {
        // 70 kg is above the studied 63.7 kg: a warning, not a refusal (age 15 inside the studied range).
        var patient = ModelTestKit.Patient(70, 15);
        Assert.DoesNotContain(_model.CheckPatient(patient), f => f.Refused);
        var s = _model.Build(patient);
        Assert.Equal(38.7, s.CentralVolume.Liters, 1e-9);
        Assert.Equal(38.7 + 102, ModelTestKit.ParentVss(s), 1e-9);
        Assert.Equal(90, s.ParentClearanceLitersPerMinute * 60, 1e-9);
        Assert.Equal(215.0 / 60 / 38.7, s[1, 0], 1e-12); // central → peripheral = Q / V1
    }

    [Fact]
    public void Build_20Kg_ScalesAllometrically()
    {
        var s = _model.Build(ModelTestKit.Patient(20, 6));
        var w = 20.0 / 70;
        Assert.Equal(38.7 * w, s.CentralVolume.Liters, 1e-9);
        Assert.Equal(90 * Math.Pow(w, 0.75), s.ParentClearanceLitersPerMinute * 60, 1e-9);

        // Weight-normalised clearance is higher in the child: 0.75 exponent, not 1.
        Assert.True(s.ParentClearanceLitersPerMinute / 20 > 90.0 / 60 / 70);
    }

    [Fact]
    public void CheckPatient_Adult45YearsOld80Kg_IsRefused()
    {
        var findings = _model.CheckPatient(ModelTestKit.Patient(80, 45));
        Assert.Contains(findings, f => f.Refused && f.Message.Contains("age 45", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckPatient_Teenager17Years_WarnsOnly()
    {
        var findings = _model.CheckPatient(ModelTestKit.Patient(55, 17));
        var f = Assert.Single(findings);
        Assert.False(f.Refused);
        Assert.Contains("extrapolation", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectSiteOptions_ArousalKe0_IsOwnAndAnalgesiaIsBorrowed()
    {
        Assert.Equal([EffectSites.Herd2008Arousal, EffectSites.Olofsen2012Analgesia], _model.EffectSiteOptions);
        Assert.False(_model.EffectSiteOptions[0].Borrowed);
        Assert.Equal(11.0, _model.EffectSiteOptions[0].HalfLifeMinutes * 60, 1e-9);
    }

    [Fact]
    public void Omega_Bsv_ConvertsCvToLogVariance()
    {
        var omega = _model.Omega!;
        Assert.Equal(["V1", "V2", "CL", "Q"], omega.Names);
        Assert.Equal(Math.Log(1 + (0.64 * 0.64)), omega.Covariance[0], 1e-12);
        Assert.Equal(Math.Log(1 + (0.19 * 0.19)), omega.Covariance[15], 1e-12);
    }
}
