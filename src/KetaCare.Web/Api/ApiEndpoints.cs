namespace KetaCare.Web.Api;

/// <summary>The REST API under <c>/api/v1</c>: the same services and the same policies as the pages.</summary>
public static class ApiEndpoints
{
    /// <summary>Services the API needs beyond the app's.</summary>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }

    /// <summary>Maps every API endpoint.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/api/v1").WithTags("KetaCare");
    }
}
