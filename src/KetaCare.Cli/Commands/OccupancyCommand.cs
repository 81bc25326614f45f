using System.CommandLine;
using System.Globalization;
using KetaCare.Pharmacology.Dynamics;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Cli.Commands;

/// <summary><c>ketacare occupancy</c>: receptor and channel occupancy at a plasma concentration (law of mass action).</summary>
internal static class OccupancyCommand
{
    internal static Command Create(CliContext context)
    {
        var conc = new Option<string>("--conc", "-c") { Description = "Total plasma ketamine concentration, e.g. \"150 ng/mL\", \"0.15 mg/L\", \"0.6 µM\".", Required = true };
        var enantiomer = new Option<string>("--enantiomer") { Description = "Which ketamine: racemic, s or r.", DefaultValueFactory = _ => "racemic" };
        var fu = new Option<string>("--fu") { Description = "Unbound fraction 0.01–1 (default 0.6: assumption from protein binding 12–47 %, Dayton 1983).", DefaultValueFactory = _ => "0.6" };
        var norketamine = new Option<string>("--norketamine") { Description = "Total plasma norketamine, e.g. \"50 ng/mL\"; competes at the NMDA site (Ki 2.5 µM)." };
        var command = new Command("occupancy", "Receptor and channel occupancy at a plasma concentration: NMDA versus opioid receptors and ion channels.")
        {
            conc, enantiomer, fu, norketamine,
        };
        command.SetAction(parse => Run(context, parse.GetValue(conc)!, parse.GetValue(enantiomer)!, parse.GetValue(fu)!, parse.GetValue(norketamine)));
        return command;
    }

    private static int Run(CliContext context, string concText, string enantiomerText, string fuText, string? norketamineText)
    {
        var total = QuantityParser.ParseConcentration(concText, "--conc");
        if (!total.IsSuccess)
        {
            return context.UsageError(total.Error);
        }

        if (total.Value.NanogramsPerMilliliter > PlausibilityLimits.MaxPlasmaNgPerMl)
        {
            return context.UsageError(string.Create(CultureInfo.InvariantCulture, $"--conc: {total.Value} is above the plausible maximum of {Format.N(PlausibilityLimits.MaxPlasmaNgPerMl)} ng/mL; check the unit (ng/mL, not mg/L)."));
        }

        Enantiomer? form = enantiomerText.Trim().ToLowerInvariant() switch
        {
            "racemic" or "rac" => Enantiomer.Racemic,
            "s" or "esketamine" => Enantiomer.S,
            "r" or "arketamine" => Enantiomer.R,
            _ => null,
        };
        if (form is null)
        {
            return context.UsageError($"--enantiomer: \"{enantiomerText}\" is not a form of ketamine; use racemic, s or r.");
        }

        var fu = Inputs.OptionalNumber(fuText, "--fu", 0.01, 1, "(fraction)");
        if (!fu.IsSuccess)
        {
            return context.UsageError(fu.Error);
        }

        Concentration? nk = null;
        if (norketamineText is not null)
        {
            var parsed = QuantityParser.ParseConcentration(norketamineText, "--norketamine");
            if (!parsed.IsSuccess)
            {
                return context.UsageError(parsed.Error);
            }

            nk = parsed.Value;
        }

        var results = ReceptorOccupancy.Compute(total.Value, form.Value, fu.Value!.Value, nk);
        var unbound = total.Value.Micromolar() * fu.Value.Value;
        var w = context.Out;
        context.Heading(string.Create(CultureInfo.InvariantCulture,
            $"Occupancy at {total.Value} {Describe(form.Value)} ({Format.N(total.Value.Micromolar(), 3)} µM total, {Format.N(unbound, 3)} µM unbound at fu {Format.N(fu.Value.Value)})"));
        if (nk is { } n)
        {
            w.WriteLine($"Norketamine {n} competes at the NMDA site.");
        }

        w.WriteLine();
        var table = new TextTable("target", ">Ki (µM)", ">occupancy", "basis", "source");
        foreach (var r in results)
        {
            var ki = double.IsNaN(r.EffectiveKiMicromolar) ? "—" : Format.N(r.EffectiveKiMicromolar, 3);
            var basis = r.Target.Note is not { } note ? r.Basis : r.Target.NoAffinity ? note : $"{r.Basis}; {note}";
            table.Add(r.Target.Name, ki, Format.Percent(r.Occupancy), basis, r.Target.Source);
        }

        context.Write(table);
        w.WriteLine();
        w.WriteLine(Summary(results));
        return ExitCodes.Success;
    }

    /// <summary>The line that makes the point: NMDA occupancy against the opioid receptors and Na⁺ channels.</summary>
    internal static string Summary(IReadOnlyList<OccupancyResult> results)
    {
        double Of(string id) => results.Single(r => r.Target.Id == id).Occupancy;
        var nmda = Of("nmda-forebrain");
        var opioid = Math.Max(Of("mu-opioid"), Of("kappa-opioid"));
        var sodium = Of("nav-dorsal-horn");
        var ratio = opioid > 0 ? nmda / opioid : double.PositiveInfinity;
        return $"NMDA (forebrain) {Format.Percent(nmda)} occupied; opioid receptors at most {Format.Percent(opioid)}, Na⁺ channels {Format.Percent(sodium)}: " +
            (nmda >= 0.5 && opioid < 0.1
                ? $"NMDA block dominates ({Format.N(ratio, 2)}× the opioid occupancy); opioid receptors and Na⁺ channels are reached only at anaesthetic concentrations."
                : opioid >= 0.1
                    ? "at this concentration opioid receptors are also substantially occupied (anaesthetic range)."
                    : $"NMDA occupancy is {Format.N(ratio, 2)}× the opioid occupancy.");
    }

    private static string Describe(Enantiomer e) => e switch
    {
        Enantiomer.S => "S-ketamine",
        Enantiomer.R => "R-ketamine",
        _ => "racemic ketamine",
    };
}
