using KetaCare.Clinic.Dosing;
using System.CommandLine;
using System.Globalization;
using KetaCare.Cli.Output;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Tci;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare tci</c>: a target-controlled infusion plan for one patient — the manual-pump steps a nurse
/// programs, the fine TCI schedule behind them, and what to read with it.
/// </summary>
internal static class TciCommand
{
    /// <summary>
    /// Default plasma ceiling in effect-site mode: 250 ng/mL, the top of the dissociation range after 0.5 mg/kg
    /// over 40 min (100–250 ng/mL, Zanos 2018; clinical-reference: Concentration and effect (concentration-effect)). A KetaCare default, overridable with --max-plasma.
    /// </summary>
    internal static readonly Concentration DefaultEffectModePlasmaCeiling = Concentration.FromNanogramsPerMilliliter(250);

    internal static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model id (see 'ketacare models'), e.g. domino1984.", Required = true };
        var weight = new Option<string>("--weight", "-w") { Description = "Body weight, kg: \"70\" or \"70 kg\" (0.3–500).", Required = true };
        var age = new Option<string>("--age") { Description = "Age, years (0–120). Checked against the model's population." };
        var sex = new Option<string>("--sex") { Description = "f or m." };
        var height = new Option<string>("--height") { Description = "Height, cm (30–250), for models with height covariates." };
        var target = new Option<string>("--target", "-t") { Description = Range.Target.Describe("Target concentration, e.g. \"150 ng/mL\""), Required = true };
        var site = new Option<string>("--site") { Description = "Where the target applies: plasma or effect (effect site; needs a ke0, by default the model's first).", DefaultValueFactory = _ => "plasma" };
        var ke0 = new Option<string>("--ke0") { Description = "Effect-site constant: olofsen2012, herd2008, or a rate such as \"0.1/min\" (labelled user-supplied). Default: the model's first effect-site option." };
        var duration = new Option<string>("--for") { Description = Range.Duration.Describe("Length of the plan, e.g. \"60 min\", \"4 h\""), DefaultValueFactory = _ => "60 min" };
        var concentration = new Option<string>("--concentration") { Description = Range.Concentration.Describe("Drug concentration in the bag or syringe"), DefaultValueFactory = _ => "1 mg/mL" };
        var maxRate = new Option<string>("--max-rate") { Description = Range.MaxRate.Describe("The pump's maximum rate"), DefaultValueFactory = _ => "1200 mL/h" };
        var steps = new Option<string>("--steps") { Description = Range.Steps.Describe("Number of manual-pump rates"), DefaultValueFactory = _ => "4" };
        var period = new Option<string>("--period") { Description = Range.Period.Describe("How often the TCI rate is recomputed"), DefaultValueFactory = _ => "10 s" };
        var maxPlasma = new Option<string>("--max-plasma") { Description = Range.MaxPlasma.Describe("Ceiling on the predicted plasma concentration. Effect-site mode overshoots plasma on purpose, so there it defaults to the larger of the target and 250 ng/mL (top of the dissociation range, Zanos 2018); \"none\" removes it") };
        var maxRatePerKg = new Option<string>("--max-rate-per-kg") { Description = Range.MaxRatePerKg.Describe("Ceiling on the dose rate per kg, e.g. a protocol's \"2 mg/kg/h\"") };
        var csv = new Option<bool>("--csv") { Description = "Write the fine TCI schedule as CSV (invariant culture) to stdout: start_s,end_s,rate_mg_h,rate_ml_h,plasma_ng_ml,effect_ng_ml." };
        var json = new Option<bool>("--json") { Description = "Write a JSON document (settings, fine steps, manual steps, summary, warnings) to stdout." };
        var plot = new Option<FileInfo>("--plot") { Description = "Write a chart (.png or .svg): predicted plasma and effect site with the target, and the manual pump rates." };
        var retarget = new Option<string[]>("--retarget") { Description = Range.Retarget.Describe("Re-plan with a new target at a time, e.g. \"20 min=200 ng/mL\" (repeatable): the plan continues from the predicted state"), Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var reweigh = new Option<string[]>("--reweigh") { Description = Range.Reweigh.Describe("Re-plan with a new body weight at a time, e.g. \"45 min=68 kg\" (repeatable): the model is rebuilt and the amounts carry over"), Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };

        var command = new Command("tci", "Plan a target-controlled infusion: manual-pump steps to program, the fine TCI schedule, predicted plasma and effect-site concentrations.")
        {
            model, weight, age, sex, height, target, site, ke0, duration, concentration, maxRate, steps, period, maxPlasma, maxRatePerKg, retarget, reweigh, csv, json, plot,
        };
        command.SetAction(parse => Run(context, new Args(
            parse.GetValue(model)!, parse.GetValue(weight)!, parse.GetValue(age), parse.GetValue(sex), parse.GetValue(height),
            parse.GetValue(target)!, parse.GetValue(site)!, parse.GetValue(ke0), parse.GetValue(duration)!, parse.GetValue(concentration)!,
            parse.GetValue(maxRate)!, parse.GetValue(steps)!, parse.GetValue(period)!, parse.GetValue(maxPlasma), parse.GetValue(maxRatePerKg),
            parse.GetValue(retarget) ?? [], parse.GetValue(reweigh) ?? [], parse.GetValue(csv), parse.GetValue(json), parse.GetValue(plot))));
        return command;
    }

