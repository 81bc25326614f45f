using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Schedule;

/// <summary>A week of the chair calendar, Monday to Sunday: each day's bookings, nurses on duty and capacity, linked to the day.</summary>
[Authorize(Policy = Policies.ReadClinical)]
public sealed class WeekModel(SchedulingService scheduling, ClinicRequest request, ClinicTime time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public DateOnly? Day { get; set; }

    public DateOnly Monday { get; private set; }

    public IReadOnlyList<(DateOnly Day, bool Open, DayCapacity Capacity, IReadOnlyList<AppointmentView> Appointments)> Days { get; private set; } = [];

    public ClinicTime Time => time;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var (monday, sunday) = SchedulingService.WeekOf(Day ?? time.Today(request.Clock));
        Monday = monday;
        var (settings, _) = await scheduling.SettingsAsync(cancellationToken);
        var appointments = await scheduling.RangeAsync(monday, sunday, request.RequiredUser, cancellationToken);
        var days = new List<(DateOnly, bool, DayCapacity, IReadOnlyList<AppointmentView>)>();
        for (var d = monday; d <= sunday; d = d.AddDays(1))
        {
            var day = d;
            days.Add((day, settings.OpenDays.Contains(day.DayOfWeek), await scheduling.CapacityAsync(day, cancellationToken), [.. appointments.Where(a => a.Day == day)]));
        }

        Days = days;
    }
}
