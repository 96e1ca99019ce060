using Hangfire;
using Hangfire.Server;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// What Hangfire runs for every housekeeping job, scheduled or asked for: one housekeeping job at a time,
/// a row in the job history for each run with its trigger, who asked, figures and error. A failed run is
/// recorded, logged and handed to Hangfire as failed (no automatic retry: the next scheduled run tries
/// again); a run cut off by the server stopping is recorded as such and is not retried.
/// </summary>
public sealed partial class HousekeepingRunner(IServiceProvider services, HousekeepingJobs jobs, JobHistory history, HousekeepingGate gate, ILogger<HousekeepingRunner> logger)
{
    /// <summary>
    /// Runs <paramref name="job"/>. Hangfire fills <paramref name="context"/> and <paramref name="cancellationToken"/> (the
    /// server's stop); a run created by a signed-in user's request (the dashboard's "Trigger now") carries who asked
    /// as a job parameter (<see cref="RequesterStamp"/>), which makes a scheduled job's run a manual one.
    /// </summary>
    [AutomaticRetry(Attempts = 0, LogEvents = false, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("{0}")]
    public async Task RunAsync(string job, JobTrigger trigger, string? requestedBy, PerformContext? context, CancellationToken cancellationToken)
    {
        var definition = jobs.Find(job) ?? throw new InvalidOperationException($"There is no housekeeping job '{job}'.");
        if (trigger == JobTrigger.Schedule && context?.GetJobParameter<string>(RequesterStamp.Parameter) is { } stamped)
            (requestedBy, trigger) = (stamped, JobTrigger.Manual);
        if (!gate.TryStart(job, skipIfRunning: trigger == JobTrigger.Schedule))
        {
            LogSkipped(logger, job);
            return;
        }
        JobRun? run = null;
        // The gate opens before the run's row says it ended: whoever reads "finished" in the history can ask for the
        // next run at once (the other order answered "already running" for a few milliseconds after the row ended).
        var open = false;
        void Open()
        {
            if (!open)
                gate.Finished(job);
            open = true;
        }
        try
        {
            await gate.Lock.WaitAsync(cancellationToken);
            try
            {
                run = await history.StartAsync(job, trigger, requestedBy, cancellationToken);
                var result = await ((HousekeepingJob)services.GetRequiredService(definition.Type)).RunAsync(cancellationToken);
                Open();
                await history.FinishAsync(run, result.Error is null ? JobOutcome.Succeeded : JobOutcome.Partial, result);
                // A scheduled run that changed nothing is not news (retention runs 144 times a day).
                if (trigger == JobTrigger.Schedule && result.ClipsDeleted == 0 && result.Error is null && !result.Noteworthy)
                    LogQuiet(logger, job, result.Summary);
                else
                    LogFinished(logger, job, trigger, result.Summary, result.Error ?? "none");
            }
            finally
            {
                gate.Lock.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping: the run is closed in the history; Hangfire sees a normal end, so it is not run again at the next start.
            LogStopped(logger, job);
            Open();
            if (run is not null)
                await TryAsync(job, () => history.FinishAsync(run, JobOutcome.Failed, new JobResult(0, 0, "", "the server stopped during this run")));
        }
        catch (Exception e)
        {
            LogFailed(logger, job, e);
            Open();
            if (run is not null)
                await TryAsync(job, () => history.FinishAsync(run, JobOutcome.Failed, new JobResult(0, 0, "", $"{e.GetType().Name}: {e.Message}")));
            else
                await TryAsync(job, () => history.RecordFailureAsync(job, trigger, requestedBy, $"{e.GetType().Name}: {e.Message}"));
            throw;
        }
        finally
        {
            Open();
        }
    }

    private async Task TryAsync(string job, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e)
        {
            LogHistoryFailed(logger, job, e.Message);
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Job {Job} ({Trigger}) finished: {Summary} Errors: {Error}")]
    private static partial void LogFinished(ILogger logger, string job, JobTrigger trigger, string summary, string error);

    [LoggerMessage(EventId = 703, Level = LogLevel.Debug, Message = "Job {Job} (schedule) finished: {Summary}")]
    private static partial void LogQuiet(ILogger logger, string job, string summary);

    [LoggerMessage(EventId = 701, Level = LogLevel.Error, Message = "Job {Job} failed; it runs again at its next scheduled time, or use Run now on Admin > Jobs.")]
    private static partial void LogFailed(ILogger logger, string job, Exception exception);

    [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "Job {Job}: its run could not be written to the job history: {Error}")]
    private static partial void LogHistoryFailed(ILogger logger, string job, string error);

    [LoggerMessage(EventId = 704, Level = LogLevel.Information, Message = "Job {Job}: a scheduled run is skipped because the previous run is still going.")]
    private static partial void LogSkipped(ILogger logger, string job);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "Job {Job} stopped because the server is stopping; it runs again at its next scheduled time.")]
    private static partial void LogStopped(ILogger logger, string job);
}
