using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>A server with a short idle timeout and a small message limit, so those paths are tested in seconds.</summary>
public sealed class IngestServerFixture : IAsyncLifetime
{
    public const int MaxMessageBytes = 200_000;
    private readonly IDictionary<string, string>? extraSettings;

    public IngestServerFixture()
    {
    }

    // Internal: xUnit requires a fixture to have exactly one public constructor.
    internal IngestServerFixture(IDictionary<string, string> extraSettings) => this.extraSettings = extraSettings;

    public NvrServer Server { get; private set; } = default!;
    public NvrClient Admin { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Nvr__Ingest__IdleTimeoutSeconds"] = "3",
            ["Nvr__Ingest__MaxMessageBytes"] = MaxMessageBytes.ToString(),
            ["Nvr__Ingest__StatusPollSeconds"] = "2",
            ["Nvr__Ingest__MaxFps"] = "25",
            // The tests of a class register more cameras than the shipped cap of 20 pending (its own test sets a cap).
            ["Nvr__Ingest__MaxPending"] = "200",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
            settings[key] = value;
        Server = await NvrServer.StartAsync(settings);
        Admin = new NvrClient(Server.BaseUri);
        await Admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
    }

    public async Task<JsonElement> CameraAsync(string hostName)
    {
        var cameras = await Admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
        return cameras.EnumerateArray().FirstOrDefault(c => c.GetProperty("hostName").GetString() == hostName);
    }

    public Task<JsonElement> CameraWhenAsync(string hostName, Func<JsonElement, bool> condition, string what) =>
        Eventually.ValueAsync(() => CameraAsync(hostName), c => c.ValueKind == JsonValueKind.Object && condition(c), what: $"{hostName}: {what}");

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
    }
}

public class Esp32IngestTests(IngestServerFixture fixture) : IClassFixture<IngestServerFixture>
{
    private async Task<(long? Width, long? Height, string? Address)> RegistryRowAsync(string hostName)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(fixture.Server.DataPath, "nvr.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Width, Height, LastRemoteAddress FROM Cameras WHERE HostName = $host";
        command.Parameters.AddWithValue("$host", hostName);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return (null, null, null);
        return (reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    private static long Counter(JsonElement camera, string name) => camera.GetProperty("counters").GetProperty(name).GetInt64();

    [Fact]
    public async Task An_unknown_camera_is_greeted_admitted_as_pending_and_its_fragmented_frames_all_arrive()
    {
        await using var camera = new FakeEsp32Camera("cam-pending");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        Assert.Equal("Connected to: NvrBlazor", camera.Greeting); // the firmware ignores it; the machine name is nobody's business
        for (var i = 0; i < 20; i++)
            await camera.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(30_000, i));

        var seen = await fixture.CameraWhenAsync("cam-pending", c => Counter(c, "framesReceived") == 20, "20 frames received");
        Assert.Equal("pending", seen.GetProperty("state").GetString());
        Assert.Equal("esp32", seen.GetProperty("kind").GetString());
        Assert.True(seen.GetProperty("online").GetBoolean());
        Assert.Equal(640, seen.GetProperty("width").GetInt32());
        Assert.Equal(480, seen.GetProperty("height").GetInt32());
        Assert.Equal(20 * 30_000, Counter(seen, "bytesReceived"));

        // After it leaves, the registry remembers where it was seen and its resolution.
        await camera.DisposeAsync();
        await fixture.CameraWhenAsync("cam-pending", c => !c.GetProperty("online").GetBoolean(), "offline");
        var row = await Eventually.ValueAsync(() => RegistryRowAsync("cam-pending"), r => r.Width == 640, what: "width saved in the Cameras table");
        Assert.Equal((640L, 480L, "127.0.0.1"), (row.Width, row.Height, row.Address));
    }

    [Fact]
    public async Task An_admin_approves_a_pending_camera_and_disabling_it_closes_the_connection_and_refuses_reconnects()
    {
        await using var camera = new FakeEsp32Camera("cam-approve");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var pending = await fixture.CameraWhenAsync("cam-approve", c => c.GetProperty("online").GetBoolean(), "online");
        var id = pending.GetProperty("id").GetInt32();

        using (var approve = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" }))
            Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal("active", (await fixture.CameraAsync("cam-approve")).GetProperty("state").GetString());

        using (var disable = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "disabled" }))
            Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        await camera.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, camera.CloseStatus);
        Assert.Contains("disabled", camera.CloseReason);

