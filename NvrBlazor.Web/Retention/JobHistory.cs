using NvrBlazor.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Web.Retention;

/// <summary>The JobRuns table: a row when a run starts, completed when it ends; runs older than 90 days are pruned by the retention job.</summary>
public sealed class JobHistory(IDbContextFactory<NvrDbContext> contexts, TimeProvider clock, ServerCounters counters, PageUpdates? updates = null, Events.NvrEvents? events = null)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(90);

    public async Task<JobRun> StartAsync(string job, JobTrigger trigger, string? requestedBy, CancellationToken cancellationToken)
    {
        var run = new JobRun { Job = job, Trigger = trigger, RequestedBy = requestedBy, Started = clock.GetUtcNow(), Outcome = JobOutcome.Running };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.JobRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        updates?.Changed(PageTopic.Jobs);
        return run;
    }

    public async Task FinishAsync(JobRun run, JobOutcome outcome, JobResult result)
    {
        run.Ended = clock.GetUtcNow();
        run.Outcome = outcome;
        run.ClipsDeleted = result.ClipsDeleted;
        run.BytesFreed = result.BytesFreed;
        run.Summary = result.Summary.Ellipsis(4000);
        run.Error = result.Error is null ? null : result.Error.Ellipsis(2000);
        await using var db = await contexts.CreateDbContextAsync();
        db.JobRuns.Update(run);
        await db.SaveChangesAsync();
        counters.JobFinished(run.Job, outcome.ToString().ToLowerInvariant());
        updates?.Changed(PageTopic.Jobs);
        if (outcome == JobOutcome.Failed)
            TellFailed(run.Job, run.Error ?? result.Summary);
    }

    /// <summary>A run that failed before it could start (its row is written already closed).</summary>
    public async Task RecordFailureAsync(string job, JobTrigger trigger, string? requestedBy, string error)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync();
        db.JobRuns.Add(new JobRun { Job = job, Trigger = trigger, RequestedBy = requestedBy, Started = now, Ended = now, Outcome = JobOutcome.Failed, Error = error.Ellipsis(2000) });
        await db.SaveChangesAsync();
        counters.JobFinished(job, JobOutcome.Failed.ToString().ToLowerInvariant());
        TellFailed(job, error);
    }

    private void TellFailed(string job, string error) =>
        events?.Publish(new Domain.Notifications.NvrEvent { Kind = Domain.Notifications.EventKinds.JobFailed, At = clock.GetUtcNow(), Message = $"Housekeeping job {job} failed: {error}" });

    /// <summary>The latest run of a job that succeeded, or null.</summary>
    public async Task<JobRun?> LastSucceededAsync(string job, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.JobRuns.AsNoTracking().Where(r => r.Job == job && r.Outcome == JobOutcome.Succeeded).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The latest run of a job that ran to its end, succeeded or partly (some items failed), or null.</summary>
    public async Task<JobRun?> LastCompletedAsync(string job, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.JobRuns.AsNoTracking().Where(r => r.Job == job && (r.Outcome == JobOutcome.Succeeded || r.Outcome == JobOutcome.Partial))
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The latest runs of a job, newest first.</summary>
    public async Task<List<JobRun>> RecentAsync(string job, int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.JobRuns.AsNoTracking().Where(r => r.Job == job).OrderByDescending(r => r.Id).Take(count).ToListAsync(cancellationToken);
    }

    /// <summary>A run still "running" after a restart was cut off by the stop: say so instead of showing it running forever.</summary>
    public async Task CloseInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.JobRuns.Where(r => r.Outcome == JobOutcome.Running).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Outcome, JobOutcome.Failed)
            .SetProperty(r => r.Ended, r => r.Started)
            .SetProperty(r => r.Error, "the server stopped during this run"), cancellationToken);
    }

    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - KeptFor;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.JobRuns.Where(r => r.Started < before).ExecuteDeleteAsync(cancellationToken);
    }
}
