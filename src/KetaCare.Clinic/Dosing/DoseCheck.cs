using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Clinic.Dosing;

/// <summary>Hard stops cannot be overridden; soft warnings need an override with a reason.</summary>
public enum LimitSeverity
{
    /// <summary>Above a soft limit: allowed with a recorded reason.</summary>
    Soft,

    /// <summary>Above a hard limit: refused.</summary>
    Hard,
}

/// <summary>One limit that a planned dose exceeds: a coded finding in the shape dose checks are stored in.</summary>
/// <param name="LimitId">Stable id (<see cref="DoseCheck.LimitIds"/>); the finding code is "limit." + the id.</param>
/// <param name="Severity">Hard or soft.</param>
/// <param name="Value">The planned value, in <see cref="Unit"/>.</param>
/// <param name="LimitValue">The limit, in <see cref="Unit"/>.</param>
/// <param name="Message">The finding's canonical, culture-invariant form (for logs; faces render the code).</param>
/// <param name="Source">Where the limit comes from.</param>
public sealed record LimitFinding(string LimitId, LimitSeverity Severity, double Value, double LimitValue, string Message, Source Source)
{
    /// <summary>The unit of <see cref="Value"/> and <see cref="LimitValue"/> ("mg/kg/h", "mg", "ng/mL"…); empty when none.</summary>
    public string? Unit { get; init; }

    /// <summary>The coded finding: "limit." + <see cref="LimitId"/>, hard stop or needs override, value and limit with the unit.</summary>
    public Finding ToFinding() => new(
        FindingCodes.LimitPrefix + LimitId,
        Severity == LimitSeverity.Hard ? FindingSeverity.HardStop : FindingSeverity.NeedsOverride,
        [FindingArg.Of("value", Value, Unit ?? string.Empty), FindingArg.Of("limit", LimitValue, Unit ?? string.Empty)],
        Source);

    /// <summary>A finding with its canonical message.</summary>
    internal static LimitFinding Create(string id, LimitSeverity severity, double value, double limit, string unit, Source source)
    {
        var f = new LimitFinding(id, severity, value, limit, string.Empty, source) { Unit = unit };
        return f with { Message = f.ToFinding().ToString() };
    }
}

/// <summary>A planned administration to check.</summary>
/// <param name="Protocol">The protocol it belongs to.</param>
/// <param name="Patient">Covariates valid on the session date (weight from the dated history).</param>
/// <param name="Dose">The dose: for infusions the rate the pump delivers (back-calculated), else the single dose.</param>
/// <param name="Preparation">The preparation used.</param>
/// <param name="ModelId">PK model for the prediction (e.g. "domino1984").</param>
public sealed record PlannedDose(Protocol Protocol, Covariates Patient, DoseLevel Dose, Preparation Preparation, string ModelId)
{
    /// <summary>Planned infusion duration; defaults to the protocol's.</summary>
    public Duration? InfusionDuration { get; init; }

    /// <summary>Volume to be infused, mL, for infusions (from the pump program); null for single doses.</summary>
    public double? VtbiMl { get; init; }

    /// <summary>An IV loading bolus (mg/kg) given at the start of an infusion, or null.</summary>
    public DoseLevel? LoadingBolus { get; init; }

    /// <summary>The weight per-kg doses are calculated on (the protocol's dosing-weight rule); null for the actual weight.</summary>
    public BodyWeight? DosingWeight { get; init; }

    /// <summary>True when the patient has raised intracranial or intraocular pressure: the check applies <see cref="DoseLimits.ForRaisedPressure"/>.</summary>
    public bool RaisedPressure { get; init; }

    /// <summary>The weight per-kg doses and limits use: <see cref="DosingWeight"/>, else the actual weight.</summary>
    public BodyWeight DoseWeight => DosingWeight ?? Patient.Weight;
}

/// <summary>What the dose check found. Deterministic for the same input and library.</summary>
/// <param name="Plan">The planned dose that was checked.</param>
/// <param name="Findings">Limits exceeded (empty when the dose is within every limit).</param>
/// <param name="PredictedPeak">Predicted peak plasma concentration, when the simulation ran.</param>
/// <param name="PredictionNotes">Model warnings (extrapolation, assumed absorption) or why the prediction did not run.</param>
/// <param name="DrugLibraryVersion">The drug library version used.</param>
public sealed record DoseCheckResult(PlannedDose Plan, IReadOnlyList<LimitFinding> Findings, Concentration? PredictedPeak, IReadOnlyList<string> PredictionNotes, string DrugLibraryVersion)
{
    /// <summary>True when any hard limit is exceeded: the dose cannot be given.</summary>
    public bool HasHardStop => Findings.Any(f => f.Severity == LimitSeverity.Hard);

