using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Tests;

/// <summary>ASP.NET Core Identity on a test's database, as the web app configures it (password rules, roles), for tests of the portal's accounts.</summary>
internal static class TestIdentity
{
    /// <summary>A provider whose scopes open a context with <paramref name="open"/>; the clinic's roles exist.</summary>
    public static ServiceProvider Services(Func<KetaCareDbContext> open, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddScoped(_ => open());
        services.AddIdentityCore<ClinicUser>(ClinicIdentity.Configure)
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<KetaCareDbContext>()
            .AddClinicPasswordPolicy();
        var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        UserDirectory.EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>()).GetAwaiter().GetResult();
        return provider;
    }
}
