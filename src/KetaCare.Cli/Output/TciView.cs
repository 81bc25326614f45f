using System.Globalization;
using KetaCare.Cli.Commands;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Output;

/// <summary>One row of the condensed fine schedule: consecutive update periods whose rate stays within a tolerance.</summary>
/// <param name="Start">Start, min.</param>
/// <param name="End">End, min.</param>
/// <param name="MeanMgPerHour">Mean drug rate over the row.</param>
/// <param name="MeanMlPerHour">Mean pump rate over the row.</param>
/// <param name="Milligrams">Drug given during the row.</param>
/// <param name="PlasmaAtEnd">Predicted plasma at the end, ng/mL.</param>
/// <param name="EffectAtEnd">Predicted effect site at the end, ng/mL, or null.</param>
/// <param name="Control">"effect site" or "plasma".</param>
internal sealed record CondensedRow(double Start, double End, double MeanMgPerHour, double MeanMlPerHour, double Milligrams, double PlasmaAtEnd, double? EffectAtEnd, string Control);

/// <summary>A TCI plan with what the table, CSV, JSON and chart writers show.</summary>
internal sealed class TciView
{
    /// <summary>Most rows of the condensed schedule; the rate tolerance is widened until the rows fit.</summary>
    public const int MaxCondensedRows = 30;

    /// <summary>Rates below this, mg/min, are round-off of a stopped pump (the planner's solve can leave 1e-14) and shown as 0.</summary>
    public const double ZeroRate = 1e-9;

    public TciView(PkModel model, Covariates patient, TciPlan plan, Ke0Option? effectSite, bool defaultKe0, bool defaultCeiling = false)
    {
        DefaultCeiling = defaultCeiling;
        Model = model;
        Patient = patient;
        Plan = plan;
        EffectSite = effectSite;
        DefaultKe0 = defaultKe0;
        var warnings = new List<string>(plan.Warnings.Select(w => w.Message));
        if (defaultKe0 && effectSite is not null && plan.Settings.Site == TciSite.EffectSite)
        {
            warnings.Insert(0, $"effect site: no --ke0 given; the target uses {model.Id}'s default effect-site constant {effectSite.Id} (its first option; choose another with --ke0).");
        }

        // The planner's warnings name its settings; the user typed options.
        Warnings = [.. warnings.Select(w => TciOptions.Name(w).Replace("set maxPlasma", "set --max-plasma", StringComparison.Ordinal))];
        var peak = plan.Steps.MaxBy(s => s.PlasmaAtEnd)!;
        PeakPlasma = peak.PlasmaAtEnd;
        PeakPlasmaTime = peak.End;
        PeakEffect = plan.Steps[0].EffectAtEnd is null ? null : plan.Steps.Max(s => s.EffectAtEnd!.Value);
    }

    public PkModel Model { get; }

    public Covariates Patient { get; }

    public TciPlan Plan { get; }

    /// <summary>The effect site of the plan's system (shown in plasma mode too), or null.</summary>
    public Ke0Option? EffectSite { get; }

    /// <summary>True when no --ke0 was given and <see cref="EffectSite"/> is the model's default.</summary>
    public bool DefaultKe0 { get; }

    /// <summary>True when the plasma ceiling is the effect-site-mode default rather than the user's.</summary>
    public bool DefaultCeiling { get; }

    /// <summary>The planner's warnings, preceded by the note on a default ke0 in effect-site mode.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Highest plasma concentration of the fine schedule (at update times).</summary>
    public Concentration PeakPlasma { get; }

    /// <summary>When <see cref="PeakPlasma"/> is predicted.</summary>
    public Duration PeakPlasmaTime { get; }

    /// <summary>Highest effect-site concentration of the fine schedule, or null without an effect site.</summary>
    public Concentration? PeakEffect { get; }

    /// <summary>The pump maximum as a drug rate at the bag concentration.</summary>
    public DoseRate MaxPumpDoseRate => DoseRate.FromMilligramsPerHour(Plan.Settings.MaxRate.MillilitersPerHour * Plan.Settings.Concentration.MilligramsPerMilliliter);

