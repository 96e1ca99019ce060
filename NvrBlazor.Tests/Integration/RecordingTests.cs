using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>A server that admits ESP32 cameras as active (so they record without an approval step).</summary>
public sealed class RecordingServerFixture : IAsyncLifetime
{
    public NvrServer Server { get; private set; } = default!;
    public NvrClient Admin { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Server = await NvrServer.StartAsync(RecordingScript.Settings());
        Admin = new NvrClient(Server.BaseUri);
        await Admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
    }
}

/// <summary>Shared steps: a camera streaming a timed script of frames and messages, the camera's id, its clips.</summary>
public static class RecordingScript
{
    public static Dictionary<string, string> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Nvr__Ingest__Esp32Admission"] = "Open",
            ["Nvr__Recording__MinFreeMb"] = "1",
        };
        foreach (var (key, value) in extra)
            settings[key] = value;
        return settings;
    }

    /// <summary>Frame i at i/fps seconds from the start (absolute schedule: no drift), and each message at its second.</summary>
    public static async Task StreamAsync(FakeEsp32Camera camera, double fps, double seconds, Func<int, byte[]> frame,
        IReadOnlyDictionary<double, string>? messages = null, CancellationToken cancellationToken = default)
    {
        var start = DateTime.UtcNow;
        var pending = new Queue<KeyValuePair<double, string>>((messages ?? new Dictionary<double, string>()).OrderBy(m => m.Key));
        for (var i = 0; i < seconds * fps && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = start + TimeSpan.FromSeconds(i / fps);
            var wait = due - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, cancellationToken);
            while (pending.Count > 0 && pending.Peek().Key <= i / fps)
                await camera.SendTextAsync(pending.Dequeue().Value);
            await camera.SendFrameAsync(frame(i));
        }
    }

    public static async Task<int> CameraIdAsync(NvrClient admin, string hostName)
    {
        var camera = await Eventually.ValueAsync(async () =>
        {
            var cameras = await admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
            return cameras.EnumerateArray().FirstOrDefault(c => c.GetProperty("hostName").GetString() == hostName);
        }, c => c.ValueKind == JsonValueKind.Object, what: $"camera {hostName} registered");
        return camera.GetProperty("id").GetInt32();
    }

    public static Task<List<ClipRows.Row>> ClipsWhenAsync(NvrServer server, int cameraId, Func<List<ClipRows.Row>, bool> condition, string what, int seconds = 60) =>
        Eventually.ValueAsync(() => ClipRows.ClipsAsync(server, cameraId), condition, TimeSpan.FromSeconds(seconds), what);

    /// <summary>Manual Record / Stop. A camera gets its recorder within a second of connecting (409 until then), so this asks until it is accepted.</summary>
    public static Task<HttpStatusCode> RecordAsync(NvrClient admin, int cameraId, bool record) =>
        Eventually.ValueAsync(async () =>
        {
            using var response = await admin.Http.PostAsJsonAsync($"/api/cameras/{cameraId}/record", new { record });
            return response.StatusCode;
        }, status => status != HttpStatusCode.Conflict, TimeSpan.FromSeconds(10), "the camera's recorder accepts manual recording");

    public static string FullPath(NvrServer server, ClipRows.Row clip) => Path.Combine(server.RecordingsPath, clip.Path);

    /// <summary>
    /// A folder with an "ffmpeg" that answers -version at once (health) but runs <paramref name="beforeClip"/> (shell) before it
    /// takes a clip's frames, and the real ffprobe beside it (FFMpegCore runs both from one folder); returns the ffmpeg path.
    /// </summary>
    public static async Task<string> FfmpegStandInAsync(string beforeClip)
    {
        var folder = TestPaths.NewTempFolder("ffmpeg-stand-in");
        var ffmpeg = Path.Combine(folder, "ffmpeg");
        await File.WriteAllTextAsync(ffmpeg, $"#!/bin/sh\ncase \"$*\" in *image2pipe*) {beforeClip};; esac\nexec ffmpeg \"$@\"\n");
        File.SetUnixFileMode(ffmpeg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(folder, "ffprobe"), "/usr/bin/ffprobe");
        return ffmpeg;
    }
}

