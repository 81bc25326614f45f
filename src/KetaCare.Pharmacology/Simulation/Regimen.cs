using System.Globalization;
using System.Text.Json;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Pharmacology.Simulation;

/// <summary>One administration: when, what, and by which route.</summary>
/// <param name="Start">Time from the start of the regimen.</param>
/// <param name="Dose">The dose as written (bolus, amount over duration, or rate for a duration).</param>
/// <param name="Route">Route of administration.</param>
public sealed record Administration(Duration Start, DoseExpression Dose, Route Route = Route.Intravenous);

/// <summary>A list of administrations; order does not matter, overlaps are allowed (inputs add up).</summary>
public sealed class Regimen
{
    /// <summary>Creates a regimen.</summary>
    public Regimen(IEnumerable<Administration> administrations)
    {
        ArgumentNullException.ThrowIfNull(administrations);
        Administrations = [.. administrations.OrderBy(a => a.Start.Minutes)];
        Routes = [.. Administrations.Select(a => a.Route).Distinct()];
    }

    /// <summary>Administrations in time order.</summary>
    public IReadOnlyList<Administration> Administrations { get; }

    /// <summary>Routes used.</summary>
    public IReadOnlyCollection<Route> Routes { get; }

    /// <summary>A single administration at t = 0.</summary>
    public static Regimen Single(DoseExpression dose, Route route = Route.Intravenous) => new([new Administration(Duration.Zero, dose, route)]);

    /// <summary>
    /// Parses a regimen document:
    /// <c>{"administrations":[{"at":"0 min","dose":"0.5 mg/kg over 60 min","route":"iv"}, …]}</c>
    /// ("at" defaults to 0, "route" to iv). Errors name the entry and the field.
    /// </summary>
    public static ParseResult<Regimen> ParseJson(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return ParseResult<Regimen>.Fail($"regimen: not valid JSON ({e.Message}).");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("administrations", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                return ParseResult<Regimen>.Fail("regimen: expected an object with an \"administrations\" array.");
            }

            var items = new List<Administration>();
            var index = 0;
            foreach (var e in list.EnumerateArray())
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"administrations[{index}]");
                if (e.ValueKind != JsonValueKind.Object)
                {
                    return ParseResult<Regimen>.Fail($"{field}: expected an object with \"dose\", \"at\" and \"route\".");
                }

                var at = Duration.Zero;
                if (e.TryGetProperty("at", out var atEl))
                {
                    var d = QuantityParser.ParseDuration(atEl.ValueKind == JsonValueKind.String ? atEl.GetString() : atEl.GetRawText(), $"{field}.at");
                    if (!d.IsSuccess)
                    {
                        return ParseResult<Regimen>.Fail(d);
                    }

                    at = d.Value;
                }

                if (!e.TryGetProperty("dose", out var doseEl) || doseEl.ValueKind != JsonValueKind.String)
                {
                    return ParseResult<Regimen>.Fail($"{field}.dose: a dose text is required, e.g. \"0.5 mg/kg over 60 min\".");
                }

                var dose = DoseExpression.Parse(doseEl.GetString(), $"{field}.dose");
                if (!dose.IsSuccess)
                {
                    return ParseResult<Regimen>.Fail(dose);
                }

                var route = Route.Intravenous;
                if (e.TryGetProperty("route", out var routeEl))
                {
                    var r = Models.Routes.Parse(routeEl.GetString(), $"{field}.route");
                    if (!r.IsSuccess)
                    {
                        return ParseResult<Regimen>.Fail(r);
                    }

                    route = r.Value;
                }

                items.Add(new Administration(at, dose.Value, route));
                index++;
            }

            return items.Count == 0
                ? ParseResult<Regimen>.Fail("regimen: \"administrations\" is empty.")
                : ParseResult<Regimen>.Ok(new Regimen(items));
        }
    }
}
