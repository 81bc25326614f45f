using System.ComponentModel.DataAnnotations;
using KetaCare.Clinic.Analytics;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>The clinic analytics (physicians and administrators; de-identified) and its settings.</summary>
internal static class AnalyticsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/analytics", GetAsync)
            .RequireAuthorization(Policies.Analyse)
            .WithTags("Analytics")
            .WithName("GetAnalytics")
            .WithSummary("The clinic analytics of the courses the filter selects (from, to: yyyy-MM-dd of the first session; protocol; indication; sex; ageBand: Under40, From40To59, From60; axis: PlasmaAuc or DoseMgPerKg): relief against exposure with an Emax fit, responder rates with Wilson 95 % intervals by protocol, indication and highest dose level, dissociation and adverse-event rates by predicted plasma Cmax, and the Kaplan–Meier time to relapse. De-identified: courses are numbered; audited.")
            .Produces<AnalyticsView>()
            .ProducesValidationProblem();

        api.MapPost("/analytics/identified", IdentifiedAsync)
            .RequireAuthorization(Policies.Analyse)
            .WithTags("Analytics")
            .WithName("GetIdentifiedAnalytics")
            .WithSummary("The same analytics with each course's record number and name (identified), for an active physician following up their patients: the filter as in GET /api/v1/analytics plus a reason (1–500 characters). Refused with 403 analytics.identify-not-permitted for anyone else (administrators included), 400 reason.required without a reason. Audited apart, with the reason; nothing is remembered — GET stays de-identified. Names never reach the charts.")
            .Accepts<IdentifiedAnalyticsRequest>("application/json")
            .Produces<AnalyticsView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/plans/{id:guid}/individualisation", IndividualAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Plans")
            .WithName("GetIndividualisedProposal")
            .WithSummary("The individualised proposal beside the titration advisor (advisory): the patient's dissociation EC50 (ng/mL, effect site) and relief EC50 (ng·h/mL, effect-site AUC) as MAP estimates with Laplace 95 % intervals and the scores used, and the highest rate whose cautious predicted peak CADSS stays at the clinic's limit; an audited read. Refused with individual.no-observations before any CADSS score, individual.not-infusion for single-dose protocols.")
            .Produces<IndividualView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        var settings = api.MapGroup("/settings").WithTags("Settings");
        settings.MapGet("/analytics", GetSettingsAsync)
            .RequireAuthorization(Policies.Analyse)
            .WithName("GetAnalyticsSettings")
            .WithSummary("The analytics settings in force (version 0 = the built-in defaults): the relapse line as a fraction of the pre-course baseline, 0.5–0.95, default 0.7.")
            .Produces<AnalyticsSettingsView>();
        settings.MapPut("/analytics", ReviseSettingsAsync)
            .RequireAuthorization(Policies.Administer)
            .WithName("ReviseAnalyticsSettings")
            .WithSummary("Stores a new version of the analytics settings against the version read, with a reason; a relapse fraction outside 0.5–0.95 is refused naming the field (input.out-of-range), a stale version with 409.")
            .Accepts<AnalyticsSettingsRevision>("application/json")
            .Produces<AnalyticsSettingsView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> GetAsync(string? from, string? to, string? protocol, string? indication, string? sex, string? ageBand, string? axis, AnalyticsService analytics, ClinicRequest request, CancellationToken ct)
    {
        var query = new AnalyticsQuery(from, to, protocol, indication, sex, ageBand, axis).Parse();
        if (!query.IsSuccess)
        {
            return ApiProblems.Refused(query.Refusal);
        }

        var report = await analytics.ReportAsync(query.Value.Filter, query.Value.Axis, request.RequiredUser, ct).ConfigureAwait(false);
        return TypedResults.Ok(AnalyticsView.From(report));
    }

    private static async Task<IResult> IdentifiedAsync(JsonBody<IdentifiedAnalyticsRequest> body, AnalyticsService analytics, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var r);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var query = new AnalyticsQuery(r.From, r.To, r.Protocol, r.Indication, r.Sex, r.AgeBand, r.Axis).Parse();
        if (!query.IsSuccess)
        {
            return ApiProblems.Refused(query.Refusal);
        }

        var report = await analytics.IdentifiedReportAsync(query.Value.Filter, query.Value.Axis, r.Reason, request.RequiredUser, ct).ConfigureAwait(false);
        return report.IsSuccess ? TypedResults.Ok(AnalyticsView.From(report.Value)) : ApiProblems.Refused(report.Refusal);
    }

    private static async Task<IResult> IndividualAsync(Guid id, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var r = await new TreatmentService(db, request.Clock).IndividualiseAsync(new Clinic.PlanId(id), request.RequiredUser, ct).ConfigureAwait(false);
        return r.IsSuccess ? TypedResults.Ok(IndividualView.From(r.Value)) : ApiProblems.Refused(r.Refusal);
    }

    private static async Task<IResult> GetSettingsAsync(KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var (s, version) = await new SettingsService(db, request.Clock).AnalyticsSettingsAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(new AnalyticsSettingsView(version, s.RelapseFraction));
    }

    private static async Task<IResult> ReviseSettingsAsync(JsonBody<AnalyticsSettingsRevision> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var r);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var expected = input.Required(r.ExpectedVersion, "expectedVersion", "the version read from GET /api/v1/settings/analytics (0 while the defaults are in force)");
        var fraction = input.Required(r.RelapseFraction, "relapseFraction", "a number from 0.5 to 0.95");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var service = new SettingsService(db, request.Clock);
        var saved = await service.ReviseAnalyticsSettingsAsync(new AnalyticsSettings(fraction!.Value), expected!.Value, r.Reason ?? string.Empty, request.RequiredUser, ct).ConfigureAwait(false);
        return saved.IsSuccess ? await GetSettingsAsync(db, request, ct).ConfigureAwait(false) : ApiProblems.Refused(saved.Refusal);
    }
}

