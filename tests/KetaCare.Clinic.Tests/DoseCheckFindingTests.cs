using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// Each dose-check finding with all it records (limit id, severity, planned value, limit, unit, source, canonical
/// message), the peak prediction against the engine, the regimen it simulates, and the authorisation's overrides.
/// </summary>
public class DoseCheckFindingTests
{
    private static readonly Covariates Kg70 = new(BodyWeight.FromKilograms(70), 40, Sex.Male, 175);

    /// <summary>A peak below every threshold, so that only the limit under test speaks.</summary>
    private static readonly (Concentration?, IReadOnlyList<string>) QuietPeak = (Concentration.FromNanogramsPerMilliliter(1), ["quiet"]);

    private static Preparation Prep(string id) => DrugLibrary.Default.Preparation(id).Value;

    private static PlannedDose Plan(Protocol protocol, DoseLevel dose, string prep = "bag-1", Covariates? patient = null) =>
        new(protocol, patient ?? Kg70, dose, Prep(prep), "domino1984");

    private static DoseCheckResult Check(PlannedDose plan, DrugLibrary? library = null) => DoseCheck.Evaluate(plan, library ?? DrugLibrary.Default, QuietPeak);

    private static DrugLibrary WithLimits(Protocol protocol, DoseLimits limits) =>
        new("test-limits", DrugLibrary.Default.Preparations, new Dictionary<string, DoseLimits> { [protocol.Id] = limits }, PkThresholds.Default);

    private static void AssertFinding(LimitFinding f, string id, LimitSeverity severity, double value, double limit, string unit, Source source)
    {
        Assert.Equal((id, severity, unit, source), (f.LimitId, f.Severity, f.Unit, f.Source));
        Assert.Equal(value, f.Value, 9);
        Assert.Equal(limit, f.LimitValue, 9);
        Assert.Equal(f.ToFinding().ToString(), f.Message);
    }

