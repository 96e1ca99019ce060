using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>Nothing silently lost: a killed server, a killed ffmpeg and a full disk, each with its own real server process.</summary>
public class RecordingFailureTests(ITestOutputHelper output)
{
    /// <summary>A server of its own (folders under <paramref name="root"/>), an admin signed in, and a fake ESP32 camera connected and registered.</summary>
    private static async Task<(NvrServer Server, NvrClient Admin, FakeEsp32Camera Camera, int Id)> StartAsync(
        string hostName, string? root = null, params (string, string)[] settings)
    {
        var server = new NvrServer(root, RecordingScript.Settings(settings));
        await server.StartAsync();
        var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var camera = new FakeEsp32Camera(hostName);
        await camera.ConnectAsync(new Uri(server.BaseUri, "ws"));
        return (server, admin, camera, await RecordingScript.CameraIdAsync(admin, hostName));
    }

    /// <summary>Streams in the background until disposed; errors after the server died are expected and ignored.</summary>
    private sealed class Streaming(FakeEsp32Camera camera, Func<int, byte[]> frame) : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private Task? task;

        public void Start() => task = RecordingScript.StreamAsync(camera, 10, 600, frame, cancellationToken: stop.Token);

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await task!;
            }
            catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
            }
        }
    }

    [Fact]
    public async Task Server_killed_mid_clip_leaves_a_playable_indexed_clip_after_restart()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        var (server, admin, camera, id) = await StartAsync("rec-crash");
        await using var _ = server;
        using var __ = admin;
        await using var ___ = camera;
        await using (var streaming = new Streaming(camera, _ => jpeg))
        {
            streaming.Start();
            await Task.Delay(1500);
            Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, id, true));
            var open = (await RecordingScript.ClipsWhenAsync(server, id, c => c.Count == 1, "a clip is recording")).Single();
            Assert.Equal(ClipRows.Recording, open.State);
            // Keyframes (and so fragments) come every 2 s: 7 s of recording leaves several complete fragments.
            await Task.Delay(7000);
            Assert.True(File.Exists(RecordingScript.FullPath(server, open) + ".part"), "the clip is still a .part file");
            await server.KillHardAsync();
        }

        await server.StartAsync();
        var clip = (await RecordingScript.ClipsWhenAsync(server, id, c => c.Count == 1 && c[0].State != ClipRows.Recording, "the clip repaired at startup")).Single();
        output.WriteLine($"after restart: {clip}");
        Assert.Equal(ClipRows.Complete, clip.State);
        Assert.Contains("recovered", clip.Error);
        var file = RecordingScript.FullPath(server, clip);
        Assert.False(File.Exists(file + ".part"));
        var facts = await Media.ProbeAsync(file);
        output.WriteLine($"ffprobe: {facts}");
        Assert.Equal("h264", facts.Codec);
        Assert.InRange(facts.Duration, 4, 10);
        Assert.Equal(facts.Duration, clip.DurationSeconds, 1);
        Assert.NotNull(clip.ThumbnailPath);
    }

    [Fact]
    public async Task Ffmpeg_killed_mid_clip_fails_that_clip_with_the_reason_and_the_next_clip_is_fine()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        var (server, admin, camera, id) = await StartAsync("rec-ffmpeg-dies");
        await using var _ = server;
        using var __ = admin;
        await using var ___ = camera;
        await using var streaming = new Streaming(camera, _ => jpeg);
        streaming.Start();
        Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, id, true));
        await RecordingScript.ClipsWhenAsync(server, id, c => c.Count == 1, "a clip is recording");
        await Task.Delay(5000);

        var ffmpeg = Assert.Single(server.ChildProcesses("ffmpeg"));
        using (var kill = Process.Start("kill", ["-KILL", ffmpeg.ToString()]))
            await kill.WaitForExitAsync();

        // Manual recording was not stopped, so a second clip carries on after the failed one.
        var clips = await RecordingScript.ClipsWhenAsync(server, id, c => c.Count == 2 && c[0].State == ClipRows.Failed, "the first clip failed and a second started");
        output.WriteLine($"failed clip: {clips[0]}");
        Assert.Contains("killed (signal 9)", clips[0].Error);
        Assert.Contains("were kept", clips[0].Error);
        // The clip held its first 3 s to measure the rate (no pre-roll yet), then 5 s: at most 8 s, and ffmpeg's last fragment may be lost.
        Assert.InRange((await Media.ProbeAsync(RecordingScript.FullPath(server, clips[0]))).Duration, 2, 10);

        await Task.Delay(3000);
        Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, id, false));
        clips = await RecordingScript.ClipsWhenAsync(server, id, c => c.Count == 2 && c[1].State != ClipRows.Recording, "the second clip finished");
        output.WriteLine($"next clip: {clips[1]}");
        Assert.Equal(ClipRows.Complete, clips[1].State);
        Assert.Equal(ClipRows.Manual, clips[1].Reason);
        var facts = await Media.ProbeAsync(RecordingScript.FullPath(server, clips[1]));
        Assert.Equal("h264", facts.Codec);
        // From the failure to Stop: its row appears once 3 s of frames have measured the rate, then 3 s more.
        Assert.InRange(facts.Duration, 2, 9);
    }

    [Fact]
    public async Task A_full_disk_stops_recording_with_an_alert_and_it_resumes_when_space_returns()
    {
        var root = TestPaths.NewTempFolder("disk");
        var recordings = Path.Combine(root, "recordings");
        Directory.CreateDirectory(recordings);
        var mounted = await Media.ExitCodeAsync("mount", "-t", "tmpfs", "-o", "size=100m", "tmpfs", recordings) == 0;
        output.WriteLine(mounted ? "recordings on a 100 MB tmpfs" : "tmpfs not allowed here: Nvr:Recording:MinFreeMb above the free space instead");
        try
        {
            if (mounted)
                await FillThenFreeAsync(root, recordings);
            else
                await MinFreeAboveFreeSpaceAsync(root);
        }
        finally
        {
            if (mounted)
                await Media.ExitCodeAsync("umount", "-l", recordings);
        }
    }

    /// <summary>A real ENOSPC: the tmpfs is filled to 3 MB free, a noisy camera records until ffmpeg cannot write.</summary>
    private async Task FillThenFreeAsync(string root, string recordings)
    {
        var filler = Path.Combine(recordings, "filler.bin");
        await Media.RunAsync("dd", "if=/dev/zero", $"of={filler}", "bs=1M", "count=97", "status=none");
        var frames = await Media.MovingSquareFramesAsync(seconds: 10, motionFrom: 0, motionTo: 10, width: 640, height: 480);
        var (server, admin, camera, id) = await StartAsync("rec-disk-full", root);
        await using var _ = server;
        using var __ = admin;
        await using var ___ = camera;
        // The square moves all the time: with motion recording on, stopping the manual clip would rightly carry on as a motion clip.
        using (var off = await admin.Http.PutAsJsonAsync($"/api/cameras/{id}/recording",
                   new { mode = "off", motionSource = "auto", sensitivity = 50, minAreaPercent = 1, preRollSeconds = 5, postRollSeconds = 10, maxClipSeconds = 300 }))
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        await using var streaming = new Streaming(camera, i => frames[i % frames.Count]);
        streaming.Start();
        Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, id, true));

        var health = await Eventually.ValueAsync(() => HealthAsync(admin), h => h.GetProperty("recording").GetProperty("diskAlert").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(90), "the disk alert in health");
        output.WriteLine($"alert: {health.GetProperty("recording").GetProperty("diskAlert")}");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        var clips = await RecordingScript.ClipsWhenAsync(server, id, c => c.Count >= 1 && c[0].State == ClipRows.Failed, "the clip ended by the full disk");
        output.WriteLine($"clip at the full disk: {clips[0]}");
        Assert.Contains("No space left on device", clips[0].Error);

        File.Delete(filler);
        await Eventually.ValueAsync(() => HealthAsync(admin), h => h.GetProperty("recording").GetProperty("diskAlert").ValueKind == JsonValueKind.Null,
            TimeSpan.FromSeconds(30), "the alert cleared");
        clips = await RecordingScript.ClipsWhenAsync(server, id, c => c.Count >= 2, "recording resumed by itself");
        Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, id, false));
        clips = await RecordingScript.ClipsWhenAsync(server, id, c => c[^1].State != ClipRows.Recording, "the resumed clip finished");
        Assert.Equal(ClipRows.Complete, clips[^1].State);
        Assert.DoesNotContain("Unhandled exception", server.Output);
    }

    /// <summary>Where no tmpfs can be mounted: a minimum above the free space keeps recording off, with the alert.</summary>
    private async Task MinFreeAboveFreeSpaceAsync(string root)
    {
        var (server, admin, camera, id) = await StartAsync("rec-disk-low", root, ("Nvr__Recording__MinFreeMb", "10000000"));
        await using var _ = server;
        using var __ = admin;
        await using var ___ = camera;
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var streaming = new Streaming(camera, _ => jpeg);
        streaming.Start();
        var health = await Eventually.ValueAsync(() => HealthAsync(admin), h => h.GetProperty("recording").GetProperty("diskAlert").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(30), "the disk alert in health");
        Assert.Contains("Nvr:Recording:MinFreeMb", health.GetProperty("recording").GetProperty("diskAlert").GetString());
        Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, id, true));
        await Task.Delay(4000);
        Assert.Empty(await ClipRows.ClipsAsync(server, id));
        Assert.DoesNotContain("Unhandled exception", server.Output);
    }

    private static async Task<JsonElement> HealthAsync(NvrClient client) => await client.Http.GetFromJsonAsync<JsonElement>("/healthz");
}

