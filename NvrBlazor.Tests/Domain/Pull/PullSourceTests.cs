using NvrBlazor.Domain.Pull;

namespace NvrBlazor.Tests.Domain.Pull;

public class PullSourceTests
{
    [Fact]
    public void A_login_typed_into_the_URL_is_moved_out_of_it()
    {
        var input = PullSource.Parse(PullKind.Rtsp, "rtsp://admin:p%40ss:word@192.168.1.60:554/stream1", 5, null, null, null);
        Assert.Null(input.Problem);
        Assert.Equal("rtsp://192.168.1.60:554/stream1", input.Source!.Url);
        Assert.Equal("admin", input.User);
        Assert.Equal("p@ss:word", input.Password);
        Assert.Equal("rtsp://admin:p%40ss%3Aword@192.168.1.60:554/stream1", input.Source.UrlWith(input.User, input.Password));
    }

    [Fact]
    public void Typed_fields_win_over_the_URL_and_no_login_leaves_the_URL_alone()
    {
        var input = PullSource.Parse(PullKind.Mjpeg, "http://old:old@cam.local:81/stream", null, null, "viewer", "secret");
        Assert.Equal(("viewer", "secret"), (input.User, input.Password));
        Assert.Equal("http://cam.local:81/stream", input.Source!.Url);
        Assert.Equal(PullSource.DefaultFps, input.Source.Fps);
        var plain = PullSource.Parse(PullKind.Snapshot, " http://cam.local/snap.jpg ", 2, null, "", "");
        Assert.Equal(("http://cam.local/snap.jpg", (string?)null, (string?)null), (plain.Source!.Url, plain.User, plain.Password));
        Assert.Equal("http://cam.local/snap.jpg", plain.Source.UrlWith(null, null));
        Assert.Equal(TimeSpan.FromMilliseconds(500), plain.Source.Interval);
    }

    [Theory]
    [InlineData(PullKind.Mjpeg, "", 10, null, "URL: required")]
    [InlineData(PullKind.Mjpeg, "cam.local/stream", 10, null, "is not an absolute address")]
    [InlineData(PullKind.Mjpeg, "rtsp://cam.local/stream", 10, null, "starts with http:// or https:// (got rtsp://)")]
    [InlineData(PullKind.Rtsp, "http://cam.local/stream", 10, null, "starts with rtsp:// or rtsps://")]
    [InlineData(PullKind.Snapshot, "http://cam.local/a.jpg", 0, null, "Frames per second: between 0.1 and 30 (got 0)")]
    [InlineData(PullKind.Snapshot, "http://cam.local/a.jpg", 31, null, "(got 31)")]
    [InlineData(PullKind.Rtsp, "rtsp://cam.local/s", 5, 333, "Width: an even number")]
    [InlineData(PullKind.Mjpeg, "http://cam.local/s", 5, 320, "only an RTSP camera is resized")]
    [InlineData(PullKind.Mjpeg, "http://cam.local/\nstream", 5, null, "control characters")]
    public void Bad_settings_are_refused_naming_what_is_wrong(PullKind kind, string url, double fps, int? width, string problem)
    {
        var input = PullSource.Parse(kind, url, fps, width, null, null);
        Assert.Null(input.Source);
        Assert.Contains(problem, input.Problem);
    }

    [Fact]
    public void A_user_with_a_colon_is_refused()
    {
        Assert.Contains("no ':' in the user", PullSource.Parse(PullKind.Mjpeg, "http://cam/s", 5, null, "a:b", "c").Problem);
    }
}

public class FrameSpacingTests
{
    private static int Taken(double sourceFps, double cap, double seconds, double jitterMs = 0)
    {
        var spacing = new FrameSpacing(TimeSpan.FromSeconds(1 / cap));
        var start = DateTimeOffset.UnixEpoch;
        var random = new Random(7);
        var taken = 0;
        for (var i = 0; i < sourceFps * seconds; i++)
        {
            var at = start + TimeSpan.FromSeconds(i / sourceFps) + TimeSpan.FromMilliseconds((random.NextDouble() - 0.5) * 2 * jitterMs);
            if (spacing.TryTake(at))
                taken++;
        }
        return taken;
    }

    [Fact]
    public void A_faster_source_is_brought_down_to_the_cap() => Assert.InRange(Taken(25, 10, 10), 99, 101);

    [Fact]
    public void A_source_at_the_cap_with_network_jitter_loses_nothing() => Assert.Equal(100, Taken(10, 10, 10, jitterMs: 15));

    [Fact]
    public void A_slower_source_loses_nothing() => Assert.Equal(50, Taken(5, 10, 10));

    [Fact]
    public void Frames_come_evenly_not_in_bursts()
    {
        var spacing = new FrameSpacing(TimeSpan.FromMilliseconds(100));
        var start = DateTimeOffset.UnixEpoch;
        var times = Enumerable.Range(0, 250).Select(i => start + TimeSpan.FromMilliseconds(i * 40)).Where(spacing.TryTake).ToList();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        Assert.All(gaps, gap => Assert.InRange(gap, 80, 120));
    }
}
