namespace NvrBlazor.Web.Retention;

/// <summary>
/// The work of one housekeeping job (retention, reconcile). Scheduling, one-at-a-time, the run history and
/// error handling are <see cref="HousekeepingRunner"/>'s: a job only does its work and reports figures.
/// </summary>
public abstract class HousekeepingJob
{
    public abstract string Name { get; }

    public abstract Task<JobResult> RunAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Which housekeeping job runs now, and which has a run waiting in Hangfire's queue (for "Run now" and the
/// Jobs page). One job at a time across all jobs: retention and reconcile both move files and rows.
/// Nothing here can stay set after a failure: running is cleared in a finally, and a waiting run counts
/// only while Hangfire still has it waiting (<see cref="HousekeepingJobs"/> asks it).
/// </summary>
public sealed class HousekeepingGate
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, int> running = [];
    private readonly Dictionary<string, string?> waiting = [];

    public SemaphoreSlim Lock { get; } = new(1, 1);

    public bool IsRunning(string job)
    {
        lock (sync)
            return running.ContainsKey(job);
    }

    /// <summary>
    /// Marks a run as started (it then waits for <see cref="Lock"/>); false when <paramref name="skipIfRunning"/>
    /// and the same job already runs: a scheduled run is skipped rather than queued behind a long one.
    /// </summary>
    public bool TryStart(string job, bool skipIfRunning)
    {
        lock (sync)
        {
            waiting.Remove(job);
            if (skipIfRunning && running.ContainsKey(job))
                return false;
            running[job] = running.GetValueOrDefault(job) + 1;
            return true;
        }
    }

    public void Finished(string job)
    {
        lock (sync)
        {
            if (running.TryGetValue(job, out var count) && count > 1)
                running[job] = count - 1;
            else
                running.Remove(job);
        }
    }

    /// <summary>
    /// Reserves a run of the job unless it runs or a run of it still waits; <paramref name="stillWaiting"/>
    /// tells whether the Hangfire job recorded for an earlier request is still queued.
    /// </summary>
    public bool TryReserve(string job, Func<string, bool> stillWaiting)
    {
        lock (sync)
        {
            if (running.ContainsKey(job))
                return false;
            if (waiting.TryGetValue(job, out var id) && (id is null || stillWaiting(id)))
                return false;
            waiting[job] = null;
            return true;
        }
    }

    /// <summary>The reserved run is in Hangfire's queue under this id.</summary>
    public void Queued(string job, string id)
    {
        lock (sync)
        {
            if (waiting.ContainsKey(job))
                waiting[job] = id;
        }
    }

    /// <summary>A reservation that never reached Hangfire.</summary>
    public void Withdraw(string job)
    {
        lock (sync)
            waiting.Remove(job);
    }

    /// <summary>The Hangfire id of a run waiting to start, if any.</summary>
    public string? WaitingId(string job)
    {
        lock (sync)
            return waiting.GetValueOrDefault(job);
    }
}
