using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>Adding a pull camera through the API, and reading it back.</summary>
public static class PullScript
{
    public static async Task<int> CreateAsync(NvrClient admin, string name, object pull)
    {
        using var response = await admin.Http.PostAsJsonAsync("/api/cameras", new { name, kind = "pull", pull });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("camera").GetProperty("id").GetInt32();
    }

    public static async Task<JsonElement> CameraAsync(NvrClient admin, int id) =>
        (await admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}")).GetProperty("camera");

    public static string? Error(JsonElement camera) =>
        camera.GetProperty("pull") is { ValueKind: JsonValueKind.Object } pull && pull.GetProperty("error").ValueKind == JsonValueKind.String ? pull.GetProperty("error").GetString() : null;
}

/// <summary>
/// Cameras the server pulls, against real servers on loopback: an HTTP camera as ESP32 CameraWebServer serves it (MJPEG,
/// snapshot), GStreamer's RTSP server, and broken sources. Every camera ends in the same path as a pushed one.
/// </summary>
public class PullCameraTests(RecordingServerFixture fixture, ITestOutputHelper output) : IClassFixture<RecordingServerFixture>
{
    [Fact]
    public async Task An_MJPEG_camera_is_live_and_records_on_motion_like_a_pushed_one()
    {
        var frames = await Media.MovingSquareFramesAsync(seconds: 40, motionFrom: 5, motionTo: 15);
        await using var camera = new FakeHttpCamera(i => frames[i % frames.Count], fps: 10);
        var id = await PullScript.CreateAsync(fixture.Admin, "Pulled porch", new { kind = "mjpeg", url = camera.Url("/stream"), fps = 10 });

        await using (var viewer = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies))
        {
            await viewer.SubscribeAsync(id);
            var (fps, size) = await viewer.RateAsync(id, 30, skip: 3);
            output.WriteLine($"live: {fps:0.0} fps, {size}");
            ViewerSocket.AssertRate(10, fps);
            Assert.Equal((320, 240), size);
        }
        var facts = await PullScript.CameraAsync(fixture.Admin, id);
        Assert.True(facts.GetProperty("online").GetBoolean());
        Assert.Equal("pull", facts.GetProperty("kind").GetString());
        Assert.Equal($"127.0.0.1:{camera.Port}", facts.GetProperty("remoteAddress").GetString());
        Assert.Null(PullScript.Error(facts));

        // Motion from 5 to 15 s of the stream, found by the server's detector: one clip around it (post-roll 10 s).
        var clips = await RecordingScript.ClipsWhenAsync(fixture.Server, id, c => c.Count > 0 && c[0].State != ClipRows.Recording, "the motion clip finished", seconds: 90);
        var clip = clips[0];
        output.WriteLine($"clip {clip.Path}: {clip.DurationSeconds:0.00} s, {clip.Frames} frames, error '{clip.Error}'");
        Assert.Equal(ClipRows.Complete, clip.State);
        var probed = await Media.ProbeAsync(RecordingScript.FullPath(fixture.Server, clip));
        Assert.Equal("h264", probed.Codec);
        Assert.InRange(probed.Duration, 18, 32);
        var motion = (await ClipRows.MotionEventsAsync(fixture.Server, id))[0];
        Assert.Equal(1, motion.Source); // the server's detector
        Assert.Equal(clip.Id, motion.ClipId);

        // The camera goes away: offline, and its card says why.
        await camera.DisposeAsync();
        var gone = await Eventually.ValueAsync(() => PullScript.CameraAsync(fixture.Admin, id),
            c => !c.GetProperty("online").GetBoolean() && PullScript.Error(c)?.Contains("connection refused", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(30), "the camera offline, refused");
        output.WriteLine($"after the camera stopped: {PullScript.Error(gone)}");
        var log = (await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}")).GetProperty("log").EnumerateArray().Select(e => e.GetProperty("text").GetString()).ToList();
        output.WriteLine(string.Join("\n", log));
    }

