namespace KetaCare.Clinic.Findings;

/// <summary>The codes of chair scheduling and of the message outbox.</summary>
public static partial class FindingCodes
{
    /// <summary>The start, or the end of infusion and recovery, falls outside the opening hours or on a closed day. Args: day, opens, closes.</summary>
    public const string ScheduleOutsideHours = "schedule.outside-hours";

    /// <summary>The chair is booked for part of the time asked. Args: chair, from, to (the other booking, clinic-local).</summary>
    public const string ScheduleChairDoubleBooked = "schedule.chair-double-booked";

    /// <summary>The patient has another booking for part of the time asked. Args: from, to (the other booking, clinic-local).</summary>
    public const string SchedulePatientDoubleBooked = "schedule.patient-double-booked";

    /// <summary>More patients would be in care at once than the nurses on duty can keep. Args: capacity, day.</summary>
    public const string ScheduleCapacityExceeded = "schedule.capacity-exceeded";

    /// <summary>A booking that starts before now. Args: field.</summary>
    public const string ScheduleInPast = "schedule.in-past";

    /// <summary>The chair is out of use. Args: chair.</summary>
    public const string ScheduleChairInactive = "schedule.chair-inactive";

    /// <summary>A chair name that is already taken. Args: field, name.</summary>
    public const string ScheduleChairNameTaken = "schedule.chair-name-taken";

    /// <summary>The appointment is not booked any more (cancelled or recorded as a no-show). Args: status.</summary>
    public const string ScheduleNotBooked = "schedule.not-booked";

    /// <summary>A no-show recorded before the appointment's start. Args: start.</summary>
    public const string ScheduleNoShowBeforeStart = "schedule.no-show-before-start";

    /// <summary>The appointment's session has begun, so the appointment can no longer be cancelled. Args: state.</summary>
    public const string ScheduleSessionBegun = "schedule.session-begun";

    /// <summary>A scheduling setting outside its range (times and day lists). Args: field, min, max.</summary>
    public const string ScheduleSettingOutOfRange = "schedule.setting-out-of-range";

    /// <summary>A reminder contact that is not an e-mail address or telephone number. Args: field.</summary>
    public const string ScheduleContactInvalid = "schedule.contact-invalid";

    /// <summary>An outbox key that is empty or longer than max characters. Args: field, max.</summary>
    public const string OutboxKeyInvalid = "outbox.key-invalid";

    /// <summary>A message template the outbox does not know. Args: template.</summary>
    public const string OutboxTemplateUnknown = "outbox.template-unknown";
}
