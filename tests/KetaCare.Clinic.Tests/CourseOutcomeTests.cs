using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Services;

namespace KetaCare.Clinic.Tests;

public class CourseOutcomeTests
{
    [Fact]
    public void Compute_FollowUpEnteredInErrorOrAmended_UsesOnlyTheActiveValues()
    {
        var clock = Build.Clock();
        var (patient, _) = Build.EligiblePatient(clock);
        var (day1, day2) = (clock.Now.AddDays(1), clock.Now.AddDays(2));
        clock.Advance(TimeSpan.FromDays(2)); // a follow-up is recorded once it has happened
        var wrong = patient.Record(FollowUpPain.Create(day1, 9).Value, Build.Nurse, clock);
        var kept = patient.Record(FollowUpPain.Create(day2, 6).Value, Build.Nurse, clock);
        Assert.True(patient.MarkEnteredInError<FollowUpPain>(wrong.Id, "another patient's call", Build.Nurse, clock).IsSuccess);
        Assert.True(patient.Amend(kept.Id, FollowUpPain.Create(day2, 5).Value, "misheard", Build.Nurse, clock).IsSuccess);

        var c = OutcomeService.Compute(patient, [], null, clock.Now);

        Assert.Equal([5], c.FollowUps.Select(f => f.Nrs));
        Assert.Equal([5], c.Trajectory.Select(p => p.Nrs));
        Assert.Null(c.Baseline);
        Assert.Null(c.Responder);
        Assert.False(c.Predicted.IsSuccess);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void FollowUpPain_Range_Is0To10(int nrs, bool accepted)
    {
        var r = FollowUpPain.Create(Build.Start, nrs);

        Assert.Equal(accepted, r.IsSuccess);
        if (!accepted)
        {
            Assert.Contains("allowed range 0 to 10", r.Error, StringComparison.Ordinal);
        }
    }
}
