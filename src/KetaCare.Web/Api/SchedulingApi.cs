using KetaCare.Clinic;
using KetaCare.Clinic.Scheduling;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>
/// Infusion-chair scheduling: chairs, the nurses on duty per day, the calendar, booking a plan's session into a chair at
/// a start time, cancellation and no-show with a reason, and the dates a plan's interval proposes. Each call is one
/// method of <see cref="SchedulingService"/>, which holds every rule; a refusal comes back as its coded findings (a
/// double-booked chair or patient and a full day answer 409, other refusals 400).
/// </summary>
internal static class SchedulingApi
{
    private const string Tag = "Scheduling";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/chairs", async (SchedulingService s, CancellationToken ct) => TypedResults.Ok((await s.ChairsAsync(true, ct).ConfigureAwait(false)).Select(ChairApiView.From).ToList()))
            .RequireAuthorization(Policies.ReadClinical).WithTags(Tag).WithName("ListChairs").WithSummary("The infusion chairs and rooms, in use or not.").Produces<IReadOnlyList<ChairApiView>>();
        api.MapPost("/chairs", AddChairAsync)
            .RequireAuthorization(Policies.Administer).WithTags(Tag).WithName("AddChair").WithSummary("Adds a chair or room (name, unique, at most 64 characters).")
            .Accepts<NewChairBody>("application/json").Produces<ChairApiView>(StatusCodes.Status201Created).ProducesValidationProblem();
        api.MapPost("/schedule/staffing", StaffingAsync)
            .RequireAuthorization(Policies.Schedule).WithTags(Tag).WithName("SetStaffing").WithSummary("Sets the nurses on duty on a day (0–50), with a reason; the day's capacity is nurses × patients per nurse.")
            .Accepts<StaffingBody>("application/json").Produces<DayCapacity>().ProducesValidationProblem();
        api.MapGet("/schedule", RangeAsync)
            .RequireAuthorization(Policies.ReadClinical).WithTags(Tag).WithName("ListAppointments").WithSummary("The appointments from one clinic-local day to another (from, to: yyyy-MM-dd; at most 31 days), by start; every patient listed is an audited read.")
            .Produces<IReadOnlyList<AppointmentApiView>>().ProducesValidationProblem();
        api.MapPost("/appointments", BookAsync)
            .RequireAuthorization(Policies.Schedule).WithTags(Tag).WithName("BookAppointment").WithSummary("Books the plan's next session into a chair at a start time (ISO 8601 with Z or an offset); optional reminder e-mail, phone (+ and 8–15 digits) and language (en or tr).")
            .Accepts<BookingBody>("application/json").Produces<AppointmentApiView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/appointments/{id:guid}/cancel", (Guid id, JsonBody<EndBody> body, SchedulingService s, ClinicRequest request, CancellationToken ct) =>
                EndAsync(body, b => s.CancelAsync(new AppointmentId(id), b.ExpectedVersion!.Value, b.Reason ?? string.Empty, request.RequiredUser, ct)))
            .RequireAuthorization(Policies.Schedule).WithTags(Tag).WithName("CancelAppointment").WithSummary("Cancels a booked appointment with a reason, against the version read: frees the chair, cancels its planned session and withdraws its reminders.")
            .Accepts<EndBody>("application/json").Produces<AppointmentApiView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/appointments/{id:guid}/no-show", (Guid id, JsonBody<EndBody> body, SchedulingService s, ClinicRequest request, CancellationToken ct) =>
                EndAsync(body, b => s.NoShowAsync(new AppointmentId(id), b.ExpectedVersion!.Value, b.Reason ?? string.Empty, request.RequiredUser, ct)))
            .RequireAuthorization(Policies.Schedule).WithTags(Tag).WithName("RecordNoShow").WithSummary("Records that the patient did not come (from the start time on), with a reason, against the version read.")
            .Accepts<EndBody>("application/json").Produces<AppointmentApiView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/plans/{id:guid}/proposed-dates", ProposeAsync)
            .RequireAuthorization(Policies.ReadClinical).WithTags(Tag).WithName("ProposeDates").WithSummary("The dates of the plan's remaining sessions from its interval, on open days, with the free chairs and start times of the first.")
            .Produces<ProposalView>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> AddChairAsync(JsonBody<NewChairBody> body, SchedulingService s, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var b);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var r = await s.AddChairAsync(b.Name ?? string.Empty, request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Created($"/api/v1/chairs/{r.Value.Id}", ChairApiView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> StaffingAsync(JsonBody<StaffingBody> body, SchedulingService s, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var b);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var day = input.Required(b.Day, "day", "the clinic-local day, yyyy-MM-dd");
        var nurses = input.Required(b.NursesOnDuty, "nursesOnDuty", "nurses on duty, 0 to 50");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await s.SetStaffingAsync(day!.Value, nurses!.Value, b.Reason ?? string.Empty, request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Ok(r.Value) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> RangeAsync(DateOnly? from, DateOnly? to, SchedulingService s, ClinicRequest request, CancellationToken ct)
    {
        var first = from ?? BookingRules.Day(request.Clock.GetUtcNow(), s.Zone);
        var last = to ?? first;
        if (last < first || last.DayNumber - first.DayNumber > 31)
        {
            return ApiProblems.Invalid(["to: must be on or after from and at most 31 days later."]);
        }

        return TypedResults.Ok((await s.RangeAsync(first, last, request.RequiredUser, ct).ConfigureAwait(false)).Select(AppointmentApiView.From).ToList());
    }

    private static async Task<IResult> BookAsync(JsonBody<BookingBody> body, SchedulingService s, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var b);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var plan = input.Required(b.PlanId, "planId", "the plan whose next session is booked");
        var chair = input.Required(b.ChairId, "chairId", "the chair, from GET /api/v1/chairs");
        var start = input.Required(b.Start, "start", "ISO 8601 with Z or an offset") is { } text ? input.UtcTime(text, "start") : null;
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var contact = b.Email is null && b.Phone is null ? null : new ReminderContact(b.Email, b.Phone, b.Language ?? "en");
        var r = await s.BookAsync(new BookingCommand(new PlanId(plan!.Value), new ChairId(chair!.Value), start!.Value, contact), request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Created($"/api/v1/appointments/{r.Value.Id}", AppointmentApiView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> EndAsync(JsonBody<EndBody> body, Func<EndBody, Task<Outcome<AppointmentView>>> end)
    {
        var input = ApiInput.From(body, out var b);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        input.Required(b.ExpectedVersion, "expectedVersion", "the appointment version you read");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var r = await end(b).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Ok(AppointmentApiView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> ProposeAsync(Guid id, SchedulingService s, CancellationToken ct)
    {
        var dates = await s.ProposeDatesAsync(new PlanId(id), ct).ConfigureAwait(false);
        if (!dates.IsSuccess)
        {
            return ApiProblems.Refused(dates.Refusal);
        }

        var slots = dates.Value.Count > 0 ? await s.FreeSlotsAsync(new PlanId(id), dates.Value[0], 20, ct).ConfigureAwait(false) : Outcome<IReadOnlyList<FreeSlot>>.Ok([]);
        return slots.IsSuccess ? TypedResults.Ok(new ProposalView(dates.Value, [.. slots.Value.Select(x => new SlotView(x.Chair.Value, x.ChairName, x.Start, x.End))])) : ApiProblems.Refused(slots.Refusal);
    }
}

/// <summary>A new chair.</summary>
/// <param name="Name">Unique name, at most 64 characters.</param>
public sealed record NewChairBody(string? Name);

/// <summary>The nurses on duty on a day.</summary>
/// <param name="Day">Clinic-local day.</param>
/// <param name="NursesOnDuty">0 to 50.</param>
/// <param name="Reason">Why (required).</param>
public sealed record StaffingBody(DateOnly? Day, int? NursesOnDuty, string? Reason);

/// <summary>A booking.</summary>
/// <param name="PlanId">The active plan.</param>
/// <param name="ChairId">The chair.</param>
/// <param name="Start">Start, ISO 8601 with Z or an offset.</param>
/// <param name="Email">Reminder e-mail for this booking only, instead of the chart's; usually left out.</param>
/// <param name="Phone">Reminder mobile number for this booking only (+ and 8–15 digits), instead of the chart's; usually left out.</param>
/// <param name="Language">Language of this booking's own reminders (with Email or Phone): en (default) or tr; otherwise the chart's.</param>
public sealed record BookingBody(Guid? PlanId, Guid? ChairId, string? Start, string? Email, string? Phone, string? Language);

/// <summary>A cancellation or no-show.</summary>
/// <param name="ExpectedVersion">The appointment version read.</param>
/// <param name="Reason">Why (1–500 characters).</param>
public sealed record EndBody(long? ExpectedVersion, string? Reason);

/// <summary>The dates of a plan's remaining sessions and the free slots of the first.</summary>
/// <param name="Dates">Clinic-local days, in order.</param>
/// <param name="FirstDaySlots">Free chairs and start times on the first date.</param>
public sealed record ProposalView(IReadOnlyList<DateOnly> Dates, IReadOnlyList<SlotView> FirstDaySlots);

/// <summary>A free chair at a start time.</summary>
/// <param name="ChairId">The chair.</param>
/// <param name="ChairName">Its name.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="End">End of infusion and observation (UTC).</param>
public sealed record SlotView(Guid ChairId, string ChairName, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A chair as the API shows it.</summary>
/// <param name="Id">The chair.</param>
/// <param name="Name">Its name.</param>
/// <param name="Active">False when out of use.</param>
/// <param name="Version">Concurrency version.</param>
public sealed record ChairApiView(Guid Id, string Name, bool Active, long Version)
{
    internal static ChairApiView From(ChairView c) => new(c.Id.Value, c.Name, c.Active, c.Version);
}

/// <summary>An appointment as the API shows it.</summary>
/// <param name="Id">The appointment.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="RecordNumber">The patient's record number.</param>
/// <param name="PlanId">The plan.</param>
/// <param name="SessionId">The planned session the booking created.</param>
/// <param name="ChairId">The chair.</param>
/// <param name="ChairName">Its name.</param>
/// <param name="Day">Clinic-local day.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="End">End of infusion and observation (UTC).</param>
/// <param name="Status">Booked, Cancelled or NoShow.</param>
/// <param name="Reason">The reason of a cancellation or no-show.</param>
/// <param name="Version">Send it back as expectedVersion to cancel or record a no-show.</param>
public sealed record AppointmentApiView(Guid Id, Guid PatientId, string RecordNumber, Guid PlanId, Guid SessionId, Guid ChairId, string ChairName, DateOnly Day, DateTimeOffset Start, DateTimeOffset End, AppointmentStatus Status, string? Reason, long Version)
{
    /// <summary>The booking's reminders: template, channel (null for one with nowhere to go), outbox state, due time and, for one not sendable, the reason's code (reminder.no-address, reminder.no-consent).</summary>
    public IReadOnlyList<ReminderStatus> Reminders { get; init; } = [];

    internal static AppointmentApiView From(AppointmentView a) =>
        new(a.Id.Value, a.Patient.Value, a.RecordNumber, a.Plan.Value, a.Session.Value, a.Chair.Value, a.ChairName, a.Day, a.Start, a.End, a.Status, a.Reason, a.Version) { Reminders = a.Reminders };
}
