using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Portal;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Interop.Tests.Messaging;
using KetaCare.Tests;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Interop.Tests;

/// <summary>The portal's upcoming sessions carry the time and chair of their booking; a cancelled booking's do not.</summary>
public sealed class PortalBookingTests
{
    [Fact]
    public async Task Portal_BookedSession_ShowsItsTimeAndChair_UntilCancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var d = await SeededDatabase.CreateAsync();
        var clock = new MutableClock(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var (patient, plan, _) = await d.CrpsAsync();
        await using var provider = TestIdentity.Services(() => d.Database.Open(SeededDatabase.Reader, clock), clock);
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KetaCareDbContext>();
        var accounts = new PortalAccounts(scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>(), db, clock, new UnconfiguredPatientMessages());
        var invited = (await accounts.InviteAsync(patient.Id, new Uri("https://clinic.example/Account/Invitation"), SeededDatabase.Reader, ct)).Value;
        Assert.True((await accounts.AcceptAsync(invited.Link.Query.Split('=')[1], "a long and private phrase", ct)).IsSuccess);

        var scheduling = new SchedulingService(db, clock, TimeZoneInfo.Utc);
        var chair = (await scheduling.AddChairAsync("Chair 7", SeededDatabase.Reader, ct)).Value;
        var start = new DateTimeOffset(2026, 3, 9, 10, 30, 0, TimeSpan.Zero);
        var booked = await scheduling.BookAsync(new BookingCommand(plan.Id, chair.Id, start, new ReminderContact(null, null, "en")), SeededDatabase.Reader, ct);
        Assert.True(booked.IsSuccess, booked.Error);

        var portal = new PortalService(db, clock);
        var session = Assert.Single((await portal.ViewAsync(invited.Account, new DateOnly(2026, 3, 2), ct)).Value.Upcoming, s => s.Id == booked.Value.Session);
        Assert.Equal((start, "Chair 7"), (session.Start, session.Chair));

        Assert.True((await scheduling.CancelAsync(booked.Value.Id, booked.Value.Version, "patient asked", SeededDatabase.Reader, ct)).IsSuccess);
        Assert.DoesNotContain((await portal.ViewAsync(invited.Account, new DateOnly(2026, 3, 2), ct)).Value.Upcoming, s => s.Start is not null);
    }
}
