namespace NvrBlazor.Domain.Retention;

/// <summary>How many days of a camera's history the limits allow, and which limit decides it.</summary>
public sealed record HistoryProjection(double Days, RetentionRule Limit);

/// <summary>
/// Projects history from the recent rate of recording. A camera's bytes per day are measured over the
/// last week (or the time since its oldest clip, when shorter, but at least a day). Global limits are
/// shared: the cameras that delete their oldest clips all keep about the same depth of history, so the
/// total budget divided by all cameras' bytes per day is every such camera's horizon.
/// </summary>
public static class RetentionForecast
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public static double BytesPerDay(long bytesInWindow, DateTimeOffset? oldest, DateTimeOffset now)
    {
        if (oldest is not { } first)
            return 0;
        var covered = TimeSpan.FromTicks(Math.Clamp((now - first).Ticks, TimeSpan.FromDays(1).Ticks, Window.Ticks));
        return bytesInWindow / covered.TotalDays;
    }

    /// <summary>
    /// Days of history the global limits allow all cameras together, or null when neither limits them (or nothing records).
    /// The budget is the smaller of the total cap and what the disk can hold above its minimum free share.
    /// </summary>
    public static HistoryProjection? Shared(GlobalLimits limits, DiskSpace? disk, long recordingsBytes, double allBytesPerDay)
    {
        if (allBytesPerDay <= 0)
            return null;
        HistoryProjection? best = null;
        if (limits.MaxTotalBytes is { } total)
            best = new HistoryProjection(total / allBytesPerDay, RetentionRule.TotalSize);
        if (disk is { } space)
        {
            var room = recordingsBytes + space.FreeBytes - limits.MinFreeBytes(space);
            var days = Math.Max(room, 0) / allBytesPerDay;
            if (best is null || days < best.Days)
                best = new HistoryProjection(days, RetentionRule.FreeSpace);
        }
        return best;
    }

    /// <summary>The history one camera keeps: its age limit, its size cap at its rate, or the shared horizon, whichever is shortest.</summary>
    public static HistoryProjection ForCamera(RetentionPolicy policy, double bytesPerDay, HistoryProjection? shared)
    {
        var best = new HistoryProjection(policy.KeepDays, RetentionRule.Age);
        if (policy.MaxBytes is { } cap && bytesPerDay > 0 && cap / bytesPerDay < best.Days)
            best = new HistoryProjection(cap / bytesPerDay, RetentionRule.CameraSize);
        // A camera that stops recording at a global limit keeps what it has; its horizon is still the shared one while it records.
        if (shared is not null && shared.Days < best.Days)
            best = shared;
        return best;
    }
}
