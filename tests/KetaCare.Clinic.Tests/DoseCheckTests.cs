using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

public class DoseCheckTests
{
    private static readonly DrugLibrary Library = DrugLibrary.Default;

    private static Covariates Patient(double kg) => new(BodyWeight.FromKilograms(kg), 40, Sex.Male, 175);

    private static Protocol P(string id) => ProtocolLibrary.Default.Find(id).Value;

    private static Preparation Prep(string id) => Library.Preparation(id).Value;

    private static DoseCheckResult Check(string protocol, DoseLevel dose, double kg = 70, string prep = "bag-1", double? vtbi = null, DrugLibrary? library = null) =>
        DoseCheck.Evaluate(new PlannedDose(P(protocol), Patient(kg), dose, Prep(prep), "domino1984") { VtbiMl = vtbi }, library ?? Library);

    private static DrugLibrary WithoutPk() => new("test", Library.Preparations, Library.Limits, new PkThresholds(1e6, 1e6, Source.Assumption("test: PK check out of the way")));

    [Theory]
    [InlineData(2.0, false)]
    [InlineData(2.01, true)]
    [InlineData(1.99, false)]
    [InlineData(0.5, false)]
    public void SeedProtocol_RateAroundCohenCeiling_HardStopAbove2(double mgPerKgPerHour, bool hard)
    {
        var r = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(mgPerKgPerHour), library: WithoutPk());
        Assert.Equal(hard, r.Findings.Any(f => f.LimitId == "rate-mg-kg-h" && f.Severity == LimitSeverity.Hard));
        Assert.Equal(hard, r.HasHardStop);
    }

    [Fact]
    public void SeedProtocol_HardStop_CitesCohen2018()
    {
        var f = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(2.01), library: WithoutPk()).Findings.First(x => x.LimitId == "rate-mg-kg-h");
        Assert.Equal(2.0, f.LimitValue);
        Assert.Contains("Cohen", f.Source.Reference, StringComparison.Ordinal);
        Assert.Contains("2.01 mg/kg/h", f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.35, 70, false)]   // exactly the published maximum; 24.5 mg/h
    [InlineData(0.36, 60, true)]    // above 0.35 mg/kg/h
    [InlineData(0.35, 80, true)]    // 28 mg/h > 25 mg/h
    public void Schwartzman_RateAndAbsoluteCeilings_Hard(double rate, double kg, bool hard) =>
        Assert.Equal(hard, Check("schwartzman2009", DoseLevel.MgPerKgPerHour(rate), kg, library: WithoutPk()).HasHardStop);

    [Fact]
    public void Schwartzman_ExactlyTwentyFiveMgPerHour_Passes()
    {
        // 0.3125 mg/kg/h × 80 kg = 25 mg/h exactly.
        var r = Check("schwartzman2009", DoseLevel.MgPerKgPerHour(0.3125), 80, library: WithoutPk());
        Assert.DoesNotContain(r.Findings, f => f.LimitId == "rate-mg-h");
    }

    [Theory]
    [InlineData(0.6, false)]
    [InlineData(0.61, true)]
    public void Rema_AboveCeiling_SoftNotHard(double rate, bool soft)
    {
        var r = Check("rema2012", DoseLevel.MgPerKgPerHour(rate), library: WithoutPk());
        Assert.Equal(soft, r.SoftFindings.Any(f => f.LimitId == "rate-mg-kg-h"));
        Assert.False(r.HasHardStop);
    }

    [Theory]
    [InlineData(0.35, false)]
    [InlineData(0.36, true)]
    public void ImProtocol_BolusAroundCohenLimit_HardAbove(double mgPerKg, bool hard) =>
        Assert.Equal(hard, Check("clinic-im-example", DoseLevel.MgPerKg(mgPerKg), prep: "vial-50", library: WithoutPk()).HasHardStop);

    [Theory]
    [InlineData(50, false)]
    [InlineData(51, true)]
    public void IntranasalProtocol_AboveCeiling_Hard(double mg, bool hard) =>
        Assert.Equal(hard, Check("clinic-in-example", DoseLevel.Milligrams(mg), prep: "vial-100", library: WithoutPk()).HasHardStop);

    [Theory]
    [InlineData("vial-100", true)]
    [InlineData("vial-50", false)]
    [InlineData("bag-2", false)]
    public void Preparation_HundredMgPerMlIv_HardStop(string prep, bool hard)
    {
        var r = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(0.5), prep: prep, library: WithoutPk());
        Assert.Equal(hard, r.Findings.Any(f => f.LimitId == "preparation"));
    }

    [Theory]
    [InlineData(250.0, false)]  // bag-1 is 250 mL
    [InlineData(250.1, true)]
    public void Vtbi_AboveContainer_HardStop(double vtbi, bool hard)
    {
        // 2 mg/kg/h × 150 kg × 1 h = 300 mg, so the VTBI limit from the total is 300 mL: the container is the binding one.
        var r = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(2), 150, vtbi: vtbi, library: WithoutPk());
        Assert.Equal(hard, r.Findings.Any(f => f.LimitId == "vtbi" && f.Severity == LimitSeverity.Hard));
    }

    [Fact]
    public void SessionTotal_LongerThanProtocol_HardStop()
    {
        var plan = new PlannedDose(P("outpatient-seed"), Patient(70), DoseLevel.MgPerKgPerHour(2), Prep("bag-1"), "domino1984") { InfusionDuration = Duration.FromHours(2) };
        var r = DoseCheck.Evaluate(plan, WithoutPk());
        Assert.Contains(r.Findings, f => f.LimitId == "session-total" && f.Severity == LimitSeverity.Hard);
    }

    [Fact]
    public void PkPeak_SeedStartDose_PredictedBelowSoftThreshold()
    {
        var r = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(0.5));
        Assert.NotNull(r.PredictedPeak);
        Assert.InRange(r.PredictedPeak!.Value.NanogramsPerMilliliter, 50, 250);
        Assert.Empty(r.Findings);
    }

    [Fact]
    public void PkPeak_HigherDose_HigherPeak()
    {
        var low = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(0.5)).PredictedPeak!.Value;
        var high = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(1.0)).PredictedPeak!.Value;
        // Linear PK: doubling the rate doubles the peak.
        Assert.Equal(2 * low.NanogramsPerMilliliter, high.NanogramsPerMilliliter, 6);
    }

    [Fact]
    public void PkPeak_ThresholdsAroundPrediction_SoftThenHard()
    {
        var peak = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(1)).PredictedPeak!.Value.NanogramsPerMilliliter;
        DrugLibrary With(double soft, double hard) => new("t", Library.Preparations, Library.Limits, new PkThresholds(soft, hard, Source.Assumption("test")));
        var none = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(1), library: With(peak, peak));
        var soft = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(1), library: With(peak * 0.99, peak * 2));
        var hard = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(1), library: With(peak * 0.5, peak * 0.99));
        Assert.DoesNotContain(none.Findings, f => f.LimitId == "pk-peak");
        Assert.Equal(LimitSeverity.Soft, soft.Findings.Single(f => f.LimitId == "pk-peak").Severity);
        Assert.Equal(LimitSeverity.Hard, hard.Findings.Single(f => f.LimitId == "pk-peak").Severity);
    }

    [Fact]
    public void PkPeak_UnknownModel_SoftFindingNeedingReason()
    {
        var r = DoseCheck.Evaluate(new PlannedDose(P("outpatient-seed"), Patient(70), DoseLevel.MgPerKgPerHour(0.5), Prep("bag-1"), "nosuchmodel"), Library);
        Assert.Null(r.PredictedPeak);
        Assert.Equal(LimitSeverity.Soft, r.Findings.Single(f => f.LimitId == "pk-unavailable").Severity);
    }

    [Fact]
    public void PkPeak_Intramuscular_Simulated()
    {
        var r = Check("clinic-im-example", DoseLevel.MgPerKg(0.1), prep: "vial-50");
        Assert.NotNull(r.PredictedPeak);
        Assert.True(r.PredictedPeak!.Value.NanogramsPerMilliliter > 0);
    }

    [Fact]
    public void Authorize_HardStop_CannotBeOverridden()
    {
        var clock = Build.Clock();
        var r = Check("outpatient-seed", DoseLevel.MgPerKgPerHour(2.01), library: WithoutPk());
        var reasons = r.Findings.ToDictionary(f => f.LimitId, _ => "physician insists");
        var a = DoseAuthorization.Authorize(r, reasons, Build.Physician, clock);
        Codes.Has(FindingCodes.LimitPrefix + "rate-mg-kg-h", a);
        Assert.All(a.Findings, f => Assert.Equal(FindingSeverity.HardStop, f.Severity));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Authorize_SoftWithoutReason_Refused(string? reason)
    {
        var clock = Build.Clock();
        var r = Check("rema2012", DoseLevel.MgPerKgPerHour(0.7), library: WithoutPk());
        var reasons = reason is null ? null : new Dictionary<string, string> { ["rate-mg-kg-h"] = reason };
        Assert.False(DoseAuthorization.Authorize(r, reasons, Build.Physician, clock).IsSuccess);
    }

    [Fact]
    public void Authorize_SoftWithReason_RecordsOverride()
    {
        var clock = Build.Clock();
        var r = Check("rema2012", DoseLevel.MgPerKgPerHour(0.7), library: WithoutPk());
        var a = DoseAuthorization.Authorize(r, new Dictionary<string, string> { ["rate-mg-kg-h"] = "tolerated 0.6 without effect", ["session-total"] = "same" }, Build.Physician, clock).Value;
        Assert.Contains(a.Overrides, o => o.LimitId == "rate-mg-kg-h" && o.Reason == "tolerated 0.6 without effect" && o.By == Build.Physician && o.At == clock.Now);
    }

    [Fact]
    public void Authorize_NoFindings_NoOverrides()
    {
        var clock = Build.Clock();
        var a = DoseAuthorization.Authorize(Check("outpatient-seed", DoseLevel.MgPerKgPerHour(0.5)), null, Build.Nurse, clock);
        Assert.True(a.IsSuccess);
        Assert.Empty(a.Value.Overrides);
    }

    [Fact]
    public void DefaultLibrary_EveryProtocol_HasLimitsWithSources()
    {
        foreach (var p in ProtocolLibrary.Default.Protocols)
        {
            var l = Library.LimitsFor(p);
            var all = new[] { l.HardMgPerKgPerHour, l.SoftMgPerKgPerHour, l.HardMgPerHour, l.SoftMgPerHour, l.HardBolusMgPerKg, l.HardSingleDoseMg }.Where(x => x is not null).ToList();
            Assert.NotEmpty(all);
            Assert.All(all, x => Assert.False(string.IsNullOrWhiteSpace(x!.Source.Reference)));
        }
    }
}

