using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public class CaptureClockTests
{
    private static readonly DateTimeOffset Server = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    // The camera's clock is 3 h 12 min behind ours: wrong time zone and drift, as in practice.
    private static readonly long CameraStart = (Server - TimeSpan.FromMinutes(192)).ToUnixTimeMilliseconds();

    [Fact]
    public void Frames_arriving_in_bursts_get_back_the_spacing_the_camera_took_them_at()
    {
        var clock = new CaptureClock(CaptureClock.MillisecondResolution);
        var times = new List<DateTimeOffset>();
        // 10 fps; each second's frames arrive together at the end of the second (the last one on time).
        for (var second = 0; second < 30; second++)
        {
            var burstArrives = Server.AddMilliseconds((second * 1000) + 900 + 20);
            for (var i = 0; i < 10; i++)
                times.Add(clock.CapturedAt(CameraStart + (second * 1000) + (i * 100), burstArrives));
        }

        // From the first burst on, every frame sits 100 ms after the one before, 20 ms (the network) after it was taken.
        var spacings = times.Skip(10).Zip(times.Skip(11), (a, b) => (b - a).TotalMilliseconds).ToList();
        Assert.All(spacings, s => Assert.InRange(s, 98, 102));
        Assert.InRange((times[^1] - times[10]).TotalSeconds, 28.85, 28.95); // second 1 frame 0 to second 29 frame 9: 28.9 s of camera time
    }

    [Fact]
    public void Without_a_camera_time_the_arrival_counts()
    {
        var clock = new CaptureClock(CaptureClock.MillisecondResolution);
        Assert.Equal(Server, clock.CapturedAt(null, Server));
        Assert.Equal(Server.AddSeconds(1), clock.CapturedAt(null, Server.AddSeconds(1)));
    }

    [Fact]
    public void Whole_second_timestamps_keep_the_arrival_within_their_second_and_pull_a_late_frame_back_to_its_end()
    {
        var clock = new CaptureClock(CaptureClock.Esp32Resolution);
        var second = CameraStart / 1000 * 1000;
        Assert.Equal(Server, clock.CapturedAt(second, Server)); // the first frame of a second sets the offset
        Assert.Equal(Server.AddMilliseconds(400), clock.CapturedAt(second, Server.AddMilliseconds(400)));
        // A frame of the next second that arrives 2.5 s late is placed at the end of its second, not at its arrival.
        // (Plus the 1 ms per second the offset may rise to follow a slow camera clock: 4 ms over these 4.1 s.)
        var late = clock.CapturedAt(second + 1000, Server.AddMilliseconds(4500));
        Assert.InRange((late - Server).TotalMilliseconds, 1999, 2004);
    }

    [Fact]
    public void Times_never_go_backwards_or_past_the_arrival_and_a_clock_jump_starts_over()
    {
        var clock = new CaptureClock(CaptureClock.MillisecondResolution);
        Assert.Equal(Server, clock.CapturedAt(CameraStart, Server));
        // A camera timestamp going backwards by 50 ms: held at the last time.
        Assert.Equal(Server, clock.CapturedAt(CameraStart - 50, Server.AddMilliseconds(10)));
        // The camera rebooted and its clock now reads 1970 + a little: a new offset, times go on from the arrival.
        Assert.Equal(Server.AddSeconds(5), clock.CapturedAt(42_000, Server.AddSeconds(5)));
        Assert.Equal(Server.AddSeconds(5.1), clock.CapturedAt(42_100, Server.AddSeconds(5.1)));
    }

    [Fact]
    public void A_camera_clock_running_slow_is_followed()
    {
        var clock = new CaptureClock(CaptureClock.MillisecondResolution);
        DateTimeOffset at = default;
        // The camera's clock loses 0.5 ms per second; after an hour it is 1.8 s behind where it started.
        for (var s = 0; s <= 3600; s++)
            at = clock.CapturedAt(CameraStart + (long)(s * 999.5), Server.AddSeconds(s));
        Assert.True((Server.AddSeconds(3600) - at).TotalMilliseconds < 50, $"{(Server.AddSeconds(3600) - at).TotalMilliseconds} ms behind");
    }
}
