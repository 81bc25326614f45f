using System.Globalization;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Tci;

/// <summary>Which concentration a target-controlled infusion aims at.</summary>
public enum TciSite
{
    /// <summary>Plasma (central compartment) concentration (Jacobs 1990).</summary>
    Plasma,

    /// <summary>Effect-site concentration (Shafer &amp; Gregg 1992); needs a system built with an effect site.</summary>
    EffectSite,
}

/// <summary>
/// Settings of one target-controlled infusion plan. Every property is checked by
/// <see cref="TciPlanner.Plan(Models.CompartmentSystem, TciSettings, TciState?)"/>, which returns an error naming
/// the property (in camelCase, e.g. "maxRate") and its allowed range instead of throwing. Immutable; safe to share.
/// </summary>
public sealed record TciSettings
{
    /// <summary>Largest accepted bag/syringe concentration, mg/mL (the strongest ketamine vial is 100 mg/mL; clinical-reference: Product label (ketalar-label)).</summary>
    public const double MaxConcentrationMgPerMl = 100;

    /// <summary>Largest accepted pump rate, mL/h (input sanity: above the 1200 mL/h of common syringe pumps with a margin; assumption).</summary>
    public const double MaxPumpRateMlPerHour = 2000;

    /// <summary>Shortest accepted update period, s.</summary>
    public const double MinUpdatePeriodSeconds = 1;

    /// <summary>Longest accepted update period, s.</summary>
    public const double MaxUpdatePeriodSeconds = 600;

    /// <summary>Largest number of manual pump steps.</summary>
    public const int MaxManualSteps = 12;

    /// <summary>Largest number of update periods in one plan (keeps memory bounded: 14 days at 10 s is ≈ 121,000).</summary>
    public const int MaxUpdates = 250_000;

    /// <summary>The target concentration; &gt; 0 and at most <see cref="PlausibilityLimits.MaxPlasmaNgPerMl"/> ng/mL. Required.</summary>
    public required Concentration Target { get; init; }

    /// <summary>Plasma (default) or effect site.</summary>
    public TciSite Site { get; init; } = TciSite.Plasma;

    /// <summary>
    /// How long to plan, counted from the start state; default 60 min; &gt; 0 and at most
    /// <see cref="PlausibilityLimits.MaxAdministrationDays"/> days. Rounded up to a whole number of update periods.
    /// </summary>
    public Duration Duration { get; init; } = Duration.FromMinutes(60);

    /// <summary>How often the pump rate is recomputed; default 10 s (as STANPUMP); 1–600 s.</summary>
    public Duration UpdatePeriod { get; init; } = Duration.FromSeconds(10);

    /// <summary>Drug concentration in the bag or syringe; default 1 mg/mL; &gt; 0 and at most 100 mg/mL.</summary>
    public Concentration Concentration { get; init; } = Concentration.FromMilligramsPerMilliliter(1);

    /// <summary>The pump's maximum rate; default 1200 mL/h; &gt; 0 and at most 2000 mL/h.</summary>
    public FlowRate MaxRate { get; init; } = FlowRate.FromMillilitersPerHour(1200);

    /// <summary>
    /// Optional ceiling on the predicted plasma concentration (meaningful in effect-site mode, where plasma
    /// overshoots the target on purpose); must be ≥ <see cref="Target"/>. Null (default) for none.
    /// </summary>
    public Concentration? MaxPlasma { get; init; }

    /// <summary>
    /// Optional ceiling on the dose rate per kg (e.g. a protocol's 2 mg/kg/h); &gt; 0 and at most
    /// <see cref="PlausibilityLimits.MaxRateMgPerKgPerHour"/> mg/kg/h; needs <see cref="Weight"/>. Null (default) for none.
    /// </summary>
    public WeightNormalizedRate? MaxRatePerKg { get; init; }

    /// <summary>Body weight for <see cref="MaxRatePerKg"/>; null unless that cap is used (the model overload fills it from the covariates).</summary>
    public BodyWeight? Weight { get; init; }

