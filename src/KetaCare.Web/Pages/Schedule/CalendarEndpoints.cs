using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Calendar;
using KetaCare.Web.Api;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Schedule;

/// <summary>
/// The iCalendar (.ics) files of the schedule (ReadClinical, audited reads): a patient's appointments, to hand over or
/// import into the patient's calendar, and a chair's appointments from today on. Cancelled and no-show appointments
/// stay in the file as CANCELLED, so a calendar that imported them earlier drops them.
/// </summary>
public static class CalendarEndpoints
{
    /// <summary>Maps the calendar files under <c>/exports/calendar</c>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var g = app.MapGroup("/exports/calendar").RequireAuthorization(Policies.ReadClinical).ExcludeFromDescription();
        g.MapGet("/patients/{id:guid}.ics", PatientAsync);
        g.MapGet("/chairs/{id:guid}.ics", ChairAsync);
    }

    private static async Task<IResult> PatientAsync(Guid id, SchedulingService scheduling, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var appointments = await scheduling.ForPatientAsync(new PatientId(id), request.RequiredUser, ct).ConfigureAwait(false);
        var (identity, _) = await new SettingsService(db, request.Clock).ClinicIdentityAsync(ct).ConfigureAwait(false);
        return File(CalendarFeed.ForPatient(appointments, identity.Name, CultureInfo.CurrentUICulture), $"ketacare-appointments-{id:N}.ics");
    }

    private static async Task<IResult> ChairAsync(Guid id, SchedulingService scheduling, ClinicRequest request, CancellationToken ct)
    {
        var chair = (await scheduling.ChairsAsync(true, ct).ConfigureAwait(false)).FirstOrDefault(c => c.Id == new ChairId(id));
        if (chair is null)
        {
            return ApiProblems.NotFound("chair", id);
        }

        var appointments = await scheduling.ForChairAsync(chair.Id, BookingRules.Day(request.Clock.GetUtcNow(), scheduling.Zone), request.RequiredUser, ct).ConfigureAwait(false);
        return File(CalendarFeed.ForChair(chair.Name, appointments.Value, CultureInfo.CurrentUICulture), $"ketacare-chair-{id:N}.ics");
    }

    private static IResult File(string text, string name) =>
        Results.File(System.Text.Encoding.UTF8.GetBytes(text), CalendarFeed.MediaType + "; charset=utf-8", name);
}