    /// <summary>The optional caps in words, each starting with "; ".</summary>
    public string CapsText
    {
        get
        {
            var s = Plan.Settings;
            var text = string.Empty;
            if (s.MaxRatePerKg is { } perKg)
            {
                text += $"; capped at {perKg} = {Format.N(perKg.MilligramsPerKilogramPerHour * Patient.Weight.Kilograms)} mg/h";
            }

            if (s.MaxPlasma is { } cap)
            {
                text += DefaultCeiling
                    ? $"; plasma ceiling {cap} (default in effect-site mode: top of the dissociation range, Zanos 2018; --max-plasma none removes it)"
                    : $"; plasma ceiling {cap}";
            }

            return text;
        }
    }

    public static string DescribeKe0(Ke0Option ke0) =>
        string.Create(CultureInfo.InvariantCulture, $"{ke0.Id}, ke0 {Format.N(ke0.Ke0PerMinute)} /min (t½ke0 {Format.Clock(ke0.HalfLifeMinutes)}; {ke0.Source})");

    /// <summary>A drug rate per kg of the patient's weight, mg/kg/h.</summary>
    public double PerKg(DoseRate rate) => rate.MilligramsPerHour / Patient.Weight.Kilograms;

    /// <summary>
    /// The fine schedule condensed to one row per rate change: a row ends where the controller changes, where the
    /// pump starts or stops, or where the rate moves more than a tolerance (10 %, widened until at most
    /// <see cref="MaxCondensedRows"/> rows remain) from the row's first rate.
    /// </summary>
    public IReadOnlyList<CondensedRow> Condensed()
    {
        for (var tolerance = 0.1; ; tolerance *= 2)
        {
            var rows = Group(tolerance);
            if (rows.Count <= MaxCondensedRows || tolerance > 100)
            {
                return rows;
            }
        }
    }

    private List<CondensedRow> Group(double tolerance)
    {
        var steps = Plan.Steps;
        bool Running(int m) => steps[m].Rate.MilligramsPerMinute > ZeroRate;

        // Row starts: step indices where the controller changes, the pump starts or stops, or the rate leaves the tolerance.
        var starts = new List<int> { 0 };
        for (var m = 1; m < steps.Count; m++)
        {
            var first = starts[^1];
            var r0 = steps[first].Rate.MilligramsPerMinute;
            var r = steps[m].Rate.MilligramsPerMinute;
            if (steps[m].Control != steps[first].Control || Running(m) != Running(first) || Math.Abs(r - r0) > Math.Max(tolerance * r0, ZeroRate))
            {
                starts.Add(m);
            }
        }

        // A slow drift can leave a last row of a few seconds; shorter than a minute, it joins the row before when only the rate moved.
        if (starts.Count > 1)
        {
            var last = starts[^1];
            var previous = starts[^2];
            if (steps[^1].End.Minutes - steps[last].Start.Minutes < 1 && steps[last].Control == steps[previous].Control && Running(last) == Running(previous))
            {
                starts.RemoveAt(starts.Count - 1);
            }
        }

        var bag = Plan.Settings.Concentration.MilligramsPerMilliliter;
        var rows = new List<CondensedRow>();
        for (var g = 0; g < starts.Count; g++)
        {
            var first = starts[g];
            var end = g + 1 < starts.Count ? starts[g + 1] : steps.Count;
            var mg = 0.0;
            for (var k = first; k < end; k++)
            {
                mg += steps[k].Rate.MilligramsPerMinute * (steps[k].End.Minutes - steps[k].Start.Minutes);
            }

            var minutes = steps[end - 1].End.Minutes - steps[first].Start.Minutes;
            var mgPerHour = mg / minutes < ZeroRate ? 0 : mg / minutes * 60;
            var tail = steps[end - 1];
            rows.Add(new CondensedRow(steps[first].Start.Minutes, tail.End.Minutes, mgPerHour, mgPerHour / bag, mgPerHour == 0 ? 0 : mg,
                tail.PlasmaAtEnd.NanogramsPerMilliliter, tail.EffectAtEnd?.NanogramsPerMilliliter, tail.Control == TciControl.EffectSite ? "effect site" : "plasma"));
        }

        return rows;
    }
}
