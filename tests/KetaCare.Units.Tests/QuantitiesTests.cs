using CsCheck;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Units.Tests;

public class QuantitiesTests
{
    [Theory]
    [InlineData(0.5, "0.5 mg")]
    [InlineData(5, "5 mg")]
    [InlineData(35, "35 mg")]
    [InlineData(0.05, "50 mcg")]
    [InlineData(1234.5, "1235 mg")]
    public void MassToString_FollowsSafeNotation(double mg, string expected) =>
        Assert.Equal(expected, Mass.FromMilligrams(mg).ToString());

    [Theory]
    [InlineData(5.0, "5")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.05, "0.05")]
    [InlineData(10000, "10000")]
    [InlineData(12.34567, "12.35")]
    public void SafeNumber_NoTrailingZeroAlwaysLeadingZero(double value, string expected) =>
        Assert.Equal(expected, SafeNumber.Format(value));

    [Fact]
    public void SafeNumber_FormatForTurkish_UsesCommaForDisplayOnly() =>
        Assert.Equal("0,5", SafeNumber.FormatFor(System.Globalization.CultureInfo.GetCultureInfo("tr-TR"), 0.5));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1)]
    public void Factories_RejectNaNInfinityNegative(double bad)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Mass.FromMilligrams(bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => Concentration.FromNanogramsPerMilliliter(bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => Duration.FromMinutes(bad));
        Assert.Throws<ArgumentOutOfRangeException>(() => DoseRate.FromMilligramsPerHour(bad));
    }

    [Fact]
    public void BodyWeight_OutsideRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BodyWeight.FromKilograms(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BodyWeight.FromKilograms(501));
    }

    [Fact]
    public void Operators_AreDimensionallyConsistent()
    {
        var w = BodyWeight.FromKilograms(70);
        var rate = WeightNormalizedRate.FromMilligramsPerKilogramPerHour(0.5) * w;
        Assert.Equal(35, rate.MilligramsPerHour, 12);
        Assert.Equal(35, (rate * Duration.FromHours(1)).Milligrams, 12);
        var flow = rate / Concentration.FromMilligramsPerMilliliter(1);
        Assert.Equal(35, flow.MillilitersPerHour, 9);
        Assert.Equal(35, (flow * Concentration.FromMilligramsPerMilliliter(1)).MilligramsPerHour, 9);
        Assert.Equal(0.5, (Mass.FromMilligrams(35) / w).MilligramsPerKilogram, 12);
        Assert.Equal(3.5, (Mass.FromMilligrams(35) / Volume.FromLiters(10)).MilligramsPerLiter, 12);
    }

    [Fact]
    public void MolarMasses_FromFormulas_MatchClinicalFacts()
    {
        // clinical-reference: Units and constants (units): ketamine free base 237.73 g/mol.
        Assert.Equal(237.73, MolarMass.Ketamine.GramsPerMole, 2);
        Assert.Equal(223.70, MolarMass.Norketamine.GramsPerMole, 2);
        Assert.Equal(239.70, MolarMass.Hydroxynorketamine.GramsPerMole, 2);
        // Bilirubin C33H36N4O6: 584.67 g/mol, so 1 mg/dL = 17.10 µmol/L (clinical-reference: Units and constants).
        Assert.Equal(584.673, MolarMass.Bilirubin.GramsPerMole, 3);
        Assert.Equal(1.0, Concentration.FromMicromolar(17.1, MolarMass.Bilirubin).MilligramsPerDeciliter, 2);
        Assert.Equal(2.5, Concentration.FromMilligramsPerLiter(25).MilligramsPerDeciliter, 12);
    }

    [Fact]
    public void UnitRoundTrips_AreExactToRounding() =>
        Gen.Double[1e-6, 1e6].Sample(v =>
        {
            Assert.Equal(v, Concentration.FromNanogramsPerMilliliter(v).NanogramsPerMilliliter, v * 1e-14);
            Assert.Equal(v, WeightNormalizedRate.FromMicrogramsPerKilogramPerMinute(v).MicrogramsPerKilogramPerMinute, v * 1e-14);
            Assert.Equal(v, FlowRate.FromMillilitersPerHour(v).MillilitersPerHour, v * 1e-14);
            Assert.Equal(v, Concentration.FromMicromolar(v).Micromolar(), v * 1e-14);
        });

    [Fact]
    public void ParseOfFormatted_RoundTrips() =>
        Gen.Double[1e-3, 1e4].Sample(v =>
        {
            var text = SafeNumber.Format(v, 15) + " ng/mL";
            var back = QuantityParser.ParseConcentration(text).Value.NanogramsPerMilliliter;
            Assert.Equal(v, back, v * 1e-12);
        });
}
