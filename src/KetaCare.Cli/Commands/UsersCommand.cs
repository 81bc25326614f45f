using System.CommandLine;
using System.Globalization;
using System.Text;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Cli.Commands;

/// <summary>
/// <c>ketacare users add|list|set-password|lock|unlock</c>: the web app's accounts (ASP.NET Core Identity in the clinic
/// database) from a shell, e.g. to create the first administrator or unlock the last one. Same database options as
/// <c>ketacare db</c>. Passwords come from a file (<c>--password-file</c>) or a prompt without echo, and are never
/// printed or logged. Every change is audited under <c>--by</c> (an account's id or user name), else under
/// <see cref="UserDirectory.CommandLineOperator"/>.
/// </summary>
internal static class UsersCommand
{
    internal static Command Create(CliContext context)
    {
        var database = new Option<string?>("--database") { Description = "SQLite database file (default: $KETACARE_DATA/ketacare.db, else ./data/ketacare.db).", Recursive = true };
        var connection = new Option<string?>("--connection") { Description = $"PostgreSQL connection string (default: ${DbCommand.PostgresVariable}).", Recursive = true };
        var by = new Option<string?>("--by") { Description = "Who makes the change, for the audit log: an account's id or user name (default: the command-line operator).", Recursive = true };
        var command = new Command("users", "Accounts of the web app: add, list, set a password, lock, unlock (every change audited; passwords never printed).") { database, connection, by };

        var user = new Option<string>("--user", "-u") { Description = "User name (or account id).", Required = true };
        var display = new Option<string>("--display") { Description = "Name shown on screens and signatures, e.g. \"Dr A. Yılmaz\".", Required = true };
        var role = new Option<string[]>("--role") { Description = $"Role (repeatable): {string.Join(", ", ClinicRoles.All)}.", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = $"File whose first line is the password (at least {ClinicIdentity.MinPasswordLength} characters); without it the password is asked for twice without echo." };

        var add = new Command("add", "Create an account with its roles.") { user, display, role, passwordFile };
        add.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), parse.GetValue(by), async (d, actor) =>
        {
            var password = ReadPassword(context, parse.GetValue(passwordFile));
            if (!password.IsSuccess)
            {
                return context.UsageError(password.Error);
            }

            var roles = (parse.GetValue(role) ?? []).Select(Canonical).ToList();
            var r = await d.CreateAsync(new NewUser(parse.GetValue(user)!, parse.GetValue(display)!, password.Value, roles), actor, ct).ConfigureAwait(false);
            if (!r.IsSuccess)
            {
                var named = Option(r.Error);
                return named != r.Error ? context.UsageError(named) : context.Refused(r.Refusal);
            }

            context.Out.WriteLine($"Created {r.Value.UserName} ({r.Value.DisplayName}), roles {string.Join(", ", r.Value.Roles)}; id {r.Value.Id}.");
            return ExitCodes.Success;
        }, ct));

        var list = new Command("list", "Every account: user name, shown name, roles, whether it is locked, id.");
        list.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), parse.GetValue(by), async (d, _) =>
        {
            var table = new TextTable("user", "name", "roles", "status", "created", "id");
            foreach (var u in await d.ListAsync(ct).ConfigureAwait(false))
            {
                table.Add(
                    u.UserName,
                    u.DisplayName,
                    u.Roles.Count == 0 ? "—" : string.Join(", ", u.Roles),
                    Status(u),
                    u.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    u.Id.ToString());
            }

            context.Write(table);
            return ExitCodes.Success;
        }, ct));

        var setPassword = new Command("set-password", "Set a new password for an account (its open sessions end).") { user, passwordFile };
        setPassword.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), parse.GetValue(by), async (d, actor) =>
        {
            var target = await d.FindAsync(parse.GetValue(user)!, ct).ConfigureAwait(false);
            if (target is null)
            {
                return NoUser(context, parse.GetValue(user)!);
            }

            var password = ReadPassword(context, parse.GetValue(passwordFile));
            if (!password.IsSuccess)
            {
                return context.UsageError(password.Error);
            }

            var r = await d.SetPasswordAsync(target.Id, password.Value, actor, ct).ConfigureAwait(false);
            if (!r.IsSuccess)
            {
                var named = Option(r.Error);
                return named != r.Error ? context.UsageError(named) : context.Refused(r.Refusal);
            }

            context.Out.WriteLine($"Password of {target.UserName} set.");
            return ExitCodes.Success;
        }, ct));

        var lockCommand = new Command("lock", "Lock an account until it is unlocked (refused for the last administrator).") { user };
        lockCommand.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), parse.GetValue(by), (d, actor) =>
            ChangeAsync(context, d, parse.GetValue(user)!, (id, c) => d.LockAsync(id, actor, cancellationToken: c), "locked", ct), ct));

        var unlock = new Command("unlock", "Unlock an account (an administrator's lock or one after failed sign-ins).") { user };
        unlock.SetAction((parse, ct) => Run(context, parse.GetValue(database), parse.GetValue(connection), parse.GetValue(by), (d, actor) =>
            ChangeAsync(context, d, parse.GetValue(user)!, (id, c) => d.UnlockAsync(id, actor, cancellationToken: c), "unlocked", ct), ct));

        command.Subcommands.Add(add);
        command.Subcommands.Add(list);
        command.Subcommands.Add(setPassword);
        command.Subcommands.Add(lockCommand);
        command.Subcommands.Add(unlock);
        return command;
    }

    /// <summary>
    /// Identity outside ASP.NET: the user manager and role manager on one context of <paramref name="database"/>, with
    /// the web app's password policy, so an account made here signs in there.
    /// </summary>
    internal static ServiceProvider Services(ClinicDatabase database, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddScoped(_ => database.Open(UserDirectory.CommandLineOperator, clock));
        services.AddIdentityCore<ClinicUser>(ClinicIdentity.Configure)
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<KetaCareDbContext>()
            .AddClinicPasswordPolicy();
        services.AddScoped(sp => new UserDirectory(sp.GetRequiredService<UserManager<ClinicUser>>(), sp.GetRequiredService<KetaCareDbContext>(), clock));
        return services.BuildServiceProvider();
    }

    private static Task<int> Run(CliContext context, string? database, string? connection, string? by, Func<UserDirectory, UserId, Task<int>> action, CancellationToken ct) =>
        DbCommand.Run(context, database, connection, requireSchema: true, async (db, c) =>
        {
            await using var provider = Services(db, context.Clock);
            await using var scope = provider.CreateAsyncScope();
            await UserDirectory.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>()).ConfigureAwait(false);
            var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            var actor = UserDirectory.CommandLineOperator;
            if (!string.IsNullOrWhiteSpace(by))
            {
                var who = await directory.FindAsync(by, c).ConfigureAwait(false);
                if (who is null)
                {
                    return context.UsageError($"--by: no account \"{by}\"; give an account's user name or id (see 'ketacare users list').");
                }

                actor = who.Id;
            }

            return await action(directory, actor).ConfigureAwait(false);
        }, ct);

    private static async Task<int> ChangeAsync(CliContext context, UserDirectory directory, string user, Func<UserId, CancellationToken, Task<Outcome<UserSummary>>> change, string done, CancellationToken ct)
    {
        var target = await directory.FindAsync(user, ct).ConfigureAwait(false);
        if (target is null)
        {
            return NoUser(context, user);
        }

        var r = await change(target.Id, ct).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return context.Refused(r.Refusal);
        }

        context.Out.WriteLine($"{r.Value.UserName} {done}; status {Status(r.Value)}.");
        return ExitCodes.Success;
    }

    private static int NoUser(CliContext context, string user) =>
        context.UsageError($"--user: no account \"{user}\"; see 'ketacare users list'.");

    private static string Status(UserSummary u) =>
        !u.IsLocked ? "active"
        : u.IsLockedByAdministrator ? "locked"
        : "locked until " + u.LockedUntil!.Value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Roles are matched without regard to case on the command line ("admin" is Admin).</summary>
    private static string Canonical(string role) =>
        ClinicRoles.All.FirstOrDefault(r => string.Equals(r, role.Trim(), StringComparison.OrdinalIgnoreCase)) ?? role;

    /// <summary>The directory names fields; the command line names options.</summary>
    private static string Option(string error)
    {
        foreach (var (field, option) in new[] { ("user name:", "--user:"), ("display name:", "--display:"), ("roles:", "--role:"), ("password:", "--password-file:") })
        {
            if (error.StartsWith(field, StringComparison.Ordinal))
            {
                return option + error[field.Length..];
            }
        }

        return error;
    }

    /// <summary>The first line of the password file, or the password typed twice at a prompt without echo.</summary>
    private static Outcome<string> ReadPassword(CliContext context, FileInfo? file)
    {
        if (file is not null)
        {
            try
            {
                using var reader = new StreamReader(file.FullName);
                return reader.ReadLine() is { Length: > 0 } line
                    ? Outcome<string>.Ok(line)
                    : Outcome<string>.Fail($"--password-file: \"{file.FullName}\" is empty; its first line is the password.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Outcome<string>.Fail($"--password-file: cannot read \"{file.FullName}\": {e.Message}");
            }
        }

        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() is { Length: > 0 } piped
                ? Outcome<string>.Ok(piped)
                : Outcome<string>.Fail("--password-file: no password given (and none on standard input).");
        }

        var first = Prompt(context, "Password: ");
        var second = Prompt(context, "Password again: ");
        return string.Equals(first, second, StringComparison.Ordinal)
            ? Outcome<string>.Ok(first)
            : Outcome<string>.Fail("password: the two entries differ; nothing was changed.");
    }

    private static string Prompt(CliContext context, string label)
    {
        context.Error.Write(label);
        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (sb.Length > 0)
                {
                    sb.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                sb.Append(key.KeyChar);
            }
        }

        context.Error.WriteLine();
        return sb.ToString();
    }
}
