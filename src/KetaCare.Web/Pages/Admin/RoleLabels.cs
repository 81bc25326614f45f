using KetaCare.Clinic.Users;

namespace KetaCare.Web.Pages.Admin;

/// <summary>The English text of a role's name (a text key; "Admin" alone is the menu's word for administration).</summary>
public static class RoleLabels
{
    /// <summary>"Administrator", "Physician", "Nurse", "Auditor", "Stock keeper".</summary>
    public static string Of(string role) => role switch
    {
        ClinicRoles.Admin => "Administrator",
        ClinicRoles.StockKeeper => "Stock keeper",
        _ => role,
    };
}
