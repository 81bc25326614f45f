using System.Globalization;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Protocols;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Patients;

/// <summary>How the patient pages show clinical values: numbers in the user's culture with safe notation, units as ISMP writes them.</summary>
public static class PatientView
{
    /// <summary>"0,5 mg/kg/sa" in Turkish, "0.5 mg/kg/h" in English.</summary>
    public static string Dose(DoseLevel dose) => TextFormat.Dose(dose, CultureInfo.CurrentCulture);

    /// <summary>A dose level's unit in the user's language, with its leading space.</summary>
    public static string Unit(DoseBasis basis) => " " + WebNumber.Unit(TextFormat.DoseUnit(basis));

    /// <summary>"Bag 1 mg/mL, 250 mL".</summary>
    public static string Preparation(Preparation preparation)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        return TextFormat.Preparation(preparation, CultureInfo.CurrentCulture);
    }

    /// <summary>The badge class of a screening result.</summary>
    public static string ResultClass(EligibilityResult result) => result switch
    {
        EligibilityResult.Eligible => "ok",
        EligibilityResult.NotEligible => "bad",
        _ => "warn",
    };

    /// <summary>The badge class of a rule finding.</summary>
    public static string LevelClass(FindingLevel level) => level switch
    {
        FindingLevel.Pass => "ok",
        FindingLevel.Warning => "warn",
        FindingLevel.Review => "warn",
        _ => "bad",
    };

    /// <summary>The badge class of a dose-limit finding.</summary>
    public static string SeverityClass(LimitSeverity severity) => severity == LimitSeverity.Hard ? "bad" : "warn";
}