    private sealed record Args(
        string Model, string Weight, string? Age, string? Sex, string? Height,
        string Target, string Site, string? Ke0, string Duration, string Concentration,
        string MaxRate, string Steps, string Period, string? MaxPlasma, string? MaxRatePerKg,
        string[] Retarget, string[] Reweigh, bool Csv, bool Json, FileInfo? Plot);

    /// <summary>The allowed range of an option, said in its help and appended to its parse errors.</summary>
    private sealed record Range(string Text)
    {
        public static readonly Range Target = new(Invariant($"greater than 0 and at most {PlausibilityLimits.MaxPlasmaNgPerMl} ng/mL"));
        public static readonly Range Duration = new(Invariant($"greater than 0 and at most {PlausibilityLimits.MaxAdministrationDays} d"));
        public static readonly Range Concentration = new(Invariant($"greater than 0 and at most {TciSettings.MaxConcentrationMgPerMl} mg/mL"));
        public static readonly Range MaxRate = new(Invariant($"greater than 0 and at most {TciSettings.MaxPumpRateMlPerHour} mL/h"));
        public static readonly Range Steps = new(Invariant($"a whole number from 0 (none) to {TciSettings.MaxManualSteps}"));
        public static readonly Range Period = new(Invariant($"{TciSettings.MinUpdatePeriodSeconds}–{TciSettings.MaxUpdatePeriodSeconds} s"));
        public static readonly Range MaxPlasma = new(Invariant($"at least the target and at most {PlausibilityLimits.MaxPlasmaNgPerMl} ng/mL"));
        public static readonly Range Retarget = new(Invariant($"\"TIME=TARGET\", TIME inside (0, --for), strictly ascending, TARGET greater than 0 and at most {PlausibilityLimits.MaxPlasmaNgPerMl} ng/mL"));
        public static readonly Range Reweigh = new(Invariant($"\"TIME=WEIGHT\", TIME inside (0, --for), strictly ascending, WEIGHT {BodyWeight.MinKilograms}–{BodyWeight.MaxKilograms} kg"));
        public static readonly Range MaxRatePerKg = new(Invariant($"greater than 0 and at most {PlausibilityLimits.MaxRateMgPerKgPerHour} mg/kg/h"));

        public string Describe(string what) => $"{what}; allowed: {Text}.";

        /// <summary>Appends the allowed range to a parser's error, which names the option but not the range.</summary>
        public ParseResult<T> Explain<T>(ParseResult<T> result) =>
            result.IsSuccess ? result : ParseResult<T>.Fail($"{result.Error} Allowed: {Text}.");

        private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }

