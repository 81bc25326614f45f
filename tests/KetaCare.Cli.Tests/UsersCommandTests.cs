using KetaCare.Cli.Commands;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Cli.Tests;

/// <summary><c>ketacare users …</c> on a temporary SQLite file, checked through Identity as the web app's sign-in uses it.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private const string Password = "correct horse battery";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-cli-" + Guid.NewGuid().ToString("N"));

    public UsersCommandTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(PasswordFile, Password + Environment.NewLine);
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);
    }

    private string DbPath => Path.Combine(_folder, "clinic.db");

    private string PasswordFile => Path.Combine(_folder, "password.txt");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Add_ThenList_ShowsTheAccountWithItsRole_AndThePasswordSignsIn()
    {
        var add = Cli.Run("users", "add", "--database", DbPath, "--user", "nurse3", "--display", "Nurse Ayşe Üç", "--role", "nurse", "--password-file", PasswordFile);
        var list = Cli.Run("users", "list", "--database", DbPath);

        Assert.True(add.ExitCode == 0, add.Error);
        Assert.Contains("Created nurse3 (Nurse Ayşe Üç), roles Nurse", add.Out, StringComparison.Ordinal);
        var row = Assert.Single(list.OutLines, l => l.StartsWith("nurse3 ", StringComparison.Ordinal));
        Assert.Contains("Nurse Ayşe Üç", row, StringComparison.Ordinal);
        Assert.Contains(" Nurse ", row, StringComparison.Ordinal);
        Assert.Contains("active", row, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, add.Out + add.Error + list.Out, StringComparison.Ordinal);

        await using var provider = UsersCommand.Services(ClinicDatabase.Sqlite(DbPath), TimeProvider.System);
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = await users.FindByNameAsync("nurse3");
        Assert.NotNull(user);
        Assert.True(await users.CheckPasswordAsync(user, Password));
        Assert.False(await users.CheckPasswordAsync(user, Password + "x"));
        Assert.Equal([ClinicRoles.Nurse], await users.GetRolesAsync(user));
        Assert.True(user.LockoutEnabled, "new accounts take part in the lockout after failed sign-ins");
    }

    [Fact]
    public async Task Add_WritesOneAuditEventWithoutThePassword_AndTheChainVerifies()
    {
        Assert.Equal(0, Cli.Run("users", "add", "--database", DbPath, "--user", "admin2", "--display", "Second Admin", "--role", "Admin", "--password-file", PasswordFile).ExitCode);

        await using var db = ClinicDatabase.Sqlite(DbPath).Open();
        var e = Assert.Single(await db.AuditEvents.Where(a => a.EntityType == "user").ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal("user-create", e.Action);
        Assert.Equal(UserDirectory.CommandLineOperator, e.UserId);
        Assert.Contains("admin2", e.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, e.Detail, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run("db", "verify-audit", "--database", DbPath).ExitCode);
    }

    [Fact]
    public void Add_ShortPassword_IsAnInputErrorNamingTheOption_AndCreatesNothing()
    {
        File.WriteAllText(PasswordFile, "short\n");

        var add = Cli.Run("users", "add", "--database", DbPath, "--user", "nurse4", "--display", "Nurse Four", "--role", "Nurse", "--password-file", PasswordFile);

        Assert.Equal(2, add.ExitCode);
        Assert.StartsWith("error: --password-file:", add.Error, StringComparison.Ordinal);
        Assert.Contains("10", add.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("nurse4", Cli.Run("users", "list", "--database", DbPath).Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_UnknownRole_IsAnInputErrorListingTheRoles()
    {
        var add = Cli.Run("users", "add", "--database", DbPath, "--user", "x1", "--display", "X", "--role", "Pharmacist", "--password-file", PasswordFile);

        Assert.Equal(2, add.ExitCode);
        Assert.Contains("--role: \"Pharmacist\" is not a role; choose from Admin, Physician, Nurse, Auditor, StockKeeper.", add.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void LockAndUnlock_Nurse_ShowsInTheList_ButTheLastAdministratorCannotBeLocked()
    {
        Assert.Equal(0, Cli.Run("users", "add", "--database", DbPath, "--user", "boss", "--display", "Boss", "--role", "Admin", "--password-file", PasswordFile).ExitCode);
        Assert.Equal(0, Cli.Run("users", "add", "--database", DbPath, "--user", "nurse5", "--display", "Nurse Five", "--role", "Nurse", "--password-file", PasswordFile).ExitCode);

        var locked = Cli.Run("users", "lock", "--database", DbPath, "--user", "nurse5", "--by", "boss");
        var listLocked = Cli.Run("users", "list", "--database", DbPath);
        var lastAdmin = Cli.Run("users", "lock", "--database", DbPath, "--user", "boss");
        var unlocked = Cli.Run("users", "unlock", "--database", DbPath, "--user", "nurse5");

        Assert.True(locked.ExitCode == 0, locked.Error);
        Assert.Contains(" locked", Assert.Single(listLocked.OutLines, l => l.StartsWith("nurse5 ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(1, lastAdmin.ExitCode);
        Assert.Contains("boss is the last administrator who can sign in", lastAdmin.Error, StringComparison.Ordinal);
        Assert.Equal(0, unlocked.ExitCode);
        Assert.Contains("active", Assert.Single(Cli.Run("users", "list", "--database", DbPath).OutLines, l => l.StartsWith("nurse5 ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetPassword_NewOneSignsIn_TheOldOneNoLonger()
    {
        Assert.Equal(0, Cli.Run("users", "add", "--database", DbPath, "--user", "doc", "--display", "Dr Doc", "--role", "Physician", "--password-file", PasswordFile).ExitCode);
        var newFile = Path.Combine(_folder, "new.txt");
        File.WriteAllText(newFile, "another long passphrase\n");

        var set = Cli.Run("users", "set-password", "--database", DbPath, "--user", "doc", "--password-file", newFile);

        Assert.True(set.ExitCode == 0, set.Error);
        await using var provider = UsersCommand.Services(ClinicDatabase.Sqlite(DbPath), TimeProvider.System);
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = (await users.FindByNameAsync("doc"))!;
        Assert.True(await users.CheckPasswordAsync(user, "another long passphrase"));
        Assert.False(await users.CheckPasswordAsync(user, Password));
    }

    [Fact]
    public async Task AnyUsersCommand_FreshDatabase_CreatesTheFourRoles()
    {
        Assert.Equal(0, Cli.Run("users", "list", "--database", DbPath).ExitCode);

        await using var db = ClinicDatabase.Sqlite(DbPath).Open();
        Assert.Equal(ClinicRoles.Stored.Order(StringComparer.Ordinal), (await db.Roles.Select(r => r.Name!).ToListAsync(TestContext.Current.CancellationToken)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lock_UnknownUser_IsAnInputError()
    {
        var r = Cli.Run("users", "lock", "--database", DbPath, "--user", "ghost");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--user: no account \"ghost\"", r.Error, StringComparison.Ordinal);
    }
}
