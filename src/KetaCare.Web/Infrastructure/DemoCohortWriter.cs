using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;

namespace KetaCare.Web.Infrastructure;

/// <summary>Whether the demo clinic's synthetic cohort is still being written, and how far it has got. Thread-safe.</summary>
public sealed class DemoCohortStatus : IProgress<int>
{
    private volatile bool _writing;
    private int _written;

    /// <summary>True from the app's start until the cohort is complete (or has failed).</summary>
    public bool Writing => _writing;

    /// <summary>Cohort patients in the database so far.</summary>
    public int Written => Volatile.Read(ref _written);

    /// <summary>The cohort's size.</summary>
    public int Target { get; private set; }

    /// <inheritdoc/>
    public void Report(int value) => Volatile.Write(ref _written, value);

    internal void Begin(int target)
    {
        Target = target;
        _writing = true;
    }

    internal void End() => _writing = false;
}

/// <summary>
/// Writes the demo clinic's synthetic cohort (<see cref="DemoSeed.CohortAsync"/>) after the app has started, so the
/// first start serves at once; the analytics page says while it is still being written. Its size is
/// <c>KetaCare:DemoCohort</c>: by default <see cref="DemoSeed.DemoClinicCohort"/> in Development and none elsewhere
/// (tests ask for the cohort they need), 0 turns it off. A cohort already present is only topped up, so a restart
/// costs nothing and an interrupted one is completed with the same patients.
/// </summary>
public sealed class DemoCohortWriter(ClinicDatabase database, TimeProvider clock, IHostEnvironment environment, IConfiguration configuration, DemoCohortStatus status, ILogger<DemoCohortWriter> log) : BackgroundService
{
    /// <summary>The cohort the configuration asks for: 0 without demo data.</summary>
    public static int Size(IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configuration);
        return Startup.SeedsDemo(environment, configuration)
            ? configuration.GetValue<int?>("KetaCare:DemoCohort") ?? (environment.IsDevelopment() ? DemoSeed.DemoClinicCohort : 0)
            : 0;
    }

    /// <inheritdoc/>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Marked before the server takes requests, so that no page view sees a half-written cohort as complete.
        if (Size(environment, configuration) is var size and > 0)
        {
            status.Begin(size);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!status.Writing)
        {
            return;
        }

        try
        {
            var started = clock.GetTimestamp();
            var written = await DemoSeed.CohortAsync(database, clock, status.Target, cancellationToken: stoppingToken, progress: status).ConfigureAwait(false);
            if (written.IsSuccess)
            {
                log.LogInformation("Synthetic cohort: {Patients} patients, {Sessions} sessions written in {Seconds:0.0} s.", written.Value.Patients, written.Value.Sessions, clock.GetElapsedTime(started).TotalSeconds);
            }
            else
            {
                log.LogWarning("Synthetic cohort not written: {Reason}", written.Error);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped mid-way: whole patients only are committed, and the next start tops the cohort up.
        }
        finally
        {
            status.End();
        }
    }
}
