using System.Threading.Channels;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// A frame queue that never blocks the camera and never drops silently: bounded in bytes; the first
/// refused frame calls <c>onOverflow</c> at once (on the camera's thread) and the recorder is told again by <see cref="TakeOverflow"/>.
/// </summary>
internal sealed class RecorderQueue(long maxBytes, FrameCounters counters, Action onOverflow) : IFrameSink
{
    private readonly Channel<LiveFrame> channel =
        Channel.CreateUnbounded<LiveFrame>(new() { SingleReader = true });
    private long bytes;
    private int overflowed;

    public long Bytes => Interlocked.Read(ref bytes);

    public void Offer(LiveFrame frame)
    {
        if (Interlocked.Add(ref bytes, frame.Jpeg.Length) > maxBytes)
        {
            Interlocked.Add(ref bytes, -frame.Jpeg.Length);
            Interlocked.Increment(ref counters.DroppedByRecorder);
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
        return true;
    }

    /// <summary>True once after frames were refused for lack of room.</summary>
    public bool TakeOverflow() => Interlocked.Exchange(ref overflowed, 0) == 1;
}
