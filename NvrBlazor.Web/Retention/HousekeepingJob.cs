using Quartz;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// What every housekeeping job shares: one at a time across all jobs (retention and reconcile both move
/// files and rows), a row in the job history for each run with its trigger, figures and error, and no
/// exception ever escaping to the scheduler: a failed run is recorded and the next runs on schedule.
/// </summary>
[DisallowConcurrentExecution]
public abstract partial class HousekeepingJob(JobHistory history, HousekeepingGate gate, ILogger logger) : IJob
{
    public const string TriggerKey = "trigger";
    public const string RequestedByKey = "requestedBy";

    public abstract string Name { get; }

    protected JobHistory History => history;

    protected abstract Task<JobResult> RunAsync(CancellationToken cancellationToken);

    public async Task Execute(IJobExecutionContext context)
    {
        var trigger = Enum.TryParse<JobTrigger>(context.MergedJobDataMap.GetString(TriggerKey), out var t) ? t : JobTrigger.Schedule;
        var requestedBy = context.MergedJobDataMap.GetString(RequestedByKey);
        var cancellationToken = context.CancellationToken;
        await gate.Lock.WaitAsync(cancellationToken);
        JobRun? run = null;
        try
        {
            gate.Started(Name);
            run = await history.StartAsync(Name, trigger, requestedBy, cancellationToken);
            var result = await RunAsync(cancellationToken);
            await history.FinishAsync(run, result.Error is null ? JobOutcome.Succeeded : JobOutcome.Partial, result);
            // A scheduled run that changed nothing is not news (retention runs 144 times a day).
            if (trigger == JobTrigger.Schedule && result.ClipsDeleted == 0 && result.Error is null && !result.Noteworthy)
                LogQuiet(logger, Name, result.Summary);
            else
                LogFinished(logger, Name, trigger, result.Summary, result.Error ?? "none");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (run is not null)
                await TryAsync(() => history.FinishAsync(run, JobOutcome.Failed, new JobResult(0, 0, "", "the server stopped during this run")));
        }
        catch (Exception e)
        {
            LogFailed(logger, Name, e);
            if (run is not null)
                await TryAsync(() => history.FinishAsync(run, JobOutcome.Failed, new JobResult(0, 0, "", $"{e.GetType().Name}: {e.Message}")));
        }
        finally
        {
            gate.Finished(Name);
            gate.Lock.Release();
        }
    }

    private async Task TryAsync(Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e)
        {
            LogHistoryFailed(logger, Name, e.Message);
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Job {Job} ({Trigger}) finished: {Summary} Errors: {Error}")]
    private static partial void LogFinished(ILogger logger, string job, JobTrigger trigger, string summary, string error);

    [LoggerMessage(EventId = 703, Level = LogLevel.Debug, Message = "Job {Job} (schedule) finished: {Summary}")]
    private static partial void LogQuiet(ILogger logger, string job, string summary);

    [LoggerMessage(EventId = 701, Level = LogLevel.Error, Message = "Job {Job} failed; it runs again at its next scheduled time.")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);

    [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "Job {Job}: its run could not be written to the job history: {Error}")]
    private static partial void LogHistoryFailed(ILogger logger, string job, string error);
}

/// <summary>One housekeeping job at a time, and which one runs now (for "Run now" and the Jobs page).</summary>
public sealed class HousekeepingGate
{
    private readonly Lock sync = new();
    private readonly HashSet<string> running = [];
    private readonly HashSet<string> requested = [];

    public SemaphoreSlim Lock { get; } = new(1, 1);

    public bool IsRunning(string job)
    {
        lock (sync)
            return running.Contains(job);
    }

    /// <summary>Marks a run as asked for; false when one is already running or waiting to start.</summary>
    public bool TryRequest(string job)
    {
        lock (sync)
            return !running.Contains(job) && requested.Add(job);
    }

    /// <summary>A request that never reached the scheduler.</summary>
    public void Withdraw(string job)
    {
        lock (sync)
            requested.Remove(job);
    }

    public void Started(string job)
    {
        lock (sync)
        {
            requested.Remove(job);
            running.Add(job);
        }
    }

    public void Finished(string job)
    {
        lock (sync)
            running.Remove(job);
    }
}
