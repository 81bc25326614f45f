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
    long Version);

/// <summary>A chair as lists show it.</summary>
/// <param name="Id">The chair.</param>
/// <param name="Name">Its name.</param>
/// <param name="Active">False when out of use.</param>
/// <param name="Version">Concurrency version.</param>
public sealed record ChairView(ChairId Id, string Name, bool Active, long Version);

/// <summary>Where reminders of a booking go. At least one of e-mail and phone; the language of the texts.</summary>
/// <param name="Email">E-mail address, or null.</param>
/// <param name="Phone">Mobile number in international form ("+90 …"), or null.</param>
/// <param name="Language">"en" or "tr".</param>
public sealed record ReminderContact(string? Email, string? Phone, string Language);

/// <summary>A booking: a session of the plan in a chair at a start time.</summary>
/// <param name="Plan">The active plan whose next session is booked.</param>
/// <param name="Chair">The chair.</param>
/// <param name="Start">Start (UTC).</param>
/// <param name="Contact">Where reminders go; null for none.</param>
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