/// <summary>The identified view asked for: the filter of GET /api/v1/analytics and why.</summary>
/// <param name="From">First session on or after (yyyy-MM-dd).</param>
/// <param name="To">First session on or before (yyyy-MM-dd).</param>
/// <param name="Protocol">Protocol id.</param>
/// <param name="Indication">Indication name.</param>
/// <param name="Sex">Female or Male.</param>
/// <param name="AgeBand">Under40, From40To59 or From60.</param>
/// <param name="Axis">PlasmaAuc (default) or DoseMgPerKg.</param>
/// <param name="Reason">Why the courses are identified (1–500 characters), kept in the audit log.</param>
public sealed record IdentifiedAnalyticsRequest(string? From, string? To, string? Protocol, string? Indication, string? Sex, string? AgeBand, string? Axis, [property: MaxLength(500)] string? Reason);

/// <summary>Who a course's patient is (identified view only).</summary>
/// <param name="Course">The course's number, as in points and the CSV.</param>
/// <param name="MedicalRecordNumber">The clinic's record number.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="GivenName">Given name.</param>
public sealed record IdentifiedCourseView(string Course, string MedicalRecordNumber, string FamilyName, string GivenName);

/// <summary>The analytics settings in force.</summary>
/// <param name="Version">Version in force (0 = defaults); send it back as expectedVersion.</param>
/// <param name="RelapseFraction">Relapse = pain above this fraction of the pre-course baseline.</param>
public sealed record AnalyticsSettingsView(int Version, double RelapseFraction);

/// <summary>A revision of the analytics settings.</summary>
/// <param name="ExpectedVersion">The version read.</param>
/// <param name="RelapseFraction">0.5–0.95.</param>
/// <param name="Reason">Why (1–500 characters).</param>
public sealed record AnalyticsSettingsRevision(int? ExpectedVersion, double? RelapseFraction, [property: MaxLength(500)] string? Reason);

