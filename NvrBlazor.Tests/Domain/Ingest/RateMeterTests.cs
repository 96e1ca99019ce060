using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public class RateMeterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ten_frames_a_second_of_30_KB_measure_as_10_fps_and_2400_kbit_per_second()
    {
        var meter = new RateMeter();
        for (var i = 0; i < 50; i++)
            meter.Add(Start.AddMilliseconds(i * 100), 30_000);
        var (fps, kbps) = meter.Measure(Start.AddMilliseconds(4950));
        Assert.InRange(fps, 9.5, 10.5);
        Assert.InRange(kbps, 2280, 2520);
    }

    [Fact]
    public void A_camera_that_stopped_sending_falls_to_zero()
    {
        var meter = new RateMeter();
        for (var i = 0; i < 20; i++)
            meter.Add(Start.AddMilliseconds(i * 100), 1000);
        Assert.Equal(0, meter.Measure(Start.AddSeconds(10)).Fps);
    }
}
