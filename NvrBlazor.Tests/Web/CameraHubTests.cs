using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Tests.Web;

/// <summary>The fan-out: no copy per subscriber, a slow subscriber drops its own oldest frames and nobody else's.</summary>
public class CameraHubTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_subscriber_gets_the_same_array_and_a_full_queue_drops_its_oldest_frames()
    {
        var hub = new CameraHub();
        using var link = hub.Connect(new Camera { Id = 1, Name = "cam", State = CameraState.Active }, "10.0.0.5", _ => { }, Start, mayReplaceLive: true, out _)!;
        var live = link.Camera;
        var slowDropped = 0;
        using var slow = live.Subscribe(capacity: 2, () => slowDropped++);
        using var fast = live.Subscribe(capacity: 8);
        var frames = Enumerable.Range(0, 5).Select(i => new LiveFrame(1, [0xFF, 0xD8, (byte)i, 0xFF, 0xD9], null, Start.AddMilliseconds(i * 100))).ToList();
        foreach (var frame in frames)
            link.Publish(frame);

        var fastGot = new List<LiveFrame>();
        while (fast.TryRead(out var frame))
            fastGot.Add(frame);
        var slowGot = new List<LiveFrame>();
        while (slow.TryRead(out var frame))
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
        link.Publish(frames[0]);
        Assert.True(fast.TryRead(out _));
        Assert.False(slow.TryRead(out _));
        await Task.CompletedTask;
    }

    [Fact]
    public void A_subscription_with_a_backlog_keeps_a_burst_of_frames_and_drops_those_older_than_the_backlog_behind_the_newest()
    {
        var hub = new CameraHub();
        using var link = hub.Connect(new Camera { Id = 1, Name = "cam", State = CameraState.Active }, "10.0.0.5", _ => { }, Start, mayReplaceLive: true, out _)!;
        var dropped = 0;
        using var viewer = link.Camera.Subscribe(capacity: 64, () => dropped++, backlog: TimeSpan.FromSeconds(2));
        LiveFrame At(double seconds) => new(1, [0xFF, 0xD8, 0xFF, 0xD9], null, Start.AddSeconds(seconds));

        // A burst (a stalled server catching up, or a reader that fell behind): twelve frames within 2 s all kept.
        var burst = Enumerable.Range(0, 12).Select(i => At(i * 0.1)).ToList();
        burst.ForEach(link.Publish);
        Assert.True(viewer.TryRead(out var first));
        Assert.Same(burst[0], first);

        // 3 s later: what is queued from the burst is more than 2 s behind the newest, so the reader skips to the new frame.
        var late = At(4.2);
        link.Publish(late);
        Assert.True(viewer.TryRead(out var next));
        Assert.Same(late, next);
        Assert.Equal(11, dropped);
        Assert.Equal(11, viewer.Dropped);
        Assert.False(viewer.TryRead(out _));
    }

    [Fact]
    public void The_message_log_keeps_the_last_100_entries()
    {
        var live = new CameraHub().For(new Camera { Id = 2, Name = "cam" });
        for (var i = 0; i < 150; i++)
            live.Messages.AddLog(Start.AddSeconds(i), i % 2 == 0, $"m{i}");
        Assert.Equal(CameraMessages.LogCapacity, live.Log.Count);
        Assert.Equal("m50", live.Log[0].Text);
        Assert.Equal("m149", live.Log[^1].Text);
    }

    [Fact]
    public void A_source_link_owns_the_connection_a_replaced_one_cannot_take_the_camera_offline_and_motion_ends_with_it()
    {
        var hub = new CameraHub();
        var row = new Camera { Id = 3, Name = "gate", State = CameraState.Active, MotionSource = NvrBlazor.Domain.Motion.MotionSource.Camera };
        var closedFirst = new List<string>();
        var first = hub.Connect(row, "10.0.0.7", closedFirst.Add, Start, mayReplaceLive: false, out var refusal)!;
        Assert.Null(refusal);
        var live = first.Camera;
        Assert.True(live.Online);
        Assert.Equal(NvrBlazor.Domain.Motion.MotionSource.Camera, live.MotionSource); // from the row, not set by the recorder
        first.Publish(new LiveFrame(3, [0xFF, 0xD8, 0xFF, 0xD9], null, Start));

        // An ESP32 claiming the camera while it streams is refused; an authenticated source replaces it.
        Assert.Null(hub.Connect(row, "10.0.0.99", _ => { }, Start.AddSeconds(1), mayReplaceLive: false, out refusal));
        Assert.Contains("refused a second connection from 10.0.0.99", refusal);
        var second = hub.Connect(row, "10.0.0.8", _ => { }, Start.AddSeconds(2), mayReplaceLive: true, out _)!;
        Assert.Equal(["replaced by a new connection from the same camera"], closedFirst);
        second.ReportMotion(true, Start.AddSeconds(3));
        Assert.True(live.Motion);

        first.Dispose(); // the replaced connection ends late: the camera stays online, its motion stays
        Assert.True(live.Online);
        Assert.True(live.Motion);
        second.Dispose();
        Assert.False(live.Online);
        Assert.False(live.Motion);
        Assert.Equal(1, live.MotionStarts);
    }
}