    private static int Run(CliContext context, Args a)
    {
        var model = ModelLibrary.Get(a.Model, "--model");
        if (!model.IsSuccess)
        {
            return context.UsageError(model.Error);
        }

        var weight = Inputs.Weight(a.Weight, "--weight");
        var age = Inputs.OptionalNumber(a.Age, "--age", 0, 120, "years");
        var sex = Inputs.Sex(a.Sex, "--sex");
        var height = Inputs.OptionalNumber(a.Height, "--height", 30, 250, "cm");
        var target = Range.Target.Explain(QuantityParser.ParseConcentration(a.Target, "--target"));
        var site = TciSettings.ParseSite(a.Site, "--site");
        var ke0 = Inputs.Ke0(a.Ke0, model.Value, "--ke0");
        var duration = Range.Duration.Explain(QuantityParser.ParseDuration(a.Duration, "--for"));
        var concentration = Range.Concentration.Explain(QuantityParser.ParseConcentration(a.Concentration, "--concentration"));
        var maxRate = Range.MaxRate.Explain(QuantityParser.ParseFlowRate(a.MaxRate, "--max-rate"));
        var steps = ParseSteps(a.Steps);
        var period = Range.Period.Explain(QuantityParser.ParseDuration(a.Period, "--period"));
        var noCeiling = string.Equals(a.MaxPlasma?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
        var maxPlasma = a.MaxPlasma is null || noCeiling ? ParseResult<Concentration?>.Ok(null) : Range.MaxPlasma.Explain(QuantityParser.ParseConcentration(a.MaxPlasma, "--max-plasma")).Select(c => (Concentration?)c);
        var perKg = ParseRatePerKg(a.MaxRatePerKg);
        if (perKg.IsSuccess && perKg.Value is { } askedPerKg && askedPerKg.MilligramsPerKilogramPerHour > PlausibilityLimits.MaxRateMgPerKgPerHour)
        {
            // Checked here: the clinical cap below replaces the value before the planner could refuse it.
            perKg = ParseResult<WeightNormalizedRate?>.Fail($"--max-rate-per-kg: \"{a.MaxRatePerKg!.Trim()}\" is outside the allowed range. Allowed: {Range.MaxRatePerKg.Text}.");
        }
        var firstError = new[]
        {
            weight.Error, age.Error, sex.Error, height.Error, target.Error, site.Error, ke0.Error, duration.Error, concentration.Error,
            maxRate.Error, steps.Error, period.Error, maxPlasma.Error, perKg.Error,
        }.FirstOrDefault(e => e is not null);
        if (firstError is not null)
        {
            return context.UsageError(firstError);
        }

        if (Inputs.OutputChoice(a.Csv, a.Json, a.Plot) is { } outputError)
        {
            return context.UsageError(outputError);
        }

        // Effect-site mode without --ke0 uses the model's first effect-site option (the planner's default too).
        var effectSite = ke0.Value ?? model.Value.EffectSiteOptions.FirstOrDefault();
        if (site.Value == TciSite.EffectSite && effectSite is null)
        {
            return context.UsageError($"--site: {model.Value.Id} offers no effect-site constant; give one with --ke0 ({string.Join(", ", EffectSites.All.Select(k => k.Id))} or a rate such as \"0.1/min\") or use --site plasma.");
        }

        // Safety default: effect-site targeting drives plasma far above the target (to anaesthetic levels at a fast
        // pump), which a pain clinic does not want unless it asks for it.
        var ceiling = maxPlasma.Value;
        var defaultCeiling = false;
        if (ceiling is null && !noCeiling && site.Value == TciSite.EffectSite)
        {
            ceiling = target.Value > DefaultEffectModePlasmaCeiling ? target.Value : DefaultEffectModePlasmaCeiling;
            defaultCeiling = true;
        }

        var patient = new Covariates(weight.Value, age.Value, sex.Value, height.Value);
        var refusals = model.Value.CheckPatient(patient).Where(f => f.Refused).Select(f => f.Message).ToList();
        if (refusals.Count > 0)
        {
            return context.Refused(string.Join(Environment.NewLine + "refused: ", refusals));
        }

        var retargets = ParseChanges(a.Retarget, "--retarget", Range.Retarget, duration.Value, text => QuantityParser.ParseConcentration(text, "--retarget"), c => c > Concentration.Zero && c.NanogramsPerMilliliter <= PlausibilityLimits.MaxPlasmaNgPerMl);
        if (!retargets.IsSuccess)
        {
            return context.UsageError(retargets.Error);
        }

        var reweighs = ParseChanges(a.Reweigh, "--reweigh", Range.Reweigh, duration.Value, text => QuantityParser.ParseBodyWeight(text, "--reweigh"), _ => true);
        if (!reweighs.IsSuccess)
        {
            return context.UsageError(reweighs.Error);
        }

        foreach (var (_, kg) in reweighs.Value)
        {
            var rebuilt = patient with { Weight = kg };
            var refused = model.Value.CheckPatient(rebuilt).Where(f => f.Refused).Select(f => $"--reweigh {kg}: {f.Message}").ToList();
            if (refused.Count > 0)
            {
                return context.Refused(string.Join(Environment.NewLine + "refused: ", refused));
            }
        }

        // A TCI schedule's rates are meant to be programmed: they never exceed the clinical hard limits (2 mg/kg/h and the
        // absolute mg/h cap), whatever was asked; when the schedule needed more, the cap is said.
        var (perKgCeiling, capped) = WhatIfLimits.TciCeiling(perKg.Value);
        var absoluteMlPerHour = WhatIfLimits.TciAbsoluteCeiling.MilligramsPerHour / concentration.Value.MilligramsPerMilliliter;
        var pumpMax = maxRate.Value.MillilitersPerHour > absoluteMlPerHour ? FlowRate.FromMillilitersPerHour(absoluteMlPerHour) : maxRate.Value;
        var settings = new TciSettings
        {
            Target = target.Value,
            Site = site.Value,
            Duration = duration.Value,
            UpdatePeriod = period.Value,
            Concentration = concentration.Value,
            MaxRate = pumpMax,
            MaxPlasma = ceiling,
            MaxRatePerKg = perKgCeiling,
            Steps = steps.Value,
        };

        // Change times split the plan into segments; each is planned from the predicted state where the previous one ends.
        var times = retargets.Value.Select(c => c.Time.Minutes).Concat(reweighs.Value.Select(c => c.Time.Minutes)).Distinct().Order().ToList();
        var segments = new List<TciSegment>();
        TciState? from = null;
        var current = settings;
        for (var i = 0; i <= times.Count; i++)
        {
            var start = i == 0 ? 0 : times[i - 1];
            var end = i < times.Count ? times[i] : duration.Value.Minutes;
            var reasons = new List<string>();
            if (i > 0)
            {
                foreach (var (_, t) in retargets.Value.Where(c => c.Time.Minutes == start))
                {
                    current = current with { Target = t, MaxPlasma = defaultCeiling ? (t > DefaultEffectModePlasmaCeiling ? t : DefaultEffectModePlasmaCeiling) : current.MaxPlasma };
                    reasons.Add("--retarget");
                }

                foreach (var (_, kg) in reweighs.Value.Where(c => c.Time.Minutes == start))
                {
                    patient = patient with { Weight = kg };
                    reasons.Add("--reweigh");
                }
            }

            var result = TciPlanner.Plan(model.Value, patient, current with { Duration = Duration.FromMinutes(end - start) }, effectSite, from: from);
            if (!result.IsSuccess)
            {
                var error = result.Error.StartsWith("from:", StringComparison.Ordinal)
                    ? $"--reweigh: at {Format.Clock(start)} the model rebuilt for {patient.Weight} has a different state layout ({result.Error[5..].Trim()}); the amounts cannot carry over."
                    : TciOptions.Name(result.Error);
                return context.UsageError(i > 0 && !result.Error.StartsWith("from:", StringComparison.Ordinal) ? $"{string.Join(" and ", reasons)} at {Format.Clock(start)}: {error}" : error);
            }

            var segment = new TciSegment(i + 1, new TciView(model.Value, patient, result.Value, effectSite, defaultKe0: i == 0 && ke0.Value is null, defaultCeiling),
                Duration.FromMinutes(end), i == 0 ? "start" : string.Join(" and ", reasons));
            segments.Add(segment);
            if (i < times.Count)
            {
                from = segment.FinalState;
            }
        }

        var session = new TciSession(segments);
        var view = session.First;
        if (capped || pumpMax.MillilitersPerHour < maxRate.Value.MillilitersPerHour)
        {
            // What the schedule would have needed without the clinical cap (the same plan with only the user's limits).
            var uncapped = TciPlanner.Plan(model.Value, patient, settings with { MaxRatePerKg = perKg.Value, MaxRate = maxRate.Value, Duration = Duration.FromMinutes(times.Count > 0 ? times[0] : duration.Value.Minutes) }, effectSite);
            var needed = uncapped.IsSuccess ? uncapped.Value.Steps.Max(x => x.Rate.MilligramsPerHour) / patient.Weight.Kilograms : 0;
            if (WhatIfLimits.TciCapped(needed, WeightNormalizedRate.FromMilligramsPerKilogramPerHour(Math.Min(perKgCeiling.MilligramsPerKilogramPerHour, WhatIfLimits.TciAbsoluteCeiling.MilligramsPerHour / patient.Weight.Kilograms))) is { } finding)
            {
                context.Warn(finding);
            }
        }

        var machine = a.Csv || a.Json;
        if (a.Csv)
        {
            TciData.WriteCsv(context.Out, session);
        }
        else if (a.Json)
        {
            TciData.WriteJson(context.Out, session);
        }
        else
        {
            if (session.Replanned)
            {
                WriteReplannedReport(context, session);
            }
            else
            {
                WriteReport(context, view);
            }
        }

        return ChartFile.Finish(context, machine, session.Warnings, a.Plot, path => TciChart.Save(session, path));
    }

    /// <summary>
    /// "TIME=VALUE" pairs of a repeatable option, parsed invariantly: TIME inside (0, --for) and strictly ascending,
    /// VALUE by <paramref name="parse"/> and <paramref name="valid"/>; an error names the option and the allowed form.
    /// </summary>
    private static ParseResult<List<(Duration Time, T Value)>> ParseChanges<T>(string[] items, string option, Range range, Duration total, Func<string, ParseResult<T>> parse, Func<T, bool> valid)
    {
        var changes = new List<(Duration Time, T Value)>();
        foreach (var item in items)
        {
            var parts = item.Split('=');
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0)
            {
                return ParseResult<List<(Duration, T)>>.Fail($"{option}: \"{item}\" is not TIME=VALUE. Allowed: {range.Text}.");
            }

            var time = QuantityParser.ParseDuration(parts[0], option);
            if (!time.IsSuccess)
            {
                return range.Explain(ParseResult<List<(Duration, T)>>.Fail(time.Error));
            }

            if (time.Value.Minutes <= 0 || time.Value.Minutes >= total.Minutes)
            {
                return ParseResult<List<(Duration, T)>>.Fail($"{option}: time {time.Value} in \"{item}\" is not inside (0, --for {total}). Allowed: {range.Text}.");
            }

            if (changes.Count > 0 && time.Value.Minutes <= changes[^1].Time.Minutes)
            {
                return ParseResult<List<(Duration, T)>>.Fail($"{option}: time {time.Value} in \"{item}\" does not come after {changes[^1].Time}; give the changes in strictly ascending order. Allowed: {range.Text}.");
            }

            var value = parse(parts[1]);
            if (!value.IsSuccess)
            {
                return range.Explain(ParseResult<List<(Duration, T)>>.Fail(value.Error));
            }

            if (!valid(value.Value))
            {
                return ParseResult<List<(Duration, T)>>.Fail($"{option}: \"{parts[1].Trim()}\" in \"{item}\" is out of range. Allowed: {range.Text}.");
            }

            changes.Add((time.Value, value.Value));
        }

        return ParseResult<List<(Duration, T)>>.Ok(changes);
    }

