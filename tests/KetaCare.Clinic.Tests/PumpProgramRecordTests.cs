using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Protocols;

namespace KetaCare.Clinic.Tests;

/// <summary>The pump program recorded in pre-assessment and checked by a second user before the start.</summary>
public class PumpProgramRecordTests
{
    private static PumpProgram Compute(SessionFixture f, UserId by, DoseLevel? dose = null) =>
        PumpProgram.Compute(dose ?? f.Session.PlannedDose, f.Session.Weight!.Weight, f.Plan.Preparation, f.Protocol.InfusionDuration!.Value, PumpSettings.Default, by, f.Clock).Value;

    [Fact]
    public void RecordSecondCheck_ByAnotherUser_ProgramCheckedAndStartable()
    {
        var f = new SessionFixture().PreAssessed();
        var program = Compute(f, Build.Nurse);
        var v = f.Session.Version;
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        Assert.Equal(v + 1, f.Session.Version);
        Assert.Null(f.Session.Program!.Check);

        var r = f.Session.RecordSecondCheck(Build.SecondNurse, program.RateMlPerHour, program.VtbiMl, PumpSettings.Default, f.Clock);
        Assert.True(r.IsSuccess, r.Error);
        Assert.Equal(Build.SecondNurse, f.Session.Program!.Check!.By);
        Assert.Equal(SessionState.PreAssessment, f.Session.State);

        var (_, auth) = f.CheckedProgram();
        var start = f.Session.StartInfusion(f.Session.Program, auth, Build.Nurse, f.Clock);
        Assert.True(start.IsSuccess, start.Error);
        Assert.Equal(program.RateMlPerHour, f.Session.Segments[0].RateMlPerHour);
    }

    [Fact]
    public void RecordSecondCheck_ByTheProgrammer_RefusedAndUnchecked()
    {
        var f = new SessionFixture().PreAssessed();
        var program = Compute(f, Build.Nurse);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        var v = f.Session.Version;
        var r = f.Session.RecordSecondCheck(Build.Nurse, program.RateMlPerHour, program.VtbiMl, PumpSettings.Default, f.Clock);
        Assert.False(r.IsSuccess);
        Assert.Contains("different user", r.Error, StringComparison.Ordinal);
        Assert.Null(f.Session.Program!.Check);
        Assert.Equal(v, f.Session.Version);
    }

    [Fact]
    public void RecordSecondCheck_RateReadDiffers_RefusedWithBothRates()
    {
        var f = new SessionFixture().PreAssessed();
        var program = Compute(f, Build.Nurse);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        var r = f.Session.RecordSecondCheck(Build.SecondNurse, program.RateMlPerHour * 10, program.VtbiMl, PumpSettings.Default, f.Clock);
        Assert.False(r.IsSuccess);
        Assert.Contains("does not match", r.Error, StringComparison.Ordinal);
        Assert.Null(f.Session.Program!.Check);
    }

    [Fact]
    public void RecordSecondCheck_NoProgramOrAlreadyChecked_Refused()
    {
        var f = new SessionFixture().PreAssessed();
        Assert.Contains("no pump program", f.Session.RecordSecondCheck(Build.SecondNurse, 35, 35, PumpSettings.Default, f.Clock).Error, StringComparison.Ordinal);
        var program = Compute(f, Build.Nurse);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        Assert.True(f.Session.RecordSecondCheck(Build.SecondNurse, program.RateMlPerHour, program.VtbiMl, PumpSettings.Default, f.Clock).IsSuccess);
        Assert.Contains("already done", f.Session.RecordSecondCheck(Build.Physician, program.RateMlPerHour, program.VtbiMl, PumpSettings.Default, f.Clock).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordPumpProgram_Again_DropsTheCheck()
    {
        var f = new SessionFixture().PreAssessed();
        var program = Compute(f, Build.Nurse);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        Assert.True(f.Session.RecordSecondCheck(Build.SecondNurse, program.RateMlPerHour, program.VtbiMl, PumpSettings.Default, f.Clock).IsSuccess);
        Assert.True(f.Session.RecordPumpProgram(Compute(f, Build.SecondNurse)).IsSuccess);
        Assert.Null(f.Session.Program!.Check);
        Assert.Equal(Build.SecondNurse, f.Session.Program.ProgrammedBy);
    }

    [Fact]
    public void RecordPumpProgram_BeforeChecksOrForAnotherDose_Refused()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        var weight = f.Patient.Snapshot().MeasurementOn(f.Session.ScheduledFor).Value.Weight;
        var early = PumpProgram.Compute(f.Session.PlannedDose, weight, f.Plan.Preparation, f.Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, f.Clock).Value;
        Assert.Contains("pre-assessment checks", f.Session.RecordPumpProgram(early).Error, StringComparison.Ordinal);

        Assert.True(f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var other = Compute(f, Build.Nurse, DoseLevel.MgPerKgPerHour(1));
        Assert.StartsWith("pump program:", f.Session.RecordPumpProgram(other).Error, StringComparison.Ordinal);
        Assert.Null(f.Session.Program);
    }
}
