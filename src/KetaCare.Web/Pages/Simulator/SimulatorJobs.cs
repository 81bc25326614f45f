using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Pages.WhatIf;

/// <summary>Where a simulator run stands.</summary>
public enum SimulatorJobState
{
    /// <summary>Waiting for a free slot.</summary>
    Queued,

    /// <summary>Being computed.</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Done,

    /// <summary>Refused by the engine or stopped at the time limit; <see cref="SimulatorJob.Error"/> says why.</summary>
    Failed,

    /// <summary>Cancelled by a user.</summary>
    Cancelled,
}

/// <summary>One simulator run, identified by its query (the same query gives the same result: fixed seeds).</summary>
public sealed class SimulatorJob
{
    // Never disposed: it has no timer or wait handle, and a late Cancel must not meet a disposed source.
    private readonly CancellationTokenSource _cancel = new();
    private double _progress;

    internal SimulatorJob(string key) => Key = key;

    /// <summary>The canonical query and UI culture the run answers.</summary>
    public string Key { get; }

    /// <summary>Where the run stands.</summary>
    public SimulatorJobState State { get; private set; } = SimulatorJobState.Queued;

    /// <summary>Fraction done, 0–1 (the population's share of the work).</summary>
    public double Progress => Volatile.Read(ref _progress);

    /// <summary>The result once <see cref="State"/> is <see cref="SimulatorJobState.Done"/>.</summary>
    public SimulatorRun? Result { get; private set; }

    /// <summary>Why the run failed, for <see cref="SimulatorJobState.Failed"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>True once the run has ended, one way or another.</summary>
    public bool Finished => State is SimulatorJobState.Done or SimulatorJobState.Failed or SimulatorJobState.Cancelled;

    internal CancellationToken Token => _cancel.Token;

    internal void Cancel() => _cancel.Cancel();

    internal void Report(double fraction) => Volatile.Write(ref _progress, Math.Clamp(fraction, 0, 1));

    internal void Started() => State = SimulatorJobState.Running;

    internal void Complete(SimulatorRun? result, string? error)
    {
        Result = result;
        Error = error;
        Report(1);
        State = result is not null ? SimulatorJobState.Done : SimulatorJobState.Failed;
    }

    internal void Cancelled() => State = SimulatorJobState.Cancelled;
}

/// <summary>
/// Simulator runs by query: the small ones answered in the request, the large population runs in the background
/// with progress, one at a time. Finished results are kept (the most recent <see cref="KeptResults"/>) so that the
/// page, its chart and a shared URL answer without simulating again. The runs are deterministic, so an app instance
/// that does not hold a run simply computes it again. Thread-safe.
/// </summary>
public sealed class SimulatorJobs(WorkLimits limits) : IDisposable
{
    /// <summary>Finished runs kept for their chart and for shared URLs.</summary>
    public const int KeptResults = 32;

    /// <summary>Background runs waiting or running at once; more are refused until one ends (a shared app node).</summary>
    public const int MaxOutstanding = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimulatorJob> _jobs = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _finished = new();
    private readonly SemaphoreSlim _slot = new(1, 1);

    /// <summary>The run of <paramref name="key"/>, if this instance holds one.</summary>
    public SimulatorJob? Find(string key)
    {
        lock (_gate)
        {
            return _jobs.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Runs <paramref name="request"/> in this request (bounded by <paramref name="token"/>) unless a run of the same
    /// key is held, and keeps a successful result.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="token"/> is cancelled.</exception>
    public (SimulatorRun? Run, string? Error) RunNow(string key, SimulatorRequest request, CancellationToken token)
    {
        if (Find(key) is { State: SimulatorJobState.Done, Result: { } kept })
        {
            return (kept, null);
        }

        var (run, error) = SimulatorRun.Execute(request, cancellationToken: token);
        if (run is not null)
        {
            var job = new SimulatorJob(key);
            job.Complete(run, null);
            lock (_gate)
            {
                _jobs[key] = job;
                Kept(key);
            }
        }

        return (run, error);
    }

    /// <summary>
    /// The background run of <paramref name="key"/>: the one held, or a new one started for <paramref name="request"/>;
    /// null when <see cref="MaxOutstanding"/> runs are already waiting or running.
    /// </summary>
    public SimulatorJob? Start(string key, SimulatorRequest request)
    {
        SimulatorJob job;
        lock (_gate)
        {
            if (_jobs.TryGetValue(key, out var held))
            {
                return held;
            }

            if (_jobs.Values.Count(j => !j.Finished) >= MaxOutstanding)
            {
                return null;
            }

            job = new SimulatorJob(key);
            _jobs[key] = job;
        }

        _ = Task.Run(() => RunAsync(job, request));
        return job;
    }

    /// <summary>Cancels and forgets the run of <paramref name="key"/> (a later request starts it afresh).</summary>
    public void Cancel(string key)
    {
        SimulatorJob? job;
        lock (_gate)
        {
            if (_jobs.Remove(key, out job))
            {
                _finished.Remove(key);
            }
        }

        job?.Cancel();
    }

    private async Task RunAsync(SimulatorJob job, SimulatorRequest request)
    {
        try
        {
            await _slot.WaitAsync(job.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            job.Cancelled();
            return;
        }

        try
        {
            job.Started();
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(job.Token);
            bound.CancelAfter(limits.Simulation);
            try
            {
                var (run, error) = SimulatorRun.Execute(request, new Progress(job), bound.Token);
                job.Complete(run, error);
            }
            catch (OperationCanceledException) when (job.Token.IsCancellationRequested)
            {
                job.Cancelled();
            }
            catch (OperationCanceledException)
            {
                job.Complete(null, TimedOut);
            }
        }
        finally
        {
            _slot.Release();
            lock (_gate)
            {
                if (_jobs.TryGetValue(job.Key, out var held) && ReferenceEquals(held, job))
                {
                    Kept(job.Key);
                }
            }
        }
    }

    /// <summary>The error of a run stopped at <see cref="WorkLimits.Simulation"/> (the page words it for the user).</summary>
    public const string TimedOut = "time limit";

    // Called under the gate: the most recent finished runs stay, the oldest go.
    private void Kept(string key)
    {
        _finished.Remove(key);
        _finished.AddLast(key);
        while (_finished.Count > KeptResults)
        {
            _jobs.Remove(_finished.First!.Value);
            _finished.RemoveFirst();
        }
    }

    /// <summary>Releases the slot semaphore (at app shutdown).</summary>
    public void Dispose() => _slot.Dispose();

    // Progress<T> would post to a synchronisation context; the fraction is only read by polls.
    private sealed class Progress(SimulatorJob job) : IProgress<double>
    {
        public void Report(double value) => job.Report(value);
    }
}
