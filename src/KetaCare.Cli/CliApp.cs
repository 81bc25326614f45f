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
    /// <summary>
    /// The subcommands by name; adding one is one line here plus its <c>Commands/NameCommand.cs</c>. A test
    /// keeps each name equal to the name of the command its factory builds.
    /// </summary>
    internal static readonly (string Name, Func<CliContext, Command> Create)[] Registrations =
    [
        ("models", ModelsCommand.Create),
        ("simulate", SimulateCommand.Create),
        ("tci", TciCommand.Create),
        ("population", PopulationCommand.Create),
        ("bench", BenchCommand.Create),
        ("occupancy", OccupancyCommand.Create),
        ("validate", ValidateCommand.Create),
        ("db", DbCommand.Create),
        ("patients", ClinicCommands.Patients),
        ("screen", ClinicCommands.Screen),
        ("outcomes", ClinicCommands.Outcomes),
        ("protocols", ClinicCommands.Protocols),
        ("plan", ClinicCommands.Plan),
        ("session", ClinicCommands.Session),
        ("stock", ClinicCommands.Stock),
        ("schedule", ClinicCommands.Schedule),
        ("report", ClinicCommands.Report),
        ("analytics", ClinicCommands.Analytics),
        ("export", ClinicCommands.Export),
        ("import", ClinicCommands.Import),
        ("users", UsersCommand.Create),
        ("sources", SourcesCommand.Create),
        ("completion", CompletionCommand.Create),
    ];

    /// <summary>Runs the tool writing plain text (stdout is not a terminal).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, isTerminal: false);

    /// <summary>Runs the tool; <paramref name="isTerminal"/> selects tables drawn for a terminal instead of plain text.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool isTerminal)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr, isTerminal);
        var root = CreateRoot(context, args.Length > 0 ? args[0] : null);
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

    /// <summary>
    /// The root command with every registered subcommand, or with only <paramref name="only"/> when that names
    /// one: a run of one command then loads none of the others' dependencies (the clinic database, FHIR,
    /// reports), which keeps start-up and memory of the computing commands small (docs/performance.md).
    /// </summary>
    internal static RootCommand CreateRoot(CliContext context, string? only = null)
    {
        var root = new RootCommand("ketacare — ketamine pharmacokinetics and pharmacodynamics for chronic-pain clinics: published models, simulation, receptor occupancy, the engine's verification suite, and administration of the clinic database. The CLI speaks English only; the web app speaks English and Turkish.");
        var named = Array.FindIndex(Registrations, r => string.Equals(r.Name, only, StringComparison.Ordinal));
        foreach (var (_, create) in named >= 0 ? [Registrations[named]] : Registrations)
        {
            root.Subcommands.Add(create(context));
        }

        return root;
    }
}
