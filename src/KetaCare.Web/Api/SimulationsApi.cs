using System.Globalization;
using System.Text.Json;
using KetaCare.Clinic.Patients;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>What-if simulations with the engine (no patient data) and the model library with its citations.</summary>
internal static class SimulationsApi
{
    /// <summary>
    /// Most grid points one response carries (two weeks at 1 min, or a day at 5 s): the engine allows far more, but a
    /// response of millions of numbers is a mistake in the grid, not a question.
    /// </summary>
    public const int MaxPoints = 20_000;

    /// <summary>Smallest and largest age accepted, years (as <c>ketacare simulate --age</c>).</summary>
    private const double MinAge = 0, MaxAge = 120;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/simulations", Simulate)
            .RequireAuthorization(Policies.Simulate)
            .WithTags("Simulations")
            .WithName("Simulate")
            .WithSummary("Simulates plasma (and modelled effect-site and metabolite) concentrations for one set of covariates and one regimen: the time grid, the concentrations in ng/mL and Cmax, Tmax and AUC per output. Nothing is stored.")
            .Accepts<SimulationInput>("application/json")
            .Produces<SimulationOutput>()
            .ProducesValidationProblem();

        api.MapGet("/models", () => TypedResults.Ok(ModelLibrary.All.Select(ModelView.From).ToList()))
            .RequireAuthorization(Policies.Simulate)
            .WithTags("Simulations")
            .WithName("ListModels")
            .WithSummary("The published ketamine PK models with their citation, certainty and the population they were built on.")
            .Produces<IReadOnlyList<ModelView>>();
    }

    private static IResult Simulate(JsonBody<SimulationInput> body)
    {
        var input = ApiInput.From(body, out var s);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var modelId = input.Required(s.ModelId, "modelId", "a model id from GET /api/v1/models, e.g. domino1984");
        var model = modelId is null ? null : input.Parsed(ModelLibrary.Get(modelId, "modelId"));
        var patient = Patient(input, s.Patient);
        var regimen = RegimenOf(input, s.Doses, s.Regimen);
        var until = GridSpan(input, s.Until, "until", Duration.FromHours(24));
        var step = GridSpan(input, s.Step, "step", Duration.FromMinutes(1));
        if (until is { } u && step is { } st)
        {
            var points = Math.Floor(u.Minutes / st.Minutes) + 1;
            if (points > MaxPoints)
            {
                input.Add(string.Create(CultureInfo.InvariantCulture, $"step: {st} up to {u} is {points:0} points; the allowed range is 2–{MaxPoints} points. Use a larger step."));
            }
            else if (st.Minutes > u.Minutes)
            {
                input.Add($"step: {st} is longer than until ({u}).");
            }
        }

        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var run = Simulator.Run(new SimulationRequest(model!, patient!, regimen!) { Until = until!.Value, Step = step!.Value });
        if (!run.IsSuccess)
        {
            return ApiProblems.Refused(run.Error);
        }

        var r = run.Value;
        var series = r.Keys.Select(k =>
        {
            var m = r.Metrics(k);
            return new SeriesView(k, "ng/mL", r.NgPerMl(k), new MetricsView(Quantity.Of(m.Cmax.NanogramsPerMilliliter, "ng/mL"), Quantity.Of(m.Tmax.Minutes, "min"), Quantity.Of(m.AucNgHoursPerMl, "ng·h/mL")));
        }).ToList();
        return TypedResults.Ok(new SimulationOutput(model!.Id, model.Citation, new TimeAxis("min", [.. r.Times]), series, [.. r.Warnings.Select(w => w.Message)])
        {
            WarningCodes = [.. r.Warnings.Select(w => w.Code)],
        });
    }

    private static Covariates? Patient(ApiInput input, PatientInput? p)
    {
        if (p is null)
        {
            input.Add("patient: required ({\"weight\":{\"value\":70,\"unit\":\"kg\"}, \"ageYears\":40, \"sex\":\"Female\"}).");
            return null;
        }

        var weightQuantity = input.Unit(input.Required(p.Weight, "patient.weight", "{\"value\":70,\"unit\":\"kg\"}"), "patient.weight", "kg", "g");
        var weight = weightQuantity is null ? (BodyWeight?)null : input.Parsed(QuantityParser.ParseBodyWeight(weightQuantity.Text, "patient.weight"));
        var age = input.InRange(p.AgeYears, "patient.ageYears", MinAge, MaxAge, "years");
        var height = input.InRange(input.Unit(p.Height, "patient.height", "cm")?.Value, "patient.height", BodyMeasurement.MinHeightCm, BodyMeasurement.MaxHeightCm, "cm");
        return weight is { } w && input.IsValid ? new Covariates(w, age, p.Sex, height) : null;
    }

    /// <summary>The doses given as quantities, and/or the engine's regimen document (as <c>ketacare simulate --regimen</c> reads it).</summary>
    private static Regimen? RegimenOf(ApiInput input, IReadOnlyList<DoseInput>? doses, JsonElement? document)
    {
        var items = new List<Administration>();
        if (document is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } doc)
        {
            var parsed = Regimen.ParseJson(doc.GetRawText());
            input.Add(parsed.IsSuccess ? null : parsed.Error.StartsWith("regimen", StringComparison.Ordinal) ? parsed.Error : "regimen." + parsed.Error);
            if (parsed.IsSuccess)
            {
                items.AddRange(parsed.Value.Administrations);
            }
        }

        for (var i = 0; i < (doses?.Count ?? 0); i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"doses[{i}]");
            var d = doses![i];
            var amount = input.Required(d.Amount, field + ".amount", "{\"value\":0.5,\"unit\":\"mg/kg\"}");
            if (amount is null)
            {
                continue;
            }

            // The amount and the duration are parsed once each and stay typed; the engine's dose rules apply to them.
            var quantity = QuantityParser.Parse(amount.Text, field + ".amount");
            input.Add(quantity.Error);
            ParseResult<Duration>? duration = d.Duration is null ? null : QuantityParser.ParseDuration(d.Duration.Text, field + ".duration");
            input.Add(duration?.Error);
            var dose = quantity.IsSuccess && duration is not { IsSuccess: false }
                ? input.Parsed(DoseExpression.Create(quantity.Value, duration?.Value, field + ".amount"))
                : null;
            var route = input.Parsed(Routes.Parse(d.Route ?? "iv", field + ".route"));
            var start = d.Start is null ? Duration.Zero : input.Parsed(QuantityParser.ParseDuration(d.Start.Text, field + ".start"));
            if (dose is not null && input.IsValid)
            {
                items.Add(new Administration(start, dose, route));
            }
        }

        if (items.Count == 0 && input.IsValid)
        {
            input.Add("doses: give at least one dose, e.g. [{\"amount\":{\"value\":0.5,\"unit\":\"mg/kg\"},\"duration\":{\"value\":40,\"unit\":\"min\"},\"route\":\"iv\"}], or a regimen document.");
        }

        return input.IsValid && items.Count > 0 ? new Regimen(items) : null;
    }

    private static Duration? GridSpan(ApiInput input, Quantity? quantity, string field, Duration fallback)
    {
        if (quantity is null)
        {
            return fallback;
        }

        var d = QuantityParser.ParseDuration(quantity.Text, field);
        input.Add(d.Error);
        if (d.IsSuccess && d.Value.Minutes <= 0)
        {
            input.Add($"{field}: must be greater than 0, e.g. {{\"value\":1,\"unit\":\"min\"}}.");
            return null;
        }

        return d.IsSuccess ? d.Value : null;
    }
}

