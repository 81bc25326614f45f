using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Protocols;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.Patients;

/// <summary>How the patient pages show clinical values: numbers in the user's culture with safe notation, units as ISMP writes them.</summary>
public static class PatientView
{
    /// <summary>"0,5 mg/kg/h" in Turkish, "0.5 mg/kg/h" in English.</summary>
    public static string Dose(DoseLevel dose) => WebNumber.Show(dose.Value) + Unit(dose.Basis);

    /// <summary>A dose level's unit with its leading space.</summary>
    public static string Unit(DoseBasis basis) => basis switch
    {
        DoseBasis.MgPerKgPerHour => " mg/kg/h",
        DoseBasis.MgPerKg => " mg/kg",
        _ => " mg",
    };

    /// <summary>"Bag 1 mg/mL, 250 mL".</summary>
    public static string Preparation(Preparation preparation)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        return $"{preparation.Kind} {WebNumber.Show(preparation.Concentration.MilligramsPerMilliliter)} mg/mL, {WebNumber.Show(preparation.ContainerVolume.Milliliters)} mL";
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
