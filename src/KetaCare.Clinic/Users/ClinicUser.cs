using Microsoft.AspNetCore.Identity;

namespace KetaCare.Clinic.Users;

/// <summary>
/// A person who signs in to KetaCare. Stored by ASP.NET Core Identity in the clinic database, so that the id the
/// audit log records (<see cref="UserId"/>) is the same everywhere (web, API, CLI).
/// </summary>
public sealed class ClinicUser : IdentityUser<Guid>
{
    /// <summary>Name shown on screens, reports and signatures, e.g. "Dr A. Yılmaz".</summary>
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>True for the demo accounts of the Development seed; production refuses to start while one exists.</summary>
    public bool IsDemo { get; set; }

    /// <summary>When the account was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The id the clinic records carry.</summary>
    public UserId ClinicId => new(Id);
}

/// <summary>
/// The five clinic roles; every permission of the clinic's pages and API is one of these (docs/architecture.md, Faces).
/// The <see cref="Patient"/> role stands apart: it is not in <see cref="All"/>, so no staff page, API endpoint or
/// administrator's role choice ever includes it.
/// </summary>
public static class ClinicRoles
{
    /// <summary>Manages users, protocols, the drug library and alert thresholds; sees no patient data by this role alone.</summary>
    public const string Admin = "Admin";

    /// <summary>Screens, signs eligibility, prescribes, overrides soft limits, accepts titration.</summary>
    public const string Physician = "Physician";

    /// <summary>Runs sessions: pre-assessment, pump program, observations, adverse events, discharge.</summary>
    public const string Nurse = "Nurse";

    /// <summary>Reads everything including the audit log; writes nothing.</summary>
    public const string Auditor = "Auditor";

    /// <summary>
    /// A patient's portal account: linked to exactly one patient, sees only that patient's own record and reports, and
    /// nothing else. Given only by accepting an invitation (<see cref="Portal.PortalAccounts"/>), never by an administrator.
    /// </summary>
    public const string Patient = "Patient";

    /// <summary>
    /// Keeps the controlled-substance stock: receipts, transfers, counts, returns, wastes at a location, holds and
    /// discrepancies, and witnesses them; reads the register; sees no chart and takes no part in a session except as a
    /// witness of a draw or a waste.
    /// </summary>
    public const string StockKeeper = "StockKeeper";

    /// <summary>All clinic roles, in display order (without <see cref="Patient"/>).</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, Physician, Nurse, Auditor, StockKeeper];

    /// <summary>Every role the database holds: the clinic roles and <see cref="Patient"/>.</summary>
    public static IReadOnlyList<string> Stored { get; } = [.. All, Patient];
}
