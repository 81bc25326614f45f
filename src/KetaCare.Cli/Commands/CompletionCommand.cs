using System.CommandLine;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare completion bash|zsh|pwsh</c>: prints a tab-completion script for the shell. The script asks
/// <c>ketacare</c> itself for suggestions through System.CommandLine's <c>[suggest]</c> directive, so commands,
/// options, model ids and other fixed values complete without any other tool installed.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # ketacare tab completion for bash: eval "$(ketacare completion bash)" (add it to ~/.bashrc to keep it)
        _ketacare_complete() {
          local line="${COMP_LINE:0:COMP_POINT}" cur="${COMP_WORDS[COMP_CWORD]}" s
          COMPREPLY=()
          while IFS= read -r s; do
            [[ "$s" == "$cur"* ]] && COMPREPLY+=("$s")
          done < <(ketacare "[suggest:${#line}]" "$line" 2>/dev/null)
        }
        complete -o default -F _ketacare_complete ketacare
        """;

    private const string Zsh = """
        # ketacare tab completion for zsh: eval "$(ketacare completion zsh)" (add it to ~/.zshrc to keep it)
        _ketacare_complete() {
          local line="${BUFFER:0:CURSOR}"
          local -a suggestions
          suggestions=("${(@f)$(ketacare "[suggest:${#line}]" "$line" 2>/dev/null)}")
          compadd -M 'm:{a-z}={A-Z}' -a suggestions
        }
        compdef _ketacare_complete ketacare
        """;

    private const string Pwsh = """
        # ketacare tab completion for PowerShell: ketacare completion pwsh | Out-String | Invoke-Expression (add it to $PROFILE to keep it)
        Register-ArgumentCompleter -Native -CommandName ketacare -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $line = $commandAst.Extent.ToString()
            if ($line.Length -gt $cursorPosition) { $line = $line.Substring(0, $cursorPosition) }
            ketacare "[suggest:$($line.Length)]" "$line" | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }
        """;

    internal static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or pwsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        var command = new Command("completion", "Print a tab-completion script for bash, zsh or PowerShell (e.g. eval \"$(ketacare completion bash)\").")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            context.Out.WriteLine(parse.GetValue(shell) switch
            {
                "zsh" => Zsh,
                "pwsh" => Pwsh,
                _ => Bash,
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