    [Fact]
    public async Task A_pull_camera_takes_no_commands_and_a_disabled_one_is_let_go()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var camera = new FakeHttpCamera(_ => jpeg, fps: 5);
        var id = await PullScript.CreateAsync(fixture.Admin, "Pulled shed", new { kind = "mjpeg", url = camera.Url("/stream"), fps = 5 });
        await Eventually.ValueAsync(() => PullScript.CameraAsync(fixture.Admin, id), c => c.GetProperty("online").GetBoolean(), TimeSpan.FromSeconds(20), "the camera online");

        using (var refused = await fixture.Admin.Http.PostAsJsonAsync($"/api/cameras/{id}/commands", new { command = "framesize=8" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("A pull camera takes no commands", await refused.Content.ReadAsStringAsync());
        }

        using (var disable = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "disabled" }))
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        await Eventually.ValueAsync(() => PullScript.CameraAsync(fixture.Admin, id), c => !c.GetProperty("online").GetBoolean(), TimeSpan.FromSeconds(10), "the camera offline");
        var frames = (await PullScript.CameraAsync(fixture.Admin, id)).GetProperty("counters").GetProperty("framesReceived").GetInt64();
        var requests = camera.Requests("/stream");
        await Task.Delay(4000);
        Assert.Equal(frames, (await PullScript.CameraAsync(fixture.Admin, id)).GetProperty("counters").GetProperty("framesReceived").GetInt64());
        Assert.Equal(requests, camera.Requests("/stream")); // not asked again
    }

    [Fact]
    public async Task A_snapshot_URL_polled_at_2_fps_is_live_at_2_fps()
    {
        var jpeg = await TestJpeg.CreateAsync(640, 480);
        await using var camera = new FakeHttpCamera(_ => jpeg);
        var id = await PullScript.CreateAsync(fixture.Admin, "Snapshot gate", new { kind = "snapshot", url = camera.Url("/snapshot"), fps = 2 });
        await using var viewer = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies);
        await viewer.SubscribeAsync(id);
        var (fps, size) = await viewer.RateAsync(id, 10, skip: 3);
        output.WriteLine($"live: {fps:0.00} fps, {size}; {camera.Requests("/snapshot")} requests");
        ViewerSocket.AssertRate(2, fps);
        Assert.Equal((640, 480), size);
        // One request per picture: polled at the camera's rate, not faster.
        Assert.InRange(camera.Requests("/snapshot"), 12, 20);
    }

    [Fact]
    public async Task An_RTSP_camera_arrives_at_the_chosen_rate_and_width()
    {
        await using var rtsp = await LocalDaemon.RtspAsync();
        var id = await PullScript.CreateAsync(fixture.Admin, "RTSP drive", new { kind = "rtsp", url = $"rtsp://127.0.0.1:{rtsp.Port}/cam", fps = 5, width = 320 });
        await using var viewer = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies);
        await viewer.SubscribeAsync(id);
        var (fps, size) = await viewer.RateAsync(id, 20, skip: 3);
        output.WriteLine($"live: {fps:0.00} fps, {size}");
        ViewerSocket.AssertRate(5, fps);
        Assert.Equal((320, 180), size); // 640x360 scaled to 320 wide, the aspect kept
    }
}

/// <summary>Broken sources each say what is wrong on their camera and retry with backoff; a good camera beside them keeps its rate; a login never leaks.</summary>
public class PullCameraFailureTests(RecordingServerFixture fixture, ITestOutputHelper output) : IClassFixture<RecordingServerFixture>
{
    private const string Password = "pull-secret-7Qx";