        await using var again = new FakeEsp32Camera("cam-approve");
        await again.ConnectAsync(fixture.Server.BaseUri);
        await again.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, again.CloseStatus);
        await fixture.CameraWhenAsync("cam-approve", c => !c.GetProperty("online").GetBoolean(), "offline after being disabled");
    }

    [Fact]
    public async Task A_live_camera_cannot_be_taken_over_by_a_second_connection_but_a_stale_one_is_replaced()
    {
        await using var real = new FakeEsp32Camera("cam-reconnect");
        await real.ConnectAsync(fixture.Server.BaseUri);
        var streaming = real.StreamAsync(10, TimeSpan.FromSeconds(4), jpegBytes: 5_000);
        await fixture.CameraWhenAsync("cam-reconnect", c => Counter(c, "framesReceived") >= 5, "the real camera streaming");

        // Anyone on the network can claim the hostName (ESP32 cameras cannot authenticate): while the camera streams, the claim is refused.
        await using var hijacker = new FakeEsp32Camera("cam-reconnect");
        await hijacker.ConnectAsync(fixture.Server.BaseUri);
        await hijacker.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, hijacker.CloseStatus);
        Assert.Contains("refused a second connection", hijacker.CloseReason);
        await streaming;
        Assert.Equal(WebSocketState.Open, real.State);
        var camera = await fixture.CameraWhenAsync("cam-reconnect", c => Counter(c, "framesReceived") == real.FramesSent, "every frame of the real camera, none lost");
        Assert.InRange(real.FramesSent, 30, 45);
        var detail = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{camera.GetProperty("id").GetInt32()}");
        Assert.Contains(detail.GetProperty("log").EnumerateArray(), e => e.GetProperty("text").GetString()!.Contains("refused a second connection from 127.0.0.1", StringComparison.Ordinal));
        Assert.Contains("a second connection from 127.0.0.1 claimed it while it is live", fixture.Server.Output);

        // A connection that has sent no frame for a while (the camera lost Wi-Fi and the server has not noticed yet) is replaced by a reconnect.
        for (var i = 0; i < 6; i++)
        {
            await real.SendStatusAsync();
            await Task.Delay(1000);
        }
        await using var reconnect = new FakeEsp32Camera("cam-reconnect");
        await reconnect.ConnectAsync(fixture.Server.BaseUri);
        await real.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("replaced", real.CloseReason);
        await reconnect.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(5_000, 2));
        camera = await fixture.CameraWhenAsync("cam-reconnect", c => Counter(c, "framesReceived") == real.FramesSent + 1, "the reconnected session's frame");
        Assert.True(camera.GetProperty("online").GetBoolean());
        var all = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
        Assert.Single(all.EnumerateArray(), c => c.GetProperty("hostName").GetString() == "cam-reconnect");
    }

    [Fact]
    public async Task A_hostName_with_a_newline_is_refused_and_cannot_forge_a_log_line()
    {
        await using var camera = new FakeEsp32Camera("cam-forger\\ninfo: NvrBlazor.Web.Users[1] admin signed in");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        await camera.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, camera.CloseStatus);
        Assert.Equal("hostName contains control characters", camera.CloseReason);
        await Eventually.ValueAsync(() => Task.FromResult(fixture.Server.Output), output => output.Contains("cam-forger\\u000ainfo: NvrBlazor.Web.Users[1] admin signed in", StringComparison.Ordinal),
            what: "the refusal in the log, the hostName escaped");
        Assert.DoesNotContain(fixture.Server.Output.Split('\n'), line => line.StartsWith("info: NvrBlazor.Web.Users[1]", StringComparison.Ordinal));
        var all = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras");
        Assert.DoesNotContain(all.EnumerateArray(), c => c.GetProperty("hostName").GetString()!.StartsWith("cam-forger", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approved_camera_back_from_another_network_is_pending_again_and_every_address_change_is_audited()
    {
        var uri = fixture.Server.BaseUri;
        await using (var first = new FakeEsp32Camera("cam-moving"))
        {
            await first.ConnectAsync(uri);
            await fixture.CameraWhenAsync("cam-moving", c => c.GetProperty("state").GetString() == "pending", "registered");
        }
        var id = (await fixture.CameraAsync("cam-moving")).GetProperty("id").GetInt32();
        using (var approve = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" }))
            approve.EnsureSuccessStatusCode();
        await fixture.CameraWhenAsync("cam-moving", c => !c.GetProperty("online").GetBoolean(), "offline");

        // The same /24 (a new DHCP lease): still active.
        await using (var sameSubnet = new FakeEsp32Camera("cam-moving"))
        {
            await sameSubnet.ConnectAsync(uri, from: IPAddress.Parse("127.0.0.9"));
            await fixture.CameraWhenAsync("cam-moving", c => c.GetProperty("remoteAddress").GetString() == "127.0.0.9" && c.GetProperty("online").GetBoolean(), "back from 127.0.0.9");
            Assert.Equal("active", (await fixture.CameraAsync("cam-moving")).GetProperty("state").GetString());
        }
        await fixture.CameraWhenAsync("cam-moving", c => !c.GetProperty("online").GetBoolean(), "offline again");

        // Another network while it was offline: pending again, with the reason.
        await using (var elsewhere = new FakeEsp32Camera("cam-moving"))
        {
            await elsewhere.ConnectAsync(uri, from: IPAddress.Parse("127.0.5.1"));
            var pending = await fixture.CameraWhenAsync("cam-moving", c => c.GetProperty("state").GetString() == "pending", "pending again");
            Assert.Equal("Pending again: it connected from 127.0.5.1, outside the /24 of its last address 127.0.0.9. Approve it if that is the camera.",
                pending.GetProperty("pendingReason").GetString());
        }
        var audit = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/audit?camera={id}&action=cameraAddress");
        var details = audit.EnumerateArray().Select(e => e.GetProperty("detail").GetString()).ToList();
        Assert.Contains("address 127.0.0.1 → 127.0.0.9", details);
        Assert.Contains("address 127.0.0.9 → 127.0.5.1; back to pending (outside its address policy)", details);

        // With the policy "any" an admin lets it roam.
        using (var approve = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" }))
            approve.EnsureSuccessStatusCode();
        using (var roam = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/address-policy", new { policy = "any" }))
            Assert.Equal("any", (await roam.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("addressPolicy").GetString());
        await fixture.CameraWhenAsync("cam-moving", c => !c.GetProperty("online").GetBoolean(), "offline");
        await using (var roaming = new FakeEsp32Camera("cam-moving"))
        {
            await roaming.ConnectAsync(uri, from: IPAddress.Parse("127.0.9.1"));
            var camera = await fixture.CameraWhenAsync("cam-moving", c => c.GetProperty("remoteAddress").GetString() == "127.0.9.1", "back from 127.0.9.1");
            Assert.Equal("active", camera.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, camera.GetProperty("pendingReason").ValueKind);
        }
    }

    [Fact]
    public async Task A_camera_claimed_from_another_address_while_it_streams_keeps_its_state_and_address()
    {
        await using var real = new FakeEsp32Camera("cam-claimed");
        await real.ConnectAsync(fixture.Server.BaseUri);
        var id = (await fixture.CameraWhenAsync("cam-claimed", c => c.GetProperty("state").GetString() == "pending", "registered")).GetProperty("id").GetInt32();
        using (var approve = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" }))
            approve.EnsureSuccessStatusCode();
        var streaming = real.StreamAsync(10, TimeSpan.FromSeconds(3), jpegBytes: 5_000);
        await fixture.CameraWhenAsync("cam-claimed", c => Counter(c, "framesReceived") >= 3, "streaming");

        await using var stranger = new FakeEsp32Camera("cam-claimed");
        await stranger.ConnectAsync(fixture.Server.BaseUri, from: IPAddress.Parse("127.0.7.7"));
        await stranger.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("refused a second connection from 127.0.7.7", stranger.CloseReason);
        await streaming;
        var camera = await fixture.CameraAsync("cam-claimed");
        Assert.Equal(("active", "127.0.0.1"), (camera.GetProperty("state").GetString(), camera.GetProperty("remoteAddress").GetString()));
        Assert.Equal(real.FramesSent, Counter(camera, "framesReceived"));
    }

    [Fact]
    public async Task Pending_registrations_are_capped_with_the_reason()
    {
        await using var server = await NvrServer.StartAsync(new Dictionary<string, string> { ["Nvr__Ingest__MaxPending"] = "3" });
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        async Task<int> CountAsync() => (await admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras")).GetArrayLength();
        for (var i = 0; i < 3; i++)
        {
            await using var camera = new FakeEsp32Camera($"stray-{i}");
            await camera.ConnectAsync(server.BaseUri);
            var expected = i + 1;
            await Eventually.ValueAsync(CountAsync, count => count == expected, what: $"stray-{i} registered");
        }
        await using var fourth = new FakeEsp32Camera("stray-3");
        await fourth.ConnectAsync(server.BaseUri);
        await fourth.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, fourth.CloseStatus);
        Assert.StartsWith("too many cameras are waiting for approval (3, Nvr:Ingest:MaxPending)", fourth.CloseReason);
        Assert.Equal(3, await CountAsync());
    }

    [Fact]
    public async Task A_web_page_cannot_connect_to_the_camera_socket()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        var refused = await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Server.HttpPort}/ws"), CancellationToken.None));
        Assert.Contains("403", refused.Message);
    }

    /// <summary>
    /// Runs a healthy camera at 10 fps for 4 s while <paramref name="misbehave"/> happens, then checks the
    /// bar for every bad input: the neighbour lost no frame and kept its rate, and the server still serves.
    /// </summary>
    private async Task WithHealthyNeighbourAsync(string neighbourName, Func<Task> misbehave)
    {
        await using var healthy = new FakeEsp32Camera(neighbourName);
        await healthy.ConnectAsync(fixture.Server.BaseUri);
        var streaming = healthy.StreamAsync(10, TimeSpan.FromSeconds(4), jpegBytes: 20_000);
        await misbehave();
        await streaming;
        await fixture.CameraWhenAsync(neighbourName, c => Counter(c, "framesReceived") == healthy.FramesSent, "every frame of the healthy neighbour");
        // The server took every frame (above); the floor only catches a camera slowed by a stalled server
        // (TCP backpressure would cut its rate far more than a busy test machine does).
        Assert.InRange(healthy.FramesSent, 25, 41);
        using var health = await fixture.Admin.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_socket_that_opens_and_never_speaks_is_closed_at_the_idle_timeout()
    {
        await WithHealthyNeighbourAsync("neighbour-of-silent", async () =>
        {
            await using var silent = new FakeEsp32Camera("never-speaks");
            var started = DateTime.UtcNow;
            await silent.ConnectAsync(fixture.Server.BaseUri, sendStatus: false);
            await silent.Closed.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 2.5, 10);
            // Closed properly, with the reason, not just dropped.
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, silent.CloseStatus);
            Assert.Equal("no message for 3 s", silent.CloseReason);
        });
    }

    [Fact]
    public async Task A_paused_camera_stays_connected_past_the_idle_timeout_by_its_keep_alive_and_resumes()
    {
        await using var camera = new FakeEsp32Camera("cam-paused");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var id = (await fixture.CameraWhenAsync("cam-paused", c => c.GetProperty("online").GetBoolean(), "online")).GetProperty("id").GetInt32();
        var streaming = camera.StreamAsync(5, TimeSpan.FromSeconds(9), jpegBytes: 2_000);
        await fixture.Admin.Http.PostAsJsonAsync($"/api/cameras/{id}/commands", new { command = "pause=1" });
        await Eventually.ValueAsync(() => Task.FromResult(camera.Paused), paused => paused, what: "the camera paused");
        var framesWhenPaused = camera.FramesSent;
        await Task.Delay(TimeSpan.FromSeconds(5)); // well past the 3 s idle timeout of this server
        Assert.Equal(framesWhenPaused, camera.FramesSent);
        Assert.Equal(WebSocketState.Open, camera.State);
        await fixture.Admin.Http.PostAsJsonAsync($"/api/cameras/{id}/commands", new { command = "pause=0" });
        await streaming;
        Assert.False(camera.Paused);
        Assert.True(camera.FramesSent > framesWhenPaused);
        var log = (await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}")).GetProperty("log").EnumerateArray()
            .Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Contains("paused", log);
    }

    [Fact]
    public async Task A_camera_without_a_clock_sends_only_frames_and_is_admitted_by_its_address()
    {
        await using var clockless = new FakeEsp32Camera("unused");
        await clockless.ConnectAsync(fixture.Server.BaseUri, sendStatus: false);
        await clockless.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(2_000, 3), time: 42);
        var camera = await fixture.CameraWhenAsync("ip:127.0.0.1", c => Counter(c, "framesReceived") >= 1, "frame from a clock-less camera");
        Assert.Equal("pending", camera.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Binary_that_is_not_a_jpeg_is_counted_and_dropped_and_the_camera_keeps_streaming()
    {
        await using var camera = new FakeEsp32Camera("cam-not-jpeg");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        await WithHealthyNeighbourAsync("neighbour-of-not-jpeg", async () =>
        {
            for (var i = 0; i < 5; i++)
                await camera.SendBinaryAsync([0x89, 0x50, 0x4E, 0x47, 1, 2, 3, (byte)i]);
            await camera.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(3_000, 5));
            var seen = await fixture.CameraWhenAsync("cam-not-jpeg", c => Counter(c, "framesReceived") == 1, "the good frame");
            Assert.Equal(5, Counter(seen, "notJpeg"));
            Assert.Equal(WebSocketState.Open, camera.State);
        });
        Assert.Contains("cam-not-jpeg' sent a binary message that is not a usable JPEG", fixture.Server.Output);
    }

    [Fact]
    public async Task A_jpeg_without_timestamp_is_kept_counted_and_timed_by_the_server()
    {
        await using var camera = new FakeEsp32Camera("cam-no-timestamp");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        await WithHealthyNeighbourAsync("neighbour-of-no-timestamp", async () =>
        {
            await camera.SendBinaryAsync(FakeEsp32Camera.SyntheticJpeg(3_000, 4));
            await camera.SendBinaryAsync(FakeEsp32Camera.SyntheticJpeg(3_000, 5));
        });
        var seen = await fixture.CameraWhenAsync("cam-no-timestamp", c => Counter(c, "framesReceived") == 2, "both frames kept");
        Assert.Equal(2, Counter(seen, "noTimestamp"));
    }

    [Fact]
    public async Task Broken_json_is_kept_as_text_counted_and_the_session_goes_on()
    {
        await using var camera = new FakeEsp32Camera("cam-broken-json");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        await WithHealthyNeighbourAsync("neighbour-of-broken-json", async () =>
        {
            await camera.SendRawTextAsync($"#{FakeEsp32Camera.Now}|{{\"hostName\":\"Bob\"s cam\"}}"); // unescaped quote, as the firmware sends it
            await camera.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(3_000, 5));
            var seen = await fixture.CameraWhenAsync("cam-broken-json", c => Counter(c, "framesReceived") == 1, "the frame after it");
            Assert.Equal(1, Counter(seen, "brokenJson"));
            Assert.Equal("cam-broken-json", seen.GetProperty("name").GetString());
            Assert.Equal(WebSocketState.Open, camera.State);
        });
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_only_that_camera_with_1009_while_another_keeps_its_rate()
    {
        await using var healthy = new FakeEsp32Camera("cam-healthy-neighbour");
        await healthy.ConnectAsync(fixture.Server.BaseUri);
        var streaming = healthy.StreamAsync(10, TimeSpan.FromSeconds(4), jpegBytes: 20_000);

        await using var flooder = new FakeEsp32Camera("cam-oversize");
        await flooder.ConnectAsync(fixture.Server.BaseUri);
        await flooder.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(1_000, 6));
        await fixture.CameraWhenAsync("cam-oversize", c => Counter(c, "framesReceived") == 1, "first frame");
        try
        {
            await flooder.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(IngestServerFixture.MaxMessageBytes + 50_000, 7));
        }
        catch (WebSocketException)
        {
            // The server may close while the rest of the message is still being sent.
        }
        await flooder.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, flooder.CloseStatus);
        var closed = await fixture.CameraWhenAsync("cam-oversize", c => Counter(c, "oversizedMessages") == 1, "oversize counted");
        Assert.False(closed.GetProperty("online").GetBoolean());

        await streaming;
        var neighbour = await fixture.CameraWhenAsync("cam-healthy-neighbour", c => Counter(c, "framesReceived") == healthy.FramesSent, "every healthy frame");
        // The server took every frame (above); the floor only catches a camera slowed by a stalled server
        // (TCP backpressure would cut its rate far more than a busy test machine does).
        Assert.InRange(healthy.FramesSent, 25, 41);
        Assert.True(neighbour.GetProperty("online").GetBoolean());
        using var health = await fixture.Admin.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