/// <summary>An ffmpeg that takes no frames (a stand-in that sleeps before it starts): the recorder's queue must stay bounded and ingest must not notice.</summary>
public class RecorderOverflowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_recorder_that_cannot_keep_up_fails_its_clip_with_the_reason_and_never_slows_ingest()
    {
        // Takes no frames for a clip: it becomes a 60 s sleep (exec, so a kill reaches it).
        var wrapper = await RecordingScript.FfmpegStandInAsync("exec sleep 60");
        await using var server = new NvrServer(settings: RecordingScript.Settings(("Nvr__Ffmpeg__Path", wrapper), ("Nvr__Recording__QueueMaxMb", "4")));
        await server.StartAsync();
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var jpeg = await TestJpeg.CreateAsync(1280, 720);
        await using var camera = new FakeEsp32Camera("rec-overflow");
        await camera.ConnectAsync(new Uri(server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(admin, camera.HostName);
        using var stop = new CancellationTokenSource();
        var streaming = RecordingScript.StreamAsync(camera, 20, 600, _ => jpeg, cancellationToken: stop.Token);
        Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, id, true));

        var clips = await RecordingScript.ClipsWhenAsync(server, id, c => c.Count >= 1 && c[0].State == ClipRows.Failed, "the clip failed on the overflow", 40);
        output.WriteLine($"{clips[0]}; JPEG {jpeg.Length} bytes; server RSS {server.ResidentBytes / 1024 / 1024} MB");
        Assert.Contains("could not keep up", clips[0].Error);
        Assert.Contains("Nvr:Recording:QueueMaxMb", clips[0].Error);
        Assert.True(server.ResidentBytes < 400L * 1024 * 1024, $"server RSS {server.ResidentBytes / 1024 / 1024} MB");

        // Ingest went on at full rate all along.
        var camerasJson = await admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
        var received = camerasJson.EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == id).GetProperty("counters").GetProperty("framesReceived").GetInt64();
        Assert.InRange(received, camera.FramesSent - 5, camera.FramesSent);
        await stop.CancelAsync();
        try
        {
            await streaming;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
