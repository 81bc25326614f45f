using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using System.CommandLine;
using System.Globalization;
using KetaCare.Cli.Output;
using KetaCare.Pharmacology;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Population;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare population</c>: a virtual population given one regimen — percentile bands, mean, fractions above
/// thresholds and probability of target attainment at every output time.
/// </summary>
internal static class PopulationCommand
{
    private static ConcentrationBand Analgesia => ConcentrationBands.AcuteAnalgesia;

    /// <summary>Largest population the command simulates.</summary>
    public const int MaxSubjects = 1_000_000;

    /// <summary>Largest --iiv, % CV.</summary>
    public const double MaxIivPercent = 200;

    /// <summary>Default seed (the benchmark seed of docs/performance.md).</summary>
    public const ulong DefaultSeed = 20240601;

    /// <summary>Default weight distribution: Normal(75, 15²) kg truncated to 40–150 kg, the population of the peer-comparison benchmark (docs/performance.md, Workloads).</summary>
    public const double DefaultWeightMean = 75, DefaultWeightSd = 15, DefaultWeightMin = 40, DefaultWeightMax = 150;

    /// <summary>Default peak threshold: 300 ng/mL, the peak criterion of docs/performance.md and above the analgesic range.</summary>
    public const string DefaultThreshold = "300 ng/mL";

    private const string WeightSource = "KetaCare default: the benchmark population of docs/performance.md (Workloads), not a clinic's";

