using System.Globalization;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;
using Microsoft.Extensions.Localization;
using RouteOfAdministration = KetaCare.Pharmacology.Models.Route;

namespace KetaCare.Web.Pages.WhatIf;

/// <summary>One dose row of the simulator form: amount, unit, infusion duration (empty for a bolus) and start time.</summary>
public sealed class DoseRow
{
    /// <summary>Units offered: amounts (bolus, or over a duration) and rates (for a duration).</summary>
    public static IReadOnlyList<string> Units { get; } = ["mg/kg", "mg", "mg/kg/h", "mg/h"];

    public string? Amount { get; set; }

    public string? Unit { get; set; } = "mg/kg";

    /// <summary>Infusion duration, min; empty for a bolus (amounts only).</summary>
    public string? Over { get; set; }

    /// <summary>Start, min from time 0.</summary>
    public string? At { get; set; }

    /// <summary>True when nothing was typed in the row (it is skipped).</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Amount) && string.IsNullOrWhiteSpace(Over) && string.IsNullOrWhiteSpace(At);
}

/// <summary>What the simulator runs, parsed and checked.</summary>
/// <param name="Model">The model.</param>
/// <param name="Patient">Covariates.</param>
/// <param name="Regimen">The doses (regimen mode), or null in TCI mode.</param>
/// <param name="Tci">TCI settings (TCI mode), or null.</param>
/// <param name="Until">End of the simulated time.</param>
/// <param name="EffectSite">Effect-site constant, or null.</param>
/// <param name="Population">Population bands to add, or null.</param>
public sealed record SimulatorRequest(PkModel Model, Covariates Patient, Regimen? Regimen, TciSettings? Tci, Duration Until, Ke0Option? EffectSite, PopulationOptions? Population);

/// <summary>A virtual population around the patient.</summary>
/// <param name="Count">Virtual patients.</param>
/// <param name="WeightSdKg">SD of body weight around the patient's weight, kg.</param>
/// <param name="IivPercent">Assumed variability (CV %) for a model published without Ω, or null.</param>
/// <param name="Band">Central band, % of patients (90 = p5–p95).</param>
/// <param name="Seed">Random seed.</param>
public sealed record PopulationOptions(int Count, double WeightSdKg, double? IivPercent, int Band, ulong Seed);

/// <summary>
/// The simulator's GET form (every field a query-string parameter, so a URL reproduces a result). Numbers are typed
/// in the user's way (0.5 or 0,5) and read with <see cref="WebNumber"/>; a dose row becomes the engine's own dose text
/// ("0.5 mg/kg over 60 min"), parsed by <see cref="DoseExpression"/> with its plausibility checks. Errors name the field.
/// </summary>
public sealed class SimulatorInput
{
    /// <summary>
    /// Largest virtual population the web app simulates. Above <see cref="MaxInlinePopulation"/> the bands are computed
    /// in the background, one run at a time, with progress and a cancel button (<see cref="SimulatorJobs"/>): 100,000
    /// patients over at most 24 h at 1-min steps take about a second and some 40 MiB on a 2-core node
    /// (docs/performance.md). Larger populations belong to <c>ketacare population</c>.
    /// </summary>
    public const int MaxPopulation = 100_000;

    /// <summary>Largest population answered within the page request itself (well under 300 ms).</summary>
    public const int MaxInlinePopulation = 2_000;

    /// <summary>Longest simulated time, h (72 h at 1-min steps is 4,321 points per output).</summary>
    public const double MaxHours = 72;

    /// <summary>Longest population run, h (bounds the work per request with <see cref="MaxPopulation"/>).</summary>
    public const double MaxPopulationHours = 24;

    /// <summary>Longest TCI plan, min.</summary>
    public const double MaxTciMinutes = 24 * 60;

    /// <summary>Number of dose rows offered.</summary>
    public const int DoseRows = 4;

    /// <summary>Population bands offered: central % of patients.</summary>
    public static IReadOnlyList<int> Bands { get; } = [90, 80, 50];

    public string Model { get; set; } = "domino1984";

    public string? Weight { get; set; } = "70";

    public string? Age { get; set; }

    public string? Sex { get; set; }

