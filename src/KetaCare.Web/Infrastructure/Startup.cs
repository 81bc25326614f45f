using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Infrastructure;

/// <summary>A demo sign-in of the Development seed.</summary>
/// <param name="UserName">User name.</param>
/// <param name="DisplayName">Shown name.</param>
/// <param name="Role">Role.</param>
/// <param name="Id">The id the demo clinical data already uses (DemoSeed), so the demo chart names these people.</param>
public sealed record DemoAccount(string UserName, string DisplayName, string Role, UserId Id);

/// <summary>
/// Prepares the database before the server takes requests (hosted services start first): migrations, roles,
/// built-in protocols, and in Development the demo data and demo sign-ins. Outside Development it stops the app
/// while a demo account still has the demo password.
/// </summary>
public sealed class Startup(IServiceProvider services, IHostEnvironment environment, IConfiguration configuration, ILogger<Startup> log) : IHostedService
{
    /// <summary>The password of every demo account (Development only; production refuses to start while one still has it).</summary>
    public const string DemoPassword = "ketacare-demo";

    /// <summary>The demo accounts, one per role plus a second nurse for the pump check, and a patient's portal account (DEMO-0001).</summary>
    public static IReadOnlyList<DemoAccount> DemoAccounts { get; } =
    [
        new("physician", "Dr Ayşe Demir", ClinicRoles.Physician, DemoSeed.DemoPhysician),
        new("nurse", "Nurse Elif Kaya", ClinicRoles.Nurse, DemoSeed.DemoNurse),
        new("nurse2", "Nurse Mehmet Öz", ClinicRoles.Nurse, DemoSeed.DemoSecondNurse),
        new("admin", "Admin Can Arslan", ClinicRoles.Admin, new UserId(Guid.Parse("d3e30000-0000-0000-0000-000000000005"))),
        new("auditor", "Auditor Zeynep Şahin", ClinicRoles.Auditor, new UserId(Guid.Parse("d3e30000-0000-0000-0000-000000000006"))),
        new("patient", "Elif Yılmaz", ClinicRoles.Patient, DemoSeed.DemoPatientAccount),
        new("stock", "Stock Deniz Aydın", ClinicRoles.StockKeeper, DemoSeed.DemoStockKeeper),
    ];

    /// <summary>True in environments that get demo data: Development, and Testing unless the test says otherwise.</summary>
    public static bool SeedsDemo(IHostEnvironment env, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetValue<bool?>("KetaCare:DemoData") ?? env.IsDevelopment();
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await PrepareAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException("KetaCare refuses to start: a demo account still has the demo password outside Development.");
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Migrates and seeds; false when the app must not start (production with a demo password).</summary>
    private async Task<bool> PrepareAsync()
    {
        var database = services.GetRequiredService<ClinicDatabase>();
        var clock = services.GetRequiredService<TimeProvider>();
        var applied = await database.MigrateAsync().ConfigureAwait(false);
        log.LogInformation("Database {Database}: {Count} migration(s) applied.", database.Description, applied.Count);
        await using (var db = database.Open(ProtocolService.SystemUser, clock))
        {
            await new ProtocolService(db, clock).SeedAsync(ProtocolLibrary.Default, ProtocolService.SystemUser).ConfigureAwait(false);
        }

        await using var scope = services.CreateAsyncScope();
        await UserDirectory.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>()).ConfigureAwait(false);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        if (SeedsDemo(environment, configuration))
        {
            var seed = await DemoSeed.RunAsync(database, clock).ConfigureAwait(false);
            if (!seed.IsSuccess)
            {
                log.LogWarning("Demo data not written: {Reason}", seed.Error);
            }

            // The synthetic cohort of the analytics is written after the start, by DemoCohortWriter.
            await Pages.Sessions.DemoToday.EnsureAsync(services, log).ConfigureAwait(false);
            await EnsureDemoAccountsAsync(users, scope.ServiceProvider.GetRequiredService<KetaCareDbContext>(), clock).ConfigureAwait(false);
            await DemoSeed.PortalDiaryAsync(database, clock).ConfigureAwait(false);
            var url = configuration["Urls"] ?? "http://localhost:5080";
            log.LogWarning(
                "KetaCare is running at {Url} with demo data. Demo sign-ins (password \"{Password}\"): {Accounts}",
                url,
                DemoPassword,
                string.Join(", ", DemoAccounts.Select(a => $"{a.UserName} ({a.Role})")));
            return true;
        }

        foreach (var demo in await users.Users.Where(u => u.IsDemo).ToListAsync().ConfigureAwait(false))
        {
            if (await users.CheckPasswordAsync(demo, DemoPassword).ConfigureAwait(false))
            {
                log.LogCritical("Refusing to start: the demo account \"{User}\" still has the demo password. Change its password or lock it (ketacare users) before running outside Development.", demo.UserName);
                return false;
            }
        }

        if (!await users.Users.AnyAsync().ConfigureAwait(false))
        {
            log.LogWarning("No user accounts yet: open /Setup to create the first administrator, or run `ketacare users add --role Admin`.");
        }

        return true;
    }

    private static async Task EnsureDemoAccountsAsync(UserManager<ClinicUser> users, KetaCareDbContext db, TimeProvider clock)
    {
        foreach (var a in DemoAccounts)
        {
            if (await users.FindByIdAsync(a.Id.Value.ToString()).ConfigureAwait(false) is not null)
            {
                continue;
            }

            var user = new ClinicUser { Id = a.Id.Value, UserName = a.UserName, DisplayName = a.DisplayName, IsDemo = true, CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(user, DemoPassword).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("demo account " + a.UserName + ": " + string.Join("; ", created.Errors.Select(e => e.Description)));
            }

            await users.AddToRoleAsync(user, a.Role).ConfigureAwait(false);
            // The demo portal account is linked like an accepted invitation: to the demo patient, by its claim.
            var patient = await db.Patients.AsNoTracking().Where(p => p.MedicalRecordNumber == DemoSeed.DemoPortalPatient).Select(p => (PatientId?)p.Id).FirstOrDefaultAsync().ConfigureAwait(false);
            if (a.Role == ClinicRoles.Patient && patient is { } linked)
            {
                await users.AddClaimAsync(user, new System.Security.Claims.Claim(KetaCare.Clinic.Portal.PortalAccounts.PatientClaim, linked.ToString())).ConfigureAwait(false);
            }
        }
    }
}
