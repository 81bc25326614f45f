using KetaCare.Clinic.Outcomes;

namespace KetaCare.Clinic.Tests;

/// <summary>
/// A course's responder status compares the first session's pre-infusion score with the latest sustained score (a
/// follow-up or a later pre-infusion score), never with a score taken during or after an infusion, and says which.
/// </summary>
public class ResponderBasisTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    private static PainPoint Session(SessionId id, double days, int nrs) => new(T0.AddDays(days), nrs, id);

    private static PainPoint FollowUp(double days, int nrs) => new(T0.AddDays(days), nrs, null);

    [Fact]
    public void CourseResponder_LastScoreInSession_IgnoredForTheLatestPreInfusionScore()
    {
        var a = SessionId.New();
        var b = SessionId.New();
        // Session a: 8 before, 2 after; session b: 6 before, 1 after (the acute effect).
        var r = OutcomeAnalysis.CourseResponder([Session(a, 0, 8), Session(a, 0.05, 2), Session(b, 7, 6), Session(b, 7.05, 1)])!;

        Assert.Equal((8, 6, 25.0), (r.Baseline, r.Current, r.ReductionPercent));
        Assert.False(r.Moderate);
        Assert.Equal(new ResponderBasis(T0, T0.AddDays(7), PainScoreKind.PreInfusion), r.Basis);
    }

    [Fact]
    public void CourseResponder_FollowUpAfterTheCourse_IsTheComparedScore()
    {
        var a = SessionId.New();
        var r = OutcomeAnalysis.CourseResponder([Session(a, 0, 8), Session(a, 0.05, 7), FollowUp(3, 4), FollowUp(9, 3)])!;

        Assert.Equal((8, 3), (r.Baseline, r.Current));
        Assert.True(r.Substantial);
        Assert.Equal(new ResponderBasis(T0, T0.AddDays(9), PainScoreKind.FollowUp), r.Basis);
        Assert.EndsWith("; baseline: pre-infusion score of the first session, 2026-05-04; compared: follow-up, 2026-05-13", OutcomeAnalysis.Describe(r), StringComparison.Ordinal);
    }

    [Fact]
    public void CourseResponder_OnlyOneSessionAndNoFollowUp_Unknown()
    {
        var a = SessionId.New();

        Assert.Null(OutcomeAnalysis.CourseResponder([Session(a, 0, 8), Session(a, 0.05, 2)]));
        Assert.Null(OutcomeAnalysis.CourseResponder([FollowUp(1, 3)])); // no baseline
        Assert.Null(OutcomeAnalysis.CourseResponder([]));
    }

    [Fact]
    public void CourseResponder_FollowUpBeforeTheFirstSession_NotCompared()
    {
        var a = SessionId.New();

        Assert.Null(OutcomeAnalysis.CourseResponder([FollowUp(-2, 3), Session(a, 0, 8)]));
    }
}
