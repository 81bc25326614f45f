using Microsoft.Extensions.Localization;
using KetaCare.Web.Pages.Patients;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Interop.Charts;
using KetaCare.Interop.Text;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Pages.Sessions;

/// <summary>
/// The session screen: header, pre-assessment, pump program with its second check, the state machine's actions,
/// observations with the alerts they raise, adverse events, recovery and discharge, summary and timeline. Reading
/// needs ReadClinical; each POST checks its own policy (RecordSession, SecondCheck, or Prescribe for a soft-limit
/// override), carries the session's version, and goes through <see cref="SessionService"/>; the rules stay in
/// <see cref="InfusionSession"/>.
/// </summary>
[Authorize(Policy = Policies.ReadClinical)]
public sealed class DetailsModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, IStringLocalizer<Strings> texts, IAuthorizationService authorization, SessionWorkflow workflow) : PageModel
{
    private const string AlertsKey = "SessionAlerts";

    // Input plausibility for pump readings typed at the second check and rate changes; the session decides what is allowed.
    private const double MaxRateMlPerHour = PumpProgram.MaxRateMlPerHour;
    private const double MaxVtbiMl = PumpProgram.MaxVolumeMl;
    private const int MaxMedicationNameLength = 200;

    /// <summary>The session id from the route.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    /// <summary>The version the form was made against.</summary>
    [BindProperty]
    public long Version { get; set; }

    [BindProperty]
    public string? Hr { get; set; }

    [BindProperty]
    public string? Sbp { get; set; }

    [BindProperty]
    public string? Dbp { get; set; }

    [BindProperty]
    public string? SpO2 { get; set; }

    [BindProperty]
    public string? Rr { get; set; }

    [BindProperty]
    public string? Pain { get; set; }

    [BindProperty]
    public string? Sedation { get; set; }

    [BindProperty]
    public string? Scale { get; set; }

