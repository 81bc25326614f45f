using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// Investigations as records: lab values against their reference ranges (boundaries of the upper limit and of the
/// review multiples), ECG and urinary findings, what the chart accepts, the monitoring schedule over repeated courses,
/// and the pre-assessment that refuses while an investigation the course needs is missing.
/// </summary>
public class InvestigationTests
{
    private static readonly DateOnly Day = new(2026, 6, 1);

    private static PatientSnapshot With(params object[] entries)
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        foreach (var e in entries)
        {
            _ = e switch
            {
                LiverPanel l => p.Record(l, Build.Physician, clock).Id,
                EcgRecord g => p.Record(g, Build.Physician, clock).Id,
                Urinalysis u => p.Record(u, Build.Nurse, clock).Id,
                UrinarySymptoms q => p.Record(q, Build.Nurse, clock).Id,
                ContraindicationFinding f => p.Record(f, Build.Physician, clock).Id,
                _ => throw new ArgumentException("unknown entry", nameof(entries)),
            };
        }

        return p.Snapshot();
    }

    private static LiverPanel Panel(double? alt = 20, double? ast = 20, double? bilirubin = 0.6, double? ggt = 30, double? alp = 80, DateOnly? on = null) =>
        new(on ?? Day.AddDays(-5), alt, ast, bilirubin, ggt, alp);

    [Theory]
    [InlineData(LabTest.Alt, 40, LabFlag.Normal)]
    [InlineData(LabTest.Alt, 40.1, LabFlag.High)]
    [InlineData(LabTest.Alt, 120, LabFlag.High)]
    [InlineData(LabTest.Alt, 120.1, LabFlag.HighNeedsReview)]
    [InlineData(LabTest.Alt, 6.9, LabFlag.Low)]
    [InlineData(LabTest.Alt, 7, LabFlag.Normal)]
    [InlineData(LabTest.Ast, 120, LabFlag.High)]
    [InlineData(LabTest.Ast, 120.1, LabFlag.HighNeedsReview)]
    [InlineData(LabTest.TotalBilirubin, 1.2, LabFlag.Normal)]
    [InlineData(LabTest.TotalBilirubin, 2.4, LabFlag.High)]
    [InlineData(LabTest.TotalBilirubin, 2.41, LabFlag.HighNeedsReview)]
    [InlineData(LabTest.Alp, 260, LabFlag.High)]
    [InlineData(LabTest.Alp, 260.1, LabFlag.HighNeedsReview)]
    [InlineData(LabTest.Ggt, 60, LabFlag.Normal)]
    [InlineData(LabTest.Ggt, 600, LabFlag.High)]
    public void Flag_AtAndAcrossEachLimit(LabTest test, double value, LabFlag expected) =>
        Assert.Equal(expected, InvestigationRules.Flag(test, value));

    [Fact]
    public void LabTests_AreLoincCodedWithTheirUnits()
    {
        Assert.Equal(["1742-6", "1920-8", "1975-2", "2324-2", "6768-6"], LabTestInfo.All.Select(t => t.Loinc));
        Assert.Equal(["U/L", "U/L", "mg/dL", "U/L", "U/L"], LabTestInfo.All.Select(t => t.Unit));
        Assert.Equal(LabTest.Ggt, LabTestInfo.ByLoinc("2324-2")!.Test);
        Assert.Null(LabTestInfo.ByLoinc("0000-0"));
    }

    [Fact]
    public void LiverPanel_AltAboveThreeTimesTheUpperLimit_IsAReviewWithTheNoppersSource()
    {
        var findings = InvestigationRules.Evaluate(With(Panel(alt: 125)));

        var f = Assert.Single(findings);
        Assert.Equal(("liver-injury", FindingLevel.Review), (f.RuleId, f.Level));
        Assert.Equal(InvestigationSettings.LiverSource, f.Source);
        Assert.Equal(125, f.Args.Single(a => a.Name == "value").Number);
        Assert.Equal(3.1, f.Args.Single(a => a.Name == "multiple").Number);
    }

    [Fact]
    public void LiverPanel_AboveTheUpperLimitOnly_IsAWarning_AndNormalGivesNothing()
    {
        Assert.Equal(["liver-tests-raised", "liver-tests-raised"], InvestigationRules.Evaluate(With(Panel(ggt: 61, alt: 41))).Select(f => f.RuleId));
        Assert.All(InvestigationRules.Evaluate(With(Panel(ggt: 61))), f => Assert.Equal(FindingLevel.Warning, f.Level));
        Assert.Empty(InvestigationRules.Evaluate(With(Panel())));
    }

    [Fact]
    public void OnlyTheLatestPanelCounts()
    {
        var findings = InvestigationRules.Evaluate(With(Panel(alt: 300, on: Day.AddDays(-40)), Panel(on: Day.AddDays(-2))));
        Assert.Empty(findings);
    }

    [Theory]
    [InlineData(450, null)]
    [InlineData(451, FindingLevel.Warning)]
    [InlineData(500, FindingLevel.Warning)]
    [InlineData(501, FindingLevel.Review)]
    public void Qtc_MaleThresholds(double qtc, FindingLevel? expected)
    {
        var findings = InvestigationRules.Evaluate(With(new EcgRecord(Day.AddDays(-3), EcgRhythm.Sinus, qtc, EcgInterpretation.Normal)));
        Assert.Equal(expected, findings.SingleOrDefault(f => f.RuleId == "qtc-prolonged")?.Level);
    }

    [Theory]
    [InlineData(470, null)]
    [InlineData(471, FindingLevel.Warning)]
    public void Qtc_FemaleThreshold(double qtc, FindingLevel? expected)
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock, sex: Pharmacology.Models.Sex.Female);
        p.Record(new EcgRecord(Day.AddDays(-3), EcgRhythm.Sinus, qtc, EcgInterpretation.Normal), Build.Physician, clock);
        Assert.Equal(expected, InvestigationRules.Evaluate(p.Snapshot()).SingleOrDefault()?.Level);
    }

    [Fact]
    public void Ecg_ClinicallySignificantAbnormality_IsAReview_AndANotSignificantOneIsNot()
    {
        Assert.Equal("ecg-abnormal", Assert.Single(InvestigationRules.Evaluate(With(new EcgRecord(Day, EcgRhythm.AtrialFibrillation, null, EcgInterpretation.AbnormalSignificant)))).RuleId);
        Assert.Empty(InvestigationRules.Evaluate(With(new EcgRecord(Day, EcgRhythm.Other, 430, EcgInterpretation.AbnormalNotSignificant))));
    }

    [Theory]
    [InlineData(DipstickResult.Trace, DipstickResult.Negative, null, false)]
    [InlineData(DipstickResult.Plus1, DipstickResult.Negative, null, true)]
    [InlineData(DipstickResult.Negative, DipstickResult.Plus1, null, true)]
    [InlineData(DipstickResult.Negative, DipstickResult.Trace, DipstickResult.Negative, false)]
    [InlineData(DipstickResult.Negative, DipstickResult.Negative, DipstickResult.Trace, true)]
    public void Urinalysis_PositiveAtOnePlusOrAnyNitrite(DipstickResult blood, DipstickResult leukocytes, DipstickResult? nitrite, bool review)
    {
        var dip = new Urinalysis(Day, blood, leukocytes, nitrite);
        Assert.Equal(review, dip.IsPositive);
        Assert.Equal(review, InvestigationRules.Evaluate(With(dip)).Any(f => f.RuleId == "urinalysis" && f.Level == FindingLevel.Review));
    }

    [Theory]
    [InlineData(1, 1, 1, 0, 0, false)]
    [InlineData(1, 1, 1, 0, 1, true)]
    [InlineData(0, 0, 0, 1, 0, true)]
    [InlineData(0, 0, 0, 0, 0, false)]
    public void UrinarySymptoms_ReviewAtFourOrAnyHaematuria(int frequency, int urgency, int dysuria, int haematuria, int pain, bool review)
    {
        var q = new UrinarySymptoms(Day, frequency, urgency, dysuria, haematuria, pain);
        Assert.Equal(frequency + urgency + dysuria + haematuria + pain, q.Total);
        Assert.Equal(review, InvestigationRules.Evaluate(With(q)).Any(f => f.RuleId == "urinary-symptoms"));
    }

    [Theory]
    [InlineData(510, null, "Review", 500)]
    [InlineData(460, Sex.Male, "Warning", 450)]
    [InlineData(471, Sex.Female, "Warning", 470)]
    public void Ecg_ProlongedQtc_FindingNamesTheValueAndTheLimitInMs(double qtc, Sex? sex, string level, double limit)
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock, sex: sex ?? Sex.Male);
        if (sex is null)
        {
            Assert.True(p.CorrectDemographics(p.Demographics with { Sex = null }, "sex not recorded", Build.Physician, clock).IsSuccess);
        }

        p.Record(new EcgRecord(Day, EcgRhythm.Sinus, qtc, EcgInterpretation.Normal), Build.Physician, clock);

        var f = Assert.Single(InvestigationRules.Evaluate(p.Snapshot()));

        Assert.Equal(("qtc-prolonged", level, InvestigationSettings.EcgSource), (f.RuleId, f.Level.ToString(), f.Source));
        Assert.Equal([("date", (double?)null, "", "2026-06-01"), ("qtc", qtc, "ms", null), ("limit", limit, "ms", null)], f.Args.Select(a => (a.Name, a.Number, a.Unit, a.Text)));
        Assert.Contains("QTc {qtc}, above {limit}", f.Template, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_NameTheirSectionAndWork_AndAreAssumptionsForTheThresholds()
    {
        Assert.Equal(
            [("clinical-reference: Investigations (noppers2011)", "Noppers 2011"), ("clinical-reference: Investigations (cohen2018)", "Cohen 2018"), ("clinical-reference: Investigations (ketalar-label)", "Ketalar label")],
            new[] { InvestigationSettings.LiverSource, InvestigationSettings.EcgSource, InvestigationSettings.UrinarySource }.Select(x => (x.Section, x.Reference.Split(':')[0])));
        Assert.All(new[] { InvestigationSettings.LiverSource, InvestigationSettings.EcgSource, InvestigationSettings.UrinarySource }, x =>
        {
            Assert.Equal(Certainty.Assumption, x.Certainty);
            Assert.Contains("clinic-changeable assumptions", x.Reference, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Settings_AClinicsOwnRangesAndThresholds_AreTheOnesApplied()
    {
        // A laboratory with an ALT range up to 50 U/L and a stricter QTc review at 480 ms.
        var settings = InvestigationSettings.Default with
        {
            Ranges = new Dictionary<LabTest, ReferenceRange>(InvestigationSettings.Default.Ranges) { [LabTest.Alt] = new(7, 50) },
            QtcReviewMs = 480,
        };
        Assert.Equal((LabFlag.Normal, LabFlag.High), (InvestigationRules.Flag(LabTest.Alt, 45, settings), InvestigationRules.Flag(LabTest.Alt, 45)));

        var chart = With(new EcgRecord(Day, EcgRhythm.Sinus, 490, EcgInterpretation.Normal));
        Assert.Equal(FindingLevel.Review, Assert.Single(InvestigationRules.Evaluate(chart, settings)).Level);
        Assert.Equal(FindingLevel.Warning, Assert.Single(InvestigationRules.Evaluate(chart)).Level);
        Assert.Throws<ArgumentNullException>(() => InvestigationRules.Evaluate(null!));
    }

    [Fact]
    public void Eligibility_ReadsTheInvestigations_AndAbnormalLiverTestsNeedAReview()
    {
        var clock = Build.Clock();
        var (p, c) = Build.EligiblePatient(clock);
        Assert.Equal(EligibilityResult.Eligible, Build.Screen(p, c, clock.Today).Result);

        p.Record(Panel(ast: 200), Build.Physician, clock);

        var e = Build.Screen(p, c, clock.Today);
        Assert.Equal(EligibilityResult.NeedsPhysicianReview, e.Result);
        Assert.Contains(e.Findings, f => f.RuleId == "liver-injury");
    }

    [Fact]
    public void Chart_RefusesAbsurdValues_NamingTheFieldAndRange()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);

        Assert.StartsWith("liverPanel:", p.Check(new LiverPanel(Day, null, null, null, null, null), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("alt: -1 is outside the accepted range 0–10000 U/L", p.Check(Panel(alt: -1), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("bilirubin: 51", p.Check(Panel(bilirubin: 51), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("alp: NaN", p.Check(Panel(alp: double.NaN), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("collectedOn:", p.Check(Panel(on: clock.Today.AddDays(3)), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("qtc: 199", p.Check(new EcgRecord(Day, EcgRhythm.Sinus, 199, EcgInterpretation.Normal), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("qtc: 801", p.Check(new EcgRecord(Day, EcgRhythm.Sinus, 801, EcgInterpretation.Normal), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("haematuria: 4", p.Check(new UrinarySymptoms(Day, 0, 0, 0, 4, 0), clock).Error, StringComparison.Ordinal);
        Assert.StartsWith("frequency: -1", p.Check(new UrinarySymptoms(Day, -1, 0, 0, 0, 0), clock).Error, StringComparison.Ordinal);
        Assert.True(p.Check(new EcgRecord(Day, EcgRhythm.Sinus, 200, EcgInterpretation.Normal), clock).IsSuccess);
        Assert.True(p.Check(new UrinarySymptoms(Day, 3, 3, 3, 3, 3), clock).IsSuccess);
        Assert.True(p.Check(Panel(alt: 0, bilirubin: 50), clock).IsSuccess);
    }

    [Fact]
    public void StoredChart_Investigations_RoundTripWithEveryField()
    {
        var clock = Build.Clock();
        var (p, _) = Build.EligiblePatient(clock);
        var panel = Panel(alt: 55.5, ggt: null);
        var ecg = new EcgRecord(Day.AddDays(-1), EcgRhythm.AtrialFibrillation, 462, EcgInterpretation.AbnormalNotSignificant, "rate controlled");
        var dip = new Urinalysis(Day.AddDays(-2), DipstickResult.Trace, DipstickResult.Plus2, DipstickResult.Negative);
        var q = new UrinarySymptoms(Day.AddDays(-2), 1, 2, 0, 0, 3);
        p.Record(panel, Build.Physician, clock);
        p.Record(ecg, Build.Physician, clock);
        p.Record(dip, Build.Nurse, clock);
        p.Record(q, Build.Nurse, clock);

        var loaded = StateJson.Deserialize<Patient>(StateJson.Serialize(p)).Snapshot();

        Assert.Equal((panel, ecg, dip, q), (loaded.LatestLiverPanel, loaded.LatestEcg, loaded.LatestUrinalysis, loaded.LatestUrinarySymptoms));
    }

    // The monitoring schedule over courses.
    private static readonly DateOnly Start = new(2026, 3, 2);

    private static MonitoringCourse Course(DateOnly start, int sessions = 6, bool intensive = false, bool open = true) => new(start, sessions, intensive, open);

    [Fact]
    public void Schedule_FirstOrdinaryCourse_NeedsNothing()
    {
        Assert.Empty(MonitoringSchedule.For(With(), [Course(Start, open: false)], Start.AddDays(30)));
        Assert.Empty(MonitoringSchedule.For(With(), [], Start));
    }

    [Fact]
    public void Schedule_RepeatedCourse_FlagsALiverPanelAndAUrinaryScreen_DueBeforeItsStartAndOverdueAfter()
    {
        var first = Course(Start, open: false);
        var second = Course(Start.AddDays(120));
        var patient = With(Panel(on: Start.AddDays(-3)));

        var before = MonitoringSchedule.For(patient, [first, second], second.StartsOn.AddDays(-7));
        Assert.Equal([(InvestigationKind.LiverPanel, MonitoringReason.RepeatedCourse, MonitoringStatus.Due), (InvestigationKind.UrinaryScreen, MonitoringReason.RepeatedCourse, MonitoringStatus.Due)], before.Select(i => (i.Kind, i.Reason, i.Status)));
        Assert.All(before, i => Assert.Equal(second.StartsOn, i.DueOn));
        Assert.Equal(Start.AddDays(-3), before[0].LastDoneOn);

        Assert.Equal(MonitoringStatus.Due, MonitoringSchedule.For(patient, [first, second], second.StartsOn)[0].Status);
        Assert.Equal(MonitoringStatus.Overdue, MonitoringSchedule.For(patient, [second, first], second.StartsOn.AddDays(1))[0].Status);
    }

    [Fact]
    public void Schedule_PanelWithinTheWindowBeforeTheCourse_IsDone_OneDayOlderIsNot()
    {
        var second = Course(Start.AddDays(120), open: false);
        var courses = new[] { Course(Start, open: false), second };
        var atEdge = MonitoringSchedule.For(With(Panel(on: second.StartsOn.AddDays(-90)), new UrinarySymptoms(second.StartsOn, 0, 0, 0, 0, 0)), courses, second.StartsOn);
        Assert.All(atEdge, i => Assert.Equal(MonitoringStatus.Done, i.Status));
        Assert.All(atEdge, i => Assert.Null(i.DueOn));

        var tooOld = MonitoringSchedule.For(With(Panel(on: second.StartsOn.AddDays(-91))), courses, second.StartsOn);
        Assert.Equal(MonitoringStatus.Due, tooOld.Single(i => i.Kind == InvestigationKind.LiverPanel).Status);
    }

    [Fact]
    public void Schedule_OpenCourse_RepeatsTheLiverPanelAfterItsInterval()
    {
        var second = Course(Start.AddDays(120));
        var courses = new[] { Course(Start, open: false), second };
        var patient = With(Panel(on: second.StartsOn.AddDays(-1)));

        var onTime = MonitoringSchedule.For(patient, courses, second.StartsOn.AddDays(89)).Single(i => i.Kind == InvestigationKind.LiverPanel);
        Assert.Equal((MonitoringStatus.Done, second.StartsOn.AddDays(89)), (onTime.Status, onTime.DueOn));
        var late = MonitoringSchedule.For(patient, courses, second.StartsOn.AddDays(90)).Single(i => i.Kind == InvestigationKind.LiverPanel);
        Assert.Equal((MonitoringStatus.Overdue, second.StartsOn.AddDays(89)), (late.Status, late.DueOn));
    }

    [Fact]
    public void Schedule_EveryOtherCourseSetting_SkipsTheSecondCourse()
    {
        var settings = InvestigationSettings.Default with { LiverPanelEveryCourses = 2 };
        var c = new[] { Course(Start, open: false), Course(Start.AddDays(100), open: false), Course(Start.AddDays(200)) };
        Assert.DoesNotContain(MonitoringSchedule.For(With(), c[..2], Start.AddDays(100), settings), i => i.Kind == InvestigationKind.LiverPanel);
        Assert.Contains(MonitoringSchedule.For(With(), c, Start.AddDays(200), settings), i => i.Kind == InvestigationKind.LiverPanel);
    }

    [Fact]
    public void Schedule_LiverRiskIntensiveCardiacAndLongCourses()
    {
        var hepatic = MonitoringSchedule.For(With(new ContraindicationFinding(FindingKind.HepaticDisease, Severity.Mild, false)), [], Start);
        Assert.Equal((InvestigationKind.LiverPanel, MonitoringReason.LiverRisk, MonitoringStatus.Due, (DateOnly?)null), hepatic.Select(i => (i.Kind, i.Reason, i.Status, i.DueOn)).Single());

        Assert.Equal(MonitoringReason.IntensiveCourse, MonitoringSchedule.For(With(), [Course(Start, intensive: true)], Start).Single().Reason);
        Assert.Equal(MonitoringReason.RepeatedCourse, MonitoringSchedule.For(With(), [Course(Start.AddDays(-200), intensive: true, open: false), Course(Start, intensive: true)], Start).First().Reason);

        var cardiac = MonitoringSchedule.For(With(new ContraindicationFinding(FindingKind.CardiovascularRisk, Severity.Mild, false)), [Course(Start)], Start.AddDays(-1));
        Assert.Equal((InvestigationKind.Ecg, MonitoringReason.CardiacHistory, MonitoringStatus.Due), cardiac.Select(i => (i.Kind, i.Reason, i.Status)).Single());

        Assert.Empty(MonitoringSchedule.For(With(), [Course(Start, sessions: 9)], Start));
        Assert.Equal((InvestigationKind.UrinaryScreen, MonitoringReason.LongCourse), MonitoringSchedule.For(With(), [Course(Start, sessions: 10)], Start).Select(i => (i.Kind, i.Reason)).Single());
    }

    [Fact]
    public void Schedule_EcgAYearOld_CountsAtTheEdgeAndNotADayLater()
    {
        var risk = new ContraindicationFinding(FindingKind.Hypertension, Severity.Mild, false);
        var ecg = new EcgRecord(Start.AddDays(-365), EcgRhythm.Sinus, 420, EcgInterpretation.Normal);
        Assert.Equal(MonitoringStatus.Done, MonitoringSchedule.For(With(risk, ecg), [Course(Start)], Start.AddDays(30)).Single().Status);
        Assert.Equal(MonitoringStatus.Overdue, MonitoringSchedule.For(With(risk, ecg with { RecordedOn = Start.AddDays(-366) }), [Course(Start)], Start.AddDays(1)).Single().Status);
    }

    [Fact]
    public void Findings_AreTemplatesFilledWithEveryArgument_AndCiteTheInvestigationsSection()
    {
        var findings = InvestigationRules.Evaluate(With(
            Panel(alt: 200, ast: 41, bilirubin: 3, ggt: 70, alp: 300),
            new EcgRecord(Day, EcgRhythm.AtrialFibrillation, 520, EcgInterpretation.AbnormalSignificant),
            new Urinalysis(Day, DipstickResult.Plus1, DipstickResult.Plus2),
            new UrinarySymptoms(Day, 2, 1, 1, 0, 0)));

        Assert.Equal(["liver-injury", "liver-tests-raised", "liver-injury", "liver-tests-raised", "liver-injury", "ecg-abnormal", "qtc-prolonged", "urinalysis", "urinary-symptoms"], findings.Select(f => f.RuleId));
        Assert.All(findings, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Template));
            Assert.All(System.Text.RegularExpressions.Regex.Matches(f.Template!, "\\{(\\w+)\\}"), m => Assert.Contains(f.Args, a => a.Name == m.Groups[1].Value));
            Assert.DoesNotContain("{", f.Message, StringComparison.Ordinal);
            Assert.StartsWith("clinical-reference: Investigations (", f.Source.Section, StringComparison.Ordinal);
            Assert.Contains("assumption", f.Source.Reference, StringComparison.Ordinal);
        });
        Assert.Equal(["ALT", "AST", "Total bilirubin", "GGT", "ALP"], findings.Where(f => f.RuleId.StartsWith("liver", StringComparison.Ordinal)).Select(f => f.Args.Single(a => a.Name == "test").Text));
        Assert.Equal("Atrial fibrillation", findings.Single(f => f.RuleId == "ecg-abnormal").Args.Single(a => a.Name == "rhythm").Text);
        Assert.Equal(("1+", "2+"), (findings.Single(f => f.RuleId == "urinalysis").Args.Single(a => a.Name == "blood").Text, findings.Single(f => f.RuleId == "urinalysis").Args.Single(a => a.Name == "leukocytes").Text));
        Assert.Equal(("2026-06-01", 4.0), (findings.Single(f => f.RuleId == "urinary-symptoms").Args.Single(a => a.Name == "date").Text, findings.Single(f => f.RuleId == "urinary-symptoms").Args.Single(a => a.Name == "total").Number!.Value));
        Assert.Equal(5, InvestigationSettings.Default.Ranges.Count);
    }

    [Fact]
    public void Schedule_SourcesEveryThirdCourseOpenEcgAndBeforeTheFirstCourse()
    {
        // The liver panel's source: Noppers (the settings' liver source) for a repeated course, Cohen for an intensive first one.
        Assert.Equal(InvestigationSettings.LiverSource, MonitoringSchedule.For(With(), [Course(Start.AddDays(-200), open: false), Course(Start)], Start)[0].Source);
        Assert.Equal(Source.Cohen2018, MonitoringSchedule.For(With(), [Course(Start, intensive: true)], Start)[0].Source);

        var every3 = InvestigationSettings.Default with { LiverPanelEveryCourses = 3 };
        var four = Enumerable.Range(0, 4).Select(i => Course(Start.AddDays(100 * i), open: i == 3)).ToArray();
        Assert.Contains(MonitoringSchedule.For(With(), four, Start.AddDays(300), every3), i => i.Kind == InvestigationKind.LiverPanel);
        Assert.DoesNotContain(MonitoringSchedule.For(With(), four[..3], Start.AddDays(200), every3), i => i.Kind == InvestigationKind.LiverPanel);

        // An ECG is not repeated while a course runs: done for the course, it stays done.
        var risk = new ContraindicationFinding(FindingKind.CardiovascularRisk, Severity.Mild, false);
        var ecg = new EcgRecord(Start.AddDays(-300), EcgRhythm.Sinus, 410, EcgInterpretation.Normal);
        var running = MonitoringSchedule.For(With(risk, ecg), [Course(Start)], Start.AddDays(100)).Single();
        Assert.Equal((MonitoringStatus.Done, (DateOnly?)null), (running.Status, running.DueOn));

        // Before any course: a recent panel is done, an old one is due.
        var hepatic = new ContraindicationFinding(FindingKind.HepaticDisease, Severity.Mild, false);
        Assert.Equal(MonitoringStatus.Done, MonitoringSchedule.For(With(hepatic, Panel(on: Day.AddDays(-10))), [], Day).Single().Status);
        Assert.Equal(MonitoringStatus.Due, MonitoringSchedule.For(With(hepatic, Panel(on: Day.AddDays(-91))), [], Day).Single().Status);
    }

    [Fact]
    public void PreAssessment_InvestigationDue_RefusesNamingIt_AndPassesOnceDone()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        var courses = new[] { Course(f.Clock.Today.AddDays(-150), open: false), Course(f.Clock.Today) };

        var snapshot = f.Patient.Snapshot();
        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(snapshot, f.Assessment, null, Build.Checklist(f.Clock.Now, PregnancyCheck.NegativeTestToday)) { Monitoring = MonitoringSchedule.For(snapshot, courses, f.Clock.Today) }, f.Settings, Build.Nurse, f.Clock);

        Assert.Equal(["LiverPanel", "UrinaryScreen"], r.Findings.Where(x => x.Code == FindingCodes.PreInvestigationDue).Select(x => x.Arg("investigation")!.Text));
        Assert.All(r.Findings, x => Assert.Equal(FindingSeverity.HardStop, x.Severity));

        f.Patient.Record(Panel(on: f.Clock.Today), Build.Physician, f.Clock);
        f.Patient.Record(new UrinarySymptoms(f.Clock.Today, 0, 1, 0, 0, 0), Build.Nurse, f.Clock);
        snapshot = f.Patient.Snapshot();
        var ok = f.Session.CompletePreAssessment(new PreAssessmentInput(snapshot, f.Assessment, null, Build.Checklist(f.Clock.Now, PregnancyCheck.NegativeTestToday)) { Monitoring = MonitoringSchedule.For(snapshot, courses, f.Clock.Today) }, f.Settings, Build.Nurse, f.Clock);
        Assert.True(ok.IsSuccess, ok.Error);
    }

    [Fact]
    public void PreAssessment_AbnormalResultAfterTheScreening_SendsBackToScreening()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        f.Patient.Record(Panel(alt: 400, on: f.Assessment.AssessedOn.AddDays(1)), Build.Physician, f.Clock); // a result that reached the chart after the screening

        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(f.Patient.Snapshot(), f.Assessment, null, Build.Checklist(f.Clock.Now, PregnancyCheck.NegativeTestToday)), f.Settings, Build.Nurse, f.Clock);

        var finding = Assert.Single(r.Findings);
        Assert.Equal((FindingCodes.PreInvestigationAbnormal, "liver-injury"), (finding.Code, finding.Arg("rule")!.Text));
    }

    [Fact]
    public void PreAssessment_AbnormalResultSeenByTheScreening_IsNotRefusedAgain()
    {
        var f = new SessionFixture();
        Assert.True(f.Session.BeginPreAssessment(Build.Nurse, f.Clock).IsSuccess);
        f.FreshVitals();
        f.Patient.Record(Panel(alt: 400, on: f.Assessment.AssessedOn), Build.Physician, f.Clock);

        var r = f.Session.CompletePreAssessment(new PreAssessmentInput(f.Patient.Snapshot(), f.Assessment, null, Build.Checklist(f.Clock.Now, PregnancyCheck.NegativeTestToday)), f.Settings, Build.Nurse, f.Clock);

        Assert.True(r.IsSuccess, r.Error);
    }

    [Theory]
    [InlineData("altUpper", 20, true)]
    [InlineData("altUpper", 200, true)]
    [InlineData("altUpper", 19.9, false)]
    [InlineData("altUpper", 4000, false)]
    [InlineData("bilirubinUpper", 3, true)]
    [InlineData("bilirubinUpper", 3.01, false)]
    [InlineData("transaminaseReviewMultiple", 1.5, true)]
    [InlineData("transaminaseReviewMultiple", 1.4, false)]
    [InlineData("qtcProlongedMaleMs", 45, false)]
    [InlineData("urinarySymptomReviewTotal", 15, true)]
    [InlineData("urinarySymptomReviewTotal", 16, false)]
    [InlineData("urinarySymptomReviewTotal", 4.5, false)] // a score is whole
    [InlineData("liverPanelValidDays", 0, false)]
    [InlineData("ecgValidDays", 730, true)]
    [InlineData("longCourseSessions", 1, false)]
    public void SettingsWith_EachFieldWithinItsRange_OrRefusedNamingTheFieldAndRange(string field, double value, bool accepted)
    {
        var r = InvestigationSettings.Default.With(new Dictionary<string, double> { [field] = value });

        Assert.Equal(accepted, r.IsSuccess);
        if (accepted)
        {
            Assert.Equal(value, InvestigationSettings.Fields.Single(f => f.Field == field).Get(r.Value));
            return;
        }

        var f = Assert.Single(r.Findings);
        var range = InvestigationSettings.Fields.Single(x => x.Field == field);
        Assert.Equal((FindingCodes.SettingOutOfRange, field, value, range.Min, range.Max), (f.Code, f.Arg("field")!.Text, f.Number("value"), f.Number("min"), f.Number("max")));
        Assert.StartsWith(field + ": ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsWith_QtcReviewBelowAProlongedThreshold_RefusedWithThatThresholdAsTheLowerBound()
    {
        var r = InvestigationSettings.Default.With(new Dictionary<string, double> { ["qtcProlongedFemaleMs"] = 490, ["qtcReviewMs"] = 480 });

        var f = Assert.Single(r.Findings);
        Assert.Equal(("qtcReviewMs", 480.0, 490.0), (f.Arg("field")!.Text, f.Number("value"), f.Number("min")));
        Assert.True(InvestigationSettings.Default.With(new Dictionary<string, double> { ["qtcProlongedFemaleMs"] = 490, ["qtcReviewMs"] = 490 }).IsSuccess);
    }

    [Fact]
    public void SettingsWith_ALabsOwnUpperLimit_ChangesTheFlagsTheScreeningAndThePreAssessmentUse()
    {
        var lab = InvestigationSettings.Default.With(new Dictionary<string, double> { ["altUpper"] = 56 }).Value;
        Assert.Equal((7.0, 56.0), (lab.RangeOf(LabTest.Alt).Lower, lab.RangeOf(LabTest.Alt).Upper));
        Assert.Equal(40, InvestigationSettings.Default.RangeOf(LabTest.Alt).Upper); // the defaults are not changed

        var patient = With(Panel(alt: 50));
        Assert.Equal(LabFlag.High, InvestigationRules.Flag(LabTest.Alt, 50));
        Assert.Equal(LabFlag.Normal, InvestigationRules.Flag(LabTest.Alt, 50, lab));
        var condition = patient.Conditions.Single().Id;
        Assert.Contains(EligibilityRules.Evaluate(patient, condition, Day).Findings, f => f.RuleId == "liver-tests-raised");
        Assert.DoesNotContain(EligibilityRules.Evaluate(patient, condition, Day, settings: EligibilitySettings.Default with { Investigations = lab }).Findings, f => f.RuleId == "liver-tests-raised");
    }
}