    /// <summary>Soft limits exceeded: each needs an override with a reason.</summary>
    public IEnumerable<LimitFinding> SoftFindings => Findings.Where(f => f.Severity == LimitSeverity.Soft);
}

/// <summary>
/// Dose-error reduction: checks a planned dose against the drug library's hard and soft limits and against the
/// predicted peak plasma concentration of the planned session (simulated with the patient's model and
/// covariates). A value exactly at a limit passes; any value above it is flagged.
/// </summary>
public static class DoseCheck
{
    /// <summary>Every limit id a dose check raises; the finding code is "limit." + the id.</summary>
    public static IReadOnlyList<string> LimitIds { get; } =
        ["rate-mg-kg-h", "rate-mg-h", "bolus-mg-kg", "single-dose-mg", "session-total", "session-total-mg", "vtbi", "preparation", "dose-unit", "dose-zero", "pk-peak", "pk-unavailable", AncillaryDrugs.DoseLimitId, AncillaryDrugs.SessionLimitId];

    // Relative slack for floating-point noise only (2.0 computed as 2.0000000000000004 passes; 2.01 does not).
    private const double Slack = 1e-9;

    /// <summary>Checks the planned dose. Pure apart from the engine's deterministic simulation.</summary>
    public static DoseCheckResult Evaluate(PlannedDose plan, DrugLibrary library) => Evaluate(plan, library, null);

    /// <summary>
    /// Checks the planned dose with a peak already predicted by the caller (a preview that simulated the session for its
    /// charts), so the engine runs once; null runs <see cref="PredictPeak"/>.
    /// </summary>
    public static DoseCheckResult Evaluate(PlannedDose plan, DrugLibrary library, (Concentration? Peak, IReadOnlyList<string> Notes)? prediction)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(library);
        var findings = new List<LimitFinding>();
        var limits = library.LimitsFor(plan.Protocol, plan.RaisedPressure);
        var kg = plan.DoseWeight.Kilograms;
        var protocol = plan.Protocol;
        var dose = plan.Dose;

        var prep = DrugLibrary.CheckPreparation(plan.Preparation, protocol.Route);
        if (!prep.IsSuccess)
        {
            findings.Add(LimitFinding.Create("preparation", LimitSeverity.Hard, plan.Preparation.Concentration.MilligramsPerMilliliter, 0, "mg/mL", Source.KetalarLabel));
        }

        if (!dose.SameBasis(protocol.Start))
        {
            findings.Add(LimitFinding.Create("dose-unit", LimitSeverity.Hard, dose.Value, 0, string.Empty, protocol.Sources[0]));
            return new DoseCheckResult(plan, findings, null, [], library.Version);
        }

        if (dose.Value <= 0)
        {
            // A zero dose is refused here rather than meeting a division or an empty regimen later.
            findings.Add(LimitFinding.Create("dose-zero", LimitSeverity.Hard, dose.Value, 0, string.Empty, protocol.Sources[0]));
            return new DoseCheckResult(plan, findings, null, [], library.Version);
        }

        switch (dose.Basis)
        {
            case DoseBasis.MgPerKgPerHour:
                var duration = plan.InfusionDuration ?? protocol.InfusionDuration ?? Duration.Zero;
                var mgPerHour = dose.Value * kg;
                Check(findings, "rate-mg-kg-h", dose.Value, limits.HardMgPerKgPerHour, LimitSeverity.Hard, "mg/kg/h");
                Check(findings, "rate-mg-kg-h", dose.Value, limits.SoftMgPerKgPerHour, LimitSeverity.Soft, "mg/kg/h");
                Check(findings, "rate-mg-h", mgPerHour, limits.HardMgPerHour, LimitSeverity.Hard, "mg/h");
                Check(findings, "rate-mg-h", mgPerHour, limits.SoftMgPerHour, LimitSeverity.Soft, "mg/h");
                if (plan.LoadingBolus is { } bolus)
                {
                    if (bolus.Basis != DoseBasis.MgPerKg)
                    {
                        findings.Add(LimitFinding.Create("bolus-mg-kg", LimitSeverity.Hard, bolus.Value, 0, string.Empty, Source.Cohen2018));
                    }
                    else
                    {
                        Check(findings, "bolus-mg-kg", bolus.Value, limits.HardBolusMgPerKg, LimitSeverity.Hard, "mg/kg");
                    }
                }

                SessionTotal(findings, plan, limits, duration, kg);
                break;
            case DoseBasis.MgPerKg:
                Check(findings, "bolus-mg-kg", dose.Value, limits.HardBolusMgPerKg, LimitSeverity.Hard, "mg/kg");
                break;
            default:
                Check(findings, "single-dose-mg", dose.Value, limits.HardSingleDoseMg, LimitSeverity.Hard, "mg");
                break;
        }