    /// <summary>Number of rate changes of the manual-pump schedule; default 4; 0 (none) to 12.</summary>
    public int Steps { get; init; } = 4;

    /// <summary>Resolution a manual pump is programmed in; manual rates are rounded to it; default 0.1 mL/h; &gt; 0 and at most 10 mL/h.</summary>
    public FlowRate ManualRateResolution { get; init; } = FlowRate.FromMillilitersPerHour(0.1);

    /// <summary>Parses a target site: "plasma" (or "cp"), "effect", "effect-site" or "ce" (case-insensitive).</summary>
    /// <param name="text">The text.</param>
    /// <param name="field">Name of the input field, used in the error.</param>
    public static ParseResult<TciSite> ParseSite(string? text, string field = "site")
    {
        var t = (text ?? string.Empty).Trim().ToLowerInvariant();
        return t switch
        {
            "plasma" or "cp" => ParseResult<TciSite>.Ok(TciSite.Plasma),
            "effect" or "effect-site" or "effectsite" or "ce" => ParseResult<TciSite>.Ok(TciSite.EffectSite),
            _ => ParseResult<TciSite>.Fail(EngineWarning.Of(EngineWarningCodes.TciSiteUnknown, WarningArg.Of("field", field), WarningArg.Of("text", text ?? string.Empty))),
        };
    }

    /// <summary>
    /// Settings from user text, e.g. target "150 ng/mL", site "effect", duration "60 min", concentration
    /// "1 mg/mL", max rate "1200 mL/h" (invariant culture; see <see cref="QuantityParser"/>). A null or blank
    /// optional text takes the default. Parsing errors name the field; range errors come from
    /// <see cref="TciPlanner"/> when the plan is made.
    /// </summary>
    /// <param name="target">Target concentration text; required.</param>
    /// <param name="site">"plasma" (default) or "effect".</param>
    /// <param name="duration">Plan length (default 60 min).</param>
    /// <param name="concentration">Bag/syringe concentration (default 1 mg/mL).</param>
    /// <param name="maxRate">Pump maximum (default 1200 mL/h).</param>
    /// <param name="steps">Manual-pump steps (default 4; 0–12).</param>
    public static ParseResult<TciSettings> FromText(string? target, string? site = null, string? duration = null, string? concentration = null, string? maxRate = null, int steps = 4)
    {
        var t = QuantityParser.ParseConcentration(target, "target");
        if (!t.IsSuccess)
        {
            return Fail(t.Error);
        }

        var settings = new TciSettings { Target = t.Value, Steps = steps };
        if (!string.IsNullOrWhiteSpace(site))
        {
            var s = ParseSite(site);
            if (!s.IsSuccess)
            {
                return Fail(s.Error);
            }

            settings = settings with { Site = s.Value };
        }

        if (!string.IsNullOrWhiteSpace(duration))
        {
            var d = QuantityParser.ParseDuration(duration, "duration");
            if (!d.IsSuccess)
            {
                return Fail(d.Error);
            }

            settings = settings with { Duration = d.Value };
        }

        if (!string.IsNullOrWhiteSpace(concentration))
        {
            var c = QuantityParser.ParseConcentration(concentration, "concentration");
            if (!c.IsSuccess)
            {
                return Fail(c.Error);
            }

            settings = settings with { Concentration = c.Value };
        }

        if (!string.IsNullOrWhiteSpace(maxRate))
        {
            var r = QuantityParser.ParseFlowRate(maxRate, "maxRate");
            if (!r.IsSuccess)
            {
                return Fail(r.Error);
            }

            settings = settings with { MaxRate = r.Value };
        }

        return ParseResult<TciSettings>.Ok(settings);
    }

