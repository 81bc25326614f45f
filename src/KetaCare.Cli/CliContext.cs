using Spectre.Console;
using Spectre.Console.Rendering;

namespace KetaCare.Cli;

/// <summary>Where a command writes, and whether stdout is a terminal (tables) or a pipe (plain text).</summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool isTerminal)
    {
        Out = output;
        Error = error;
        IsTerminal = isTerminal;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>The clock for recorded times when a command is not given one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Standard error: errors and, when stdout carries CSV/JSON, warnings.</summary>
    public TextWriter Error { get; }

    /// <summary>True when stdout is an interactive terminal.</summary>
    public bool IsTerminal { get; }

    /// <summary>Writes an input error naming the option and returns <see cref="ExitCodes.Usage"/>.</summary>
    public int UsageError(string message)
    {
        Error.WriteLine("error: " + message);
        return ExitCodes.Usage;
    }

    /// <summary>Writes why the request was refused and returns <see cref="ExitCodes.Refused"/>.</summary>
    public int Refused(string message)
    {
        Error.WriteLine("refused: " + message);
        return ExitCodes.Refused;
    }

    /// <summary>Writes a clinic refusal: each coded finding in words with its code, or the refusal's sentence; returns <see cref="ExitCodes.Refused"/>.</summary>
    public int Refused(KetaCare.Clinic.Refusal refusal) => Refused(Say(refusal));

    /// <summary>
    /// A refusal in words with each finding's code ("[vital.spo2-low] SpO₂ 88 % is below 90 %."). The CLI speaks
    /// English (its help says so); the web app speaks the user's language.
    /// </summary>
    public static string Say(KetaCare.Clinic.Refusal refusal) => refusal.Findings.Count == 0
        ? refusal.Error
        : string.Join(" ", refusal.Findings.Select(f => $"[{f.Code}] {KetaCare.Interop.Text.FindingText.Render(f, System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>
    /// Writes a warning finding to standard error (never silently: the what-if tools warn on doses above the clinical
    /// hard limits, naming the limit and its source, whether stdout is a table or CSV/JSON).
    /// </summary>
    public void Warn(KetaCare.Clinic.Findings.Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        Error.WriteLine($"warning: [{finding.Code}] {KetaCare.Interop.Text.FindingText.Render(finding, System.Globalization.CultureInfo.InvariantCulture)}" + (finding.Source is { } s ? $" (source: {s.Reference})" : string.Empty));
    }

    /// <summary>Writes a heading line (bold on a terminal).</summary>
    public void Heading(string text)
    {
        if (IsTerminal)
        {
            BoldLine(text);
        }
        else
        {
            Out.WriteLine(text);
        }
    }

    // Apart, like WithProgressBar: plain output never loads Spectre.Console.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void BoldLine(string text) => Console().MarkupLine("[bold]" + Markup.Escape(text) + "[/]");

    /// <summary>Writes a table: box-drawn on a terminal, space-aligned plain text otherwise.</summary>
    public void Write(TextTable table)
    {
        if (IsTerminal)
        {
            WriteBoxed(table);
        }
        else
        {
            table.WritePlain(Out);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void WriteBoxed(TextTable table)
    {
        var t = new Table().RoundedBorder();
        for (var i = 0; i < table.Headers.Count; i++)
        {
            var column = new TableColumn(new Text(table.Headers[i], new Style(decoration: Decoration.Bold)));
            if (table.RightAligned[i])
            {
                column.RightAligned();
            }

            t.AddColumn(column);
        }

        foreach (var row in table.Rows)
        {
            t.AddRow(row.Select(c => (IRenderable)new Text(c)).ToArray());
        }

        Console().Write(t);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar on a terminal; elsewhere (pipes, tests) with no
    /// progress reporting at all, so nothing but the report reaches stdout.
    /// </summary>
    public T WithProgress<T>(string description, Func<IProgress<double>?, T> work)
    {
        return IsTerminal ? WithProgressBar(description, work) : work(null);
    }

    // Apart, so that a run whose output is not a terminal never loads Spectre.Console (start-up, memory).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private T WithProgressBar<T>(string description, Func<IProgress<double>?, T> work)
    {
        return Console().Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx => work(new TaskProgress(ctx.AddTask(Markup.Escape(description), maxValue: 1))));
    }

    /// <summary>Forwards fractions done (0–1, from worker threads) to a progress task; never moves it backwards.</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<double>
    {
        private readonly Lock _gate = new();

        public void Report(double value)
        {
            lock (_gate)
            {
                if (value > task.Value)
                {
                    task.Value = Math.Min(1, value);
                }
            }
        }
    }

    private IAnsiConsole Console()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        var width = 120;
        try
        {
            width = Math.Max(80, System.Console.WindowWidth);
        }
        catch (IOException)
        {
            // No console window (tests, redirected stdout): keep the default width.
        }

        console.Profile.Width = width;
        return console;
    }
}