    private static ParseResult<int> ParseSteps(string text)
    {
        var n = QuantityParser.ParseNumber(text, "--steps");
        if (!n.IsSuccess)
        {
            return Range.Steps.Explain(ParseResult<int>.Fail(n));
        }

        // Range checks (0–12) are the planner's; only a whole number that fits an int is checked here.
        return n.Value != Math.Floor(n.Value) || n.Value > int.MaxValue
            ? ParseResult<int>.Fail($"--steps: \"{text.Trim()}\" is not {Range.Steps.Text}.")
            : ParseResult<int>.Ok((int)n.Value);
    }

    private static ParseResult<WeightNormalizedRate?> ParseRatePerKg(string? text)
    {
        if (text is null)
        {
            return ParseResult<WeightNormalizedRate?>.Ok(null);
        }

        var q = QuantityParser.Parse(text, "--max-rate-per-kg");
        if (!q.IsSuccess)
        {
            return Range.MaxRatePerKg.Explain(ParseResult<WeightNormalizedRate?>.Fail(q));
        }

        return q.Value.Kind == QuantityKind.WeightNormalizedRate
            ? ParseResult<WeightNormalizedRate?>.Ok(WeightNormalizedRate.FromMilligramsPerKilogramPerMinute(q.Value.Canonical))
            : ParseResult<WeightNormalizedRate?>.Fail($"--max-rate-per-kg: \"{q.Value.Text}\" is not a rate per kg; write e.g. \"2 mg/kg/h\". Allowed: {Range.MaxRatePerKg.Text}.");
    }

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");

