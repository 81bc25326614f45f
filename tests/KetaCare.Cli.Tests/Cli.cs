namespace KetaCare.Cli.Tests;

/// <summary>The outcome of one in-process run of the tool.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>Runs <c>ketacare</c> in-process with captured stdout and stderr.</summary>
internal static class Cli
{
    public static CliRun Run(params string[] args) => Run(false, args);

    public static CliRun RunOnTerminal(params string[] args) => Run(true, args);

    private static CliRun Run(bool terminal, string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = terminal ? CliApp.Run(args, stdout, stderr, isTerminal: true) : CliApp.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A temporary file path that is deleted with the returned scope.</summary>
    public static TempFile TempFile(string extension) => new(Path.Combine(Path.GetTempPath(), "ketacare-" + Guid.NewGuid().ToString("N") + extension));
}

internal sealed class TempFile(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }
}
