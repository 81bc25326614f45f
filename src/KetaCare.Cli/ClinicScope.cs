using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Cli;

/// <summary>
/// One unit of work of a CLI command: a service scope with the clinic services registered as the web app registers
/// them (<see cref="ClinicServices.AddClinicServices"/>), on one context acting as the command's user and clock. The CLI
/// takes its services from here, so a command runs the same workflow as a page or an API call.
/// </summary>
internal sealed class ClinicScope : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    private ClinicScope(ServiceProvider provider)
    {
        _provider = provider;
        _scope = provider.CreateAsyncScope();
    }

    /// <summary>Opens a scope on <paramref name="database"/> acting as <paramref name="by"/> at <paramref name="clock"/>, in the clinic's <paramref name="zone"/> (UTC when null).</summary>
    public static ClinicScope Open(ClinicDatabase database, UserId? by, TimeProvider clock, TimeZoneInfo? zone = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddSingleton(new ClinicZone(zone ?? TimeZoneInfo.Utc));
        services.AddScoped(_ => database.Open(by, clock));
        services.AddClinicServices();
        return new ClinicScope(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));
    }

    /// <summary>A service of the scope.</summary>
    public T Get<T>()
        where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync().ConfigureAwait(false);
        await _provider.DisposeAsync().ConfigureAwait(false);
    }
}
