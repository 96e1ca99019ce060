using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// Stopping is as safe as crashing: SIGTERM to the server's whole process group (systemd's default, docker
/// stop, timeout(1); the ffmpeg children get the signal too) while three pushing cameras and one pulled over RTSP record.
/// </summary>
[Collection(HeavyTests.Name)]
public class CleanStopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SIGTERM_to_the_process_group_finishes_every_clip_logs_no_error_and_leaves_nothing_to_repair()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var server = new NvrServer(settings: RecordingScript.Settings()) { OwnProcessGroup = true };
        await server.StartAsync();
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var cameras = new List<FakeEsp32Camera>();
        var ids = new List<int>();
        foreach (var name in new[] { "stop-manual", "stop-motion-1", "stop-motion-2" })
        {
            var camera = new FakeEsp32Camera(name);
            await camera.ConnectAsync(new Uri(server.BaseUri, "ws"));
            cameras.Add(camera);
            ids.Add(await RecordingScript.CameraIdAsync(admin, camera.HostName));
        }
        // And a camera the server pulls over RTSP through its own ffmpeg, which gets the signal as well.
        await using var rtsp = await LocalDaemon.RtspAsync();
        var rtspId = await PullScript.CreateAsync(admin, "stop-rtsp", new { kind = "rtsp", url = $"rtsp://127.0.0.1:{rtsp.Port}/cam", fps = 5, width = 320 });
        using (var continuous = await admin.Http.PutAsJsonAsync($"/api/cameras/{rtspId}/recording",
            new { mode = "continuous", motionSource = "auto", sensitivity = 50, minAreaPercent = 1, preRollSeconds = 5, postRollSeconds = 10, maxClipSeconds = 300 }))
            Assert.Equal(HttpStatusCode.OK, continuous.StatusCode);
        using var streaming = new CancellationTokenSource();
        var streams = cameras.Select((camera, i) => Task.Run(() => RecordingScript.StreamAsync(camera, 10, 120, _ => jpeg,
            i == 0 ? null : new Dictionary<double, string> { [2 + i] = "MotionStart" }, streaming.Token))).ToList();
        // Two seconds of pre-roll first, so the manual clip takes its rate from them: a test client that starts slowly
        // and then catches up on its schedule would otherwise give a first second of 5 fps to measure.
        await Task.Delay(2000);
        Assert.Equal(HttpStatusCode.Accepted, await RecordingScript.RecordAsync(admin, ids[0], true));
        await Eventually.ValueAsync(() => ClipRows.ClipsAsync(server), c => c.Count(r => r.State == ClipRows.Recording) == 4, TimeSpan.FromSeconds(30), "four clips recording");
        await Task.Delay(6000);

        var stoppedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        await server.StopProcessGroupAsync(TimeSpan.FromSeconds(30));
        var took = clock.Elapsed;
        await streaming.CancelAsync();
        foreach (var stream in streams)
            await Task.WhenAny(stream); // the server closed the cameras' sockets: their sends fail, which is expected

        output.WriteLine($"exit code {server.ExitCode} after {took.TotalSeconds:0.0} s");
        var log = server.Output.Split('\n');
        foreach (var line in log.Where(l => l.Contains("clip", StringComparison.OrdinalIgnoreCase)))
            output.WriteLine(line);
        Assert.Equal(0, server.ExitCode);
        Assert.True(took < TimeSpan.FromSeconds(15), $"the server took {took.TotalSeconds:0.0} s to stop");
        Assert.DoesNotContain(log, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
        var shutdownAt = Array.FindIndex(log, l => l.Contains("Application is shutting down", StringComparison.Ordinal));
        Assert.True(shutdownAt >= 0, "the host logged its shutdown");
        Assert.DoesNotContain(log.Skip(shutdownAt), l => l.Contains(": recording ", StringComparison.Ordinal)); // no clip started after it
        Assert.DoesNotContain(log.Skip(shutdownAt), l => l.Contains("CameraPuller", StringComparison.Ordinal)); // its ffmpeg's signal is no camera trouble

        var clips = await ClipRows.ClipsAsync(server);
        Assert.Equal(4, clips.Count);
        foreach (var clip in clips)
        {
            output.WriteLine(clip.ToString());
            Assert.Equal(ClipRows.Complete, clip.State);
            Assert.Equal(clip.CameraId == rtspId ? 5 : 10, clip.FrameRate);
            var file = RecordingScript.FullPath(server, clip);
            Assert.False(File.Exists(file + ".part"), $"{clip.Path}: no .part left");
            var facts = await Media.ProbeAsync(file);
            Assert.Equal("h264", facts.Codec);
            Assert.Equal(clip.DurationSeconds, facts.Duration, 0.3);
            var end = clip.Start + TimeSpan.FromSeconds(facts.Duration);
            // A pulled RTSP camera's last second is still inside its ffmpeg (network buffer, decoder, fps filter) when the signal comes.
            var lag = TimeSpan.FromSeconds(clip.CameraId == rtspId ? 2.5 : 1);
            Assert.True(end > stoppedAt - lag, $"{clip.Path} plays up to {(stoppedAt - end).TotalSeconds:0.0} s before the stop");
        }
        foreach (var id in ids.Skip(1))
        {
            var motion = Assert.Single(await ClipRows.MotionEventsAsync(server, id));
            Assert.NotNull(motion.End);
        }

        server.OwnProcessGroup = false;
        await server.StartAsync();
        await server.StopAsync();
        Assert.DoesNotContain("Startup repair", server.Output);
        Assert.Equal(clips, await ClipRows.ClipsAsync(server));
        foreach (var camera in cameras)
            await camera.DisposeAsync();
    }
}
