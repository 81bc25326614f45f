using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>The pre-session checklist's rules and the dosing weight's window, at their boundaries.</summary>
public sealed class PreSessionChecklistTests
{
    private static readonly DateTimeOffset Now = Build.Start;
    private static readonly DateOnly Day = DateOnly.FromDateTime(Build.Start.UtcDateTime);
    private static readonly Protocol Outpatient = ProtocolLibrary.SeedOutpatient;

    private static PreSessionChecklist Passing => Build.Checklist(Now);

    private static Finding Refused(string code, params FindingArg[] args) => Finding.Refused(code, args);

    private static IReadOnlyList<Finding> Evaluate(PreSessionChecklist c, bool pregnancyTestApplicable = false, Protocol? protocol = null) =>
        PreSessionChecklistRules.Evaluate(c, protocol ?? Outpatient, pregnancyTestApplicable, Day, Now);

    [Fact]
    public void Evaluate_EveryItemAnswered_NoFindings() => Assert.Empty(Evaluate(Passing));

    [Fact]
    public void Evaluate_NoFastingTime_HardStop() =>
        Assert.Equal([Refused(FindingCodes.PreFastingMissing)], Evaluate(Passing with { FastingSince = null }));

    [Fact]
    public void Evaluate_FastingTimeAMinuteAhead_RefusedNamingTheTime()
    {
        var at = Now.AddMinutes(1);
        Assert.Equal([Refused(FindingCodes.PreFastingInFuture, FindingArg.Of("at", "2026-06-01T08:01:00.0000000+00:00"))], Evaluate(Passing with { FastingSince = at }));
    }

    [Fact]
    public void Evaluate_AteJustNow_ShortFastOfZeroHours() =>
        Assert.Equal([ShortFast(0, 6, PreSessionChecklistRules.FastingSource)], Evaluate(Passing with { FastingSince = Now }));

    [Fact]
    public void Evaluate_FastExactlyTheMinimum_Passes() =>
        Assert.Empty(Evaluate(Passing with { FastingSince = Now.AddHours(-PreSessionChecklistRules.DefaultMinimumFastingHours) }));

    [Fact]
    public void Evaluate_FastOneMinuteShort_NeedsOverrideShownRoundedDown() =>
        Assert.Equal([ShortFast(5.9, 6, PreSessionChecklistRules.FastingSource)], Evaluate(Passing with { FastingSince = Now.AddHours(-6).AddMinutes(1) }));

