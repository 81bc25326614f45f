using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>Premedication and rescue drugs: the library's limits at their boundaries, prescribing checks and giving in a session.</summary>
public sealed class AncillaryDrugsTests
{
    private static AncillaryDrugEntry Entry(AncillaryDrug drug) => DrugLibrary.Default.AncillaryEntry(drug).Value;

    private static IReadOnlyList<string> Codes(IEnumerable<Finding> findings) => [.. findings.Select(f => f.Code + ":" + f.Severity)];

    [Theory]
    [InlineData(AncillaryDrug.Midazolam, 2, 5, 4, 10)]
    [InlineData(AncillaryDrug.Clonidine, 0.1, 0.3, 0.1, 0.3)]
    [InlineData(AncillaryDrug.Ondansetron, 4, 8, 8, 16)]
    public void Default_LimitsPerDoseAndSession(AncillaryDrug drug, double softDose, double hardDose, double softSession, double hardSession)
    {
        var e = Entry(drug);
        Assert.Equal((softDose, hardDose, softSession, hardSession), (e.SoftDoseMg.Value, e.HardDoseMg.Value, e.SoftSessionMg.Value, e.HardSessionMg.Value));
    }

    [Fact]
    public void Default_SourcesPublishedWhereTheyAreAndAssumptionsElsewhere()
    {
        var midazolam = Entry(AncillaryDrug.Midazolam);
        Assert.Equal(Certainty.Primary, midazolam.SoftDoseMg.Source.Certainty);
        Assert.Equal(Certainty.Assumption, midazolam.HardDoseMg.Source.Certainty);
        Assert.Equal(Certainty.Assumption, Entry(AncillaryDrug.Ondansetron).SoftDoseMg.Source.Certainty);
        Assert.Equal(InteractionClass.Benzodiazepine | InteractionClass.CnsDepressant, midazolam.Classes);
        Assert.Equal([Route.Oral, Route.Intravenous], Entry(AncillaryDrug.Clonidine).Routes);
    }

    [Fact]
    public void Default_EverySourceNamesItsWorkOrWhatIsAssumed()
    {
        // What a prescriber reads beside a limit: the published work, or the assumption a clinic may change.
        Assert.Equal(
            [
                ("clinical-reference: Premedication and rescue (schwartzman2009)", "Schwartzman RJ et al., Pain 2009"),
                ("clinical-reference: Premedication and rescue (patil2012)", "Patil S, Anitescu M, Pain Med 2012"),
                ("clinical-reference: Product label (ketalar-label)", "Ketalar label"),
            ],
            new[] { AncillaryDrugs.Schwartzman2009, AncillaryDrugs.PatilAnitescu2012, AncillaryDrugs.SedationSource }.Select(x => (x.Section, x.Reference.Split(':')[0])));
        Assert.Equal(Certainty.Primary, AncillaryDrugs.PatilAnitescu2012.Certainty);
        Assert.Equal(
            [
                ("midazolam: 5 mg in one IV dose", "midazolam: 10 mg in one session"),
                ("clonidine: 0.3 mg in one dose", "clonidine: 0.3 mg in one session"),
                ("ondansetron: 8 mg in one IV dose", "ondansetron: 16 mg in one session"),
            ],
            DrugLibrary.Default.Ancillary.Select(e => (Prefix(e.HardDoseMg.Source), Prefix(e.HardSessionMg.Source))));
        var ondansetron = Entry(AncillaryDrug.Ondansetron);
        Assert.Equal(("ondansetron: 4 mg in one IV dose", "ondansetron: 8 mg in one session"), (Prefix(ondansetron.SoftDoseMg.Source), Prefix(ondansetron.SoftSessionMg.Source)));
        Assert.All(DrugLibrary.Default.Ancillary, e => Assert.Contains("as the hard limit", e.HardDoseMg.Source.Reference, StringComparison.Ordinal));
        Assert.Contains("a common adult dose", ondansetron.SoftDoseMg.Source.Reference, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => AncillaryDrugs.CheckDose(null!, 1, Route.Intravenous, 0));

        static string Prefix(Source source) => source.Reference.Split(new[] { " as the hard limit", ", a common adult dose" }, StringSplitOptions.None)[0];
    }

