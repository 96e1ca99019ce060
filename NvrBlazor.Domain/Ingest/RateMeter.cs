namespace NvrBlazor.Domain.Ingest;

/// <summary>
/// Frames per second and bits per second over the last <see cref="Window"/>, from arrival times.
/// Fixed memory (a ring of the last 256 arrivals), no allocation per frame; time is passed in.
/// </summary>
public sealed class RateMeter
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private const int Capacity = 256;
    private readonly long[] ticks = new long[Capacity];
    private readonly int[] sizes = new int[Capacity];
    private int next;
    private int count;

    public void Add(DateTimeOffset at, int bytes)
    {
        ticks[next] = at.UtcTicks;
        sizes[next] = bytes;
        next = (next + 1) % Capacity;
        count = Math.Min(count + 1, Capacity);
    }

    public (double Fps, double KilobitsPerSecond) Measure(DateTimeOffset now)
    {
        var since = now.UtcTicks - Window.Ticks;
        var frames = 0;
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var at = (next - 1 - i + Capacity) % Capacity;
            if (ticks[at] <= since)
                break;
            frames++;
            bytes += sizes[at];
        }
        var seconds = Window.TotalSeconds;
        return (frames / seconds, bytes * 8 / 1000.0 / seconds);
    }
}
