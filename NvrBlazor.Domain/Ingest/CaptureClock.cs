namespace NvrBlazor.Domain.Ingest;

/// <summary>
/// When a camera's frame was taken, on the server's clock, from the camera's own timestamp and the
/// frame's arrival. A camera clock is offset from ours (wrong time zone, never set) and a network
/// delivers frames late and in bursts; the arrival time alone would record a burst as one instant and
/// the gap before it as a frozen picture. The offset between the clocks is the smallest
/// <c>arrival - camera time</c> seen (the least delayed frame), allowed to rise by 1 ms per second so a
/// camera clock running slow is followed; a jump of more than 10 s (a camera reboot, a clock set) starts
/// over. Timestamps with a coarse resolution (the ESP32's whole seconds) only bound the time: within its
/// second a frame keeps its arrival time unless it came later than that second, then it is placed at
/// the second's end. Times never go backwards and never past the arrival.
/// </summary>
public sealed class CaptureClock(TimeSpan resolution)
{
    public static readonly TimeSpan Esp32Resolution = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MillisecondResolution = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan JumpLimit = TimeSpan.FromSeconds(10);
    private const double RisePerSecond = 0.001;

    private TimeSpan? offset;
    private DateTimeOffset lastArrival;
    private DateTimeOffset last = DateTimeOffset.MinValue;

    public DateTimeOffset CapturedAt(long? cameraTimeMs, DateTimeOffset arrival)
    {
        var at = arrival;
        if (cameraTimeMs is { } ms)
        {
            var camera = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            var raw = arrival - camera;
            if (offset is not { } known || (raw - known).Duration() > JumpLimit)
                offset = raw;
            else
                offset = Min(known + (arrival - lastArrival) * RisePerSecond, raw);
            var earliest = camera + offset.Value;
            var latest = earliest + resolution - MillisecondResolution;
            at = arrival < earliest ? earliest : arrival > latest ? latest : arrival;
        }
        lastArrival = arrival;
        if (at < last)
            at = last;
        if (at > arrival)
            at = arrival;
        last = at;
        return at;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
