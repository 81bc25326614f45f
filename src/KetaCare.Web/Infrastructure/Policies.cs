using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Authorization;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// The authorisation policies: one per kind of action, each naming the roles allowed (issue: only a physician
/// prescribes, signs eligibility or overrides a soft limit; a nurse records sessions; the auditor reads but never
/// writes; nobody without a role sees patient data). Pages and API endpoints name a policy, never a role.
/// </summary>
public static class Policies
{
    /// <summary>Read patient data (charts, plans, sessions, outcomes): Physician, Nurse, Auditor.</summary>
    public const string ReadClinical = "ReadClinical";

    /// <summary>Register patients and record chart entries (weights, conditions, medications, consents): Physician, Nurse.</summary>
    public const string RecordPatient = "RecordPatient";

    /// <summary>Run the eligibility rule set: Physician, Nurse.</summary>
    public const string Screen = "Screen";

    /// <summary>Prescribe, sign eligibility, override a soft limit, accept or override titration: Physician.</summary>
    public const string Prescribe = "Prescribe";

    /// <summary>Record a session (pre-assessment, pump program, start/pause/stop, observations, adverse events, discharge): Nurse.</summary>
    public const string RecordSession = "RecordSession";

    /// <summary>
    /// Schedule a session of a plan at its current dose (no dosing decision), book it into a chair, cancel an appointment
    /// or record a no-show, set the nurses on duty: Nurse, or Physician — on the page and through the API alike.
    /// </summary>
    public const string Schedule = "Schedule";

    /// <summary>Second-person check of a pump program: Nurse or Physician (never the programmer, checked by the domain).</summary>
    public const string SecondCheck = "SecondCheck";

    /// <summary>Read the controlled-substance register (balances, ledger, discrepancies): Physician, Nurse, Auditor, Stock keeper.</summary>
    public const string ReadStock = "ReadStock";

    /// <summary>Record a session's controlled-substance steps (draw, preparation, waste of the remainder): Physician, Nurse; the witness is checked by the domain.</summary>
    public const string RecordStock = "RecordStock";

    /// <summary>
    /// Keep the register (products, locations, receipts, transfers, wastes at a location, returns, holds, counts, discrepancies):
    /// Physician, Nurse, Stock keeper; the witness is checked by the domain, which also refuses a stock keeper a session's step.
    /// </summary>
    public const string KeepStock = "KeepStock";

    /// <summary>Run what-if simulations (no patient data): any role.</summary>
    public const string Simulate = "Simulate";

    /// <summary>Users and roles, protocol library, drug library, alert thresholds, infusion chairs: Admin.</summary>
    public const string Administer = "Administer";

    /// <summary>Search the audit log and verify the chain: Auditor.</summary>
    public const string Audit = "Audit";

    /// <summary>Any signed-in user, with or without a role: changing one's own password.</summary>
    public const string SignedIn = "SignedIn";

    /// <summary>The reference pages (sources): every clinic role.</summary>
    public const string Reference = "Reference";

    /// <summary>
    /// The patient portal: a patient's own account (role Patient) only. Every portal handler also resolves the patient
    /// from the account itself (PortalService), so no id in a request reaches another patient's record.
    /// </summary>
    public const string Portal = "Portal";

    /// <summary>The clinic analytics: physicians and administrators (de-identified; no patient is named).</summary>
    public const string Analyse = "Analyse";

    /// <summary>Roles allowed per policy; the single table the authorisation matrix tests read.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [ReadClinical] = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor],
        [RecordPatient] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [Screen] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [Prescribe] = [ClinicRoles.Physician],
        [RecordSession] = [ClinicRoles.Nurse],
        [Schedule] = [ClinicRoles.Nurse, ClinicRoles.Physician],
        [SecondCheck] = [ClinicRoles.Nurse, ClinicRoles.Physician],
        [ReadStock] = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.Auditor, ClinicRoles.StockKeeper],
        [RecordStock] = [ClinicRoles.Physician, ClinicRoles.Nurse],
        [KeepStock] = [ClinicRoles.Physician, ClinicRoles.Nurse, ClinicRoles.StockKeeper],
        [Simulate] = [.. ClinicRoles.All],
        [Administer] = [ClinicRoles.Admin],
        [Audit] = [ClinicRoles.Auditor],
        [Reference] = [.. ClinicRoles.All],
        [Portal] = [ClinicRoles.Patient],
        [Analyse] = [ClinicRoles.Physician, ClinicRoles.Admin],
    };

    /// <summary>
    /// Adds every policy; anything not marked anonymous needs a signed-in user with at least one clinic role (the
    /// Patient role is not one: a patient reaches only the pages and endpoints that name <see cref="Portal"/>).
    /// </summary>
    public static AuthorizationBuilder AddClinicPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (name, roles) in Roles)
        {
            builder.AddPolicy(name, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }

        builder.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        var anyRole = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(ClinicRoles.All).Build();
        builder.SetFallbackPolicy(anyRole);
        builder.SetDefaultPolicy(anyRole);
        return builder;
    }
}
