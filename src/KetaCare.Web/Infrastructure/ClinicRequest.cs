using System.Security.Claims;
using KetaCare.Clinic;
using KetaCare.Clinic.Persistence;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// The signed-in user of the current request as the clinic layer knows them, and the request's database context
/// acting as that user for the audit log. Scoped: one per request.
/// </summary>
public sealed class ClinicRequest(IHttpContextAccessor accessor, TimeProvider clock)
{
    /// <summary>The signed-in user's id, or null when nobody is signed in.</summary>
    public UserId? User => CurrentUser(accessor.HttpContext?.User);

    /// <summary>The signed-in user's id; throws when nobody is signed in (pages that call it require sign-in).</summary>
    public UserId RequiredUser => User ?? throw new InvalidOperationException("no signed-in user for a page that requires one.");

    /// <summary>The clock of recorded times.</summary>
    public TimeProvider Clock => clock;

    /// <summary>The user id in the Identity cookie's name-identifier claim.</summary>
    public static UserId? CurrentUser(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? new UserId(id) : null;

    /// <summary>Opens the request's context, acting as the signed-in user (null before sign-in; writes then need an explicit actor).</summary>
    internal static KetaCareDbContext OpenContext(IServiceProvider services)
    {
        var database = services.GetRequiredService<ClinicDatabase>();
        var user = CurrentUser(services.GetRequiredService<IHttpContextAccessor>().HttpContext?.User);
        return database.Open(user, services.GetRequiredService<TimeProvider>());
    }
}