    [Theory]
    [InlineData(2, 0, "")]                                   // at the soft limit
    [InlineData(2.01, 0, "limit.ancillary-dose-mg:NeedsOverride")]
    [InlineData(5, 0, "limit.ancillary-dose-mg:NeedsOverride,limit.ancillary-session-mg:NeedsOverride")]
    [InlineData(5.01, 0, "limit.ancillary-dose-mg:HardStop,limit.ancillary-session-mg:NeedsOverride")]
    [InlineData(2, 2, "")]                                   // 4 mg in the session: at the soft session limit
    [InlineData(1, 3.5, "limit.ancillary-session-mg:NeedsOverride")]
    [InlineData(2, 8, "limit.ancillary-session-mg:NeedsOverride")] // 10 mg: at the hard session limit, above the soft
    [InlineData(1, 9.5, "limit.ancillary-session-mg:HardStop")]
    public void CheckDose_Midazolam_Boundaries(double dose, double given, string expected)
    {
        var codes = Codes(AncillaryDrugs.CheckDose(Entry(AncillaryDrug.Midazolam), dose, Route.Intravenous, given));
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), codes);
    }

    [Fact]
    public void CheckDose_LimitFindingCarriesValueLimitUnitAndSource()
    {
        var f = Assert.Single(AncillaryDrugs.CheckDose(Entry(AncillaryDrug.Midazolam), 3, Route.Intravenous, 0));
        Assert.Equal(3, f.Number("value"));
        Assert.Equal(2, f.Number("limit"));
        Assert.Equal("mg", f.Arg("value")!.Unit);
        Assert.Equal(AncillaryDrugs.Schwartzman2009, f.Source);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void CheckDose_NotAPositiveDose_RefusedNamingTheDose(double dose) =>
        Assert.Equal([Finding.Refused(FindingCodes.DoseNotPositive, FindingArg.Of("field", "dose"))], AncillaryDrugs.CheckDose(Entry(AncillaryDrug.Ondansetron), dose, Route.Intravenous, 0));

    [Fact]
    public void CheckDose_RouteTheLibraryDoesNotAllow_HardStop()
    {
        var f = Assert.Single(AncillaryDrugs.CheckDose(Entry(AncillaryDrug.Midazolam), 1, Route.Oral, 0));
        Assert.Equal(Finding.Refused(FindingCodes.OrderRoute, FindingArg.Of("drug", "Midazolam"), FindingArg.Of("route", "Oral")), f);
        Assert.Empty(AncillaryDrugs.CheckDose(Entry(AncillaryDrug.Clonidine), 0.1, Route.Oral, 0));
    }

    [Fact]
    public void CheckOrders_SedativeOrderForAPatientOnAnOpioid_NeedsAReasonNamingBoth()
    {
        var orders = ProtocolLibrary.SeedOutpatient.AncillaryOrders;
        var findings = AncillaryDrugs.CheckOrders(orders, DrugLibrary.Default.Ancillary, [new Medication("morphine", null, InteractionClass.CnsDepressant), new Medication("paracetamol", null, InteractionClass.None)]);
        var f = Assert.Single(findings);
        Assert.Equal(Finding.Of(FindingCodes.OrderSedativeInteraction, FindingSeverity.NeedsOverride, AncillaryDrugs.SedationSource, FindingArg.Of("drug", "Midazolam"), FindingArg.Of("medication", "morphine")), f);
    }

    [Fact]
    public void CheckOrders_NoSedativeMedication_NothingToReview() =>
        Assert.Empty(AncillaryDrugs.CheckOrders(ProtocolLibrary.Schwartzman2009.AncillaryOrders, DrugLibrary.Default.Ancillary, [new Medication("metformin", null, InteractionClass.None)]));

    [Fact]
    public void CheckOrders_BenzodiazepinePatientAndClonidineOrder_Flagged() =>
        Assert.Equal(
            ["Midazolam", "Clonidine"],
            AncillaryDrugs.CheckOrders(ProtocolLibrary.Schwartzman2009.AncillaryOrders, DrugLibrary.Default.Ancillary, [new Medication("lorazepam", null, InteractionClass.Benzodiazepine)]).Select(f => f.Arg("drug")!.Text));

    [Fact]
    public void CheckOrders_DrugMissingFromTheLibraryOrDoseAboveHard_Refused()
    {
        var library = DrugLibrary.Default.Ancillary.Where(e => e.Drug != AncillaryDrug.Ondansetron).ToList();
        AncillaryOrder[] orders = [new(AncillaryDrug.Ondansetron, OrderPurpose.Rescue, 4, Route.Intravenous), new(AncillaryDrug.Clonidine, OrderPurpose.Premedication, 0.5, Route.Oral)];
        Assert.Equal(
            [FindingCodes.OrderNotInLibrary + ":HardStop", "limit.ancillary-dose-mg:HardStop", "limit.ancillary-session-mg:HardStop"],
            Codes(AncillaryDrugs.CheckOrders(orders, library, [])));
    }

    [Fact]
    public void Protocols_SeedOrders_WithinTheLibraryAndValid()
    {
        foreach (var p in ProtocolLibrary.Default.Protocols)
        {
            Assert.True(p.Validate().IsSuccess, p.Id);
            Assert.Empty(AncillaryDrugs.CheckOrders(p.AncillaryOrders, DrugLibrary.Default.Ancillary, []));
        }

        Assert.Equal([OrderPurpose.Premedication, OrderPurpose.Rescue, OrderPurpose.Rescue], ProtocolLibrary.SeedOutpatient.AncillaryOrders.Select(o => o.Purpose));
        Assert.False((ProtocolLibrary.SeedOutpatient with { Orders = [new(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 0, Route.Intravenous)] }).Validate().IsSuccess);
        Assert.Empty((ProtocolLibrary.SeedOutpatient with { Orders = null }).AncillaryOrders);
    }

    [Fact]
    public void GiveAncillary_PremedicationBeforeTheStartAndRescueWhileRunning_RecordedWithWhoWhenDoseRoute()
    {
        var f = new SessionFixture().PreAssessed();
        Assert.True(f.Session.GiveAncillary(0, 4, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, f.Clock).IsSuccess);
        var (_, auth) = f.CheckedProgram();
        f.FreshVitals();
        Assert.True(f.Session.StartInfusion(auth, null, f.Settings, Build.Nurse, f.Clock).IsSuccess);
        f.Clock.Advance(TimeSpan.FromMinutes(20));
        var version = f.Session.Version;

        Assert.True(f.Session.GiveAncillary(1, 1, DrugLibrary.Default.Ancillary, [], null, Build.SecondNurse, f.Clock).IsSuccess);

        Assert.Equal(version + 1, f.Session.Version);
        Assert.Equal(
            [new AncillaryDose(0, AncillaryDrug.Ondansetron, OrderPurpose.Premedication, 4, Route.Intravenous, Build.Start, Build.Nurse), new AncillaryDose(1, AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Route.Intravenous, Build.Start.AddMinutes(20), Build.SecondNurse)],
            f.Session.AncillaryDoses);
    }

    [Fact]
    public void GiveAncillary_PremedicationAfterTheStart_Refused()
    {
        var f = new SessionFixture().Running();
        var r = f.Session.GiveAncillary(0, 4, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, f.Clock);
        Assert.Equal([Finding.Refused(FindingCodes.OrderState, FindingArg.Of("purpose", "Premedication"), FindingArg.Of("state", "Running"))], r.Findings);
        Assert.Empty(f.Session.AncillaryDoses);
    }

    [Fact]
    public void GiveAncillary_BeforeThePreAssessmentPassedOrUnknownOrder_Refused()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal([FindingCodes.PreAssessmentNotPassed], f.Session.GiveAncillary(1, 1, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, f.Clock).Findings.Select(x => x.Code));
        Assert.Equal([FindingCodes.OrderState], new SessionFixture().Session.GiveAncillary(1, 1, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, f.Clock).Findings.Select(x => x.Code));
        f.FreshVitals();
        Assert.True(f.Session.CompletePreAssessment(f.Input(), f.Settings, Build.Nurse, f.Clock).IsSuccess);
        Assert.Equal([FindingCodes.NotFound], f.Session.GiveAncillary(3, 1, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, f.Clock).Findings.Select(x => x.Code));
        Assert.Equal([FindingCodes.NotFound], f.Session.GiveAncillary(-1, 1, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, f.Clock).Findings.Select(x => x.Code));
        Assert.Equal([FindingCodes.OrderNotInLibrary], f.Session.GiveAncillary(1, 1, [], [], null, Build.Nurse, f.Clock).Findings.Select(x => x.Code));
        Assert.Empty(f.Session.AncillaryDoses);
    }

    [Fact]
    public void GiveAncillary_RepeatedRescueAboveTheSoftSessionLimit_NeedsAPhysiciansReasonThenAboveHardRefused()
    {
        var f = new SessionFixture().Running();
        var library = DrugLibrary.Default.Ancillary;
        Assert.True(f.Session.GiveAncillary(1, 2, library, [], null, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.GiveAncillary(1, 2, library, [], null, Build.Nurse, f.Clock).IsSuccess);

        var third = f.Session.GiveAncillary(1, 1, library, [], null, Build.Nurse, f.Clock);
        Assert.Equal(["limit.ancillary-session-mg"], third.Findings.Select(x => x.Code));
        Assert.Equal(5, third.Findings.Single().Number("value"));

        Assert.True(f.Session.GiveAncillary(1, 1, library, [], new PhysicianOverride(SessionFixture.PhysicianStaff, "agitation persists"), Build.Physician, f.Clock).IsSuccess);
        var o = Assert.Single(f.Session.Overrides);
        Assert.Equal(("ancillary", "agitation persists"), (o.Step, o.Reason));

        var tooMuch = f.Session.GiveAncillary(1, 5.5, library, [], new PhysicianOverride(SessionFixture.PhysicianStaff, "more"), Build.Physician, f.Clock);
        Assert.Contains(tooMuch.Findings, x => x.Code == "limit.ancillary-dose-mg" && x.Severity == FindingSeverity.HardStop);
        Assert.Equal(5, f.Session.AncillaryDoses.Sum(d => d.DoseMg));
    }

    [Theory]
    [InlineData(AncillaryDrug.Midazolam, 5, null, "")]             // at the hard per-dose limit
    [InlineData(AncillaryDrug.Midazolam, 5.01, null, "order.dose-out-of-range")]
    [InlineData(AncillaryDrug.Midazolam, 0, null, "order.dose-out-of-range")]
    [InlineData(AncillaryDrug.Midazolam, 2, 10.0, "")]             // at the hard session limit
    [InlineData(AncillaryDrug.Midazolam, 2, 10.5, "order.session-max-out-of-range")]
    [InlineData(AncillaryDrug.Midazolam, 2, 1.5, "order.session-max-out-of-range")] // below the order's own dose
    [InlineData(AncillaryDrug.Ondansetron, 8, 16.0, "")]
    [InlineData(AncillaryDrug.Ondansetron, 9, null, "order.dose-out-of-range")]
    public void CheckProtocolOrders_HardMaximaOfTheLibrary_Refuse(AncillaryDrug drug, double dose, double? max, string expected)
    {
        var r = AncillaryDrugs.CheckProtocolOrders([new AncillaryOrder(drug, OrderPurpose.Rescue, dose, Route.Intravenous, max)], DrugLibrary.Default.Ancillary);
        Assert.Equal(expected.Length == 0 ? [] : [expected], r.Findings.Select(f => f.Code));
        Assert.Equal(expected.Length == 0, r.IsSuccess);
    }

    [Fact]
    public void CheckProtocolOrders_RefusalNamesTheOrdersFieldAndTheAllowedRange()
    {
        AncillaryOrder[] orders = [new(AncillaryDrug.Ondansetron, OrderPurpose.Premedication, 4, Route.Intravenous), new(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 6, Route.Intravenous, 12)];
        var r = AncillaryDrugs.CheckProtocolOrders(orders, DrugLibrary.Default.Ancillary);

        var dose = r.Findings[0];
        Assert.Equal(("order 2 dose", 6.0, 5.0, "mg"), (dose.Arg("field")!.Text, dose.Number("value"), dose.Number("max"), dose.Arg("max")!.Unit));
        Assert.Equal(Entry(AncillaryDrug.Midazolam).HardDoseMg.Source, dose.Source);
        var max = r.Findings[1];
        Assert.Equal(("order 2 maximum per session", 12.0, 6.0, 10.0), (max.Arg("field")!.Text, max.Number("value"), max.Number("min"), max.Number("max")));
        Assert.Equal(2, r.Findings.Count);
    }

    [Fact]
    public void CheckProtocolOrders_RouteDrugAndCount_Refused()
    {
        Assert.Equal([FindingCodes.OrderRoute], AncillaryDrugs.CheckProtocolOrders([new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Route.Oral)], DrugLibrary.Default.Ancillary).Findings.Select(f => f.Code));
        Assert.Equal([FindingCodes.OrderNotInLibrary], AncillaryDrugs.CheckProtocolOrders([new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Route.Intravenous)], []).Findings.Select(f => f.Code));
        var many = Enumerable.Repeat(new AncillaryOrder(AncillaryDrug.Ondansetron, OrderPurpose.Rescue, 4, Route.Intravenous), AncillaryDrugs.MaxOrders + 1).ToList();
        var tooMany = AncillaryDrugs.CheckProtocolOrders(many, DrugLibrary.Default.Ancillary);
        Assert.Equal([(FindingCodes.OrderTooMany, 11.0, 10.0)], tooMany.Findings.Select(f => (f.Code, f.Number("value"), f.Number("max"))));
        Assert.True(AncillaryDrugs.CheckProtocolOrders(many.Take(AncillaryDrugs.MaxOrders).ToList(), DrugLibrary.Default.Ancillary).IsSuccess);
    }

    [Fact]
    public void Limits_AreInclusive_AtTheSoftAndHardValues()
    {
        var midazolam = Entry(AncillaryDrug.Midazolam);
        Assert.Empty(AncillaryDrugs.CheckDose(midazolam, midazolam.SoftDoseMg.Value, Route.Intravenous, 0));
        var atHard = AncillaryDrugs.CheckDose(midazolam, midazolam.HardDoseMg.Value, Route.Intravenous, 0);
        Assert.All(atHard, f => Assert.NotEqual(FindingSeverity.HardStop, f.Severity));
        Assert.Contains(atHard, f => f.Code == "limit.ancillary-dose-mg");

        var order = new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Route.Intravenous, 3);
        Assert.Empty(AncillaryDrugs.CheckOrderMaximum(order, 1, 2));
        Assert.Single(AncillaryDrugs.CheckOrderMaximum(order, 1.01, 2));
        Assert.True(AncillaryDrugs.CheckProtocolOrders([new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 2, Route.Intravenous, 2)], DrugLibrary.Default.Ancillary).IsSuccess);
    }

    [Fact]
    public void OrderRefusals_NameTheDrugAndRoute_AndNullArgumentsThrow()
    {
        var route = Assert.Single(AncillaryDrugs.CheckProtocolOrders([new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Route.Oral)], DrugLibrary.Default.Ancillary).Findings);
        Assert.Equal(("Midazolam", "Oral"), (route.Arg("drug")!.Text, route.Arg("route")!.Text));
        var missing = Assert.Single(AncillaryDrugs.CheckProtocolOrders([new AncillaryOrder(AncillaryDrug.Ondansetron, OrderPurpose.Rescue, 1, Route.Intravenous)], []).Findings);
        Assert.Equal("Ondansetron", missing.Arg("drug")!.Text);

        var library = DrugLibrary.Default.Ancillary;
        Assert.Throws<ArgumentNullException>(() => AncillaryDrugs.CheckProtocolOrders(null!, library));
        Assert.Throws<ArgumentNullException>(() => AncillaryDrugs.CheckProtocolOrders([], null!));
        Assert.Throws<ArgumentNullException>(() => AncillaryDrugs.CheckOrders(null!, library, []));
        Assert.Throws<ArgumentNullException>(() => AncillaryDrugs.CheckOrders([], null!, []));
        Assert.Throws<ArgumentNullException>(() => AncillaryDrugs.CheckOrderMaximum(null!, 1, 0));
    }

    [Fact]
    public void GiveAncillary_AboveTheOrdersOwnMaximumPerSession_RefusedEvenWithAReason()
    {
        // The seed's midazolam rescue capped at 3 mg a session by the protocol, below the library's soft 4 mg.
        var f = new SessionFixture(revise: p => p with { Orders = [.. p.AncillaryOrders.Select(o => o.Drug == AncillaryDrug.Midazolam ? o with { MaxSessionMg = 3 } : o)] }).Running();
        var library = DrugLibrary.Default.Ancillary;
        Assert.True(f.Session.GiveAncillary(1, 2, library, [], null, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.GiveAncillary(1, 1, library, [], null, Build.Nurse, f.Clock).IsSuccess);

        var over = f.Session.GiveAncillary(1, 0.5, library, [], new PhysicianOverride(SessionFixture.PhysicianStaff, "still agitated"), Build.Physician, f.Clock);

        Assert.Equal([(FindingCodes.OrderSessionMaxExceeded, 3.5, 3.0, "Midazolam")], over.Findings.Select(x => (x.Code, x.Number("value"), x.Number("max"), x.Arg("drug")!.Text)));
        Assert.Equal(3, f.Session.AncillaryDoses.Sum(d => d.DoseMg));
        Assert.Empty(AncillaryDrugs.CheckOrderMaximum(new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 2, Route.Intravenous), 9, 0));
    }

    [Fact]
    public void GiveAncillary_SedativeBesideASedativeOnTheChart_NeedsAPhysiciansReasonRecordedAsAnOverride()
    {
        var f = new SessionFixture().Running();
        Medication[] chart = [new("morphine", "10 mg", InteractionClass.CnsDepressant), new("paracetamol", null, InteractionClass.None)];

        var refused = f.Session.GiveAncillary(1, 1, DrugLibrary.Default.Ancillary, chart, null, Build.Nurse, f.Clock);
        Assert.Equal([Finding.Of(FindingCodes.OrderSedativeInteraction, FindingSeverity.NeedsOverride, AncillaryDrugs.SedationSource, FindingArg.Of("drug", "Midazolam"), FindingArg.Of("medication", "morphine"))], refused.Findings);
        Assert.Empty(f.Session.AncillaryDoses);

        // Ondansetron adds no sedation: no reason needed beside the same medications.
        Assert.True(f.Session.GiveAncillary(2, 4, DrugLibrary.Default.Ancillary, chart, null, Build.Nurse, f.Clock).IsSuccess);
        Assert.True(f.Session.GiveAncillary(1, 1, DrugLibrary.Default.Ancillary, chart, new PhysicianOverride(SessionFixture.PhysicianStaff, "morphine taken yesterday"), Build.Physician, f.Clock).IsSuccess);
        var o = Assert.Single(f.Session.Overrides);
        Assert.Equal(("ancillary", FindingCodes.OrderSedativeInteraction, "morphine taken yesterday"), (o.Step, Assert.Single(o.Codes), o.Reason));
    }

    [Fact]
    public void GiveAncillary_SedativeBesideAMedicationTheChecklistReported_NeedsAReasonEvenWhenTheChartHasNone()
    {
        var f = new SessionFixture();
        var checklist = Build.Checklist(f.Clock.Now) with { NewMedications = [new Medication("lorazepam", "1 mg", InteractionClass.Benzodiazepine)] };
        f.PreAssessed(checklist);

        var refused = f.Session.GiveAncillary(1, 1, DrugLibrary.Default.Ancillary, [], null, Build.Nurse, f.Clock);

        Assert.Equal([("order.sedative-interaction", "lorazepam")], refused.Findings.Select(x => (x.Code, x.Arg("medication")!.Text)));

        // The same medication on the chart too (the checklist put it there): one finding, not two.
        var both = f.Session.GiveAncillary(1, 1, DrugLibrary.Default.Ancillary, [new Medication("Lorazepam", "1 mg", InteractionClass.Benzodiazepine, MedicationSource.PreSessionChecklist, f.Clock.Today)], null, Build.Nurse, f.Clock);
        Assert.Single(both.Findings);
    }

    [Fact]
    public void RecordReportedMedications_OnTheChartWithSourceAndDate_OnceByName()
    {
        var clock = Build.Clock();
        var (patient, _) = Build.EligiblePatient(clock);
        var before = patient.Medications.All.Count;
        Medication[] reported = [new(" Tramadol ", "50 mg", InteractionClass.CnsDepressant), new("tramadol", null, InteractionClass.CnsDepressant), new("omeprazole", null, InteractionClass.None)];

        var added = patient.RecordReportedMedications(reported, clock.Today, Build.Nurse, clock);

        Assert.True(added.IsSuccess, added.IsSuccess ? null : added.Error);
        Assert.Equal(
            [("Tramadol", MedicationSource.PreSessionChecklist, (DateOnly?)clock.Today), ("omeprazole", MedicationSource.PreSessionChecklist, clock.Today)],
            added.Value.Select(e => (e.Value.Name, e.Value.Source, e.Value.ReportedOn)));
        Assert.Equal(before + 2, patient.Medications.All.Count);
        Assert.Contains(patient.Snapshot().Medications, m => m.Name == "Tramadol" && m.Interactions == InteractionClass.CnsDepressant);

        var again = patient.RecordReportedMedications([new Medication("TRAMADOL", null, InteractionClass.CnsDepressant)], clock.Today.AddDays(7), Build.Nurse, clock);
        Assert.Empty(again.Value);
        Assert.Equal(before + 2, patient.Medications.All.Count);

        var tooLong = patient.RecordReportedMedications([new Medication(new string('x', 500), null, InteractionClass.None)], clock.Today, Build.Nurse, clock);
        Assert.False(tooLong.IsSuccess);
        Assert.Equal(before + 2, patient.Medications.All.Count);
    }
}
