using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Portal;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Clinic.Tests.Portal;

/// <summary>
/// Which pre-visit checklist questions a patient is asked, at the edges of the chart (sex unknown, male, the latest
/// pregnancy status), and that answers must fit the questions: a pregnancy answer the patient was not asked is refused,
/// a missing one where it was asked is refused, whichever face sends it.
/// </summary>
public sealed class PreVisitChecklistTests
{
    private readonly TestClock _clock = Build.Clock();

    [Theory]
    [InlineData(Sex.Male, null, false)]
    [InlineData(Sex.Male, PregnancyState.Pregnant, false)]
    [InlineData(Sex.Female, null, true)]
    [InlineData(Sex.Female, PregnancyState.Unknown, true)]
    [InlineData(Sex.Female, PregnancyState.NotPregnant, true)]
    [InlineData(Sex.Female, PregnancyState.Pregnant, true)]
    [InlineData(Sex.Female, PregnancyState.NotOfChildbearingPotential, false)]
    public void For_SexAndLatestPregnancyStatus_DecideThePregnancyQuestion(Sex sex, PregnancyState? status, bool asked)
    {
        var p = PatientOf(sex);
        if (status is { } s)
        {
            p.Record(new PregnancyStatus(s, _clock.Today), Build.Nurse, _clock);
        }

        Assert.Equal(asked, PreVisitChecklist.For(p).Pregnancy);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(PregnancyState.NotOfChildbearingPotential, false)]
    public void For_SexNotRecorded_AskedUnlessTheChartSaysNotOfChildbearingPotential(PregnancyState? status, bool asked)
    {
        var p = PatientOf(null);
        if (status is { } s)
        {
            p.Record(new PregnancyStatus(s, _clock.Today), Build.Nurse, _clock);
        }

        Assert.Equal(asked, PreVisitChecklist.For(p).Pregnancy);
    }

    [Fact]
    public void For_LatestStatusWins_ChildbearingPotentialRecordedAfterNotOfChildbearingPotential_Asked()
    {
        var p = PatientOf(Sex.Female);
        p.Record(new PregnancyStatus(PregnancyState.NotOfChildbearingPotential, _clock.Today.AddDays(-30)), Build.Nurse, _clock);
        Assert.False(PreVisitChecklist.For(p).Pregnancy);

        p.Record(new PregnancyStatus(PregnancyState.NotPregnant, _clock.Today), Build.Nurse, _clock);
        Assert.True(PreVisitChecklist.For(p).Pregnancy);
    }

    [Theory]
    [InlineData(true, null, FindingCodes.PortalPregnancyRequired)]
    [InlineData(true, false, null)]
    [InlineData(true, true, null)]
    [InlineData(false, null, null)]
    [InlineData(false, false, FindingCodes.PortalPregnancyNotAsked)]
    [InlineData(false, true, FindingCodes.PortalPregnancyNotAsked)]
    public void Check_AnswerAgainstQuestion_RefusedWithItsCodeOrAccepted(bool asked, bool? possiblyPregnant, string? code)
    {
        var r = PreVisitChecklist.Check(new PreVisitQuestions(asked), Answers(possiblyPregnant));
        if (code is null)
        {
            Assert.True(r.IsSuccess, r.Error);
        }
        else
        {
            var f = Assert.Single(r.Findings);
            Assert.Equal(code, f.Code);
            Assert.Equal("possiblyPregnant", f.Arg("field")?.Text);
        }
    }

    [Fact]
    public void Check_Refusal_SaysWhatToDoInItsMessage()
    {
        var missing = PreVisitChecklist.Check(new PreVisitQuestions(true), Answers(null));
        var extra = PreVisitChecklist.Check(new PreVisitQuestions(false), Answers(true));

        Assert.Equal("possiblyPregnant: answer yes or no; the question applies to this patient.", missing.Error);
        Assert.Equal("possiblyPregnant: the question does not apply to this patient; leave it out.", extra.Error);
    }

    [Fact]
    public void ForAndCheck_NullArguments_Thrown()
    {
        Assert.Throws<ArgumentNullException>(() => PreVisitChecklist.For(null!));
        Assert.Throws<ArgumentNullException>(() => PreVisitChecklist.Check(null!, Answers(null)));
        Assert.Throws<ArgumentNullException>(() => PreVisitChecklist.Check(new PreVisitQuestions(true), null!));
    }

    [Fact]
    public void Record_PregnancyAnswerFromAMale_RefusedAndNothingStored()
    {
        var p = PatientOf(Sex.Male);
        var version = p.Version;

        Codes.Has(FindingCodes.PortalPregnancyNotAsked, p.Check(Answers(false), _clock));
        Assert.Equal(version, p.Version);
        Assert.Empty(p.PreVisitAnswers.All);
    }

    [Fact]
    public void Amend_DroppingTheAnswerWhereTheQuestionApplies_Refused_TheOriginalStays()
    {
        var p = PatientOf(Sex.Female);
        Assert.True(p.Check(Answers(false), _clock).IsSuccess);
        var entry = p.Record(Answers(false), Build.Nurse, _clock);

        var amended = p.Amend(entry.Id, Answers(null), "forgot", Build.Nurse, _clock);

        Codes.Has(FindingCodes.PortalPregnancyRequired, amended);
        Assert.False(Assert.Single(p.PreVisitAnswers.All).Value.PossiblyPregnant);
    }

    private Patient PatientOf(Sex? sex) =>
        Patient.Register(new Demographics("MRN-1", "Deniz", "Test", new DateOnly(1986, 1, 15), sex), Build.Nurse, _clock);

    private static PreVisitAnswers Answers(bool? possiblyPregnant) =>
        new(new SessionId(Guid.NewGuid()), new DateOnly(2026, 6, 2), PreVisitMoment.DayBefore, null, true, null, possiblyPregnant);
}