    internal static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model id (see 'ketacare models'), e.g. domino1984.", Required = true };
        var n = new Option<string>("--n") { Description = Invariant($"Number of virtual patients, a whole number 1–{MaxSubjects:N0}."), DefaultValueFactory = _ => "1000" };
        var dose = new Option<string>("--dose", "-d") { Description = "Dose as written: \"0.5 mg/kg over 60 min\", \"35 mg\", \"0.5 mg/kg/h for 4 h\" (per kg: each patient's own weight). Point as decimal separator." };
        var route = new Option<string>("--route") { Description = "Route of --dose: iv, im, sc, intranasal, sublingual, oral, rectal.", DefaultValueFactory = _ => "iv" };
        var at = new Option<string>("--at") { Description = "Start time of --dose, e.g. \"0 min\", \"2 h\".", DefaultValueFactory = _ => "0 min" };
        var regimen = new Option<FileInfo>("--regimen") { Description = "Regimen JSON file: {\"administrations\":[{\"at\":\"0 min\",\"dose\":\"0.5 mg/kg over 60 min\",\"route\":\"iv\"}]}. Combined with --dose when both are given." };
        var until = new Option<string>("--until") { Description = "End of the simulation, e.g. \"24h\".", DefaultValueFactory = _ => "24 h" };
        var step = new Option<string>("--step") { Description = "Output grid step (and --csv rows), e.g. \"1 min\".", DefaultValueFactory = _ => "1 min" };
        var every = new Option<string>("--every") { Description = "Interval of the rows in the table, a multiple of --step.", DefaultValueFactory = _ => "60 min" };
        var percentiles = new Option<string>("--percentiles") { Description = "Percentiles to report, a comma-separated list of numbers 0–100 (\"5,50,95\" is three percentiles).", DefaultValueFactory = _ => "5,50,95" };
        var weightMean = new Option<string>("--weight-mean") { Description = Invariant($"Mean body weight, kg. Default {DefaultWeightMean} ({WeightSource}).") };
        var weightSd = new Option<string>("--weight-sd") { Description = Invariant($"SD of body weight, kg (> 0). Default {DefaultWeightSd}.") };
        var weightMin = new Option<string>("--weight-min") { Description = Invariant($"Lowest body weight drawn, kg ({BodyWeight.MinKilograms}–{BodyWeight.MaxKilograms}). Default {DefaultWeightMin}.") };
        var weightMax = new Option<string>("--weight-max") { Description = Invariant($"Highest body weight drawn, kg ({BodyWeight.MinKilograms}–{BodyWeight.MaxKilograms}). Default {DefaultWeightMax}.") };
        var ageMean = new Option<string>("--age-mean") { Description = "Mean age, years (0–120). Without any --age-* option age is left unknown (the model warns)." };
        var ageSd = new Option<string>("--age-sd") { Description = "SD of age, years (> 0). Without it every patient has --age-mean." };
        var ageMin = new Option<string>("--age-min") { Description = "Lowest age drawn, years (0–120). Default 0." };
        var ageMax = new Option<string>("--age-max") { Description = "Highest age drawn, years (0–120). Default 120." };
        var female = new Option<string>("--female") { Description = "Fraction of women, 0–1, e.g. 0.5. Without it sex is left unknown." };
        var iiv = new Option<string>("--iiv") { Description = Invariant($"Assumed inter-individual variability for a model published without Ω: a CV 0–{MaxIivPercent} % (\"30%\") put as independent log-normal variability (ω² = ln(1 + CV²)) on every parameter the model draws an eta for. Labelled a user assumption in the output.") };
        var seed = new Option<string>("--seed") { Description = Invariant($"Random seed, a whole number 0–{ulong.MaxValue}; the same seed gives the same patients."), DefaultValueFactory = _ => DefaultSeed.ToString(CultureInfo.InvariantCulture) };
        var threshold = new Option<string[]>("--threshold") { Description = $"Concentration whose exceedance is reported at every time and as a peak (repeatable). Default {DefaultThreshold} (the peak criterion of docs/performance.md; above the analgesic range 70–160 ng/mL)." };
        var targetRange = new Option<string>("--target-range") { Description = $"Range for the target attainment 'stays within … for the last half of the first infusion', e.g. \"70-200 ng/mL\". Default {SafeNumber.Format(Analgesia.LowNgPerMl)}–{SafeNumber.Format(Analgesia.HighNgPerMl)} ng/mL (acute analgesia, {Analgesia.Citation}; clinical-reference: Concentration and effect (concentration-effect))." };
        var output = new Option<string>("--output") { Description = "What to summarise: plasma, effect (effect site; needs a ke0, by default the model's first) or norketamine (models with the metabolite).", DefaultValueFactory = _ => "plasma" };
        var ke0 = new Option<string>("--ke0") { Description = "Effect-site constant for --output effect: olofsen2012, herd2008, or a rate such as \"0.1/min\" (labelled user-supplied)." };
        var csv = new Option<bool>("--csv") { Description = "Write every output time as CSV (invariant culture) to stdout: time_min, percentiles, mean, fractions above the thresholds." };
        var json = new Option<bool>("--json") { Description = "Write a JSON document (population, regimen, series, target attainment, timings, warnings) to stdout." };
        var plot = new Option<FileInfo>("--plot") { Description = "Write a chart of the percentile bands (.png or .svg) with the analgesic band and thresholds marked." };

