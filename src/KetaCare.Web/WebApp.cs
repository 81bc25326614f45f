using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Web.Api;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace KetaCare.Web;

/// <summary>
/// The web application: database (SQLite file by default, PostgreSQL with <c>ConnectionStrings:Postgres</c>),
/// Identity with the five roles, data-protection keys in the database (several instances share sign-ins), English and
/// Turkish UI, security headers, health, OpenAPI, pages and API. The database is prepared by a hosted service before
/// the server takes requests (<see cref="Startup"/>).
/// </summary>
public static class WebApp
{

    /// <summary>Registers every service of the app.</summary>
    public static void ConfigureServices(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        // Resolved from the final configuration (test hosts add theirs after this method has run).
        services.AddSingleton(sp => DatabaseChoice.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ClinicTime>();
        services.AddSingleton(sp => new ClinicZone(sp.GetRequiredService<ClinicTime>().Zone));
        services.AddSingleton(sp => WorkLimits.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<Pages.WhatIf.SimulatorJobs>();
        services.AddHttpContextAccessor();
        services.AddHostedService<Startup>();
        services.AddSingleton<DemoCohortStatus>();
        services.AddHostedService<DemoCohortWriter>();
        services.AddScoped(sp => ClinicRequest.OpenContext(sp));
        services.AddScoped<ClinicRequest>();
        // Portal invitations go out by e-mail through the outbox when staff give an address; without an SMTP server the
        // outbox sets them aside as not configured, and staff hand over the link shown on the chart as before.
        services.AddScoped<KetaCare.Clinic.Portal.IPatientMessages>(sp => new KetaCare.Clinic.Portal.OutboxPatientMessages(sp.GetRequiredService<KetaCare.Clinic.Services.OutboxService>(), sp.GetRequiredService<TimeProvider>()));
        services.AddClinicServices();
        OutboxWorker.AddServices(services);

        // One password and lockout policy with `ketacare users` (ClinicIdentity), so an account made there signs in here.
        services.AddSingleton<SignInSessions>();
        services.AddIdentity<ClinicUser, IdentityRole<Guid>>(ClinicIdentity.Configure)
            .AddEntityFrameworkStores<KetaCareDbContext>()
            .AddDefaultTokenProviders()
            .AddClinicPasswordPolicy();
        services.AddScoped<SignInGuard>();
        services.AddScoped(sp => new KetaCare.Clinic.Portal.PortalAccounts(sp.GetRequiredService<UserManager<ClinicUser>>(), sp.GetRequiredService<KetaCareDbContext>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<KetaCare.Clinic.Portal.IPatientMessages>()));
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/SignIn";
            o.LogoutPath = "/Account/SignOut";
            o.AccessDeniedPath = "/Account/Denied";
            o.Cookie.Name = "ketacare.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = SecurePolicyFor(builder.Environment);
            // The cookie's own lifetime is only a ceiling: SignInSessions checks the clinic's idle and absolute
            // timeouts and the account's security stamp in the database on every request.
            o.ExpireTimeSpan = TimeSpan.FromHours(SessionTimeouts.MaxAbsoluteHours);
            o.SlidingExpiration = false;
            o.Events.OnSigningIn = ctx => ctx.HttpContext.RequestServices.GetRequiredService<SignInSessions>().OnSigningInAsync(ctx);
            o.Events.OnValidatePrincipal = ctx => ctx.HttpContext.RequestServices.GetRequiredService<SignInSessions>().OnValidatePrincipalAsync(ctx);
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
        });
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = "ketacare.msg";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = SecurePolicyFor(builder.Environment);
        });
        services.AddDataProtection().SetApplicationName("KetaCare").PersistKeysToDbContext<KetaCareDbContext>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ketacare.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = SecurePolicyFor(builder.Environment);
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.AddAuthorizationBuilder().AddClinicPolicies();

        // Turkish letters (ğ, ş, ı) as text, not as numeric character references: readable source, smaller pages.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture("en");
            o.AddSupportedCultures(UiCultures.Names);
            o.AddSupportedUICultures(UiCultures.Names);
            o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = UiCultures.CookieName }, new AcceptLanguageHeaderRequestCultureProvider()];
        });

        services.AddRazorPages(o =>
        {
            // Sign-in, sign-out and the denied page are open; changing a password needs a signed-in user (any role or none).
            o.Conventions.AllowAnonymousToPage("/Account/SignIn");
            o.Conventions.AllowAnonymousToPage("/Account/SignInCode");
            o.Conventions.AllowAnonymousToPage("/Account/SignOut");
            o.Conventions.AllowAnonymousToPage("/Account/Denied");
            o.Conventions.AllowAnonymousToPage("/Account/Invitation");
            o.Conventions.AllowAnonymousToPage("/Setup");
            o.Conventions.AllowAnonymousToPage("/Error");
        });
        services.AddProblemDetails();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = RequestLimits.MaxFormBodyBytes);
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "KetaCare API";
            doc.Info.Description = "Patients, plans, sessions, observations and simulations. Sign in with the same account as the web app; every call is authorised by role like the UI.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        ApiEndpoints.AddServices(services);
    }

    /// <summary>The middleware pipeline and endpoints.</summary>
    public static void Configure(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }

        app.UseStatusCodePages();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<RequestLimits>();
        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/fhir", StringComparison.OrdinalIgnoreCase), fhir => fhir.Use(KetaCare.Web.Fhir.FhirEndpoints.OutcomeForBareStatusAsync));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health", new() { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization();
        app.MapPost("/culture", UiCultures.Switch).AllowAnonymous();
        app.MapRazorPages();
        ApiEndpoints.Map(app);
        KetaCare.Web.Pages.Exports.ExportEndpoints.Map(app);
        KetaCare.Web.Pages.Portal.PortalEndpoints.Map(app);
        KetaCare.Web.Pages.Schedule.CalendarEndpoints.Map(app);
        KetaCare.Web.Fhir.FhirEndpoints.Map(app);
    }

    private static CookieSecurePolicy SecurePolicyFor(IWebHostEnvironment env) =>
        // The Development app serves plain http://localhost:5080; everywhere else cookies only travel over HTTPS.
        env.IsDevelopment() || env.IsEnvironment("Testing") ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        // API and FHIR clients get a status code, browsers a redirect to the sign-in page.
        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || ctx.Request.Path.StartsWithSegments("/fhir", StringComparison.OrdinalIgnoreCase) || ctx.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
