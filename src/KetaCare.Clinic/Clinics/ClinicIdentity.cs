using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Clinics;

/// <summary>
/// Who the clinic is, as its reports and patient documents print it: name, address, telephone, the number a patient
/// calls after a session (emergency contact), and the medicines regulator of the clinic's country that the leaflet
/// names. Set by the administrator; every text bounded and free of control characters.
/// </summary>
/// <param name="Name">The clinic's name, as on its letterhead.</param>
/// <param name="Address">Postal address (may span lines).</param>
/// <param name="Phone">The clinic's telephone.</param>
/// <param name="EmergencyContact">Whom a patient calls after a session with a problem (a number, and when it is staffed).</param>
/// <param name="Regulator">The medicines regulator of the clinic's country (e.g. "TİTCK (Türkiye)", "US FDA").</param>
public sealed record ClinicIdentity(string Name, string Address, string Phone, string EmergencyContact, string Regulator)
{
    /// <summary>What a clinic prints before its administrator has entered its identity: placeholders that say so.</summary>
    public static ClinicIdentity NotSet { get; } = new("(clinic name not set)", string.Empty, string.Empty, string.Empty, "the medicines regulator of your country");

    /// <summary>True when the administrator has entered the identity.</summary>
    public bool IsSet => !ReferenceEquals(this, NotSet) && Name != NotSet.Name;

    /// <summary>Name, address and telephone on one line, for page headers.</summary>
    public string Letterhead => string.Join(" · ", new[] { Name, Address.ReplaceLineEndings(", "), Phone }.Where(s => !string.IsNullOrWhiteSpace(s)));

    /// <summary>Checks every field; the refusal names the field and its limit.</summary>
    public Outcome Validate()
    {
        foreach (var (value, field, max, required, multiline) in new[]
        {
            (Name, "name", ChartInput.MaxShortTextLength, true, false),
            (Address, "address", 500, false, true),
            (Phone, "phone", 60, false, false),
            (EmergencyContact, "emergencyContact", ChartInput.MaxShortTextLength, false, false),
            (Regulator, "regulator", ChartInput.MaxShortTextLength, true, false),
        })
        {
            if (ChartInput.Text(value, field, max, required, multiline) is { IsSuccess: false } bad)
            {
                return bad;
            }
        }

        return Outcome.Ok();
    }
}
