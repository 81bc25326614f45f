using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// Age, breastfeeding, hyperthyroidism and ketamine uropathy at screening, each with its level and source; raised
/// intracranial or intraocular pressure capping every dose check low (infusions at 0.5 mg/kg/h, single doses at the
/// protocol's start dose) as a hard limit, at the plan preview and at the start of a session.
/// </summary>
public class EligibilityAdditionTests
{
    private static (Patient Patient, EntryId Condition, TestClock Clock) Eligible()
    {
        var clock = Build.Clock();
        var (p, c) = Build.EligiblePatient(clock);
        return (p, c, clock);
    }

    private static EligibilityEvaluation Screen((Patient Patient, EntryId Condition, TestClock Clock) x, Protocol? protocol = null) =>
        EligibilityRules.Evaluate(x.Patient.Snapshot(), x.Condition, x.Clock.Today, protocol);

    private static Patient Aged(TestClock clock, int years, int daysBeforeBirthday)
    {
        var (p, _) = Build.EligiblePatient(clock);
        var birth = clock.Today.AddYears(-years).AddDays(daysBeforeBirthday);
        Assert.True(p.CorrectDemographics(p.Demographics with { BirthDate = birth }, "typed the year wrong", Build.Nurse, clock).IsSuccess);
        return p;
    }

    [Theory]
    [InlineData(18, 0, false)]  // eighteenth birthday today: adult
    [InlineData(18, 1, true)]   // tomorrow: still 17
    [InlineData(40, 0, false)]
    public void Age_BelowTheRuleSetsAdultAge_Excluded(int years, int daysBeforeBirthday, bool excluded)
    {
        var clock = Build.Clock();
        var p = Aged(clock, years, daysBeforeBirthday);
        var condition = p.Conditions.Active.First().Id;

        var e = EligibilityRules.Evaluate(p.Snapshot(), condition, clock.Today);

        var age = e.Findings.SingleOrDefault(f => f.RuleId == "age");
        Assert.Equal(excluded, age is not null);
        if (age is not null)
        {
            Assert.Equal((FindingLevel.Exclude, EligibilitySettings.AgeSource), (age.Level, age.Source));
            Assert.Contains("Age 17", age.Message, StringComparison.Ordinal);
            Assert.Equal(EligibilityResult.NotEligible, e.Result);
        }
    }

