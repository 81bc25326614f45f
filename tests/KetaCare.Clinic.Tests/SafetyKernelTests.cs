using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Tests;

/// <summary>The hazards the session must refuse or handle, each a named test on the domain.</summary>
public class SafetyKernelTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static Observation Vitals(TestClock clock, int sbp = 128, int dbp = 78, int hr = 76, int spo2 = 98, int rr = 14) =>
        Observation.Create(clock.Now, sbp, dbp, hr, spo2, rr).Value;

    [Fact]
    public void StartInfusion_PreAssessmentVitalsSpO2Of88Bp215Over125Hr138Rr6_RefusedWithEveryHardFinding()
    {
        var f = new SessionFixture().PreAssessed();
        var (_, auth) = f.CheckedProgram();
        Assert.True(f.Session.RecordObservation(Vitals(f.Clock, sbp: 215, dbp: 125, hr: 138, spo2: 88, rr: 6), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        var r = f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock);

        var codes = r.Findings.Select(x => x.Code).ToList();
        Assert.Equal([FindingCodes.VitalSpO2Low, FindingCodes.VitalRespiratoryRateLow, FindingCodes.VitalSystolicHigh, FindingCodes.VitalDiastolicHigh], codes);
        Assert.All(r.Findings, x => Assert.Equal(FindingSeverity.HardStop, x.Severity));
        Assert.Equal(SessionState.PreAssessment, f.Session.State);

        // Not even a physician's override starts it.
        var overridden = f.Session.StartInfusion(auth, new PhysicianOverride(SessionFixture.PhysicianStaff, "I know"), f.Settings, Build.Physician, f.Clock);
        Assert.False(overridden.IsSuccess);
        Assert.Empty(f.Session.Segments);
    }

    [Fact]
    public void StartInfusion_VitalsOutsideAlertThresholds_NeedsAnActivePhysiciansOverrideWhichIsRecorded()
    {
        var f = new SessionFixture().PreAssessed();
        var (_, auth) = f.CheckedProgram();
        Assert.True(f.Session.RecordObservation(Vitals(f.Clock, sbp: 190, hr: 138), f.Settings, Build.Nurse, f.Clock).IsSuccess);

        var byNurse = f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock);
        Assert.Equal([FindingCodes.VitalSystolicHigh, FindingCodes.VitalHeartRateHigh], byNurse.Findings.Select(x => x.Code));
        Assert.All(byNurse.Findings, x => Assert.Equal(FindingSeverity.NeedsOverride, x.Severity));

        var nurseOverride = f.Session.StartInfusion(auth, new PhysicianOverride(new StaffMember(Build.Nurse, true, [KetaCare.Clinic.Users.ClinicRoles.Nurse]), "fine"), f.Settings, Build.Nurse, f.Clock);
        Codes.Has(FindingCodes.RoleRequired, nurseOverride);
        var lockedPhysician = f.Session.StartInfusion(auth, new PhysicianOverride(new StaffMember(Build.Physician, false, [KetaCare.Clinic.Users.ClinicRoles.Physician]), "fine"), f.Settings, Build.Physician, f.Clock);
        Codes.Has(FindingCodes.RoleRequired, lockedPhysician);
        Codes.Has(FindingCodes.ReasonRequired, f.Session.StartInfusion(auth, new PhysicianOverride(SessionFixture.PhysicianStaff, " "), f.Settings, Build.Physician, f.Clock));

        var r = f.Session.StartInfusion(auth, new PhysicianOverride(SessionFixture.PhysicianStaff, "white-coat hypertension, 150/90 at home"), f.Settings, Build.Physician, f.Clock);
        Assert.True(r.IsSuccess, r.Error);
        var o = Assert.Single(f.Session.Overrides);
        Assert.Equal(("start", Build.Physician, "white-coat hypertension, 150/90 at home"), (o.Step, o.By, o.Reason));
        Assert.Equal([FindingCodes.VitalSystolicHigh, FindingCodes.VitalHeartRateHigh], o.Codes);
    }

    [Theory]
    [InlineData(15, true)]
    [InlineData(16, false)]
    public void StartInfusion_VitalsOlderThanTheWindow_Refused(int minutesOld, bool ok)
    {
        var f = new SessionFixture().PreAssessed();
        var (_, auth) = f.CheckedProgram();
        f.Clock.Advance(TimeSpan.FromMinutes(minutesOld));
        var r = f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock);
        Assert.Equal(ok, r.IsSuccess);
        if (!ok)
        {
            Codes.Has(FindingCodes.GateVitalsMissing, r);
        }
    }

    [Fact]
    public void StartInfusion_VitalsWithoutRespiratoryRate_NotACompleteSet()
    {
        var f = new SessionFixture().PreAssessed();
        var (_, auth) = f.CheckedProgram();
        f.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True(f.Session.RecordObservation(Observation.Create(f.Clock.Now, 120, 80, 70, 98).Value, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.GateVitalsMissing, f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock));
    }

    public static TheoryData<string, int, int, int, int, int, bool> Alarms => new()
    {
        // code, SBP, DBP, HR, SpO2, RR, hard
        { FindingCodes.VitalRespiratoryRateLow, 120, 80, 70, 98, 6, true },
        { FindingCodes.VitalRespiratoryRateLow, 120, 80, 70, 98, 9, false },
        { FindingCodes.VitalRespiratoryRateHigh, 120, 80, 70, 98, 28, false },
        { FindingCodes.VitalSystolicLow, 85, 50, 70, 98, 14, false },
        { FindingCodes.VitalSystolicLow, 75, 45, 70, 98, 14, true },
        { FindingCodes.VitalHeartRateLow, 120, 80, 45, 98, 14, false },
        { FindingCodes.VitalHeartRateLow, 120, 80, 38, 98, 14, true },
        { FindingCodes.VitalSpO2Low, 120, 80, 70, 89, 14, true },
    };

    [Theory]
    [MemberData(nameof(Alarms))]
    public void VitalSignAlerts_RespiratoryDepressionHypotensionBradycardia_RaiseAnAlert(string code, int sbp, int dbp, int hr, int spo2, int rr, bool hard)
    {
        var alert = Assert.Single(VitalSignAlerts.Evaluate(Observation.Create(Build.Start, sbp, dbp, hr, spo2, rr).Value));
        Assert.Equal(code, alert.Finding.Code);
        Assert.Equal(hard, alert.Hard);
        Assert.Equal(hard ? FindingSeverity.HardStop : FindingSeverity.NeedsOverride, alert.Finding.Severity);
    }

    [Fact]
    public void Resume_UnacknowledgedStopAlert_RefusedUntilAcknowledgedWithTheActionTaken()
    {
        var f = new SessionFixture().Running();
        var s = f.Session;
        f.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(s.RecordObservation(Vitals(f.Clock, spo2: 88), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(s.Pause("SpO2 88 %", Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        f.FreshVitals();

        Codes.Has(FindingCodes.GateUnacknowledgedAlert, s.Resume(Build.Nurse, f.Clock, null, null, f.Settings));
        Codes.Has(FindingCodes.ReasonRequired, s.AcknowledgeAlert(s.UnacknowledgedStopAlerts[0], "", Build.Nurse, f.Clock));
        Codes.Has(FindingCodes.AlertNotOpen, s.AcknowledgeAlert(99, "x", Build.Nurse, f.Clock));
        var index = s.UnacknowledgedStopAlerts[0];
        Assert.True(s.AcknowledgeAlert(index, "chin lift, oxygen 2 L/min, SpO2 back to 97 %", Build.Nurse, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.AlertNotOpen, s.AcknowledgeAlert(index, "again", Build.Nurse, f.Clock));

        Assert.True(s.Resume(Build.Nurse, f.Clock, null, null, f.Settings).IsSuccess);
        Assert.Equal(Build.Nurse, s.Acknowledgements.Single().By);
    }

    [Fact]
    public void ChangeRate_IncreaseWithAnUnacknowledgedStopAlert_RefusedButADecreaseIsAllowed()
    {
        var f = new SessionFixture().Running();
        var s = f.Session;
        Assert.True(s.ChangeRate(20, "dissociation", Build.Nurse, f.Clock).IsSuccess);
        Assert.True(s.RecordObservation(Vitals(f.Clock, rr: 7), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(s.ChangeRate(10, "respiratory rate 7", Build.Nurse, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.GateUnacknowledgedAlert, s.ChangeRate(30, "better", Build.Nurse, f.Clock));
    }

    [Theory]
    [InlineData(5e-324)]
    [InlineData(0.05)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Resume_RateBelowThePumpsIncrementOrNotANumber_RefusedAndNothingChanges(double rate)
    {
        var f = new SessionFixture().Running();
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        var v = f.Session.Version;
        var r = f.Session.Resume(Build.Nurse, f.Clock, rate, null, f.Settings);
        Assert.False(r.IsSuccess);
        Assert.Contains(r.Findings.Single().Code, new[] { FindingCodes.RateOutOfRange, FindingCodes.RateAboveProgram });
        Assert.Equal(v, f.Session.Version);
        Assert.Equal(SessionState.Paused, f.Session.State);
    }

    [Fact]
    public void DoseGiven_SegmentRanPastTheVtbi_CappedAtVtbiTimesConcentrationWithTheTimeItWasReached()
    {
        // The hazard: VTBI 32 mL at 1 mg/mL recorded as 34.67 mg because the segment was closed after 65 minutes.
        var f = new SessionFixture(kg: 64).Running(); // 0.5 mg/kg/h × 64 kg = 32 mL/h, VTBI 32 mL
        var s = f.Session;
        Assert.Equal(32, s.Program!.VtbiMl, 9);
        var start = s.Segments[0].Start;
        f.Clock.Advance(TimeSpan.FromMinutes(65));

        Assert.Equal(32, s.DoseGiven(f.Clock.Now).Milligrams, 9);
        var account = s.Account(f.Clock.Now);
        Assert.Equal(start.AddMinutes(60), account.VtbiReachedAt);
        Assert.Equal(32, account.VolumeMl, 9);
        Assert.Equal(250 - 32, account.VolumeLeftMl!.Value, 9); // the 250-mL bag
        Assert.True(s.Complete(Build.Nurse, f.Clock, 32, f.Settings).IsSuccess);
        Assert.Equal(32, s.DoseGiven(f.Clock.Now.AddHours(3)).Milligrams, 9);
        Assert.Equal(32, s.DeliveredAmount(s.Segments[0], f.Clock.Now).Milligrams, 9);
        Assert.Empty(s.RecordFindings);
    }

    [Fact]
    public void Complete_PumpShowsAnotherVolume_RecordedAsAWarningWithBothVolumes()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(60));
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, 30, f.Settings).IsSuccess); // computed 35 mL; tolerance max(1 mL, 5 %)
        var finding = Assert.Single(f.Session.RecordFindings);
        Assert.Equal(FindingCodes.PumpVolumeDifference, finding.Code);
        Assert.Equal((30.0, 35.0), (finding.Number("pump"), finding.Number("computed")));
        Assert.Equal(30, f.Session.PumpVolumeMl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(-1.0)]
    [InlineData(251.0)]
    public void Complete_NoPumpVolumeOrOutsideTheContainer_Refused(double? volume)
    {
        var f = new SessionFixture().Running();
        Codes.Has(FindingCodes.PumpVolumeOutOfRange, f.Session.Complete(Build.Nurse, f.Clock, volume, f.Settings));
        Assert.Equal(SessionState.Running, f.Session.State);
    }

    private static SessionFixture InRecovery(int minutesAfterEnd, Observation? recoveryVitals = null)
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(60));
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        Assert.True(f.Session.BeginRecovery(Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(minutesAfterEnd));
        Assert.True(f.Session.RecordObservation(recoveryVitals ?? Vitals(f.Clock), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        return f;
    }

    private static Outcome Discharge(SessionFixture f, PhysicianOverride? o = null, bool escort = true, int oxygen = 2) =>
        f.Session.Discharge(AldreteScore.Create(2, 2, 2, 2, oxygen).Value, escort, f.Prediction(), o, f.Settings, o?.Physician.Id ?? Build.Nurse, f.Clock);

    [Fact]
    public void Discharge_SameMinuteAsTheEndWithBp198Over117_RefusedForTimeVitalsAndPredictedEffectSite()
    {
        var f = InRecovery(0, null);
        Assert.True(f.Session.RecordObservation(Vitals(f.Clock, sbp: 198, dbp: 117), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        var r = Discharge(f);
        var codes = r.Findings.Select(x => x.Code).ToList();
        Assert.Contains(FindingCodes.DischargeObservationTime, codes);
        Assert.Contains(FindingCodes.VitalSystolicHigh, codes);
        Assert.Contains(FindingCodes.VitalDiastolicHigh, codes);
        Assert.Contains(FindingCodes.DischargeEffectSiteHigh, codes);
        Assert.Equal(SessionState.Recovery, f.Session.State);
    }

    [Theory]
    [InlineData(59, false)]
    [InlineData(60, true)]
    public void Discharge_MinimumObservationTime_AtSixtyMinutes(int minutes, bool ok)
    {
        var f = InRecovery(minutes);
        var r = Discharge(f);
        Assert.Equal(ok, r.IsSuccess);
        if (!ok)
        {
            Assert.Equal(FindingCodes.DischargeObservationTime, Assert.Single(r.Findings).Code);
        }
    }

    [Fact]
    public void Discharge_NotReady_PhysicianOverridesWithAReasonWhichIsRecorded()
    {
        var f = InRecovery(20);
        var o = new PhysicianOverride(SessionFixture.PhysicianStaff, "observed 20 min, fully alert, lives next door with her partner");
        Assert.True(Discharge(f, o).IsSuccess);
        var recorded = Assert.Single(f.Session.Overrides);
        Assert.Equal("discharge", recorded.Step);
        Assert.Contains(FindingCodes.DischargeObservationTime, recorded.Codes);
    }

    [Fact]
    public void Discharge_RecoveryVitalsPastAHardThreshold_RefusedEvenWithAnOverride()
    {
        var f = InRecovery(70, null);
        Assert.True(f.Session.RecordObservation(Vitals(f.Clock, spo2: 87), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.VitalSpO2Low, Discharge(f, new PhysicianOverride(SessionFixture.PhysicianStaff, "home oxygen")));
    }

    [Fact]
    public void Discharge_NoEscortOrAldreteBelowNine_NeedsOverride()
    {
        var f = InRecovery(70);
        Codes.Has(FindingCodes.DischargeEscortMissing, Discharge(f, escort: false));
        Codes.Has(FindingCodes.DischargeAldreteLow, Discharge(f, oxygen: 0));
    }

    [Fact]
    public void RecoveryPrediction_AfterTheInfusion_FallsAndIsReadyWhenBelowTheThreshold()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(60));
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        var atEnd = f.Prediction();
        Assert.Null(atEnd.Unavailable);
        Assert.True(atEnd.NowNgPerMl > f.Settings.DischargeEffectSiteNgPerMl);
        Assert.NotNull(atEnd.ReadyAt);
        Assert.True(atEnd.ReadyAt > f.Clock.Now);

        // Independently: the engine at the predicted ready time, effect site of the same 35 mg over 60 min.
        var readyMinutes = (atEnd.ReadyAt!.Value - f.Session.Segments[0].Start).TotalMinutes;
        var model = ModelLibrary.Get("domino1984", "model").Value;
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(35), Duration.FromMinutes(60)))]);
        var ce = Simulator.Run(new SimulationRequest(model, new Covariates(BodyWeight.FromKilograms(70)), regimen) { EffectSite = model.EffectSiteOptions[0] }, [readyMinutes - 1, readyMinutes]).Value.NgPerMl("effect");
        Assert.True(ce[0] > f.Settings.DischargeEffectSiteNgPerMl);
        Assert.True(ce[1] <= f.Settings.DischargeEffectSiteNgPerMl);

        f.Clock.Advance(atEnd.ReadyAt.Value - f.Clock.Now);
        Assert.True(f.Prediction().IsBelowThreshold);
    }

    [Fact]
    public void DoseCheck_200KgPatientAt2MgPerKgPerHour_RefusedByTheAbsoluteRateCap()
    {
        var protocol = ProtocolLibrary.Default.Find("outpatient-seed").Value;
        var plan = new PlannedDose(protocol, new Covariates(BodyWeight.FromKilograms(200)), DoseLevel.MgPerKgPerHour(2), DrugLibrary.Default.Preparation("bag-2").Value, "domino1984");
        var r = DoseCheck.Evaluate(plan, DrugLibrary.Default);
        var absolute = r.Findings.Single(x => x.LimitId == "rate-mg-h");
        Assert.Equal((LimitSeverity.Hard, 400.0, 200.0), (absolute.Severity, absolute.Value, absolute.LimitValue));
        Assert.Contains(r.Findings, x => x.LimitId == "session-total-mg" && x.Severity == LimitSeverity.Hard);
        Assert.True(r.HasHardStop);
    }

    [Fact]
    public void DoseCheck_ZeroDose_HardStopBeforeAnySimulation()
    {
        var protocol = ProtocolLibrary.Default.Find("outpatient-seed").Value;
        var r = DoseCheck.Evaluate(new PlannedDose(protocol, new Covariates(BodyWeight.FromKilograms(70)), DoseLevel.MgPerKgPerHour(0), DrugLibrary.Default.Preparation("bag-1").Value, "domino1984"), DrugLibrary.Default);
        Assert.Equal("dose-zero", Assert.Single(r.Findings).LimitId);
        Assert.True(r.HasHardStop);
    }

    [Fact]
    public void Protocol_StartDoseZero_Invalid() =>
        Assert.False((ProtocolLibrary.Default.Find("outpatient-seed").Value with { Start = DoseLevel.MgPerKgPerHour(0) }).Validate().IsSuccess);

    [Fact]
    public void WhatIfLimits_TciCeiling_NeverAboveTwoMgPerKgPerHour()
    {
        Assert.Equal((2.0, true), Ceiling(null));
        Assert.Equal((2.0, true), Ceiling(17));
        Assert.Equal((0.35, false), Ceiling(0.35));
        Assert.NotNull(WhatIfLimits.TciCapped(17.1, WeightNormalizedRate.FromMilligramsPerKilogramPerHour(2)));
        Assert.Null(WhatIfLimits.TciCapped(2, WeightNormalizedRate.FromMilligramsPerKilogramPerHour(2)));

        static (double, bool) Ceiling(double? mgkgh)
        {
            var (c, capped) = WhatIfLimits.TciCeiling(mgkgh is { } v ? WeightNormalizedRate.FromMilligramsPerKilogramPerHour(v) : null);
            return (Math.Round(c.MilligramsPerKilogramPerHour, 9), capped);
        }
    }

    [Fact]
    public void WhatIfLimits_Bolus20MgPerKgIv_WarnsNamingTheLimitAndItsSource()
    {
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.Bolus(DosePerKg.FromMilligramsPerKilogram(20)))]);
        var finding = Assert.Single(WhatIfLimits.Check(regimen, BodyWeight.FromKilograms(70)));
        Assert.Equal((FindingCodes.SimulationAboveLimit, 20.0, 0.35), (finding.Code, finding.Number("value"), finding.Number("limit")));
        Assert.Equal(Source.Cohen2018, finding.Source);
        Assert.Empty(WhatIfLimits.Check(new Regimen([new Administration(Duration.Zero, DoseExpression.Bolus(DosePerKg.FromMilligramsPerKilogram(0.35)))]), BodyWeight.FromKilograms(70)));
    }

    [Fact]
    public void Resume_AfterAPauseWithVitalsOutsideAlertThresholds_NeedsThePhysician()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(Minute * 10);
        Assert.True(f.Session.RecordObservation(Vitals(f.Clock, sbp: 186), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.Pause("SBP 186", Build.Nurse, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.VitalSystolicHigh, f.Session.Resume(Build.Nurse, f.Clock, null, null, f.Settings));
        Assert.True(f.Session.Resume(Build.Physician, f.Clock, null, new PhysicianOverride(SessionFixture.PhysicianStaff, "known hypertensive, baseline 175"), f.Settings).IsSuccess);
        Assert.Equal("resume", f.Session.Overrides.Single().Step);
    }

    [Fact]
    public void Resume_NewerPartialReadingOutsideAThreshold_NotHiddenBehindAnOlderCompleteSet()
    {
        // Hazard: a BP of 190 taken alone after a normal complete set let the resume through.
        var f = new SessionFixture().Running();
        Assert.True(f.Session.Pause("nausea", Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        f.Clock.Advance(Minute * 2);
        Assert.True(f.Session.RecordObservation(Observation.Create(f.Clock.Now, 190, 100).Value, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.VitalSystolicHigh, f.Session.Resume(Build.Nurse, f.Clock, null, null, f.Settings));
        f.Clock.Advance(Minute * 2);
        Assert.True(f.Session.RecordObservation(Observation.Create(f.Clock.Now, spO2: 89).Value, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Codes.Has(FindingCodes.GateUnacknowledgedAlert, f.Session.Resume(Build.Nurse, f.Clock, null, null, f.Settings));
        Assert.True(f.Session.AcknowledgeAlert(f.Session.UnacknowledgedStopAlerts[0], "oxygen 2 L/min", Build.Nurse, f.Clock).IsSuccess);
        var r = f.Session.Resume(Build.Nurse, f.Clock, null, null, f.Settings);
        Codes.Has(FindingCodes.VitalSpO2Low, r);
        Assert.Equal(FindingSeverity.HardStop, r.Findings.Single(x => x.Code == FindingCodes.VitalSpO2Low).Severity);
    }

    [Fact]
    public void Complete_PumpVolumeMissing_RefusalCarriesNoNotANumber()
    {
        var f = new SessionFixture().Running();
        var r = f.Session.Complete(Build.Nurse, f.Clock, null, f.Settings);
        Assert.All(r.Findings.SelectMany(x => x.Args), a => Assert.True(a.Number is null || double.IsFinite(a.Number.Value)));
    }

    [Fact]
    public void Observation_EmptyOrNoteTooLong_Refused()
    {
        Codes.Has(FindingCodes.ObservationEmpty, Observation.Create(Build.Start));
        Assert.False(Observation.Create(Build.Start, note: new string('x', 2001)).IsSuccess);
        Assert.True(Observation.Create(Build.Start, note: "patient asleep").IsSuccess);
    }

    [Theory]
    [InlineData(1900, 1, 1)]
    [InlineData(2026, 5, 1)]
    public void RecordObservation_DatedBeforeTheSessionsDay_Refused(int year, int month, int day)
    {
        var f = new SessionFixture().Running();
        var at = new DateTimeOffset(year, month, day, 9, 0, 0, TimeSpan.Zero);
        Codes.Has(FindingCodes.ObservationTimeOutOfRange, f.Session.RecordObservation(Observation.Create(at, 120, 80).Value, f.Settings, Build.Nurse, f.Clock));
        Codes.Has(FindingCodes.ObservationTimeOutOfRange, f.Session.RecordObservation(Observation.Create(f.Clock.Now.AddMinutes(5), 120, 80).Value, f.Settings, Build.Nurse, f.Clock));
    }

    [Theory]
    [InlineData("bag-2", 2.0)]
    [InlineData("syringe-5", 5.0)]
    public void DoseGiven_ConcentrationOtherThanOne_IsVolumeTimesConcentration(string preparation, double mgPerMl)
    {
        // Hazard: mL/h ÷ mg/mL instead of × is invisible when every test uses 1 mg/mL.
        var segments = new[] { new RateSegment(0, Build.Start, Build.Start.AddMinutes(30), 10, mgPerMl, "start") };
        var account = DoseAccount.Of(segments, null, Build.Start.AddHours(1));
        Assert.Equal(5, account.VolumeMl, 9);
        Assert.Equal(5 * mgPerMl, account.Amount.Milligrams, 9);
        Assert.Equal(mgPerMl, DrugLibrary.Default.Preparation(preparation).Value.Concentration.MilligramsPerMilliliter);
    }

    [Fact]
    public void DoseAccount_ExactlyTheVtbi_ReachedAtTheEndAndAZeroRateSegmentReachesNothing()
    {
        var f = new SessionFixture().Running(); // 35 mL/h, VTBI 35 mL
        var s = f.Session;
        var start = s.Segments[0].Start;
        var atVtbi = DoseAccount.Of(s.Segments, s.Program, start.AddMinutes(60));
        Assert.Equal(start.AddMinutes(60), atVtbi.VtbiReachedAt);
        Assert.Null(DoseAccount.Of(s.Segments, s.Program, start.AddMinutes(59)).VtbiReachedAt);
        var idle = new[] { new RateSegment(0, start, null, 0, 1, "start") };
        Assert.Null(DoseAccount.Of(idle, s.Program, start.AddHours(5)).VtbiReachedAt);
        Assert.Equal(0, DoseAccount.Of(idle, s.Program, start.AddHours(5)).Amount.Milligrams);
        var closed = new[] { new RateSegment(0, start, start.AddMinutes(30), 35, 1, "start") };
        Assert.Equal(17.5, DoseAccount.Of(closed, s.Program, start.AddMinutes(30)).Amount.Milligrams, 9);
    }

    [Fact]
    public void Discharge_VitalsTakenBeforeTheEndOfTheDrug_DoNotCountAsRecoveryVitals()
    {
        var f = new SessionFixture().Running();
        f.Clock.Advance(TimeSpan.FromMinutes(59));
        f.FreshVitals();
        f.Clock.Advance(Minute);
        Assert.True(f.Session.Complete(Build.Nurse, f.Clock, f.PumpShows(), f.Settings).IsSuccess);
        Assert.True(f.Session.BeginRecovery(Build.Nurse, f.Clock).IsSuccess);
        var findings = f.Session.DischargeFindings(AldreteScore.Create(2, 2, 2, 2, 2).Value, true, f.Prediction(), f.Settings, f.Clock.Now);
        Assert.Contains(FindingCodes.DischargeRecoveryVitalsMissing, findings.Select(x => x.Code));

        // A gate evaluated from a moment after the vitals ignores them too.
        var gate = VitalGate.Evaluate(f.Session.Observations.ActiveValues, f.Settings.Alerts, TimeSpan.FromMinutes(15), f.Clock.Now, f.Clock.Now);
        var missing = Assert.Single(gate);
        Assert.Equal((FindingCodes.GateVitalsMissing, 15.0, "min"), (missing.Code, missing.Number("window"), missing.Arg("window")!.Unit));
    }

    [Fact]
    public void VitalGate_SedationScoredApartFromTheVitals_StillCounts()
    {
        var clock = Build.Clock();
        var vitals = Observation.Create(clock.Now, 120, 80, 72, 98, 14).Value;
        var sedated = Observation.Create(clock.Now.AddMinutes(1), sedation: new SedationScore(SedationScale.Rass, -4)).Value;
        var dissociated = Observation.Create(clock.Now.AddMinutes(2), cadss: 65).Value;
        var gate = VitalGate.Evaluate([vitals, sedated, dissociated], AlertThresholds.Default, TimeSpan.FromMinutes(15), clock.Now.AddMinutes(3));
        Assert.Equal([FindingCodes.VitalCadssHigh, FindingCodes.VitalDeepSedation], gate.Select(x => x.Code).Order(StringComparer.Ordinal));
        Assert.All(gate, x => Assert.Equal(FindingSeverity.HardStop, x.Severity));
        Assert.Empty(VitalGate.Evaluate([vitals], AlertThresholds.Default, TimeSpan.FromMinutes(15), clock.Now.AddMinutes(3)));
    }

    [Fact]
    public void WhatIfLimits_AtTheLimitNotCappedAndFindingsNameTheirParameters()
    {
        var (ceiling, capped) = WhatIfLimits.TciCeiling(WeightNormalizedRate.FromMilligramsPerKilogramPerHour(2));
        Assert.False(capped);
        Assert.Equal(2, ceiling.MilligramsPerKilogramPerHour, 9);
        var tci = WhatIfLimits.TciCapped(3.5, WeightNormalizedRate.FromMilligramsPerKilogramPerHour(2))!;
        Assert.Equal((3.5, "mg/kg/h", 2.0, "mg/kg/h"), (tci.Number("needed"), tci.Arg("needed")!.Unit, tci.Number("limit"), tci.Arg("limit")!.Unit));
        var regimen = new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(300), Duration.FromMinutes(60)))]);
        var findings = WhatIfLimits.Check(regimen, BodyWeight.FromKilograms(100));
        Assert.Equal(["rate", "absolute rate"], findings.Select(x => x.Arg("what")!.Text));
        Assert.Equal(("mg/kg/h", "mg/h"), (findings[0].Arg("value")!.Unit, findings[1].Arg("limit")!.Unit));
        Assert.Empty(WhatIfLimits.Check(new Regimen([new Administration(Duration.Zero, DoseExpression.AtRate(DoseRate.FromMilligramsPerHour(200), Duration.FromMinutes(60)))]), BodyWeight.FromKilograms(100)));
    }
}
