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
public sealed class DetailsModel(KetaCareDbContext db, ClinicRequest request, ClinicTime time, Texts texts, IAuthorizationService authorization) : PageModel
{
    private const string AlertsKey = "SessionAlerts";

    // Input plausibility for pump readings typed at the second check and rate changes (the CLI's bounds).
    private const double MaxRateMlPerHour = 10000;
    private const double MaxVtbiMl = 100000;

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
    public string? CheckRate { get; set; }

    [BindProperty]
    public string? CheckVtbi { get; set; }

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

    /// <summary>The patient's chart.</summary>
    public Patient Patient { get; private set; } = null!;

    /// <summary>The session's plan.</summary>
    public TreatmentPlan Plan { get; private set; } = null!;

    /// <summary>Dose check of the recorded pump program (before the start), or the stored authorisation's check.</summary>
    public DoseCheckResult? DoseCheck { get; private set; }

    /// <summary>Dose given, time infusing, predicted peak.</summary>
    public SessionFigures Figures { get; private set; } = null!;

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

    private SessionService Sessions => new(db, Clock);

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

    /// <summary>A dose level in the user's number format with its unit.</summary>
    public static string Dose(DoseLevel dose) => WebNumber.Show(dose.Value) + dose.Basis switch
    {
        DoseBasis.MgPerKgPerHour => " mg/kg/h",
        DoseBasis.MgPerKg => " mg/kg",
        _ => " mg",
    };

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
        if (observation is null)
        {
            return await ShowAsync(errors);
        }

        var settings = await SettingsAsync();
        IReadOnlyList<VitalAlert> alerts = [];
        var recorded = await Sessions.ChangeAsync(SessionId, Version, s =>
        {
            var begin = s.State == SessionState.Scheduled ? s.BeginPreAssessment(By, Clock) : Outcome.Ok();
            if (!begin.IsSuccess)
            {
                return begin;
            }

            var o = s.RecordObservation(observation, settings, By, Clock);
            alerts = o.IsSuccess ? o.Value : [];
            return o.IsSuccess ? Outcome.Ok() : Outcome.Fail(o.Error);
        }, By);
        if (!recorded.IsSuccess)
        {
            return await ShowAsync([recorded.Error]);
        }

        KeepAlerts(alerts);
        var checks = await RunChecksAsync(recorded.Value, settings);
        if (checks.IsSuccess)
        {
            TempData["Message"] = texts["Baseline recorded; pre-assessment checks passed."];
        }
        else
        {
            TempData["Error"] = texts["Baseline recorded; the pre-assessment checks did not pass:"] + " " + checks.Error;
        }

