using System.CommandLine;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Plans;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary><c>ketacare plan prescribe|show|propose|accept|override</c> through <see cref="TreatmentService"/>.</summary>
internal static partial class ClinicCommands
{
    internal static Command Plan(CliContext context)
    {
        var (database, connection) = DatabaseOptions();
        var by = ByOption(required: false);
        var command = new Command("plan", "Treatment plans: prescribe a protocol (with the dose-limit and PK-aware peak checks), show plans, and the titration advisor's proposal, accepted or overridden.") { database, connection, by };

        var record = new Argument<string>("RECORD") { Description = "The patient's medical record number." };
        var protocol = new Option<string>("--protocol") { Description = "Protocol id from the stored library (see 'ketacare protocols list').", Required = true };
        var route = new Option<string>("--route") { Description = "Route: must be the protocol's (iv, im, in …).", Required = true };
        var model = new Option<string>("--model") { Description = "PK model for predictions, e.g. domino1984.", Required = true };
        var concentration = new Option<string>("--concentration") { Description = "Bag, syringe or vial concentration from the drug library, e.g. \"1 mg/mL\".", Required = true };
        var startDose = new Option<string>("--start-dose") { Description = "First session's dose in the protocol's unit, e.g. \"0.5 mg/kg/h\".", Required = true };
        var overrideReason = new Option<string?>("--override-reason") { Description = "Why a soft dose limit is exceeded (hard limits cannot be overridden)." };
        var prescribe = new Command("prescribe", "Prescribe a protocol for the patient: prints the dose-limit findings and the predicted peak plasma concentration first; a hard limit refuses, a soft one needs --override-reason.")
        {
            record, protocol, route, model, concentration, startDose, overrideReason,
        };
        prescribe.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => PrescribeAsync(context, db, parse.GetValue(record)!, parse.GetValue(protocol)!, parse.GetValue(route)!, parse.GetValue(model)!, parse.GetValue(concentration)!, parse.GetValue(startDose)!, parse.GetValue(overrideReason), user, c), ct)));

        var showRecord = new Argument<string>("RECORD") { Description = "The patient's medical record number." };
        var show = new Command("show", "The patient's plans: protocol, status, current dose, dose changes and titration decisions (audited read).") { showRecord };
        show.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => ShowPlansAsync(context, db, parse.GetValue(showRecord)!, user, c), ct)));

        var proposeRecord = new Argument<string>("RECORD") { Description = "The patient's medical record number (the active plan is used)." };
        var propose = new Command("propose", "The titration advisor's proposal for the next session of the active plan, with its reasons.") { proposeRecord };
        propose.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => TitrateAsync(context, db, parse.GetValue(proposeRecord)!, TitrationStep.Propose, null, null, user, c), ct)));

        var acceptRecord = new Argument<string>("RECORD") { Description = "The patient's medical record number (the active plan is used)." };
        var accept = new Command("accept", "The physician accepts the advisor's proposal (computed afresh); stored in the plan.") { acceptRecord };
        accept.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => TitrateAsync(context, db, parse.GetValue(acceptRecord)!, TitrationStep.Accept, null, null, user, c), ct)));

        var overrideRecord = new Argument<string>("RECORD") { Description = "The patient's medical record number (the active plan is used)." };
        var dose = new Option<string>("--dose") { Description = "The next session's dose instead of the proposal, e.g. \"0.6 mg/kg/h\".", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why the proposal is overridden.", Required = true };
        var overrideCommand = new Command("override", "The physician overrides the advisor's proposal with another dose and a reason; never above the maximum.") { overrideRecord, dose, reason };
        overrideCommand.SetAction((parse, ct) => WithUser(context, parse.GetValue(by), user => DbCommand.Run(context, parse.GetValue(database), parse.GetValue(connection), requireSchema: true, (db, c) => TitrateAsync(context, db, parse.GetValue(overrideRecord)!, TitrationStep.Override, parse.GetValue(dose), parse.GetValue(reason), user, c), ct)));

        command.Subcommands.Add(prescribe);
        command.Subcommands.Add(show);
        command.Subcommands.Add(propose);
        command.Subcommands.Add(accept);
        command.Subcommands.Add(overrideCommand);
        return command;
    }

    private enum TitrationStep
    {
        Propose,
        Accept,
        Override,
    }

    private static async Task<int> PrescribeAsync(CliContext context, ClinicDatabase database, string record, string protocolId, string routeText, string modelId, string concentrationText, string doseText, string? overrideReason, UserId by, CancellationToken ct)
    {
        var route = Routes.Parse(routeText, "--route");
        if (!route.IsSuccess)
        {
            return context.UsageError(route.Error);
        }

        var model = ModelLibrary.Get(modelId, "--model");
        if (!model.IsSuccess)
        {
            return context.UsageError(model.Error);
        }

        var concentration = QuantityParser.ParseConcentration(concentrationText, "--concentration");
        if (!concentration.IsSuccess)
        {
            return context.UsageError(concentration.Error);
        }

        var dose = DoseLevel.Parse(doseText, "--start-dose");
        if (!dose.IsSuccess)
        {
            return context.UsageError(dose.Error!);
        }

        await using var db = database.Open(by, context.Clock);
        var drugs = await new SettingsService(db, context.Clock).DrugLibraryAsync(ct).ConfigureAwait(false);
        var preparation = drugs.Preparations
            .Where(p => Math.Abs(p.Concentration.MilligramsPerMilliliter - concentration.Value.MilligramsPerMilliliter) < 1e-9)
            .OrderBy(p => DrugLibrary.CheckPreparation(p, route.Value).IsSuccess ? 0 : 1)
            .FirstOrDefault();
        if (preparation is null)
        {
            return context.UsageError($"--concentration: no preparation of {concentrationText.Trim()} in the drug library {drugs.Version}; known: "
                + string.Join(", ", drugs.Preparations.Select(p => SafeNumber.Format(p.Concentration.MilligramsPerMilliliter) + " mg/mL")) + ".");
        }

        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var library = await new ProtocolService(db, context.Clock).LibraryAsync(ct).ConfigureAwait(false);
        var protocol = library.Find(protocolId);
        if (!protocol.IsSuccess)
        {
            return context.UsageError("--protocol: " + protocol.Error);
        }

        if (protocol.Value.Route != route.Value)
        {
            return context.UsageError($"--route: protocol {protocol.Value.Id} is given {protocol.Value.Route}, not {route.Value}.");
        }

        // The clinic layer builds the one preview (checked against the drug library in force) and prescribes through it.
        await using var scope = ClinicScope.Open(database, by, context.Clock);
        var treatments = scope.Get<TreatmentService>();
        var request = new PrescriptionRequest(summary.Id, protocol.Value.Id, model.Value.Id, preparation.Id, dose.Value);
        var preview = await treatments.PreviewAsync(request, ct).ConfigureAwait(false);
        if (!preview.IsSuccess)
        {
            return context.Refused(preview.Refusal);
        }

        var check = preview.Value.First.Check;
        var w = context.Out;
        context.Heading($"Dose check of {dose.Value} ({protocol.Value.Id} v{Int(protocol.Value.Version)}, {preparation}, drug library {check.DrugLibraryVersion})");
        foreach (var f in check.Findings)
        {
            w.WriteLine($"  [{f.Severity}] {f.LimitId}: {FindingText.Render(f, CultureInfo.InvariantCulture)}");
            w.WriteLine($"      source: {f.Source}");
        }

        if (check.Findings.Count == 0)
        {
            w.WriteLine("  within every dose limit");
        }

        w.WriteLine("  predicted peak plasma concentration: " + (check.PredictedPeak is { } peak
            ? $"{SafeNumber.Format(peak.NanogramsPerMilliliter, 3)} ng/mL ({model.Value.Id}; soft {SafeNumber.Format(drugs.Pk.SoftPeakNgPerMl)}, hard {SafeNumber.Format(drugs.Pk.HardPeakNgPerMl)} ng/mL)"
            : "not predicted"));
        foreach (var note in check.PredictionNotes)
        {
            w.WriteLine("  note: " + note);
        }

        var plan = await treatments.PrescribeAsync(request, overrideReason, by, ct).ConfigureAwait(false);
        if (!plan.IsSuccess)
        {
            var needs = plan.Refusal.Findings.Any(f => f.Severity == KetaCare.Clinic.Findings.FindingSeverity.NeedsOverride);
            return context.Refused(Say(plan.Refusal) + (needs ? " Give it with --override-reason." : string.Empty));
        }

        foreach (var change in plan.Value.DoseChanges)
        {
            w.WriteLine($"  overridden: {Reason(change.Reason, change.Findings)}");
        }

        w.WriteLine($"prescribed plan {plan.Value.Id}: {plan.Value.Protocol} for {summary.MedicalRecordNumber}, start {plan.Value.StartDose}, model {plan.Value.ModelId}, {plan.Value.Preparation.Id}; by {plan.Value.PrescribedBy} at {Time(plan.Value.PrescribedAt)}");
        return ExitCodes.Success;
    }

    // A dose change's or status change's reason in English: its coded findings rendered, or its stored text when it has none.
    private static string Reason(string text, IReadOnlyList<KetaCare.Clinic.Findings.Finding>? findings) =>
        findings is { Count: > 0 } f ? FindingText.Render(f, text, CultureInfo.InvariantCulture) : text;

    private static async Task<int> ShowPlansAsync(CliContext context, ClinicDatabase database, string record, UserId by, CancellationToken ct)
    {
        await using var db = database.Open(by, context.Clock);
        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var plans = await new TreatmentService(db, context.Clock).PlansAsync(summary.Id, by, ct).ConfigureAwait(false);
        context.Heading($"Treatment plans of {summary.FamilyName}, {summary.GivenName} ({summary.MedicalRecordNumber})");
        var w = context.Out;
        foreach (var plan in plans)
        {
            w.WriteLine($"  plan {plan.Id}: {plan.Protocol} ({plan.Protocol.Id}), {plan.Route}, {plan.Status}{(plan.StatusReason is { } sr ? " — " + Reason(sr, plan.StatusFindings) : string.Empty)}; version {Int(plan.Version)}");
            w.WriteLine($"    start {plan.StartDose}, current dose {plan.CurrentDose}, ceiling {plan.Protocol.Ceiling}; model {plan.ModelId}; {plan.Preparation.Id} ({plan.Preparation})");
            w.WriteLine($"    prescribed {Time(plan.PrescribedAt)} by {plan.PrescribedBy}");
            foreach (var (dose, reason, who, at, findings) in plan.DoseChanges)
            {
                w.WriteLine($"    dose set to {dose} {Time(at)} by {who}: {Reason(reason, findings)}");
            }

            foreach (var t in plan.TitrationDecisions)
            {
                w.WriteLine($"    titration {Time(t.At)} by {t.By}: proposed {t.Proposal.Action} {t.Proposal.NextDose?.ToString() ?? "-"}; "
                    + (t.Overridden ? $"overridden to {t.Dose?.ToString() ?? "-"} — {t.Reason}" : "accepted"));
            }
        }

        None(context, plans.Count);
        return ExitCodes.Success;
    }

    private static async Task<int> TitrateAsync(CliContext context, ClinicDatabase database, string record, TitrationStep step, string? doseText, string? reason, UserId by, CancellationToken ct)
    {
        DoseLevel overrideDose = default;
        if (step == TitrationStep.Override)
        {
            var d = DoseLevel.Parse(doseText, "--dose");
            if (!d.IsSuccess)
            {
                return context.UsageError(d.Error!);
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                return context.UsageError("--reason: say why the proposal is overridden.");
            }

            overrideDose = d.Value;
        }

        await using var db = database.Open(by, context.Clock);
        var summary = await FindAsync(db, record, ct).ConfigureAwait(false);
        if (summary is null)
        {
            return NoPatient(context, record);
        }

        var service = new TreatmentService(db, context.Clock);
        var plan = (await service.PlansAsync(summary.Id, by, ct).ConfigureAwait(false)).LastOrDefault(p => p.Status == PlanStatus.Active);
        if (plan is null)
        {
            return context.Refused($"{summary.MedicalRecordNumber}: no active treatment plan; prescribe one with 'ketacare plan prescribe'.");
        }

        var proposal = await service.ProposeTitrationAsync(plan.Id, by, ct).ConfigureAwait(false);
        if (!proposal.IsSuccess)
        {
            return context.Refused(proposal.Refusal);
        }

        var p = proposal.Value;
        var w = context.Out;
        w.WriteLine($"proposal for the next session of {plan.Protocol.Id}: {p.Action} {p.NextDose?.ToString() ?? "-"} (current {plan.CurrentDose}, maximum {p.MaximumDose})");
        foreach (var r in p.Findings.Select(f => FindingText.Render(f, CultureInfo.InvariantCulture)).Concat(p.Reasons))
        {
            w.WriteLine("  " + r);
        }

        w.WriteLine("  source: " + p.Source);
        if (step == TitrationStep.Propose)
        {
            return ExitCodes.Success;
        }

        var changed = step == TitrationStep.Accept
            ? await service.AcceptTitrationAsync(plan.Id, plan.Version, by, ct).ConfigureAwait(false)
            : await service.OverrideTitrationAsync(plan.Id, plan.Version, overrideDose, reason!, by, ct).ConfigureAwait(false);
        if (!changed.IsSuccess)
        {
            return context.Refused(changed.Refusal);
        }

        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(step == TitrationStep.Accept ? "accepted" : "overridden")}: next session's dose {changed.Value.CurrentDose}; plan version {changed.Value.Version}"));
        return ExitCodes.Success;
    }
}
