using KetaCare.Clinic.Findings;

namespace KetaCare.Interop.Text;

/// <summary>The English templates of the scheduling and outbox codes (their Turkish is in <see cref="Strings"/> like every other text).</summary>
public static partial class FindingText
{
    private static Dictionary<string, string> SchedulingTemplates() => new(StringComparer.Ordinal)
    {
        [FindingCodes.ScheduleOutsideHours] = "start: outside the opening hours; on {day} a booking must start from {opens} and end, recovery included, by {closes}, on a day the clinic is open.",
        [FindingCodes.ScheduleChairDoubleBooked] = "chair: {chair} is booked from {from} to {to}; choose another chair or time.",
        [FindingCodes.SchedulePatientDoubleBooked] = "patient: already booked from {from} to {to}.",
        [FindingCodes.ScheduleCapacityExceeded] = "capacity: the nurses on duty on {day} keep {capacity} patients in care at once; choose another time or add a nurse to the day.",
        [FindingCodes.ScheduleInPast] = "{field}: this time has passed; choose a time ahead.",
        [FindingCodes.ScheduleChairInactive] = "chair: {chair} is out of use.",
        [FindingCodes.ScheduleChairNameTaken] = "{field}: \"{name}\" is already the name of a chair.",
        [FindingCodes.ScheduleNotBooked] = "appointment: it is {status}, no longer booked.",
        [FindingCodes.ScheduleNoShowBeforeStart] = "no-show: the appointment starts at {start}; a no-show is recorded from then on.",
        [FindingCodes.ScheduleSessionBegun] = "appointment: its session is already {state}; it can no longer be cancelled.",
        [FindingCodes.ScheduleSettingOutOfRange] = "{field}: outside the allowed range {min} to {max}.",
        [FindingCodes.ScheduleContactInvalid] = "{field}: not a valid e-mail address, number or language (e-mail: name@domain; phone: + and 8 to 15 digits; language: en or tr).",
        [FindingCodes.ReminderNoAddress] = "not sendable: the chart has no e-mail address or mobile number.",
        [FindingCodes.ReminderNoConsent] = "not sendable: the patient has not agreed to reminders by e-mail or text message.",
        [FindingCodes.ChartContactEmailInvalid] = "{field}: not an e-mail address; write it as name@domain, at most 254 characters.",
        [FindingCodes.ChartContactPhoneInvalid] = "{field}: not an international mobile number; write + and the country code, then the number, 8 to 15 digits (e.g. +905321234567).",
        [FindingCodes.ChartContactLanguageUnknown] = "{field}: messages are written in English (en) or Turkish (tr).",
        [FindingCodes.ChartContactConsentWithoutAddress] = "{field}: consent to reminders needs the address of that channel; enter it or clear the consent.",
        [FindingCodes.OutboxKeyInvalid] = "{field}: required, at most {max} characters.",
        [FindingCodes.OutboxTemplateUnknown] = "template: \"{template}\" is not a message template.",
        [FindingCodes.OutboxNotRetriable] = "message: it is {state}; only a failed or not-configured message can be sent again.",
        [FindingCodes.OutboxNotWithdrawable] = "message: it is {state}; only a pending message can be withdrawn.",
        [FindingCodes.OutboxSecretGone] = "message: a {template} message's link was removed when it was set aside; send a new invitation instead.",
    };
}