    /// <summary>Checks every setting; the error names the property and its allowed range.</summary>
    internal ParseResult<TciSettings> Validate()
    {
        var ic = CultureInfo.InvariantCulture;
        var target = Target.NanogramsPerMilliliter;
        if (!(target > 0) || target > PlausibilityLimits.MaxPlasmaNgPerMl)
        {
            return Fail(string.Create(ic, $"target: must be greater than 0 ng/mL and at most {PlausibilityLimits.MaxPlasmaNgPerMl} ng/mL (was {Target})."));
        }

        if (!Enum.IsDefined(Site))
        {
            return Fail("site: must be plasma or effect.");
        }

        var period = UpdatePeriod.Seconds;
        if (period < MinUpdatePeriodSeconds || period > MaxUpdatePeriodSeconds)
        {
            return Fail(string.Create(ic, $"updatePeriod: must be between {MinUpdatePeriodSeconds} s and {MaxUpdatePeriodSeconds} s (was {SafeNumber.Format(period)} s)."));
        }

        var maxMinutes = PlausibilityLimits.MaxAdministrationDays * 1440;
        if (!(Duration.Minutes > 0) || Duration.Minutes > maxMinutes)
        {
            return Fail(string.Create(ic, $"duration: must be greater than 0 and at most {PlausibilityLimits.MaxAdministrationDays} d (was {Duration})."));
        }

        if (Math.Ceiling((Duration.Minutes / UpdatePeriod.Minutes) - 1e-9) > MaxUpdates)
        {
            return Fail(string.Create(ic, $"updatePeriod: {Duration} at {UpdatePeriod} is more than {MaxUpdates} updates; use a longer update period."));
        }

        var conc = Concentration.MilligramsPerMilliliter;
        if (!(conc > 0) || conc > MaxConcentrationMgPerMl)
        {
            return Fail(string.Create(ic, $"concentration: must be greater than 0 mg/mL and at most {MaxConcentrationMgPerMl} mg/mL (was {SafeNumber.Format(conc)} mg/mL)."));
        }

        var rate = MaxRate.MillilitersPerHour;
        if (!(rate > 0) || rate > MaxPumpRateMlPerHour)
        {
            return Fail(string.Create(ic, $"maxRate: must be greater than 0 mL/h and at most {MaxPumpRateMlPerHour} mL/h (was {MaxRate})."));
        }

        if (MaxPlasma is { } cap && cap < Target)
        {
            return Fail(string.Create(ic, $"maxPlasma: must be at least the target {Target} (was {cap})."));
        }

        if (MaxRatePerKg is { } perKg)
        {
            var v = perKg.MilligramsPerKilogramPerHour;
            if (!(v > 0) || v > PlausibilityLimits.MaxRateMgPerKgPerHour)
            {
                return Fail(string.Create(ic, $"maxRatePerKg: must be greater than 0 mg/kg/h and at most {PlausibilityLimits.MaxRateMgPerKgPerHour} mg/kg/h (was {perKg})."));
            }

            if (Weight is null)
            {
                return Fail("weight: required when maxRatePerKg is set (the cap is converted to mg/h with it).");
            }
        }

        if (Steps is < 0 or > MaxManualSteps)
        {
            return Fail(string.Create(ic, $"steps: must be between 0 and {MaxManualSteps} (was {Steps})."));
        }

        var resolution = ManualRateResolution.MillilitersPerHour;
        if (!(resolution > 0) || resolution > 10)
        {
            return Fail(string.Create(ic, $"manualRateResolution: must be greater than 0 mL/h and at most 10 mL/h (was {ManualRateResolution})."));
        }

        return ParseResult<TciSettings>.Ok(this);
    }

    /// <summary>The highest drug rate the plan may use, mg/min: the pump's maximum times the bag concentration, lowered by the per-kg cap.</summary>
    internal double MaxDoseRateMgPerMin
    {
        get
        {
            var pump = MaxRate.LitersPerMinute * Concentration.MilligramsPerLiter;
            return MaxRatePerKg is { } perKg && Weight is { } w
                ? Math.Min(pump, perKg.MilligramsPerKilogramPerMinute * w.Kilograms)
                : pump;
        }
    }

    private static ParseResult<TciSettings> Fail(string message) => ParseResult<TciSettings>.Fail(message);
}
