using KetaCare.Clinic.Messaging;
using KetaCare.Clinic.Services;
using KetaCare.Interop.Messaging;

namespace KetaCare.Web.Infrastructure;

/// <summary>
/// Sends the outbox's due messages in the background: a pass every <c>KetaCare:Outbox:PollSeconds</c> (default 30 s),
/// each on a scope (context) of its own. The delivery guarantee is <see cref="OutboxSender"/>'s: at least once, one
/// Message-Id per message, and a message claimed by an instance that stops mid-send is sent by the next pass after the
/// claim lapses. Several app instances may run it at once: the claim lets only one send a given message.
/// <c>KetaCare:Outbox:Enabled=false</c> turns it off (the CLI's <c>ketacare schedule send-reminders</c> does one pass).
/// </summary>
public sealed class OutboxWorker(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<OutboxWorker> log) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("KetaCare:Outbox:Enabled", true))
        {
            return;
        }

        var every = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("KetaCare:Outbox:PollSeconds", 30), 1, 3600));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pass = await scope.ServiceProvider.GetRequiredService<OutboxSender>().SendDueAsync(stoppingToken).ConfigureAwait(false);
                if (pass.Sent + pass.Retrying + pass.Failed + pass.NotConfigured > 0)
                {
                    log.LogInformation("Outbox: {Sent} sent, {Retrying} to retry, {Failed} failed, {NotConfigured} without a gateway.", pass.Sent, pass.Retrying, pass.Failed, pass.NotConfigured);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A pass that fails (the database restarting) is retried at the next tick; the messages stay in the outbox.
                log.LogWarning(e, "Outbox pass failed; retrying in {Seconds} s.", every.TotalSeconds);
            }

            try
            {
                await Task.Delay(every, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Registers the outbox's renderer, channels, sender and this worker from configuration.</summary>
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection("KetaCare:Smtp").Get<SmtpSettings>() ?? new SmtpSettings());
        services.AddSingleton<IMessageRenderer>(sp => new MessageTexts(Uri.TryCreate(sp.GetRequiredService<IConfiguration>()["KetaCare:PublicUrl"], UriKind.Absolute, out var u) ? u : null));
        services.AddSingleton<IMessageChannel>(sp => new SmtpEmailChannel(sp.GetRequiredService<SmtpSettings>()));
        services.AddSingleton<IMessageChannel, NotConfiguredTextGateway>();
        services.AddSingleton(new OutboxOptions());
        services.AddScoped(sp => new OutboxSender(
            sp.GetRequiredService<Clinic.Persistence.KetaCareDbContext>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMessageRenderer>(),
            sp.GetServices<IMessageChannel>(),
            sp.GetRequiredService<OutboxOptions>()));
        services.AddHostedService<OutboxWorker>();
    }
}
