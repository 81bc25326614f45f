using System.Globalization;
using KetaCare.Clinic.Protocols;
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
/// mg/kg/h the pump will actually deliver. Immutable; <see cref="WithSecondCheck"/> returns a checked copy.
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

    /// <summary>The second check, once done.</summary>
    public SecondCheck? Check { get; private init; }

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
            return new Refusal($"dose: a pump program needs a rate in mg/kg/h; {prescribed} is a single dose.");
        }

        if (duration.Minutes <= 0)
        {
            return new Refusal("duration: must be greater than 0.");
        }

        var exactMlPerHour = prescribed.Value * weight.Kilograms / preparation.Concentration.MilligramsPerMilliliter;
        var rate = RoundDown(exactMlPerHour, pump.RateIncrementMlPerHour);
        if (rate <= 0)
        {
            return Refusal.Because($"rate: {SafeNumber.Format(exactMlPerHour)} mL/h rounds to 0 at the pump's increment of {pump.RateIncrementMlPerHour} mL/h; use a lower concentration.");
        }

        var vtbi = RoundDown(rate * duration.Hours, pump.VolumeIncrementMl);
        return Outcome<PumpProgram>.Ok(new PumpProgram(preparation, weight, prescribed, rate, vtbi, by, clock.GetUtcNow()));
    }

    /// <summary>
    /// Records an independent second check: the checker enters the rate and VTBI they calculated themselves; they
    /// must match this program within one pump increment, and the checker must be a different user.
    /// </summary>
    public Outcome<PumpProgram> WithSecondCheck(UserId checker, double checkerRateMlPerHour, double checkerVtbiMl, PumpSettings pump, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(pump);
        ArgumentNullException.ThrowIfNull(clock);
        if (checker == ProgrammedBy)
        {
            return new Refusal("second check: must be done by a different user than the one who programmed the pump.");
        }

        if (Math.Abs(checkerRateMlPerHour - RateMlPerHour) > pump.RateIncrementMlPerHour * 1.0001)
        {
            return Refusal.Because($"second check: rate {SafeNumber.Format(checkerRateMlPerHour)} mL/h does not match the program's {SafeNumber.Format(RateMlPerHour)} mL/h.");
        }

        if (Math.Abs(checkerVtbiMl - VtbiMl) > pump.VolumeIncrementMl * 1.0001)
        {
            return Refusal.Because($"second check: VTBI {SafeNumber.Format(checkerVtbiMl)} mL does not match the program's {SafeNumber.Format(VtbiMl)} mL.");
        }

        return Outcome<PumpProgram>.Ok(this with { Check = new SecondCheck(checker, clock.GetUtcNow()) });
    }

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
