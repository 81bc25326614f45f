using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;

namespace KetaCare.Pharmacology.Tests.Models;

public sealed class PerezRuixo2021Tests
{
    private const double TenDays = 10 * 24 * 60;
    private const double Qh = 151, ClInt = 101 * (1.11 + 2.77); // L/h; liver volume × (kel + kmet)
    private static readonly double Extraction = ClInt / (Qh + ClInt);
    private readonly PerezRuixo2021 _model = new();

    [Fact]
    public void Build_Typical_MatchesAbstractVolumesAndWellStirredClearance()
    {
        var s = _model.Build(ModelTestKit.Patient(74, 45));

        // Abstract: esketamine Vss 752 L (= Vc + Vp1 + Vp2; the liver is not counted), noresketamine Vss 185 L.
        Assert.Equal(752, ModelTestKit.ParentVss(s), 1e-9);
        var nkVss = s.Compartments.Where(c => c.Species == Species.Norketamine && c.Role is CompartmentRole.Central or CompartmentRole.Peripheral).Sum(c => c.VolumeLiters);
        Assert.Equal(185, nkVss, 1e-9);

        // Clearance from the system equals the well-stirred closed form Qh · E (≈ 109 L/h); the abstract's
        // 114 L/h is within 5 %.
        var cl = s.ParentClearanceLitersPerMinute * 60;
        Assert.Equal(Qh * Extraction, cl, 1e-9);
        Assert.InRange(cl, 114 * 0.95, 114 * 1.05);
    }

    [Fact]
    public void Nasal_28Mg_BioavailabilityFollowsTheParameters()
    {
        var patient = ModelTestKit.Patient(74, 45);
        var iv = ModelTestKit.Bolus(_model, patient, 28, Route.Intravenous, TenDays, 120);
        var nasal = ModelTestKit.Bolus(_model, patient, 28, Route.Intranasal, TenDays, 120);

        // Systemic F = FRn + (1 − FRn) · Fgut · (1 − E) ≈ 0.62; tolerance 1e-3 (10-day horizon).
        var f = 0.54 + (0.46 * 0.64 * (1 - Extraction));
        Assert.Equal(f, nasal.Metrics("plasma").Auc / iv.Metrics("plasma").Auc, 1e-3);

        // Abstract: 18.6 % of the swallowed share reaches the circulation; the transcribed parameters give
        // Fgut · (1 − E) ≈ 17.8 %, within 1 percentage point.
        Assert.Equal(0.186, 0.64 * (1 - Extraction), 0.01);

        // Everything absorbed passes the liver eventually, so noresketamine AUC scales with the absorbed
        // fraction FRn + (1 − FRn) · Fgut = 0.834.
        Assert.Equal(0.54 + (0.46 * 0.64), nasal.Metrics("norketamine").Auc / iv.Metrics("norketamine").Auc, 1e-3);
    }

    [Fact]
    public void Nasal_28Mg_GivesPlasmaPeakBeforeNoresketaminePeak()
    {
        var r = ModelTestKit.Bolus(_model, ModelTestKit.Patient(74, 45), 28, Route.Intranasal, 12 * 60, 1);
        var k = r.Metrics("plasma");
        var nk = r.Metrics("norketamine");
        Assert.InRange(k.Tmax.Minutes, 10, 60); // ka,n 2.93 /h: absorption half-life 14 min
        Assert.True(nk.Tmax.Minutes > k.Tmax.Minutes);
        Assert.InRange(k.Cmax.NanogramsPerMilliliter, 20, 150);
        Assert.True(nk.Cmax.MilligramsPerLiter > 0);
        Assert.False(r.System.Routes[Route.Intranasal].IsAssumption);
    }

    [Fact]
    public void Oral_Solution_BioavailabilityIsGutTimesHepaticEscape()
    {
        var patient = ModelTestKit.Patient(74, 45);
        var iv = ModelTestKit.Bolus(_model, patient, 84, Route.Intravenous, TenDays, 120).Metrics("plasma").Auc;
        var po = ModelTestKit.Bolus(_model, patient, 84, Route.Oral, TenDays, 120).Metrics("plasma").Auc;
        Assert.Equal(0.64 * (1 - Extraction), po / iv, 1e-3);
    }

    [Fact]
    public void Build_Age80_LowersHepaticFlowAndClearance()
    {
        var young = _model.Build(ModelTestKit.Patient(74, 45)).ParentClearanceLitersPerMinute * 60;
        var old = _model.Build(ModelTestKit.Patient(74, 80)).ParentClearanceLitersPerMinute * 60;
        var qh80 = Qh - (2.19 * 20);
        Assert.Equal(qh80 * ClInt / (qh80 + ClInt), old, 1e-9);
        Assert.True(old < young);
    }
}