    [BindProperty]
    public string? Cadss { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public string? At { get; set; }

    [BindProperty]
    public bool PregnancyTest { get; set; }

    [BindProperty]
    public bool PossiblyPregnant { get; set; }

    /// <summary>The premedication or rescue order to give (its number in the protocol's orders).</summary>
    [BindProperty]
    public int OrderIndex { get; set; }

    /// <summary>The dose given, mg, as typed.</summary>
    [BindProperty]
    public string? GiveDose { get; set; }

    [BindProperty]
    public string? FastingSince { get; set; }

    [BindProperty]
    public bool EscortConfirmed { get; set; }

    [BindProperty]
    public bool NoDriving { get; set; }

    [BindProperty]
    public bool NoNewMedications { get; set; }

    [BindProperty]
    public string? NewMedication { get; set; }

    [BindProperty]
    public List<string> NewMedicationInteractions { get; set; } = [];

    [BindProperty]
    public string? CheckRate { get; set; }

    [BindProperty]
    public string? CheckVtbi { get; set; }

    /// <summary>Concentration the checker read on the label, mg/mL.</summary>
    [BindProperty]
    public string? CheckConcentration { get; set; }

    /// <summary>Weight the checker read on the label or chart, kg.</summary>
    [BindProperty]
    public string? CheckWeight { get; set; }

    /// <summary>Volume the pump shows as infused, mL (at completion or an early stop).</summary>
    [BindProperty]
    public string? PumpVolume { get; set; }

    /// <summary>The alert being acknowledged (its number in the session).</summary>
    [BindProperty]
    public int? AlertIndex { get; set; }

    /// <summary>What was done about the alert.</summary>
    [BindProperty]
    public string? ActionTaken { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Rate { get; set; }

    [BindProperty]
    public string? OverrideReason { get; set; }

    /// <summary>The observation or adverse event a correction is about.</summary>
    [BindProperty]
    public Guid? Entry { get; set; }

    [BindProperty]
    public string? AeType { get; set; }

    [BindProperty]
    public string? AeGrade { get; set; }

    [BindProperty]
    public bool AeSerious { get; set; }

    [BindProperty]
    public string? AeAction { get; set; }

    [BindProperty]
    public string? AeOutcome { get; set; }

    [BindProperty]
    public string? AeDescription { get; set; }

    [BindProperty]
    public string? AeOnset { get; set; }

    [BindProperty]
    public string? Activity { get; set; }

    [BindProperty]
    public string? Respiration { get; set; }

    [BindProperty]
    public string? Circulation { get; set; }

    [BindProperty]
    public string? Consciousness { get; set; }

    [BindProperty]
    public string? Oxygen { get; set; }

    [BindProperty]
    public bool Escort { get; set; }

    /// <summary>The session as stored.</summary>
    public InfusionSession Session { get; private set; } = null!;

    /// <summary>The patient's own pre-visit checklists for this session (portal), newest first.</summary>
    public IReadOnlyList<ChartEntry<KetaCare.Clinic.Portal.PreVisitAnswers>> PatientAnswers =>
        [.. Patient.PreVisitAnswers.Active.Where(a => a.Value.Session == Session.Id).OrderByDescending(a => a.RecordedAt)];

    /// <summary>The patient's chart.</summary>
    public Patient Patient { get; private set; } = null!;

    /// <summary>The session's plan.</summary>
    public TreatmentPlan Plan { get; private set; } = null!;

    /// <summary>Dose check of the recorded pump program (before the start), or the stored authorisation's check.</summary>
    public DoseCheckResult? DoseCheck { get; private set; }

    /// <summary>What a start would meet now (dose check and vital-sign gate), before the start.</summary>
    public StartPreview? StartPreview { get; private set; }

    /// <summary>Discharge readiness with a full Aldrete and an escort, and the predicted effect-site concentration (in recovery).</summary>
    public DischargePreview? DischargePreview { get; private set; }

    /// <summary>Dose given, time infusing, predicted peak.</summary>
    public SessionFigures Figures { get; private set; } = null!;

    /// <summary>The predicted exposure of the drug delivered (AUC, Cmax, time in the analgesic band); a refusal when none can be computed yet.</summary>
    public Outcome<SessionExposure> Exposure { get; private set; }

    /// <summary>The alert thresholds in force.</summary>
    public SessionSettings Settings { get; private set; } = SessionSettings.Default;

    /// <summary>Errors of the last POST, each naming the field.</summary>
    public IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>Alerts raised by the observation just recorded (after the redirect).</summary>
    public IReadOnlyList<(SuggestedAction Action, string Message)> FiredAlerts { get; private set; } = [];

    /// <summary>Display names of the users named in the session.</summary>
    public IReadOnlyDictionary<UserId, string> Names { get; private set; } = new Dictionary<UserId, string>();

    /// <summary>The server time the page was made at.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The signed-in user may record the session (nurse).</summary>
    public bool CanRecord { get; private set; }

    /// <summary>The signed-in user may do the second check.</summary>
    public bool CanCheck { get; private set; }

    /// <summary>The signed-in user may override a soft limit (physician).</summary>
    public bool CanOverride { get; private set; }

    /// <summary>The clinic time zone.</summary>
    public ClinicTime Time => time;

    private UserId By => request.RequiredUser;

    private TimeProvider Clock => request.Clock;

    private SessionId SessionId => new(Id);

    /// <summary>The nurse records a resume or discharge; a physician posts one only to override, so with a reason.</summary>
    private string RecordOrOverride => string.IsNullOrWhiteSpace(OverrideReason) ? Policies.RecordSession : Policies.Prescribe;

    /// <summary>The signed-in user programmed the pump now awaiting its blind check: the page hides nothing from them, but they cannot check.</summary>
    public bool IsProgrammer => Session.Program?.ProgrammedBy == By;

    /// <summary>A finding in the user's language, with times in the clinic's zone.</summary>
    public string Say(Clinic.Findings.Finding finding) => FindingText.Render(finding, CultureInfo.CurrentCulture, at => time.Local(at).ToString("HH:mm", CultureInfo.CurrentCulture));

    /// <summary>A refusal in the user's language.</summary>
    public string Say(Outcome outcome) => outcome.IsSuccess ? string.Empty : FindingText.Render(outcome.Findings, outcome.Error, CultureInfo.CurrentCulture, at => time.Local(at).ToString("HH:mm", CultureInfo.CurrentCulture));

    /// <summary>The open rate segment, if the pump runs.</summary>
    public RateSegment? RunningSegment => Session.Segments.Count > 0 && Session.Segments[^1].End is null ? Session.Segments[^1] : null;

    /// <summary>True while the page should refresh itself (drug running or paused).</summary>
    public bool Live => Session.State is SessionState.Running or SessionState.Paused;

    /// <summary>States in which observations can be recorded with the regular form.</summary>
    public bool CanObserve => Session.State is SessionState.Running or SessionState.Paused or SessionState.Completed or SessionState.StoppedEarly or SessionState.Recovery
        || (Session.State == SessionState.PreAssessment && Session.PreAssessmentPassed);

    /// <summary>The pre-assessment form is open: scheduled, or pre-assessment not yet passed.</summary>
    public bool PreAssessing => Session.State == SessionState.Scheduled || (Session.State == SessionState.PreAssessment && !Session.PreAssessmentPassed);

    /// <summary>The alerts of the latest active observation, shown as a banner while the infusion runs (or before it starts).</summary>
    public IReadOnlyList<RaisedAlert> StandingAlerts => Session.State is SessionState.Running or SessionState.PreAssessment ? LatestAlerts.Of(Session) : [];

    /// <summary>A dose level in the user's number format with its unit in the user's language.</summary>
    public static string Dose(DoseLevel dose) => Patients.PatientView.Dose(dose);

    /// <summary>"1:05:09" for an elapsed time.</summary>
    public static string Elapsed(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}");

    /// <summary>The display name of a user, or the id when unknown.</summary>
    public string Name(UserId id) => Names.TryGetValue(id, out var n) ? n : id.ToString();

    /// <summary>The sedation scale the nurse used last (the form's default).</summary>
    public SedationScale LastScale => Session.Observations.ActiveValues.LastOrDefault(o => o.Sedation is not null)?.Sedation?.Scale ?? SedationScale.Rass;

    public async Task<IActionResult> OnGetAsync()
    {
        if (TempData[AlertsKey] is string fired)
        {
            FiredAlerts = [.. fired.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', 2)).Select(p => (Enum.Parse<SuggestedAction>(p[0]), p[1]))];
        }

        return await ShowAsync([]);
    }

    /// <summary>
    /// The session timeline (pump rate, concentration predicted from the drug given, vital signs and scores on one
    /// time axis) as SVG in the user's language; a running segment counts up to now.
    /// </summary>
    public async Task<IActionResult> OnGetTimelineAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var svg = SessionTimelineChart.Svg(Session, Plan, Patient, 1000, 900, ChartText.For(CultureInfo.CurrentUICulture), RateUnit.MgPerKgPerHour, Live ? Now : null);
        Response.Headers.CacheControl = "no-store";
        return Content(svg, "image/svg+xml");
    }

    /// <summary>Pre-assessment: the baseline observation (starting pre-assessment when scheduled), then the checks.</summary>
    public Task<IActionResult> OnPostPreAssessAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var observation = ReadObservation(errors);
        var checklist = ReadChecklist(errors);
        if (observation is null || checklist is null)
        {
            return await ShowAsync(errors);
        }

        var r = await workflow.PreAssessAsync(SessionId, Version, observation, checklist, By);
        if (!r.IsSuccess)
        {
            return await ShowAsync([Say(r.Refusal)]);
        }

        KeepAlerts(r.Value.Alerts);
        if (r.Value.Checks.IsSuccess)
        {
            TempData["Message"] = texts["Baseline recorded; pre-assessment checks passed."].Value;
        }
        else
        {
            TempData["Error"] = texts["Baseline recorded; the pre-assessment checks did not pass:"] + " " + Say(r.Value.Checks);
            KeepCodes(r.Value.Checks.Refusal);
        }

        return Back();
    });

