using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using System.CommandLine;
using System.Globalization;
using KetaCare.Cli.Output;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary><c>ketacare simulate</c>: one patient, one regimen, concentrations on a grid with metrics and warnings.</summary>
internal static class SimulateCommand
{
    /// <summary>Default table interval when neither --every nor a coarser --step is given.</summary>
    private const double DefaultEveryMinutes = 15;

    internal static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "Model id (see 'ketacare models'), e.g. domino1984.", Required = true };
        var weight = new Option<string>("--weight", "-w") { Description = "Body weight, kg: \"70\" or \"70 kg\" (0.3–500).", Required = true };
        var age = new Option<string>("--age") { Description = "Age, years (0–120). Checked against the model's population." };
        var sex = new Option<string>("--sex") { Description = "f or m." };
        var height = new Option<string>("--height") { Description = "Height, cm (30–250), for models with height covariates." };
        var dose = new Option<string>("--dose", "-d") { Description = "Dose as written: \"0.5 mg/kg over 60 min\", \"35 mg\", \"0.5 mg/kg/h for 4 h\". Point as decimal separator." };
        var route = new Option<string>("--route") { Description = "Route of --dose: iv, im, sc, intranasal, sublingual, oral, rectal.", DefaultValueFactory = _ => "iv" };
        var at = new Option<string>("--at") { Description = "Start time of --dose, e.g. \"0 min\", \"2 h\".", DefaultValueFactory = _ => "0 min" };
        var regimen = new Option<FileInfo>("--regimen") { Description = "Regimen JSON file: {\"administrations\":[{\"at\":\"0 min\",\"dose\":\"0.5 mg/kg over 60 min\",\"route\":\"iv\"}]}. Combined with --dose when both are given." };
        var until = new Option<string>("--until") { Description = "End of the simulation, e.g. \"24h\", \"90 min\".", DefaultValueFactory = _ => "24 h" };
        var step = new Option<string>("--step") { Description = "Grid step of the simulation (and of --csv/--json rows), e.g. \"1 min\", \"30 s\".", DefaultValueFactory = _ => "1 min" };
        var every = new Option<string>("--every") { Description = "Interval of the rows in the table (a multiple of --step). Default: 15 min, or --step when that is coarser." };
        var ke0 = new Option<string>("--ke0") { Description = "Add an effect site: olofsen2012, herd2008, or a rate such as \"0.1/min\" (labelled user-supplied)." };
        var relief = new Option<bool>("--relief") { Description = "Also predict the slow pain-relief site of Dahan 2011 (t½ 10.9 days, C50 10.5 ng/mL S-ketamine)." };
        var csv = new Option<bool>("--csv") { Description = "Write every grid row as CSV (invariant culture) to stdout." };
        var json = new Option<bool>("--json") { Description = "Write a JSON document (series, metrics, balance, warnings) to stdout." };
        var plot = new Option<FileInfo>("--plot") { Description = "Write a chart of the concentrations (.png or .svg) with the analgesic band shaded." };
        var threshold = new Option<string>("--threshold") { Description = "Concentration for 'time above', e.g. \"100 ng/mL\". Default: the lower edge of the analgesic band.", DefaultValueFactory = _ => SafeNumber.Format(ConcentrationBands.AcuteAnalgesia.LowNgPerMl) + " ng/mL" };

        var command = new Command("simulate", "Simulate plasma (and effect-site, metabolite) concentrations for one patient and regimen.")
        {
            model, weight, age, sex, height, dose, route, at, regimen, until, step, every, ke0, relief, csv, json, plot, threshold,
        };
        command.SetAction(parse =>
        {
            var a = new Args(
                parse.GetValue(model)!, parse.GetValue(weight)!, parse.GetValue(age), parse.GetValue(sex), parse.GetValue(height),
                parse.GetValue(dose), parse.GetValue(route)!, parse.GetValue(at)!, parse.GetValue(regimen),
                parse.GetValue(until)!, parse.GetValue(step)!, parse.GetResult(step) is { Implicit: false }, parse.GetValue(every), parse.GetValue(ke0),
                parse.GetValue(relief), parse.GetValue(csv), parse.GetValue(json), parse.GetValue(plot), parse.GetValue(threshold)!);
            return Run(context, a);
        });
        return command;
    }

    private sealed record Args(
        string Model, string Weight, string? Age, string? Sex, string? Height,
        string? Dose, string Route, string At, FileInfo? Regimen,
        string Until, string Step, bool StepGiven, string? Every, string? Ke0,
        bool Relief, bool Csv, bool Json, FileInfo? Plot, string Threshold);

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
        var regimen = Inputs.Regimen(a.Dose, a.Route, a.At, a.Regimen);
        var until = Inputs.PositiveDuration(a.Until, "--until");
        var step = Inputs.PositiveDuration(a.Step, "--step");
        var ke0 = Inputs.Ke0(a.Ke0, model.Value, "--ke0");
        var threshold = QuantityParser.ParseConcentration(a.Threshold, "--threshold");
        var firstError = new[] { weight.Error, age.Error, sex.Error, height.Error, regimen.Error, until.Error, step.Error, ke0.Error, threshold.Error }.FirstOrDefault(e => e is not null);
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

        var every = TableInterval(a, step.Value);
        if (!every.IsSuccess)
        {
            return context.UsageError(every.Error);
        }

        var patient = new Covariates(weight.Value, age.Value, sex.Value, height.Value);
        var refusals = model.Value.CheckPatient(patient).Where(f => f.Refused).Select(f => f.Message).ToList();
        if (refusals.Count > 0)
        {
            return context.Refused(string.Join(Environment.NewLine + "refused: ", refusals));
        }

        foreach (var finding in WhatIfLimits.Check(regimen.Value, weight.Value))
        {
            context.Warn(finding);
        }

        var request = new SimulationRequest(model.Value, patient, regimen.Value)
        {
            Until = until.Value,
            Step = step.Value,
            EffectSite = ke0.Value,
            PainRelief = a.Relief,
        };
        var run = Simulator.Run(request);
        if (!run.IsSuccess)
        {
            return context.UsageError(NameOption(run.Error, a));
        }

        var result = run.Value;
        var profile = new Profile(request, result, threshold.Value);
        var machine = a.Csv || a.Json;
        if (a.Csv)
        {
            ProfileData.WriteCsv(context.Out, profile);
        }
        else if (a.Json)
        {
            ProfileData.WriteJson(context.Out, profile);
        }
        else
        {
            WriteReport(context, profile, every.Value);
        }

        return ChartFile.Finish(context, machine, result.Warnings.Select(w => w.Message), a.Plot, path => ProfileChart.Save(profile, path));
    }

    /// <summary>Engine messages name the engine's field ("step: …", "administration 1 (…): …"); the user typed an option.</summary>
    private static string NameOption(string error, Args a)
    {
        foreach (var field in new[] { "step", "until" })
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

    private static ParseResult<Duration> TableInterval(Args a, Duration step)
    {
        if (a.Every is null)
        {
            var s = step.Minutes;
            // A coarse explicit --step is the table interval; otherwise the first multiple of the step ≥ 15 min.
            var minutes = a.StepGiven && s >= DefaultEveryMinutes ? s : Math.Ceiling((DefaultEveryMinutes / s) - 1e-9) * s;
            return ParseResult<Duration>.Ok(Duration.FromMinutes(minutes));
        }

        var every = Inputs.PositiveDuration(a.Every, "--every");
        if (!every.IsSuccess)
        {
            return every;
        }

        var ratio = every.Value.Minutes / step.Minutes;
        return ratio < 1 - 1e-9 || Math.Abs(ratio - Math.Round(ratio)) > 1e-6
            ? ParseResult<Duration>.Fail($"--every: {every.Value} must be a multiple of --step {step}.")
            : every;
    }

    private static void WriteReport(CliContext context, Profile p, Duration every)
    {
        var w = context.Out;
        var r = p.Request;
        context.Heading($"{r.Model.Id}: {r.Model.Title}");
        w.WriteLine($"Patient:  {Format.Patient(r.Patient)}");
        foreach (var adm in r.Regimen.Administrations)
        {
            w.WriteLine($"Dose:     {adm.Dose} {adm.Route.Code()} at {Format.Time(adm.Start.Minutes)}");
        }

        if (r.EffectSite is { } ke0)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Effect:   ke0 {Format.N(ke0.Ke0PerMinute)} /min (t½ke0 {Format.Time(ke0.HalfLifeMinutes)}; {ke0.Source})"));
        }

        w.WriteLine($"Grid:     0 to {Format.Time(r.Until.Minutes)}, step {r.Step}; table every {Format.Time(every.Minutes)}");
        w.WriteLine();

        var headers = new List<string> { ">time" };
        headers.AddRange(p.Series.Select(s => ">" + s.Label + " (ng/mL)"));
        if (p.Relief is not null)
        {
            headers.Add(">relief (% of max)");
        }

        var table = new TextTable([.. headers]);
        var times = p.Result.Times;
        for (var k = 0; k < times.Count; k++)
        {
            var ratio = times[k] / every.Minutes;
            if (k != times.Count - 1 && Math.Abs(ratio - Math.Round(ratio)) > 1e-6)
            {
                continue;
            }

            var cells = new List<string> { Format.Time(times[k]) };
            cells.AddRange(p.Series.Select(s => Format.N(s.NgPerMl[k])));
            if (p.Relief is { } relief)
            {
                cells.Add(Format.Percent(relief[k]));
            }

            table.Add([.. cells]);
        }

        context.Write(table);
        w.WriteLine();

        context.Heading("Metrics");
        var thresholdText = p.Threshold.ToString();
        var m = new TextTable("output", ">Cmax (ng/mL)", ">Tmax", ">AUC 0–t (ng·h/mL)", ">time ≥ " + thresholdText);
        foreach (var s in p.Series)
        {
            m.Add(s.Label, Format.N(s.Metrics.Cmax.NanogramsPerMilliliter), Format.Time(s.Metrics.Tmax.Minutes), Format.N(s.Metrics.AucNgHoursPerMl), s.TimeAbove is { } t ? Format.Time(t.Minutes) : "—");
        }

        context.Write(m);
        var b = p.Balance;
        w.WriteLine();
        context.Heading("Mass balance at the end");
        w.WriteLine($"Given {Format.N(b.AdministeredMg)} mg; entered {Format.N(b.EnteredMg)} mg; in body {Format.N(b.InBodyMg)} mg; eliminated {Format.N(b.EliminatedMg)} mg; balance error {Format.Small(b.RelativeError)} (relative).");

        if (p.Result.Warnings.Count > 0)
        {
            w.WriteLine();
            context.Heading("Warnings");
            foreach (var warning in p.Result.Warnings)
            {
                w.WriteLine("- " + warning);
            }
        }
    }
}