    [Fact]
    public void Evaluate_ProtocolSetsAShorterFast_ItsMinimumAndItsOwnSourceApply()
    {
        var protocol = Outpatient with { MinimumFastingHours = 4 };
        Assert.Empty(Evaluate(Passing with { FastingSince = Now.AddHours(-4) }, protocol: protocol));
        var f = Assert.Single(Evaluate(Passing with { FastingSince = Now.AddHours(-3) }, protocol: protocol));
        Assert.Equal(FindingCodes.PreFastingShort, f.Code);
        Assert.Equal(4, f.Number("minimum"));
        Assert.Equal(3, f.Number("hours"));
        Assert.NotEqual(PreSessionChecklistRules.FastingSource, f.Source);
        Assert.Contains(protocol.Id, f.Source!.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoEscort_HardStopWithTheDischargeRule() =>
        Assert.Equal([Finding.Of(FindingCodes.PreEscortNotConfirmed, FindingSeverity.HardStop, PreSessionChecklistRules.DischargeRuleSource)], Evaluate(Passing with { EscortConfirmed = false }));

    [Fact]
    public void Evaluate_DrivingBanNotAcknowledged_HardStop() =>
        Assert.Equal([Finding.Of(FindingCodes.PreNoDrivingNotAcknowledged, FindingSeverity.HardStop, PreSessionChecklistRules.DischargeRuleSource)], Evaluate(Passing with { NoDrivingAcknowledged = false }));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Evaluate_PossiblyPregnant_HardStopCitingCohenWhateverTheChart(bool applicable) =>
        Assert.Equal([Finding.Of(FindingCodes.PrePregnant, FindingSeverity.HardStop, Source.Cohen2018)], Evaluate(Passing with { Pregnancy = PregnancyCheck.PositiveOrPossible }, applicable));

    [Theory]
    [InlineData(PregnancyCheck.NotTested, false, false)]
    [InlineData(PregnancyCheck.NegativeTestToday, false, false)]
    [InlineData(PregnancyCheck.NegativeTestToday, true, false)]
    [InlineData(PregnancyCheck.NotTested, true, true)]
    public void Evaluate_PregnancyTest_RequiredOnlyWhereItApplies(PregnancyCheck pregnancy, bool applicable, bool refused)
    {
        var findings = Evaluate(Passing with { Pregnancy = pregnancy }, applicable);
        Assert.Equal(refused ? [Refused(FindingCodes.PrePregnancyTestMissing, FindingArg.Of("date", "2026-06-01"))] : [], findings);
    }

    [Fact]
    public void Evaluate_NewMedicationsNotAsked_HardStop() =>
        Assert.Equal([Refused(FindingCodes.PreNewMedicationsNotAsked)], Evaluate(Passing with { NewMedications = null }));

    [Fact]
    public void Evaluate_NewMedicationWithoutInteraction_NoFinding() =>
        Assert.Empty(Evaluate(Passing with { NewMedications = [new Medication("paracetamol", "1 g", InteractionClass.None)] }));

    [Fact]
    public void Evaluate_NewBenzodiazepine_WarningNamingTheMedicationAndRule()
    {
        var f = Assert.Single(Evaluate(Passing with { NewMedications = [new Medication("lorazepam", null, InteractionClass.Benzodiazepine)] }));
        Assert.Equal(FindingCodes.PreNewMedicationInteraction, f.Code);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal("interaction-benzodiazepine", f.Arg("rule")!.Text);
        Assert.Equal("lorazepam", f.Arg("medication")!.Text);
        Assert.Equal(Source.KetalarLabel, f.Source);
    }

    [Fact]
    public void Evaluate_NewMaoInhibitor_NeedsAPhysiciansReason()
    {
        var f = Assert.Single(Evaluate(Passing with { NewMedications = [new Medication("phenelzine", null, InteractionClass.MonoamineOxidaseInhibitor)] }));
        Assert.Equal(FindingSeverity.NeedsOverride, f.Severity);
        Assert.Equal("interaction-maoi", f.Arg("rule")!.Text);
    }

    [Fact]
    public void Evaluate_EverythingMissing_ListsEveryHardStop() =>
        Assert.Equal(
            [FindingCodes.PreFastingMissing, FindingCodes.PreEscortNotConfirmed, FindingCodes.PreNoDrivingNotAcknowledged, FindingCodes.PrePregnancyTestMissing, FindingCodes.PreNewMedicationsNotAsked],
            Evaluate(new PreSessionChecklist(null, false, false, PregnancyCheck.NotTested, null), pregnancyTestApplicable: true).Select(f => f.Code));

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    [InlineData(0, true)]
    public void DosingMeasurement_DefaultWindowOf30Days_OlderWeightRefused(int ageDays, bool ok)
    {
        var patient = WeighedDaysAgo(ageDays);
        var r = PreSessionChecklistRules.DosingMeasurement(patient, Day, Outpatient);
        if (ok)
        {
            Assert.True(r.IsSuccess, r.Error);
            Assert.Equal(Day.AddDays(-ageDays), r.Value.MeasuredOn);
            return;
        }

        Assert.Equal(
            [Finding.Of(FindingCodes.WeightStale, FindingSeverity.HardStop, PreSessionChecklistRules.WeightWindowSource, FindingArg.Of("measured", "2026-05-01"), FindingArg.Of("age", 31, "days"), FindingArg.Of("window", 30, "days"))],
            r.Findings);
    }

    [Fact]
    public void DosingMeasurement_ProtocolWindowOf7Days_EighthDayRefusedWithThatWindow()
    {
        var protocol = Outpatient with { WeightValidDays = 7 };
        Assert.True(PreSessionChecklistRules.DosingMeasurement(WeighedDaysAgo(7), Day, protocol).IsSuccess);
        var f = Assert.Single(PreSessionChecklistRules.DosingMeasurement(WeighedDaysAgo(8), Day, protocol).Findings);
        Assert.Equal(7, f.Number("window"));
        Assert.Equal(8, f.Number("age"));
        Assert.Contains(protocol.Id, f.Source!.Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void DosingMeasurement_TheLatestWeightCounts_AnOldOneDoesNotRefuseARecentOne()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        p.Record(BodyMeasurement.Create(Day.AddDays(-2), 71).Value, Build.Nurse, clock);
        var r = PreSessionChecklistRules.DosingCovariates(p.Snapshot(), Day, Outpatient);
        Assert.True(r.IsSuccess, r.Error);
        Assert.Equal(71, r.Value.Weight.Kilograms);
    }

    [Fact]
    public void DosingCovariates_StaleWeight_RefusedWithoutCovariates() =>
        Assert.Equal([FindingCodes.WeightStale], PreSessionChecklistRules.DosingCovariates(WeighedDaysAgo(45), Day, Outpatient).Findings.Select(f => f.Code));

    [Fact]
    public void DosingMeasurement_NoWeight_TheChartsOwnRefusal()
    {
        var r = PreSessionChecklistRules.DosingMeasurement(WeighedDaysAgo(0), Day.AddDays(-1), Outpatient);
        Assert.False(r.IsSuccess);
        Assert.Contains("no weight recorded", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanPreview_WeightOlderThanTheWindow_RefusedUntilReweighed()
    {
        var patient = WeighedDaysAgo(60);
        var drugs = Dosing.DrugLibrary.Default;
        var r = PlanPreview.Build(patient, Day, Outpatient, ModelLibrary.Get("domino1984", "model").Value, drugs.Preparation("bag-1").Value, Outpatient.Start, drugs);
        Assert.Equal([FindingCodes.WeightStale], r.Findings.Select(f => f.Code));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(365, true)]
    [InlineData(366, false)]
    public void ProtocolValidate_WeightWindow_Between0And365Days(int days, bool ok) =>
        Assert.Equal(ok, (Outpatient with { WeightValidDays = days }).Validate().IsSuccess);

    [Theory]
    [InlineData(-0.1, false)]
    [InlineData(0, true)]
    [InlineData(24, true)]
    [InlineData(24.1, false)]
    [InlineData(double.NaN, false)]
    public void ProtocolValidate_MinimumFast_Between0And24Hours(double hours, bool ok) =>
        Assert.Equal(ok, (Outpatient with { MinimumFastingHours = hours }).Validate().IsSuccess);

    [Fact]
    public void Defaults_UsedWhenTheProtocolSetsNone()
    {
        Assert.Equal(30, PreSessionChecklistRules.WeightValidDays(Outpatient));
        Assert.Equal(6, PreSessionChecklistRules.MinimumFastingHours(Outpatient));
        Assert.Equal(12, PreSessionChecklistRules.WeightValidDays(Outpatient with { WeightValidDays = 12 }));
        Assert.Equal(2.5, PreSessionChecklistRules.MinimumFastingHours(Outpatient with { MinimumFastingHours = 2.5 }));
    }

    [Fact]
    public void ChecklistEquality_ComparesMedicationsByValue()
    {
        PreSessionChecklist With(string name) => Passing with { NewMedications = [new Medication(name, null, InteractionClass.None)] };
        Assert.Equal(With("a"), With("a"));
        Assert.NotEqual(With("a"), With("b"));
        Assert.NotEqual(Passing, Passing with { NewMedications = null });
        Assert.NotEqual(Passing with { NewMedications = null }, Passing);
        Assert.Equal(Passing with { NewMedications = null }, Passing with { NewMedications = null });
        Assert.NotEqual(Passing, Passing with { EscortConfirmed = false });
        Assert.NotEqual(Passing, Passing with { NoDrivingAcknowledged = false });
        Assert.NotEqual(Passing, Passing with { Pregnancy = PregnancyCheck.NegativeTestToday });
        Assert.NotEqual(Passing, Passing with { FastingSince = Now });
        Assert.False(Passing.Equals(null));
    }

    private static Finding ShortFast(double hours, double minimum, Source source) =>
        Finding.Of(FindingCodes.PreFastingShort, FindingSeverity.NeedsOverride, source, FindingArg.Of("hours", hours, "h"), FindingArg.Of("minimum", minimum, "h"));

    private static PatientSnapshot WeighedDaysAgo(int days)
    {
        var clock = Build.Clock();
        var p = Patient.Register(new Demographics("MRN-W", "Ali", "Test", new DateOnly(1986, 1, 15), Sex.Male), Build.Nurse, clock);
        p.Record(BodyMeasurement.Create(Day.AddDays(-days), 70, 175).Value, Build.Nurse, clock);
        return p.Snapshot();
    }
}