    /// <summary>Gives one dose of a premedication or rescue order; a physician's reason lets a soft limit pass.</summary>
    public Task<IActionResult> OnPostGiveAsync() => WithPolicyAsync(RecordOrOverride, async () =>
    {
        if (!WebNumber.TryParse(GiveDose, texts["Dose (mg)"], 0, Clinic.Dosing.AncillaryDrugs.MaxEnteredDoseMg, out var mg, out var error))
        {
            return await ShowAsync([error!]);
        }

        var reason = string.IsNullOrWhiteSpace(OverrideReason) ? null : OverrideReason;
        return Result(await workflow.GiveAncillaryAsync(SessionId, Version, OrderIndex, mg, reason, By), texts["Dose recorded."]);
    });

    /// <summary>Runs the pre-assessment checks again (after the missing item was recorded elsewhere).</summary>
    public Task<IActionResult> OnPostChecksAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var checklist = ReadChecklist(errors);
        return checklist is null ? await ShowAsync(errors) : Result(await workflow.RunChecksAsync(SessionId, Version, checklist, By), texts["Pre-assessment checks passed."]);
    });

    /// <summary>Computes the pump program for this session's dose and weight and records it for the blind second check.</summary>
    public Task<IActionResult> OnPostProgramAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
        Result(await workflow.ProgramPumpAsync(SessionId, Version, By), texts["Pump program recorded; a second person checks it now."]));

    /// <summary>The blind second check by the signed-in user: rate, VTBI, concentration and weight as read on the pump and label.</summary>
    public Task<IActionResult> OnPostCheckAsync() => WithPolicyAsync(Policies.SecondCheck, async () =>
    {
        var errors = new List<string>();
        var rate = Number(CheckRate, texts["Rate read on the pump (mL/h)"], 0, MaxRateMlPerHour, errors);
        var vtbi = Number(CheckVtbi, texts["VTBI read on the pump (mL)"], 0, MaxVtbiMl, errors);
        var concentration = Number(CheckConcentration, texts["Concentration on the label (mg/mL)"], 0, 100, errors);
        var weight = Number(CheckWeight, texts["Weight on the label (kg)"], 0, 500, errors);
        if (errors.Count > 0)
        {
            return await ShowAsync(errors);
        }

        var r = await workflow.SecondCheckAsync(SessionId, Version, new PumpReading(rate!.Value, vtbi!.Value, concentration!.Value, weight!.Value), By);
        if (!r.IsSuccess && r.Findings.Any(f => f.Code == Clinic.Findings.FindingCodes.CheckMismatch))
        {
            // The mismatch was recorded and the program cleared: show both values, and the page as it now is.
            TempData["Error"] = Say(r.Refusal);
            KeepCodes(r.Refusal);
            return Back();
        }

        return Result(r, texts["Second check recorded."]);
    });

    /// <summary>Starts the infusion with the checked program; the dose check and the vital-sign gate run in the workflow.</summary>
    public Task<IActionResult> OnPostStartAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
        Result(await workflow.StartAsync(SessionId, Version, null, By), texts["Infusion started."]));

    /// <summary>Starts the infusion, overriding what needs an override with a reason (physician).</summary>
    public Task<IActionResult> OnPostStartOverrideAsync() => WithPolicyAsync(Policies.Prescribe, async () =>
        Result(await workflow.StartAsync(SessionId, Version, OverrideReason ?? string.Empty, By), texts["Infusion started."]));

    /// <summary>Marks an observation entered-in-error with a reason; it stays readable, crossed out, and its alerts no longer count.</summary>
    public Task<IActionResult> OnPostObservationErrorAsync() => WithPolicyAsync(Policies.RecordSession, async () => Entry is { } entry
        ? Result(await workflow.MarkObservationEnteredInErrorAsync(SessionId, Version, new EntryId(entry), Reason ?? string.Empty, By), texts["Observation marked entered in error."])
        : BadRequest());

    /// <summary>Marks an adverse event entered-in-error with a reason; it stays readable, crossed out.</summary>
    public Task<IActionResult> OnPostAdverseEventErrorAsync() => WithPolicyAsync(Policies.RecordSession, async () => Entry is { } entry
        ? Result(await workflow.MarkAdverseEventEnteredInErrorAsync(SessionId, Version, new EntryId(entry), Reason ?? string.Empty, By), texts["Adverse event marked entered in error."])
        : BadRequest());

    /// <summary>Acknowledges an alert with the action taken.</summary>
    public Task<IActionResult> OnPostAcknowledgeAsync() => WithPolicyAsync(Policies.RecordSession, async () => AlertIndex is { } index
        ? Result(await workflow.AcknowledgeAlertAsync(SessionId, Version, index, ActionTaken ?? string.Empty, By), texts["Alert acknowledged."])
        : BadRequest());

    public Task<IActionResult> OnPostPauseAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
        Result(await workflow.PauseAsync(SessionId, Version, Reason ?? string.Empty, By), texts["Infusion paused."]));

    /// <summary>Resumes; a physician (who does not record the session otherwise) may resume only with an override reason.</summary>
    public Task<IActionResult> OnPostResumeAsync() => WithPolicyAsync(RecordOrOverride, async () =>
    {
        var errors = new List<string>();
        var rate = string.IsNullOrWhiteSpace(Rate) ? null : Number(Rate, texts["New rate (mL/h)"], 0, MaxRateMlPerHour, errors);
        if (errors.Count > 0)
        {
            return await ShowAsync(errors);
        }

        var reason = string.IsNullOrWhiteSpace(OverrideReason) ? null : OverrideReason;
        if (reason is not null && !await Can(Policies.Prescribe))
        {
            return Forbid();
        }

        return Result(await workflow.ResumeAsync(SessionId, Version, rate, reason, By), texts["Infusion resumed."]);
    });

    public Task<IActionResult> OnPostRateAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var rate = Number(Rate, texts["New rate (mL/h)"], 0, MaxRateMlPerHour, errors);
        return errors.Count > 0 ? await ShowAsync(errors) : Result(await workflow.ChangeRateAsync(SessionId, Version, rate!.Value, Reason ?? string.Empty, By), texts["Rate changed."]);
    });

    public Task<IActionResult> OnPostStopAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var volume = string.IsNullOrWhiteSpace(PumpVolume) ? null : Number(PumpVolume, texts["Volume infused shown on the pump (mL)"], 0, MaxVtbiMl, errors);
        return errors.Count > 0 ? await ShowAsync(errors) : Result(await workflow.StopAsync(SessionId, Version, Reason ?? string.Empty, volume, By), texts["Infusion stopped early."]);
    });

    public Task<IActionResult> OnPostCompleteAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var volume = string.IsNullOrWhiteSpace(PumpVolume) ? null : Number(PumpVolume, texts["Volume infused shown on the pump (mL)"], 0, MaxVtbiMl, errors);
        return errors.Count > 0 ? await ShowAsync(errors) : Result(await workflow.CompleteAsync(SessionId, Version, volume, By), texts["Infusion completed."]);
    });

    public Task<IActionResult> OnPostRecoveryAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
        Result(await workflow.BeginRecoveryAsync(SessionId, Version, By), texts["Recovery started; record the recovery observations."]));

    public Task<IActionResult> OnPostCancelAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
        Result(await workflow.CancelAsync(SessionId, Version, Reason ?? string.Empty, By), texts["Session cancelled."]));

    /// <summary>Records an observation; the alerts it raises are shown on the page after the redirect.</summary>
    public Task<IActionResult> OnPostObserveAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var observation = ReadObservation(errors);
        if (observation is null)
        {
            return await ShowAsync(errors);
        }

        var r = await workflow.ObserveAsync(SessionId, Version, observation, By);
        if (!r.IsSuccess)
        {
            return await ShowAsync([Say(r.Refusal)]);
        }

        KeepAlerts(r.Value);
        return Done(r.Value.Count == 0 ? texts["Observation recorded."] : texts["Observation recorded; {0} alert(s).", r.Value.Count]);
    });

    public Task<IActionResult> OnPostAdverseEventAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var type = Choice<AdverseEventType>(AeType, texts["Adverse event"], errors);
        var grade = Required(AeGrade, texts["CTCAE grade"], (1, 5), errors);
        var action = Choice<AdverseEventAction>(AeAction, texts["Action taken"], errors);
        var outcome = Choice<AdverseEventOutcome>(AeOutcome, texts["Outcome"], errors);
        var onset = When(AeOnset, texts["Onset"], errors);
        if (errors.Count > 0)
        {
            return await ShowAsync(errors);
        }

        return Result(
            await workflow.RecordAdverseEventAsync(SessionId, Version, type!.Value, grade, AeSerious, action!.Value, outcome!.Value, onset, AeDescription ?? string.Empty, By),
            texts["Adverse event recorded."]);
    });

    /// <summary>Discharge: the Aldrete from its five items, escort, and the readiness rules; a physician may override with a reason.</summary>
    public Task<IActionResult> OnPostDischargeAsync() => WithPolicyAsync(RecordOrOverride, async () =>
    {
        var errors = new List<string>();
        var items = new[] { (Activity, "Activity"), (Respiration, "Respiration"), (Circulation, "Circulation"), (Consciousness, "Consciousness"), (Oxygen, "Oxygen saturation") }
            .Select(x => Required(x.Item1, texts[x.Item2], (0, 2), errors)).ToArray();
        if (errors.Count > 0)
        {
            return await ShowAsync(errors);
        }

        var reason = string.IsNullOrWhiteSpace(OverrideReason) ? null : OverrideReason;
        if (reason is not null && !await Can(Policies.Prescribe))
        {
            return Forbid();
        }

        var score = AldreteScore.Create(items[0], items[1], items[2], items[3], items[4]);
        return score.IsSuccess
            ? Result(await workflow.DischargeAsync(SessionId, Version, score.Value, Escort, reason, By), texts["Discharged (modified Aldrete {0}).", score.Value.Total])
            : await ShowAsync([FindingText.Render(score.Findings, score.Error, CultureInfo.CurrentCulture)]);
    });

    private IActionResult Result<T>(Outcome<T> r, string message) =>
        r.IsSuccess ? Done(message) : ShowRefusal(r.Refusal);

    private IActionResult ShowRefusal(Refusal refusal)
    {
        // A refused step redirects with its findings, so the page shows the session as it now is (PRG).
        TempData["Error"] = refusal.Findings.Count > 0 ? FindingText.Render(refusal.Findings, refusal.Error, CultureInfo.CurrentCulture, at => time.Local(at).ToString("HH:mm", CultureInfo.CurrentCulture)) : refusal.Error;
        KeepCodes(refusal);
        return Back();
    }

    /// <summary>The refusal's finding codes for the flash message's <c>data-codes</c> (what tests and scripts read instead of the wording).</summary>
    private void KeepCodes(Refusal refusal)
    {
        if (refusal.Findings.Count > 0)
        {
            TempData["ErrorCodes"] = string.Join(' ', refusal.Findings.Select(f => f.Code).Distinct(StringComparer.Ordinal));
        }
    }

    private async Task<IActionResult> WithPolicyAsync(string policy, Func<Task<IActionResult>> handler) =>
        await Can(policy) ? await handler() : Forbid();

    private async Task<bool> Can(string policy) => (await authorization.AuthorizeAsync(User, policy)).Succeeded;

    private Task<SessionSettings> SettingsAsync() => workflow.SettingsAsync();

    private IActionResult Done(string message)
    {
        TempData["Message"] = message;
        return Back();
    }

    private RedirectResult Back() => Redirect("/Sessions/" + Id.ToString());

    private void KeepAlerts(IReadOnlyList<VitalAlert> alerts)
    {
        if (alerts.Count > 0)
        {
            TempData[AlertsKey] = string.Join('\n', alerts.Select(a => a.Action + "\t" + Say(a.Finding)));
        }
    }


    /// <summary>Loads the session, chart and plan (audited reads) and shows the page with <paramref name="errors"/>.</summary>
    private async Task<IActionResult> ShowAsync(IReadOnlyList<string> errors)
    {
        Errors = errors;
        if (!await LoadAsync())
        {
            return NotFound();
        }

        Settings = await SettingsAsync();
        if (Session.State == SessionState.PreAssessment)
        {
            StartPreview = (await workflow.PreviewStartAsync(Session)).Value;
            DoseCheck = Session.Program is null ? null : StartPreview.DoseCheck;
        }
        else
        {
            DoseCheck = Session.Authorization?.Check;
        }

        if (Session.State == SessionState.Recovery)
        {
            var full = AldreteScore.Create(2, 2, 2, 2, 2).Value;
            DischargePreview = (await workflow.PreviewDischargeAsync(Session, full, escortPresent: true)) is { IsSuccess: true } d ? d.Value : null;
        }

        Figures = SessionFigures.Of(Session, Plan, Patient, Now);
        Exposure = await workflow.ExposureAsync(Session);
        CanRecord = await Can(Policies.RecordSession);
        CanCheck = await Can(Policies.SecondCheck);
        CanOverride = await Can(Policies.Prescribe);
        Names = await NamesAsync();

        // The form always carries the version just read: after a refusal the user acts on what the page now shows.
        ModelState.Remove(nameof(Version));
        Version = Session.Version;
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        Now = Clock.GetUtcNow();
        var session = await workflow.GetAsync(SessionId, By);
        if (!session.IsSuccess)
        {
            return false;
        }

        Session = session.Value;
        var chart = await new PatientService(db, Clock).OpenChartAsync(Session.PatientId, By);
        var plan = await new TreatmentService(db, Clock).GetPlanAsync(Session.PlanId, By);
        if (!chart.IsSuccess || !plan.IsSuccess)
        {
            return false;
        }

        Patient = chart.Value;
        Plan = plan.Value;
        return true;
    }

    private async Task<IReadOnlyDictionary<UserId, string>> NamesAsync()
    {
        var ids = Session.Transitions.Select(t => t.By)
            .Concat(Session.Observations.All.Select(e => e.RecordedBy))
            .Concat(Session.AdverseEvents.All.Select(e => e.RecordedBy))
            .Concat(Session.Program is { } p ? [p.ProgrammedBy] : [])
            .Concat(Session.Program?.Check is { } c ? [c.By] : [])
            .Concat(Session.Authorization?.Overrides.Select(o => o.By) ?? [])
            .Select(u => u.Value).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync();
        return users.ToDictionary(u => new UserId(u.Id), u => u.DisplayName);
    }

    private Observation? ReadObservation(List<string> errors)
    {
        var at = When(At, texts["Time"], errors);
        var hr = Whole(Hr, texts["HR"], ObservationRanges.HeartRate, errors);
        var sbp = Whole(Sbp, texts["SBP"], ObservationRanges.Systolic, errors);
        var dbp = Whole(Dbp, texts["DBP"], ObservationRanges.Diastolic, errors);
        var spo2 = Whole(SpO2, "SpO₂", ObservationRanges.SpO2, errors);
        var rr = Whole(Rr, texts["RR"], ObservationRanges.RespiratoryRate, errors);
        var pain = Whole(Pain, texts["Pain NRS"], ObservationRanges.PainNrs, errors);
        var scale = Scale == nameof(SedationScale.Moaas) ? SedationScale.Moaas : SedationScale.Rass;
        var sedation = Whole(Sedation, scale == SedationScale.Rass ? "RASS" : "MOAA/S", scale == SedationScale.Rass ? ObservationRanges.Rass : ObservationRanges.Moaas, errors);
        var cadss = Whole(Cadss, "CADSS", ObservationRanges.Cadss, errors);
        if (errors.Count > 0)
        {
            return null;
        }

        if (new object?[] { hr, sbp, dbp, spo2, rr, pain, sedation, cadss }.All(v => v is null) && string.IsNullOrWhiteSpace(Note))
        {
            errors.Add(texts["observation: enter at least one value."]);
            return null;
        }

        var o = Observation.Create(at, sbp, dbp, hr, spo2, rr, sedation is { } v ? new SedationScore(scale, v) : null, cadss, pain, Note);
        if (!o.IsSuccess)
        {
            errors.Add(FindingText.Render(o.Findings, o.Error, CultureInfo.CurrentCulture));
            return null;
        }

        return o.Value;
    }

    /// <summary>The time typed (HH:mm, clinic time, today) or now.</summary>
    /// <summary>
    /// The pre-session checklist as the form answered it: an empty fasting time is "not asked" and so is a new-medication
    /// item with neither "none" ticked nor a name; the rules decide what each answer means.
    /// </summary>
    private PreSessionChecklist? ReadChecklist(List<string> errors)
    {
        var before = errors.Count;
        DateTimeOffset? fasting = null;
        if (!string.IsNullOrWhiteSpace(FastingSince))
        {
            if (time.TryParseLocal(FastingSince, time.Today(Clock), texts["Fasting since"], out var utc, out var error))
            {
                fasting = utc;
            }
            else
            {
                errors.Add(error!);
            }
        }

        var classes = InteractionClass.None;
        foreach (var name in NewMedicationInteractions)
        {
            if (PatientInput.TryChoice<InteractionClass>(name, texts["Interactions with ketamine"], out var c, out var error))
            {
                classes |= c;
            }
            else
            {
                errors.Add(error!);
            }
        }

        var medication = NewMedication?.Trim() ?? string.Empty;
        if (medication.Length > MaxMedicationNameLength)
        {
            errors.Add(texts["New medication: at most {0} characters.", MaxMedicationNameLength]);
        }

        if (medication.Length > 0 && NoNewMedications)
        {
            errors.Add(texts["New medication: tick \"none\" or name one, not both."]);
        }

        if (errors.Count > before)
        {
            return null;
        }

        IReadOnlyList<Medication>? medications = medication.Length > 0 ? [new Medication(medication, null, classes)] : NoNewMedications ? [] : null;
        var pregnancy = PossiblyPregnant ? PregnancyCheck.PositiveOrPossible : PregnancyTest ? PregnancyCheck.NegativeTestToday : PregnancyCheck.NotTested;
        return new PreSessionChecklist(fasting, EscortConfirmed, NoDriving, pregnancy, medications);
    }

    private DateTimeOffset When(string? text, string field, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Clock.GetUtcNow();
        }

        if (time.TryParseLocal(text, time.Today(Clock), field, out var utc, out var error))
        {
            return utc;
        }

        errors.Add(error!);
        return Clock.GetUtcNow();
    }

    private static double? Number(string? text, string field, double min, double max, List<string> errors)
    {
        if (WebNumber.TryParse(text, field, min, max, out var v, out var error))
        {
            return v;
        }

        errors.Add(error!);
        return null;
    }

    private static int? Whole(string? text, string field, (int Min, int Max) range, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!WebNumber.TryParseWhole(text, field, range.Min, range.Max, out var value, out var error))
        {
            errors.Add(error!);
            return null;
        }

        return value;
    }

    private static int Required(string? text, string field, (int Min, int Max) range, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: required ({range.Min} to {range.Max})."));
            return 0;
        }

        return Whole(text, field, range, errors) ?? 0;
    }

    private static T? Choice<T>(string? text, string field, List<string> errors)
        where T : struct, Enum
    {
        if (Enum.TryParse<T>(text, ignoreCase: false, out var v) && Enum.IsDefined(v) && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            return v;
        }

        errors.Add($"{field}: \"{text}\" is not one of {string.Join(", ", Enum.GetNames<T>())}.");
        return null;
    }
}
