using KetaCare.Pharmacology.Models.Library;

namespace KetaCare.Pharmacology.Models;

/// <summary>The published ketamine models KetaCare ships (clinical-reference: Population pharmacokinetic models (pk-models)).</summary>
public static class ModelLibrary
{
    /// <summary>All models, in the order of the clinical reference (pk-models).</summary>
    public static IReadOnlyList<PkModel> All { get; } =
    [
        new Domino1984(),
        new Clements1981(),
        new Hijazi2003(),
        new Herd2007(),
        new Hornik2018(),
        new Flint2017(),
        new Simons2022(),
        new PerezRuixo2021(),
    ];

    /// <summary>Finds a model by id (case-insensitive), or null.</summary>
    public static PkModel? Find(string? id) =>
        All.FirstOrDefault(m => string.Equals(m.Id, id?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds a model by id or returns an error listing the known ids.</summary>
    public static Units.ParseResult<PkModel> Get(string? id, string field = "model") =>
        Find(id) is { } m
            ? Units.ParseResult<PkModel>.Ok(m)
            : Units.ParseResult<PkModel>.Fail(EngineWarning.Of(EngineWarningCodes.ModelUnknown, WarningArg.Of("field", field), WarningArg.Of("text", id ?? string.Empty),
                WarningArg.Of("known", string.Join(", ", All.Select(x => x.Id)))));
}