/// <summary>A rate with its Wilson 95 % interval.</summary>
/// <param name="Group">Group key.</param>
/// <param name="Successes">Count with the outcome.</param>
/// <param name="Trials">Count observed.</param>
/// <param name="Low">Lower limit, 0–1.</param>
/// <param name="High">Upper limit, 0–1.</param>
public sealed record RateView(string Group, int Successes, int Trials, double Low, double High)
{
    internal static RateView From(string group, Proportion p) => new(group, p.Successes, p.Trials, p.Low, p.High);
}

/// <summary>An estimate with its 95 % limits.</summary>
/// <param name="Value">Estimate.</param>
/// <param name="Low">Lower limit.</param>
/// <param name="High">Upper limit.</param>
public sealed record EstimateView(double Value, double Low, double High)
{
    internal static EstimateView From(Estimate e) => new(e.Value, e.Low, e.High);
}

/// <summary>The Emax fit of course relief (%) on exposure.</summary>
/// <param name="E0">Relief at zero exposure, %.</param>
/// <param name="Emax">Largest added relief, %.</param>
/// <param name="Ec50">Exposure of half the largest added relief (in the axis unit).</param>
/// <param name="ResidualSd">Residual standard deviation, %.</param>
/// <param name="Points">Courses fitted.</param>
public sealed record FitView(EstimateView E0, EstimateView Emax, EstimateView Ec50, double ResidualSd, int Points);

/// <summary>One step of the relapse curve.</summary>
/// <param name="Days">Days after the course.</param>
/// <param name="AtRisk">At risk just before.</param>
/// <param name="Events">Relapses.</param>
/// <param name="Censored">Censored.</param>
/// <param name="RelapseFree">Share still relapse-free.</param>
/// <param name="Low">Lower 95 % limit.</param>
/// <param name="High">Upper 95 % limit.</param>
public sealed record SurvivalView(double Days, int AtRisk, int Events, int Censored, double RelapseFree, double Low, double High);

/// <summary>Rates of the sessions in one band of predicted plasma Cmax.</summary>
/// <param name="Low">Lower edge, ng/mL.</param>
/// <param name="High">Upper edge, ng/mL; null for the open top band.</param>
/// <param name="Dissociation">Sessions with CADSS above the alert threshold.</param>
/// <param name="AdverseEvent">Sessions with an adverse event.</param>
public sealed record CmaxBandView(double Low, double? High, RateView Dissociation, RateView AdverseEvent);

/// <summary>The clinic analytics (de-identified).</summary>
/// <param name="Courses">Courses selected.</param>
/// <param name="Sessions">Sessions in them.</param>
/// <param name="RelapseFraction">Relapse line used.</param>
/// <param name="CadssAbove">CADSS threshold of dissociation.</param>
/// <param name="Axis">Exposure measure.</param>
/// <param name="Points">Pseudonym, exposure and relief (%) of each course.</param>
/// <param name="Fit">The Emax fit; null when the data do not support one (see FitProblem).</param>
/// <param name="FitProblem">The finding code when there is no fit.</param>
/// <param name="Responders">All courses with a status.</param>
/// <param name="ByProtocol">Responder rates by protocol.</param>
/// <param name="ByIndication">Responder rates by indication.</param>
/// <param name="ByDoseLevel">Responder rates by highest dose level.</param>
/// <param name="ByCmax">Dissociation and adverse-event rates by Cmax band.</param>
/// <param name="Relapse">Kaplan–Meier steps.</param>
/// <param name="MedianDaysToRelapse">Median; null when not reached.</param>
/// <param name="Identified">Record number and name per course in the identified view; null in the de-identified view.</param>
public sealed record AnalyticsView(
    int Courses,
    int Sessions,
    double RelapseFraction,
    int CadssAbove,
    ExposureAxis Axis,
    IReadOnlyList<ExposurePoint> Points,
    FitView? Fit,
    string? FitProblem,
    RateView Responders,
    IReadOnlyList<RateView> ByProtocol,
    IReadOnlyList<RateView> ByIndication,
    IReadOnlyList<RateView> ByDoseLevel,
    IReadOnlyList<CmaxBandView> ByCmax,
    IReadOnlyList<SurvivalView> Relapse,
    double? MedianDaysToRelapse,
    IReadOnlyList<IdentifiedCourseView>? Identified)
{
    internal static AnalyticsView From(AnalyticsReport r) => new(
        r.Courses.Count,
        r.Sessions,
        r.Settings.RelapseFraction,
        r.CadssAbove,
        r.Axis,
        r.Points,
        r.Fit.IsSuccess ? new FitView(EstimateView.From(r.Fit.Value.E0), EstimateView.From(r.Fit.Value.Emax), EstimateView.From(r.Fit.Value.Ec50), r.Fit.Value.ResidualStandardDeviation, r.Fit.Value.Points) : null,
        r.Fit.IsSuccess ? null : r.Fit.Findings.FirstOrDefault()?.Code,
        RateView.From("all", r.Responders),
        [.. r.ByProtocol.Select(g => RateView.From(g.Group, g.Rate))],
        [.. r.ByIndication.Select(g => RateView.From(g.Group, g.Rate))],
        [.. r.ByDoseLevel.Select(g => RateView.From(g.Group, g.Rate))],
        [.. r.ByCmax.Select(b => new CmaxBandView(b.LowNgPerMl, double.IsPositiveInfinity(b.HighNgPerMl) ? null : b.HighNgPerMl, RateView.From("dissociation", b.Dissociation), RateView.From("adverse-event", b.AdverseEvent)))],
        [.. r.Relapse.Steps.Select(s => new SurvivalView(s.Time, s.AtRisk, s.Events, s.Censored, s.Survival, s.Low, s.High))],
        r.Relapse.Median,
        r.Identities is { } who ? [.. r.Courses.Where(c => who.ContainsKey(c.Pseudonym)).Select(c => new IdentifiedCourseView(c.Pseudonym, who[c.Pseudonym].MedicalRecordNumber, who[c.Pseudonym].FamilyName, who[c.Pseudonym].GivenName))] : null);
}

