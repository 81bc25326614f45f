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

    /// <summary>A reminder not sendable: the chart has no e-mail address or mobile number for the patient. Stored as the reminder's last error; no args.</summary>
    public const string ReminderNoAddress = "reminder.no-address";

    /// <summary>A reminder not sendable: the chart has an address but the patient has not agreed to reminders by its channel. Stored as the reminder's last error; no args.</summary>
    public const string ReminderNoConsent = "reminder.no-consent";

    /// <summary>A patient's e-mail address that is not name@domain. Args: field.</summary>
    public const string ChartContactEmailInvalid = "chart.contact-email-invalid";

    /// <summary>A patient's mobile number that is not E.164 ("+", then 8 to 15 digits, the first not 0). Args: field.</summary>
    public const string ChartContactPhoneInvalid = "chart.contact-phone-invalid";

    /// <summary>A language of messages other than en or tr. Args: field.</summary>
    public const string ChartContactLanguageUnknown = "chart.contact-language-unknown";

    /// <summary>Consent to reminders by a channel the chart has no address for. Args: field.</summary>
    public const string ChartContactConsentWithoutAddress = "chart.contact-consent-without-address";

    /// <summary>An outbox key that is empty or longer than max characters. Args: field, max.</summary>
    public const string OutboxKeyInvalid = "outbox.key-invalid";

    /// <summary>A message template the outbox does not know. Args: template.</summary>
    public const string OutboxTemplateUnknown = "outbox.template-unknown";

    /// <summary>A message sent again that was not set aside (only failed or not-configured messages are). Args: state.</summary>
    public const string OutboxNotRetriable = "outbox.not-retriable";

    /// <summary>A message withdrawn that is not pending (sending, sent or already set aside). Args: state.</summary>
    public const string OutboxNotWithdrawable = "outbox.not-withdrawable";

    /// <summary>A message with secrets sent again: its secret parameters were emptied when it was set aside. Args: template.</summary>
    public const string OutboxSecretGone = "outbox.secret-gone";
}
