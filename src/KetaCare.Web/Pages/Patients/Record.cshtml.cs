using Microsoft.Extensions.Localization;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Outcomes;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace KetaCare.Web.Pages.Patients;

/// <summary>Who the patient is, as typed: registration and corrections.</summary>
public sealed class DemographicsInput
{
    public string? RecordNumber { get; set; }

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    public string? BirthDate { get; set; }

    public string? Sex { get; set; }

    /// <summary>The demographics, or the first error naming its field.</summary>
    public Outcome<Demographics> Parse(IStringLocalizer<Strings> T)
    {
        ArgumentNullException.ThrowIfNull(T);
        if (string.IsNullOrWhiteSpace(RecordNumber))
        {
            return new Refusal(T["Record number"] + ": " + T["required."]);
        }

        if (string.IsNullOrWhiteSpace(GivenName) || string.IsNullOrWhiteSpace(FamilyName))
        {
            return new Refusal(T["Given and family name"] + ": " + T["required."]);
        }

        if (!PatientInput.TryDate(BirthDate, T["Date of birth"], out var born, out var error))
        {
            return new Refusal(error!);
        }

        Pharmacology.Models.Sex? sex = null;
        if (!string.IsNullOrEmpty(Sex))
        {
            if (!PatientInput.TryChoice<Pharmacology.Models.Sex>(Sex, T["Sex"], out var s, out error))
            {
                return new Refusal(error!);
            }

            sex = s;
        }

        return Outcome<Demographics>.Ok(new Demographics(RecordNumber.Trim(), GivenName.Trim(), FamilyName.Trim(), born, sex));
    }
}

/// <summary>A dated weight (and height).</summary>
public sealed class WeightInput
{
    public string? MeasuredOn { get; set; }

    public string? Kg { get; set; }

    public string? HeightCm { get; set; }
}

/// <summary>A pain condition.</summary>
public sealed class ConditionInput
{
    public string? Code { get; set; }

    public string? Description { get; set; }

    public string? Onset { get; set; }
}

/// <summary>An earlier treatment and how it ended.</summary>
public sealed class TreatmentInput
{
    public string? Class { get; set; }

    public string? Drug { get; set; }

    public string? DoseText { get; set; }

    public string? Days { get; set; }

    public string? Outcome { get; set; }
}

/// <summary>An allergy or intolerance: a catalogue substance (its id) or "other" with the name typed.</summary>
public sealed class AllergyInput
{
    public string? Substance { get; set; }

    public string? OtherSubstance { get; set; }

    public string? Category { get; set; }

    public string? Type { get; set; }

    public string? Criticality { get; set; }

    public string? ClinicalStatus { get; set; }

    public string? Verification { get; set; }

    public string? Reaction { get; set; }

    public string? Severity { get; set; }

    public string? Onset { get; set; }
}

/// <summary>A dated "no known allergies".</summary>
public sealed class NoKnownAllergiesInput
{
    public string? StatedOn { get; set; }
}

/// <summary>A liver panel as typed: the date and any of the five values, each in its test's unit.</summary>
public sealed class LiverPanelInput
{
    public string? CollectedOn { get; set; }

    public string? Alt { get; set; }

    public string? Ast { get; set; }

    public string? Bilirubin { get; set; }

    public string? Ggt { get; set; }

    public string? Alp { get; set; }
}

/// <summary>An ECG.</summary>
public sealed class EcgInput
{
    public string? RecordedOn { get; set; }

    public string? Rhythm { get; set; }

    public string? QtcMs { get; set; }

    public string? Interpretation { get; set; }

    public string? Note { get; set; }
}

/// <summary>A urine dipstick.</summary>
public sealed class UrinalysisInput
{
    public string? CollectedOn { get; set; }

    public string? Blood { get; set; }

    public string? Leukocytes { get; set; }

    public string? Nitrite { get; set; }
}

/// <summary>The urinary-symptom questionnaire: five items 0–3.</summary>
public sealed class UrinarySymptomsInput
{
    public string? CompletedOn { get; set; }

