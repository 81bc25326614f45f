using KetaCare.Clinic.Findings;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Stock;

/// <summary>
/// The stock rule of an infusion's start: when the clinic requires it (<see cref="StockSettings.RequiresPreparation"/>)
/// the session must have a recorded preparation, and whether required or not, every preparation recorded for it must
/// be at the pump program's concentration, so that the pump is never started on a bag that is not the one programmed.
/// </summary>
public static class PreparationGate
{
    /// <summary>Relative tolerance between a preparation's and the program's concentration: the program's own second check's (0.1 %).</summary>
    public const double Tolerance = 0.001;

    /// <summary>The hard stop the start meets, or null when it may go on.</summary>
    /// <param name="required">True when the clinic requires a recorded preparation.</param>
    /// <param name="programmed">The pump program's concentration.</param>
    /// <param name="prepared">The concentrations of the session's recorded preparations, in the order written.</param>
    /// <param name="session">The session (named in the finding).</param>
    public static Finding? Check(bool required, Concentration programmed, IReadOnlyList<Concentration> prepared, SessionId session)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.Count == 0)
        {
            return required ? Finding.Refused(FindingCodes.StockPreparationRequired, FindingArg.Of("session", session.ToString())) : null;
        }

        var p = programmed.MilligramsPerMilliliter;
        foreach (var c in prepared)
        {
            if (!Matches(c, programmed))
            {
                return Finding.Refused(FindingCodes.StockPreparationNotProgrammed, FindingArg.Of("prepared", c.MilligramsPerMilliliter, "mg/mL"), FindingArg.Of("programmed", p, "mg/mL"));
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="prepared"/> is within <see cref="Tolerance"/> of <paramref name="programmed"/>.</summary>
    public static bool Matches(Concentration prepared, Concentration programmed) =>
        Math.Abs(prepared.MilligramsPerMilliliter - programmed.MilligramsPerMilliliter) <= programmed.MilligramsPerMilliliter * Tolerance;
}
