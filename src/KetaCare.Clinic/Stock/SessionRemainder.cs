using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Stock;

/// <summary>The unused remainder of a session's preparation, computed rather than typed.</summary>
public static class SessionRemainder
{
    /// <summary>
    /// Prepared − given − wasted before, as a volume of the prepared solution. The pump never gives more than the bag
    /// held (the dose account caps at the VTBI), so the floor at zero only absorbs rounding.
    /// </summary>
    public static (Mass Amount, StockVolume Volume) Of(Mass prepared, Mass given, Mass wasted, Concentration preparedConcentration)
    {
        var remainder = Mass.FromMilligrams(Math.Max(0, prepared.Milligrams - given.Milligrams - wasted.Milligrams));
        return (remainder, StockVolume.Holding(remainder, preparedConcentration));
    }
}
