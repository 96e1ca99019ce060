using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>Its own server with low limits (5 fps per camera, 5 connects then 1 per second per address).</summary>
public sealed class FloodServerFixture : IAsyncLifetime
{
    public IngestServerFixture Ingest { get; } = new(new Dictionary<string, string>
    {
        ["Nvr__Ingest__MaxFps"] = "5",
        ["Nvr__Ingest__ConnectBurst"] = "5",
        ["Nvr__Ingest__ConnectsPerSecond"] = "1",
    });

    public Task InitializeAsync() => Ingest.InitializeAsync();
    public Task DisposeAsync() => Ingest.DisposeAsync();
}

public class IngestFloodTests(FloodServerFixture flood) : IClassFixture<FloodServerFixture>
{
    private IngestServerFixture Fixture => flood.Ingest;

    private static long Counter(JsonElement camera, string name) => camera.GetProperty("counters").GetProperty(name).GetInt64();

    [Fact]
    public async Task A_flood_above_max_fps_is_dropped_and_counted_so_every_frame_is_accounted_for()
    {
        await using var healthy = new FakeEsp32Camera("flood-fps-neighbour");
        await healthy.ConnectAsync(Fixture.Server.BaseUri);
        var streaming = healthy.StreamAsync(4, TimeSpan.FromSeconds(3), jpegBytes: 5_000);
        await using var flooder = new FakeEsp32Camera("flood-fps");
        await flooder.ConnectAsync(Fixture.Server.BaseUri);
        for (var i = 0; i < 60; i++)
            await flooder.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(2_000, i));
        await Fixture.CameraWhenAsync("flood-fps",
            c => Counter(c, "framesReceived") + Counter(c, "droppedOverMaxFps") == 60, "received + dropped = sent");
        Assert.Equal(WebSocketState.Open, flooder.State);
        await streaming;
        await Fixture.CameraWhenAsync("flood-fps-neighbour", c => Counter(c, "framesReceived") == healthy.FramesSent, "every neighbour frame");
        Assert.InRange(healthy.FramesSent, 8, 13); // loose floor: see WithHealthyNeighbourAsync
        Assert.Equal(0, Counter(await Fixture.CameraAsync("flood-fps-neighbour"), "droppedOverMaxFps"));
        using (var health = await Fixture.Admin.GetAsync("/healthz"))
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var camera = await Fixture.CameraWhenAsync("flood-fps",
            c => Counter(c, "framesReceived") + Counter(c, "droppedOverMaxFps") == 60, "received + dropped = sent");
        Assert.InRange(Counter(camera, "framesReceived"), 5, 20);
        Assert.True(Counter(camera, "droppedOverMaxFps") >= 40);
        Assert.Contains("Nvr:Ingest:MaxFps", Fixture.Server.Output);
    }

    [Fact]
    public async Task Thousands_of_connects_from_one_address_get_429_while_a_connected_camera_keeps_its_rate()
    {
        await using var healthy = new FakeEsp32Camera("flood-neighbour");
        await healthy.ConnectAsync(Fixture.Server.BaseUri);
        var streaming = healthy.StreamAsync(4, TimeSpan.FromSeconds(5), jpegBytes: 5_000);

        // 300 attempts, from an address of their own (the other test of this class connects from 127.0.0.1 and must
        // not find its allowance spent). Counted, not timed: a CI run under load made only 184 in a 3 s window.
        // The server lets through its burst of 5 and then 1 per second, so that many may open and no more.
        var flood = IPAddress.Parse("127.0.0.66");
        using var invoker = new HttpMessageInvoker(LocalAddress.Handler(flood));
        const int attempts = 300;
        var refused = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{Fixture.Server.HttpPort}/ws"), invoker, CancellationToken.None);
                socket.Abort();
            }
            catch (WebSocketException e) when (e.Message.Contains("429", StringComparison.Ordinal))
            {
                refused++;
            }
        }
        var allowed = 5 + (int)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1;
        Assert.True(refused >= attempts - allowed, $"{refused} of {attempts} refused in {clock.Elapsed.TotalSeconds:0.0} s; at most {allowed} may open");

        await streaming;
        await Fixture.CameraWhenAsync("flood-neighbour", c => Counter(c, "framesReceived") == healthy.FramesSent, "every frame of the connected camera");
        Assert.InRange(healthy.FramesSent, 12, 21); // loose floor: see WithHealthyNeighbourAsync
        using var health = await Fixture.Admin.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("Too many camera connection attempts from 127.0.0.66", Fixture.Server.Output);
    }
}
