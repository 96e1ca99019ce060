using System.Collections.Specialized;
using NvrBlazor.Web.Recording;
using Quartz;
using Quartz.Impl;
using Quartz.Spi;

namespace NvrBlazor.Web.Retention;

/// <summary>A housekeeping job as the Jobs page and the API describe it; Schedule is null when it runs only when asked.</summary>
public sealed record JobDefinition(string Name, string Description, string? Schedule, Type Type);

public enum RunRequest { Started, AlreadyRunning, Unknown }

/// <summary>
/// Quartz.NET in-process (RAM job store): starts with the app, schedules each housekeeping job by its cron
/// expression, runs reconcile once at startup, runs retention at once when the recorder runs short of
/// space, and runs a job when an admin asks. Quartz creates jobs through <see cref="IJobFactory"/>,
/// which resolves them from dependency injection.
/// </summary>
public sealed partial class JobScheduler(
    IServiceProvider services, RetentionOptions options, HousekeepingGate gate, JobHistory history, DiskSpaceGuard disk,
    ILoggerFactory loggers, ILogger<JobScheduler> logger) : IHostedService, IJobFactory
{
    private IScheduler? scheduler;

    public IReadOnlyList<JobDefinition> Jobs { get; } =
    [
        new(RetentionJob.JobName, "Deletes clips by age, by each camera's size limit, by the total size limit and to keep the disk's minimum free space; stops cameras set to stop recording at a limit.",
            options.RetentionSchedule, typeof(RetentionJob)),
        new(ReconcileJob.JobName, "Makes the clip index and the recordings folder agree: removes rows whose file is gone, indexes files without a row, repairs or sets aside unfinished files, removes empty folders. Also runs at startup.",
            options.ReconcileSchedule, typeof(ReconcileJob)),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Quartz.Logging.LogContext.SetCurrentLogProvider(loggers);
        // A name of its own: Quartz keeps schedulers by name per process, and tests run several apps in one.
        var factory = new StdSchedulerFactory(new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = $"NvrBlazor-{Guid.NewGuid():N}",
            ["quartz.threadPool.maxConcurrency"] = "2",
        });
        scheduler = await factory.GetScheduler(cancellationToken);
        scheduler.JobFactory = this;
        await history.CloseInterruptedAsync(cancellationToken);
        foreach (var job in Jobs)
        {
            var detail = JobBuilder.Create(job.Type).WithIdentity(job.Name).StoreDurably().Build();
            await scheduler.AddJob(detail, replace: true, cancellationToken);
            if (job.Schedule is null)
                continue;
            await scheduler.ScheduleJob(TriggerBuilder.Create().WithIdentity($"{job.Name}-schedule").ForJob(detail)
                .WithCronSchedule(job.Schedule, cron => cron.WithMisfireHandlingInstructionDoNothing())
                .UsingJobData(HousekeepingJob.TriggerKey, nameof(JobTrigger.Schedule)).Build(), cancellationToken);
        }
        await scheduler.Start(cancellationToken);
        if (options.ReconcileSchedule is not null)
            await RunAsync(ReconcileJob.JobName, JobTrigger.Startup, null);
        disk.LowSpace += OnLowSpace;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        disk.LowSpace -= OnLowSpace;
        if (scheduler is null)
            return;
        foreach (var running in await scheduler.GetCurrentlyExecutingJobs(cancellationToken))
            await scheduler.Interrupt(running.JobDetail.Key, cancellationToken);
        await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
    }

    /// <summary>Runs a job now, off its schedule; refused while it runs or waits to run.</summary>
    public async Task<RunRequest> RunAsync(string name, JobTrigger trigger, string? requestedBy)
    {
        if (scheduler is null || Jobs.All(j => j.Name != name))
            return RunRequest.Unknown;
        if (!gate.TryRequest(name))
            return RunRequest.AlreadyRunning;
        var data = new JobDataMap();
        data[HousekeepingJob.TriggerKey] = trigger.ToString();
        if (requestedBy is not null)
            data[HousekeepingJob.RequestedByKey] = requestedBy;
        try
        {
            await scheduler.TriggerJob(new JobKey(name), data);
        }
        catch
        {
            gate.Withdraw(name);
            throw;
        }
        return RunRequest.Started;
    }

    public async Task<DateTimeOffset?> NextRunAsync(string name, CancellationToken cancellationToken)
    {
        if (scheduler is null)
            return null;
        var triggers = await scheduler.GetTriggersOfJob(new JobKey(name), cancellationToken);
        return triggers.OfType<ICronTrigger>().Select(t => t.GetNextFireTimeUtc()).Where(t => t is not null).Min();
    }

    public bool IsRunning(string name) => gate.IsRunning(name);

    IJob IJobFactory.NewJob(TriggerFiredBundle bundle, IScheduler scheduler) => (IJob)services.GetRequiredService(bundle.JobDetail.JobType);

    void IJobFactory.ReturnJob(IJob job)
    {
    }

    private async void OnLowSpace()
    {
        try
        {
            if (await RunAsync(RetentionJob.JobName, JobTrigger.LowSpace, null) == RunRequest.Started)
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
}
