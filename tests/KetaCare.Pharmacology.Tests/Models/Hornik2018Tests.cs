using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;

namespace KetaCare.Pharmacology.Tests.Models;

public sealed class Hornik2018Tests
{
    private readonly Hornik2018 _model = new();

    [Fact]
    public void Build_70Kg_EqualsTableValues()
    {
        var s = _model.Build(ModelTestKit.Patient(70, 16));
        Assert.Equal(32.8, s.CentralVolume.Liters, 1e-9);
        Assert.Equal(32.8 + 152, ModelTestKit.ParentVss(s), 1e-9);
        Assert.Equal(38.9, s.ParentClearanceLitersPerMinute * 60, 1e-9);
        Assert.Equal(54.9 / 60 / 32.8, s[1, 0], 1e-12);
    }

    [Fact]
    public void Build_20Kg_ScalesAllometrically()
    {
        var s = _model.Build(ModelTestKit.Patient(20, 6));
        var w = 20.0 / 70;
        Assert.Equal(32.8 * w, s.CentralVolume.Liters, 1e-9);
        Assert.Equal((32.8 + 152) * w, ModelTestKit.ParentVss(s), 1e-9);
        Assert.Equal(38.9 * Math.Pow(w, 0.75), s.ParentClearanceLitersPerMinute * 60, 1e-9);
    }

    [Fact]
    public void Intramuscular_Dose_HasPublishedBioavailability41Percent()
    {
        var patient = ModelTestKit.Patient(20, 6);
        var s = _model.Build(patient, new SubjectOptions { Routes = [Route.Intravenous, Route.Intramuscular] });
        Assert.Equal(0.41, s.Routes[Route.Intramuscular].Bioavailability, 1e-12);
        Assert.True(s.Routes[Route.Intramuscular].IsAssumption); // ka is KetaCare's

        // AUC ratio IM/IV over 3 days (terminal t½ at 20 kg ≈ 2.6 h): equals F to 1e-6.
        var iv = ModelTestKit.Bolus(_model, patient, 40, Route.Intravenous, 72 * 60, 60).Metrics("plasma").Auc;
        var im = ModelTestKit.Bolus(_model, patient, 40, Route.Intramuscular, 72 * 60, 60).Metrics("plasma").Auc;
        Assert.Equal(0.41, im / iv, 1e-6);
    }

    [Fact]
    public void Parameters_ImKa_IsMarkedAsAssumption()
    {
        var ka = Assert.Single(_model.Parameters, p => p.Name == "ka_IM");
        Assert.Equal(Certainty.Assumption, ka.Certainty);
        Assert.All(_model.Parameters.Where(p => p.Name != "ka_IM"), p => Assert.Null(p.Certainty));
    }
}
