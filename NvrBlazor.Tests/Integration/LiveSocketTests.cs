using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>The live socket and per-user camera access, with real WebSocket clients against the real server.</summary>
public class LiveSocketTests(IngestServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<IngestServerFixture>
{
    /// <summary>An ESP32 camera, connected and approved by the admin.</summary>
    private async Task<(FakeEsp32Camera Camera, int Id)> ActiveCameraAsync(string hostName)
    {
        var camera = new FakeEsp32Camera(hostName);
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var id = (await fixture.CameraWhenAsync(hostName, c => c.GetProperty("online").GetBoolean(), "online")).GetProperty("id").GetInt32();
        using var approve = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" });
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        return (camera, id);
    }

    private async Task GrantAsync(string userName, bool all, params int[] cameraIds)
    {
        using var response = await fixture.Admin.Http.PutAsJsonAsync($"/api/users/{userName}/cameras", new { allCameras = all, cameraIds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<NvrClient> ViewerAsync(string name) => InProcessApp.SignedInAsNewUserAsync(fixture.Server, name, "live-socket-passphrase", Roles.Viewer);

    [Fact]
    public async Task A_granted_viewer_gets_the_cameras_frames_byte_for_byte_with_id_and_times_in_the_header()
    {
        var (camera, id) = await ActiveCameraAsync("live-granted");
        await using var _ = camera;
        using var viewer = await ViewerAsync("live-granted-viewer");
        await GrantAsync("live-granted-viewer", false, id);
        await using var socket = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, viewer.Cookies);
        await socket.SubscribeAsync(id);
        var state = await socket.TextAsync(t => t.GetProperty("type").GetString() == "camera", "the camera's state");
        Assert.Equal(id, state.GetProperty("camera").GetInt32());
        Assert.Equal("live-granted", state.GetProperty("name").GetString());
        Assert.True(state.GetProperty("online").GetBoolean());

        var jpeg = FakeEsp32Camera.SyntheticJpeg(12_345, 77);
        await camera.SendFrameAsync(jpeg, time: 1_732_233_600);
        var frame = await Eventually.ValueAsync(() => Task.FromResult(socket.Frames.FirstOrDefault(f => f.Jpeg.Length == jpeg.Length)), f => f is not null, what: "the frame at the viewer");
        Assert.Equal(id, frame!.CameraId);
        Assert.Equal(1_732_233_600_000, frame.CameraTimeMs);
        Assert.InRange(frame.ReceivedMs, DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
        Assert.Equal(jpeg, frame.Jpeg);

        // The API shows the viewer this camera and nothing of its command log.
        var list = await viewer.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
        Assert.Contains(list.EnumerateArray(), c => c.GetProperty("id").GetInt32() == id);
        var detail = await viewer.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}");
        Assert.Equal(0, detail.GetProperty("log").GetArrayLength());
        using var snapshot = await viewer.GetAsync($"/api/cameras/{id}/snapshot");
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);

        // Opening it live is in the audit log, once.
        var audit = await Eventually.ValueAsync(
            () => fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/audit?user=live-granted-viewer&camera={id}"),
            a => a.GetArrayLength() > 0, what: "audit line for the live view");
        Assert.Equal("liveView", audit[0].GetProperty("action").GetString());
        Assert.Equal("live-granted", audit[0].GetProperty("cameraName").GetString());
    }

    [Fact]
    public async Task A_viewer_not_granted_the_camera_is_refused_on_the_socket_and_in_the_api_and_receives_nothing()
    {
        var (camera, id) = await ActiveCameraAsync("live-secret");
        await using var _ = camera;
        var (other, otherId) = await ActiveCameraAsync("live-shared");
        await using var __ = other;
        using var viewer = await ViewerAsync("live-not-granted");
        await GrantAsync("live-not-granted", false, otherId);

        await using var socket = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, viewer.Cookies);
        await socket.SubscribeAsync(id);
        var refused = await socket.TextAsync(t => t.GetProperty("type").GetString() == "refused", "the refusal");
        Assert.Equal(id, refused.GetProperty("camera").GetInt32());
        await camera.StreamAsync(10, TimeSpan.FromSeconds(1.5), 3_000);
        Assert.Equal(0, socket.FramesOf(id));
        Assert.DoesNotContain(socket.Texts, t => t.GetProperty("type").GetString() == "camera" && t.GetProperty("camera").GetInt32() == id);

        var list = await viewer.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
        Assert.Equal([otherId], list.EnumerateArray().Select(c => c.GetProperty("id").GetInt32()));
        foreach (var path in new[] { $"/api/cameras/{id}", $"/api/cameras/{id}/snapshot" })
        {
            using var response = await viewer.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        using var command = await viewer.Http.PostAsJsonAsync($"/api/cameras/{otherId}/commands", new { command = "lamp=1" });
        Assert.Equal(HttpStatusCode.Forbidden, command.StatusCode);
    }

    [Fact]
    public async Task All_cameras_includes_later_ones_but_never_a_pending_camera()
    {
        using var viewer = await ViewerAsync("live-all");
        await GrantAsync("live-all", true);
        var (later, laterId) = await ActiveCameraAsync("live-added-later");
        await using var _ = later;
        await using var pending = new FakeEsp32Camera("live-still-pending");
        await pending.ConnectAsync(fixture.Server.BaseUri);
        var pendingId = (await fixture.CameraWhenAsync("live-still-pending", c => c.GetProperty("online").GetBoolean(), "online")).GetProperty("id").GetInt32();

        await using var socket = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, viewer.Cookies);
        await socket.SubscribeAsync(laterId);
        await socket.SubscribeAsync(pendingId);
        await socket.TextAsync(t => t.GetProperty("type").GetString() == "camera" && t.GetProperty("camera").GetInt32() == laterId, "the later camera's state");
        await socket.TextAsync(t => t.GetProperty("type").GetString() == "refused" && t.GetProperty("camera").GetInt32() == pendingId, "the pending camera refused");
        var ids = (await viewer.Http.GetFromJsonAsync<JsonElement>("/api/cameras")).EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToList();
        Assert.Contains(laterId, ids);
        Assert.DoesNotContain(pendingId, ids);
    }

    [Fact]
    public async Task The_socket_refuses_strangers_and_other_sites_before_it_opens()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await ViewerSocket.RefusalAsync(fixture.Server.BaseUri, null));
        Assert.Equal(HttpStatusCode.Forbidden, await ViewerSocket.RefusalAsync(fixture.Server.BaseUri, fixture.Admin.Cookies, origin: "http://evil.example"));
        await using var sameSite = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies, origin: $"http://{fixture.Server.BaseUri.Authority}");
    }

    [Fact]
    public async Task Bad_requests_are_answered_with_the_reason_and_the_socket_goes_on()
    {
        var (camera, id) = await ActiveCameraAsync("live-bad-requests");
        await using var _ = camera;
        await using var socket = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies);
        await socket.SendAsync("subscribe please");
        await socket.SendAsync("{\"op\":\"subscribe\",\"camera\":\"one\"}");
        await socket.SendBinaryAsync([1, 2, 3]);
        await socket.SubscribeAsync(999_999);
        await Eventually.ValueAsync(() => Task.FromResult(socket.Texts.Count(t => t.GetProperty("type").GetString() == "error")), n => n == 3, what: "three errors");
        var reasons = socket.Texts.Where(t => t.GetProperty("type").GetString() == "error").Select(t => t.GetProperty("reason").GetString()).ToList();
        Assert.Contains("not JSON", reasons);
        Assert.Contains(reasons, r => r!.Contains("\"camera\""));
        Assert.Contains(reasons, r => r!.Contains("binary"));
        await socket.TextAsync(t => t.GetProperty("type").GetString() == "refused" && t.GetProperty("camera").GetInt32() == 999_999, "unknown camera refused");

        await socket.SubscribeAsync(id);
        await camera.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(2_000, 1));
        await Eventually.ValueAsync(() => Task.FromResult(socket.FramesOf(id)), n => n >= 1, what: "a frame after the bad requests");

        // An oversized request closes the socket with 1009, as documented.
        await socket.SendAsync("{\"op\":\"subscribe\",\"camera\":1,\"pad\":\"" + new string('x', 500) + "\"}");
        await Eventually.ValueAsync(() => Task.FromResult(socket.CloseStatus), s => s == WebSocketCloseStatus.MessageTooBig, what: "closed with 1009");
    }

    [Fact]
    public async Task A_viewer_that_reads_nothing_for_10_s_slows_neither_ingest_nor_another_viewer_and_memory_stays_bounded()
    {
        var (camera, id) = await ActiveCameraAsync("live-slow-viewer");
        await using var _ = camera;
        await using var normal = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies);
        await using var slow = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies, startReading: false);
        await normal.SubscribeAsync(id);
        await slow.SubscribeAsync(id);
        await normal.TextAsync(t => t.GetProperty("type").GetString() == "camera", "subscribed");
        await Task.Delay(300);
        var memoryBefore = fixture.Server.ResidentBytes;

        // 150 kB frames at 10 fps for 12 s: 18 MB, far more than the socket buffers between the server and the slow reader.
        var sentBefore = camera.FramesSent;
        await camera.StreamAsync(10, TimeSpan.FromSeconds(12), jpegBytes: 150_000);
        var sent = camera.FramesSent - sentBefore;
        var memoryAfter = fixture.Server.ResidentBytes;
        var camera1 = await fixture.CameraWhenAsync("live-slow-viewer", c => c.GetProperty("counters").GetProperty("framesReceived").GetInt64() == camera.FramesSent, "ingest took every frame");

        // Ingest: every frame taken, at the camera's own pace (loose floor: a busy machine is slower, a blocked server far slower).
        Assert.InRange(sent, 80, 121);
        // The normal viewer got (nearly) every frame while the other one read nothing.
        var normalFrames = await Eventually.ValueAsync(() => Task.FromResult(normal.FramesOf(id)), n => n >= sent * 0.9, what: $"the normal viewer's frames (of {sent})");
        Assert.InRange(normalFrames, (int)(sent * 0.9), sent + 1);
        // The server kept at most 2 s of frames for the slow viewer, not its backlog.
        Assert.InRange(memoryAfter - memoryBefore, long.MinValue, 60L * 1024 * 1024);

        slow.StartReading();
        await Task.Delay(2000);
        output.WriteLine($"sent {sent}, normal viewer {normalFrames}, slow viewer {slow.FramesOf(id)}, server memory {memoryBefore / 1048576} -> {memoryAfter / 1048576} MiB");
        Assert.InRange(slow.FramesOf(id), 1, sent - 10);
        Assert.True(camera1.GetProperty("online").GetBoolean());
    }
}
