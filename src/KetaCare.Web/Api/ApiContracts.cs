using KetaCare.Clinic;
using KetaCare.Clinic.Protocols;

namespace KetaCare.Web.Api;

/// <summary>
/// One version of one chart entry as the API shows it. Entries are never deleted: an amendment adds a version and
/// marks the previous one Amended; a mistake is marked EnteredInError; both keep the reason.
/// </summary>
/// <typeparam name="T">The recorded value.</typeparam>
/// <param name="Id">The entry's id, shared by all its versions.</param>
/// <param name="Revision">1 for the first version, +1 per amendment.</param>
/// <param name="Status">Active, Amended or EnteredInError.</param>
/// <param name="RecordedAt">When this version was recorded (UTC).</param>
/// <param name="RecordedBy">Who recorded it (user id).</param>
/// <param name="Reason">Why it was amended or marked in error; null for a first entry.</param>
/// <param name="Value">What was recorded.</param>
public sealed record Entry<T>(Guid Id, int Revision, EntryStatus Status, DateTime RecordedAt, Guid RecordedBy, string? Reason, T Value);

/// <summary>Conversions from the domain to the API's JSON shapes.</summary>
internal static class ApiJson
{
    /// <summary>Every version of every entry, in recording order.</summary>
    public static IReadOnlyList<Entry<TOut>> Entries<T, TOut>(ChartHistory<T> history, Func<T, TOut> map)
        where T : notnull =>
        [.. history.All.Select(e => new Entry<TOut>(e.Id.Value, e.Revision, e.Status, Utc(e.RecordedAt), e.RecordedBy.Value, e.Reason, map(e.Value)))];

    /// <summary>A clinical time as a UTC <see cref="DateTime"/>, which JSON writes as ISO 8601 with "Z".</summary>
    public static DateTime Utc(DateTimeOffset at) => at.UtcDateTime;

    /// <summary>A protocol dose level with its unit (mg/kg/h, mg/kg or mg).</summary>
    public static Quantity Dose(DoseLevel dose) => Quantity.Of(dose.Value, Unit(dose.Basis));

    /// <summary>A dose level from a quantity; the unit must be one of the protocol dose units.</summary>
    public static Outcome<DoseLevel> Dose(Quantity? quantity, string field) =>
        quantity is null
            ? new Refusal($"{field}: required, e.g. {{\"value\":0.5,\"unit\":\"mg/kg/h\"}}.")
            : DoseLevel.Parse(quantity.Text, field);

    private static string Unit(DoseBasis basis) => basis switch
    {
        DoseBasis.MgPerKgPerHour => "mg/kg/h",
        DoseBasis.MgPerKg => "mg/kg",
        _ => "mg",
    };
}
