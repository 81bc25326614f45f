using System.Globalization;
using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Scheduling;

/// <summary>
/// How the clinic books infusion chairs: opening hours and days (clinic-local time), how many patients one nurse keeps
/// in care at once, the nurses on duty on a day without its own staffing entry, and when reminders go out. Stored as a
/// versioned clinic setting (<see cref="Services.SchedulingService.SettingsKey"/>); every value is a labelled
/// assumption a clinic changes to its own practice.
/// </summary>
public sealed record SchedulingSettings
{
    /// <summary>Highest number of nurses on duty a day accepts.</summary>
    public const int MaxNursesOnDuty = 50;

    /// <summary>Highest number of patients one nurse keeps in care at once.</summary>
    public const int MaxPatientsPerNurse = 6;

    /// <summary>The latest a reminder may be queued before its appointment, hours (four weeks).</summary>
    public const int MaxReminderHours = 672;

    /// <summary>The built-in settings (version 0).</summary>
    public static SchedulingSettings Default { get; } = new();

    /// <summary>First start time of the day, clinic-local. Assumption: 08:00.</summary>
    public TimeOnly Opens { get; init; } = new(8, 0);

    /// <summary>Time by which every appointment (infusion and recovery) has ended, clinic-local. Assumption: 18:00.</summary>
    public TimeOnly Closes { get; init; } = new(18, 0);

    /// <summary>Days the clinic books. Assumption: Monday to Friday.</summary>
    public IReadOnlyList<DayOfWeek> OpenDays { get; init; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>
    /// Patients one nurse keeps in care at once, infusing or recovering. Assumption: 2, chosen by KetaCare (the clinical
    /// reference gives no staffing ratio for outpatient ketamine infusions); a clinic sets its own.
    /// </summary>
    public int PatientsPerNurse { get; init; } = 2;

    /// <summary>Nurses on duty on a day without a staffing entry. Assumption: 1.</summary>
    public int DefaultNursesOnDuty { get; init; } = 1;

    /// <summary>Hours before the start at which an appointment reminder is queued, one message per entry. Default: 48 and 24.</summary>
    public IReadOnlyList<int> ReminderHoursBefore { get; init; } = [48, 24];

    /// <summary>Hours before the start at which the pre-visit checklist reminder is queued. Default: 72.</summary>
    public int ChecklistReminderHoursBefore { get; init; } = 72;

    /// <summary>Step of the start times the slot finder proposes, minutes. Default: 15.</summary>
    public int SlotMinutes { get; init; } = 15;

    /// <summary>Patients in care at once on a day with <paramref name="nursesOnDuty"/> nurses.</summary>
    public int CapacityFor(int nursesOnDuty) => checked(nursesOnDuty * PatientsPerNurse);

    /// <summary>Checks every value; the refusal names the field and its allowed range.</summary>
    public Outcome Validate()
    {
        if (Closes <= Opens)
        {
            return Refusal.Coded(FindingCodes.ScheduleSettingOutOfRange, FindingArg.Of("field", "closes"), FindingArg.Of("min", Opens.ToString("HH:mm", CultureInfo.InvariantCulture)), FindingArg.Of("max", "23:59"));
        }

        if (OpenDays.Count == 0 || OpenDays.Distinct().Count() != OpenDays.Count || OpenDays.Any(d => !Enum.IsDefined(d)))
        {
            return Refusal.Coded(FindingCodes.ScheduleSettingOutOfRange, FindingArg.Of("field", "openDays"), FindingArg.Of("min", "1"), FindingArg.Of("max", "7"));
        }

        foreach (var (field, value, min, max) in new[]
        {
            ("patientsPerNurse", PatientsPerNurse, 1, MaxPatientsPerNurse),
            ("defaultNursesOnDuty", DefaultNursesOnDuty, 0, MaxNursesOnDuty),
            ("checklistReminderHoursBefore", ChecklistReminderHoursBefore, 0, MaxReminderHours),
            ("slotMinutes", SlotMinutes, 5, 120),
        })
        {
            if (value < min || value > max)
            {
                return Refusal.OutOfRange(field, value, min, max);
            }
        }

        return ReminderHoursBefore.Count > 5 || ReminderHoursBefore.Any(h => h < 1 || h > MaxReminderHours)
            ? Refusal.OutOfRange("reminderHoursBefore", ReminderHoursBefore.Count > 5 ? ReminderHoursBefore.Count : ReminderHoursBefore.First(h => h < 1 || h > MaxReminderHours), 1, MaxReminderHours)
            : Outcome.Ok();
    }
}