    public string? Frequency { get; set; }

    public string? Urgency { get; set; }

    public string? Dysuria { get; set; }

    public string? Haematuria { get; set; }

    public string? BladderPain { get; set; }
}

/// <summary>A current medication.</summary>
public sealed class MedicationInput
{
    public string? Name { get; set; }

    public string? DoseText { get; set; }

    public List<string> Interactions { get; set; } = [];
}

/// <summary>A contraindication finding.</summary>
public sealed class FindingInput
{
    public string? Kind { get; set; }

    public string? Severity { get; set; }

    public string? Active { get; set; }

    public string? Note { get; set; }
}

/// <summary>A pregnancy status.</summary>
public sealed class PregnancyInput
{
    public string? State { get; set; }

    public string? AssessedOn { get; set; }
}

/// <summary>The off-label treatment consent.</summary>
public sealed class ConsentInput
{
    public string? SignedOn { get; set; }

    public string? ExpiresOn { get; set; }

    public string? WithdrawnOn { get; set; }

    public string? Document { get; set; }
}

/// <summary>
/// Records, amends (with a reason) or marks entered-in-error every kind of chart entry through
/// <see cref="PatientService"/>, against the chart version the user saw. Values are built by the domain's own
/// factories (<see cref="BodyMeasurement.Create"/>, <see cref="Icd10Code.Parse"/>), so the rules are those of the
/// CLI and the API; the page only turns form text into numbers and dates.
/// </summary>
[Authorize(Policy = Policies.RecordPatient)]
public sealed class RecordModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> T) : PageModel
{
    /// <summary>The kinds of entry, in the order of the chart (also the anchors of the chart's sections).</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["weight", "condition", "treatment", "allergy", "nka", "medication", "finding", "pregnancy", "consent", "liver", "ecg", "urinalysis", "urinary"];

    /// <summary>Outcome measures kept in the chart: recorded on the outcomes page, marked entered-in-error here.</summary>
    public static IReadOnlyList<string> OutcomeKinds { get; } = ["followup", "bpi", "pgic"];

    // Input sanity for how long a treatment was tried (not a clinical limit): a day to 50 years.
    private const double MinTreatmentDays = 1, MaxTreatmentDays = 18_262;

    public Patient Patient { get; private set; } = null!;

    [BindProperty]
    public long Version { get; set; }

    /// <summary>The entry being amended, or null for a new entry.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Entry { get; set; }

    /// <summary>The kind shown alone (amend mode), or null for every form.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public DemographicsInput Demographics { get; set; } = new();

    [BindProperty]
    public WeightInput Weight { get; set; } = new();

    [BindProperty]
    public ConditionInput Condition { get; set; } = new();

    [BindProperty]
    public TreatmentInput Treatment { get; set; } = new();

    [BindProperty]
    public MedicationInput Medication { get; set; } = new();

    [BindProperty]
    public AllergyInput Allergy { get; set; } = new();

    [BindProperty]
    public NoKnownAllergiesInput NoKnownAllergies { get; set; } = new();

    [BindProperty]
    public FindingInput Finding { get; set; } = new();

    [BindProperty]
    public PregnancyInput Pregnancy { get; set; } = new();

    [BindProperty]
    public ConsentInput Consent { get; set; } = new();

    [BindProperty]
    public LiverPanelInput Liver { get; set; } = new();

    [BindProperty]
    public EcgInput Ecg { get; set; } = new();

    [BindProperty]
    public UrinalysisInput Urinalysis { get; set; } = new();

    [BindProperty]
    public UrinarySymptomsInput Urinary { get; set; } = new();

    /// <summary>The error of the form that was posted, by kind.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public bool Amending => (Entry is not null && Kind is not null) || Kind == "demographics";

    public string Today => ClinicTime.ShowDate(time.Today(request.Clock));

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        Version = Patient.Version;
        if (Amending && !Prefill())
        {
            return NotFound();
        }

