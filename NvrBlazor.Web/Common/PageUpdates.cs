namespace NvrBlazor.Web.Common;

/// <summary>What changed on the server, for the open pages that show it.</summary>
public enum PageTopic
{
    /// <summary>The camera list: added, renamed, approved, disabled, deleted, settings saved, rights changed.</summary>
    Cameras,

    /// <summary>A camera's live figures: connected, disconnected, a frame, a status or log message (many a second).</summary>
    CameraActivity,

    /// <summary>A housekeeping job was asked for, started or finished.</summary>
    Jobs,

    /// <summary>A notification channel was saved or deleted, or a delivery was attempted.</summary>
    Notifications,

    /// <summary>Recording stopped or resumed for lack of disk space.</summary>
    Disk,
}

/// <summary>
/// The one place pages learn that something they show changed (the Aspire dashboard's pattern): a page subscribes
/// to the topics it shows with the longest wait it accepts, and disposes the subscription with itself. Bursts are
/// coalesced: however often a topic changes, a subscriber is called at most once per its interval, and once more
/// after the last change, so nothing is missed. Publishing is cheap enough for the frame path: with nobody
/// subscribed it is one read; with subscribers, one interlocked exchange each.
/// </summary>
public sealed partial class PageUpdates(TimeProvider clock, ILogger<PageUpdates> logger)
{
    private readonly TimeProvider clock = clock;
    private readonly ILogger logger = logger;
    private readonly Lock gate = new();
    private readonly Subscription[][] byTopic = Enum.GetValues<PageTopic>().Select(_ => Array.Empty<Subscription>()).ToArray();

    public IDisposable Subscribe(TimeSpan atMostEvery, Func<Task> refresh, params PageTopic[] topics)
    {
        var subscription = new Subscription(this, topics, atMostEvery, refresh);
        lock (gate)
        {
            foreach (var topic in topics)
                byTopic[(int)topic] = [.. byTopic[(int)topic], subscription];
        }
        return subscription;
    }

    public void Changed(PageTopic topic)
    {
        foreach (var subscription in Volatile.Read(ref byTopic[(int)topic]))
            subscription.Changed();
    }

    private void Remove(Subscription subscription)
    {
        lock (gate)
        {
            foreach (var topic in subscription.Topics)
                byTopic[(int)topic] = byTopic[(int)topic].Where(s => s != subscription).ToArray();
        }
    }

    private sealed class Subscription(PageUpdates owner, PageTopic[] topics, TimeSpan atMostEvery, Func<Task> refresh) : IDisposable
    {
        private int pending;
        private long lastRunTicks;
        private int disposed;

        public PageTopic[] Topics => topics;

        public void Changed()
        {
            if (Volatile.Read(ref disposed) == 0 && Interlocked.Exchange(ref pending, 1) == 0)
                _ = RunAsync();
        }

        private async Task RunAsync()
        {
            try
            {
                var since = owner.clock.GetUtcNow().Ticks - Interlocked.Read(ref lastRunTicks);
                var delay = atMostEvery - TimeSpan.FromTicks(since);
                if (delay > TimeSpan.Zero)
                    await Task.Delay(delay, owner.clock);
                // Cleared before the refresh: a change during it schedules one more.
                Volatile.Write(ref pending, 0);
                Interlocked.Exchange(ref lastRunTicks, owner.clock.GetUtcNow().Ticks);
                if (Volatile.Read(ref disposed) == 0)
                    await refresh();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogRefreshFailed(owner.logger, e);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
                owner.Remove(this);
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "A page's refresh failed; the page shows older figures until the next change.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