    private static void WriteReport(CliContext context, TciView v)
    {
        var w = context.Out;
        var s = v.Plan.Settings;
        context.Heading($"{v.Model.Id}: {v.Model.Title} — target-controlled infusion");
        w.WriteLine($"Patient:  {Format.Patient(v.Patient)}");
        w.WriteLine($"Target:   {s.Target} {(s.Site == TciSite.EffectSite ? "at the effect site" : "in plasma")}");
        if (v.EffectSite is { } ke0)
        {
            w.WriteLine($"Effect:   {TciView.DescribeKe0(ke0)}{(v.DefaultKe0 ? $"; {v.Model.Id}'s default (no --ke0 given)" : string.Empty)}{(ke0.Borrowed ? "; borrowed" : string.Empty)}");
        }

        w.WriteLine($"Bag:      {Format.N(s.Concentration.MilligramsPerMilliliter)} mg/mL");
        w.WriteLine($"Pump max: {Format.N(s.MaxRate.MillilitersPerHour)} mL/h = {Format.N(v.MaxPumpDoseRate.MilligramsPerHour)} mg/h{v.CapsText}");
        w.WriteLine($"Plan:     {Format.Clock(v.Plan.Start.Minutes)} to {Format.Clock(v.Plan.End.Minutes)}, rate recomputed every {s.UpdatePeriod}");
        w.WriteLine();

        if (v.Plan.Manual is { } manual)
        {
            context.Heading($"Manual pump: {Count(manual.Steps.Count, "rate")} to program (bag {Format.N(s.Concentration.MilligramsPerMilliliter)} mg/mL)");
            var t = new TextTable("start–end", ">mL/h", ">mg/h", ">mg/kg/h", ">volume (mL)", ">plasma at end (ng/mL)", ">effect at end (ng/mL)", ">peak plasma (ng/mL)");
            foreach (var step in manual.Steps)
            {
                t.Add(
                    $"{Format.Clock(step.Start.Minutes)} – {Format.Clock(step.End.Minutes)}",
                    Format.N(step.PumpRate.MillilitersPerHour),
                    Format.N(step.Rate.MilligramsPerHour),
                    Format.N(v.PerKg(step.Rate)),
                    step.Volume is { } vol ? Format.N(vol.Milliliters) : "0",
                    Format.N(step.PlasmaAtEnd.NanogramsPerMilliliter),
                    step.EffectAtEnd is { } ce ? Format.N(ce.NanogramsPerMilliliter) : "—",
                    Format.N(step.PeakPlasma.NanogramsPerMilliliter));
            }

            context.Write(t);
            w.WriteLine($"Manual total: {Format.N(manual.TotalAmount.Milligrams)} mg = {Format.N(manual.TotalAmount.Milligrams / s.Concentration.MilligramsPerMilliliter)} mL; peak plasma {Format.N(manual.PeakPlasma.NanogramsPerMilliliter)} ng/mL{(manual.PeakEffect is { } pe ? $", peak effect site {Format.N(pe.NanogramsPerMilliliter)} ng/mL" : string.Empty)}.");
        }
        else
        {
            context.Heading("Manual pump: none (--steps 0)");
        }

        w.WriteLine();
        context.Heading($"TCI schedule: {Count(v.Plan.Steps.Count, "rate")}, one every {s.UpdatePeriod}");
        w.WriteLine($"Time to target:  {(v.Plan.TimeToTarget is { } ttt ? Format.Clock(ttt.Minutes) : "not reached")} ({(s.Site == TciSite.EffectSite ? "effect site" : "plasma")} within {Format.N(TciPlan.ReachedTolerance * 100)} %)");
        if (s.Site == TciSite.EffectSite)
        {
            w.WriteLine($"Hand-off:        {(v.Plan.HandoffTime is { } h ? Format.Clock(h.Minutes) + " (effect-site control hands over to plasma targeting)" : "none (stays on effect-site control)")}");
        }

        w.WriteLine($"Total:           {Format.N(v.Plan.TotalAmount.Milligrams)} mg = {(v.Plan.TotalVolume is { } tv ? Format.N(tv.Milliliters) : "0")} mL");
        w.WriteLine($"Peak plasma:     {Format.N(v.PeakPlasma.NanogramsPerMilliliter)} ng/mL at {Format.Clock(v.PeakPlasmaTime.Minutes)}{(v.PeakEffect is { } pke ? $"; peak effect site {Format.N(pke.NanogramsPerMilliliter)} ng/mL" : string.Empty)}");
        w.WriteLine();

        var rows = v.Condensed();
        context.Heading($"TCI schedule condensed: one row per rate change, {Count(rows.Count, "row")} (mean rates; --csv for all {v.Plan.Steps.Count})");
        var table = new TextTable("start–end", ">mL/h", ">mg/h", ">mg", ">plasma at end (ng/mL)", ">effect at end (ng/mL)", "control");
        foreach (var r in rows)
        {
            table.Add(
                $"{Format.Clock(r.Start)} – {Format.Clock(r.End)}",
                Format.N(r.MeanMlPerHour),
                Format.N(r.MeanMgPerHour),
                Format.N(r.Milligrams),
                Format.N(r.PlasmaAtEnd),
                r.EffectAtEnd is { } e ? Format.N(e) : "—",
                r.Control);
        }

        context.Write(table);

        if (v.Warnings.Count > 0)
        {
            w.WriteLine();
            context.Heading("Warnings");
            foreach (var warning in v.Warnings)
            {
                w.WriteLine("- " + warning);
            }
        }
    }

    /// <summary>
    /// The report of a re-planned session: the segments, the manual-pump steps of each (the rates to program from
    /// its start), the combined summary, the condensed fine schedule with segment numbers, and the warnings.
    /// </summary>
    private static void WriteReplannedReport(CliContext context, TciSession session)
    {
        var w = context.Out;
        var v = session.First;
        var s = v.Plan.Settings;
        var siteName = s.Site == TciSite.EffectSite ? "effect site" : "plasma";
        context.Heading($"{v.Model.Id}: {v.Model.Title} — target-controlled infusion, re-planned");
        w.WriteLine($"Patient:  {Format.Patient(v.Patient)}");
        w.WriteLine($"Target:   {s.Target} {(s.Site == TciSite.EffectSite ? "at the effect site" : "in plasma")} at the start");
        if (v.EffectSite is { } ke0)
        {
            w.WriteLine($"Effect:   {TciView.DescribeKe0(ke0)}{(v.DefaultKe0 ? $"; {v.Model.Id}'s default (no --ke0 given)" : string.Empty)}{(ke0.Borrowed ? "; borrowed" : string.Empty)}");
        }

        w.WriteLine($"Bag:      {Format.N(s.Concentration.MilligramsPerMilliliter)} mg/mL");
        w.WriteLine($"Pump max: {Format.N(s.MaxRate.MillilitersPerHour)} mL/h = {Format.N(v.MaxPumpDoseRate.MilligramsPerHour)} mg/h{v.CapsText}");
        w.WriteLine($"Plan:     {Format.Clock(0)} to {Format.Clock(session.End.Minutes)}, rate recomputed every {s.UpdatePeriod}");
        w.WriteLine();

        context.Heading($"Segments: {Count(session.Segments.Count, "segment")}, each planned from the predicted state at its start");
        var segments = new TextTable(">segment", "start–end", ">target (ng/mL)", ">weight (kg)", ">plasma at start (ng/mL)", ">effect at start (ng/mL)", ">time to target", "change");
        foreach (var seg in session.Segments)
        {
            segments.Add(
                seg.Number.ToString(CultureInfo.InvariantCulture),
                $"{Format.Clock(seg.Start.Minutes)} – {Format.Clock(seg.End.Minutes)}",
                Format.N(seg.Target.NanogramsPerMilliliter),
                Format.N(seg.Weight.Kilograms),
                Format.N(seg.PlasmaAtStart.NanogramsPerMilliliter),
                seg.EffectAtStart is { } ce ? Format.N(ce.NanogramsPerMilliliter) : "—",
                seg.View.Plan.TimeToTarget is { } ttt && ttt.Minutes <= seg.End.Minutes + 1e-9 ? Format.Clock(ttt.Minutes) : "not reached",
                seg.Reason);
        }

        context.Write(segments);
        w.WriteLine();

        foreach (var seg in session.Segments)
        {
            if (seg.View.Plan.Manual is not { } manual)
            {
                continue;
            }

            var shown = manual.Steps.Where(m => m.Start.Minutes < seg.End.Minutes - 1e-9).ToList();
            context.Heading($"Manual pump, segment {seg.Number} ({Format.Clock(seg.Start.Minutes)} – {Format.Clock(seg.End.Minutes)}, target {seg.Target} {siteName}, {seg.Weight}): {Count(shown.Count, "rate")} to program");
            var t = new TextTable("start–end", ">mL/h", ">mg/h", ">mg/kg/h", ">volume (mL)", ">plasma at end (ng/mL)", ">effect at end (ng/mL)", ">peak plasma (ng/mL)");
            foreach (var step in shown)
            {
                t.Add(
                    $"{Format.Clock(step.Start.Minutes)} – {Format.Clock(step.End.Minutes)}",
                    Format.N(step.PumpRate.MillilitersPerHour),
                    Format.N(step.Rate.MilligramsPerHour),
                    Format.N(seg.View.PerKg(step.Rate)),
                    step.Volume is { } vol ? Format.N(vol.Milliliters) : "0",
                    Format.N(step.PlasmaAtEnd.NanogramsPerMilliliter),
                    step.EffectAtEnd is { } ce ? Format.N(ce.NanogramsPerMilliliter) : "—",
                    Format.N(step.PeakPlasma.NanogramsPerMilliliter));
            }

            context.Write(t);
            if (seg.View.Plan.End.Minutes > seg.End.Minutes + 1e-9)
            {
                w.WriteLine($"(planned to {Format.Clock(seg.View.Plan.End.Minutes)}; replaced at {Format.Clock(seg.End.Minutes)} by segment {seg.Number + 1})");
            }

            w.WriteLine();
        }

        context.Heading($"TCI schedule: {Count(session.Steps.Count, "rate")}, one every {s.UpdatePeriod}, re-planned at {string.Join(", ", session.Segments.Skip(1).Select(g => Format.Clock(g.Start.Minutes)))}");
        w.WriteLine($"Total:           {Format.N(session.TotalAmount.Milligrams)} mg = {Format.N(session.TotalAmount.Milligrams / s.Concentration.MilligramsPerMilliliter)} mL");
        w.WriteLine($"Peak plasma:     {Format.N(session.PeakPlasma.NanogramsPerMilliliter)} ng/mL at {Format.Clock(session.PeakPlasmaTime.Minutes)}{(session.PeakEffect is { } pke ? $"; peak effect site {Format.N(pke.NanogramsPerMilliliter)} ng/mL" : string.Empty)}");
        w.WriteLine();

        var rows = session.Condensed();
        context.Heading($"TCI schedule condensed: one row per rate change and segment, {Count(rows.Count, "row")} (mean rates; --csv for all {session.Steps.Count})");
        var table = new TextTable("start–end", ">segment", ">mL/h", ">mg/h", ">mg", ">plasma at end (ng/mL)", ">effect at end (ng/mL)", "control");
        foreach (var (number, r) in rows)
        {
            table.Add(
                $"{Format.Clock(r.Start)} – {Format.Clock(r.End)}",
                number.ToString(CultureInfo.InvariantCulture),
                Format.N(r.MeanMlPerHour),
                Format.N(r.MeanMgPerHour),
                Format.N(r.Milligrams),
                Format.N(r.PlasmaAtEnd),
                r.EffectAtEnd is { } e ? Format.N(e) : "—",
                r.Control);
        }

        context.Write(table);

        if (session.Warnings.Count > 0)
        {
            w.WriteLine();
            context.Heading("Warnings");
            foreach (var warning in session.Warnings)
            {
                w.WriteLine("- " + warning);
            }
        }
    }
}