        return Page();
    }

    /// <summary>Corrects the demographics with a reason; the previous ones stay in the history.</summary>
    public async Task<IActionResult> OnPostDemographicsAsync(Guid id, CancellationToken cancellationToken)
    {
        var corrected = Demographics.Parse(T);
        var r = corrected.IsSuccess
            ? await new PatientService(db, request.Clock).CorrectDemographicsAsync(new PatientId(id), Version, corrected.Value, Reason ?? string.Empty, request.RequiredUser, cancellationToken).ConfigureAwait(false)
            : corrected.Refusal;
        if (!r.IsSuccess)
        {
            return await FailAsync(id, "demographics", Say(r.Refusal), cancellationToken).ConfigureAwait(false);
        }

        TempData["Message"] = T["Amended; the previous version stays in the history."].Value;
        return Redirect($"/Patients/{id}");
    }

    public Task<IActionResult> OnPostWeightAsync(Guid id, CancellationToken cancellationToken) =>
        PatientInput.TryDate(Weight.MeasuredOn, T["Measured on"], out var on, out var error)
            ? SaveAsync(id, "weight", PatientInput.Measurement(on, Weight.Kg, Weight.HeightCm, T), cancellationToken)
            : FailAsync(id, "weight", error!, cancellationToken);

    public Task<IActionResult> OnPostConditionAsync(Guid id, CancellationToken cancellationToken)
    {
        var code = Icd10Code.Parse(Condition.Code, "ICD-10");
        if (!code.IsSuccess)
        {
            return FailAsync(id, "condition", Say(code.Refusal), cancellationToken);
        }

        if (!PatientInput.TryDate(Condition.Onset, T["Onset"], out var onset, out var error))
        {
            return FailAsync(id, "condition", error!, cancellationToken);
        }

        var description = string.IsNullOrWhiteSpace(Condition.Description) ? code.Value.Code : Condition.Description.Trim();
        return SaveAsync(id, "condition", Outcome<Condition>.Ok(new Condition(code.Value, description, onset)), cancellationToken);
    }

    public Task<IActionResult> OnPostTreatmentAsync(Guid id, CancellationToken cancellationToken)
    {
        PatientInput.TryChoice<TreatmentClass>(Treatment.Class, T["Class"], out var cls, out var classError);
        PatientInput.TryChoice<TreatmentOutcome>(Treatment.Outcome, T["Result"], out var outcome, out var outcomeError);
        WebNumber.TryParse(Treatment.Days, T["Days tried"], MinTreatmentDays, MaxTreatmentDays, out var days, out var daysError);
        var drugError = string.IsNullOrWhiteSpace(Treatment.Drug) ? T["Drug or procedure"] + ": " + T["required."] : null;
        var error = drugError ?? classError ?? daysError ?? outcomeError;
        return error is not null
            ? FailAsync(id, "treatment", error, cancellationToken)
            : SaveAsync(id, "treatment", Outcome<PriorTreatment>.Ok(new PriorTreatment(cls, Treatment.Drug!.Trim(), Blank(Treatment.DoseText), Duration.FromDays(days), outcome)), cancellationToken);
    }

    public Task<IActionResult> OnPostMedicationAsync(Guid id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Medication.Name))
        {
            return FailAsync(id, "medication", T["Medication"] + ": " + T["required."], cancellationToken);
        }

        var classes = InteractionClass.None;
        foreach (var name in Medication.Interactions)
        {
            if (!PatientInput.TryChoice<InteractionClass>(name, T["Interactions with ketamine"], out var c, out var error))
            {
                return FailAsync(id, "medication", error!, cancellationToken);
            }

            classes |= c;
        }

        return SaveAsync(id, "medication", Outcome<Medication>.Ok(new Medication(Medication.Name.Trim(), Blank(Medication.DoseText), classes)), cancellationToken);
    }

    public Task<IActionResult> OnPostAllergyAsync(Guid id, CancellationToken cancellationToken)
    {
        var catalogue = AllergySubstance.FromCatalogue(Allergy.Substance);
        var substanceError = catalogue is null && (Allergy.Substance != "other" || string.IsNullOrWhiteSpace(Allergy.OtherSubstance))
            ? T["Substance"] + ": " + T["choose one, or choose Other and type the name."]
            : null;
        PatientInput.TryChoice<AllergyCategory>(Allergy.Category, T["Category"], out var category, out var categoryError);
        PatientInput.TryChoice<AllergyType>(Allergy.Type, T["Type"], out var type, out var typeError);
        PatientInput.TryChoice<AllergyCriticality>(Allergy.Criticality, T["Criticality"], out var criticality, out var criticalityError);
        PatientInput.TryChoice<AllergyClinicalStatus>(Allergy.ClinicalStatus, T["Clinical status"], out var status, out var statusError);
        PatientInput.TryChoice<AllergyVerification>(Allergy.Verification, T["Verification"], out var verification, out var verificationError);
        ReactionSeverity? severity = null;
        string? severityError = null;
        if (!string.IsNullOrWhiteSpace(Allergy.Severity) && PatientInput.TryChoice<ReactionSeverity>(Allergy.Severity, T["Reaction severity"], out var s, out severityError))
        {
            severity = s;
        }

        PatientInput.TryOptionalDate(Allergy.Onset, T["First reaction on"], out var onset, out var onsetError);
        var error = substanceError ?? categoryError ?? typeError ?? criticalityError ?? statusError ?? verificationError ?? severityError ?? onsetError;
        if (error is not null)
        {
            return FailAsync(id, "allergy", error, cancellationToken);
        }

        var substance = catalogue ?? new AllergySubstance(Allergy.OtherSubstance!.Trim());
        return SaveAsync(id, "allergy", Outcome<AllergyIntolerance>.Ok(AllergyIntolerance.Recorded(substance, category, type, criticality, status, verification, Blank(Allergy.Reaction), severity, onset, request.RequiredUser)), cancellationToken);
    }

    public Task<IActionResult> OnPostNoKnownAllergiesAsync(Guid id, CancellationToken cancellationToken) =>
        PatientInput.TryDate(NoKnownAllergies.StatedOn, T["Asked on"], out var on, out var error)
            ? SaveAsync(id, "nka", Outcome<NoKnownAllergies>.Ok(new NoKnownAllergies(on)), cancellationToken)
            : FailAsync(id, "nka", error!, cancellationToken);

    public Task<IActionResult> OnPostFindingAsync(Guid id, CancellationToken cancellationToken)
    {
        PatientInput.TryChoice<FindingKind>(Finding.Kind, T["Finding"], out var kind, out var kindError);
        PatientInput.TryChoice<Severity>(Finding.Severity, T["Severity"], out var severity, out var severityError);
        var activeError = Finding.Active is "yes" or "no" ? null : T["Active"] + ": " + T["say whether the finding is current or uncontrolled (yes) or history or controlled (no)."];
        var error = kindError ?? severityError ?? activeError;
        return error is not null
            ? FailAsync(id, "finding", error, cancellationToken)
            : SaveAsync(id, "finding", Outcome<ContraindicationFinding>.Ok(new ContraindicationFinding(kind, severity, Finding.Active == "yes", Blank(Finding.Note))), cancellationToken);
    }

    public Task<IActionResult> OnPostPregnancyAsync(Guid id, CancellationToken cancellationToken)
    {
        PatientInput.TryChoice<PregnancyState>(Pregnancy.State, T["Pregnancy status"], out var state, out var stateError);
        PatientInput.TryDate(Pregnancy.AssessedOn, T["Assessed on"], out var on, out var dateError);
        var error = stateError ?? dateError;
        return error is not null
            ? FailAsync(id, "pregnancy", error, cancellationToken)
            : SaveAsync(id, "pregnancy", Outcome<PregnancyStatus>.Ok(new PregnancyStatus(state, on)), cancellationToken);
    }

    public Task<IActionResult> OnPostConsentAsync(Guid id, CancellationToken cancellationToken)
    {
        PatientInput.TryDate(Consent.SignedOn, T["Signed"], out var signed, out var signedError);
        PatientInput.TryOptionalDate(Consent.ExpiresOn, T["Expires"], out var expires, out var expiresError);
        PatientInput.TryOptionalDate(Consent.WithdrawnOn, T["Withdrawn"], out var withdrawn, out var withdrawnError);
        var documentError = string.IsNullOrWhiteSpace(Consent.Document) ? T["Document"] + ": " + T["say where the signed consent form is kept."] : null;
        var error = signedError ?? expiresError ?? withdrawnError ?? documentError;
        if (error is null && expires is { } x && x < signed)
        {
            error = T["Expires"] + ": " + T["{0} is before the signing date {1}.", ClinicTime.ShowDate(x), ClinicTime.ShowDate(signed)];
        }

        return error is not null
            ? FailAsync(id, "consent", error, cancellationToken)
            : SaveAsync(id, "consent", Outcome<Consent>.Ok(new Consent(ConsentKind.OffLabelKetamineForPain, signed, expires, Consent.Document!.Trim(), withdrawn)), cancellationToken);
    }

    /// <summary>A liver panel: the values are optional one by one, at least one is required (the domain says which and the range).</summary>
    public Task<IActionResult> OnPostLiverAsync(Guid id, CancellationToken cancellationToken)
    {
        PatientInput.TryDate(Liver.CollectedOn, T["Collected on"], out var on, out var error);
        var values = new double?[5];
        var typed = new[] { (Liver.Alt, "ALT"), (Liver.Ast, "AST"), (Liver.Bilirubin, "Total bilirubin"), (Liver.Ggt, "GGT"), (Liver.Alp, "ALP") };
        for (var i = 0; i < typed.Length && error is null; i++)
        {
            var info = LabTestInfo.All[i];
            if (!string.IsNullOrWhiteSpace(typed[i].Item1) && WebNumber.TryParse(typed[i].Item1, T[typed[i].Item2], 0, info.MaxValue, out var v, out error))
            {
                values[i] = v;
            }
        }

        return error is not null
            ? FailAsync(id, "liver", error, cancellationToken)
            : SaveAsync(id, "liver", Outcome<LiverPanel>.Ok(new LiverPanel(on, values[0], values[1], values[2], values[3], values[4])), cancellationToken);
    }

    public Task<IActionResult> OnPostEcgAsync(Guid id, CancellationToken cancellationToken)
    {
        PatientInput.TryDate(Ecg.RecordedOn, T["Recorded on"], out var on, out var dateError);
        PatientInput.TryChoice<EcgRhythm>(Ecg.Rhythm, T["Rhythm"], out var rhythm, out var rhythmError);
        PatientInput.TryChoice<EcgInterpretation>(Ecg.Interpretation, T["Interpretation"], out var interpretation, out var interpretationError);
        double? qtc = null;
        string? qtcError = null;
        if (!string.IsNullOrWhiteSpace(Ecg.QtcMs) && WebNumber.TryParse(Ecg.QtcMs, T["QTc (ms)"], EcgRecord.MinQtcMs, EcgRecord.MaxQtcMs, out var q, out qtcError))
        {
            qtc = q;
        }

        var error = dateError ?? rhythmError ?? qtcError ?? interpretationError;
        return error is not null
            ? FailAsync(id, "ecg", error, cancellationToken)
            : SaveAsync(id, "ecg", Outcome<EcgRecord>.Ok(new EcgRecord(on, rhythm, qtc, interpretation, Blank(Ecg.Note))), cancellationToken);
    }

    public Task<IActionResult> OnPostUrinalysisAsync(Guid id, CancellationToken cancellationToken)
    {
        PatientInput.TryDate(Urinalysis.CollectedOn, T["Collected on"], out var on, out var dateError);
        PatientInput.TryChoice<DipstickResult>(Urinalysis.Blood, T["Blood"], out var blood, out var bloodError);
        PatientInput.TryChoice<DipstickResult>(Urinalysis.Leukocytes, T["Leukocytes"], out var leukocytes, out var leukocytesError);
        DipstickResult? nitrite = null;
        string? nitriteError = null;
        if (!string.IsNullOrWhiteSpace(Urinalysis.Nitrite) && PatientInput.TryChoice<DipstickResult>(Urinalysis.Nitrite, T["Nitrite"], out var n, out nitriteError))
        {
            nitrite = n;
        }

        var error = dateError ?? bloodError ?? leukocytesError ?? nitriteError;
        return error is not null
            ? FailAsync(id, "urinalysis", error, cancellationToken)
            : SaveAsync(id, "urinalysis", Outcome<Urinalysis>.Ok(new Urinalysis(on, blood, leukocytes, nitrite)), cancellationToken);
    }

    public Task<IActionResult> OnPostUrinaryAsync(Guid id, CancellationToken cancellationToken)
    {
        PatientInput.TryDate(Urinary.CompletedOn, T["Completed on"], out var on, out var error);
        var scores = new int[5];
        var typed = new[] { (Urinary.Frequency, "Frequency"), (Urinary.Urgency, "Urgency"), (Urinary.Dysuria, "Pain on passing urine"), (Urinary.Haematuria, "Blood in the urine"), (Urinary.BladderPain, "Bladder pain") };
        for (var i = 0; i < typed.Length && error is null; i++)
        {
            WebNumber.TryParseWhole(typed[i].Item1, T[typed[i].Item2], 0, UrinarySymptoms.MaxItem, out scores[i], out error);
        }

        return error is not null
            ? FailAsync(id, "urinary", error, cancellationToken)
            : SaveAsync(id, "urinary", Outcome<UrinarySymptoms>.Ok(new UrinarySymptoms(on, scores[0], scores[1], scores[2], scores[3], scores[4])), cancellationToken);
    }

    /// <summary>Marks the entry <see cref="Entry"/> of <see cref="Kind"/> entered-in-error with <see cref="Reason"/>.</summary>
    public async Task<IActionResult> OnPostEnteredInErrorAsync(Guid id, CancellationToken cancellationToken)
    {
        if (Entry is not { } entry || Kind is null || !(Kinds.Contains(Kind) || OutcomeKinds.Contains(Kind)))
        {
            return BadRequest();
        }

        var service = new PatientService(db, request.Clock);
        var (pid, e, by, reason) = (new PatientId(id), new EntryId(entry), request.RequiredUser, Reason ?? string.Empty);
        var r = Kind switch
        {
            "weight" => await service.MarkEnteredInErrorAsync<BodyMeasurement>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "condition" => await service.MarkEnteredInErrorAsync<Condition>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "treatment" => await service.MarkEnteredInErrorAsync<PriorTreatment>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "medication" => await service.MarkEnteredInErrorAsync<Medication>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "allergy" => await service.MarkEnteredInErrorAsync<AllergyIntolerance>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "nka" => await service.MarkEnteredInErrorAsync<NoKnownAllergies>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "finding" => await service.MarkEnteredInErrorAsync<ContraindicationFinding>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "pregnancy" => await service.MarkEnteredInErrorAsync<PregnancyStatus>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "consent" => await service.MarkEnteredInErrorAsync<Consent>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "followup" => await service.MarkEnteredInErrorAsync<FollowUpPain>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "bpi" => await service.MarkEnteredInErrorAsync<BpiAssessment>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "liver" => await service.MarkEnteredInErrorAsync<LiverPanel>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "ecg" => await service.MarkEnteredInErrorAsync<EcgRecord>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "urinalysis" => await service.MarkEnteredInErrorAsync<Urinalysis>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            "urinary" => await service.MarkEnteredInErrorAsync<UrinarySymptoms>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
            _ => await service.MarkEnteredInErrorAsync<PgicAssessment>(pid, Version, e, reason, by, cancellationToken).ConfigureAwait(false),
        };
        if (!r.IsSuccess)
        {
            return await FailAsync(id, "error", Say(r.Refusal), cancellationToken).ConfigureAwait(false);
        }

        TempData["Message"] = T["Marked entered-in-error; it stays readable in the chart."].Value;
        return Redirect(OutcomeKinds.Contains(Kind) ? $"/Patients/{id}#outcomes" : $"/Patients/{id}#{Anchor(Kind)}");
    }

    private async Task<IActionResult> SaveAsync<TValue>(Guid id, string kind, Outcome<TValue> value, CancellationToken cancellationToken)
        where TValue : notnull
    {
        if (!value.IsSuccess)
        {
            return await FailAsync(id, kind, Say(value.Refusal), cancellationToken).ConfigureAwait(false);
        }

        var service = new PatientService(db, request.Clock);
        var by = request.RequiredUser;
        var saved = Entry is { } entry
            ? await service.AmendAsync(new PatientId(id), Version, new EntryId(entry), value.Value, Reason ?? string.Empty, by, cancellationToken).ConfigureAwait(false)
            : await service.RecordAsync(new PatientId(id), Version, value.Value, by, cancellationToken).ConfigureAwait(false);
        if (!saved.IsSuccess)
        {
            return await FailAsync(id, kind, Say(saved.Refusal), cancellationToken).ConfigureAwait(false);
        }

        TempData["Message"] = Entry is null ? T["Recorded."].Value : T["Amended; the previous version stays in the history."].Value;
        return Redirect($"/Patients/{id}#{Anchor(kind)}");
    }

    // The chart section a kind of entry is listed in.
    private static string Anchor(string kind) => kind switch
    {
        "allergy" or "nka" => "allergies",
        "liver" or "ecg" or "urinalysis" or "urinary" => "investigations",
        _ => kind + "s",
    };

    /// <summary>A refusal in the user's language (a coded one through its findings).</summary>
    private static string Say(Refusal refusal) => FindingText.Render(refusal.Findings, refusal.Error, CultureInfo.CurrentCulture);

    /// <summary>Shows the page again with the error beside the form that was posted; nothing was stored.</summary>
    private async Task<IActionResult> FailAsync(Guid id, string kind, string error, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return NotFound();
        }

        Kind ??= Entry is null ? null : kind;
        Errors[kind] = error;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var chart = await new PatientService(db, request.Clock).OpenChartAsync(new PatientId(id), request.RequiredUser, cancellationToken).ConfigureAwait(false);
        if (chart.IsSuccess)
        {
            Patient = chart.Value;
        }

        return chart.IsSuccess;
    }

    /// <summary>Fills the form of <see cref="Kind"/> with the active value of <see cref="Entry"/>; false when there is none.</summary>
    private bool Prefill()
    {
        var e = new EntryId(Entry ?? Guid.Empty);
        var p = Patient;
        static string D(DateOnly d) => ClinicTime.ShowDate(d);
        switch (Kind)
        {
            case "demographics":
                var dem = p.Demographics;
                Demographics = new() { RecordNumber = dem.MedicalRecordNumber, GivenName = dem.GivenName, FamilyName = dem.FamilyName, BirthDate = D(dem.BirthDate), Sex = dem.Sex?.ToString() };
                return true;
            case "followup" or "bpi" or "pgic":
                return p.FollowUpPains.Active.Any(x => x.Id == e) || p.BpiAssessments.Active.Any(x => x.Id == e) || p.PgicAssessments.Active.Any(x => x.Id == e);
            case "weight" when p.Measurements.Active.FirstOrDefault(x => x.Id == e)?.Value is { } m:
                Weight = new() { MeasuredOn = D(m.MeasuredOn), Kg = WebNumber.Show(m.Weight.Kilograms, 6), HeightCm = m.HeightCm is { } h ? WebNumber.Show(h, 6) : null };
                return true;
            case "condition" when p.Conditions.Active.FirstOrDefault(x => x.Id == e)?.Value is { } c:
                Condition = new() { Code = c.Code.Code, Description = c.Description, Onset = D(c.Onset) };
                return true;
            case "treatment" when p.PriorTreatments.Active.FirstOrDefault(x => x.Id == e)?.Value is { } t:
                Treatment = new() { Class = t.Class.ToString(), Drug = t.Drug, DoseText = t.DoseText, Days = WebNumber.Show(t.Duration.Hours / 24, 6), Outcome = t.Outcome.ToString() };
                return true;
            case "medication" when p.Medications.Active.FirstOrDefault(x => x.Id == e)?.Value is { } m:
                Medication = new() { Name = m.Name, DoseText = m.DoseText, Interactions = [.. Enum.GetValues<InteractionClass>().Where(c => c != InteractionClass.None && m.Interactions.HasFlag(c)).Select(c => c.ToString())] };
                return true;
            case "allergy" when p.Allergies.Active.FirstOrDefault(x => x.Id == e)?.Value is { } a:
                Allergy = new()
                {
                    Substance = a.Substance.CatalogueId ?? "other",
                    OtherSubstance = a.Substance.CatalogueId is null ? a.Substance.Display : null,
                    Category = a.Category.ToString(),
                    Type = a.Type.ToString(),
                    Criticality = a.Criticality.ToString(),
                    ClinicalStatus = a.ClinicalStatus.ToString(),
                    Verification = a.Verification.ToString(),
                    Reaction = a.Reaction,
                    Severity = a.Severity?.ToString(),
                    Onset = a.Onset is { } o ? D(o) : null,
                };
                return true;
            case "nka" when p.AllergyStatements.Active.FirstOrDefault(x => x.Id == e)?.Value is { } n:
                NoKnownAllergies = new() { StatedOn = D(n.StatedOn) };
                return true;
            case "liver" when p.LiverPanels.Active.FirstOrDefault(x => x.Id == e)?.Value is { } l:
                static string? N(double? v) => v is { } x ? WebNumber.Show(x, 6) : null;
                Liver = new() { CollectedOn = D(l.CollectedOn), Alt = N(l.Alt), Ast = N(l.Ast), Bilirubin = N(l.TotalBilirubin), Ggt = N(l.Ggt), Alp = N(l.Alp) };
                return true;
            case "ecg" when p.Ecgs.Active.FirstOrDefault(x => x.Id == e)?.Value is { } g:
                Ecg = new() { RecordedOn = D(g.RecordedOn), Rhythm = g.Rhythm.ToString(), QtcMs = g.QtcMs is { } q ? WebNumber.Show(q, 6) : null, Interpretation = g.Interpretation.ToString(), Note = g.Note };
                return true;
            case "urinalysis" when p.Urinalyses.Active.FirstOrDefault(x => x.Id == e)?.Value is { } u:
                Urinalysis = new() { CollectedOn = D(u.CollectedOn), Blood = u.Blood.ToString(), Leukocytes = u.Leukocytes.ToString(), Nitrite = u.Nitrite?.ToString() };
                return true;
            case "urinary" when p.UrinarySymptomScores.Active.FirstOrDefault(x => x.Id == e)?.Value is { } s:
                Urinary = new() { CompletedOn = D(s.CompletedOn), Frequency = $"{s.Frequency}", Urgency = $"{s.Urgency}", Dysuria = $"{s.Dysuria}", Haematuria = $"{s.Haematuria}", BladderPain = $"{s.BladderPain}" };
                return true;
            case "finding" when p.Findings.Active.FirstOrDefault(x => x.Id == e)?.Value is { } f:
                Finding = new() { Kind = f.Kind.ToString(), Severity = f.Severity.ToString(), Active = f.IsActive ? "yes" : "no", Note = f.Note };
                return true;
            case "pregnancy" when p.PregnancyStatuses.Active.FirstOrDefault(x => x.Id == e)?.Value is { } s:
                Pregnancy = new() { State = s.State.ToString(), AssessedOn = D(s.AssessedOn) };
                return true;
            case "consent" when p.Consents.Active.FirstOrDefault(x => x.Id == e)?.Value is { } c:
                Consent = new() { SignedOn = D(c.SignedOn), ExpiresOn = c.ExpiresOn is { } x ? D(x) : null, WithdrawnOn = c.WithdrawnOn is { } w ? D(w) : null, Document = c.DocumentReference };
                return true;
            default:
                return false;
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
