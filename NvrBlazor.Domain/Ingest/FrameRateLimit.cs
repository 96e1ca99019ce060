namespace NvrBlazor.Domain.Ingest;

/// <summary>
/// Per-camera token bucket: at most <c>maxFps</c> frames a second on average, with a one-second
/// burst. Frames over it are dropped (and counted by the caller), never queued: a flooding camera
/// cannot slow ingest for the others. Time is passed in.
/// </summary>
public sealed class FrameRateLimit(double maxFps)
{
    private readonly double capacity = Math.Max(1, maxFps);
    private double tokens = Math.Max(1, maxFps);
    private long lastTicks;

    public bool TryTake(DateTimeOffset now)
    {
        if (maxFps <= 0)
            return true;
        var ticks = now.UtcTicks;
        if (lastTicks != 0)
            tokens = Math.Min(capacity, tokens + ((ticks - lastTicks) / (double)TimeSpan.TicksPerSecond * maxFps));
        lastTicks = ticks;
        if (tokens < 1)
            return false;
        tokens -= 1;
        return true;
    }
}

/// <summary>
/// Lets one log line through per key and interval and counts the rest, so that a camera sending
/// garbage a hundred times a second produces one line a minute saying how many.
/// </summary>
public sealed class OncePerInterval(TimeSpan interval)
{
    private readonly Dictionary<string, (DateTimeOffset Last, int Suppressed)> seen = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool Allow(string key, DateTimeOffset now, out int suppressed)
    {
        lock (gate)
        {
            if (seen.TryGetValue(key, out var entry) && now - entry.Last < interval)
            {
                seen[key] = (entry.Last, entry.Suppressed + 1);
                suppressed = 0;
                return false;
            }
            suppressed = entry.Suppressed;
            seen[key] = (now, 0);
            if (seen.Count > 10_000)
                seen.Clear(); // bounded: thousands of distinct addresses must not grow this without limit
            return true;
        }
    }
}
