using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using KetaCare.Cli.Commands;

namespace KetaCare.Cli;

/// <summary>
/// The <c>ketacare</c> tool as a function of its arguments and output streams, so tests run commands
/// in-process. Exit codes: <see cref="ExitCodes"/>.
/// </summary>
internal static class CliApp
{
    /// <summary>The subcommands; adding one is one line here plus its <c>Commands/NameCommand.cs</c>.</summary>
    private static readonly Func<CliContext, Command>[] Registrations =
    [
        ModelsCommand.Create,
        SimulateCommand.Create,
        TciCommand.Create,
        PopulationCommand.Create,
        BenchCommand.Create,
        OccupancyCommand.Create,
        ValidateCommand.Create,
        DbCommand.Create,
        ClinicCommands.Patients,
        ClinicCommands.Screen,
        ClinicCommands.Outcomes,
        ClinicCommands.Protocols,
        ClinicCommands.Plan,
        ClinicCommands.Session,
        ClinicCommands.Report,
        ClinicCommands.Export,
        ClinicCommands.Import,
        UsersCommand.Create,
        SourcesCommand.Create,
        CompletionCommand.Create,
    ];

    /// <summary>Runs the tool writing plain text (stdout is not a terminal).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, isTerminal: false);

    /// <summary>Runs the tool; <paramref name="isTerminal"/> selects tables drawn for a terminal instead of plain text.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool isTerminal)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr, isTerminal);
        var root = CreateRoot(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction or null)
        {
            // Usage errors exit with 2 (the library's default is 1, which we keep for refusals and failed checks).
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine("error: " + error.Message);
            }

            var names = new List<string>();
            for (var r = parse.CommandResult; r.Parent is CommandResult parent; r = parent)
            {
                names.Insert(0, r.Command.Name);
            }

            stderr.WriteLine($"Run 'ketacare {string.Join(' ', names.Append("--help"))}' for usage.");
            return ExitCodes.Usage;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = true });
    }

    /// <summary>The root command with every registered subcommand.</summary>
    internal static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand("ketacare — ketamine pharmacokinetics and pharmacodynamics for chronic-pain clinics: published models, simulation, receptor occupancy, the engine's verification suite, and administration of the clinic database. The CLI speaks English only; the web app speaks English and Turkish.");
        foreach (var register in Registrations)
        {
            root.Subcommands.Add(register(context));
        }

        return root;
    }
}