public class DoseCheckPumpBoundaryTests
{
    [Theory]
    [InlineData(73.3)]
    [InlineData(61.7)]
    [InlineData(88.9)]
    [InlineData(70)]
    public void ExactlyHardLimit_ThroughPumpBackCalculation_NotStoppedByRoundingNoise(double kg)
    {
        // Hazard: 2 mg/kg/h back-calculated from the pump rate as 2.0000000000000004 must not read as above 2.
        var clock = Build.Clock();
        var protocol = Protocols.ProtocolLibrary.SeedOutpatient;
        var prep = Dosing.DrugLibrary.Default.Preparation("bag-1").Value;
        var program = Dosing.PumpProgram.Compute(Protocols.DoseLevel.MgPerKgPerHour(2.0), Pharmacology.Units.BodyWeight.FromKilograms(kg), prep, Pharmacology.Units.Duration.FromHours(1), Dosing.PumpSettings.Default, Build.Nurse, clock).Value;
        var lib = new Dosing.DrugLibrary("t", Dosing.DrugLibrary.Default.Preparations, Dosing.DrugLibrary.Default.Limits, new Dosing.PkThresholds(1e6, 1e6, Source.Assumption("test")));
        var covariates = new Pharmacology.Models.Covariates(Pharmacology.Units.BodyWeight.FromKilograms(kg), 40);
        var r = Dosing.DoseCheck.Evaluate(new Dosing.PlannedDose(protocol, covariates, program.BackCalculated, prep, "domino1984") { VtbiMl = program.VtbiMl }, lib);
        Assert.False(r.HasHardStop, string.Join(" ", r.Findings.Select(f => f.Message)));
        Assert.True(program.BackCalculated.Value <= 2.0 + 1e-12);
    }
}

