using System.ComponentModel.DataAnnotations;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>Clinic settings: the investigation ranges, thresholds and schedule, read by every clinic role and revised by administrators.</summary>
internal static class SettingsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings");

        settings.MapGet("/investigations", GetInvestigationsAsync)
            .RequireAuthorization(Policies.Reference)
            .WithName("GetInvestigationSettings")
            .WithSummary("The investigation settings in force (version 0 = the built-in defaults): every value by its field name, with its allowed range and unit. The screening, the monitoring schedule, the chart's lab flags, the reports and the exports use them.")
            .Produces<InvestigationSettingsView>();

        settings.MapPut("/investigations", ReviseInvestigationsAsync)
            .RequireAuthorization(Policies.Administer)
            .WithName("ReviseInvestigationSettings")
            .WithSummary("Stores a new version of the investigation settings against the version the client read, with a reason; fields not sent keep their values. A value outside its range is refused naming the field and the range (setting.out-of-range), a stale version with 409 (conflict.version).")
            .Accepts<InvestigationSettingsRevision>("application/json")
            .Produces<InvestigationSettingsView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> GetInvestigationsAsync(KetaCareDbContext db, ClinicRequest request, CancellationToken ct) =>
        TypedResults.Ok(await ViewAsync(new SettingsService(db, request.Clock), ct).ConfigureAwait(false));

    private static async Task<IResult> ReviseInvestigationsAsync(JsonBody<InvestigationSettingsRevision> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var r);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var expected = input.Required(r.ExpectedVersion, "expectedVersion", "the version read from GET /api/v1/settings/investigations (0 while the defaults are in force)");
        var values = input.Required(r.Values, "values", "an object of field names and numbers, e.g. {\"altUpper\":60}");
        foreach (var field in values?.Keys.Where(k => !InvestigationSettings.Fields.Any(f => f.Field == k)) ?? [])
        {
            input.Add($"values.{field}: not a field of the investigation settings; the fields are {string.Join(", ", InvestigationSettings.Fields.Select(f => f.Field))}.");
        }

        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        // The reason is the service's to check (setting.reason-required), as for the admin page.
        var service = new SettingsService(db, request.Clock);
        var saved = await service.ReviseInvestigationSettingsAsync(values!, expected!.Value, r.Reason ?? string.Empty, request.RequiredUser, ct).ConfigureAwait(false);
        return saved.IsSuccess ? TypedResults.Ok(await ViewAsync(service, ct).ConfigureAwait(false)) : ApiProblems.Refused(saved.Refusal);
    }

    private static async Task<InvestigationSettingsView> ViewAsync(SettingsService service, CancellationToken ct)
    {
        var (settings, version) = await service.InvestigationSettingsAsync(ct).ConfigureAwait(false);
        return new(version, [.. InvestigationSettings.Fields.Select(f => new InvestigationSettingView(f.Field, f.Get(settings), f.Min, f.Max, f.Unit, f.Whole))]);
    }
}

/// <summary>The investigation settings in force.</summary>
/// <param name="Version">The version in force; 0 while the built-in defaults apply. Send it back as expectedVersion to revise.</param>
/// <param name="Fields">Every changeable value with its allowed range.</param>
public sealed record InvestigationSettingsView(int Version, IReadOnlyList<InvestigationSettingView> Fields);

/// <summary>One value of the investigation settings.</summary>
/// <param name="Field">Field name ("altUpper"), as a revision and a refusal name it.</param>
/// <param name="Value">The value in force.</param>
/// <param name="Min">Lowest allowed value.</param>
/// <param name="Max">Highest allowed value.</param>
/// <param name="Unit">Unit ("U/L", "mg/dL", "ms", "days", "×" for a multiple of the upper limit; empty for a score or a count).</param>
/// <param name="Whole">True when only whole numbers are allowed.</param>
public sealed record InvestigationSettingView(string Field, double Value, double Min, double Max, string Unit, bool Whole);

/// <summary>A revision of the investigation settings.</summary>
/// <param name="ExpectedVersion">The version the client read; a newer one in force is refused with 409.</param>
/// <param name="Values">The values to change by field name (JSON numbers); fields not given keep their values.</param>
/// <param name="Reason">Why (1–500 characters), kept with the version.</param>
public sealed record InvestigationSettingsRevision(int? ExpectedVersion, IReadOnlyDictionary<string, double>? Values, [property: MaxLength(500)] string? Reason);
