using KetaCare.Web;

var builder = WebApplication.CreateBuilder(args);
WebApp.ConfigureServices(builder);
var app = builder.Build();
WebApp.Configure(app);
await app.RunAsync().ConfigureAwait(false);

/// <summary>The entry point, public so that tests can host the same app (WebApplicationFactory).</summary>
public partial class Program;