    public string? Height { get; set; }

    public string Route { get; set; } = "iv";

    /// <summary>"regimen" or "tci".</summary>
    public string Mode { get; set; } = "regimen";

    public List<DoseRow> Doses { get; set; } = [];

    public string? Hours { get; set; } = "4";

    /// <summary>Effect-site constant id, or empty for none.</summary>
    public string? Effect { get; set; }

    public string? Target { get; set; } = "150";

    /// <summary>"plasma" or "effect".</summary>
    public string Site { get; set; } = "plasma";

    public string? TciMinutes { get; set; } = "60";

    public string? Bag { get; set; } = "1";

    public string? PumpMax { get; set; } = "1200";

    public string? Steps { get; set; } = "4";

    public string? MaxPlasma { get; set; }

    public bool Pop { get; set; }

    public string? N { get; set; } = "500";

    public string? WeightSd { get; set; } = "10";

    public string? Iiv { get; set; } = "30";

    public int Band { get; set; } = 90;

    public string? Seed { get; set; } = "20240601";

    /// <summary>The rows to show: those given, padded with empty rows (the first filled with the usual 0.5 mg/kg over 60 min when nothing was given).</summary>
    public IReadOnlyList<DoseRow> RowsToShow()
    {
        var rows = Doses.ToList();
        if (rows.Count == 0)
        {
            rows.Add(new DoseRow { Amount = WebNumber.Show(0.5), Unit = "mg/kg", Over = "60", At = "0" });
        }

        while (rows.Count < DoseRows)
        {
            rows.Add(new DoseRow());
        }

        return rows;
    }

    /// <summary>The request, or every problem found (each naming its field).</summary>
    public (SimulatorRequest? Request, IReadOnlyList<string> Errors) Parse()
    {
        var errors = new List<string>();
        var model = ModelLibrary.Get(Model, "model");
        if (!model.IsSuccess)
        {
            return (null, [Say(model)]);
        }

        var m = model.Value;
        double? Optional(string? text, string field, double min, double max)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (WebNumber.TryParse(text, Field(field), min, max, out var v, out var e))
            {
                return v;
            }

            errors.Add(e!);
            return null;
        }

        double Required(string? text, string field, double min, double max)
        {
            if (WebNumber.TryParse(text, Field(field), min, max, out var v, out var e))
            {
                return v;
            }

            errors.Add(e!);
            return double.NaN;
        }

        var weight = Required(Weight, "weight (kg)", BodyWeight.MinKilograms, BodyWeight.MaxKilograms);
        var age = Optional(Age, "age (years)", 0, 120);
        var height = Optional(Height, "height (cm)", 30, 250);
        Sex? sex = Sex switch
        {
            "f" => Pharmacology.Models.Sex.Female,
            "m" => Pharmacology.Models.Sex.Male,
            _ => null,
        };
        var route = Routes.Parse(Route, "route");
        if (!route.IsSuccess)
        {
            errors.Add(Say(route));
        }

        Ke0Option? ke0 = null;
        if (!string.IsNullOrWhiteSpace(Effect))
        {
            ke0 = m.EffectSiteOptions.FirstOrDefault(k => k.Id == Effect)
                ?? (EffectSites.All.FirstOrDefault(k => k.Id == Effect) is { } known ? known with { Borrowed = true } : null);
            if (ke0 is null)
            {
                errors.Add(FindingText.Render(EngineWarning.Of(EngineWarningCodes.EffectSiteUnknown, WarningArg.Of("field", "effect site"), WarningArg.Of("text", Effect),
                    WarningArg.Of("known", string.Join(", ", EffectSites.All.Select(k => k.Id)))), CultureInfo.CurrentCulture));
            }
        }

        var tci = string.Equals(Mode, "tci", StringComparison.Ordinal);
        var hours = Required(Hours, "simulated time (h)", 0.1, Pop && !tci ? MaxPopulationHours : MaxHours);
        Regimen? regimen = null;
        TciSettings? settings = null;
        if (tci)
        {
            settings = ParseTci(m, ke0, errors, Required, Optional);
        }
        else
        {
            regimen = ParseRegimen(route.IsSuccess ? route.Value : RouteOfAdministration.Intravenous, errors, Required);
        }

