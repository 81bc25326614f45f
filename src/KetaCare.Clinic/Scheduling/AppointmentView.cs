namespace KetaCare.Clinic.Scheduling;

/// <summary>An appointment as calendars and lists show it.</summary>
/// <param name="Id">The appointment.</param>
/// <param name="Patient">The patient.</param>
/// <param name="RecordNumber">The patient's medical record number.</param>
/// <param name="PatientName">"Family, Given".</param>
/// <param name="Plan">The plan.</param>
/// <param name="Session">The planned session the booking created.</param>
/// <param name="Chair">The chair.</param>
/// <param name="ChairName">The chair's name.</param>
/// <param name="Day">Clinic-local day.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="End">End of infusion and recovery (UTC).</param>
/// <param name="Status">Booked, cancelled or no-show.</param>
/// <param name="Reason">The reason of a cancellation or no-show.</param>
/// <param name="Version">Concurrency version, for a cancellation or no-show.</param>
public sealed record AppointmentView(
    AppointmentId Id,
    PatientId Patient,
    string RecordNumber,
    string PatientName,
    PlanId Plan,
    SessionId Session,
    ChairId Chair,
    string ChairName,
    DateOnly Day,
    DateTimeOffset Start,
    DateTimeOffset End,
    AppointmentStatus Status,
    string? Reason,
    long Version)
{
    /// <summary>The booking's reminders as the outbox holds them, by due time: what went, what waits, what cannot go and why.</summary>
    public IReadOnlyList<ReminderStatus> Reminders { get; init; } = [];

    /// <summary>The code of the first reminder set aside as not sendable (<c>reminder.*</c>), or null when every reminder has somewhere to go.</summary>
    public string? NotSendableCode => Reminders.FirstOrDefault(r => r.State == Messaging.OutboxState.NotSendable)?.Code;
}

/// <summary>One reminder of a booking.</summary>
/// <param name="Template">Its template (appointment or checklist reminder).</param>
/// <param name="Channel">E-mail or text; null for a reminder with nowhere to go.</param>
/// <param name="State">Where it stands in the outbox.</param>
/// <param name="DueAt">When it falls due (UTC).</param>
/// <param name="Code">For a reminder not sendable or withdrawn after a contact change, the reason's code (<c>reminder.*</c>); else null.</param>
public sealed record ReminderStatus(string Template, Messaging.MessageChannel? Channel, Messaging.OutboxState State, DateTimeOffset DueAt, string? Code);

/// <summary>A chair as lists show it.</summary>
/// <param name="Id">The chair.</param>
/// <param name="Name">Its name.</param>
/// <param name="Active">False when out of use.</param>
/// <param name="Version">Concurrency version.</param>
public sealed record ChairView(ChairId Id, string Name, bool Active, long Version);

/// <summary>
/// Where the reminders of one booking go instead of the chart's contact details (an override; the chart is the default).
/// The patient's consent on the chart still decides which channels may be used.
/// </summary>
/// <param name="Email">E-mail address, or null.</param>
/// <param name="Phone">Mobile number in international form ("+90 …"), or null.</param>
/// <param name="Language">"en" or "tr".</param>
public sealed record ReminderContact(string? Email, string? Phone, string Language);

/// <summary>A booking: a session of the plan in a chair at a start time.</summary>
/// <param name="Plan">The active plan whose next session is booked.</param>
/// <param name="Chair">The chair.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="Contact">Where this booking's reminders go instead of the chart's contact details; null (the usual) for the chart's.</param>
public sealed record BookingCommand(PlanId Plan, ChairId Chair, DateTimeOffset Start, ReminderContact? Contact);

/// <summary>A free chair at a start time, as the slot finder proposes it.</summary>
/// <param name="Chair">The chair.</param>
/// <param name="ChairName">Its name.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="End">End of infusion and recovery (UTC).</param>
public sealed record FreeSlot(ChairId Chair, string ChairName, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A day's staffing and what it allows.</summary>
/// <param name="Day">The clinic-local day.</param>
/// <param name="NursesOnDuty">Nurses on duty (the settings' default when the day has no entry).</param>
/// <param name="Capacity">Patients in care at once.</param>
/// <param name="IsDefault">True when the day has no staffing entry of its own.</param>
public sealed record DayCapacity(DateOnly Day, int NursesOnDuty, int Capacity, bool IsDefault);