    [Fact]
    public void Evaluate_WithinEveryLimit_NoFindingAndThePredictionPassedThrough()
    {
        var r = Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(0.5)) with { VtbiMl = 35 });

        Assert.Empty(r.Findings);
        Assert.False(r.HasHardStop);
        Assert.Equal(QuietPeak.Item1, r.PredictedPeak);
        Assert.Equal(["quiet"], r.PredictionNotes);
        Assert.Equal("drugs-2026.1", r.DrugLibraryVersion);
    }

    [Fact]
    public void Evaluate_UndilutedHundredMgPerMlIv_PreparationHardStopAndTheOtherChecksStillRun()
    {
        var r = Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(2.5), "vial-100"));

        AssertFinding(r.Findings[0], "preparation", LimitSeverity.Hard, 100, 0, "mg/mL", Source.KetalarLabel);
        Assert.Equal("limit.preparation(value=100 mg/mL, limit=0 mg/mL)", r.Findings[0].Message);
        Assert.Contains(r.Findings, f => f.LimitId == "rate-mg-kg-h");
    }

    [Fact]
    public void Evaluate_DoseInAnotherUnitThanTheProtocol_OnlyTheDoseUnitHardStop()
    {
        var r = Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKg(0.3)));

        AssertFinding(Assert.Single(r.Findings), "dose-unit", LimitSeverity.Hard, 0.3, 0, string.Empty, ProtocolLibrary.SeedOutpatient.Sources[0]);
        Assert.Null(r.PredictedPeak);
        Assert.Empty(r.PredictionNotes);
        Assert.Equal("drugs-2026.1", r.DrugLibraryVersion);
    }

    [Fact]
    public void Evaluate_ZeroDose_OnlyTheDoseZeroHardStop()
    {
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0)));

        AssertFinding(Assert.Single(r.Findings), "dose-zero", LimitSeverity.Hard, 0, 0, string.Empty, ProtocolLibrary.Rema2012.Sources[0]);
        Assert.Null(r.PredictedPeak);
        Assert.Empty(r.PredictionNotes);
    }

    [Fact]
    public void Evaluate_RateAboveTheHardLimit_HardFindingOnlyNotAlsoTheSoftOne()
    {
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(2.1)));

        var rate = Assert.Single(r.Findings, f => f.LimitId == "rate-mg-kg-h");
        AssertFinding(rate, "rate-mg-kg-h", LimitSeverity.Hard, 2.1, 2, "mg/kg/h", Source.Cohen2018);
        Assert.Equal("limit.rate-mg-kg-h(value=2.1 mg/kg/h, limit=2 mg/kg/h)", rate.Message);
    }

    [Fact]
    public void Evaluate_RateAboveTheSoftLimit_SoftFindingCitingTheProtocol()
    {
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.7)));

        AssertFinding(r.Findings[0], "rate-mg-kg-h", LimitSeverity.Soft, 0.7, 0.6, "mg/kg/h", ProtocolLibrary.Rema2012.Sources[0]);
        Assert.False(r.HasHardStop);
        Assert.Equal(r.Findings, r.SoftFindings);
    }

    [Theory]
    [InlineData(2.000000001, false)] // floating-point noise above the limit passes
    [InlineData(2.00001, true)]
    public void Evaluate_JustAboveTheLimit_OnlyNoiseIsForgiven(double rate, bool flagged) =>
        Assert.Equal(flagged, Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(rate))).Findings.Any(f => f.LimitId == "rate-mg-kg-h"));

    [Fact]
    public void Evaluate_AbsoluteRate_HardAndSoftFromTheLibrary()
    {
        var p = ProtocolLibrary.Rema2012;
        var hard = new Limit(60, Source.Assumption("clinic hard"));
        var soft = new Limit(30, Source.Assumption("clinic soft"));
        var library = WithLimits(p, new DoseLimits { HardMgPerHour = hard, SoftMgPerHour = soft });

        var above = Check(Plan(p, DoseLevel.MgPerKgPerHour(1)), library).Findings; // 70 mg/h
        var between = Check(Plan(p, DoseLevel.MgPerKgPerHour(0.5)), library).Findings; // 35 mg/h

        AssertFinding(Assert.Single(above), "rate-mg-h", LimitSeverity.Hard, 70, 60, "mg/h", hard.Source);
        AssertFinding(Assert.Single(between), "rate-mg-h", LimitSeverity.Soft, 35, 30, "mg/h", soft.Source);
    }

    [Fact]
    public void Evaluate_LoadingBolusAboveCohen_HardFindingInMgPerKg()
    {
        var r = Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(0.5)) with { LoadingBolus = DoseLevel.MgPerKg(0.4) });

        AssertFinding(Assert.Single(r.Findings), "bolus-mg-kg", LimitSeverity.Hard, 0.4, 0.35, "mg/kg", Source.Cohen2018);
    }

    [Fact]
    public void Evaluate_LoadingBolusInMilligrams_HardStopAsTheWrongUnit()
    {
        var r = Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(0.5)) with { LoadingBolus = DoseLevel.Milligrams(20) });

        AssertFinding(Assert.Single(r.Findings), "bolus-mg-kg", LimitSeverity.Hard, 20, 0, string.Empty, Source.Cohen2018);
    }

    [Fact]
    public void Evaluate_LongerThanTheProtocol_SessionTotalsAgainstTheHardRateAndTheSessionCap()
    {
        // 1.9 mg/kg/h × 70 kg × 2 h = 266 mg; the protocol's hour at 2 mg/kg/h allows 140 mg, its session cap 200 mg.
        var r = Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(1.9)) with { InfusionDuration = Duration.FromHours(2) });

        Assert.Equal(2, r.Findings.Count);
        AssertFinding(r.Findings[0], "session-total", LimitSeverity.Hard, 266, 140, "mg", Source.Cohen2018);
        AssertFinding(r.Findings[1], "session-total-mg", LimitSeverity.Hard, 266, 200, "mg", DoseLimits.AbsoluteRateCeiling.Source);
    }

    [Fact]
    public void Evaluate_LoadingBolus_CountsInTheSessionTotal()
    {
        // 1.9 mg/kg/h × 70 kg × 1 h = 133 mg, + 0.3 mg/kg × 70 kg = 21 mg: 154 mg over the 140 mg of the protocol's hour.
        var r = Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(1.9)) with { LoadingBolus = DoseLevel.MgPerKg(0.3) });

        AssertFinding(Assert.Single(r.Findings), "session-total", LimitSeverity.Hard, 154, 140, "mg", Source.Cohen2018);
    }

    [Fact]
    public void Evaluate_LongerThanTheProtocolAtTheSoftRate_SoftSessionTotal()
    {
        // 0.6 mg/kg/h × 70 kg × 5 h = 210 mg against 0.6 × 70 × 4 h = 168 mg.
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.6)) with { InfusionDuration = Duration.FromHours(5) });

        AssertFinding(Assert.Single(r.Findings), "session-total", LimitSeverity.Soft, 210, 168, "mg", ProtocolLibrary.Rema2012.Sources[0]);
    }

    [Fact]
    public void Evaluate_SessionTotalAboveTheHardOne_SoftSessionTotalNotAdded()
    {
        // 1.9 mg/kg/h × 70 kg × 5 h = 665 mg: above both 560 mg (hard, 2 mg/kg/h × 4 h) and 168 mg (soft).
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(1.9)) with { InfusionDuration = Duration.FromHours(5) });

        AssertFinding(Assert.Single(r.Findings, f => f.LimitId == "session-total"), "session-total", LimitSeverity.Hard, 665, 560, "mg", Source.Cohen2018);
    }

    [Fact]
    public void Evaluate_ProtocolWithoutDuration_SessionTotalOverThePlannedHours()
    {
        // Without a protocol duration the planned 3 h is the reference: 1.9 × 70 × 3 = 399 mg within 2 × 70 × 3 = 420 mg.
        var p = ProtocolLibrary.Rema2012 with { InfusionDuration = null };
        var r = Check(Plan(p, DoseLevel.MgPerKgPerHour(1.9)) with { InfusionDuration = Duration.FromHours(3) }, WithLimits(p, new DoseLimits { HardMgPerKgPerHour = DoseLimits.CohenInfusionCeiling }));

        Assert.Empty(r.Findings);
    }

    [Fact]
    public void Evaluate_VtbiAboveTheContainer_HardCitingThePreparation()
    {
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)) with { VtbiMl = 251 }); // bag-1: 250 mL

        AssertFinding(Assert.Single(r.Findings), "vtbi", LimitSeverity.Hard, 251, 250, "mL", Prep("bag-1").Source);
    }

    [Fact]
    public void Evaluate_VtbiAboveTheHardSessionVolume_HardCitingTheRateLimit()
    {
        // bag-2 (2 mg/mL, 100 mL): 2 mg/kg/h × 70 kg × 1 h ÷ 2 mg/mL = 70 mL.
        var r = Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(0.5), "bag-2") with { VtbiMl = 71 });

        AssertFinding(Assert.Single(r.Findings), "vtbi", LimitSeverity.Hard, 71, 70, "mL", Source.Cohen2018);
    }

    [Fact]
    public void Evaluate_VtbiAboveBoth_TwoVtbiFindings()
    {
        // bag-1: 250 mL in the container; 2 × 70 × 4 h ÷ 1 mg/mL = 560 mL for Rema.
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)) with { VtbiMl = 600 });

        Assert.Equal([250.0, 560.0], r.Findings.Where(f => f.LimitId == "vtbi").Select(f => Math.Round(f.LimitValue, 6)));
    }

    [Fact]
    public void Evaluate_WeightBasedSingleDoseAboveCohen_HardBolusFinding()
    {
        var r = Check(Plan(ProtocolLibrary.ClinicIntramuscular, DoseLevel.MgPerKg(0.36), "vial-50"));

        AssertFinding(Assert.Single(r.Findings), "bolus-mg-kg", LimitSeverity.Hard, 0.36, 0.35, "mg/kg", Source.Cohen2018);
    }

    [Fact]
    public void Evaluate_FixedDoseAboveTheProtocolCeiling_HardSingleDoseFinding()
    {
        var r = Check(Plan(ProtocolLibrary.ClinicIntranasal, DoseLevel.Milligrams(51), "vial-50"));

        AssertFinding(Assert.Single(r.Findings), "single-dose-mg", LimitSeverity.Hard, 51, 50, "mg", Source.Assumption("clinic-in-example: the protocol's ceiling as its hard limit"));
    }

    [Theory]
    [InlineData(250, null, null)]
    [InlineData(251, LimitSeverity.Soft, 250.0)]
    [InlineData(1200, LimitSeverity.Soft, 250.0)]
    [InlineData(1201, LimitSeverity.Hard, 1200.0)]
    public void Evaluate_PredictedPeak_OneFindingAtTheHighestThresholdCrossed(double ngPerMl, LimitSeverity? severity, double? limit)
    {
        var plan = Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(0.5));

        var r = DoseCheck.Evaluate(plan, DrugLibrary.Default, (Concentration.FromNanogramsPerMilliliter(ngPerMl), []));

        if (severity is { } s)
        {
            AssertFinding(Assert.Single(r.Findings), "pk-peak", s, ngPerMl, limit!.Value, "ng/mL", PkThresholds.Default.Source);
        }
        else
        {
            Assert.Empty(r.Findings);
        }
    }

    [Fact]
    public void Evaluate_NoPeak_SoftPkUnavailableAndTheReasonInTheNotes()
    {
        var r = DoseCheck.Evaluate(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(0.5)), DrugLibrary.Default, (null, ["model: unknown"]));

        AssertFinding(Assert.Single(r.Findings), "pk-unavailable", LimitSeverity.Soft, 0, 0, string.Empty, PkThresholds.Default.Source);
        Assert.Equal(["model: unknown"], r.PredictionNotes);
        Assert.Null(r.PredictedPeak);
    }

    [Fact]
    public void Evaluate_NoPredictionGiven_RunsTheEngine()
    {
        var plan = Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(0.5));

        var r = DoseCheck.Evaluate(plan, DrugLibrary.Default);

        var (peak, notes) = DoseCheck.PredictPeak(plan);
        Assert.Equal(peak, r.PredictedPeak);
        Assert.Equal(notes, r.PredictionNotes);
    }

    [Fact]
    public void Evaluate_DosingWeight_LimitsAndTotalsUseIt()
    {
        // 0.5 mg/kg/h on a dosing weight of 300 kg is 150 mg/h, over the library's 100 mg/h, whatever the actual weight.
        var p = ProtocolLibrary.Rema2012;
        var library = WithLimits(p, new DoseLimits { HardMgPerHour = new Limit(100, Source.Assumption("cap")) });

        var r = Check(Plan(p, DoseLevel.MgPerKgPerHour(0.5)) with { DosingWeight = BodyWeight.FromKilograms(300) }, library);

        AssertFinding(Assert.Single(r.Findings), "rate-mg-h", LimitSeverity.Hard, 150, 100, "mg/h", library.Limits[p.Id].HardMgPerHour!.Source);
    }

    [Fact]
    public void PredictPeak_Infusion_IsTheEnginesPlasmaMaximumOfTheSession()
    {
        var plan = Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5));

        var (peak, notes) = DoseCheck.PredictPeak(plan);

        var model = ModelLibrary.Get("domino1984", "model").Value;
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(35), Duration.FromHours(4)))]);
        var engine = Simulator.Run(new SimulationRequest(model, Kg70, regimen) { Until = Duration.FromHours(8), Step = Duration.FromMinutes(1) }).Value;
        Assert.Equal(engine.Metrics("plasma").Cmax.NanogramsPerMilliliter, peak!.Value.NanogramsPerMilliliter, 1e-6);
        Assert.Equal(engine.Warnings.Select(w => w.Message), notes);
    }

    [Fact]
    public void PredictPeak_IntramuscularBolus_PeakAfterTheInjectionWithinTheWindow()
    {
        var plan = Plan(ProtocolLibrary.ClinicIntramuscular, DoseLevel.MgPerKg(0.3), "vial-50");

        var (peak, _) = DoseCheck.PredictPeak(plan);

        var model = ModelLibrary.Get("domino1984", "model").Value;
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.Bolus(Mass.FromMilligrams(21)), Route.Intramuscular)]);
        var engine = Simulator.Run(new SimulationRequest(model, Kg70, regimen) { Until = Duration.FromHours(4), Step = Duration.FromMinutes(1) }).Value;
        Assert.Equal(engine.Metrics("plasma").Cmax.NanogramsPerMilliliter, peak!.Value.NanogramsPerMilliliter, 1e-6);
    }

    /// <summary>The engine's plasma maximum of 35 mg/h (0.5 mg/kg/h, 70 kg) for <paramref name="hours"/>, simulated to 4 h after the end.</summary>
    private static double EnginePeak(double hours)
    {
        var model = ModelLibrary.Get("domino1984", "model").Value;
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(35), Duration.FromHours(hours)))]);
        return Simulator.Run(new SimulationRequest(model, Kg70, regimen) { Until = Duration.FromHours(hours + 4), Step = Duration.FromMinutes(1) }).Value.Metrics("plasma").Cmax.NanogramsPerMilliliter;
    }

    [Fact]
    public void PredictPeak_InfusionLongerThanADay_SimulatedToItsEnd()
    {
        // The peak of a constant infusion is at its end: a 30-h protocol is simulated to its end, not to 4 h or 24 h.
        var p = ProtocolLibrary.Rema2012 with { InfusionDuration = Duration.FromHours(30) };

        var (peak, _) = DoseCheck.PredictPeak(Plan(p, DoseLevel.MgPerKgPerHour(0.5)));

        Assert.Equal(EnginePeak(30), peak!.Value.NanogramsPerMilliliter, 1e-6);
    }

    [Fact]
    public void PredictPeak_PlannedLongerThanTheProtocol_SimulatedToThePlannedEnd()
    {
        var (peak, _) = DoseCheck.PredictPeak(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)) with { InfusionDuration = Duration.FromHours(30) });

        Assert.Equal(EnginePeak(30), peak!.Value.NanogramsPerMilliliter, 1e-6);
    }

    [Fact]
    public void Evaluate_ExactlyTheLimitPlusItsFloatingSlack_Passes() =>
        Assert.DoesNotContain(Check(Plan(ProtocolLibrary.SeedOutpatient, DoseLevel.MgPerKgPerHour(2 * (1 + 1e-9)))).Findings, f => f.LimitId == "rate-mg-kg-h");

    [Fact]
    public void Evaluate_HardFindingOfAnotherLimit_SoftFindingStillRaised()
    {
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.7), "vial-100"));

        Assert.Equal([("preparation", LimitSeverity.Hard), ("rate-mg-kg-h", LimitSeverity.Soft), ("session-total", LimitSeverity.Soft)], r.Findings.Select(f => (f.LimitId, f.Severity)));
    }

    [Fact]
    public void PredictPeak_UnknownModel_NoPeakAndTheModelsRefusal()
    {
        var (peak, notes) = DoseCheck.PredictPeak(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)) with { ModelId = "nope" });

        Assert.Null(peak);
        Assert.StartsWith("model: \"nope\" is not a known model", Assert.Single(notes), StringComparison.Ordinal);
    }

    [Fact]
    public void PredictPeak_ZeroDose_NoPeakAndTheRegimensRefusal()
    {
        var (peak, notes) = DoseCheck.PredictPeak(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0)));

        Assert.Null(peak);
        Assert.Equal(["dose: must be greater than 0."], notes);
    }

    [Fact]
    public void PredictPeak_EngineRefusesThePatient_NoPeakAndTheEnginesReason()
    {
        var plan = Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)) with { ModelId = "herd2007" }; // a model of children

        var (peak, notes) = DoseCheck.PredictPeak(plan);

        Assert.Null(peak);
        var engine = Simulator.Run(new SimulationRequest(ModelLibrary.Get("herd2007", "model").Value, Kg70, DoseCheck.RegimenFor(plan).Value));
        Assert.Equal([engine.Error!], notes);
    }

    [Fact]
    public void RegimenFor_InfusionOnTheDosingWeightWithALoadingBolus_TheDrugThePumpDelivers()
    {
        var plan = Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)) with { DosingWeight = BodyWeight.FromKilograms(60), LoadingBolus = DoseLevel.MgPerKg(0.2) };

        var items = DoseCheck.RegimenFor(plan).Value.Administrations;

        Assert.Equal(2, items.Count);
        Assert.All(items, a => Assert.Equal((0.0, Route.Intravenous), (a.Start.Minutes, a.Route)));
        var weight = BodyWeight.FromKilograms(70); // the engine's covariate; the amounts must not depend on it
        Assert.Equal(120, items[0].Dose.Resolve(weight).Value.Total.Milligrams, 9); // 0.5 × 60 kg × 4 h
        Assert.Equal(240, items[0].Dose.Resolve(weight).Value.Over!.Value.Minutes, 9);
        Assert.Equal(12, items[1].Dose.Resolve(weight).Value.Total.Milligrams, 9); // 0.2 × 60 kg
        Assert.Null(items[1].Dose.Resolve(weight).Value.Over);
    }

    [Theory]
    [InlineData(0.0)]
    public void RegimenFor_ZeroLoadingBolus_NotAnAdministration(double mgPerKg) =>
        Assert.Single(DoseCheck.RegimenFor(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)) with { LoadingBolus = DoseLevel.MgPerKg(mgPerKg) }).Value.Administrations);

    [Fact]
    public void RegimenFor_LoadingBolusInMilligrams_NotSimulated() =>
        Assert.Single(DoseCheck.RegimenFor(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)) with { LoadingBolus = DoseLevel.Milligrams(20) }).Value.Administrations);

    [Fact]
    public void RegimenFor_SingleDoses_BolusOfTheAmountByTheProtocolsRoute()
    {
        var im = DoseCheck.RegimenFor(Plan(ProtocolLibrary.ClinicIntramuscular, DoseLevel.MgPerKg(0.3), "vial-50") with { DosingWeight = BodyWeight.FromKilograms(50) }).Value.Administrations.Single();
        var nasal = DoseCheck.RegimenFor(Plan(ProtocolLibrary.ClinicIntranasal, DoseLevel.Milligrams(40), "vial-50")).Value.Administrations.Single();

        Assert.Equal((DoseShape.Bolus, Route.Intramuscular), (im.Dose.Shape, im.Route));
        Assert.Equal(15, im.Dose.Resolve(BodyWeight.FromKilograms(70)).Value.Total.Milligrams, 9);
        Assert.Equal((DoseShape.Bolus, Route.Intranasal), (nasal.Dose.Shape, nasal.Route));
        Assert.Equal(40, nasal.Dose.Resolve(BodyWeight.FromKilograms(70)).Value.Total.Milligrams, 9);
    }

    [Fact]
    public void RegimenFor_InfusionWithoutAnyDuration_Refused()
    {
        var p = ProtocolLibrary.Rema2012 with { InfusionDuration = null };

        Assert.Equal("duration: an infusion needs a duration greater than 0.", DoseCheck.RegimenFor(Plan(p, DoseLevel.MgPerKgPerHour(0.5))).Error);
        Assert.True(DoseCheck.RegimenFor(Plan(p, DoseLevel.MgPerKgPerHour(0.5)) with { InfusionDuration = Duration.FromHours(1) }).IsSuccess);
    }

    [Fact]
    public void Authorize_HardStops_RefusedWithEveryHardFindingCoded()
    {
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(2.1)) with { VtbiMl = 600 });

        var a = DoseAuthorization.Authorize(r, r.Findings.DistinctBy(f => f.LimitId).ToDictionary(f => f.LimitId, _ => "insist"), Build.Physician, Build.Clock());

        Assert.Equal(r.Findings.Where(f => f.Severity == LimitSeverity.Hard).Select(f => f.ToFinding()), a.Findings);
        Assert.All(a.Findings, f => Assert.Equal(FindingSeverity.HardStop, f.Severity));
    }

    [Fact]
    public void Authorize_SoftFindingsWithoutReasons_RefusedWithEachMissingOneOnce()
    {
        // Rema at 0.7 mg/kg/h over 5 h: soft rate and soft session total; only the rate has a reason.
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.7)) with { InfusionDuration = Duration.FromHours(5) });
        Assert.Equal(["rate-mg-kg-h", "session-total"], r.Findings.Select(f => f.LimitId));

        var a = DoseAuthorization.Authorize(r, new Dictionary<string, string> { ["rate-mg-kg-h"] = "tolerated" }, Build.Physician, Build.Clock());

        var missing = Assert.Single(a.Findings);
        Assert.Equal((FindingCodes.LimitPrefix + "session-total", FindingSeverity.NeedsOverride), (missing.Code, missing.Severity));
        Assert.Equal([FindingArg.Of("value", 245, "mg"), FindingArg.Of("limit", 168, "mg")], missing.Args.Select(x => x with { Number = Math.Round(x.Number!.Value, 9) }));
    }

    [Fact]
    public void Authorize_EverySoftFindingWithAReason_OneOverrideEachTrimmedWithWhoAndWhen()
    {
        var clock = Build.Clock();
        clock.Advance(TimeSpan.FromMinutes(3));
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.7)) with { InfusionDuration = Duration.FromHours(5) });

        var a = DoseAuthorization.Authorize(r, new Dictionary<string, string> { ["rate-mg-kg-h"] = "  tolerated 0.6 ", ["session-total"] = "one long day", ["vtbi"] = "unused" }, Build.Physician, clock).Value;

        Assert.Equal(
            [new LimitOverride("rate-mg-kg-h", "tolerated 0.6", Build.Physician, clock.Now), new LimitOverride("session-total", "one long day", Build.Physician, clock.Now)],
            a.Overrides);
        Assert.Same(r, a.Check);
    }

    [Fact]
    public void Authorize_TwoSoftFindingsOfOneLimit_OneOverride()
    {
        var soft = LimitFinding.Create("pk-peak", LimitSeverity.Soft, 300, 250, "ng/mL", PkThresholds.Default.Source);
        var check = new DoseCheckResult(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)), [soft, soft with { Value = 310 }], null, [], "t");

        var a = DoseAuthorization.Authorize(check, new Dictionary<string, string> { ["pk-peak"] = "monitored" }, Build.Physician, Build.Clock()).Value;

        Assert.Single(a.Overrides);
    }

    [Fact]
    public void Authorize_Null_Throws()
    {
        var r = Check(Plan(ProtocolLibrary.Rema2012, DoseLevel.MgPerKgPerHour(0.5)));

        Assert.Throws<ArgumentNullException>(() => DoseAuthorization.Authorize(null!, null, Build.Physician, Build.Clock()));
        Assert.Throws<ArgumentNullException>(() => DoseAuthorization.Authorize(r, null, Build.Physician, null!));
        Assert.Throws<ArgumentNullException>(() => DoseCheck.Evaluate(null!, DrugLibrary.Default));
        Assert.Throws<ArgumentNullException>(() => DoseCheck.Evaluate(r.Plan, null!));
        Assert.Throws<ArgumentNullException>(() => DoseCheck.PredictPeak(null!));
        Assert.Throws<ArgumentNullException>(() => DoseCheck.RegimenFor(null!));
    }

    [Fact]
    public void LimitFinding_WithoutUnit_CodedWithEmptyUnits()
    {
        var f = new LimitFinding("vtbi", LimitSeverity.Soft, 5, 4, "old record", Source.Cohen2018);

        Assert.Equal(Finding.Of("limit.vtbi", FindingSeverity.NeedsOverride, Source.Cohen2018, FindingArg.Of("value", 5), FindingArg.Of("limit", 4)), f.ToFinding());
    }

    [Fact]
    public void LimitIds_EveryIdTheCheckRaises() =>
        Assert.Equal(["rate-mg-kg-h", "rate-mg-h", "bolus-mg-kg", "single-dose-mg", "session-total", "session-total-mg", "vtbi", "preparation", "dose-unit", "dose-zero", "pk-peak", "pk-unavailable", "ancillary-dose-mg", "ancillary-session-mg"], DoseCheck.LimitIds);
}
