using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// A continuous recording right after a camera (re)connects keeps the camera's rate: the clip has no
/// pre-roll to measure it, and the camera's rate meter is still empty (it used to record 10 fps at 3-4 fps).
/// </summary>
public class ContinuousRecordingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_10_fps_camera_recorded_continuously_from_its_connect_keeps_its_rate_and_its_frames_also_after_a_restart()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var server = await NvrServer.StartAsync(RecordingScript.Settings());
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        int? id = null;
        for (var run = 0; run < 2; run++)
        {
            await using var camera = new FakeEsp32Camera("rec-continuous");
            await camera.ConnectAsync(new Uri(server.BaseUri, "ws"));
            id ??= await RecordingScript.CameraIdAsync(admin, camera.HostName);
            if (run == 0)
            {
                await RecordContinuouslyAsync(admin, id.Value);
            }
            // The recorder is there (it answers) before the first frame: the clip starts on a camera with no history.
            await Eventually.ValueAsync(async () => (await admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}")).GetProperty("camera").GetProperty("online").GetBoolean(),
                online => online, what: "the camera online");
            await Task.Delay(2000);

            await RecordingScript.StreamAsync(camera, 10, 30, _ => jpeg);
            await camera.DisposeAsync(); // offline: the clip ends at its last frame
            var clips = await RecordingScript.ClipsWhenAsync(server, id.Value, c => c.Count == run + 1 && c[run].State != ClipRows.Recording, "the continuous clip finished");

            var clip = clips[run];
            var facts = await Media.ProbeAsync(RecordingScript.FullPath(server, clip));
            output.WriteLine($"run {run}: {clip}; ffprobe {facts}; {camera.FramesSent} frames sent");
            Assert.Equal(ClipRows.Complete, clip.State);
            Assert.Equal(10, clip.FrameRate);
            Assert.True(facts.Packets >= 0.95 * camera.FramesSent, $"{facts.Packets} of {camera.FramesSent} frames recorded");
            Assert.InRange(facts.Duration, 29, 31.5); // ends at the last frame, not padded to when the recorder noticed
            if (run == 0)
                await server.RestartAsync();
        }
    }

    [Fact]
    public async Task Frames_that_arrive_in_bursts_are_recorded_at_the_times_the_camera_took_them()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var server = await NvrServer.StartAsync(RecordingScript.Settings());
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        using var created = await admin.Http.PostAsJsonAsync("/api/cameras", new { name = "Bursty agent", kind = "agent" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("camera").GetProperty("id").GetInt32();
        await RecordContinuouslyAsync(admin, id);

        using var agent = new ClientWebSocket();
        await agent.ConnectAsync(new Uri(body.GetProperty("connectUrl").GetString()!), CancellationToken.None);
        await Task.Delay(2000); // its recorder is attached before the first burst
        // 10 fps by the camera's clock (3 h behind ours), delivered a second at a time: each second's ten frames together.
        var cameraStart = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds() + 37;
        var started = DateTime.UtcNow;
        const int seconds = 30;
        for (var second = 0; second < seconds; second++)
        {
            var due = started + TimeSpan.FromSeconds(second + 1);
            if (due - DateTime.UtcNow is { TotalMilliseconds: > 0 } wait)
                await Task.Delay(wait);
            for (var i = 0; i < 10; i++)
            {
                var message = new byte[8 + jpeg.Length];
                BinaryPrimitives.WriteInt64BigEndian(message, cameraStart + (second * 1000) + (i * 100));
                jpeg.CopyTo(message, 8);
                await agent.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        }
        await agent.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        var clip = (await RecordingScript.ClipsWhenAsync(server, id, c => c.Count == 1 && c[0].State != ClipRows.Recording, "the clip finished")).Single();
        var facts = await Media.ProbeAsync(RecordingScript.FullPath(server, clip));
        output.WriteLine($"{clip}; ffprobe {facts}");
        Assert.Equal(ClipRows.Complete, clip.State);
        Assert.Equal(10, clip.FrameRate);
        // The camera took 300 frames over 30.0 s; by arrival they span 29 s and each burst is one instant.
        Assert.InRange(facts.Duration, seconds * 0.98, seconds * 1.02);
        Assert.True(facts.Packets >= 0.95 * seconds * 10, $"{facts.Packets} frames recorded of {seconds * 10}");
    }

    private static async Task RecordContinuouslyAsync(NvrClient admin, int id)
    {
        using var put = await admin.Http.PutAsJsonAsync($"/api/cameras/{id}/recording",
            new { mode = "continuous", motionSource = "camera", sensitivity = 50, minAreaPercent = 1, preRollSeconds = 5, postRollSeconds = 10, maxClipSeconds = 600 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }
}
