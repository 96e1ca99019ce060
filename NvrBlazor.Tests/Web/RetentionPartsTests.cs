using Hangfire.States;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Configuration;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Recording;
using NvrBlazor.Web.Retention;

namespace NvrBlazor.Tests.Web;

public sealed class RetentionPartsTests
{
    [Fact]
    public void A_job_is_never_asked_to_run_twice_at_the_same_time_and_nothing_stays_set()
    {
        var gate = new HousekeepingGate();
        var queued = new HashSet<string>();
        bool StillWaiting(string id) => queued.Contains(id);
        Assert.True(gate.TryReserve("retention", StillWaiting));
        Assert.False(gate.TryReserve("retention", StillWaiting));   // being queued
        gate.Queued("retention", "1");
        queued.Add("1");
        Assert.False(gate.TryReserve("retention", StillWaiting));   // waiting in Hangfire's queue
        Assert.True(gate.TryReserve("reconcile", StillWaiting));    // another job may be asked for
        queued.Remove("1");                                         // Hangfire failed or deleted it before it started
        Assert.True(gate.TryReserve("retention", StillWaiting));    // so Run now works again
        gate.Queued("retention", "2");
        Assert.True(gate.TryStart("retention", skipIfRunning: false));
        Assert.True(gate.IsRunning("retention"));
        Assert.Null(gate.WaitingId("retention"));
        Assert.False(gate.TryReserve("retention", _ => true));      // running
        Assert.False(gate.TryStart("retention", skipIfRunning: true)); // a scheduled run while it runs is skipped
        Assert.True(gate.TryStart("retention", skipIfRunning: false)); // an asked-for one waits its turn
        gate.Finished("retention");
        Assert.True(gate.IsRunning("retention"));
        gate.Finished("retention");
        Assert.False(gate.IsRunning("retention"));
        Assert.True(gate.TryReserve("retention", StillWaiting));
        gate.Withdraw("retention");
        Assert.True(gate.TryReserve("retention", StillWaiting));
    }

    [Theory]
    [InlineData("Nvr:Retention:DefaultDays", "0", "Nvr:Retention:DefaultDays is '0'; it must be a number from 1 to 3650.")]
    [InlineData("Nvr:Retention:MinFreePercent", "95", "Nvr:Retention:MinFreePercent is '95'; it must be a number from 0 to 90.")]
    [InlineData("Nvr:Retention:MaxTotalGb", "lots", "Nvr:Retention:MaxTotalGb is 'lots'")]
    [InlineData("Nvr:Reconcile:Schedule", "0 0 25 * * ?", "Nvr:Reconcile:Schedule is '0 0 25 * * ?', which is not a schedule")]
    [InlineData("Nvr:Retention:Schedule", "30 */5 * * * ?", "Nvr:Retention:Schedule is '30 */5 * * * ?', which is not a schedule: it is a Quartz expression (seconds first) that fires at seconds other than 0")]
    public void Bad_settings_name_themselves(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
        Assert.StartsWith(message, Assert.Throws<StartupException>(() => RetentionOptions.FromConfiguration(configuration)).Message);
    }

    [Fact]
    public void Defaults_and_off()
    {
        var defaults = RetentionOptions.FromConfiguration(new ConfigurationBuilder().Build());
        Assert.Equal((14, null, 5.0), (defaults.DefaultDays, defaults.MaxTotalGb, defaults.MinFreePercent));
        Assert.Equal("*/10 * * * *", defaults.RetentionSchedule!.Expression);
        Assert.Equal("0 * * * *", defaults.ReconcileSchedule!.Expression);
        Assert.Empty(defaults.Warnings);
        var quartz = RetentionOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection([new("Nvr:Retention:Schedule", "0 0/10 * * * ?")]).Build());
        Assert.Equal("0/10 * * * *", quartz.RetentionSchedule!.Expression);
        Assert.StartsWith("Nvr:Retention:Schedule is '0 0/10 * * * ?', an old Quartz expression (seconds first); it is read as the 5-field schedule '0/10 * * * *' (every 10 minutes)",
            Assert.Single(quartz.Warnings));
        var off = RetentionOptions.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(
            [new("Nvr:Retention:Schedule", "OFF"), new("Nvr:Retention:MaxTotalGb", "1.5")]).Build());
        Assert.Null(off.RetentionSchedule);
        Assert.Equal((long)(1.5 * 1024 * 1024 * 1024), off.Limits.MaxTotalBytes);
    }

    [Theory]
    [InlineData("garden-3/2026-11-20/10-05-07.mp4", "2026-11-20T10:05:07")]
    [InlineData("garden-3/2026-11-20/10-05-07-2.mp4", "2026-11-20T10:05:07")]
    [InlineData("garden-3/2026-11-20/clip.mp4", null)]
    [InlineData("loose.mp4", null)]
    public void A_clip_file_says_when_it_started(string path, string? local) =>
        Assert.Equal(local is null ? null : new DateTimeOffset(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture)), ClipFiles.StartOf(path));
}

public sealed class WakingJobQueueTests
{
    [Fact]
    public async Task A_worker_waiting_on_an_empty_queue_takes_a_job_queued_in_this_process_at_once_not_at_the_next_poll()
    {
        using var alone = await InProcessApp.HangfireAloneAsync();
        // The storage's own poll is set to 10 minutes: only the wake-up can hand the job over within the test's wait.
        var options = new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMinutes(10) };
        using var storage = new SQLiteStorage(Path.Combine(TestPaths.NewTempFolder("jobs"), "jobs.db"), options);
        storage.QueueProviders.Add(new WakingJobQueueProvider(options), [EnqueuedState.DefaultQueue]);
        using var worker = storage.GetConnection();
        var fetching = Task.Run(() => worker.FetchNextJob([EnqueuedState.DefaultQueue], CancellationToken.None));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(fetching.IsCompleted); // it found the queue empty and waits

        using (var client = storage.GetConnection())
        using (var transaction = client.CreateWriteTransaction())
        {
            transaction.AddToQueue(EnqueuedState.DefaultQueue, "42");
            transaction.Commit();
        }
        using var fetched = await fetching.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("42", fetched.JobId);
        fetched.RemoveFromQueue();

        // A stopping server's worker still stops waiting at once.
        using var stop = new CancellationTokenSource();
        using var idle = storage.GetConnection();
        var waiting = Task.Run(() => idle.FetchNextJob([EnqueuedState.DefaultQueue], stop.Token));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(waiting.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
