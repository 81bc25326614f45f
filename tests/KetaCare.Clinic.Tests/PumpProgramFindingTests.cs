using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>The pump program's refusals and second-check mismatches with their parameters, and what a program records.</summary>
public class PumpProgramFindingTests
{
    private static Preparation Prep(string id) => DrugLibrary.Default.Preparation(id).Value;

    private static Outcome<PumpProgram> Compute(DoseLevel dose, double kg = 70, string prep = "bag-2", double hours = 1, PumpSettings? pump = null, TestClock? clock = null) =>
        PumpProgram.Compute(dose, BodyWeight.FromKilograms(kg), Prep(prep), Duration.FromHours(hours), pump ?? PumpSettings.Default, Build.Nurse, clock ?? Build.Clock());

    private static PumpProgram Program() => Compute(DoseLevel.MgPerKgPerHour(0.5)).Value; // bag-2, 70 kg: 17.5 mL/h, VTBI 17.5 mL

    private static IReadOnlyList<Finding> Read(double rate = 17.5, double vtbi = 17.5, double mgPerMl = 2, double kg = 70) =>
        Program().Compare(new PumpReading(rate, vtbi, mgPerMl, kg), PumpSettings.Default);

    private static void AssertMismatch(Finding f, string field, double read, double programmed, string unit)
    {
        Assert.Equal((FindingCodes.CheckMismatch, FindingSeverity.HardStop, (Source?)null), (f.Code, f.Severity, f.Source));
        Assert.Equal([FindingArg.Of("field", field), FindingArg.Of("read", read, unit), FindingArg.Of("programmed", programmed, unit)], f.Args);
    }

    [Fact]
    public void Compute_Program_RecordsWhoWhenWhatAndTheExactPumpValues()
    {
        var clock = Build.Clock();
        clock.Advance(TimeSpan.FromMinutes(7));

        var p = Compute(DoseLevel.MgPerKgPerHour(0.37), kg: 73, clock: clock).Value; // 13.505 mL/h

        Assert.Equal((13.5, 13.5), (p.RateMlPerHour, p.VtbiMl)); // exact multiples of the increment, as keyed in
        Assert.Equal((Build.Nurse, clock.Now, (SecondCheck?)null), (p.ProgrammedBy, p.ProgrammedAt, p.Check));
        Assert.Equal(DoseLevel.MgPerKgPerHour(0.37), p.Prescribed);
        Assert.Equal(73, p.Weight.Kilograms);
        Assert.Equal(Prep("bag-2"), p.Preparation);
        Assert.Equal(27, p.DeliveredRate.MilligramsPerHour, 9); // 13.5 mL/h × 2 mg/mL
        Assert.Equal(27, p.TotalDose.Milligrams, 9);
        Assert.Equal(60, p.Duration.Minutes, 9);
    }

    [Fact]
    public void Compute_HalfHour_VtbiIsHalfTheHourlyVolume()
    {
        var p = Compute(DoseLevel.MgPerKgPerHour(0.5), hours: 0.5).Value;

        Assert.Equal((17.5, 8.7), (p.RateMlPerHour, p.VtbiMl)); // 8.75 mL rounds down to 8.7
        Assert.Equal(8.7 / 17.5 * 60, p.Duration.Minutes, 9);
    }

    [Fact]
    public void Compute_SingleDose_RefusedNamingTheDose()
    {
        var r = Compute(DoseLevel.MgPerKg(0.3));

        Assert.Equal("dose: a pump program needs a rate in mg/kg/h; 0.3 mg/kg is a single dose.", r.Error);
        Assert.Equal([Finding.Refused(FindingCodes.ProgramNeedsRate, FindingArg.Of("field", "dose"), FindingArg.Of("value", 0.3, "mg/kg"))], r.Findings);
    }

    [Fact]
    public void Compute_ZeroRate_RefusedAsDoseNotPositive()
    {
        var r = Compute(DoseLevel.MgPerKgPerHour(0));

        Assert.Equal([Finding.Refused(FindingCodes.DoseNotPositive, FindingArg.Of("field", "dose"))], r.Findings);
    }

    [Fact]
    public void Compute_ZeroDuration_Refused()
    {
        var r = Compute(DoseLevel.MgPerKgPerHour(0.5), hours: 0);

        Assert.Equal("duration: must be greater than 0.", r.Error);
        Assert.Equal([Finding.Refused(FindingCodes.DoseNotPositive, FindingArg.Of("field", "duration"))], r.Findings);
    }