        var command = new Command("population", "Simulate a virtual population given one regimen: percentile bands, mean, fractions above thresholds and probability of target attainment.")
        {
            model, n, dose, route, at, regimen, until, step, every, percentiles, weightMean, weightSd, weightMin, weightMax,
            ageMean, ageSd, ageMin, ageMax, female, iiv, seed, threshold, targetRange, output, ke0, csv, json, plot,
        };
        command.SetAction(parse => Run(context, new Args(
            parse.GetValue(model)!, parse.GetValue(n)!, parse.GetValue(dose), parse.GetValue(route)!, parse.GetValue(at)!, parse.GetValue(regimen),
            parse.GetValue(until)!, parse.GetValue(step)!, parse.GetValue(every)!, parse.GetValue(percentiles)!,
            parse.GetValue(weightMean), parse.GetValue(weightSd), parse.GetValue(weightMin), parse.GetValue(weightMax),
            parse.GetValue(ageMean), parse.GetValue(ageSd), parse.GetValue(ageMin), parse.GetValue(ageMax),
            parse.GetValue(female), parse.GetValue(iiv), parse.GetValue(seed)!, parse.GetValue(threshold) ?? [], parse.GetValue(targetRange),
            parse.GetValue(output)!, parse.GetValue(ke0), parse.GetValue(csv), parse.GetValue(json), parse.GetValue(plot))));
        return command;
    }

    private sealed record Args(
        string Model, string N, string? Dose, string Route, string At, FileInfo? Regimen,
        string Until, string Step, string Every, string Percentiles,
        string? WeightMean, string? WeightSd, string? WeightMin, string? WeightMax,
        string? AgeMean, string? AgeSd, string? AgeMin, string? AgeMax,
        string? Female, string? Iiv, string Seed, string[] Thresholds, string? TargetRange,
        string Output, string? Ke0, bool Csv, bool Json, FileInfo? Plot);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static int Run(CliContext context, Args a)
    {
        var model = ModelLibrary.Get(a.Model, "--model");
        if (!model.IsSuccess)
        {
            return context.UsageError(model.Error);
        }

        var m = model.Value;
        var count = WholeNumber(a.N, "--n", 1, MaxSubjects);
        var regimen = Inputs.Regimen(a.Dose, a.Route, a.At, a.Regimen);
        var until = Inputs.PositiveDuration(a.Until, "--until");
        var step = Inputs.PositiveDuration(a.Step, "--step");
        var every = Inputs.PositiveDuration(a.Every, "--every");
        var pct = ParsePercentiles(a.Percentiles);
        var wMean = Number(a.WeightMean, "--weight-mean", BodyWeight.MinKilograms, BodyWeight.MaxKilograms, "kg", DefaultWeightMean);
        var wSd = Positive(a.WeightSd, "--weight-sd", BodyWeight.MaxKilograms, "kg").Select(x => x ?? DefaultWeightSd);
        var wMin = Number(a.WeightMin, "--weight-min", BodyWeight.MinKilograms, BodyWeight.MaxKilograms, "kg", DefaultWeightMin);
        var wMax = Number(a.WeightMax, "--weight-max", BodyWeight.MinKilograms, BodyWeight.MaxKilograms, "kg", DefaultWeightMax);
        var aMean = Inputs.OptionalNumber(a.AgeMean, "--age-mean", 0, 120, "years");
        var aSd = Positive(a.AgeSd, "--age-sd", 120, "years");
        var aMin = Number(a.AgeMin, "--age-min", 0, 120, "years", 0);
        var aMax = Number(a.AgeMax, "--age-max", 0, 120, "years", 120);
        var female = Inputs.OptionalNumber(a.Female, "--female", 0, 1, "(fraction)");
        var iiv = ParseIiv(a.Iiv);
        var seed = ParseSeed(a.Seed);
        var thresholds = ParseThresholds(a.Thresholds);
        var range = ParseTargetRange(a.TargetRange);
        var ke0 = Inputs.Ke0(a.Ke0, m, "--ke0");
        var firstError = new[]
        {
            count.Error, regimen.Error, until.Error, step.Error, every.Error, pct.Error, wMean.Error, wSd.Error, wMin.Error, wMax.Error,
            aMean.Error, aSd.Error, aMin.Error, aMax.Error, female.Error, iiv.Error, seed.Error, thresholds.Error, range.Error, ke0.Error,
        }.FirstOrDefault(e => e is not null);
        if (firstError is not null)
        {
            return context.UsageError(firstError);
        }

        if (Inputs.OutputChoice(a.Csv, a.Json, a.Plot) is { } outputError)
        {
            return context.UsageError(outputError);
        }

        if (step.Value > until.Value)
        {
            return context.UsageError($"--step: {step.Value} is longer than --until {until.Value}.");
        }

        var ratio = every.Value.Minutes / step.Value.Minutes;
        if (ratio < 1 - 1e-9 || Math.Abs(ratio - Math.Round(ratio)) > 1e-6)
        {
            return context.UsageError($"--every: {every.Value} must be a multiple of --step {step.Value}.");
        }

        if (!(wMin.Value < wMax.Value))
        {
            return context.UsageError(Invariant($"--weight-min/--weight-max: {Format.N(wMin.Value)}–{Format.N(wMax.Value)} kg is empty; --weight-min must be below --weight-max."));
        }

        var anyAge = a.AgeMean is not null || a.AgeSd is not null || a.AgeMin is not null || a.AgeMax is not null;
        if (anyAge && aMean.Value is null)
        {
            var given = a.AgeSd is not null ? "--age-sd" : a.AgeMin is not null ? "--age-min" : "--age-max";
            return context.UsageError($"{given}: needs --age-mean (0–120 years) to describe the age distribution.");
        }

        if (anyAge && !(aMin.Value < aMax.Value) && aSd.Value is not null)
        {
            return context.UsageError(Invariant($"--age-min/--age-max: {Format.N(aMin.Value)}–{Format.N(aMax.Value)} years is empty; --age-min must be below --age-max."));
        }

        var outputKey = a.Output.Trim().ToLowerInvariant();
        var effectSite = ke0.Value;
        if (outputKey == "effect")
        {
            effectSite ??= m.EffectSiteOptions.FirstOrDefault();
            if (effectSite is null)
            {
                return context.UsageError($"--output: {m.Id} offers no effect-site constant; give one with --ke0 ({string.Join(", ", EffectSites.All.Select(k => k.Id))} or a rate such as \"0.1/min\") or use --output plasma.");
            }
        }

        // Doses above the clinical hard limits are named (never refused: this is a what-if tool), at the mean weight.
        foreach (var finding in WhatIfLimits.Check(regimen.Value, BodyWeight.FromKilograms(wMean.Value)))
        {
            context.Warn(finding);
        }

        CovariateDistribution weights;
        CovariateDistribution? ages = null;
        try
        {
            weights = CovariateDistribution.TruncatedNormal(wMean.Value, wSd.Value, wMin.Value, wMax.Value);
        }
        catch (ArgumentOutOfRangeException)
        {
            return context.UsageError(Invariant($"--weight-min/--weight-max: {Format.N(wMin.Value)}–{Format.N(wMax.Value)} kg holds almost none of Normal({Format.N(wMean.Value)}, {Format.N(wSd.Value)}²) kg; widen the range or move --weight-mean into it."));
        }

        if (aMean.Value is { } ageMean)
        {
            if (aSd.Value is { } sd)
            {
                try
                {
                    ages = CovariateDistribution.TruncatedNormal(ageMean, sd, aMin.Value, aMax.Value);
                }
                catch (ArgumentOutOfRangeException)
                {
                    return context.UsageError(Invariant($"--age-min/--age-max: {Format.N(aMin.Value)}–{Format.N(aMax.Value)} years holds almost none of Normal({Format.N(ageMean)}, {Format.N(sd)}²) years; widen the range or move --age-mean into it."));
                }
            }
            else
            {
                ages = CovariateDistribution.Fixed(ageMean);
            }
        }

        // A population partly outside the model's hard limits would be refused at its first such patient.
        var refusal = RefusedRange(m, "weight", weights.Min, weights.Max, "kg", m.Limits.WeightKg, "--weight-min/--weight-max")
            ?? (ages is null ? null : RefusedRange(m, "age", ages.Min, ages.Max, "years", m.Limits.AgeYears, "--age-min/--age-max (or --age-mean)"));
        if (refusal is not null)
        {
            return context.Refused(refusal);
        }

        OmegaMatrix? assumed = null;
        IReadOnlyList<string> iivNames = [];
        if (iiv.Value is { } cv)
        {
            if (m.Omega is { } published)
            {
                return context.UsageError($"--iiv: {m.Id} has a published Ω ({published.Source}), which is used; --iiv is for models published without one.");
            }

            iivNames = m.EtaNames;
            assumed = OmegaMatrix.FromCv(Invariant($"user assumption (--iiv {Format.N(cv)} %)"), [.. iivNames.Select(name => (name, cv))]);
        }

        var spec = new PopulationSpec
        {
            WeightKg = weights,
            AgeYears = ages,
            Sex = female.Value is { } f ? SexDistribution.Bernoulli(f) : null,
            Omega = assumed,
        };
        var population = PopulationSampler.Sample(m, spec, count.Value, seed.Value);
        if (!population.IsSuccess)
        {
            return context.UsageError((assumed is null ? "--model: " : "--iiv: ") + population.Error);
        }

        var setup = new PopulationSetup(
            m, count.Value, seed.Value, new CovariateText(wMean.Value, wSd.Value, wMin.Value, wMax.Value, IsDefault: a.WeightMean is null && a.WeightSd is null && a.WeightMin is null && a.WeightMax is null),
            ages is null ? null : new CovariateText(aMean.Value!.Value, aSd.Value ?? 0, aMin.Value, aMax.Value, IsDefault: false),
            female.Value, iiv.Value, iivNames, regimen.Value, until.Value, step.Value, every.Value, outputKey, effectSite, ke0.Value is null && outputKey == "effect");
        var thresholdList = thresholds.Value.Count > 0 || outputKey is not ("plasma" or "effect")
            ? thresholds.Value
            : [QuantityParser.ParseConcentration(DefaultThreshold).Value];
        var targets = Targets(setup, range.Value, thresholdList, outputKey);
        var request = new PopulationRequest(m, population.Value, regimen.Value)
        {
            Until = until.Value,
            Step = step.Value,
            Percentiles = pct.Value,
            Thresholds = thresholdList,
            Targets = targets.Criteria,
            Output = outputKey,
            EffectSite = effectSite,
            // One run and the process ends: the stepping arrays may take the population's memory (docs/performance.md).
            ReleasePopulationAfterBuild = true,
        };

        var run = context.WithProgress(Invariant($"Simulating {count.Value:N0} patients"), progress => PopulationSimulator.Run(request, progress));
        if (!run.IsSuccess)
        {
            return run.Error.StartsWith("subject ", StringComparison.Ordinal)
                ? context.Refused(run.Error)
                : context.UsageError(NameOption(run.Error, a));
        }

        var view = new PopulationView(setup, run.Value, Warnings(setup, run.Value, targets.Notes));
        var machine = a.Csv || a.Json;
        if (a.Csv)
        {
            PopulationData.WriteCsv(context.Out, view);
        }
        else if (a.Json)
        {
            PopulationData.WriteJson(context.Out, view);
        }
        else
        {
            WriteReport(context, view);
        }

        return ChartFile.Finish(context, machine, view.Warnings, a.Plot, path => Output.PopulationChart.Save(view, path));
    }

    /// <summary>The default (or --target-range) 'stays within' criterion over the last half of the first timed infusion, and 'peak above' each threshold.</summary>
    private static (IReadOnlyList<TargetCriterion> Criteria, IReadOnlyList<string> Notes) Targets(PopulationSetup s, (Concentration Low, Concentration High)? given, IReadOnlyList<Concentration> thresholds, string output)
    {
        var criteria = new List<TargetCriterion>();
        var notes = new List<string>();
        var ketamine = output is "plasma" or "effect";
        if (given is null && !ketamine)
        {
            notes.Add($"--output {output}: the analgesic range is a ketamine range, so no target attainment is computed unless --target-range is given.");
        }
        else
        {
            var (low, high) = given ?? (Concentration.FromNanogramsPerMilliliter(Analgesia.LowNgPerMl), Concentration.FromNanogramsPerMilliliter(Analgesia.HighNgPerMl));
            var source = given is null ? " (acute analgesia, Zanos 2018)" : " (--target-range)";
            var infusion = s.Regimen.Administrations.OrderBy(x => x.Start.Minutes).FirstOrDefault(x => x.Dose.Shape != DoseShape.Bolus);
            if (infusion is null)
            {
                notes.Add("The regimen has no infusion, so 'stays within the range for the last half of the first infusion' is not computed.");
            }
            else
            {
                var start = infusion.Start.Minutes;
                var end = infusion.Dose.Duration is { } d ? start + d.Minutes : s.Until.Minutes;
                var from = start + ((end - start) / 2);
                var to = Math.Min(end, s.Until.Minutes);
                if (from > s.Until.Minutes)
                {
                    notes.Add("The last half of the first infusion lies after --until, so 'stays within the range' is not computed.");
                }
                else
                {
                    criteria.Add(new StaysWithin(
                        $"stays within {Format.N(low.NanogramsPerMilliliter)}–{Format.N(high.NanogramsPerMilliliter)} ng/mL{source} from {Format.Time(from)} to {Format.Time(to)} (last half of the first infusion)",
                        low, high, Duration.FromMinutes(from), Duration.FromMinutes(to)));
                }
            }
        }

        foreach (var t in thresholds)
        {
            criteria.Add(new PeakAbove($"peak above {t}", t));
        }

        return (criteria, notes);
    }

    private static List<string> Warnings(PopulationSetup s, PopulationSummary summary, IReadOnlyList<string> notes)
    {
        var m = s.Model;
        var warnings = new List<string>();
        var noOmega = m.Omega is null && s.IivCvPercent is null;
        foreach (var w in summary.Warnings)
        {
            // Replaced by the fuller warning below, which says what to do about it.
            if (noOmega && w.Code == EngineWarningCodes.PopulationNoVariability)
            {
                continue;
            }

            warnings.Add(w.Message);
        }

        if (noOmega)
        {
            warnings.Insert(0, $"{m.Id} was published without inter-individual variability (no Ω): only covariate variability is simulated, so the bands are narrower than real patients'. Give --iiv CV% (e.g. --iiv 30%) to assume log-normal variability on {string.Join(", ", m.EtaNames)}.");
        }
        else if (s.IivCvPercent is { } cv)
        {
            warnings.Insert(0, Invariant($"Inter-individual variability is a user assumption (--iiv {Format.N(cv)} %), not published with {m.Id}: independent log-normal, ω² = ln(1 + CV²) = {Format.N(Math.Log(1 + Math.Pow(cv / 100, 2)))} on {string.Join(", ", s.IivNames)}."));
        }

        if (s.DefaultKe0 && s.EffectSite is { } ke0)
        {
            warnings.Add($"--output effect: no --ke0 given; {m.Id}'s default {ke0.Id} is used ({ke0.Source}).");
        }

        warnings.AddRange(notes);
        return warnings;
    }

    private static string? RefusedRange(PkModel m, string what, double min, double max, string unit, (double Min, double Max) hard, string options)
    {
        if (min >= hard.Min && max <= hard.Max)
        {
            return null;
        }

        return Invariant($"{m.Id} refuses patients with {what} outside {hard.Min}–{hard.Max} {unit} ({m.Limits.Rationale}); {options} draw {what}s {Format.N(min)}–{Format.N(max)} {unit}. Keep the range within {hard.Min}–{hard.Max} {unit}.");
    }

    /// <summary>Engine messages name the engine's field ("step: …", "output: …"); the user typed an option.</summary>
    private static string NameOption(string error, Args a)
    {
        foreach (var field in new[] { "step", "until", "output", "percentiles", "n" })
        {
            if (error.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return "--" + error;
            }
        }

        var source = (a.Dose, a.Regimen) switch
        {
            (not null, null) => "--dose",
            (null, not null) => "--regimen",
            _ => "--dose/--regimen",
        };
        return $"{source}: {error}";
    }

    /// <summary>An optional number greater than 0 and at most <paramref name="max"/>.</summary>
    private static ParseResult<double?> Positive(string? text, string option, double max, string unit)
    {
        var n = Inputs.OptionalNumber(text, option, 0, max, unit);
        return n.IsSuccess && n.Value is 0
            ? ParseResult<double?>.Fail(Invariant($"{option}: must be greater than 0 and at most {Format.N(max)} {unit}."))
            : n;
    }

    private static ParseResult<double> Number(string? text, string option, double min, double max, string unit, double fallback)
    {
        var n = Inputs.OptionalNumber(text, option, min, max, unit);
        return n.IsSuccess ? ParseResult<double>.Ok(n.Value ?? fallback) : ParseResult<double>.Fail(n);
    }

    private static ParseResult<int> WholeNumber(string text, string option, int min, int max)
    {
        var allowed = Invariant($"Allowed: a whole number {min:N0}–{max:N0}.");
        var n = QuantityParser.ParseNumber(text.Replace("_", string.Empty, StringComparison.Ordinal), option);
        if (!n.IsSuccess)
        {
            return ParseResult<int>.Fail($"{n.Error} {allowed}");
        }

        return n.Value != Math.Floor(n.Value) || n.Value < min || n.Value > max
            ? ParseResult<int>.Fail($"{option}: \"{text.Trim()}\" is outside the allowed range. {allowed}")
            : ParseResult<int>.Ok((int)n.Value);
    }

    private static ParseResult<IReadOnlyList<double>> ParsePercentiles(string text)
    {
        const string Allowed = "Allowed: a comma-separated list of numbers 0–100, e.g. \"5,50,95\".";
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new List<double>();
        foreach (var part in parts)
        {
            var n = QuantityParser.ParseNumber(part, "--percentiles");
            if (!n.IsSuccess || n.Value < 0 || n.Value > 100)
            {
                return ParseResult<IReadOnlyList<double>>.Fail($"--percentiles: \"{part}\" in \"{text}\" is not a number 0–100. {Allowed}");
            }

            values.Add(n.Value);
        }

        var distinct = values.Distinct().Order().ToList();
        return distinct.Count > 20
            ? ParseResult<IReadOnlyList<double>>.Fail($"--percentiles: at most 20 percentiles. {Allowed}")
            : ParseResult<IReadOnlyList<double>>.Ok(distinct);
    }

    private static ParseResult<double?> ParseIiv(string? text)
    {
        if (text is null)
        {
            return ParseResult<double?>.Ok(null);
        }

        var t = text.Trim();
        if (t.EndsWith('%'))
        {
            t = t[..^1].TrimEnd();
        }

        var n = QuantityParser.ParseNumber(t, "--iiv");
        return !n.IsSuccess || n.Value < 0 || n.Value > MaxIivPercent
            ? ParseResult<double?>.Fail(Invariant($"--iiv: \"{text.Trim()}\" is not a CV in the allowed range 0–{MaxIivPercent} %, e.g. \"30%\"."))
            : ParseResult<double?>.Ok(n.Value);
    }

    private static ParseResult<ulong> ParseSeed(string text) =>
        ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? ParseResult<ulong>.Ok(seed)
            : ParseResult<ulong>.Fail(Invariant($"--seed: \"{text.Trim()}\" is not a whole number 0–{ulong.MaxValue}."));

    private static ParseResult<IReadOnlyList<Concentration>> ParseThresholds(string[] texts)
    {
        var list = new List<Concentration>();
        foreach (var text in texts)
        {
            var c = QuantityParser.ParseConcentration(text, "--threshold");
            if (!c.IsSuccess || c.Value.NanogramsPerMilliliter <= 0 || c.Value.NanogramsPerMilliliter > PlausibilityLimits.MaxPlasmaNgPerMl)
            {
                var why = c.IsSuccess ? string.Empty : c.Error + " ";
                return ParseResult<IReadOnlyList<Concentration>>.Fail(Invariant($"{(why.Length > 0 ? why : $"--threshold: \"{text.Trim()}\" is outside the allowed range. ")}Allowed: greater than 0 and at most {PlausibilityLimits.MaxPlasmaNgPerMl} ng/mL, e.g. \"300 ng/mL\"."));
            }

            list.Add(c.Value);
        }

        return ParseResult<IReadOnlyList<Concentration>>.Ok(list.Distinct().Order().ToList());
    }

    private static ParseResult<(Concentration Low, Concentration High)?> ParseTargetRange(string? text)
    {
        if (text is null)
        {
            return ParseResult<(Concentration, Concentration)?>.Ok(null);
        }

        var allowed = Invariant($"Allowed: \"LOW-HIGH UNIT\" with 0 < LOW < HIGH ≤ {PlausibilityLimits.MaxPlasmaNgPerMl} ng/mL, e.g. \"70-200 ng/mL\".");
        var t = text.Trim().Replace('–', '-');
        var dash = t.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0)
        {
            return ParseResult<(Concentration, Concentration)?>.Fail($"--target-range: \"{text.Trim()}\" is not a range. {allowed}");
        }

        var highText = t[(dash + 1)..].Trim();
        var lowText = t[..dash].Trim();
        var unitStart = highText.IndexOfAny([' ', 'n', 'm', 'u', 'µ', 'p', 'g']);
        if (unitStart > 0 && !lowText.Any(char.IsLetter))
        {
            lowText += " " + highText[unitStart..].Trim();
        }

        var low = QuantityParser.ParseConcentration(lowText, "--target-range");
        var high = QuantityParser.ParseConcentration(highText, "--target-range");
        if (!low.IsSuccess || !high.IsSuccess)
        {
            return ParseResult<(Concentration, Concentration)?>.Fail($"{low.Error ?? high.Error} {allowed}");
        }

        return low.Value.NanogramsPerMilliliter > 0 && low.Value < high.Value && high.Value.NanogramsPerMilliliter <= PlausibilityLimits.MaxPlasmaNgPerMl
            ? ParseResult<(Concentration, Concentration)?>.Ok((low.Value, high.Value))
            : ParseResult<(Concentration, Concentration)?>.Fail($"--target-range: \"{text.Trim()}\" is outside the allowed range. {allowed}");
    }

    private static void WriteReport(CliContext context, PopulationView v)
    {
        var w = context.Out;
        var s = v.Setup;
        var sum = v.Summary;
        context.Heading($"{s.Model.Id}: {s.Model.Title} — virtual population");
        foreach (var line in v.HeaderLines())
        {
            w.WriteLine(line);
        }

        w.WriteLine();
        context.Heading(Invariant($"{v.OutputLabel}, ng/mL, across {s.Count:N0} patients (table every {Format.Time(s.Every.Minutes)}; --csv for every {s.Step})"));
        var headers = new List<string> { ">time" };
        headers.AddRange(sum.Percentiles.Select(p => ">" + PopulationView.PercentileLabel(p)));
        headers.Add(">mean");
        headers.AddRange(sum.Thresholds.Select(t => ">above " + t));
        var table = new TextTable([.. headers]);
        foreach (var k in v.TableRows())
        {
            var cells = new List<string> { Format.Time(sum.Times[k]) };
            for (var j = 0; j < sum.Percentiles.Count; j++)
            {
                cells.Add(Format.N(sum.PercentileNgPerMl(j, k)));
            }

            cells.Add(Format.N(sum.MeanMgPerLiter[k] * 1000));
            for (var i = 0; i < sum.Thresholds.Count; i++)
            {
                cells.Add(Format.Percent(sum.FractionAbove(i)[k]));
            }

            table.Add([.. cells]);
        }

        context.Write(table);
        var maxima = v.BandMaxima();
        if (maxima.Count > 0)
        {
            w.WriteLine("Highest: " + string.Join(", ", maxima.Select(x => $"{PopulationView.PercentileLabel(x.Percentile)} {Format.N(x.NgPerMl)} ng/mL at {Format.Time(x.TimeMinutes)}")) + " (maxima of the percentile curves)");
        }

        w.WriteLine();
        context.Heading("Probability of target attainment");
        if (sum.Targets.Count == 0)
        {
            w.WriteLine("none computed");
        }
        else
        {
            var t = new TextTable("criterion", ">patients", ">fraction");
            foreach (var r in sum.Targets)
            {
                t.Add(r.Criterion.Name, Invariant($"{r.Count:N0}"), Format.Percent(r.Fraction));
            }

            context.Write(t);
        }

        w.WriteLine();
        var tm = sum.Timings;
        w.WriteLine($"Timings:  setup {Format.N(tm.SetupSeconds, 3)} s, stepping {Format.N(tm.SteppingSeconds, 3)} s, summaries {Format.N(tm.SummarySeconds, 3)} s");

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
}
