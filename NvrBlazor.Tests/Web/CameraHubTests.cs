using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Tests.Web;

/// <summary>The fan-out: no copy per subscriber, a slow subscriber drops its own oldest frames and nobody else's.</summary>
public class CameraHubTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_subscriber_gets_the_same_array_and_a_full_queue_drops_its_oldest_frames()
    {
        var live = new CameraHub().For(new Camera { Id = 1, Name = "cam", State = CameraState.Active });
        var slowDropped = 0;
        using var slow = live.Subscribe(capacity: 2, () => slowDropped++);
        using var fast = live.Subscribe(capacity: 8);
        var frames = Enumerable.Range(0, 5).Select(i => new LiveFrame(1, [0xFF, 0xD8, (byte)i, 0xFF, 0xD9], null, Start.AddMilliseconds(i * 100))).ToList();
        foreach (var frame in frames)
            live.Publish(frame);

        var fastGot = new List<LiveFrame>();
        while (fast.Frames.TryRead(out var frame))
            fastGot.Add(frame);
        var slowGot = new List<LiveFrame>();
        while (slow.Frames.TryRead(out var frame))
            slowGot.Add(frame);

        Assert.Equal(frames, fastGot);
        Assert.Equal(frames[3..], slowGot);
        Assert.Same(frames[4].Jpeg, slowGot[^1].Jpeg);
        Assert.Same(fastGot[^1].Jpeg, slowGot[^1].Jpeg);
        Assert.Equal(3, slow.Dropped);
        Assert.Equal(3, slowDropped);
        Assert.Equal(0, fast.Dropped);
        Assert.Same(frames[4], live.LastFrame);

        slow.Dispose();
        live.Publish(frames[0]);
        Assert.True(fast.Frames.TryRead(out _));
        Assert.False(slow.Frames.TryRead(out _));
        await Task.CompletedTask;
    }

    [Fact]
    public void The_message_log_keeps_the_last_100_entries()
    {
        var live = new CameraHub().For(new Camera { Id = 2, Name = "cam" });
        for (var i = 0; i < 150; i++)
            live.AddLog(Start.AddSeconds(i), i % 2 == 0, $"m{i}");
        Assert.Equal(CameraLive.LogCapacity, live.Log.Count);
        Assert.Equal("m50", live.Log[0].Text);
        Assert.Equal("m149", live.Log[^1].Text);
    }
}