        PopulationOptions? population = null;
        if (Pop && !tci)
        {
            var n = Required(N, Texts["{0} (at most {1} in the web app, to keep the work bounded on a shared server; use ketacare population for more)", Field("population size N"), WebNumber.Show(MaxPopulation)], 1, MaxPopulation);
            var sd = Required(WeightSd, "weight SD (kg)", 0.1, 100);
            var iiv = m.Omega is null ? Optional(Iiv, "assumed variability (CV %)", 0, 200) : null;
            ulong seed = 20240601;
            if (!string.IsNullOrWhiteSpace(Seed) && !ulong.TryParse(Seed.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out seed))
            {
                errors.Add(Texts["{0}: \"{1}\" is not a whole number 0 to {2}.", Field("seed"), Seed, ulong.MaxValue.ToString(CultureInfo.InvariantCulture)]);
            }

            if (!Bands.Contains(Band))
            {
                errors.Add(Texts["{0}: {1} is not one of {2} %.", Field("band"), WebNumber.Show(Band), string.Join(", ", Bands.Select(b => WebNumber.Show(b)))]);
            }

            if (!double.IsNaN(n) && n != Math.Floor(n))
            {
                errors.Add(Texts["{0}: {1} is not a whole number.", Field("population size N"), WebNumber.Show(n)]);
            }

            population = new PopulationOptions(double.IsNaN(n) ? 0 : (int)n, sd, iiv, Band, seed);
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var patient = new Covariates(BodyWeight.FromKilograms(weight), age, sex, height);
        var refused = m.CheckPatient(patient).Where(f => f.Refused).Select(f => FindingText.Render(f.Warning, CultureInfo.CurrentCulture)).ToList();
        if (refused.Count > 0)
        {
            return (null, refused);
        }

        return (new SimulatorRequest(m, patient, regimen, settings, Duration.FromHours(hours), ke0, population), []);
    }

    // The form speaks the reader's language: field names and the engine's coded refusals are translated here.
    private static IStringLocalizer Texts => Strings.For(CultureInfo.CurrentUICulture);

    private static string Field(string field) => FindingText.Field(field, CultureInfo.CurrentUICulture);

    /// <summary>A failed parse or run in the reader's language: its code rendered when coded, else its text.</summary>
    internal static string Say<T>(ParseResult<T> failed) =>
        failed.Reason is { } reason ? FindingText.Render(reason, CultureInfo.CurrentCulture) : failed.Error ?? string.Empty;

    private Regimen? ParseRegimen(RouteOfAdministration route, List<string> errors, Func<string?, string, double, double, double> required)
    {
        var items = new List<Administration>();
        var before = errors.Count;
        for (var i = 0; i < Doses.Count; i++)
        {
            var row = Doses[i];
            if (row.IsEmpty)
            {
                continue;
            }

            var label = string.Create(CultureInfo.InvariantCulture, $"dose {i + 1}");
            var amount = required(row.Amount, label + " amount", 0, PlausibilityLimits.MaxDoseMg);
            var unit = DoseRow.Units.Contains(row.Unit ?? string.Empty) ? row.Unit! : null;
            if (unit is null)
            {
                errors.Add(Texts["{0}: \"{1}\" is not one of {2}.", Field(label + " unit"), row.Unit ?? string.Empty, string.Join(", ", DoseRow.Units.Select(WebNumber.Unit))]);
            }

            var isRate = unit is "mg/kg/h" or "mg/h";
            double? over = null;
            if (!string.IsNullOrWhiteSpace(row.Over) || isRate)
            {
                over = required(row.Over, label + (isRate ? " duration (min)" : " infusion over (min)"), 0.1, PlausibilityLimits.MaxAdministrationDays * 1440);
            }

            var at = string.IsNullOrWhiteSpace(row.At) ? 0 : required(row.At, label + " start (min)", 0, MaxHours * 60);
            if (unit is null || double.IsNaN(amount) || (over is { } o && double.IsNaN(o)) || double.IsNaN(at))
            {
                continue;
            }

            // The typed quantity of the row's unit, with the engine's dose rules and plausibility checks; no text in between.
            QuantityParser.Quantity quantity = unit switch
            {
                "mg" => new(QuantityKind.Mass, amount, SafeNumber.Format(amount) + " mg"),
                "mg/kg" => new(QuantityKind.DosePerKg, amount, SafeNumber.Format(amount) + " mg/kg"),
                "mg/h" => new(QuantityKind.DoseRate, DoseRate.FromMilligramsPerHour(amount).MilligramsPerMinute, SafeNumber.Format(amount) + " mg/h"),
                _ => new(QuantityKind.WeightNormalizedRate, WeightNormalizedRate.FromMilligramsPerKilogramPerHour(amount).MilligramsPerKilogramPerMinute, SafeNumber.Format(amount) + " mg/kg/h"),
            };
            var dose = DoseExpression.Create(quantity, over is { } d ? Duration.FromMinutes(d) : null, label);
            if (!dose.IsSuccess)
            {
                errors.Add(Say(dose));
                continue;
            }

            items.Add(new Administration(Duration.FromMinutes(at), dose.Value, route));
        }

        // A row already refused says what is wrong with it; "give a dose" is only for a form without any.
        if (items.Count == 0 && errors.Count == before)
        {
            errors.Add(Texts["{0}: give at least one dose, e.g. 0.5 mg/kg over 60 min.", Field("dose 1")]);
        }

        return items.Count == 0 ? null : new Regimen(items);
    }