        var (peak, notes) = prediction ?? PredictPeak(plan);
        if (peak is { } c)
        {
            var ng = c.NanogramsPerMilliliter;
            var pk = library.Pk;
            // The predicted peak plasma concentration (a hard finding leaves out the soft one, as for every limit).
            Check(findings, "pk-peak", ng, new Limit(pk.HardPeakNgPerMl, pk.Source), LimitSeverity.Hard, "ng/mL");
            Check(findings, "pk-peak", ng, new Limit(pk.SoftPeakNgPerMl, pk.Source), LimitSeverity.Soft, "ng/mL");
        }
        else
        {
            findings.Add(LimitFinding.Create("pk-unavailable", LimitSeverity.Soft, 0, 0, string.Empty, library.Pk.Source));
        }

        return new DoseCheckResult(plan, findings, peak, notes, library.Version);
    }

    /// <summary>Simulates the planned session with the engine and returns the predicted plasma Cmax, or why it could not.</summary>
    public static (Concentration? Peak, IReadOnlyList<string> Notes) PredictPeak(PlannedDose plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var model = ModelLibrary.Get(plan.ModelId, "model");
        if (!model.IsSuccess)
        {
            return (null, [model.Error]);
        }

        var regimen = RegimenFor(plan);
        if (!regimen.IsSuccess)
        {
            return (null, [regimen.Error]);
        }

        var duration = plan.InfusionDuration ?? plan.Protocol.InfusionDuration ?? Duration.Zero;
        var result = Simulator.Run(new SimulationRequest(model.Value, plan.Patient, regimen.Value)
        {
            // The peak of an infusion is at its end; extravascular peaks come within hours. 1-min grid.
            Until = Duration.FromMinutes(duration.Minutes + 240),
            Step = Duration.FromMinutes(1),
        });
        return result.IsSuccess
            ? (result.Value.Metrics("plasma").Cmax, [.. result.Value.Warnings.Select(w => w.Message)])
            : (null, [result.Error]);
    }

    /// <summary>The engine regimen of a planned dose, built from the typed dose (no text in between).</summary>
    public static ParseResult<Regimen> RegimenFor(PlannedDose plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var route = plan.Protocol.Route;
        var dose = plan.Dose;
        if (dose.Value <= 0)
        {
            return ParseResult<Regimen>.Fail("dose: must be greater than 0.");
        }

        var duration = plan.InfusionDuration ?? plan.Protocol.InfusionDuration ?? Duration.Zero;
        if (dose.Basis == DoseBasis.MgPerKgPerHour && duration.Minutes <= 0)
        {
            return ParseResult<Regimen>.Fail("duration: an infusion needs a duration greater than 0.");
        }

        // Per-kg doses become the amounts the dosing weight gives, so the engine (which scales per-kg doses by the
        // model's covariate, the actual weight) simulates exactly the drug the pump will deliver.
        var w = plan.DoseWeight;
        var expression = dose.Basis switch
        {
            DoseBasis.MgPerKgPerHour => DoseExpression.AtRate(WeightNormalizedRate.FromMilligramsPerKilogramPerHour(dose.Value) * w, duration),
            DoseBasis.MgPerKg => DoseExpression.Bolus(DosePerKg.FromMilligramsPerKilogram(dose.Value) * w),
            _ => DoseExpression.Bolus(Mass.FromMilligrams(dose.Value)),
        };
        var items = new List<Administration> { new(Duration.Zero, expression, route) };
        if (plan.LoadingBolus is { Basis: DoseBasis.MgPerKg, Value: > 0 } bolus)
        {
            items.Add(new Administration(Duration.Zero, DoseExpression.Bolus(DosePerKg.FromMilligramsPerKilogram(bolus.Value) * w), route));
        }

        return ParseResult<Regimen>.Ok(new Regimen(items));
    }

    private static void SessionTotal(List<LimitFinding> findings, PlannedDose plan, DoseLimits limits, Duration duration, double kg)
    {
        var bolusMg = plan.LoadingBolus is { Basis: DoseBasis.MgPerKg } b ? b.Value * kg : 0;
        var total = (plan.Dose.Value * kg * duration.Hours) + bolusMg;
        var protocolHours = plan.Protocol.InfusionDuration?.Hours ?? duration.Hours;
        if (limits.HardMgPerKgPerHour is { } hard)
        {
            // Hard rate × protocol duration × weight.
            var derived = new Limit(hard.Value * kg * protocolHours, hard.Source);
            Check(findings, "session-total", total, derived, LimitSeverity.Hard, "mg");
        }

        Check(findings, "session-total-mg", total, limits.HardMgPerSession, LimitSeverity.Hard, "mg");
        if (limits.SoftMgPerKgPerHour is { } soft)
        {
            // Soft rate × protocol duration × weight.
            var derived = new Limit(soft.Value * kg * protocolHours, soft.Source);
            Check(findings, "session-total", total, derived, LimitSeverity.Soft, "mg");
        }

        if (plan.VtbiMl is { } vtbi)
        {
            var container = plan.Preparation.ContainerVolume.Milliliters;
            // The container's volume.
            Check(findings, "vtbi", vtbi, new Limit(container, plan.Preparation.Source), LimitSeverity.Hard, "mL");
            if (limits.HardMgPerKgPerHour is { } h)
            {
                var maxMl = h.Value * kg * protocolHours / plan.Preparation.Concentration.MilligramsPerMilliliter;
                // The hard session total ÷ concentration.
                Check(findings, "vtbi", vtbi, new Limit(maxMl, h.Source), LimitSeverity.Hard, "mL");
            }
        }
    }

    // The id and unit say on screen what the limit is about; comments at the call sites say it in the code.
    private static void Check(List<LimitFinding> findings, string id, double value, Limit? limit, LimitSeverity severity, string unit)
    {
        if (limit is null || value <= limit.Value * (1 + Slack))
        {
            return;
        }

        // A hard finding for the same id makes the soft one redundant.
        if (severity == LimitSeverity.Soft && findings.Any(f => f.LimitId == id && f.Severity == LimitSeverity.Hard))
        {
            return;
        }

        findings.Add(LimitFinding.Create(id, severity, value, limit.Value, unit, limit.Source));
    }
}

