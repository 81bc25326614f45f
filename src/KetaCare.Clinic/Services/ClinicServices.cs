using KetaCare.Clinic.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KetaCare.Clinic.Services;

/// <summary>
/// Registers the clinic layer for a host (the web app, the CLI): every service scoped to one unit of work on the
/// scope's <see cref="KetaCareDbContext"/> and the host's <see cref="TimeProvider"/>. Faces take these from dependency
/// injection instead of building them, so each step runs the one workflow with the same rules everywhere.
/// </summary>
public static class ClinicServices
{
    /// <summary>Adds the clinic services; the host registers <see cref="KetaCareDbContext"/> (scoped) and <see cref="TimeProvider"/>.</summary>
    public static IServiceCollection AddClinicServices(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddScoped<IStaffDirectory>(sp => new StaffDirectory(Db(sp), Clock(sp)));
        services.AddScoped(sp => new SessionWorkflow(Db(sp), Clock(sp), sp.GetRequiredService<IStaffDirectory>()));
        services.AddScoped(sp => new TreatmentService(Db(sp), Clock(sp)));
        services.AddScoped(sp => new PatientService(Db(sp), Clock(sp)));
        services.AddScoped(sp => new SettingsService(Db(sp), Clock(sp)));
        services.AddScoped(sp => new ProtocolService(Db(sp), Clock(sp)));
        services.AddScoped(sp => new OutcomeService(Db(sp), Clock(sp)));
        services.AddScoped(sp => new SessionService(Db(sp), Clock(sp)));
        services.AddScoped(sp => new PortalService(Db(sp), Clock(sp)));

        // The seam for messages to patients: a host with an outgoing channel registers its own IPatientMessages before
        // or after this call (the last registration wins); without one, nothing is sent and staff hand the link over.
        services.TryAddSingleton<Portal.IPatientMessages, Portal.UnconfiguredPatientMessages>();
        services.AddScoped(sp => new AnalyticsService(Db(sp), Clock(sp), sp.GetRequiredService<IStaffDirectory>()));
        services.AddScoped(sp => new StockService(Db(sp), Clock(sp), sp.GetRequiredService<IStaffDirectory>()));
        services.AddScoped(sp => new SchedulingService(Db(sp), Clock(sp), sp.GetService<ClinicZone>()?.Zone ?? TimeZoneInfo.Utc));
        services.AddScoped(sp => new OutboxService(Db(sp), Clock(sp)));
        return services;
    }

    private static KetaCareDbContext Db(IServiceProvider sp) => sp.GetRequiredService<KetaCareDbContext>();

    private static TimeProvider Clock(IServiceProvider sp) => sp.GetRequiredService<TimeProvider>();
}

/// <summary>The clinic's time zone for the clinic layer (opening hours, the days of bookings); a host registers it from its configuration, else UTC.</summary>
/// <param name="Zone">The zone.</param>
public sealed record ClinicZone(TimeZoneInfo Zone);
