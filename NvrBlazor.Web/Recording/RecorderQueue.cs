using System.Threading.Channels;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Recording;

/// <summary>The bytes all recorder queues may hold together (Nvr:Recording:TotalQueueMaxMb): many cameras falling behind at once cannot exhaust memory.</summary>
public sealed class RecorderQueueBudget(long maxBytes)
{
    private long used;

    public long MaxBytes => maxBytes;
    public long Used => Interlocked.Read(ref used);

    public bool TryTake(long bytes)
    {
        if (Interlocked.Add(ref used, bytes) <= maxBytes)
            return true;
        Interlocked.Add(ref used, -bytes);
        return false;
    }

    public void Give(long bytes) => Interlocked.Add(ref used, -bytes);
}

/// <summary>
/// A frame queue that never blocks the camera and never drops silently: bounded in bytes, by its own limit
/// and by the budget shared by all recorders; the first refused frame calls <c>onOverflow</c> at once (on
/// the camera's thread) and the recorder is told again by <see cref="TakeOverflow"/>.
/// </summary>
internal sealed class RecorderQueue(long maxBytes, RecorderQueueBudget budget, RecorderStatus counters, Action onOverflow) : IFrameSink
{
    private readonly Channel<LiveFrame> channel =
        Channel.CreateUnbounded<LiveFrame>(new() { SingleReader = true });
    private long bytes;
    private int overflowed;

    public long Bytes => Interlocked.Read(ref bytes);

    public void Offer(LiveFrame frame)
    {
        if (Interlocked.Add(ref bytes, frame.Jpeg.Length) > maxBytes || !budget.TryTake(frame.Jpeg.Length))
        {
            Interlocked.Add(ref bytes, -frame.Jpeg.Length);
            Interlocked.Increment(ref counters.DroppedFrames);
            if (Interlocked.Exchange(ref overflowed, 1) == 0)
                onOverflow();
            return;
        }
        channel.Writer.TryWrite(frame);
    }

    public bool TryRead(out LiveFrame frame)
    {
        if (!channel.Reader.TryRead(out frame!))
            return false;
        Interlocked.Add(ref bytes, -frame.Jpeg.Length);
        budget.Give(frame.Jpeg.Length);
        return true;
    }

    /// <summary>Empties the queue (the recorder stopped, or its clip failed): the frames are counted as dropped by the recorder.</summary>
    public long Discard()
    {
        var discarded = 0L;
        while (TryRead(out var frame))
        {
            discarded += frame.Jpeg.Length;
            Interlocked.Increment(ref counters.DroppedFrames);
        }
        return discarded;
    }

    /// <summary>True once after frames were refused for lack of room.</summary>
    public bool TakeOverflow() => Interlocked.Exchange(ref overflowed, 0) == 1;
}