/// <summary>A recorded override of a soft limit.</summary>
/// <param name="LimitId">The limit overridden.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="By">Who.</param>
/// <param name="At">When (UTC).</param>
public sealed record LimitOverride(string LimitId, string Reason, UserId By, DateTimeOffset At);

/// <summary>A dose check that may proceed: no hard stop, and every soft finding overridden with a reason.</summary>
/// <param name="Check">The check.</param>
/// <param name="Overrides">Recorded overrides.</param>
public sealed record DoseAuthorization(DoseCheckResult Check, IReadOnlyList<LimitOverride> Overrides)
{
    /// <summary>Authorises a checked dose; refused when a hard limit is exceeded or a soft one lacks a reason.</summary>
    /// <param name="check">The check result.</param>
    /// <param name="reasons">Override reasons by limit id.</param>
    /// <param name="by">The overriding user.</param>
    /// <param name="clock">The clock.</param>
    public static Outcome<DoseAuthorization> Authorize(DoseCheckResult check, IReadOnlyDictionary<string, string>? reasons, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(clock);
        var hard = check.Findings.Where(f => f.Severity == LimitSeverity.Hard).ToList();
        if (hard.Count > 0)
        {
            return Refusal.Of(hard.Select(f => f.ToFinding()));
        }

        var overrides = new List<LimitOverride>();
        var missing = new List<Finding>();
        foreach (var soft in check.SoftFindings.DistinctBy(f => f.LimitId))
        {
            if (reasons is null || !reasons.TryGetValue(soft.LimitId, out var reason) || string.IsNullOrWhiteSpace(reason))
            {
                missing.Add(soft.ToFinding());
                continue;
            }

            overrides.Add(new LimitOverride(soft.LimitId, reason.Trim(), by, clock.GetUtcNow()));
        }

        if (missing.Count > 0)
        {
            return Refusal.Of(missing);
        }

        return Outcome<DoseAuthorization>.Ok(new DoseAuthorization(check, overrides));
    }
}
