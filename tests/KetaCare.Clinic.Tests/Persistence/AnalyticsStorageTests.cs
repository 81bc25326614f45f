using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Services;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>The synthetic cohort written through the workflow into a real SQLite file, and the analytics read back from it.</summary>
public sealed class AnalyticsStorageTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    private static async Task<SqliteTestDatabase> CohortAsync(int count, int seed = DemoSeed.DefaultCohortSeed)
    {
        var t = new SqliteTestDatabase();
        await t.Database.MigrateAsync(TestContext.Current.CancellationToken);
        var r = await DemoSeed.CohortAsync(t.Database, Clock, count, seed, TestContext.Current.CancellationToken);
        Assert.True(r.IsSuccess, r.IsSuccess ? null : r.Error);
        return t;
    }

    [Fact]
    public async Task Cohort_SameSeed_SamePatientsSessionsAndScores()
    {
        await using var a = await CohortAsync(6);
        await using var b = await CohortAsync(6);

        var ca = await CoursesAsync(a);
        var cb = await CoursesAsync(b);

        Assert.Equal(6, ca.Count);
        Assert.Equal(
            ca.Select(c => (c.Pseudonym, c.ProtocolId, c.Sessions.Count, c.Baseline, c.ReductionPercent, c.Relapse)),
            cb.Select(c => (c.Pseudonym, c.ProtocolId, c.Sessions.Count, c.Baseline, c.ReductionPercent, c.Relapse)));
        Assert.Equal(ca.SelectMany(c => c.Sessions.Select(s => s.PlasmaAuc)), cb.SelectMany(c => c.Sessions.Select(s => s.PlasmaAuc)));
    }

    [Fact]
    public async Task Cohort_ToppedUp_WritesOnlyTheMissingPatientsAsInOneGo_AndACountOutsideTheRangeIsRefused()
    {
        await using var t = await CohortAsync(2);
        await using var whole = await CohortAsync(4);

        var again = await DemoSeed.CohortAsync(t.Database, Clock, 2, cancellationToken: TestContext.Current.CancellationToken);
        var more = await DemoSeed.CohortAsync(t.Database, Clock, 4, cancellationToken: TestContext.Current.CancellationToken);
        var tooMany = await DemoSeed.CohortAsync(t.Database, Clock, DemoSeed.MaxCohort + 1, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(again.Value.Seeded);
        Assert.Equal((true, 2), (more.Value.Seeded, more.Value.Patients));
        Assert.Equal(
            (await CoursesAsync(whole)).Select(c => (c.ProtocolId, c.Sessions.Count, c.Baseline, c.ReductionPercent)).Order(),
            (await CoursesAsync(t)).Select(c => (c.ProtocolId, c.Sessions.Count, c.Baseline, c.ReductionPercent)).Order());
        Assert.Equal(FindingCodes.InputOutOfRange, Assert.Single(tooMany.Findings).Code);
    }

    [Fact]
    public async Task Report_Cohort_EverySessionHasAnExposureAndTheAnalysisIsAudited()
    {
        await using var t = await CohortAsync(10);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);

        var report = await new AnalyticsService(db, Clock).ReportAsync(AnalyticsFilter.All, ExposureAxis.PlasmaAuc, DemoSeed.DemoPhysician, TestContext.Current.CancellationToken);

        Assert.Equal(10, report.Courses.Count);
        Assert.Equal(await db.Sessions.CountAsync(TestContext.Current.CancellationToken), report.Sessions);
        Assert.All(report.Courses.SelectMany(c => c.Sessions), s => Assert.True(s.PlasmaAuc > 0 && s.PlasmaCmax > 0));
        Assert.Equal(report.Sessions, report.ByCmax.Sum(b => b.AdverseEvent.Trials));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "analytics", TestContext.Current.CancellationToken));
        Assert.DoesNotContain(report.Courses, c => c.Pseudonym.Contains("SYN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_FilterBySex_OnlyThatSexAndTheRelapseLineFromTheSettingsInForce()
    {
        await using var t = await CohortAsync(10);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var settings = new SettingsService(db, Clock);
        Assert.True((await settings.ReviseAnalyticsSettingsAsync(new AnalyticsSettings(0.9), 0, "stricter relapse line for the audit", DemoSeed.DemoPhysician, TestContext.Current.CancellationToken)).IsSuccess);
        var refused = await settings.ReviseAnalyticsSettingsAsync(new AnalyticsSettings(1.2), 1, "too high", DemoSeed.DemoPhysician, TestContext.Current.CancellationToken);

        var report = await new AnalyticsService(db, Clock).ReportAsync(new AnalyticsFilter(Sex: Pharmacology.Models.Sex.Female), ExposureAxis.DoseMgPerKg, DemoSeed.DemoPhysician, TestContext.Current.CancellationToken);

        Assert.Equal(FindingCodes.InputOutOfRange, Assert.Single(refused.Findings).Code);
        Assert.Equal(0.9, report.Settings.RelapseFraction);
        Assert.All(report.Courses, c => Assert.Equal(Pharmacology.Models.Sex.Female, c.Sex));
        Assert.NotEmpty(report.Courses);
    }

    private static readonly UserId LockedPhysician = new(Guid.Parse("00000000-0000-0000-0000-0000000000c1"));

    // Every role of the clinic, and a locked physician: only an active physician identifies the courses.
    private static readonly IStaffDirectory Staff = new FixedStaffDirectory(
    [
        .. KetaCare.Clinic.Users.ClinicRoles.Stored.Select(role => new Sessions.StaffMember(RoleUser(role), true, [role])),
        new Sessions.StaffMember(LockedPhysician, false, [KetaCare.Clinic.Users.ClinicRoles.Physician]),
    ]);

    private static UserId RoleUser(string role) => new(new Guid(0x0a01_0000 + KetaCare.Clinic.Users.ClinicRoles.Stored.ToList().IndexOf(role), 0, 0, new byte[8]));

    public static TheoryData<string> Roles => new(KetaCare.Clinic.Users.ClinicRoles.Stored);

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task IdentifiedReport_EachRole_OnlyAnActivePhysicianSeesRecordNumbersAndNames(string role)
    {
        await using var t = await CohortAsync(3);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var by = RoleUser(role);

        var r = await new AnalyticsService(db, Clock, Staff).IdentifiedReportAsync(AnalyticsFilter.All, ExposureAxis.PlasmaAuc, "follow-up of relapses", by, TestContext.Current.CancellationToken);

        var identified = await db.AuditEvents.CountAsync(e => e.Action == "analytics-ident", TestContext.Current.CancellationToken);
        if (role == KetaCare.Clinic.Users.ClinicRoles.Physician)
        {
            Assert.True(r.IsSuccess, r.Error);
            var patients = await db.Patients.Where(p => p.MedicalRecordNumber.StartsWith("SYN-")).ToDictionaryAsync(p => p.MedicalRecordNumber, TestContext.Current.CancellationToken);
            Assert.Equal(r.Value.Courses.Select(c => c.Pseudonym).Order(), r.Value.Identities!.Keys.Order());
            Assert.All(r.Value.Identities!.Values, w => Assert.Equal((patients[w.MedicalRecordNumber].FamilyName, patients[w.MedicalRecordNumber].GivenName), (w.FamilyName, w.GivenName)));
            Assert.Equal(1, identified);
            Assert.Equal(r.Value.Identities!.Count, await db.AuditEvents.CountAsync(e => e.Action == "read" && e.EntityType == "analytics", TestContext.Current.CancellationToken));
        }
        else
        {
            Assert.Equal(FindingCodes.AnalyticsIdentifyNotPermitted, Assert.Single(r.Findings).Code);
            Assert.Equal(0, identified);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("locked")]
    [InlineData("long")]
    public async Task IdentifiedReport_NoReasonATooLongOneOrALockedPhysician_RefusedCodedAndNothingAudited(string? reason)
    {
        await using var t = await CohortAsync(2);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var by = reason == "locked" ? LockedPhysician : RoleUser(KetaCare.Clinic.Users.ClinicRoles.Physician);
        var text = reason switch { "locked" => "follow-up", "long" => new string('x', AnalyticsService.MaxReasonLength + 1), _ => reason };

        var r = await new AnalyticsService(db, Clock, Staff).IdentifiedReportAsync(AnalyticsFilter.All, ExposureAxis.PlasmaAuc, text, by, TestContext.Current.CancellationToken);

        Assert.Equal(reason == "locked" ? FindingCodes.AnalyticsIdentifyNotPermitted : FindingCodes.ReasonRequired, Assert.Single(r.Findings).Code);
        Assert.Equal(0, await db.AuditEvents.CountAsync(e => e.EntityType == "analytics", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task IdentifiedReport_ThenReport_AuditedApartWithTheReason_AndTheNextViewIsDeIdentifiedAgain()
    {
        await using var t = await CohortAsync(2);
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        var service = new AnalyticsService(db, Clock, Staff);
        var by = RoleUser(KetaCare.Clinic.Users.ClinicRoles.Physician);

        var named = await service.IdentifiedReportAsync(new AnalyticsFilter(Sex: Pharmacology.Models.Sex.Female), ExposureAxis.PlasmaAuc, "call back patients who relapsed", by, TestContext.Current.CancellationToken);
        var next = await service.ReportAsync(AnalyticsFilter.All, ExposureAxis.PlasmaAuc, by, TestContext.Current.CancellationToken);

        Assert.True(named.IsSuccess, named.Error);
        Assert.Null(next.Identities);
        var events = await db.AuditEvents.Where(e => e.EntityType == "analytics" && e.Action != "read").OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["analytics-ident", "analytics"], events.Select(e => e.Action));
        Assert.EndsWith("reason: call back patients who relapsed", events[0].Detail, StringComparison.Ordinal);
        Assert.Contains("Female", events[0].Detail, StringComparison.Ordinal);
    }

    private static async Task<IReadOnlyList<CourseFacts>> CoursesAsync(TestDatabase t)
    {
        await using var db = t.Database.Open(DemoSeed.DemoPhysician, Clock);
        return await new AnalyticsService(db, Clock).CoursesAsync(TestContext.Current.CancellationToken);
    }
}
