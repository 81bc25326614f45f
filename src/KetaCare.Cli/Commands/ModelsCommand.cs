using System.CommandLine;
using System.Globalization;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Cli.Commands;

/// <summary><c>ketacare models</c> and <c>ketacare models show ID</c>: the model library and one model in full.</summary>
internal static class ModelsCommand
{
    internal static Command Create(CliContext context)
    {
        var command = new Command("models", "List the published PK models KetaCare ships (clinical-reference: Population pharmacokinetic models (pk-models)).");
        command.SetAction(_ => List(context));

        var id = new Argument<string>("id") { Description = "Model id, e.g. domino1984 (see 'ketacare models')." };
        var show = new Command("show", "Show one model in full: parameters with units and IIV, covariates, Ω, population and extrapolation limits, effect-site options, routes, notes and citation.")
        {
            id,
        };
        show.SetAction(parse => Show(context, parse.GetValue(id)));
        command.Subcommands.Add(show);
        return command;
    }

    private static int List(CliContext context)
    {
        var table = new TextTable("id", "drug", "structure", "population", "certainty", "citation");
        foreach (var m in ModelLibrary.All)
        {
            table.Add(m.Id, Describe(m.Drug), m.Structure, PopulationSummary(m.Population), Describe(m.Certainty), ShortCitation(m.Citation));
        }

        context.Write(table);
        return ExitCodes.Success;
    }

    private static int Show(CliContext context, string? id)
    {
        var found = ModelLibrary.Get(id, "id");
        if (!found.IsSuccess)
        {
            return context.UsageError(found.Error);
        }

        var m = found.Value;
        var w = context.Out;
        context.Heading($"{m.Id}: {m.Title}");
        w.WriteLine($"Drug:        {Describe(m.Drug)}");
        w.WriteLine($"Structure:   {m.Structure}");
        w.WriteLine($"Certainty:   {Describe(m.Certainty)}");
        w.WriteLine($"Citation:    {m.Citation}");
        w.WriteLine();

        context.Heading("Parameters (typical values as published)");
        var p = new TextTable("name", ">value", "unit", "description", "IIV");
        foreach (var x in m.Parameters)
        {
            p.Add(x.Name, Format.N(x.Value, 6), x.Unit, x.Description, x.Iiv ?? "—");
        }

        context.Write(p);
        w.WriteLine();
        w.WriteLine($"Covariates:  {m.Covariates}");
        w.WriteLine();

        context.Heading("Inter-individual variability (Ω)");
        if (m.Omega is { } omega)
        {
            var n = omega.Names.Count;
            var o = new TextTable([string.Empty, .. omega.Names.Select(x => ">" + x)]);
            for (var i = 0; i < n; i++)
            {
                o.Add([omega.Names[i], .. Enumerable.Range(0, n).Select(j => Format.N(omega.Covariance[(i * n) + j]))]);
            }

            context.Write(o);
            w.WriteLine($"Source: {omega.Source}");
        }
        else
        {
            w.WriteLine("Not published for this model (simulations use typical values).");
        }

        w.WriteLine();
        context.Heading("Population and extrapolation limits");
        var pop = m.Population;
        w.WriteLine($"Studied:     {pop.Description}; age {Range(pop.AgeYears)} years; weight {Range(pop.WeightKg)} kg; {pop.SamplingSite} sampling" +
            (pop.Subjects is { } s ? string.Create(CultureInfo.InvariantCulture, $"; n = {s}") : string.Empty));
        w.WriteLine($"Warned:      outside the studied ranges (predictions are an extrapolation).");
        w.WriteLine($"Refused:     age outside {Range(m.Limits.AgeYears)} years or weight outside {Range(m.Limits.WeightKg)} kg.");
        w.WriteLine($"Rationale:   {m.Limits.Rationale}");
        w.WriteLine();

        context.Heading("Effect-site options (--ke0)");
        if (m.EffectSiteOptions.Count == 0)
        {
            w.WriteLine("None published or borrowable; a number can still be given as --ke0 0.1/min (labelled user-supplied).");
        }
        else
        {
            var e = new TextTable("id", ">ke0 (/min)", ">t½ke0", "effect", "certainty", "borrowed", "source");
            foreach (var k in m.EffectSiteOptions)
            {
                e.Add(k.Id, Format.N(k.Ke0PerMinute), Format.Time(k.HalfLifeMinutes), k.Description, Describe(k.Certainty), k.Borrowed ? "yes" : "no", k.Source);
            }

            context.Write(e);
        }

        w.WriteLine();
        context.Heading("Routes");
        var r = new TextTable("route", ">F", "source");
        foreach (var (route, input, error) in Routes(m))
        {
            r.Add(route.Code(), input is null ? "—" : Format.N(input.Bioavailability, 3), input?.Source ?? error ?? string.Empty);
        }

        context.Write(r);
        if (m.Notes.Count > 0)
        {
            w.WriteLine();
            context.Heading("Notes");
            foreach (var note in m.Notes)
            {
                w.WriteLine("- " + note);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Every route, as this model sets it up for a subject inside its population (models may define their
    /// own routes, so the built system is asked rather than the default route table).
    /// </summary>
    private static IEnumerable<(Route Route, RouteInput? Input, string? Error)> Routes(PkModel m)
    {
        var pop = m.Population;
        var patient = new Covariates(
            Pharmacology.Units.BodyWeight.FromKilograms(Math.Clamp(70, pop.WeightKg.Min, pop.WeightKg.Max)),
            (pop.AgeYears.Min + pop.AgeYears.Max) / 2);
        foreach (var route in Enum.GetValues<Route>())
        {
            RouteInput? input = null;
            string? error = null;
            try
            {
                input = m.Build(patient, new SubjectOptions { Routes = [route] }).Routes[route];
            }
            catch (ArgumentException e)
            {
                error = "not supported: " + e.Message;
            }

            yield return (route, input, error);
        }
    }

    internal static string ShortCitation(string citation)
    {
        // "Domino EF, Domino SE, …. Title. Clin Pharmacol Ther 1984;36:645–653" → "Domino EF et al., Clin Pharmacol Ther 1984;36:645–653".
        var firstAuthor = citation.Split(',')[0].Trim();
        var lastDot = citation.TrimEnd('.').LastIndexOf(". ", StringComparison.Ordinal);
        if (lastDot < 0 || firstAuthor.Length > 40)
        {
            return citation.Length <= 60 ? citation : citation[..57] + "…";
        }

        var journal = citation[(lastDot + 2)..].TrimEnd('.');
        return citation.Contains(',', StringComparison.Ordinal) ? $"{firstAuthor} et al., {journal}" : $"{firstAuthor}, {journal}";
    }

    private static string PopulationSummary(StudyPopulation p) =>
        $"{p.Description}, {Range(p.AgeYears)} y, {Range(p.WeightKg)} kg";

    private static string Range((double Min, double Max) r) => $"{Format.N(r.Min)}–{Format.N(r.Max)}";

    internal static string Describe(DrugForm form) => form switch
    {
        DrugForm.Racemic => "racemic ketamine",
        DrugForm.SKetamine => "S-ketamine",
        _ => "esketamine nasal",
    };

    internal static string Describe(Certainty c) => c switch
    {
        Certainty.Primary => "[P] primary source",
        Certainty.Secondary => "[S] secondary source",
        Certainty.Unverified => "[U] unverified",
        _ => "assumption",
    };
}
