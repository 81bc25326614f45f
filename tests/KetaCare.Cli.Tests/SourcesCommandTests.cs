using KetaCare.Clinic.Sources;

namespace KetaCare.Cli.Tests;

/// <summary><c>ketacare sources</c> (the bibliography, searchable, one in full) and <c>ketacare completion</c> (shell scripts that ask the tool for suggestions).</summary>
public sealed class SourcesCommandTests
{
    [Fact]
    public void Sources_ListsEverySourceByKey()
    {
        var run = Cli.Run("sources");

        Assert.Equal(0, run.ExitCode);
        foreach (var s in Bibliography.All)
        {
            Assert.Contains(run.OutLines, l => l.StartsWith(s.Key + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Sources_WithText_ListsOnlyTheMatchesAndNothingIsARefusal()
    {
        var run = Cli.Run("sources", "Dahan");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.OutLines, l => l.StartsWith("dahan2011 ", StringComparison.Ordinal));
        Assert.DoesNotContain(run.OutLines, l => l.StartsWith("domino1984 ", StringComparison.Ordinal));

        var none = Cli.Run("sources", "no such words anywhere");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("nothing matches", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SourcesShow_Cohen2018_PrintsTheFullCitationDoiAndLink()
    {
        var run = Cli.Run("sources", "show", "cohen2018");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Consensus guidelines on the use of intravenous ketamine infusions for chronic pain", run.Out, StringComparison.Ordinal);
        Assert.Contains("DOI:      10.1097/AAP.0000000000000808", run.Out, StringComparison.Ordinal);
        Assert.Contains("https://doi.org/10.1097/AAP.0000000000000808", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, Cli.Run("sources", "show", "nosuchkey").ExitCode);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _ketacare_complete ketacare")]
    [InlineData("zsh", "compdef _ketacare_complete ketacare")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName ketacare")]
    public void Completion_Shell_PrintsAScriptThatAsksTheToolForSuggestions(string shell, string registration)
    {
        var run = Cli.Run("completion", shell);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(registration, run.Out, StringComparison.Ordinal);
        Assert.Contains("[suggest:", run.Out, StringComparison.Ordinal);
        Assert.Equal(2, Cli.Run("completion", "fish").ExitCode);
    }

    [Fact]
    public async Task CompletionScript_InBash_CompletesCommandsAndOptionsByPrefix()
    {
        // The script as a user installs it, run by bash against the built tool (a wrapper named ketacare on PATH).
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "bash completion is checked on Linux and macOS");
        using var folder = new TempFolder();
        var wrapper = Path.Combine(folder.Path, "ketacare");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec dotnet \"{typeof(CliApp).Assembly.Location}\" \"$@\"\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        const string script = """
            eval "$(ketacare completion bash)"
            complete_line() { COMP_LINE="$1"; COMP_POINT=${#1}; read -ra COMP_WORDS <<< "$1"; COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _ketacare_complete; echo "${COMPREPLY[*]}"; }
            complete_line "ketacare so"
            complete_line "ketacare simulate --mo"
            complete_line "ketacare s"
            """;
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = folder.Path + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = System.Diagnostics.Process.Start(start)!;
        var output = (await bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Split('\n');
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal("sources", output[0]);
        Assert.Equal("--model", output[1]);
        Assert.Equal(["schedule", "screen", "session", "simulate", "sources", "stock"], output[2].Split(' ').Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Help_SaysTheToolSpeaksEnglishOnly()
    {
        var run = Cli.Run("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("The CLI speaks English only", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void SuggestDirective_PartialCommand_SuggestsTheCommandsTheScriptsComplete()
    {
        // What the scripts run when the user has typed "ketacare so" and pressed Tab.
        var line = "ketacare so";
        var run = Cli.Run($"[suggest:{line.Length}]", line);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("sources", run.OutLines);
        Assert.DoesNotContain("models", run.OutLines);

        var models = Cli.Run("[suggest:25]", "ketacare models show dom");
        Assert.Contains("show", Cli.Run("[suggest:16]", "ketacare models ").OutLines);
        Assert.Equal(0, models.ExitCode);
    }
}

/// <summary>A temporary folder deleted with its contents.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ketacare-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
