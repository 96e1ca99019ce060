using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using NvrBlazor.Domain.Retention;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Retention;

/// <summary>A housekeeping job as the Jobs page and the API describe it; Schedule is null when it runs only when asked.</summary>
public sealed record JobDefinition(string Name, string Description, CronSchedule? Schedule, Type Type);

public enum RunRequest { Started, AlreadyRunning, Unknown }

/// <summary>
/// The housekeeping jobs on Hangfire (in-process, its own SQLite file). At startup, before Hangfire's server
/// starts: closes runs a killed server left "running", drops Hangfire jobs of ours a killed server left
/// processing or queued, registers each job's recurring schedule (or removes it when "off"), and queues one
/// reconcile. Then queues retention when the recorder runs short of space, and any job an admin asks for.
/// </summary>
public sealed partial class HousekeepingJobs(
    RetentionOptions options, HousekeepingGate gate, JobHistory history, DiskSpaceGuard disk, IBackgroundJobClient client,
    IRecurringJobManager recurring, JobStorage storage, Audit.AuditLog audit, PageUpdates updates, TimeProvider clock, ILogger<HousekeepingJobs> logger) : IHostedService
{
    /// <summary>Hangfire states in which a run of ours has not started (or just started) in this process.</summary>
    private static readonly HashSet<string> WaitingStates = new(StringComparer.OrdinalIgnoreCase)
        { EnqueuedState.StateName, ScheduledState.StateName, AwaitingState.StateName, ProcessingState.StateName };

    public IReadOnlyList<JobDefinition> Jobs { get; } =
    [
        new(RetentionJob.JobName, "Deletes clips by age, by each camera's size limit, by the total size limit and to keep the disk's minimum free space; stops cameras set to stop recording at a limit.",
            options.RetentionSchedule, typeof(RetentionJob)),
        new(ReconcileJob.JobName, "Makes the clip index and the recordings folder agree: removes rows whose file is gone, indexes files without a row, repairs or sets aside unfinished files, removes empty folders. Also runs at startup.",
            options.ReconcileSchedule, typeof(ReconcileJob)),
    ];

    /// <summary>When this server started its housekeeping: health gives a job two intervals from here before calling it late.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    public JobDefinition? Find(string name) => Jobs.FirstOrDefault(j => j.Name == name);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        StartedAt = clock.GetUtcNow();
        foreach (var warning in options.Warnings)
            LogSettingWarning(logger, warning);
        await history.CloseInterruptedAsync(cancellationToken);
        DropLeftovers();
        foreach (var job in Jobs)
        {
            if (job.Schedule is { } schedule)
            {
                var name = job.Name;
                recurring.AddOrUpdate<HousekeepingRunner>(name, runner => runner.RunAsync(name, JobTrigger.Schedule, null, null, CancellationToken.None),
                    schedule.Expression, new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
            }
            else
                recurring.RemoveIfExists(job.Name);
        }
        if (options.ReconcileSchedule is not null)
            Run(ReconcileJob.JobName, JobTrigger.Startup, null);
        disk.LowSpace += OnLowSpace;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        disk.LowSpace -= OnLowSpace;
        return Task.CompletedTask;
    }

    /// <summary>Queues a run now, off its schedule; refused while the job runs or a run of it waits.</summary>
    public RunRequest Run(string name, JobTrigger trigger, string? requestedBy)
    {
        if (Find(name) is null)
            return RunRequest.Unknown;
        if (!gate.TryReserve(name, StillWaiting))
            return RunRequest.AlreadyRunning;
        try
        {
            var id = client.Enqueue<HousekeepingRunner>(runner => runner.RunAsync(name, trigger, requestedBy, null, CancellationToken.None));
            gate.Queued(name, id);
        }
        catch
        {
            gate.Withdraw(name);
            throw;
        }
        // Who asked for a run is in the audit log (the write never fails the request: AuditLog logs its own errors).
        if (trigger == JobTrigger.Manual && requestedBy is not null)
            _ = audit.AdminAsync(requestedBy, AuditAction.JobRun, $"run now: {name}", CancellationToken.None);
        updates.Changed(PageTopic.Jobs);
        return RunRequest.Started;
    }

    public bool IsRunning(string name) => gate.IsRunning(name);

    /// <summary>A run of the job waits in Hangfire's queue (asked for, not started yet).</summary>
    public bool IsWaiting(string name) => gate.WaitingId(name) is { } id && StillWaiting(id);

    /// <summary>Next scheduled runs by job, as Hangfire has them.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset?> NextRuns()
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs(Jobs.Select(j => j.Name))
            .Where(r => !r.Removed)
            .ToDictionary(r => r.Id, r => r.NextExecution is { } next ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : (DateTimeOffset?)null);
    }

    private bool StillWaiting(string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(id)?.Name is { } state && WaitingStates.Contains(state);
    }

    /// <summary>
    /// Runs of ours that Hangfire still has as processing or queued were cut off by a killed server (this
    /// server's Hangfire has not started yet): their history rows are already closed as failed, so they are
    /// deleted instead of being run again half an hour later when Hangfire's fetch times out.
    /// </summary>
    private void DropLeftovers()
    {
        var monitoring = storage.GetMonitoringApi();
        var ours = monitoring.ProcessingJobs(0, 1000).Where(j => j.Value.Job?.Type == typeof(HousekeepingRunner)).Select(j => j.Key)
            .Concat(monitoring.Queues().SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, 1000))
                .Where(j => j.Value.Job?.Type == typeof(HousekeepingRunner)).Select(j => j.Key))
            .Distinct().ToList();
        foreach (var id in ours)
            client.ChangeState(id, new DeletedState { Reason = "left by a previous start of the server" }, null);
        if (ours.Count > 0)
            LogLeftovers(logger, ours.Count);
    }

    private void OnLowSpace()
    {
        try
        {
            if (Run(RetentionJob.JobName, JobTrigger.LowSpace, null) == RunRequest.Started)
                LogLowSpaceRun(logger);
        }
        catch (Exception e)
        {
            LogLowSpaceFailed(logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 730, Level = LogLevel.Warning, Message = "The recorder is short of space: retention runs now.")]
    private static partial void LogLowSpaceRun(ILogger logger);

    [LoggerMessage(EventId = 731, Level = LogLevel.Error, Message = "Retention could not be started for low space: {Error}")]
    private static partial void LogLowSpaceFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 732, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogSettingWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 733, Level = LogLevel.Information, Message = "{Count} housekeeping run(s) left queued or running by the previous start were dropped; their history says so.")]
    private static partial void LogLeftovers(ILogger logger, int count);
}