/// <summary>The NVR's promise with the real ffmpeg: motion from second 10 to 30, pre-roll 5, post-roll 10, gives one 35 s H.264 clip.</summary>
public class CameraMotionRecordingTests(RecordingServerFixture fixture, ITestOutputHelper output) : IClassFixture<RecordingServerFixture>
{
    [Fact]
    public async Task Camera_reported_motion_from_10_to_30_s_gives_one_complete_35_s_clip()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var camera = new FakeEsp32Camera("rec-camera-motion");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);

        await RecordingScript.StreamAsync(camera, 10, 44, _ => jpeg, new Dictionary<double, string> { [10] = "MotionStart", [30] = "MotionEnd" });
        var clips = await RecordingScript.ClipsWhenAsync(fixture.Server, id, c => c.Count > 0 && c.All(r => r.State != ClipRows.Recording), "the clip finished");

        var clip = Assert.Single(clips);
        output.WriteLine($"clip {clip.Path}: {clip.DurationSeconds:0.00} s, {clip.Frames} frames at {clip.FrameRate} fps, {clip.Bytes} bytes, error '{clip.Error}'");
        Assert.Equal(ClipRows.Complete, clip.State);
        Assert.Equal(ClipRows.Motion, clip.Reason);
        var file = RecordingScript.FullPath(fixture.Server, clip);
        Assert.True(File.Exists(file), $"{file} exists");
        Assert.False(File.Exists(file + ".part"), "no .part left");
        var facts = await Media.ProbeAsync(file);
        output.WriteLine($"ffprobe: {facts}");
        Assert.Equal("h264", facts.Codec);
        Assert.Equal("yuvj420p", facts.PixelFormat);
        Assert.InRange(facts.Duration, 34, 36);
        Assert.Equal(10, clip.FrameRate);
        Assert.Equal(clip.Frames, facts.Packets);
        Assert.InRange(facts.Packets, (long)(facts.Duration * clip.FrameRate) - 2, (long)(facts.Duration * clip.FrameRate) + 2);
        Assert.Equal(new FileInfo(file).Length, clip.Bytes);
        Assert.NotNull(clip.ThumbnailPath);
        Assert.True(new FileInfo(Path.Combine(fixture.Server.RecordingsPath, clip.ThumbnailPath!)).Length > 1000, "thumbnail JPEG saved");

        var motion = Assert.Single(await ClipRows.MotionEventsAsync(fixture.Server, id));
        Assert.Equal(0, motion.Source); // camera
        Assert.Equal(clip.Id, motion.ClipId);
        Assert.InRange((motion.End!.Value - motion.Start).TotalSeconds, 19, 21);
    }
}

/// <summary>The same promise for a camera that never reports motion: the server's own detector finds the moving square.</summary>
public class ServerMotionRecordingTests(RecordingServerFixture fixture, ITestOutputHelper output) : IClassFixture<RecordingServerFixture>
{
    [Fact]
    public async Task Server_detected_motion_records_one_clip_around_the_moving_object()
    {
        var frames = await Media.MovingSquareFramesAsync(seconds: 45, motionFrom: 10, motionTo: 30);
        await using var camera = new FakeEsp32Camera("rec-camera-server");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);

        await RecordingScript.StreamAsync(camera, 10, 45, i => frames[i % frames.Count]);
        var clips = await RecordingScript.ClipsWhenAsync(fixture.Server, id, c => c.Count > 0 && c.All(r => r.State != ClipRows.Recording), "the clip finished");