/// <summary>An individual estimate.</summary>
/// <param name="Value">MAP estimate.</param>
/// <param name="Low">Lower 95 % limit (Laplace).</param>
/// <param name="High">Upper 95 % limit.</param>
/// <param name="Prior">Prior median.</param>
/// <param name="Observations">Exposure and observed value of each score used.</param>
public sealed record PosteriorView(double Value, double Low, double High, double Prior, IReadOnlyList<double[]> Observations)
{
    internal static PosteriorView From(PosteriorEstimate e) => new(e.Value, e.Low, e.High, e.Prior, [.. e.Observations.Select(o => new[] { o.Exposure, o.Observed })]);
}

/// <summary>The individualised proposal (advisory; taken through the titration override).</summary>
/// <param name="Dissociation">Dissociation EC50, ng/mL (effect site); observations are [concentration, CADSS].</param>
/// <param name="Relief">Relief EC50, ng·h/mL (effect-site AUC of a session); observations are [AUC, relief fraction].</param>
/// <param name="CadssLimit">The clinic's CADSS limit.</param>
/// <param name="Rate">Proposed rate; null when even the lowest step is predicted above the limit.</param>
/// <param name="PredictedPeakCadss">Predicted peak CADSS at the rate: MAP EC50.</param>
/// <param name="CautiousPeakCadss">Predicted peak CADSS at the lower 95 % EC50 limit (what the rate is chosen on).</param>
/// <param name="PredictedRelief">Predicted in-session relief fraction at the rate, with its 95 % limits.</param>
public sealed record IndividualView(PosteriorView Dissociation, PosteriorView Relief, int CadssLimit, Quantity? Rate, double PredictedPeakCadss, double CautiousPeakCadss, EstimateView PredictedRelief)
{
    internal static IndividualView From(IndividualProposal p) => new(
        PosteriorView.From(p.Dissociation),
        PosteriorView.From(p.Relief),
        p.CadssLimit,
        p.Rate is { } r ? ApiJson.Dose(r) : null,
        p.PredictedPeakCadss.Map,
        p.PredictedPeakCadss.Cautious,
        new EstimateView(p.PredictedRelief.Map, p.PredictedRelief.Low, p.PredictedRelief.High));
}
