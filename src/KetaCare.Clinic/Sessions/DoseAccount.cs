using KetaCare.Clinic.Dosing;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Sessions;

/// <summary>
/// The drug an infusion delivered, as the pump delivers it: each segment's rate × time, until the cumulative volume
/// reaches the program's VTBI, where a pump stops. Given = min(Σ rate × time, VTBI) × concentration; never more than
/// the pump could give. Pure.
/// </summary>
/// <param name="VolumeMl">Volume infused, mL (≤ VTBI when a program caps it).</param>
/// <param name="Amount">Drug infused.</param>
/// <param name="VtbiReachedAt">When the cumulative volume reached the VTBI (the pump stopped), or null.</param>
/// <param name="VolumeLeftMl">Volume left in the bag or syringe (container volume − infused), mL; null without a program.</param>
public sealed record DoseAccount(double VolumeMl, Mass Amount, DateTimeOffset? VtbiReachedAt, double? VolumeLeftMl)
{
    /// <summary>The account up to <paramref name="asOf"/> for the segments run under <paramref name="program"/> (null: uncapped).</summary>
    public static DoseAccount Of(IReadOnlyList<RateSegment> segments, PumpProgram? program, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var cap = program?.VtbiMl ?? double.PositiveInfinity;
        double volume = 0, milligrams = 0;
        DateTimeOffset? reached = null;
        foreach (var s in segments)
        {
            var end = s.End is { } e && e < asOf ? e : asOf;
            var hours = Math.Max(0, (end - s.Start).TotalHours);
            var ml = s.RateMlPerHour * hours;
            if (volume + ml >= cap && reached is null && s.RateMlPerHour > 0)
            {
                // The pump stops at the VTBI: the rest of this segment and every later one delivers nothing.
                var left = Math.Max(0, cap - volume);
                reached = s.Start + TimeSpan.FromHours(left / s.RateMlPerHour);
                ml = left;
            }
            else if (reached is not null)
            {
                ml = 0;
            }

            volume += ml;
            milligrams += ml * s.ConcentrationMgPerMl;
        }

        double? leftInContainer = program is null ? null : Math.Max(0, program.Preparation.ContainerVolume.Milliliters - volume);
        return new DoseAccount(volume, Mass.FromMilligrams(milligrams), reached, leftInContainer);
    }
}
