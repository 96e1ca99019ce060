using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NvrBlazor.Tests.Integration;
using NvrBlazor.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NvrBlazor.Tests.EndToEnd;

/// <summary>Issue 3's "done when": ten ESP32 cameras and two token cameras at 10 fps for a minute.</summary>
public class TwelveCamerasForAMinuteTests(ServerFixture fixture, Browser browser) : IClassFixture<ServerFixture>, IClassFixture<Browser>
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_frame_is_accounted_for_commands_reach_exactly_their_cameras_and_the_page_shows_all_live()
    {
        using var admin = await fixture.AdminAsync();
        var esp32 = Enumerable.Range(0, 10).Select(i => new FakeEsp32Camera($"load-esp-{i:00}")).ToList();
        foreach (var camera in esp32)
            await camera.ConnectAsync(fixture.Server.BaseUri);
        var agents = new List<Agent>();
        for (var i = 0; i < 2; i++)
        {
            using var created = await admin.Http.PostAsJsonAsync("/api/cameras", new { name = $"load-agent-{i}", kind = "agent" });
            var body = await created.Content.ReadFromJsonAsync<JsonElement>();
            agents.Add(await Agent.ConnectAsync(body.GetProperty("camera").GetProperty("id").GetInt32(), body.GetProperty("connectUrl").GetString()!, await TestJpeg.CreateAsync(640, 480)));
        }

        var picture = await TestJpeg.CreateAsync(640, 480);
        var streaming = esp32.Select(c => c.StreamAsync(10, Duration, jpeg: picture)).Concat(agents.Select(a => a.StreamAsync(10, Duration))).ToList();

        // A third of the way in: a command for the first five ESP32 cameras only, and one broadcast.
        await Task.Delay(Duration / 3);
        var cameras = await admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
        int IdOf(string hostName) => cameras.EnumerateArray().Single(c => c.GetProperty("hostName").GetString() == hostName).GetProperty("id").GetInt32();
        foreach (var camera in esp32.Take(5))
            (await admin.Http.PostAsJsonAsync($"/api/cameras/{IdOf(camera.HostName)}/commands", new { command = "lamp=2" })).Dispose();
        using (var broadcast = await admin.Http.PostAsJsonAsync("/api/cameras/commands", new { command = "quality=9" }))
        {
            var queued = (await broadcast.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cameraIds").GetArrayLength();
            Assert.Equal(12, queued);
        }

        // Half way: the Cameras page shows all twelve live.
        await Task.Delay(Duration / 6);
        var (context, page, errors) = await browser.NewPageAsync(1400, 900);
        await using (context)
        {
            await page.GotoAsync($"{fixture.Server.BaseUri}admin/cameras");
            await Browser.SignInAsync(page, ServerFixture.FirstRunAdminName, NvrServer.AdminPassword);
            await Expect(page.GetByTestId("cameras-summary")).ToContainTextAsync("12 of 12 online");
            var fps = page.Locator("[data-testid=camera-fps]");
            await Expect(fps.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"^([7-9]|10|11)\.\d fps$") })).ToHaveCountAsync(12, new() { Timeout = 10_000 });
            await Browser.ScreenshotAsync(page, "e2e-10-twelve-cameras-live");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }

        await Task.WhenAll(streaming);

        // Every frame sent was received (no deliberate drop was needed: all stayed under Nvr:Ingest:MaxFps).
        foreach (var camera in esp32)
            await AssertAllFramesAsync(admin, IdOf(camera.HostName), camera.FramesSent, camera.HostName);
        foreach (var agent in agents)
            await AssertAllFramesAsync(admin, agent.Id, agent.FramesSent, $"agent {agent.Id}");
        Assert.All(esp32, c => Assert.InRange(c.FramesSent, 450, 601)); // received = sent is the claim; this floor only catches a stall

        // Commands: lamp=2 reached cameras 0-4 and no other; the broadcast reached all twelve.
        Assert.All(esp32.Take(5), c => Assert.Equal("2", c.Settings.GetValueOrDefault("lamp")));
        Assert.All(esp32.Skip(5), c => Assert.DoesNotContain(c.CommandsReceived, m => m.Contains("lamp", StringComparison.Ordinal)));
        Assert.All(esp32, c => Assert.Equal("9", c.Settings["quality"]));
        Assert.All(agents, a => Assert.Contains(a.Received, m => m.Contains("quality=9", StringComparison.Ordinal)));
        Assert.All(agents, a => Assert.DoesNotContain(a.Received, m => m.Contains("lamp", StringComparison.Ordinal)));

        foreach (var camera in esp32)
            await camera.DisposeAsync();
        foreach (var agent in agents)
            await agent.DisposeAsync();
    }

    private static async Task AssertAllFramesAsync(NvrClient admin, int id, int sent, string what)
    {
        var camera = await Eventually.ValueAsync(
            async () => (await admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}")).GetProperty("camera").GetProperty("counters"),
            c => c.GetProperty("framesReceived").GetInt64() >= sent, what: $"{what}: {sent} frames");
        Assert.Equal(sent, camera.GetProperty("framesReceived").GetInt64());
        Assert.Equal(0, camera.GetProperty("droppedOverMaxFps").GetInt64());
        Assert.Equal(0, camera.GetProperty("notJpeg").GetInt64());
    }

    /// <summary>A token camera speaking docs/protocol.md: 8-byte big-endian ms time, then the JPEG.</summary>
    private sealed class Agent : IAsyncDisposable
    {
        private readonly ClientWebSocket socket = new();
        private Task? receiving;

        public int Id { get; private init; }
        public int FramesSent { get; private set; }
        public ConcurrentQueue<string> Received { get; } = new();

        private byte[] jpeg = [];

        public static async Task<Agent> ConnectAsync(int id, string url, byte[] jpeg)
        {
            var agent = new Agent { Id = id, jpeg = jpeg };
            await agent.socket.ConnectAsync(new Uri(url), CancellationToken.None);
            agent.receiving = Task.Run(agent.ReceiveAsync);
            return agent;
        }

        public async Task StreamAsync(double fps, TimeSpan duration)
        {
            var message = new byte[8 + jpeg.Length];
            jpeg.CopyTo(message, 8);
            var start = DateTime.UtcNow;
            var next = start;
            while (DateTime.UtcNow - start < duration)
            {
                BinaryPrimitives.WriteInt64BigEndian(message, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await socket.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
                FramesSent++;
                next += TimeSpan.FromSeconds(1 / fps);
                var wait = next - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait);
            }
        }

        private async Task ReceiveAsync()
        {
            var buffer = new byte[4096];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                        return;
                    Received.Enqueue(Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
            catch (WebSocketException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (socket.State == WebSocketState.Open)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            if (receiving is not null)
                await receiving.WaitAsync(TimeSpan.FromSeconds(5));
            socket.Dispose();
        }
    }
}
