using System.ComponentModel.DataAnnotations;
using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Api;

/// <summary>Eligibility: run the rule set (stored, immutable), list a patient's assessments, and a physician's one-time review.</summary>
internal static class EligibilityApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/patients/{id:guid}/assessments", AssessAsync)
            .RequireAuthorization(Policies.Screen)
            .WithTags("Eligibility")
            .WithName("AssessEligibility")
            .WithSummary("Runs the eligibility rule set on the patient's current chart for one active condition and stores the immutable result.")
            .Accepts<NewAssessment>("application/json")
            .Produces<AssessmentView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/patients/{id:guid}/assessments", ListAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithTags("Eligibility")
            .WithName("ListAssessments")
            .WithSummary("The patient's eligibility assessments with their reviews, newest first; an audited read.")
            .Produces<IReadOnlyList<AssessmentView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/assessments/{id:guid}/review", ReviewAsync)
            .RequireAuthorization(Policies.Prescribe)
            .WithTags("Eligibility")
            .WithName("ReviewAssessment")
            .WithSummary("A physician's review of an assessment that needs one (approved or not, with a reason); written once, never changed.")
            .Accepts<NewReview>("application/json")
            .Produces<ReviewView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> AssessAsync(Guid id, JsonBody<NewAssessment> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var a);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var condition = input.Required(a.ConditionId, "conditionId", "the id of an active condition entry of the chart");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var protocol = string.IsNullOrWhiteSpace(a.IntendedProtocolId) ? null : a.IntendedProtocolId.Trim();
        var result = await new TreatmentService(db, request.Clock).AssessEligibilityAsync(new PatientId(id), new EntryId(condition!.Value), request.RequiredUser, protocol, ct).ConfigureAwait(false);
        return result.IsSuccess
            ? TypedResults.Created($"/api/v1/patients/{id:D}/assessments", AssessmentView.From(result.Value, null))
            : ApiProblems.Refused(result.Refusal);
    }

    private static async Task<IResult> ListAsync(Guid id, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        if (!await PatientsApi.ExistsAsync(db, id, ct).ConfigureAwait(false))
        {
            return ApiProblems.NotFound("patient", id);
        }

        var list = await new TreatmentService(db, request.Clock).AssessmentsAsync(new PatientId(id), request.RequiredUser, ct).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(x => AssessmentView.From(x.Assessment, x.Review)).ToList());
    }

    private static async Task<IResult> ReviewAsync(Guid id, JsonBody<NewReview> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var r);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var approved = input.Required(r.Approved, "approved", "true or false");
        var reason = input.Required(r.Reason, "reason", "why the patient may or may not be treated");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var review = await new TreatmentService(db, request.Clock).ReviewAsync(new AssessmentId(id), approved!.Value, reason!, request.RequiredUser, ct).ConfigureAwait(false);
        return review.IsSuccess
            ? TypedResults.Created($"/api/v1/assessments/{id:D}/review", ReviewView.From(review.Value))
            : ApiProblems.Refused(review.Refusal);
    }
}

/// <summary>An eligibility run to store.</summary>
/// <param name="ConditionId">The id of the active condition entry screened (from the chart's conditions).</param>
/// <param name="IntendedProtocolId">The protocol planned, for frequency and dose warnings; optional.</param>
public sealed record NewAssessment(Guid? ConditionId, [property: MaxLength(64)] string? IntendedProtocolId);

/// <summary>A physician's review of an assessment.</summary>
/// <param name="Approved">True when the physician approves treatment despite the findings.</param>
/// <param name="Reason">Why.</param>
public sealed record NewReview(bool? Approved, [property: MaxLength(ChartInput.MaxNoteLength)] string? Reason);

/// <summary>One rule's finding.</summary>
/// <param name="RuleId">Rule id.</param>
/// <param name="Level">Finding level.</param>
/// <param name="Message">What the rule found.</param>
/// <param name="Source">Where the rule comes from, with its certainty.</param>
public sealed record RuleFindingView(string RuleId, FindingLevel Level, string Message, string Source);

/// <summary>A physician's review.</summary>
/// <param name="Approved">Approved or not.</param>
/// <param name="Reason">Why.</param>
/// <param name="By">The physician (user id).</param>
/// <param name="At">When (UTC).</param>
public sealed record ReviewView(bool Approved, string Reason, Guid By, DateTime At)
{
    internal static ReviewView From(PhysicianReview r) => new(r.Approved, r.Reason, r.By.Value, ApiJson.Utc(r.At));
}

/// <summary>An eligibility assessment: the immutable result of one rule-set version on one chart version.</summary>
/// <param name="Id">Assessment id.</param>
/// <param name="PatientId">Patient.</param>
/// <param name="PatientVersion">The chart version it was run on.</param>
/// <param name="ConditionId">The condition screened.</param>
/// <param name="Result">Eligible, NotEligible or NeedsReview.</param>
/// <param name="RuleSetVersion">The rule set's version.</param>
/// <param name="Findings">Each rule's finding with its source.</param>
/// <param name="RequiredTests">Tests required before the first infusion.</param>
/// <param name="AssessedOn">Date of the assessment.</param>
/// <param name="RecordedAt">When it was stored (UTC).</param>
/// <param name="RecordedBy">Who ran it.</param>
/// <param name="Review">The physician's review, if any.</param>
public sealed record AssessmentView(
    Guid Id,
    Guid PatientId,
    long PatientVersion,
    Guid ConditionId,
    EligibilityResult Result,
    string RuleSetVersion,
    IReadOnlyList<RuleFindingView> Findings,
    IReadOnlyList<RequiredTest> RequiredTests,
    DateOnly AssessedOn,
    DateTime RecordedAt,
    Guid RecordedBy,
    ReviewView? Review)
{
    internal static AssessmentView From(EligibilityAssessment a, PhysicianReview? review) => new(
        a.Id.Value,
        a.PatientId.Value,
        a.PatientVersion,
        a.ConditionId.Value,
        a.Evaluation.Result,
        a.Evaluation.RuleSetVersion,
        [.. a.Evaluation.Findings.Select(f => new RuleFindingView(f.RuleId, f.Level, f.Message, f.Source.ToString()))],
        a.Evaluation.RequiredTests,
        a.AssessedOn,
        ApiJson.Utc(a.RecordedAt),
        a.RecordedBy.Value,
        review is null ? null : ReviewView.From(review));
}
