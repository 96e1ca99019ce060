using NvrBlazor.Domain.Retention;

namespace NvrBlazor.Tests.Domain.Retention;

public sealed class HousekeepingHealthTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    private static IReadOnlyList<string> Problems(JobHealthFacts job, TimeSpan sinceStart) => HousekeepingHealth.Problems([job], Start, Start + sinceStart);

    [Fact]
    public void A_job_whose_last_run_failed_makes_health_degraded_naming_it()
    {
        var problem = Assert.Single(Problems(new JobHealthFacts("reconcile", TimeSpan.FromHours(1), true, Start.AddMinutes(1), null), TimeSpan.FromMinutes(2)));
        Assert.StartsWith("job reconcile: its last run failed at 2026-11-28 08:01:00Z", problem);
    }

    [Fact]
    public void A_job_that_runs_only_when_asked_is_never_late_but_its_failure_counts()
    {
        Assert.Empty(Problems(new JobHealthFacts("retention", null, false, null, null), TimeSpan.FromDays(30)));
        Assert.Single(Problems(new JobHealthFacts("retention", null, true, Start, null), TimeSpan.FromDays(30)));
    }

    [Fact]
    public void A_scheduled_job_is_late_after_two_intervals_from_its_last_completed_run_or_the_start()
    {
        var neverRan = new JobHealthFacts("retention", TenMinutes, false, null, null);
        Assert.Empty(Problems(neverRan, TimeSpan.FromMinutes(19)));
        Assert.Equal("job retention: no completed run in the last 20 minutes (none yet)", Assert.Single(Problems(neverRan, TimeSpan.FromMinutes(21))));

        // A server that was off for a week gets its two intervals before its week-old last run counts against it.
        var weekOld = neverRan with { LastCompleted = Start.AddDays(-7) };
        Assert.Empty(Problems(weekOld, TimeSpan.FromMinutes(15)));
        Assert.Single(Problems(weekOld, TimeSpan.FromMinutes(25)));

        var ranRecently = neverRan with { LastCompleted = Start.AddMinutes(30) };
        Assert.Empty(Problems(ranRecently, TimeSpan.FromMinutes(49)));
        Assert.Contains("(last at 2026-11-28 08:30:00Z)", Assert.Single(Problems(ranRecently, TimeSpan.FromMinutes(51))));
    }
}
