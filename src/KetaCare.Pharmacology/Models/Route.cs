namespace KetaCare.Pharmacology.Models;

/// <summary>Routes of administration.</summary>
public enum Route
{
    /// <summary>Intravenous: bolus or infusion straight into the central compartment.</summary>
    Intravenous,

    /// <summary>Intramuscular injection.</summary>
    Intramuscular,

    /// <summary>Subcutaneous injection or infusion.</summary>
    Subcutaneous,

    /// <summary>Intranasal spray (also used for "inhaled" ketamine; clinical-reference: Routes and bioavailability (routes)).</summary>
    Intranasal,

    /// <summary>Sublingual (or buccal/oral thin film).</summary>
    Sublingual,

    /// <summary>Oral, swallowed.</summary>
    Oral,

    /// <summary>Rectal.</summary>
    Rectal,
}

/// <summary>Parsing and naming of routes.</summary>
public static class Routes
{
    /// <summary>Parses "iv", "im", "sc", "in"/"intranasal"/"nasal"/"inhaled", "sl"/"sublingual", "po"/"oral", "pr"/"rectal" (case-insensitive).</summary>
    public static Units.ParseResult<Route> Parse(string? text, string field = "route")
    {
        var t = (text ?? string.Empty).Trim().ToLowerInvariant();
        Route? r = t switch
        {
            "iv" or "intravenous" => Route.Intravenous,
            "im" or "intramuscular" => Route.Intramuscular,
            "sc" or "sq" or "subcutaneous" => Route.Subcutaneous,
            "in" or "intranasal" or "nasal" or "inhaled" => Route.Intranasal,
            "sl" or "sublingual" or "buccal" => Route.Sublingual,
            "po" or "oral" => Route.Oral,
            "pr" or "rectal" => Route.Rectal,
            _ => null,
        };
        return r is { } route
            ? Units.ParseResult<Route>.Ok(route)
            : Units.ParseResult<Route>.Fail(EngineWarning.Of(EngineWarningCodes.RouteUnknown, WarningArg.Of("field", field), WarningArg.Of("text", text ?? string.Empty)));
    }

    /// <summary>Short code: iv, im, sc, intranasal, sublingual, oral, rectal.</summary>
    public static string Code(this Route route) => route switch
    {
        Route.Intravenous => "iv",
        Route.Intramuscular => "im",
        Route.Subcutaneous => "sc",
        Route.Intranasal => "intranasal",
        Route.Sublingual => "sublingual",
        Route.Oral => "oral",
        _ => "rectal",
    };
}
