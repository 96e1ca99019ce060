namespace NvrBlazor.Domain.Retention;

/// <summary>
/// What health needs to know of one housekeeping job: its longest gap between scheduled runs (null when
/// it runs only when asked), whether its latest finished run failed, and when it last completed.
/// </summary>
public sealed record JobHealthFacts(string Job, TimeSpan? Interval, bool LastRunFailed, DateTimeOffset? LastFailure, DateTimeOffset? LastCompleted);

/// <summary>
/// When housekeeping makes the server "degraded": a job whose latest run failed, or a scheduled job that
/// has not completed a run within twice its interval, counted from its last completed run or the server's
/// start, whichever is later (so a server that was off for a week is not degraded the moment it starts).
/// </summary>
public static class HousekeepingHealth
{
    public static IReadOnlyList<string> Problems(IEnumerable<JobHealthFacts> jobs, DateTimeOffset serverStarted, DateTimeOffset now)
    {
        var problems = new List<string>();
        foreach (var job in jobs)
        {
            if (job.LastRunFailed)
            {
                problems.Add($"job {job.Job}: its last run failed{At(job.LastFailure)} (Admin > Jobs has the error)");
                continue;
            }
            if (job.Interval is not { } interval)
                continue;
            // Measured from the later of the last completed run and the server's start: a server that was off is given time.
            var allowed = interval * 2;
            var since = job.LastCompleted is { } completed && completed > serverStarted ? completed : serverStarted;
            if (now - since > allowed)
                problems.Add($"job {job.Job}: no completed run in the last {Duration(allowed)}{(job.LastCompleted is { } last ? $" (last at {last:u})" : " (none yet)")}");
        }
        return problems;
    }

    private static string At(DateTimeOffset? at) => at is { } t ? $" at {t:u}" : "";

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 2 ? $"{span.TotalHours:0.#} hours" : $"{span.TotalMinutes:0} minutes";
}
