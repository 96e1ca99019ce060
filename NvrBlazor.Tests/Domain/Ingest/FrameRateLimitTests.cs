using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Tests.Domain.Ingest;

public class FrameRateLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_camera_within_its_rate_loses_nothing()
    {
        var limit = new FrameRateLimit(10);
        for (var i = 0; i < 100; i++)
            Assert.True(limit.TryTake(Start.AddMilliseconds(i * 100)));
    }

    [Fact]
    public void A_flood_is_cut_to_the_rate_after_a_one_second_burst()
    {
        var limit = new FrameRateLimit(5);
        var passed = Enumerable.Range(0, 1000).Count(i => limit.TryTake(Start.AddMilliseconds(i * 2))); // 500 fps for 2 s
        Assert.InRange(passed, 14, 16); // 5 burst + 5/s for 2 s
    }

    [Fact]
    public void Zero_means_no_limit()
    {
        var limit = new FrameRateLimit(0);
        Assert.All(Enumerable.Range(0, 100), i => Assert.True(limit.TryTake(Start)));
    }

    [Fact]
    public void Logging_is_let_through_once_per_interval_and_reports_what_it_held_back()
    {
        var once = new OncePerInterval(TimeSpan.FromMinutes(1));
        Assert.True(once.Allow("cam", Start, out var none));
        Assert.Equal(0, none);
        for (var i = 1; i <= 99; i++)
            Assert.False(once.Allow("cam", Start.AddSeconds(i * 0.5), out _));
        Assert.True(once.Allow("other", Start, out _));
        Assert.True(once.Allow("cam", Start.AddMinutes(1), out var held));
        Assert.Equal(99, held);
    }
}
