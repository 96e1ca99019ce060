using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

public class Esp32CommandTests(IngestServerFixture fixture) : IClassFixture<IngestServerFixture>
{
    private async Task<int> IdOfAsync(string hostName) =>
        (await fixture.CameraWhenAsync(hostName, c => c.GetProperty("online").GetBoolean(), "online")).GetProperty("id").GetInt32();

    private static Task<List<string>> ReceivedAsync(FakeEsp32Camera camera, Func<List<string>, bool> done, string what) =>
        Eventually.ValueAsync(() => Task.FromResult(camera.CommandsReceived.ToList()), done, what: what);

    [Fact]
    public async Task A_command_reaches_exactly_its_camera_and_the_echo_shows_in_status_and_log()
    {
        await using var target = new FakeEsp32Camera("cmd-target");
        await using var neighbour = new FakeEsp32Camera("cmd-neighbour");
        await target.ConnectAsync(fixture.Server.BaseUri);
        await neighbour.ConnectAsync(fixture.Server.BaseUri);
        var id = await IdOfAsync("cmd-target");
        await IdOfAsync("cmd-neighbour");
        using var cts = new CancellationTokenSource();
        var streams = Task.WhenAll(target.StreamAsync(5, TimeSpan.FromSeconds(4), 2_000), neighbour.StreamAsync(5, TimeSpan.FromSeconds(4), 2_000));

        using (var response = await fixture.Admin.Http.PostAsJsonAsync($"/api/cameras/{id}/commands", new { command = "fps=5;enableMotion=0" }))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var received = await ReceivedAsync(target, r => r.Contains("fps=5;enableMotion=0"), "the command at the target");
        Assert.Equal("5", target.Settings["fps"]);
        var detail = await Eventually.ValueAsync(
            () => fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}"),
            d => d.GetProperty("status").TryGetProperty("enableMotion", out var v) && v.GetString() == "0", what: "echo merged into status");
        var log = detail.GetProperty("log").EnumerateArray().Select(e => (Out: e.GetProperty("outgoing").GetBoolean(), Text: e.GetProperty("text").GetString())).ToList();
        Assert.Contains((true, "fps=5;enableMotion=0"), log);
        Assert.Contains((false, "enableMotion=0"), log);
        await streams;
        Assert.DoesNotContain(neighbour.CommandsReceived, c => c.Contains("enableMotion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commands_queued_while_the_camera_slot_is_busy_are_sent_one_message_at_a_time_packed_in_order()
    {
        await using var camera = new FakeEsp32Camera("cmd-packed");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var id = await IdOfAsync("cmd-packed");
        // The camera sends nothing now, so nothing can be sent to it: all three queue up.
        foreach (var command in new[] { "lamp=1", "quality=10", "dbgVerbose=1" })
        {
            using var response = await fixture.Admin.Http.PostAsJsonAsync($"/api/cameras/{id}/commands", new { command });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await camera.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(2_000, 1));
        var received = await ReceivedAsync(camera, r => r.Count >= 1, "one message");
        Assert.Equal("lamp=1;quality=10;dbgVerbose=1", received[0]);
        await Task.Delay(300);
        // Nothing else but (possibly) the periodic status poll: the three went out as one message.
        Assert.All(camera.CommandsReceived.Skip(1), message => Assert.Equal("status?q", message));
    }

    [Fact]
    public async Task A_broadcast_reaches_every_online_camera()
    {
        await using var one = new FakeEsp32Camera("cmd-broadcast-1");
        await using var two = new FakeEsp32Camera("cmd-broadcast-2");
        await one.ConnectAsync(fixture.Server.BaseUri);
        await two.ConnectAsync(fixture.Server.BaseUri);
        var ids = new[] { await IdOfAsync("cmd-broadcast-1"), await IdOfAsync("cmd-broadcast-2") };

        using var response = await fixture.Admin.Http.PostAsJsonAsync("/api/cameras/commands", new { command = "lamp=3" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var queuedIds = queued.GetProperty("cameraIds").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Subset(queuedIds.ToHashSet(), ids.ToHashSet());

        await one.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(2_000, 1));
        await two.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(2_000, 2));
        await ReceivedAsync(one, r => r.Contains("lamp=3"), "broadcast at camera 1");
        await ReceivedAsync(two, r => r.Contains("lamp=3"), "broadcast at camera 2");
    }

    [Fact]
    public async Task Commands_the_camera_cannot_take_are_refused_with_the_reason_and_offline_cameras_say_so()
    {
        await using var camera = new FakeEsp32Camera("cmd-refused");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var id = await IdOfAsync("cmd-refused");

        using (var tooLong = await fixture.Admin.Http.PostAsJsonAsync($"/api/cameras/{id}/commands", new { command = "note=" + new string('x', 200) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            Assert.Contains("127", await tooLong.Content.ReadAsStringAsync());
        }
        using (var bare = await fixture.Admin.Http.PostAsJsonAsync($"/api/cameras/{id}/commands", new { command = "reset" }))
            Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        using (var unknown = await fixture.Admin.Http.PostAsJsonAsync("/api/cameras/99999/commands", new { command = "fps=1" }))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await camera.DisposeAsync();
        await fixture.CameraWhenAsync("cmd-refused", c => !c.GetProperty("online").GetBoolean(), "offline");
        using var offline = await fixture.Admin.Http.PostAsJsonAsync($"/api/cameras/{id}/commands", new { command = "fps=1" });
        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);
        Assert.Contains("offline", await offline.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_camera_is_asked_for_its_quick_status_periodically_and_answers_update_it()
    {
        await using var camera = new FakeEsp32Camera("cmd-status-poll");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var id = await IdOfAsync("cmd-status-poll");
        camera.Settings["quality"] = "20";
        var streaming = camera.StreamAsync(5, TimeSpan.FromSeconds(5), 2_000);
        await ReceivedAsync(camera, r => r.Contains("status?q"), "status?q within the 2 s poll interval");
        await Eventually.ValueAsync(
            () => fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}"),
            d => d.GetProperty("status").GetProperty("quality").GetString() == "20", what: "the answer merged into status");
        await streaming;
    }
}

public class PresetsApiTests(IngestServerFixture fixture) : IClassFixture<IngestServerFixture>
{
    [Fact]
    public async Task Presets_are_seeded_with_the_python_servers_and_replaced_only_by_valid_text()
    {
        var seeded = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>("/api/presets");
        Assert.Equal(
            "Defaults|framesize=7;fps=5;dbgVerbose=1;enableMotion=0;socketFps=0\nLow bandwidth with motion|framesize=5;fps=15;socketFps=2;enableMotion=1\nEnable motion detect|enableMotion=1",
            seeded.GetProperty("text").GetString());
        Assert.Equal(3, seeded.GetProperty("presets").GetArrayLength());

        using (var bad = await fixture.Admin.Http.PutAsJsonAsync("/api/presets", new { text = "Night|framesize=5;lamp=0\nbroken line" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("Line 2", await bad.Content.ReadAsStringAsync());
        }
        Assert.Equal(3, (await fixture.Admin.Http.GetFromJsonAsync<JsonElement>("/api/presets")).GetProperty("presets").GetArrayLength());

        using (var good = await fixture.Admin.Http.PutAsJsonAsync("/api/presets", new { text = "Night|framesize=5;lamp=0\n\nDay|framesize=8;lamp=7" }))
            Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        await fixture.Server.RestartAsync();
        using var admin = new NvrClient(fixture.Server.BaseUri, fixture.Admin.Cookies);
        var saved = await admin.Http.GetFromJsonAsync<JsonElement>("/api/presets");
        Assert.Equal("Night|framesize=5;lamp=0\nDay|framesize=8;lamp=7", saved.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Viewers_cannot_read_or_change_presets()
    {
        using var viewer = await InProcessApp.SignedInAsNewUserAsync(fixture.Server, "preset-viewer", "command-presets-passphrase", NvrBlazor.Domain.Users.Roles.Viewer);
        using var read = await viewer.GetAsync("/api/presets");
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        using var write = await viewer.Http.PutAsJsonAsync("/api/presets", new { text = "X|fps=1" });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }
}
