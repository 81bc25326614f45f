using System.Globalization;
using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Sessions;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Dosing;

/// <summary>A pump's programming resolution.</summary>
/// <param name="RateIncrementMlPerHour">Smallest rate step, mL/h (e.g. 0.1).</param>
/// <param name="VolumeIncrementMl">Smallest VTBI step, mL (e.g. 0.1).</param>
public sealed record PumpSettings(double RateIncrementMlPerHour, double VolumeIncrementMl)
{
    /// <summary>0.1 mL/h and 0.1 mL (assumption: a common resolution of volumetric and syringe pumps; set per pump model).</summary>
    public static PumpSettings Default { get; } = new(0.1, 0.1);
}

/// <summary>The independent second check of a pump program.</summary>
/// <param name="By">The checking user (never the programmer).</param>
/// <param name="At">When (UTC).</param>
public sealed record SecondCheck(UserId By, DateTimeOffset At);

/// <summary>
/// What is keyed into the pump: rate (mL/h, rounded down to the pump's increment so the delivered dose never
/// exceeds the prescription), volume to be infused and the resulting duration, with the back-calculated
/// mg/kg/h the pump will actually deliver. Immutable; the blind second check compares a reading with it (<see cref="Compare"/>).
/// </summary>
public sealed record PumpProgram
{
    private PumpProgram(Preparation preparation, BodyWeight weight, DoseLevel prescribed, double rateMlPerHour, double vtbiMl, UserId programmedBy, DateTimeOffset programmedAt)
    {
        Preparation = preparation;
        Weight = weight;
        Prescribed = prescribed;
        RateMlPerHour = rateMlPerHour;
        VtbiMl = vtbiMl;
        ProgrammedBy = programmedBy;
        ProgrammedAt = programmedAt;
    }

    /// <summary>The bag or syringe.</summary>
    public Preparation Preparation { get; }

    /// <summary>The weight the rate was computed for.</summary>
    public BodyWeight Weight { get; }

    /// <summary>The prescribed rate, mg/kg/h.</summary>
    public DoseLevel Prescribed { get; }

    /// <summary>Pump rate, mL/h, a multiple of the pump's increment.</summary>
    public double RateMlPerHour { get; }

    /// <summary>Volume to be infused, mL.</summary>
    public double VtbiMl { get; }

    /// <summary>Who programmed it.</summary>
    public UserId ProgrammedBy { get; }

    /// <summary>When (UTC).</summary>
    public DateTimeOffset ProgrammedAt { get; }

    /// <summary>The matched blind second check, once done.</summary>
    public SecondCheck? Check { get; private init; }

    /// <summary>Largest rate a face accepts as typed input, mL/h (input plausibility; a program's own rate is far lower).</summary>
    public const double MaxRateMlPerHour = 10000;

    /// <summary>Largest volume a face accepts as typed input, mL (input plausibility).</summary>
    public const double MaxVolumeMl = 100000;

    /// <summary>Infusion time at this rate until the VTBI is reached.</summary>
    public Duration Duration => Duration.FromHours(VtbiMl / RateMlPerHour);

    /// <summary>The drug rate the pump delivers, mg/h.</summary>
    public DoseRate DeliveredRate => DoseRate.FromMilligramsPerHour(RateMlPerHour * Preparation.Concentration.MilligramsPerMilliliter);

    /// <summary>Back-calculated weight-normalised rate the pump delivers, mg/kg/h (shown beside the prescription).</summary>
    public DoseLevel BackCalculated => DoseLevel.MgPerKgPerHour(DeliveredRate.MilligramsPerHour / Weight.Kilograms);

    /// <summary>Amount infused when the VTBI is reached, mg.</summary>
    public Mass TotalDose => Mass.FromMilligrams(VtbiMl * Preparation.Concentration.MilligramsPerMilliliter);

