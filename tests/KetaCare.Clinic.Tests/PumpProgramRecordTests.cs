using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Users;

namespace KetaCare.Clinic.Tests;

/// <summary>The pump program recorded in pre-assessment and its blind, independent second check (ISMP) before the start.</summary>
public class PumpProgramRecordTests
{
    private static PumpProgram Compute(SessionFixture f, UserId by, DoseLevel? dose = null) =>
        PumpProgram.Compute(dose ?? f.Session.PlannedDose, f.Session.Weight!.Weight, f.Plan.Preparation, f.Protocol.InfusionDuration!.Value, PumpSettings.Default, by, f.Clock).Value;

    private static SessionFixture Programmed(out PumpProgram program)
    {
        var f = new SessionFixture().PreAssessed();
        program = Compute(f, Build.Nurse);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        return f;
    }

    [Fact]
    public void RecordSecondCheck_BlindReadingMatches_ProgramCheckedAndStartable()
    {
        var f = Programmed(out var program);
        Assert.Null(f.Session.Program!.Check);
        var v = f.Session.Version;

        var r = f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, SessionFixture.Reading(program), PumpSettings.Default, f.Clock);
        Assert.True(r.IsSuccess && r.Value.Matched, r.Error);
        Assert.Equal(Build.SecondNurse, f.Session.Program!.Check!.By);
        Assert.Equal(v + 1, f.Session.Version);
        Assert.Single(f.Session.CheckAttempts);

