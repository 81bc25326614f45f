using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace KetaCare.Web.Pages.Schedule;

/// <summary>
/// One day of the chair calendar: the day's appointments by chair and time, its nurses on duty and capacity, booking a
/// patient's active plan into a chair (refusals translated from their codes), and cancellation or no-show with a
/// reason. Every rule is <see cref="SchedulingService"/>'s.
/// </summary>
[Authorize(Policy = Policies.ReadClinical)]
public sealed class IndexModel(SchedulingService scheduling, ClinicRequest request, ClinicTime time, IAuthorizationService authorization, IStringLocalizer<Strings> T) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public DateOnly? Day { get; set; }

    [BindProperty]
    public string? RecordNumber { get; set; }

    [BindProperty]
    public Guid? ChairId { get; set; }

    [BindProperty]
    public string? Start { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public string? Language { get; set; }

    [BindProperty]
    public Guid? AppointmentId { get; set; }

    [BindProperty]
    public long ExpectedVersion { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public int? NursesOnDuty { get; set; }

    public DateOnly Shown => Day ?? time.Today(request.Clock);

    public IReadOnlyList<AppointmentView> Appointments { get; private set; } = [];

    public IReadOnlyList<ChairView> Chairs { get; private set; } = [];

    public DayCapacity? Capacity { get; private set; }

    public string? Error { get; private set; }

    public string? ErrorCodes { get; private set; }

    public bool CanSchedule { get; private set; }

    public ClinicTime Time => time;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        CanSchedule = await MaySchedule();
        Appointments = await scheduling.RangeAsync(Shown, Shown, request.RequiredUser, cancellationToken);
        Chairs = await scheduling.ChairsAsync(false, cancellationToken);
        Capacity = await scheduling.CapacityAsync(Shown, cancellationToken);
    }

    /// <summary>Books the active plan of the patient with the record number into the chair at the clinic-local start time.</summary>
    public async Task<IActionResult> OnPostBookAsync(CancellationToken cancellationToken)
    {
        if (!await MaySchedule())
        {
            return Forbid();
        }

        if (!time.TryParseLocal(Start, Shown, "start", out var start, out var error))
        {
            return await FailAsync(error!, null, cancellationToken);
        }

        var plan = await scheduling.ActivePlanAsync(RecordNumber ?? string.Empty, cancellationToken);
        if (!plan.IsSuccess)
        {
            return await FailAsync(null, plan.Refusal, cancellationToken);
        }

        var contact = string.IsNullOrWhiteSpace(Email) && string.IsNullOrWhiteSpace(Phone) ? null : new ReminderContact(Email, Phone, Language == "tr" ? "tr" : "en");
        var booked = await scheduling.BookAsync(new BookingCommand(plan.Value, new ChairId(ChairId ?? Guid.Empty), start, contact), request.RequiredUser, cancellationToken);
        if (!booked.IsSuccess)
        {
            return await FailAsync(null, booked.Refusal, cancellationToken);
        }

        var next = await scheduling.ProposeDatesAsync(plan.Value, cancellationToken);
        var dates = next.IsSuccess ? string.Join(", ", next.Value.Take(3).Select(ClinicTime.ShowDay)) : string.Empty;
        TempData["Message"] = dates.Length > 0
            ? T["Booked {0} in {1} at {2}. Next dates by the plan's interval: {3}.", booked.Value.RecordNumber, booked.Value.ChairName, time.ShowTime(booked.Value.Start), dates].Value
            : T["Booked {0} in {1} at {2}.", booked.Value.RecordNumber, booked.Value.ChairName, time.ShowTime(booked.Value.Start)].Value;
        return Redirect(Here(booked.Value.Day));
    }

    /// <summary>Cancels an appointment with a reason.</summary>
    public Task<IActionResult> OnPostCancelAsync(CancellationToken cancellationToken) =>
        EndAsync((id, v, r, by) => scheduling.CancelAsync(id, v, r, by, cancellationToken), T["Appointment cancelled."], cancellationToken);

    /// <summary>Records a no-show with a reason.</summary>
    public Task<IActionResult> OnPostNoShowAsync(CancellationToken cancellationToken) =>
        EndAsync((id, v, r, by) => scheduling.NoShowAsync(id, v, r, by, cancellationToken), T["No-show recorded."], cancellationToken);

    /// <summary>Sets the nurses on duty on the day shown.</summary>
    public async Task<IActionResult> OnPostStaffingAsync(CancellationToken cancellationToken)
    {
        if (!await MaySchedule())
        {
            return Forbid();
        }

        var r = await scheduling.SetStaffingAsync(Shown, NursesOnDuty ?? -1, Reason ?? string.Empty, request.RequiredUser, cancellationToken);
        if (!r.IsSuccess)
        {
            return await FailAsync(null, r.Refusal, cancellationToken);
        }

        TempData["Message"] = T["Nurses on duty saved: {0}, up to {1} patients in care at once.", r.Value.NursesOnDuty, r.Value.Capacity].Value;
        return Redirect(Here(Shown));
    }

    public static string Here(DateOnly day) => "/Schedule?day=" + ClinicTime.ShowDate(day);

    // Reading the calendar is ReadClinical (the page's policy); every change needs Schedule.
    private async Task<bool> MaySchedule() => (await authorization.AuthorizeAsync(User, Policies.Schedule)).Succeeded;

    private async Task<IActionResult> EndAsync(Func<AppointmentId, long, string, UserId, Task<Outcome<AppointmentView>>> end, string done, CancellationToken cancellationToken)
    {
        if (!await MaySchedule())
        {
            return Forbid();
        }

        var r = await end(new AppointmentId(AppointmentId ?? Guid.Empty), ExpectedVersion, Reason ?? string.Empty, request.RequiredUser);
        if (!r.IsSuccess)
        {
            return await FailAsync(null, r.Refusal, cancellationToken);
        }

        TempData["Message"] = done;
        return Redirect(Here(r.Value.Day));
    }

    private async Task<IActionResult> FailAsync(string? error, Refusal? refusal, CancellationToken cancellationToken)
    {
        Error = refusal is { } r ? FindingText.Render(r.Findings, r.Error, CultureInfo.CurrentCulture, time.Show) : error;
        ErrorCodes = refusal is { } c ? string.Join(' ', c.Findings.Select(f => f.Code)) : null;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
