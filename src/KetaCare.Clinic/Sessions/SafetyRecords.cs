using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Users;

namespace KetaCare.Clinic.Sessions;

/// <summary>
/// A member of staff as the clinic's user directory knows them at the moment of a step: whether the account is
/// active (not locked or disabled) and which roles it holds. The workflow looks it up; the session checks it, so no
/// face can pass an unregistered id as a checker or an overriding physician.
/// </summary>
/// <param name="Id">The user.</param>
/// <param name="Active">False for a locked or disabled account.</param>
/// <param name="Roles">Role names (<see cref="ClinicRoles"/>).</param>
public sealed record StaffMember(UserId Id, bool Active, IReadOnlyCollection<string> Roles)
{
    /// <summary>True for an active physician.</summary>
    public bool IsActivePhysician => Active && Roles.Contains(ClinicRoles.Physician, StringComparer.Ordinal);

    /// <summary>True for an active nurse or physician (the clinical roles that may check a pump program).</summary>
    public bool IsActiveClinician => Active && (Roles.Contains(ClinicRoles.Nurse, StringComparer.Ordinal) || Roles.Contains(ClinicRoles.Physician, StringComparer.Ordinal));

    /// <summary>True for an active nurse, physician or stock keeper (the roles that keep and witness the controlled-substance register).</summary>
    public bool IsActiveStockHandler => IsActiveClinician || (Active && Roles.Contains(ClinicRoles.StockKeeper, StringComparer.Ordinal));
}

/// <summary>A physician's override of findings that need one, with the reason given.</summary>
/// <param name="Physician">The overriding physician, as the directory knows them.</param>
/// <param name="Reason">Why (1 to <see cref="MaxReasonLength"/> characters).</param>
public sealed record PhysicianOverride(StaffMember Physician, string Reason)
{
    /// <summary>Longest reason kept, characters.</summary>
    public const int MaxReasonLength = 500;
}

/// <summary>A recorded override: which step, which finding codes, who, why and when.</summary>
/// <param name="Step">"start", "resume", "discharge".</param>
/// <param name="Codes">The codes overridden.</param>
/// <param name="Reason">The physician's reason.</param>
/// <param name="By">The physician.</param>
/// <param name="At">When (UTC).</param>
public sealed record SafetyOverride(string Step, IReadOnlyList<string> Codes, string Reason, UserId By, DateTimeOffset At);

/// <summary>An alert acknowledged by a named user with the action taken.</summary>
/// <param name="AlertIndex">Position of the alert in <see cref="InfusionSession.Alerts"/>.</param>
/// <param name="ActionTaken">What was done (e.g. "paused, oxygen 2 L/min, SpO₂ back to 96 %").</param>
/// <param name="By">Who acknowledged it.</param>
/// <param name="At">When (UTC).</param>
public sealed record AlertAcknowledgement(int AlertIndex, string ActionTaken, UserId By, DateTimeOffset At);

/// <summary>What the second checker reads on the pump and the label, without seeing the program.</summary>
/// <param name="RateMlPerHour">Rate shown on the pump, mL/h.</param>
/// <param name="VtbiMl">Volume to be infused shown on the pump, mL.</param>
/// <param name="ConcentrationMgPerMl">Concentration on the bag or syringe label, mg/mL.</param>
/// <param name="WeightKg">Weight on the label or chart the checker used, kg.</param>
public sealed record PumpReading(double RateMlPerHour, double VtbiMl, double ConcentrationMgPerMl, double WeightKg);

/// <summary>One second-check attempt: who, when, and the mismatches found (none when it matched).</summary>
/// <param name="By">The checker.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Reading">What the checker read.</param>
/// <param name="Mismatches">One <see cref="FindingCodes.CheckMismatch"/> per value that differs; empty when it matched.</param>
public sealed record SecondCheckAttempt(UserId By, DateTimeOffset At, PumpReading Reading, IReadOnlyList<Finding> Mismatches)
{
    /// <summary>True when every value matched the program.</summary>
    public bool Matched => Mismatches.Count == 0;
}