    /// <summary>Computes a program for a weight-normalised rate over a duration; refused for a non-rate dose or a zero rate after rounding.</summary>
    /// <param name="prescribed">Rate, mg/kg/h.</param>
    /// <param name="weight">The weight valid on the session date.</param>
    /// <param name="preparation">Bag or syringe.</param>
    /// <param name="duration">Planned infusion duration.</param>
    /// <param name="pump">Pump resolution.</param>
    /// <param name="by">The programming user.</param>
    /// <param name="clock">The clock.</param>
    public static Outcome<PumpProgram> Compute(DoseLevel prescribed, BodyWeight weight, Preparation preparation, Duration duration, PumpSettings pump, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        ArgumentNullException.ThrowIfNull(pump);
        ArgumentNullException.ThrowIfNull(clock);
        if (prescribed.Basis != DoseBasis.MgPerKgPerHour)
        {
            return new Refusal($"dose: a pump program needs a rate in mg/kg/h; {prescribed} is a single dose.", [Finding.Refused(FindingCodes.ProgramNeedsRate, FindingArg.Of("field", "dose"), prescribed.Arg("value"))]);
        }

        if (prescribed.Value <= 0)
        {
            return Refusal.Coded(FindingCodes.DoseNotPositive, FindingArg.Of("field", "dose"));
        }

        if (duration.Minutes <= 0)
        {
            return new Refusal("duration: must be greater than 0.", [Finding.Refused(FindingCodes.DoseNotPositive, FindingArg.Of("field", "duration"))]);
        }

        var exactMlPerHour = prescribed.Value * weight.Kilograms / preparation.Concentration.MilligramsPerMilliliter;
        var rate = RoundDown(exactMlPerHour, pump.RateIncrementMlPerHour);
        if (rate <= 0)
        {
            return Refusal.Coded(FindingCodes.ProgramRateRoundsToZero, FindingArg.Of("rate", exactMlPerHour, "mL/h"), FindingArg.Of("increment", pump.RateIncrementMlPerHour, "mL/h"));
        }

        var vtbi = RoundDown(rate * duration.Hours, pump.VolumeIncrementMl);
        return Outcome<PumpProgram>.Ok(new PumpProgram(preparation, weight, prescribed, rate, vtbi, by, clock.GetUtcNow()));
    }

    /// <summary>
    /// Compares what a blind second checker read on the pump and label with this program: rate and VTBI within one
    /// pump increment, concentration within 0.1 % and weight within 0.05 kg. One <see cref="FindingCodes.CheckMismatch"/>
    /// per value that differs, with both values; empty when everything matches.
    /// </summary>
    public IReadOnlyList<Finding> Compare(PumpReading reading, PumpSettings pump)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(pump);
        var mismatches = new List<Finding>();
        void Differs(string field, double read, double programmed, double tolerance, string unit)
        {
            if (!double.IsFinite(read) || Math.Abs(read - programmed) > tolerance)
            {
                mismatches.Add(Finding.Refused(FindingCodes.CheckMismatch, FindingArg.Of("field", field), FindingArg.Of("read", double.IsFinite(read) ? read : 0, unit), FindingArg.Of("programmed", programmed, unit)));
            }
        }

        var concentration = Preparation.Concentration.MilligramsPerMilliliter;
        Differs("rate", reading.RateMlPerHour, RateMlPerHour, pump.RateIncrementMlPerHour * 1.0001, "mL/h");
        Differs("vtbi", reading.VtbiMl, VtbiMl, pump.VolumeIncrementMl * 1.0001, "mL");
        Differs("concentration", reading.ConcentrationMgPerMl, concentration, concentration * 0.001, "mg/mL");
        Differs("weight", reading.WeightKg, Weight.Kilograms, 0.05, "kg");
        return mismatches;
    }

    /// <summary>This program with its matched second check.</summary>
    internal PumpProgram WithCheck(SecondCheck check) => this with { Check = check };

    /// <summary>"17.5 mL/h, VTBI 17.5 mL, 1 h (0.5 mg/kg/h delivered)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{SafeNumber.Format(RateMlPerHour)} mL/h, VTBI {SafeNumber.Format(VtbiMl)} mL, {Duration} ({BackCalculated} delivered)");

    // Floor to the increment, tolerant of binary representation (17.5 / 0.1 = 174.99999…).
    internal static double RoundDown(double value, double increment)
    {
        var steps = Math.Floor((value / increment) + 1e-9);
        return Math.Round(steps * increment, 6);
    }
}
