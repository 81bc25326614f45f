using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Portal;

namespace KetaCare.Clinic.Tests.Portal;

/// <summary>The clinic's rules that turn patient reports into clinician tasks.</summary>
public sealed class PortalAlertRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 6, 1, 19, 0, 0, TimeSpan.Zero);
    private static readonly PortalAlertSettings Rules = PortalAlertSettings.Default;

    private static IEnumerable<string> Codes(IEnumerable<Finding> findings) => findings.Select(f => f.Code);

    [Theory]
    [InlineData(SideEffectKind.Nausea, Severity.Severe, FindingCodes.PortalSevereSideEffect)]
    [InlineData(SideEffectKind.Dissociation, Severity.Severe, FindingCodes.PortalSevereSideEffect)]
    [InlineData(SideEffectKind.UrinarySymptoms, Severity.Mild, FindingCodes.PortalUrinarySymptom)]
    [InlineData(SideEffectKind.UrinarySymptoms, Severity.Severe, FindingCodes.PortalUrinarySymptom)]
    public void SideEffect_SevereOrUrinary_RaisesOneTask(SideEffectKind kind, Severity severity, string code) =>
        Assert.Equal([code], Codes(PortalAlertRules.SideEffect(new SideEffectReport(At, kind, severity, null), Rules)));

    [Theory]
    [InlineData(SideEffectKind.Nausea, Severity.Moderate)]
    [InlineData(SideEffectKind.Mood, Severity.Mild)]
    public void SideEffect_NotSevereNotUrinary_RaisesNone(SideEffectKind kind, Severity severity) =>
        Assert.Empty(PortalAlertRules.SideEffect(new SideEffectReport(At, kind, severity, null), Rules));

    [Fact]
    public void SideEffect_RulesTurnedOff_RaisesNone()
    {
        var off = Rules with { SevereSideEffect = false, AnyUrinarySymptom = false };
        Assert.Empty(PortalAlertRules.SideEffect(new SideEffectReport(At, SideEffectKind.UrinarySymptoms, Severity.Severe, null), off));
    }

    [Fact]
    public void SideEffect_Finding_CarriesKindSeverityAndTheClinicSource()
    {
        var f = Assert.Single(PortalAlertRules.SideEffect(new SideEffectReport(At, SideEffectKind.Nausea, Severity.Severe, null), Rules));
        Assert.Equal(("nausea", "severe"), (f.Arg("kind")!.Text, f.Arg("severity")!.Text));
        Assert.Equal(KetaCare.Pharmacology.Models.Certainty.Assumption, f.Source!.Certainty);
    }

    [Theory]
    [InlineData(8, 10, 80, true)]
    [InlineData(7, 10, 80, false)]
    [InlineData(4, 5, 80, true)]
    [InlineData(3, 5, 80, false)]
    [InlineData(5, 5, 100, true)]
    [InlineData(4, 5, 100, false)]
    public void Pain_AgainstBaseline_RaisesAtTheClinicsShare(int nrs, int baseline, int percent, bool raised) =>
        Assert.Equal(raised, PortalAlertRules.Pain(nrs, baseline, Rules with { PainReturnPercent = percent }).Count == 1);

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public void Pain_NoBaseline_RaisesNone(int? baseline) =>
        Assert.Empty(PortalAlertRules.Pain(10, baseline, Rules));

    [Fact]
    public void Pain_RuleOff_RaisesNone() =>
        Assert.Empty(PortalAlertRules.Pain(10, 5, Rules with { PainReturnPercent = 0 }));

    private static PreVisitAnswers Answers(PreVisitMoment moment, DateTimeOffset? fasting, bool escort = true, string? meds = null, bool? pregnant = null) =>
        new(SessionId.New(), new DateOnly(2026, 6, 2), moment, fasting, escort, meds, pregnant);

    [Fact]
    public void PreVisit_DayOfNotFasted_RaisesNotFasted() =>
        Assert.Equal([FindingCodes.PortalNotFasted], Codes(PortalAlertRules.PreVisit(Answers(PreVisitMoment.DayOf, null), Rules)));

    [Fact]
    public void PreVisit_DayBeforeNotFasted_IsExpected_RaisesNone() =>
        Assert.Empty(PortalAlertRules.PreVisit(Answers(PreVisitMoment.DayBefore, null), Rules));

    [Fact]
    public void PreVisit_NoEscort_RaisesNoEscort_EvenTheDayBefore() =>
        Assert.Equal([FindingCodes.PortalNoEscort], Codes(PortalAlertRules.PreVisit(Answers(PreVisitMoment.DayBefore, At, escort: false), Rules)));

    [Fact]
    public void PreVisit_PregnantOrNewMedications_RaiseEvenWithTheClinicRuleOff()
    {
        var off = Rules with { NotFastedOrNoEscort = false };
        var found = PortalAlertRules.PreVisit(Answers(PreVisitMoment.DayOf, null, escort: false, meds: "clarithromycin", pregnant: true), off);
        Assert.Equal([FindingCodes.PortalPossiblyPregnant, FindingCodes.PortalNewMedications], Codes(found));
        Assert.Equal("clarithromycin", found[1].Arg("text")!.Text);
    }

    [Fact]
    public void PreVisit_AllWell_RaisesNone() =>
        Assert.Empty(PortalAlertRules.PreVisit(Answers(PreVisitMoment.DayOf, At.AddHours(-8), pregnant: false), Rules));

    [Fact]
    public void ChecklistMissing_OnlyAfterTheDueTimeAndWhenNotAnswered()
    {
        var date = new DateOnly(2026, 6, 2);
        var due = new DateTimeOffset(2026, 6, 2, 7, 0, 0, TimeSpan.Zero);
        Assert.Null(PortalAlertRules.ChecklistMissing(date, answered: false, due, due.AddMinutes(-1), Rules));
        Assert.Null(PortalAlertRules.ChecklistMissing(date, answered: true, due, due.AddHours(1), Rules));
        Assert.Null(PortalAlertRules.ChecklistMissing(date, answered: false, due, due.AddHours(1), Rules with { ChecklistDueHour = -1 }));
        var f = PortalAlertRules.ChecklistMissing(date, answered: false, due, due, Rules);
        Assert.Equal((FindingCodes.PortalChecklistMissing, "2026-06-02", 7.0), (f!.Code, f.Arg("date")!.Text, f.Number("hour")));
    }

    [Theory]
    [InlineData(49, 7, "painReturnPercent")]
    [InlineData(101, 7, "painReturnPercent")]
    [InlineData(80, 24, "checklistDueHour")]
    [InlineData(80, -2, "checklistDueHour")]
    public void Settings_OutOfRange_RefusedNamingTheField(int percent, int hour, string field)
    {
        var r = (Rules with { PainReturnPercent = percent, ChecklistDueHour = hour }).Validate();
        Assert.False(r.IsSuccess);
        Assert.StartsWith(field, r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(50, 0)]
    [InlineData(100, 23)]
    public void Settings_AtTheirBounds_Accepted(int percent, int hour) =>
        Assert.True((Rules with { PainReturnPercent = percent, ChecklistDueHour = hour }).Validate().IsSuccess);

    [Theory]
    [InlineData(null, true)]
    [InlineData(27, false)]
    [InlineData(28, true)]
    public void Questionnaires_DueAfter28DaysOrWhenNeverGiven(int? daysAgo, bool due)
    {
        var today = new DateOnly(2026, 6, 1);
        Assert.Equal(due, PortalQuestionnaires.IsDue(daysAgo is { } d ? today.AddDays(-d) : null, today));
    }
}
