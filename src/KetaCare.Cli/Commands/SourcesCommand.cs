using System.CommandLine;
using KetaCare.Clinic.Sources;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare sources [TEXT]</c> and <c>ketacare sources show KEY</c>: the works the models, rules and documents rest
/// on (the clinical reference's bibliography), searchable, each with its full citation and DOI or PMID where checked.
/// </summary>
internal static class SourcesCommand
{
    internal static Command Create(CliContext context)
    {
        var text = new Argument<string?>("text") { Description = "Only sources whose key or citation contains this text, e.g. 'Dahan' or 'label'.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("sources", "List the sources KetaCare's models, dose limits, rules and documents cite (the bibliography of docs/clinical-reference.md).")
        {
            text,
        };
        command.SetAction(parse => List(context, parse.GetValue(text)));

        var key = new Argument<string>("key") { Description = "Source key as cited, e.g. cohen2018 (see 'ketacare sources')." };
        var show = new Command("show", "Show one source: its full citation, topic, DOI or PubMed id and link, and how it was read.")
        {
            key,
        };
        show.SetAction(parse => Show(context, parse.GetValue(key)));
        command.Subcommands.Add(show);
        return command;
    }

    private static int List(CliContext context, string? text)
    {
        var found = Bibliography.Search(text);
        if (found.Count == 0)
        {
            return context.Refused($"sources: nothing matches '{text}'; run 'ketacare sources' for all {Bibliography.All.Count}.");
        }

        var table = new TextTable("key", "topic", "citation", "DOI / PMID");
        foreach (var s in found)
        {
            table.Add(s.Key, Topic(s.Topic), Short(s.Citation), s.Doi ?? (s.Pmid is { } p ? "PMID " + p : "—"));
        }

        context.Write(table);
        return ExitCodes.Success;
    }

    private static int Show(CliContext context, string? key)
    {
        if (Bibliography.Find(key) is not { } s)
        {
            return context.UsageError($"key: no source '{key}'; run 'ketacare sources' for the keys.");
        }

        var w = context.Out;
        context.Heading(s.Key);
        w.WriteLine(s.Citation);
        w.WriteLine();
        w.WriteLine($"Topic:    {Topic(s.Topic)}");
        w.WriteLine($"DOI:      {s.Doi ?? "not checked"}");
        w.WriteLine($"PMID:     {s.Pmid ?? "not checked"}");
        w.WriteLine($"Link:     {s.Link?.ToString() ?? "none (no identifier checked)"}");
        w.WriteLine($"Read as:  {ReadAs(s.ReadAs)}");
        return ExitCodes.Success;
    }

    private static string Topic(SourceTopic topic) => topic switch
    {
        SourceTopic.Pharmacokinetics => "pharmacokinetics",
        SourceTopic.Pharmacodynamics => "pharmacodynamics",
        SourceTopic.ClinicalPractice => "clinical practice",
        _ => "scales and codes",
    };

    private static string ReadAs(Certainty? certainty) => certainty switch
    {
        Certainty.Primary => "primary (the work itself)",
        Certainty.Secondary => "secondary (through a review, guideline or model library)",
        Certainty.Unverified => "unverified (not checked against the work)",
        _ => "as cited in the clinical reference",
    };

    // The list shows authors and title; 'show' gives the whole citation.
    private static string Short(string citation) => citation.Length <= 90 ? citation : citation[..87] + "…";
}