/// <summary>The covariates of a simulated patient.</summary>
/// <param name="Weight">Body weight, unit kg or g (0.3–500 kg).</param>
/// <param name="AgeYears">Age, years (0–120); checked against the model's population.</param>
/// <param name="Sex">Female or Male, for models with sex covariates.</param>
/// <param name="Height">Height, unit cm (30–250), for models with height covariates.</param>
public sealed record PatientInput(Quantity? Weight, double? AgeYears, Sex? Sex, Quantity? Height);

/// <summary>One administration.</summary>
/// <param name="Amount">An amount ({"value":35,"unit":"mg"}, {"value":0.5,"unit":"mg/kg"}) or a rate ({"value":0.5,"unit":"mg/kg/h"}).</param>
/// <param name="Route">iv (default), im, sc, intranasal, sublingual, oral, rectal.</param>
/// <param name="Start">When it starts from time 0, e.g. {"value":2,"unit":"h"} (default 0).</param>
/// <param name="Duration">For an amount: given evenly over this duration (omit for a bolus); for a rate: how long it runs.</param>
public sealed record DoseInput(Quantity? Amount, string? Route, Quantity? Start, Quantity? Duration);

/// <summary>A simulation to run.</summary>
/// <param name="ModelId">Model id from GET /api/v1/models, e.g. domino1984.</param>
/// <param name="Patient">The covariates.</param>
/// <param name="Doses">The doses as quantities.</param>
/// <param name="Regimen">Instead of (or with) doses: the engine's regimen document, {"administrations":[{"at":"0 min","dose":"0.5 mg/kg over 60 min","route":"iv"}]}, dose texts read by the invariant parser (a point as decimal separator).</param>
/// <param name="Until">End of the grid (default 24 h).</param>
/// <param name="Step">Grid step (default 1 min); at most 20000 points.</param>
public sealed record SimulationInput(string? ModelId, PatientInput? Patient, IReadOnlyList<DoseInput>? Doses, JsonElement? Regimen, Quantity? Until, Quantity? Step);