    [Fact]
    public async Task Bad_sources_show_their_error_retry_with_backoff_and_never_leak_the_password()
    {
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await using var camera = new FakeHttpCamera(_ => jpeg, fps: 10, user: "viewer", password: Password);
        var closedPort = FreePort.Next();
        var good = await PullScript.CreateAsync(fixture.Admin, "Good", new { kind = "mjpeg", url = camera.Url("/stream"), fps = 10 });
        var unreachable = await PullScript.CreateAsync(fixture.Admin, "Unplugged", new { kind = "mjpeg", url = $"http://127.0.0.1:{closedPort}/stream" });
        var wrongLogin = await PullScript.CreateAsync(fixture.Admin, "Wrong login", new { kind = "mjpeg", url = camera.Url("/private-wrong"), user = "viewer", password = "not-" + Password });
        var html = await PullScript.CreateAsync(fixture.Admin, "Settings page", new { kind = "mjpeg", url = camera.Url("/html") });
        var broken = await PullScript.CreateAsync(fixture.Admin, "Cut short", new { kind = "mjpeg", url = camera.Url("/broken") });
        // The right login typed into the URL: moved out of it, stored protected, and it works.
        var login = await PullScript.CreateAsync(fixture.Admin, "Right login", new { kind = "mjpeg", url = $"http://viewer:{Password}@127.0.0.1:{camera.Port}/private" });

        var started = DateTime.UtcNow;
        await using (var viewer = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies))
        {
            await viewer.SubscribeAsync(good);
            await viewer.SubscribeAsync(login);
            var (fps, _) = await viewer.RateAsync(good, 50, skip: 3);
            var (loginFps, _) = await viewer.RateAsync(login, 20, skip: 3);
            output.WriteLine($"good camera {fps:0.0} fps, right login {loginFps:0.0} fps while the others fail");
            ViewerSocket.AssertRate(10, fps);
            ViewerSocket.AssertRate(10, loginFps);
        }

        var expected = new Dictionary<int, string>
        {
            [unreachable] = "connection refused",
            [wrongLogin] = "401 from camera: check the user and password",
            [html] = "not an MJPEG stream: the URL serves text/html",
            [broken] = "the stream stopped in the middle of a picture",
        };
        foreach (var (id, error) in expected)
        {
            var facts = await Eventually.ValueAsync(() => PullScript.CameraAsync(fixture.Admin, id), c => PullScript.Error(c) is not null, TimeSpan.FromSeconds(20), $"camera {id}'s error");
            output.WriteLine($"{facts.GetProperty("name").GetString()}: {PullScript.Error(facts)}");
            Assert.Contains(error, PullScript.Error(facts));
            var detail = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}");
            Assert.Contains(detail.GetProperty("log").EnumerateArray(), entry => entry.GetProperty("text").GetString()!.Contains(error, StringComparison.Ordinal));
        }
        Assert.False((await PullScript.CameraAsync(fixture.Admin, html)).GetProperty("online").GetBoolean());

        // Backoff: 1, 2, 4, 8 s between tries (with up to a fifth more), not a tight loop; a refused login waits 60 s.
        var elapsed = (DateTime.UtcNow - started).TotalSeconds + 2;
        output.WriteLine($"after {elapsed:0} s: /broken {camera.Requests("/broken")} requests, /html {camera.Requests("/html")}, /private-wrong {camera.Requests("/private-wrong")}");
        var atMost = 1 + (int)Math.Ceiling(Math.Log2(elapsed + 1)); // tries at 0, 1, 3, 7, 15 s ...
        Assert.InRange(camera.Requests("/broken"), 2, atMost);
        Assert.InRange(camera.Requests("/html"), 2, atMost);
        // The wrong login: one attempt (the challenge, then the login) and the next only a minute later.
        Assert.InRange(camera.Requests("/private-wrong"), 1, 2);

        // The password is nowhere the server shows or keeps in clear.
        var everything = new List<string>
        {
            fixture.Server.Output,
            await fixture.Admin.Http.GetStringAsync("/api/cameras"),
            await fixture.Admin.Http.GetStringAsync($"/api/cameras/{login}"),
            await fixture.Admin.Http.GetStringAsync($"/api/cameras/{wrongLogin}"),
            await fixture.Admin.Http.GetStringAsync("/admin/cameras"),
            await fixture.Admin.Http.GetStringAsync("/api/audit"),
        };
        foreach (var text in everything)
            Assert.DoesNotContain(Password, text);
        var database = Directory.GetFiles(fixture.Server.DataPath, "*.db*").Select(f => File.ReadAllBytes(f)).ToList();
        Assert.NotEmpty(database);
        Assert.All(database, bytes => Assert.Equal(-1, bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(Password))));
        var stored = await PullScript.CameraAsync(fixture.Admin, login);
        Assert.True(stored.GetProperty("pull").GetProperty("hasLogin").GetBoolean());
        Assert.Equal($"http://127.0.0.1:{camera.Port}/private", stored.GetProperty("pull").GetProperty("url").GetString());
    }
}
