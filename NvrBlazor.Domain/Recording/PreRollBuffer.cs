namespace NvrBlazor.Domain.Recording;

/// <summary>
/// The last few seconds of frames before anything happened, so a clip starts before the motion that
/// triggered it. Bounded twice: by age (the pre-roll) and by bytes (a camera that suddenly sends huge
/// frames cannot grow it without limit). Oldest frames leave first.
/// </summary>
public sealed class PreRollBuffer<T>(TimeSpan length, long maxBytes)
{
    private readonly Queue<(DateTimeOffset At, int Bytes, T Item)> frames = new();

    public long Bytes { get; private set; }
    public int Count => frames.Count;

    public void Add(DateTimeOffset at, int bytes, T item)
    {
        frames.Enqueue((at, bytes, item));
        Bytes += bytes;
        while (frames.Count > 0 && (at - frames.Peek().At > length || Bytes > maxBytes))
            Bytes -= frames.Dequeue().Bytes;
    }

    /// <summary>Everything held, oldest first, and the buffer emptied (the frames now belong to a clip).</summary>
    public IReadOnlyList<(DateTimeOffset At, T Item)> TakeAll()
    {
        var all = frames.Select(f => (f.At, f.Item)).ToList();
        frames.Clear();
        Bytes = 0;
        return all;
    }
}
