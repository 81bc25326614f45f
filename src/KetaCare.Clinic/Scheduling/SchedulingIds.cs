namespace KetaCare.Clinic.Scheduling;

/// <summary>Identifies an infusion chair (or room) of the clinic.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct ChairId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static ChairId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Identifies an appointment: one session of a plan booked into a chair at a start time.</summary>
/// <param name="Value">The underlying identifier.</param>
public readonly record struct AppointmentId(Guid Value)
{
    /// <summary>A new random id.</summary>
    public static AppointmentId New() => new(Guid.NewGuid());

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}

/// <summary>Where an appointment stands. Appointments are never deleted; a cancellation or no-show keeps the row with its reason.</summary>
public enum AppointmentStatus
{
    /// <summary>Holds its chair and a place in the day's capacity.</summary>
    Booked,

    /// <summary>Cancelled before it took place, with a reason; frees the chair.</summary>
    Cancelled,

    /// <summary>The patient did not come, with a reason; recorded after the start time.</summary>
    NoShow,
}