    [Fact]
    public void Age_AProtocolForAdolescents_AllowsItsOwnMinimum()
    {
        var clock = Build.Clock();
        var p = Aged(clock, 16, 0);
        var condition = p.Conditions.Active.First().Id;
        var adolescent = ProtocolLibrary.SeedOutpatient with { Id = "adolescent", Name = "Adolescent protocol", MinimumAgeYears = 16 };

        Assert.DoesNotContain(EligibilityRules.Evaluate(p.Snapshot(), condition, clock.Today, adolescent).Findings, f => f.RuleId == "age");
        var younger = Aged(clock, 15, 0);
        var f = Assert.Single(EligibilityRules.Evaluate(younger.Snapshot(), younger.Conditions.Active.First().Id, clock.Today, adolescent).Findings, f => f.RuleId == "age");
        Assert.EndsWith("at least 16 required by Adolescent protocol.", f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(120, true)]
    [InlineData(121, false)]
    public void Protocol_MinimumAge_WithinZeroToOneHundredTwenty(int years, bool valid)
    {
        var r = (ProtocolLibrary.SeedOutpatient with { MinimumAgeYears = years }).Validate();

        Assert.Equal(valid, r.IsSuccess);
        if (!valid)
        {
            Assert.StartsWith("minimumAgeYears:", r.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(FindingKind.Breastfeeding, true, "breastfeeding", FindingLevel.Review)]
    [InlineData(FindingKind.Hyperthyroidism, true, "hyperthyroidism", FindingLevel.Exclude)]
    [InlineData(FindingKind.Hyperthyroidism, false, "hyperthyroidism", FindingLevel.Warning)]
    [InlineData(FindingKind.KetamineUropathy, true, "uropathy", FindingLevel.Exclude)]
    [InlineData(FindingKind.KetamineUropathy, false, "uropathy", FindingLevel.Review)]
    public void Finding_NewContraindications_LevelAndSource(FindingKind kind, bool active, string rule, FindingLevel level)
    {
        var x = Eligible();
        x.Patient.Record(new ContraindicationFinding(kind, Severity.Moderate, active), Build.Physician, x.Clock);

        var f = Assert.Single(Screen(x).Findings, f => f.RuleId == rule);

        var source = kind switch
        {
            FindingKind.Breastfeeding => EligibilitySettings.BreastfeedingSource,
            FindingKind.Hyperthyroidism => EligibilitySettings.HyperthyroidismSource,
            _ => EligibilitySettings.UropathySource,
        };
        Assert.Equal((level, source), (f.Level, f.Source));
    }

    [Fact]
    public void Breastfeeding_Past_NoFinding()
    {
        var x = Eligible();
        x.Patient.Record(new ContraindicationFinding(FindingKind.Breastfeeding, Severity.Mild, false), Build.Physician, x.Clock);

        Assert.DoesNotContain(Screen(x).Findings, f => f.RuleId == "breastfeeding");
        Assert.Equal(EligibilityResult.Eligible, Screen(x).Result);
    }

    [Theory]
    [InlineData(true, "0.5 mg/kg/h")]
    [InlineData(false, "(past)")]
    public void RaisedPressure_Review_NamesTheCapWhenCurrent(bool active, string says)
    {
        var x = Eligible();
        x.Patient.Record(new ContraindicationFinding(FindingKind.RaisedIntraocularPressure, Severity.Moderate, active), Build.Physician, x.Clock);

        var f = Assert.Single(Screen(x).Findings, f => f.RuleId == "raised-pressure");

        Assert.Equal(FindingLevel.Review, f.Level);
        Assert.Contains(says, f.Message, StringComparison.Ordinal);
        Assert.Equal(active, x.Patient.Snapshot().HasRaisedPressure);
    }

    private static readonly Covariates Kg70 = new(BodyWeight.FromKilograms(70), 40, Sex.Male, 175);

    private static DoseCheckResult Check(Protocol protocol, DoseLevel dose, bool raised) =>
        DoseCheck.Evaluate(new PlannedDose(protocol, Kg70, dose, DrugLibrary.Default.Preparation("bag-1").Value, "domino1984") { RaisedPressure = raised }, DrugLibrary.Default, (Concentration.FromNanogramsPerMilliliter(1), []));

    [Theory]
    [InlineData(0.5, false)]
    [InlineData(0.51, true)]
    public void DoseCheck_RaisedPressure_InfusionAboveHalfAMilligramPerKgPerHour_HardStop(double mgKgH, bool refused)
    {
        var r = Check(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(mgKgH), raised: true);

        Assert.Equal(refused, r.HasHardStop);
        if (refused)
        {
            var f = Assert.Single(r.Findings, f => f.LimitId == "rate-mg-kg-h");
            Assert.Equal((LimitSeverity.Hard, 0.5, DoseLimits.RaisedPressureInfusionCap.Source), (f.Severity, f.LimitValue, f.Source));
        }

        Assert.False(Check(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(mgKgH), raised: false).HasHardStop); // without it only the usual limits
    }

    [Fact]
    public void DoseCheck_RaisedPressure_ALowerProtocolLimitStaysWithItsOwnSource()
    {
        var limits = DrugLibrary.Default.LimitsFor(ProtocolLibrary.Schwartzman2009, raisedPressure: true);

        Assert.Equal(DrugLibrary.Default.LimitsFor(ProtocolLibrary.Schwartzman2009).HardMgPerKgPerHour, limits.HardMgPerKgPerHour); // 0.35 < 0.5
    }

    [Fact]
    public void DoseCheck_RaisedPressure_SingleDoseProtocolsHeldAtTheirStartDose()
    {
        var im = ProtocolLibrary.ClinicIntramuscular;
        var nasal = ProtocolLibrary.ClinicIntranasal;

        Assert.False(Check(im, im.Start, raised: true).HasHardStop);
        Assert.True(Check(im, DoseLevel.MgPerKg(im.Start.Value + im.Step.Value), raised: true).HasHardStop);
        Assert.False(Check(im, DoseLevel.MgPerKg(im.Start.Value + im.Step.Value), raised: false).HasHardStop);
        Assert.False(Check(nasal, nasal.Start, raised: true).HasHardStop);
        var f = Assert.Single(Check(nasal, DoseLevel.Milligrams(nasal.Start.Value + nasal.Step.Value), raised: true).Findings, f => f.LimitId == "single-dose-mg");
        Assert.Equal(nasal.Start.Value, f.LimitValue);
    }

    [Fact]
    public void PlanPreview_RaisedPressure_TheHighestSessionIsTheCap()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        p.Record(new ContraindicationFinding(FindingKind.RaisedIntracranialPressure, Severity.Moderate, true), Build.Physician, clock);
        var model = ModelLibrary.Get("domino1984", "model").Value;
        var bag = DrugLibrary.Default.Preparation("bag-1").Value;

        var preview = PlanPreview.Build(p.Snapshot(), clock.Today, ProtocolLibrary.SeedOutpatient, model, bag, DoseLevel.MgPerKgPerHour(0.5), DrugLibrary.Default).Value;

        Assert.Equal(DoseLevel.MgPerKgPerHour(0.5), preview.Highest.Dose);
        Assert.False(preview.First.Check.HasHardStop);
    }
}
