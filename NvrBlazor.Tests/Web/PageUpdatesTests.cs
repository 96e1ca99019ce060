using Microsoft.Extensions.Logging.Abstractions;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Shell;

namespace NvrBlazor.Tests.Web;

public class PageUpdatesTests
{
    [Fact]
    public async Task A_burst_of_changes_refreshes_a_page_once_at_once_and_once_after_and_nothing_after_dispose()
    {
        var updates = new PageUpdates(TimeProvider.System, NullLogger<PageUpdates>.Instance);
        var cameras = 0;
        var jobs = 0;
        using var camerasPage = updates.Subscribe(TimeSpan.FromMilliseconds(300), () => { Interlocked.Increment(ref cameras); return Task.CompletedTask; }, PageTopic.Cameras);
        var jobsPage = updates.Subscribe(TimeSpan.FromMilliseconds(300), () => { Interlocked.Increment(ref jobs); return Task.CompletedTask; }, PageTopic.Jobs, PageTopic.Disk);

        for (var i = 0; i < 1000; i++)
            updates.Changed(PageTopic.Cameras);
        // The first change refreshes at once; the other 999 are one more refresh when the interval is over.
        await Eventually.ValueAsync(() => Task.FromResult(Volatile.Read(ref cameras)), n => n == 2, TimeSpan.FromSeconds(5), "two refreshes");
        await Task.Delay(700);
        Assert.Equal(2, Volatile.Read(ref cameras));
        Assert.Equal(0, Volatile.Read(ref jobs)); // another topic

        updates.Changed(PageTopic.Disk);
        await Eventually.ValueAsync(() => Task.FromResult(Volatile.Read(ref jobs)), n => n == 1, TimeSpan.FromSeconds(5), "the jobs page on a disk change");
        jobsPage.Dispose();
        updates.Changed(PageTopic.Jobs);
        await Task.Delay(700);
        Assert.Equal(1, Volatile.Read(ref jobs));
    }

    [Fact]
    public async Task A_failing_refresh_does_not_stop_later_ones()
    {
        var updates = new PageUpdates(TimeProvider.System, NullLogger<PageUpdates>.Instance);
        var calls = 0;
        using var page = updates.Subscribe(TimeSpan.Zero, () => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("circuit gone") : Task.CompletedTask, PageTopic.Jobs);
        updates.Changed(PageTopic.Jobs);
        await Eventually.ValueAsync(() => Task.FromResult(Volatile.Read(ref calls)), n => n == 1, TimeSpan.FromSeconds(5), "first refresh");
        updates.Changed(PageTopic.Jobs);
        await Eventually.ValueAsync(() => Task.FromResult(Volatile.Read(ref calls)), n => n == 2, TimeSpan.FromSeconds(5), "second refresh");
    }
}