        var clip = Assert.Single(clips);
        output.WriteLine($"clip {clip.Path}: {clip.DurationSeconds:0.00} s from {clip.Start:HH:mm:ss.fff}, error '{clip.Error}'");
        Assert.Equal(ClipRows.Complete, clip.State);
        var facts = await Media.ProbeAsync(RecordingScript.FullPath(fixture.Server, clip));
        output.WriteLine($"ffprobe: {facts}");
        Assert.Equal("h264", facts.Codec);
        // Detection adds a start delay (2 analysed frames at 5 a second) and a stop delay (5 quiet ones): about 35.4-36.6 s.
        Assert.InRange(facts.Duration, 34.5, 37.5);

        var motion = Assert.Single(await ClipRows.MotionEventsAsync(fixture.Server, id));
        output.WriteLine($"motion event: {motion}");
        Assert.Equal(1, motion.Source); // server
        Assert.Equal(clip.Id, motion.ClipId);
        Assert.True(motion.PeakScore > 0.01, $"peak score {motion.PeakScore}");
    }
}

/// <summary>The settings API: validation names the bad value, only admins may change or record, a camera that cannot record says so.</summary>
public class RecordingSettingsApiTests(RecordingServerFixture fixture) : IClassFixture<RecordingServerFixture>
{
    [Fact]
    public async Task Bad_settings_are_refused_naming_the_value_and_good_ones_are_stored()
    {
        await using var camera = new FakeEsp32Camera("rec-settings");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);
        var url = $"/api/cameras/{id}/recording";

        var defaults = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("motion", defaults.GetProperty("settings").GetProperty("mode").GetString());
        Assert.Equal("auto", defaults.GetProperty("settings").GetProperty("motionSource").GetString());
        Assert.Equal(5, defaults.GetProperty("settings").GetProperty("preRollSeconds").GetInt32());
        Assert.Equal(10, defaults.GetProperty("settings").GetProperty("postRollSeconds").GetInt32());
        Assert.Equal(300, defaults.GetProperty("settings").GetProperty("maxClipSeconds").GetInt32());

        using (var bad = await fixture.Admin.Http.PutAsJsonAsync(url, new { mode = "motion", motionSource = "server", sensitivity = 0, minAreaPercent = 1, preRollSeconds = 5, postRollSeconds = 10, maxClipSeconds = 300 }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("Sensitivity is 0", await bad.Content.ReadAsStringAsync());
        }
        using (var bad = await fixture.Admin.Http.PutAsJsonAsync(url, new { mode = "motion", motionSource = "server", sensitivity = 50, minAreaPercent = 1, preRollSeconds = 5, postRollSeconds = 10, maxClipSeconds = 3 }))
            Assert.Contains("Maximum clip length", await bad.Content.ReadAsStringAsync());
        using (var good = await fixture.Admin.Http.PutAsJsonAsync(url, new { mode = "continuous", motionSource = "camera", sensitivity = 70, minAreaPercent = 2.5, preRollSeconds = 3, postRollSeconds = 20, maxClipSeconds = 600 }))
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var stored = (await fixture.Admin.Http.GetFromJsonAsync<JsonElement>(url)).GetProperty("settings");
        Assert.Equal("continuous", stored.GetProperty("mode").GetString());
        Assert.Equal(2.5, stored.GetProperty("minAreaPercent").GetDouble());
        Assert.Equal(600, stored.GetProperty("maxClipSeconds").GetInt32());
        // Back to off, so this camera records nothing more in the shared server.
        (await fixture.Admin.Http.PutAsJsonAsync(url, new { mode = "off", motionSource = "auto", sensitivity = 50, minAreaPercent = 1, preRollSeconds = 5, postRollSeconds = 10, maxClipSeconds = 300 })).Dispose();

        using var viewer = await InProcessApp.SignedInAsNewUserAsync(fixture.Server, "rec-viewer", "viewer-password-1", "Viewer");
        using (var refused = await viewer.Http.PostAsJsonAsync($"/api/cameras/{id}/record", new { record = true }))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var refused = await viewer.Http.GetAsync(url))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var missing = await fixture.Admin.Http.PostAsJsonAsync("/api/cameras/99999/record", new { record = true }))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