    private TciSettings? ParseTci(PkModel m, Ke0Option? ke0, List<string> errors, Func<string?, string, double, double, double> required, Func<string?, string, double, double, double?> optional)
    {
        var target = required(Target, "target (ng/mL)", 1, PlausibilityLimits.MaxPlasmaNgPerMl);
        var minutes = required(TciMinutes, "TCI duration (min)", 1, MaxTciMinutes);
        var bag = required(Bag, "bag concentration (mg/mL)", 0.01, TciSettings.MaxConcentrationMgPerMl);
        var pump = required(PumpMax, "pump maximum (mL/h)", 1, TciSettings.MaxPumpRateMlPerHour);
        var steps = required(Steps, "manual pump steps", 0, TciSettings.MaxManualSteps);
        var ceiling = optional(MaxPlasma, "plasma ceiling (ng/mL)", 1, PlausibilityLimits.MaxPlasmaNgPerMl);
        var site = TciSettings.ParseSite(Site, "site");
        if (!site.IsSuccess)
        {
            errors.Add(Say(site));
            return null;
        }

        if (site.Value == TciSite.EffectSite && ke0 is null && m.EffectSiteOptions.Count == 0)
        {
            errors.Add(Texts["{0}: {1} has no effect-site constant of its own; choose one under effect site, or target plasma.", Field("site"), m.Id]);
        }

        if (!double.IsNaN(steps) && steps != Math.Floor(steps))
        {
            errors.Add(Texts["{0}: {1} is not a whole number.", Field("manual pump steps"), WebNumber.Show(steps)]);
        }

        if (new[] { target, minutes, bag, pump, steps }.Any(double.IsNaN) || errors.Count > 0)
        {
            return null;
        }

        var goal = Concentration.FromNanogramsPerMilliliter(target);

        // Effect-site targeting overshoots plasma on purpose; as `ketacare tci` does, cap it by default at the top of
        // the dissociation range (Zanos 2018; clinical-reference: Concentration and effect (concentration-effect)), or at the target when that is higher.
        var dissociationTop = Concentration.FromNanogramsPerMilliliter(Clinic.ConcentrationBands.Dissociation.HighNgPerMl);
        Concentration? cap = ceiling is { } c
            ? Concentration.FromNanogramsPerMilliliter(c)
            : site.Value == TciSite.EffectSite ? (goal > dissociationTop ? goal : dissociationTop) : null;
        return new TciSettings
        {
            Target = goal,
            Site = site.Value,
            Duration = Duration.FromMinutes(minutes),
            Concentration = Concentration.FromMilligramsPerMilliliter(bag),
            MaxRate = FlowRate.FromMillilitersPerHour(pump),
            Steps = (int)steps,
            MaxPlasma = cap,
        };
    }
}
