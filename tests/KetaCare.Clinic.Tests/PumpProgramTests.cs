using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Sessions;
using System.Globalization;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

public class PumpProgramTests
{
    private static Preparation Prep(string id) => DrugLibrary.Default.Preparation(id).Value;

    private static PumpProgram Compute(double rate, double kg, string prep = "bag-1", double hours = 1, PumpSettings? pump = null) =>
        PumpProgram.Compute(DoseLevel.MgPerKgPerHour(rate), BodyWeight.FromKilograms(kg), Prep(prep), Duration.FromHours(hours), pump ?? PumpSettings.Default, Build.Nurse, Build.Clock()).Value;

    [Theory]
    [InlineData(0.5, 70, "bag-1", 35.0, 35.0)]
    [InlineData(0.5, 70, "bag-2", 17.5, 17.5)]
    [InlineData(2.0, 70, "bag-2", 70.0, 70.0)]
    [InlineData(0.37, 73, "bag-2", 13.5, 13.5)]   // 13.505 mL/h rounds down to 13.5
    [InlineData(0.2, 64.3, "syringe-5", 2.5, 2.5)] // 2.572 → 2.5
    public void Compute_RateAndVtbi_RoundedDownToPumpIncrement(double rate, double kg, string prep, double mlh, double vtbi)
    {
        var p = Compute(rate, kg, prep);
        Assert.Equal(mlh, p.RateMlPerHour, 9);
        Assert.Equal(vtbi, p.VtbiMl, 9);
    }

    [Fact]
    public void Compute_FourHours_VtbiAndDuration()
    {
        var p = Compute(0.35, 70, "bag-1", 4);
        Assert.Equal(24.5, p.RateMlPerHour, 9);
        Assert.Equal(98, p.VtbiMl, 9);
        Assert.Equal(240, p.Duration.Minutes, 6);
        Assert.Equal(98, p.TotalDose.Milligrams, 9);
    }

    [Fact]
    public void BackCalculated_AfterRounding_NeverAbovePrescription()
    {
        var p = Compute(0.37, 73, "bag-2");
        Assert.True(p.BackCalculated.Value <= 0.37);
        Assert.Equal(13.5 * 2 / 73, p.BackCalculated.Value, 12);
    }

    [Fact]
    public void Compute_SingleDose_Refused()
    {
        var r = PumpProgram.Compute(DoseLevel.MgPerKg(0.3), BodyWeight.FromKilograms(70), Prep("bag-1"), Duration.FromHours(1), PumpSettings.Default, Build.Nurse, Build.Clock());
        Assert.False(r.IsSuccess);
    }

    [Fact]
    public void Compute_RateRoundsToZero_Refused()
    {
        var r = PumpProgram.Compute(DoseLevel.MgPerKgPerHour(0.001), BodyWeight.FromKilograms(10), Prep("syringe-5"), Duration.FromHours(1), PumpSettings.Default, Build.Nurse, Build.Clock());
        Codes.Has(FindingCodes.ProgramRateRoundsToZero, r);
    }

    [Fact]
    public void Compute_CoarserPump_UsesItsIncrement() =>
        Assert.Equal(13, Compute(0.37, 73, "bag-2", pump: new PumpSettings(1, 1)).RateMlPerHour, 9);

    [Theory]
    [InlineData(35.0, 35.0, 1.0, 70.0, 0)]
    [InlineData(35.1, 35.0, 1.0, 70.0, 0)]  // within one increment
    [InlineData(350.0, 35.0, 1.0, 70.0, 1)] // a tenfold slip
    [InlineData(35.0, 3.5, 1.0, 70.0, 1)]
    [InlineData(35.0, 35.0, 10.0, 70.0, 1)] // the 10 mg/mL vial instead of the 1 mg/mL bag
    [InlineData(35.0, 35.0, 1.0, 7.0, 1)]
    [InlineData(3.5, 3.5, 10.0, 7.0, 4)]
    [InlineData(double.NaN, 35.0, 1.0, 70.0, 1)]
    public void Compare_BlindReading_OneMismatchPerValueThatDiffers(double rate, double vtbi, double concentration, double kg, int mismatches)
    {
        var p = Compute(0.5, 70);
        var found = p.Compare(new PumpReading(rate, vtbi, concentration, kg), PumpSettings.Default);
        Assert.Equal(mismatches, found.Count);
        Assert.All(found, f => Assert.Equal(FindingCodes.CheckMismatch, f.Code));
        Assert.Null(p.Check); // comparing changes nothing
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("de-DE")]
    [InlineData("")]
    public void ToString_AnyCulture_PointDecimals(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            var text = Compute(0.5, 70, "bag-2").ToString();
            Assert.Equal("17.5 mL/h, VTBI 17.5 mL, 1 h (0.5 mg/kg/h delivered)", text);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