public class LoadingBolusTests
{
    private static DoseCheckResult Check(double bolusMgPerKg, DrugLibrary? library = null) => DoseCheck.Evaluate(
        new PlannedDose(ProtocolLibrary.SeedOutpatient, new Covariates(BodyWeight.FromKilograms(70), 40), DoseLevel.MgPerKgPerHour(0.5), DrugLibrary.Default.Preparation("bag-1").Value, "domino1984")
        {
            LoadingBolus = DoseLevel.MgPerKg(bolusMgPerKg),
        },
        library ?? DrugLibrary.Default);

    [Theory]
    [InlineData(0.35, false)]
    [InlineData(0.36, true)]
    public void LoadingBolus_AroundCohenLimit_HardAbove(double mgPerKg, bool hard) =>
        Assert.Equal(hard, Check(mgPerKg, new DrugLibrary("t", DrugLibrary.Default.Preparations, DrugLibrary.Default.Limits, new PkThresholds(1e6, 1e6, Source.Assumption("test"))))
            .Findings.Any(f => f.LimitId == "bolus-mg-kg" && f.Severity == LimitSeverity.Hard));

    [Fact]
    public void LoadingBolus_Added_RaisesPredictedPeak()
    {
        var without = DoseCheck.Evaluate(new PlannedDose(ProtocolLibrary.SeedOutpatient, new Covariates(BodyWeight.FromKilograms(70), 40), DoseLevel.MgPerKgPerHour(0.5), DrugLibrary.Default.Preparation("bag-1").Value, "domino1984"), DrugLibrary.Default);
        Assert.True(Check(0.35).PredictedPeak!.Value > without.PredictedPeak!.Value);
    }

    [Fact]
    public void LoadingBolus_WrongUnit_HardStop() =>
        Assert.True(DoseCheck.Evaluate(
            new PlannedDose(ProtocolLibrary.SeedOutpatient, new Covariates(BodyWeight.FromKilograms(70), 40), DoseLevel.MgPerKgPerHour(0.5), DrugLibrary.Default.Preparation("bag-1").Value, "domino1984") { LoadingBolus = DoseLevel.Milligrams(20) },
            DrugLibrary.Default).HasHardStop);
}