        return Back();
    });

    /// <summary>Runs the pre-assessment checks again (after the missing item was recorded elsewhere).</summary>
    public Task<IActionResult> OnPostChecksAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var session = await Sessions.GetAsync(SessionId, By);
        if (!session.IsSuccess)
        {
            return NotFound();
        }

        if (session.Value.Version != Version)
        {
            return await ShowAsync([StaleMessage()]);
        }

        var r = await RunChecksAsync(session.Value, await SettingsAsync());
        return r.IsSuccess ? Done(texts["Pre-assessment checks passed."]) : await ShowAsync([r.Error]);
    });

    /// <summary>Computes the pump program for this session's dose and weight and records it for the second check.</summary>
    public Task<IActionResult> OnPostProgramAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var planId = await db.Sessions.AsNoTracking().Where(s => s.Id == SessionId).Select(s => (PlanId?)s.PlanId).FirstOrDefaultAsync();
        if (planId is not { } pid)
        {
            return NotFound();
        }

        var plan = await new TreatmentService(db, Clock).GetPlanAsync(pid, By);
        if (!plan.IsSuccess)
        {
            return await ShowAsync([plan.Error]);
        }

        var r = await Sessions.ChangeAsync(SessionId, Version, s =>
        {
            if (s.Weight is null || s.Protocol.InfusionDuration is not { } duration)
            {
                // Without the weight fixed at pre-assessment (or for a single-dose protocol) the domain names the reason.
                return s.Weight is null ? new Refusal("pump program: needs the weight checked at pre-assessment; complete the pre-assessment first.") : new Refusal($"session: {s.Protocol.Name} is a single-dose protocol; it has no pump program.");
            }

            var program = PumpProgram.Compute(s.PlannedDose, s.Weight.Weight, plan.Value.Preparation, duration, PumpSettings.Default, By, Clock);
            return program.IsSuccess ? s.RecordPumpProgram(program.Value) : Outcome.Fail(program.Error);
        }, By);
        return r.IsSuccess ? Done(texts["Pump program recorded; a second person checks it now."]) : await ShowAsync([r.Error]);
    });

    /// <summary>The independent second check by the signed-in user, with the rate and VTBI they read on the pump.</summary>
    public Task<IActionResult> OnPostCheckAsync() => WithPolicyAsync(Policies.SecondCheck, async () =>
    {
        var errors = new List<string>();
        var rate = Number(CheckRate, texts["Rate read on the pump (mL/h)"], 0, MaxRateMlPerHour, errors);
        var vtbi = Number(CheckVtbi, texts["VTBI read on the pump (mL)"], 0, MaxVtbiMl, errors);
        if (errors.Count > 0)
        {
            return await ShowAsync(errors);
        }

        return await ChangeAsync(s => s.RecordSecondCheck(By, rate!.Value, vtbi!.Value, PumpSettings.Default, Clock), texts["Second check recorded."]);
    });

    /// <summary>Starts the infusion with the checked program; refused while a soft limit needs an override.</summary>
    public Task<IActionResult> OnPostStartAsync() => WithPolicyAsync(Policies.RecordSession, () => StartAsync(null));

    /// <summary>Starts the infusion, overriding the soft limits with a reason (physician).</summary>
    public Task<IActionResult> OnPostStartOverrideAsync() => WithPolicyAsync(Policies.Prescribe, () => StartAsync(OverrideReason ?? string.Empty));

    /// <summary>Marks an observation entered-in-error with a reason; it stays readable, crossed out, and its alerts no longer count.</summary>
    public Task<IActionResult> OnPostObservationErrorAsync() => WithPolicyAsync(Policies.RecordSession, () => Entry is { } entry
        ? ChangeAsync(s => s.MarkObservationEnteredInError(new EntryId(entry), Reason ?? string.Empty, By, Clock), texts["Observation marked entered in error."])
        : Task.FromResult<IActionResult>(BadRequest()));

    /// <summary>Marks an adverse event entered-in-error with a reason; it stays readable, crossed out.</summary>
    public Task<IActionResult> OnPostAdverseEventErrorAsync() => WithPolicyAsync(Policies.RecordSession, () => Entry is { } entry
        ? ChangeAsync(s => s.MarkAdverseEventEnteredInError(new EntryId(entry), Reason ?? string.Empty, By, Clock), texts["Adverse event marked entered in error."])
        : Task.FromResult<IActionResult>(BadRequest()));

    public Task<IActionResult> OnPostPauseAsync() => WithPolicyAsync(Policies.RecordSession, () =>
        ChangeAsync(s => s.Pause(Reason ?? string.Empty, By, Clock), texts["Infusion paused."]));

    public Task<IActionResult> OnPostResumeAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var rate = string.IsNullOrWhiteSpace(Rate) ? null : Number(Rate, texts["New rate (mL/h)"], 0, MaxRateMlPerHour, errors);
        return errors.Count > 0 ? await ShowAsync(errors) : await ChangeAsync(s => s.Resume(By, Clock, rate), texts["Infusion resumed."]);
    });

    public Task<IActionResult> OnPostRateAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var rate = Number(Rate, texts["New rate (mL/h)"], 0, MaxRateMlPerHour, errors);
        return errors.Count > 0 ? await ShowAsync(errors) : await ChangeAsync(s => s.ChangeRate(rate!.Value, Reason ?? string.Empty, By, Clock), texts["Rate changed."]);
    });

    public Task<IActionResult> OnPostStopAsync() => WithPolicyAsync(Policies.RecordSession, () =>
        ChangeAsync(s => s.StopEarly(Reason ?? string.Empty, By, Clock), texts["Infusion stopped early."]));

    public Task<IActionResult> OnPostCompleteAsync() => WithPolicyAsync(Policies.RecordSession, () =>
        ChangeAsync(s => s.Complete(By, Clock), texts["Infusion completed."]));

    public Task<IActionResult> OnPostRecoveryAsync() => WithPolicyAsync(Policies.RecordSession, () =>
        ChangeAsync(s => s.BeginRecovery(By, Clock), texts["Recovery started; record the recovery observations."]));

    public Task<IActionResult> OnPostCancelAsync() => WithPolicyAsync(Policies.RecordSession, () =>
        ChangeAsync(s => s.Cancel(Reason ?? string.Empty, By, Clock), texts["Session cancelled."]));

    /// <summary>Records an observation; the alerts it raises are shown on the page after the redirect.</summary>
    public Task<IActionResult> OnPostObserveAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var observation = ReadObservation(errors);
        if (observation is null)
        {
            return await ShowAsync(errors);
        }

        var r = await Sessions.RecordObservationAsync(SessionId, Version, observation, await SettingsAsync(), By);
        if (!r.IsSuccess)
        {
            return await ShowAsync([r.Error]);
        }

        KeepAlerts(r.Value);
        return Done(r.Value.Count == 0 ? texts["Observation recorded."] : texts.Format("Observation recorded; {0} alert(s).", r.Value.Count));
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

        return await ChangeAsync(
            s =>
            {
                var e = s.RecordAdverseEvent(type!.Value, grade, AeSerious, action!.Value, outcome!.Value, onset, AeDescription ?? string.Empty, By, Clock);
                return e.IsSuccess ? Outcome.Ok() : Outcome.Fail(e.Error);
            },
            texts["Adverse event recorded."]);
    });

    public Task<IActionResult> OnPostDischargeAsync() => WithPolicyAsync(Policies.RecordSession, async () =>
    {
        var errors = new List<string>();
        var items = new[] { (Activity, "Activity"), (Respiration, "Respiration"), (Circulation, "Circulation"), (Consciousness, "Consciousness"), (Oxygen, "Oxygen saturation") }
            .Select(x => Required(x.Item1, texts[x.Item2], (0, 2), errors)).ToArray();
        if (errors.Count > 0)
        {
            return await ShowAsync(errors);
        }

        var score = AldreteScore.Create(items[0], items[1], items[2], items[3], items[4]);
        return score.IsSuccess
            ? await ChangeAsync(s => s.Discharge(score.Value, Escort, By, Clock), texts.Format("Discharged (modified Aldrete {0}).", score.Value.Total))
            : await ShowAsync([score.Error]);
    });

    private async Task<IActionResult> StartAsync(string? overrideReason)
    {
        var session = await Sessions.GetAsync(SessionId, By);
        if (!session.IsSuccess)
        {
            return NotFound();
        }

        var s = session.Value;
        if (s.Program is null)
        {
            return await ShowAsync([texts["pump program: none recorded yet; program the pump, then have it checked."]]);
        }

        var check = await CheckDoseAsync(s);
        if (!check.IsSuccess)
        {
            return await ShowAsync([check.Error]);
        }

        var reasons = overrideReason is null ? null : check.Value.SoftFindings.Select(f => f.LimitId).Distinct(StringComparer.Ordinal).ToDictionary(x => x, _ => overrideReason, StringComparer.Ordinal);
        var authorized = DoseAuthorization.Authorize(check.Value, reasons, By, Clock);
        if (!authorized.IsSuccess)
        {
            var hint = overrideReason is null && !check.Value.HasHardStop ? " " + texts["A physician starts the infusion with an override reason."] : string.Empty;
            return await ShowAsync([authorized.Error + hint]);
        }

        return await ChangeAsync(x => x.StartInfusion(x.Program!, authorized.Value, By, Clock), texts["Infusion started."]);
    }

    /// <summary>The dose check of the session's recorded program: the back-calculated rate and VTBI against the drug library and the predicted peak.</summary>
    private async Task<Outcome<DoseCheckResult>> CheckDoseAsync(InfusionSession s)
    {
        var plan = await new TreatmentService(db, Clock).GetPlanAsync(s.PlanId, By);
        var chart = await new PatientService(db, Clock).OpenChartAsync(s.PatientId, By);
        if (!plan.IsSuccess)
        {
            return new Refusal(plan.Error);
        }

        return chart.IsSuccess ? Check(s, plan.Value, chart.Value, await new SettingsService(db, Clock).DrugLibraryAsync()) : new Refusal(chart.Error);
    }

    private static Outcome<DoseCheckResult> Check(InfusionSession s, TreatmentPlan plan, Patient patient, DrugLibrary drugs)
    {
        if (s.Program is not { } pp)
        {
            return new Refusal("pump program: none recorded.");
        }

        var covariates = patient.Snapshot().CovariatesOn(s.ScheduledFor);
        return covariates.IsSuccess
            ? Outcome<DoseCheckResult>.Ok(Clinic.Dosing.DoseCheck.Evaluate(new PlannedDose(s.Protocol, covariates.Value, pp.BackCalculated, pp.Preparation, plan.ModelId) { VtbiMl = pp.VtbiMl }, drugs))
            : new Refusal(covariates.Error);
    }

    private async Task<Outcome> RunChecksAsync(InfusionSession session, SessionSettings settings)
    {
        var chart = await new PatientService(db, Clock).OpenChartAsync(session.PatientId, By);
        if (!chart.IsSuccess)
        {
            return Outcome.Fail(chart.Error);
        }

        var latest = (await new TreatmentService(db, Clock).AssessmentsAsync(session.PatientId, By)).FirstOrDefault();
        var input = new PreAssessmentInput(chart.Value.Snapshot(), latest.Assessment, latest.Review, PregnancyTest ? session.ScheduledFor : null);
        var r = await Sessions.ChangeAsync(session.Id, session.Version, s => s.CompletePreAssessment(input, settings, By, Clock), By);
        return r.IsSuccess ? Outcome.Ok() : Outcome.Fail(r.Error);
    }

    private async Task<IActionResult> ChangeAsync(Func<InfusionSession, Outcome> change, string message)
    {
        var r = await Sessions.ChangeAsync(SessionId, Version, change, By);
        return r.IsSuccess ? Done(message) : await ShowAsync([r.Error]);
    }

    private async Task<IActionResult> WithPolicyAsync(string policy, Func<Task<IActionResult>> handler) =>
        await Can(policy) ? await handler() : Forbid();

    private async Task<bool> Can(string policy) => (await authorization.AuthorizeAsync(User, policy)).Succeeded;

    private Task<SessionSettings> SettingsAsync() => new SettingsService(db, Clock).SessionSettingsAsync();

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
            TempData[AlertsKey] = string.Join('\n', alerts.Select(a => a.Action + "\t" + a.Message));
        }
    }

    private string StaleMessage() => texts["This session was changed by someone else since you opened it; the page now shows the current state. Check it and apply your change again."];

    /// <summary>Loads the session, chart and plan (audited reads) and shows the page with <paramref name="errors"/>.</summary>
    private async Task<IActionResult> ShowAsync(IReadOnlyList<string> errors)
    {
        Errors = errors;
        if (!await LoadAsync())
        {
            return NotFound();
        }

        Settings = await SettingsAsync();
        DoseCheck = Session.State == SessionState.PreAssessment
            ? (Check(Session, Plan, Patient, await new SettingsService(db, Clock).DrugLibraryAsync()) is { IsSuccess: true } c ? c.Value : null)
            : Session.Authorization?.Check;
        Figures = SessionFigures.Of(Session, Plan, Patient, Now);
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
        var session = await Sessions.GetAsync(SessionId, By);
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
            errors.Add(o.Error);
            return null;
        }

        return o.Value;
    }

    /// <summary>The time typed (HH:mm, clinic time, today) or now.</summary>
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
