using System.ComponentModel.DataAnnotations;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Api;

/// <summary>Patients: search, the chart (an audited read), registration and dated body measurements.</summary>
internal static class PatientsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var patients = api.MapGroup("/patients").WithTags("Patients");

        patients.MapGet("/", SearchAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithName("SearchPatients")
            .WithSummary("Patients whose record number or name contains the search text (all when empty; case- and accent-insensitive), by family name, one page at a time: limit 1–200 (default 50) from offset; a Link header with rel=\"next\" names the next page. No chart is read.")
            .Produces<IReadOnlyList<PatientListItem>>()
            .ProducesValidationProblem();

        patients.MapGet("/{id:guid}", GetChartAsync)
            .RequireAuthorization(Policies.ReadClinical)
            .WithName("GetPatientChart")
            .WithSummary("The patient's chart with every entry and its history; an audited read.")
            .Produces<PatientChart>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        patients.MapPost("/", RegisterAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithName("RegisterPatient")
            .WithSummary("Registers a patient (demographics); refused when the record number is taken.")
            .Accepts<NewPatient>("application/json")
            .Produces<PatientChart>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        patients.MapPost("/{id:guid}/weights", RecordWeightAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithName("RecordBodyMeasurement")
            .WithSummary("Records a dated weight (and height) on the chart, against the chart version the client read.")
            .Accepts<NewBodyMeasurement>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        patients.MapPost("/{id:guid}/liver-panels", RecordLiverPanelAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithName("RecordLiverPanel")
            .WithSummary("Records a liver panel (any of ALT, AST, GGT, ALP in U/L and total bilirubin in mg/dL; at least one) against the chart version the client read.")
            .Accepts<NewLiverPanel>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        patients.MapPost("/{id:guid}/ecgs", RecordEcgAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithName("RecordEcg")
            .WithSummary("Records an ECG (rhythm, QTc in ms, interpretation) against the chart version the client read.")
            .Accepts<NewEcg>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        patients.MapPut("/{id:guid}/contact", ChangeContactAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithName("ChangePatientContact")
            .WithSummary("Sets the patient's e-mail, mobile number (E.164), language of messages (en or tr) and consent to reminders by e-mail and by text message, against the chart version the client read; the unsent reminders of bookings ahead follow the change.")
            .Accepts<NewPatientContact>("application/json")
            .Produces<ChartChange>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        patients.MapPost("/{id:guid}/urinalyses", RecordUrinalysisAsync)
            .RequireAuthorization(Policies.RecordPatient)
            .WithName("RecordUrinalysis")
            .WithSummary("Records a urine dipstick (blood LOINC 5794-3, leukocyte esterase LOINC 5799-2, nitrite LOINC 5802-4 when read) against the chart version the client read.")
            .Accepts<NewUrinalysis>("application/json")
            .Produces<ChartChange>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    /// <summary>True when the patient exists (no chart is read, nothing is audited).</summary>
    internal static Task<bool> ExistsAsync(KetaCareDbContext db, Guid id, CancellationToken ct)
    {
        var patient = new PatientId(id);
        return db.Patients.AsNoTracking().AnyAsync(p => p.Id == patient, ct);
    }

    private static async Task<IResult> SearchAsync(string? search, int? offset, int? limit, HttpContext context, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var errors = new List<string>();
        var from = offset ?? 0;
        var size = limit ?? DefaultPageSize;
        if (from < 0)
        {
            errors.Add($"offset: {from} is outside the allowed range 0 and up.");
        }

        if (size is < 1 or > PatientService.MaxPageSize)
        {
            errors.Add($"limit: {size} is outside the allowed range 1 to {PatientService.MaxPageSize}.");
        }

        if (search is { Length: > MaxSearchLength })
        {
            errors.Add($"search: {search.Length} characters is longer than the allowed {MaxSearchLength}.");
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var (list, more) = await new PatientService(db, request.Clock).SearchPageAsync(search, from, size, ct).ConfigureAwait(false);
        if (more)
        {
            var next = QueryString.Create(new KeyValuePair<string, string?>[] { new("search", search ?? string.Empty), new("offset", (from + size).ToString(CultureInfo.InvariantCulture)), new("limit", size.ToString(CultureInfo.InvariantCulture)) });
            context.Response.Headers.Append("Link", $"</api/v1/patients{next}>; rel=\"next\"");
        }

        return TypedResults.Ok(list.Select(p => new PatientListItem(p.Id.Value, p.MedicalRecordNumber, p.FamilyName, p.GivenName, p.BirthDate, p.Version, p.IsDemo)).ToList());
    }

    private static async Task<IResult> GetChartAsync(Guid id, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var chart = await new PatientService(db, request.Clock).OpenChartAsync(new PatientId(id), request.RequiredUser, ct).ConfigureAwait(false);
        if (!chart.IsSuccess)
        {
            return ApiProblems.Refused(chart.Refusal);
        }

        var (investigations, _) = await new SettingsService(db, request.Clock).InvestigationSettingsAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(PatientChart.From(chart.Value, investigations));
    }

    private static async Task<IResult> RegisterAsync(JsonBody<NewPatient> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var p);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var today = DateOnly.FromDateTime(request.Clock.GetUtcNow().UtcDateTime);
        var record = input.Required(p.MedicalRecordNumber, "medicalRecordNumber", "the clinic's record number");
        var given = input.Required(p.GivenName, "givenName", "text");
        var family = input.Required(p.FamilyName, "familyName", "text");
        var born = input.Required(p.BirthDate, "birthDate", "yyyy-MM-dd");
        if (born is { } b && (b < EarliestBirthDate || b > today))
        {
            input.Add($"birthDate: {b:yyyy-MM-dd} is outside the allowed range {EarliestBirthDate:yyyy-MM-dd} to today ({today:yyyy-MM-dd}).");
        }

        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var demographics = new Demographics(record!.Trim(), given!.Trim(), family!.Trim(), born!.Value, p.Sex);
        var registered = await new PatientService(db, request.Clock).RegisterAsync(demographics, request.RequiredUser, ct).ConfigureAwait(false);
        // A chart just registered has no lab values, so no ranges to judge them by are needed.
        return registered.IsSuccess
            ? TypedResults.Created($"/api/v1/patients/{registered.Value.Id}", PatientChart.From(registered.Value, InvestigationSettings.Default))
            : ApiProblems.Refused(registered.Refusal);
    }

    private static async Task<IResult> RecordWeightAsync(Guid id, JsonBody<NewBodyMeasurement> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var m);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(m.ExpectedVersion, "expectedVersion", "the chart version you read, from GET /api/v1/patients/{id}");
        var weightQuantity = input.Unit(input.Required(m.Weight, "weight", "{\"value\":72.5,\"unit\":\"kg\"}"), "weight", "kg", "g");
        var weight = weightQuantity is null ? (BodyWeight?)null : input.Parsed(QuantityParser.ParseBodyWeight(weightQuantity.Text, "weight"));
        var height = input.Unit(m.Height, "height", "cm")?.Value;
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var on = m.MeasuredOn ?? DateOnly.FromDateTime(request.Clock.GetUtcNow().UtcDateTime);
        var measurement = BodyMeasurement.Create(on, weight!.Value.Kilograms, height);
        if (!measurement.IsSuccess)
        {
            return ApiProblems.Refused(measurement.Refusal);
        }

        return await RecordAsync(id, version!.Value, measurement.Value, db, request, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> RecordLiverPanelAsync(Guid id, JsonBody<NewLiverPanel> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var l);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(l.ExpectedVersion, "expectedVersion", "the chart version you read, from GET /api/v1/patients/{id}");
        var on = input.Required(l.CollectedOn, "collectedOn", "yyyy-MM-dd");
        double? Value(Quantity? q, LabTest test, string field) => input.Unit(q, field, LabTestInfo.Of(test).Unit)?.Value;
        var panel = new LiverPanel(on ?? default, Value(l.Alt, LabTest.Alt, "alt"), Value(l.Ast, LabTest.Ast, "ast"), Value(l.TotalBilirubin, LabTest.TotalBilirubin, "totalBilirubin"), Value(l.Ggt, LabTest.Ggt, "ggt"), Value(l.Alp, LabTest.Alp, "alp"));
        return input.Problem ?? await RecordAsync(id, version!.Value, panel, db, request, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> RecordEcgAsync(Guid id, JsonBody<NewEcg> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var e);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(e.ExpectedVersion, "expectedVersion", "the chart version you read, from GET /api/v1/patients/{id}");
        var on = input.Required(e.RecordedOn, "recordedOn", "yyyy-MM-dd");
        var rhythm = input.Required(e.Rhythm, "rhythm", string.Join(", ", Enum.GetNames<EcgRhythm>()));
        var interpretation = input.Required(e.Interpretation, "interpretation", string.Join(", ", Enum.GetNames<EcgInterpretation>()));
        var qtc = input.Unit(e.Qtc, "qtc", "ms")?.Value;
        return input.Problem ?? await RecordAsync(id, version!.Value, new EcgRecord(on!.Value, rhythm!.Value, qtc, interpretation!.Value, e.Note), db, request, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> RecordUrinalysisAsync(Guid id, JsonBody<NewUrinalysis> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var u);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var results = string.Join(", ", Enum.GetNames<DipstickResult>());
        var version = input.Required(u.ExpectedVersion, "expectedVersion", "the chart version you read, from GET /api/v1/patients/{id}");
        var on = input.Required(u.CollectedOn, "collectedOn", "yyyy-MM-dd");
        var blood = input.Required(u.Blood, "blood", results);
        var leukocytes = input.Required(u.Leukocytes, "leukocytes", results);
        return input.Problem ?? await RecordAsync(id, version!.Value, new Urinalysis(on!.Value, blood!.Value, leukocytes!.Value, u.Nitrite), db, request, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> ChangeContactAsync(Guid id, JsonBody<NewPatientContact> body, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
    {
        var input = ApiInput.From(body, out var c);
        if (input.Problem is { } unreadable)
        {
            return unreadable;
        }

        var version = input.Required(c.ExpectedVersion, "expectedVersion", "the chart version you read, from GET /api/v1/patients/{id}");
        if (input.Problem is { } invalid)
        {
            return invalid;
        }

        var changed = await new PatientService(db, request.Clock).ChangeContactAsync(new PatientId(id), version!.Value, new ContactInput(c.Email, c.MobilePhone, c.Language ?? "en", c.EmailConsent ?? false, c.TextConsent ?? false), c.Reason, request.RequiredUser, ct).ConfigureAwait(false);
        return changed.IsSuccess
            ? TypedResults.Ok(new ChartChange(changed.Value.ContactHistory.Active.Last().Id.Value, changed.Value.Version))
            : ApiProblems.Refused(changed.Refusal);
    }

    // One path for every chart entry the API records: the domain checks the value (naming the field and range), the
    // service refuses a stale version with 409.
    private static async Task<IResult> RecordAsync<T>(Guid id, long version, T value, KetaCareDbContext db, ClinicRequest request, CancellationToken ct)
        where T : notnull
    {
        var recorded = await new PatientService(db, request.Clock).RecordAsync(new PatientId(id), version, value, request.RequiredUser, ct).ConfigureAwait(false);
        return recorded.IsSuccess
            ? TypedResults.Created($"/api/v1/patients/{id:D}", new ChartChange(recorded.Value.Id.Value, version + 1))
            : ApiProblems.Refused(recorded.Refusal);
    }

    // Input sanity for a typing slip in the year; no rule of the clinic depends on it.
    private static readonly DateOnly EarliestBirthDate = ChartInput.EarliestDate;

    /// <summary>Rows of a page when the client names no limit.</summary>
    private const int DefaultPageSize = 50;

    /// <summary>Longest search text: longer than any record number or name, so it could match nothing.</summary>
    private const int MaxSearchLength = 2 * ChartInput.MaxNameLength;
}

/// <summary>A row of the patient list.</summary>
/// <param name="Id">Patient id.</param>
/// <param name="MedicalRecordNumber">Record number.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Version">Chart version (send it as expectedVersion when changing the chart).</param>
/// <param name="IsDemo">True for demo data.</param>
public sealed record PatientListItem(Guid Id, string MedicalRecordNumber, string FamilyName, string GivenName, DateOnly BirthDate, long Version, bool IsDemo);

/// <summary>A patient to register.</summary>
/// <param name="MedicalRecordNumber">The clinic's record number (unique).</param>
/// <param name="GivenName">Given name.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="BirthDate">Date of birth, yyyy-MM-dd (1900-01-01 to today).</param>
/// <param name="Sex">Female or Male (covariates, pregnancy questions); null when not recorded.</param>
public sealed record NewPatient([property: MaxLength(ChartInput.MaxRecordNumberLength)] string? MedicalRecordNumber, [property: MaxLength(ChartInput.MaxNameLength)] string? GivenName, [property: MaxLength(ChartInput.MaxNameLength)] string? FamilyName, DateOnly? BirthDate, Sex? Sex);

/// <summary>A dated body measurement to record.</summary>
/// <param name="ExpectedVersion">The chart version the client read; a chart changed since is refused with 409.</param>
/// <param name="Weight">Body weight, unit kg or g (0.3–500 kg).</param>
/// <param name="Height">Height, unit cm (30–250), or null.</param>
/// <param name="MeasuredOn">Date measured, yyyy-MM-dd (default: today, UTC).</param>
public sealed record NewBodyMeasurement(long? ExpectedVersion, Quantity? Weight, Quantity? Height, DateOnly? MeasuredOn);

/// <summary>A liver panel to record; each value is optional, at least one is required.</summary>
/// <param name="ExpectedVersion">The chart version the client read; a chart changed since is refused with 409.</param>
/// <param name="CollectedOn">Date the blood was taken, yyyy-MM-dd.</param>
/// <param name="Alt">ALT (LOINC 1742-6), unit U/L.</param>
/// <param name="Ast">AST (LOINC 1920-8), unit U/L.</param>
/// <param name="TotalBilirubin">Total bilirubin (LOINC 1975-2), unit mg/dL.</param>
/// <param name="Ggt">GGT (LOINC 2324-2), unit U/L.</param>
/// <param name="Alp">ALP (LOINC 6768-6), unit U/L.</param>
public sealed record NewLiverPanel(long? ExpectedVersion, DateOnly? CollectedOn, Quantity? Alt, Quantity? Ast, Quantity? TotalBilirubin, Quantity? Ggt, Quantity? Alp);

/// <summary>An ECG to record.</summary>
/// <param name="ExpectedVersion">The chart version the client read; a chart changed since is refused with 409.</param>
/// <param name="RecordedOn">Date recorded, yyyy-MM-dd.</param>
/// <param name="Rhythm">Sinus, AtrialFibrillation or Other.</param>
/// <param name="Qtc">QTc (LOINC 8636-3), unit ms (200–800), or null.</param>
/// <param name="Interpretation">Normal, AbnormalNotSignificant or AbnormalSignificant.</param>
/// <param name="Note">Free-text detail.</param>
public sealed record NewEcg(long? ExpectedVersion, DateOnly? RecordedOn, EcgRhythm? Rhythm, Quantity? Qtc, EcgInterpretation? Interpretation, [property: MaxLength(ChartInput.MaxNoteLength)] string? Note);

/// <summary>A urine dipstick to record.</summary>
/// <param name="ExpectedVersion">The chart version the client read; a chart changed since is refused with 409.</param>
/// <param name="CollectedOn">Date of the sample, yyyy-MM-dd.</param>
/// <param name="Blood">Blood (LOINC 5794-3): Negative, Trace, Plus1, Plus2 or Plus3.</param>
/// <param name="Leukocytes">Leukocyte esterase (LOINC 5799-2), same scale.</param>
/// <param name="Nitrite">Nitrite (LOINC 5802-4), same scale, or null when not read.</param>
public sealed record NewUrinalysis(long? ExpectedVersion, DateOnly? CollectedOn, DipstickResult? Blood, DipstickResult? Leukocytes, DipstickResult? Nitrite);

/// <summary>One lab value as the chart shows it: LOINC code, value with unit, the reference range and its flag.</summary>
/// <param name="Test">The test (Alt, Ast, TotalBilirubin, Ggt, Alp).</param>
/// <param name="Loinc">LOINC code.</param>
/// <param name="Value">The value with its unit.</param>
/// <param name="Lower">Lower limit of normal (the clinic's investigation settings in force).</param>
/// <param name="Upper">Upper limit of normal (the clinic's investigation settings in force).</param>
/// <param name="Flag">Normal, Low, High or HighNeedsReview, against those limits.</param>
public sealed record LabValueView(LabTest Test, string Loinc, Quantity Value, double Lower, double Upper, KetaCare.Clinic.Eligibility.LabFlag Flag);

/// <summary>A liver panel.</summary>
/// <param name="CollectedOn">Date collected.</param>
/// <param name="Results">The measured values.</param>
public sealed record LiverPanelView(DateOnly CollectedOn, IReadOnlyList<LabValueView> Results)
{
    // Ranges and flags are the clinic's investigation settings in force, as the screening judges the values.
    internal static LiverPanelView Of(LiverPanel l, InvestigationSettings settings) => new(l.CollectedOn, [.. l.Results.Select(r =>
    {
        var info = LabTestInfo.Of(r.Test);
        var range = settings.RangeOf(r.Test);
        return new LabValueView(r.Test, info.Loinc, Quantity.Of(r.Value, info.Unit), range.Lower, range.Upper, InvestigationRules.Flag(r.Test, r.Value, settings));
    })]);
}

/// <summary>The patient's contact details and reminder consents, replacing the current ones.</summary>
/// <param name="ExpectedVersion">The chart version the client read; a chart changed since is refused with 409.</param>
/// <param name="Email">E-mail address (name@domain, at most 254 characters), or null for none.</param>
/// <param name="MobilePhone">Mobile number, E.164 ("+905321234567"; spaces and hyphens are dropped), or null for none.</param>
/// <param name="Language">Language of messages: en (default) or tr.</param>
/// <param name="EmailConsent">True when the patient agrees to reminders by e-mail (needs an e-mail address); default false.</param>
/// <param name="TextConsent">True when the patient agrees to reminders by text message (needs a mobile number); default false.</param>
/// <param name="Reason">Why the details changed (optional; kept with the earlier version).</param>
public sealed record NewPatientContact(long? ExpectedVersion, string? Email, string? MobilePhone, string? Language, bool? EmailConsent, bool? TextConsent, string? Reason);

/// <summary>Contact details as the chart holds them.</summary>
/// <param name="Email">E-mail address, or null.</param>
/// <param name="MobilePhone">Mobile number (E.164), or null.</param>
/// <param name="Language">Language of messages, en or tr.</param>
/// <param name="EmailConsent">Consent to e-mail reminders, or null when never asked.</param>
/// <param name="TextConsent">Consent to text-message reminders, or null when never asked.</param>
public sealed record ContactView(string? Email, string? MobilePhone, string Language, ConsentView? EmailConsent, ConsentView? TextConsent)
{
    internal static ContactView Of(PatientContact c) => new(c.Email, c.MobilePhone, c.Language, ConsentView.Of(c.EmailConsent), ConsentView.Of(c.TextConsent));
}

/// <summary>A patient's answer about reminders by one channel.</summary>
/// <param name="Given">True when agreed.</param>
/// <param name="RecordedAt">When recorded (UTC).</param>
/// <param name="RecordedBy">Who recorded it.</param>
public sealed record ConsentView(bool Given, DateTime RecordedAt, Guid RecordedBy)
{
    internal static ConsentView? Of(ReminderConsent? r) => r is null ? null : new(r.Given, ApiJson.Utc(r.RecordedAt), r.RecordedBy.Value);
}

/// <summary>The result of a chart change.</summary>
/// <param name="EntryId">The new entry's id.</param>
/// <param name="Version">The chart's version after the change.</param>
public sealed record ChartChange(Guid EntryId, long Version);

/// <summary>A body measurement.</summary>
/// <param name="MeasuredOn">Date.</param>
/// <param name="Weight">Weight, kg.</param>
/// <param name="Height">Height, cm, when measured.</param>
/// <param name="Imported">True for a measurement imported from another system: history, never a dosing weight.</param>
public sealed record MeasurementView(DateOnly MeasuredOn, Quantity Weight, Quantity? Height, bool Imported);

/// <summary>A pain condition.</summary>
/// <param name="Code">ICD-10-CM code.</param>
/// <param name="Description">Description.</param>
/// <param name="Onset">Date the pain began.</param>
/// <param name="Indication">Indication for screening when the code alone does not say it.</param>
public sealed record ConditionView(string Code, string Description, DateOnly Onset, string? Indication);

/// <summary>An earlier pain treatment.</summary>
/// <param name="Class">Treatment class.</param>
/// <param name="Drug">Drug or procedure.</param>
/// <param name="DoseText">Dose as documented.</param>
/// <param name="Duration">How long it was tried, days.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record PriorTreatmentView(TreatmentClass Class, string Drug, string? DoseText, Quantity Duration, TreatmentOutcome Outcome);

/// <summary>A pain NRS recorded between sessions.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Nrs">Pain NRS 0–10.</param>
/// <param name="Note">Note.</param>
public sealed record FollowUpPainView(DateTime At, int Nrs, string? Note);

/// <summary>An allergy or intolerance as the chart holds it.</summary>
/// <param name="Substance">The substance's name.</param>
/// <param name="CatalogueId">The catalogue id (e.g. "ketamine"), or null for a typed name.</param>
/// <param name="IsKetamineProduct">True for ketamine, esketamine or an excipient of the ketamine products (a hard contraindication while it applies).</param>
/// <param name="Category">The kind of substance.</param>
/// <param name="Type">Allergy or intolerance.</param>
/// <param name="Criticality">Potential for a serious reaction.</param>
/// <param name="ClinicalStatus">Whether it applies now.</param>
/// <param name="Verification">How certain it is.</param>
/// <param name="Reaction">The reaction, when known.</param>
/// <param name="Severity">The reaction's severity, when known.</param>
/// <param name="Onset">When it first happened, when known.</param>
/// <param name="VerifiedBy">Who confirmed or refuted it (user id).</param>
public sealed record AllergyView(string Substance, string? CatalogueId, bool IsKetamineProduct, AllergyCategory Category, AllergyType Type, AllergyCriticality Criticality, AllergyClinicalStatus ClinicalStatus, AllergyVerification Verification, string? Reaction, ReactionSeverity? Severity, DateOnly? Onset, Guid? VerifiedBy);

/// <summary>
/// The patient's chart. <see cref="Version"/> is what a change sends as expectedVersion. Findings, medications,
/// pregnancy statuses and consents are the domain records as stored.
/// </summary>
/// <param name="Id">Patient id.</param>
/// <param name="Version">Chart version.</param>
/// <param name="MedicalRecordNumber">Record number.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="BirthDate">Date of birth.</param>
/// <param name="Sex">Sex, when recorded.</param>
/// <param name="CreatedAt">Registered at (UTC).</param>
/// <param name="CreatedBy">Registered by (user id).</param>
/// <param name="Measurements">Weights and heights.</param>
/// <param name="Conditions">Pain conditions.</param>
/// <param name="PriorTreatments">Earlier pain treatments.</param>
/// <param name="Medications">Current medications.</param>
/// <param name="Findings">Contraindication findings.</param>
/// <param name="PregnancyStatuses">Pregnancy statuses.</param>
/// <param name="Consents">Consents.</param>
/// <param name="FollowUpPains">Follow-up pain scores.</param>
/// <param name="AllergyState">What the chart says about allergies: Allergies, NoKnownAllergies or NotRecorded.</param>
/// <param name="Allergies">Allergies and intolerances.</param>
/// <param name="NoKnownAllergies">Dated "no known allergies" statements.</param>
/// <param name="LiverPanels">Liver panels with LOINC codes, units, ranges and flags.</param>
/// <param name="Ecgs">ECGs (QTc in ms).</param>
/// <param name="Urinalyses">Urine dipsticks.</param>
/// <param name="UrinarySymptoms">Urinary-symptom questionnaires (items 0–3).</param>
public sealed record PatientChart(
    Guid Id,
    long Version,
    string MedicalRecordNumber,
    string GivenName,
    string FamilyName,
    DateOnly BirthDate,
    Sex? Sex,
    DateTime CreatedAt,
    Guid CreatedBy,
    IReadOnlyList<Entry<MeasurementView>> Measurements,
    IReadOnlyList<Entry<ConditionView>> Conditions,
    IReadOnlyList<Entry<PriorTreatmentView>> PriorTreatments,
    IReadOnlyList<Entry<Medication>> Medications,
    IReadOnlyList<Entry<ContraindicationFinding>> Findings,
    IReadOnlyList<Entry<PregnancyStatus>> PregnancyStatuses,
    IReadOnlyList<Entry<Consent>> Consents,
    IReadOnlyList<Entry<FollowUpPainView>> FollowUpPains,
    AllergyState AllergyState,
    IReadOnlyList<Entry<AllergyView>> Allergies,
    IReadOnlyList<Entry<NoKnownAllergies>> NoKnownAllergies,
    IReadOnlyList<Entry<LiverPanelView>> LiverPanels,
    IReadOnlyList<Entry<EcgRecord>> Ecgs,
    IReadOnlyList<Entry<Urinalysis>> Urinalyses,
    IReadOnlyList<Entry<UrinarySymptoms>> UrinarySymptoms)
{
    /// <summary>Contact details and reminder consents over time (the active entry is the current one).</summary>
    public IReadOnlyList<Entry<ContactView>> Contact { get; init; } = [];

    internal static PatientChart From(Patient p, InvestigationSettings investigations)
    {
        var d = p.Demographics;
        return new(
            p.Id.Value,
            p.Version,
            d.MedicalRecordNumber,
            d.GivenName,
            d.FamilyName,
            d.BirthDate,
            d.Sex,
            ApiJson.Utc(p.CreatedAt),
            p.CreatedBy.Value,
            ApiJson.Entries(p.Measurements, m => new MeasurementView(m.MeasuredOn, Quantity.Of(m.Weight.Kilograms, "kg"), m.HeightCm is { } h ? Quantity.Of(h, "cm") : null, m.Imported)),
            ApiJson.Entries(p.Conditions, c => new ConditionView(c.Code.ToString(), c.Description, c.Onset, c.Indication?.ToString())),
            ApiJson.Entries(p.PriorTreatments, t => new PriorTreatmentView(t.Class, t.Drug, t.DoseText, Quantity.Of(t.Duration.Hours / 24, "d"), t.Outcome)),
            ApiJson.Entries(p.Medications, m => m),
            ApiJson.Entries(p.Findings, f => f),
            ApiJson.Entries(p.PregnancyStatuses, s => s),
            ApiJson.Entries(p.Consents, c => c),
            ApiJson.Entries(p.FollowUpPains, f => new FollowUpPainView(ApiJson.Utc(f.At), f.Nrs, f.Note)),
            p.Snapshot().AllergyState,
            ApiJson.Entries(p.Allergies, a => new AllergyView(a.Substance.Display, a.Substance.CatalogueId, a.Substance.IsKetamineProduct, a.Category, a.Type, a.Criticality, a.ClinicalStatus, a.Verification, a.Reaction, a.Severity, a.Onset, a.VerifiedBy?.Value)),
            ApiJson.Entries(p.AllergyStatements, n => n),
            ApiJson.Entries(p.LiverPanels, l => LiverPanelView.Of(l, investigations)),
            ApiJson.Entries(p.Ecgs, e => e),
            ApiJson.Entries(p.Urinalyses, u => u),
            ApiJson.Entries(p.UrinarySymptomScores, q => q))
        {
            Contact = ApiJson.Entries(p.ContactHistory, ContactView.Of),
        };
    }
}