    [Fact]
    public void Compute_RateBelowOneIncrement_RefusedWithTheExactRateAndTheIncrement()
    {
        var r = Compute(DoseLevel.MgPerKgPerHour(0.001), kg: 10, prep: "syringe-5"); // 0.002 mL/h

        var f = Assert.Single(r.Findings);
        Assert.Equal((FindingCodes.ProgramRateRoundsToZero, FindingSeverity.HardStop), (f.Code, f.Severity));
        Assert.Equal("rate", f.Args[0].Name);
        Assert.Equal(0.002, f.Args[0].Number!.Value, 12);
        Assert.Equal("mL/h", f.Args[0].Unit);
        Assert.Equal(FindingArg.Of("increment", 0.1, "mL/h"), f.Args[1]);
    }

    [Fact]
    public void Compute_RateOfExactlyOneIncrement_Programmed() =>
        Assert.Equal(0.1, Compute(DoseLevel.MgPerKgPerHour(0.05), kg: 10, prep: "syringe-5").Value.RateMlPerHour); // 0.1 mL/h

    [Fact]
    public void Compare_ExactReading_NoMismatch() => Assert.Empty(Read());

    [Fact]
    public void Compare_RateOffByMoreThanOneIncrement_MismatchWithBothRates() =>
        AssertMismatch(Assert.Single(Read(rate: 17.65)), "rate", 17.65, 17.5, "mL/h");

    [Fact]
    public void Compare_RateAndVolumeOffByOneIncrement_Match() => Assert.Empty(Read(rate: 17.6, vtbi: 17.4));

    [Fact]
    public void Compare_VolumeOffByMoreThanOneIncrement_MismatchWithBothVolumes() =>
        AssertMismatch(Assert.Single(Read(vtbi: 17.3)), "vtbi", 17.3, 17.5, "mL");

    [Theory]
    [InlineData("concentration", 2.0019, 2, "mg/mL", 0)] // within 0.1 % of 2 mg/mL
    [InlineData("concentration", 1.9981, 2, "mg/mL", 0)]
    [InlineData("concentration", 2.0021, 2, "mg/mL", 1)]
    [InlineData("concentration", 1.9979, 2, "mg/mL", 1)]
    [InlineData("weight", 70.04, 70, "kg", 0)] // within 50 g
    [InlineData("weight", 69.96, 70, "kg", 0)]
    [InlineData("weight", 70.06, 70, "kg", 1)]
    [InlineData("weight", 69.94, 70, "kg", 1)]
    public void Compare_LabelValueAroundItsTolerance_MismatchOnlyOutside(string field, double read, double programmed, string unit, int mismatches)
    {
        var found = field == "weight" ? Read(kg: read) : Read(mgPerMl: read);

        Assert.Equal(mismatches, found.Count);
        Assert.All(found, f => AssertMismatch(f, field, read, programmed, unit));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Compare_NotANumberRead_MismatchReadAsZero(double read) =>
        AssertMismatch(Assert.Single(Read(kg: read)), "weight", 0, 70, "kg");

    [Fact]
    public void Compare_EverythingDiffers_OneMismatchPerValueInPumpOrder()
    {
        var found = Program().Compare(new PumpReading(175, 1.75, 20, 7), PumpSettings.Default);

        Assert.Equal(["rate", "vtbi", "concentration", "weight"], found.Select(f => f.Arg("field")!.Text));
    }

    [Fact]
    public void Compare_CoarserPump_ToleratesItsOwnIncrement()
    {
        var p = Compute(DoseLevel.MgPerKgPerHour(0.5), pump: new PumpSettings(1, 1)).Value; // 17 mL/h, VTBI 17 mL

        Assert.Empty(p.Compare(new PumpReading(18, 16, 2, 70), new PumpSettings(1, 1)));
        Assert.Equal(2, p.Compare(new PumpReading(18, 16, 2, 70), PumpSettings.Default).Count);
    }

    [Fact]
    public void Compare_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Program().Compare(null!, PumpSettings.Default));
        Assert.Throws<ArgumentNullException>(() => Program().Compare(new PumpReading(17.5, 17.5, 2, 70), null!));
    }

    [Fact]
    public void Compute_Null_Throws()
    {
        var dose = DoseLevel.MgPerKgPerHour(0.5);
        var kg = BodyWeight.FromKilograms(70);
        var hour = Duration.FromHours(1);

        Assert.Throws<ArgumentNullException>(() => PumpProgram.Compute(dose, kg, null!, hour, PumpSettings.Default, Build.Nurse, Build.Clock()));
        Assert.Throws<ArgumentNullException>(() => PumpProgram.Compute(dose, kg, Prep("bag-1"), hour, null!, Build.Nurse, Build.Clock()));
        Assert.Throws<ArgumentNullException>(() => PumpProgram.Compute(dose, kg, Prep("bag-1"), hour, PumpSettings.Default, Build.Nurse, null!));
    }

    [Fact]
    public void PumpSettings_Default_TenthOfAMillilitre() => Assert.Equal(new PumpSettings(0.1, 0.1), PumpSettings.Default);
}
