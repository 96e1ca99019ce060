namespace NvrBlazor.Domain.Pull;

/// <summary>
/// Passes at most one frame per interval from a faster source, evenly: a 25 fps stream capped at 10 gives 10 frames a
/// second, one every 100 ms on average, not bursts. A source slower than the cap loses nothing.
/// </summary>
public sealed class FrameSpacing(TimeSpan interval)
{
    private DateTimeOffset? next;

    public bool TryTake(DateTimeOffset now)
    {
        // A quarter interval of slack: a source at the cap itself, with network jitter, loses nothing.
        if (next is not { } due)
        {
            next = now + interval;
            return true;
        }
        if (now < due - interval / 4)
            return false;
        // Keep the schedule (so the average holds) unless the source fell behind it by more than an interval.
        next = now - due > interval ? now + interval : due + interval;
        return true;
    }
}