/// <summary>The output grid.</summary>
/// <param name="Unit">Always min (time from the start of the regimen).</param>
/// <param name="Values">The grid times.</param>
public sealed record TimeAxis(string Unit, IReadOnlyList<double> Values);

/// <summary>Metrics of one output.</summary>
/// <param name="Cmax">Highest concentration on the grid.</param>
/// <param name="Tmax">Time of Cmax (first occurrence).</param>
/// <param name="Auc">Area under the curve from 0 to the end of the grid (exact where the model integrates it).</param>
public sealed record MetricsView(Quantity Cmax, Quantity Tmax, Quantity Auc);

/// <summary>One concentration series on the grid.</summary>
/// <param name="Output">plasma, effect, norketamine, hnk … (as the model provides).</param>
/// <param name="Unit">Always ng/mL.</param>
/// <param name="Values">One value per grid time.</param>
/// <param name="Metrics">Cmax, Tmax, AUC.</param>
public sealed record SeriesView(string Output, string Unit, IReadOnlyList<double> Values, MetricsView Metrics);

/// <summary>A simulated profile.</summary>
/// <param name="ModelId">The model.</param>
/// <param name="Citation">Its citation.</param>
/// <param name="Time">The grid.</param>
/// <param name="Series">The outputs.</param>
/// <param name="Warnings">Population-range warnings and labelled assumptions of this run, in English.</param>
public sealed record SimulationOutput(string ModelId, string Citation, TimeAxis Time, IReadOnlyList<SeriesView> Series, IReadOnlyList<string> Warnings)
{
    /// <summary>The code of each warning, in the same order (e.g. "model.age-not-given", "route.assumed").</summary>
    public IReadOnlyList<string> WarningCodes { get; init; } = [];
}

/// <summary>A range of a population.</summary>
/// <param name="Min">Smallest.</param>
/// <param name="Max">Largest.</param>
public sealed record RangeView(double Min, double Max);

/// <summary>A model of the library.</summary>
/// <param name="Id">Model id.</param>
/// <param name="Title">Title.</param>
/// <param name="Drug">Which ketamine.</param>
/// <param name="Structure">Structure in words.</param>
/// <param name="Citation">Full citation.</param>
/// <param name="Certainty">Certainty of the parameter values (see the clinical reference: [P], [S], [U] or assumption).</param>
/// <param name="Population">The population it was built on.</param>
/// <param name="AgeYears">Ages studied, years.</param>
/// <param name="WeightKg">Weights studied, kg.</param>
/// <param name="Notes">Caveats a clinician should read.</param>
public sealed record ModelView(string Id, string Title, DrugForm Drug, string Structure, string Citation, Certainty Certainty, string Population, RangeView AgeYears, RangeView WeightKg, IReadOnlyList<string> Notes)
{
    internal static ModelView From(PkModel m) => new(
        m.Id, m.Title, m.Drug, m.Structure, m.Citation, m.Certainty, m.Population.Description,
        new RangeView(m.Population.AgeYears.Min, m.Population.AgeYears.Max), new RangeView(m.Population.WeightKg.Min, m.Population.WeightKg.Max), m.Notes);
}