        var covariates = f.Patient.Snapshot().CovariatesOn(f.Session.ScheduledFor).Value;
        var check = DoseCheck.Evaluate(new PlannedDose(f.Protocol, covariates, program.BackCalculated, f.Plan.Preparation, f.Plan.ModelId) { VtbiMl = program.VtbiMl }, DrugLibrary.Default);
        var start = f.Session.StartInfusion(DoseAuthorization.Authorize(check, null, Build.Physician, f.Clock).Value, null, f.Settings, Build.Nurse, f.Clock);
        Assert.True(start.IsSuccess, start.Error);
        Assert.Equal(program.RateMlPerHour, f.Session.Segments[0].RateMlPerHour);
    }

    [Fact]
    public void RecordSecondCheck_ByTheProgrammer_RefusedAndNothingRecorded()
    {
        var f = Programmed(out var program);
        var v = f.Session.Version;
        var programmer = new StaffMember(Build.Nurse, true, [ClinicRoles.Nurse]);
        Codes.Has(FindingCodes.CheckSameUser, f.Session.RecordSecondCheck(programmer, SessionFixture.Reading(program), PumpSettings.Default, f.Clock));
        Assert.Null(f.Session.Program!.Check);
        Assert.Empty(f.Session.CheckAttempts);
        Assert.Equal(v, f.Session.Version);
    }

    public static TheoryData<string, bool, string[]> IneligibleCheckers => new()
    {
        { "locked nurse", false, [ClinicRoles.Nurse] },
        { "auditor", true, [ClinicRoles.Auditor] },
        { "administrator", true, [ClinicRoles.Admin] },
        { "no role", true, [] },
    };

    [Theory]
    [MemberData(nameof(IneligibleCheckers))]
    public void RecordSecondCheck_CheckerNotAnActiveClinician_Refused(string who, bool active, string[] roles)
    {
        var f = Programmed(out var program);
        var checker = new StaffMember(new UserId(Guid.NewGuid()), active, roles);
        var r = f.Session.RecordSecondCheck(checker, SessionFixture.Reading(program), PumpSettings.Default, f.Clock);
        Codes.Has(FindingCodes.CheckCheckerNotEligible, r);
        Assert.True(f.Session.Program!.Check is null, who);
    }

    [Fact]
    public void RecordSecondCheck_PhysicianChecks_Accepted()
    {
        var f = Programmed(out var program);
        Assert.True(f.Session.RecordSecondCheck(SessionFixture.PhysicianStaff, SessionFixture.Reading(program), PumpSettings.Default, f.Clock).Value.Matched);
    }

    public static TheoryData<string, double, double, double, double> Misreadings => new()
    {
        // field, rate ×, VTBI +, concentration ×, weight +
        { "rate", 10, 0, 1, 0 },
        { "rate", 1.01, 0, 1, 0 },
        { "vtbi", 1, 1, 1, 0 },
        { "concentration", 1, 0, 2, 0 },
        { "concentration", 1, 0, 0.5, 0 },
        { "weight", 1, 0, 1, 1 },
        { "weight", 1, 0, 1, -0.1 },
    };

    [Theory]
    [MemberData(nameof(Misreadings))]
    public void RecordSecondCheck_ValueReadDiffers_AttemptRecordedWithBothValuesAndProgramCleared(string field, double rateFactor, double vtbiPlus, double concentrationFactor, double weightPlus)
    {
        var f = Programmed(out var program);
        var reading = SessionFixture.Reading(program);
        reading = reading with
        {
            RateMlPerHour = reading.RateMlPerHour * rateFactor,
            VtbiMl = reading.VtbiMl + vtbiPlus,
            ConcentrationMgPerMl = reading.ConcentrationMgPerMl * concentrationFactor,
            WeightKg = reading.WeightKg + weightPlus,
        };
        var v = f.Session.Version;

        var r = f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, reading, PumpSettings.Default, f.Clock);

        Assert.True(r.IsSuccess);
        var mismatch = Assert.Single(r.Value.Mismatches);
        Assert.Equal(FindingCodes.CheckMismatch, mismatch.Code);
        Assert.Equal(field, mismatch.Arg("field")!.Text);
        Assert.NotEqual(mismatch.Number("read"), mismatch.Number("programmed"));
        Assert.Null(f.Session.Program); // reprogramming is required
        Assert.Equal(v + 1, f.Session.Version);
        Assert.False(Assert.Single(f.Session.CheckAttempts).Matched);
    }

    [Fact]
    public void RecordSecondCheck_WithinOnePumpIncrement_Matches()
    {
        var f = Programmed(out var program);
        var reading = SessionFixture.Reading(program) with { RateMlPerHour = program.RateMlPerHour + 0.1, VtbiMl = program.VtbiMl - 0.1 };
        Assert.True(f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, reading, PumpSettings.Default, f.Clock).Value.Matched);
    }

    [Fact]
    public void RecordSecondCheck_NoProgramOrAlreadyChecked_Refused()
    {
        var f = new SessionFixture().PreAssessed();
        Codes.Has(FindingCodes.ProgramMissing, f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, new PumpReading(35, 35, 1, 70), PumpSettings.Default, f.Clock));
        var program = Compute(f, Build.Nurse);
        Assert.True(f.Session.RecordPumpProgram(program).IsSuccess);
        Assert.True(f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, SessionFixture.Reading(program), PumpSettings.Default, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.CheckAlreadyDone, f.Session.RecordSecondCheck(SessionFixture.PhysicianStaff, SessionFixture.Reading(program), PumpSettings.Default, f.Clock));
    }

    [Fact]
    public void RecordPumpProgram_Again_DropsTheCheck()
    {
        var f = Programmed(out var program);
        Assert.True(f.Session.RecordSecondCheck(SessionFixture.SecondNurseStaff, SessionFixture.Reading(program), PumpSettings.Default, f.Clock).IsSuccess);
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
        Codes.Has(FindingCodes.PreAssessmentNotPassed, f.Session.RecordPumpProgram(early));

        Assert.True(f.Session.RecordObservation(f.Vitals(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.ProgramDoseMismatch, f.Session.RecordPumpProgram(Compute(f, Build.Nurse, DoseLevel.MgPerKgPerHour(1))));
        Assert.Null(f.Session.Program);
    }

    [Fact]
    public void PumpProgramCompute_ZeroDoseOrRateBelowTheIncrement_Refused()
    {
        var f = new SessionFixture().PreAssessed();
        var tiny = PumpProgram.Compute(DoseLevel.MgPerKgPerHour(0.0001), f.Session.Weight!.Weight, DrugLibrary.Default.Preparation("syringe-5").Value, f.Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, f.Clock);
        Codes.Has(FindingCodes.ProgramRateRoundsToZero, tiny);
        var zero = PumpProgram.Compute(DoseLevel.MgPerKgPerHour(0), f.Session.Weight!.Weight, f.Plan.Preparation, f.Protocol.InfusionDuration!.Value, PumpSettings.Default, Build.Nurse, f.Clock);
        Codes.Has(FindingCodes.DoseNotPositive, zero);
    }
}
