using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using NvrBlazor.Domain.Notifications;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// Notifications end to end on the real server with the shipped settings: a webhook receiver on loopback, Debian's
/// mosquitto, and an aiosmtpd SMTP server, all started by the tests; deliveries retried by Hangfire.
/// </summary>
public class NotificationTests(RecordingServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RecordingServerFixture>
{
    private const string Secret = "shared-secret-for-the-hmac";

    [Fact]
    public async Task A_webhook_gets_motion_and_the_finished_clip_signed_with_the_shared_secret()
    {
        await using var receiver = new WebhookReceiver();
        var channel = await CreateAsync(new { name = "hook-motion", kind = "webhook", address = receiver.Url(), events = "motionStarted, clipCompleted", minGapSeconds = 0, secret = Secret });
        var frames = await Media.MovingSquareFramesAsync(16, 1, 4);
        await using var camera = new FakeEsp32Camera("notify-porch");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);
        await RecordingScript.StreamAsync(camera, 10, 16, i => frames[i % frames.Count], new Dictionary<double, string> { [1] = "MotionStart", [3] = "MotionEnd" });

        var requests = await Eventually.ValueAsync(() => Task.FromResult(ForCamera(receiver, id)), r => r.Count >= 2, TimeSpan.FromSeconds(60), "motion and clip at the receiver");
        var motion = requests.Single(r => Kind(r) == "motionStarted");
        var clip = requests.Single(r => Kind(r) == "clipCompleted");
        foreach (var request in new[] { motion, clip })
        {
            var timestamp = long.Parse(request.Headers[WebhookMessage.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(WebhookMessage.Verify(Secret, timestamp, request.Body, request.Headers[WebhookMessage.SignatureHeader]), "the signature verifies");
            Assert.False(WebhookMessage.Verify("another secret", timestamp, request.Body, request.Headers[WebhookMessage.SignatureHeader]));
            Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, 0, 120);
        }
        using var body = JsonDocument.Parse(clip.Body);
        Assert.Equal("notify-porch", body.RootElement.GetProperty("cameraName").GetString());
        Assert.InRange(body.RootElement.GetProperty("durationSeconds").GetDouble(), 5, 20);
        var clipId = body.RootElement.GetProperty("clipId").GetInt64();
        Assert.Equal($"/api/clips/{clipId}/download", body.RootElement.GetProperty("downloadUrl").GetString());
        Assert.Equal("camera", JsonDocument.Parse(motion.Body).RootElement.GetProperty("source").GetString());

        var log = await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/notifications/deliveries?channel={channel}");
        Assert.Contains(log.EnumerateArray(), d => d.GetProperty("delivered").GetBoolean() && d.GetProperty("outcome").GetString() == "HTTP 200");
    }

    [Fact]
    public async Task A_channel_for_people_gets_the_person_seen_and_the_clip_with_people_and_nothing_of_a_moving_square()
    {
        await using var receiver = new WebhookReceiver();
        using (var bad = await fixture.Admin.Http.PostAsJsonAsync("/api/notifications", new { name = "hook-unicorn", kind = "webhook", address = receiver.Url(), labels = new[] { "unicorn" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("Labels: 'unicorn' is not one of the detector's labels", await bad.Content.ReadAsStringAsync());
        }
        // The default gap (60 s per camera and kind): the person seen and the clip a few seconds later both go out.
        var channel = await CreateAsync(new { name = "hook-people", kind = "webhook", address = receiver.Url(), events = "motionStarted, objectDetected, clipCompleted", labels = new[] { " Person" } });
        var info = (await fixture.Admin.Http.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray().Single(c => c.GetProperty("id").GetInt32() == channel);
        Assert.Equal(["person"], info.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        // Home Assistant over MQTT as well: its "object detected" sensor goes on with the person and off with the motion.
        await using var broker = await LocalDaemon.MosquittoAsync();
        await using var listener = await MqttListener.ConnectAsync(broker.Port);
        var bridge = await CreateAsync(new { name = "mqtt-people", kind = "mqtt", address = "127.0.0.1", port = broker.Port, to = "homeassistant", events = "objectDetected" });
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last("nvrblazor/status")), s => s == "online", TimeSpan.FromSeconds(30), "the bridge online");

        var people = await DetectionFrames.VideoAsync(["-i", "/usr/share/doc/opencv-doc/examples/data/vtest.avi"], seconds: 16);
        var square = await Media.MovingSquareFramesAsync(16, 1, 6, width: 640, height: 480);
        await using var walkers = new FakeEsp32Camera("notify-people");
        await using var shape = new FakeEsp32Camera("notify-square");
        await walkers.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        await shape.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var walkersId = await RecordingScript.CameraIdAsync(fixture.Admin, walkers.HostName);
        var shapeId = await RecordingScript.CameraIdAsync(fixture.Admin, shape.HostName);
        // The people walk on the pavement, the lower part of the picture: the event names the zone they stand in.
        var pavement = new { name = "Pavement", points = new[] { new { x = 0.0, y = 0.3 }, new { x = 1.0, y = 0.3 }, new { x = 1.0, y = 1.0 }, new { x = 0.0, y = 1.0 } } };
        using (var zones = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{walkersId}/zones", new { zones = new[] { pavement } }))
            Assert.Equal(HttpStatusCode.OK, zones.StatusCode);
        var motion = new Dictionary<double, string> { [1] = "MotionStart", [6] = "MotionEnd" };
        await Task.WhenAll(
            RecordingScript.StreamAsync(walkers, 10, 16, i => people[i % people.Count], motion),
            RecordingScript.StreamAsync(shape, 10, 16, i => square[i % square.Count], motion));

        var got = await Eventually.ValueAsync(() => Task.FromResult(ForCamera(receiver, walkersId)), r => r.Any(x => Kind(x) == "clipCompleted"), TimeSpan.FromSeconds(60), "the people's clip at the receiver");
        await RecordingScript.ClipsWhenAsync(fixture.Server, shapeId, c => c.Count == 1 && c[0].State == ClipRows.Complete, "the square's clip finished");
        await Task.Delay(2000); // a notification of the square would be queued by now
        output.WriteLine(string.Join("\n", got.Select(r => r.Body)));
        var seen = JsonDocument.Parse(got.Single(r => Kind(r) == "objectDetected").Body).RootElement;
        Assert.Equal(["person"], seen.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.InRange(seen.GetProperty("score").GetDouble(), 0.5, 1);
        Assert.StartsWith("Person seen in Pavement on notify-people (", seen.GetProperty("message").GetString());
        Assert.Equal("Pavement", seen.GetProperty("zone").GetString());
        var clip = JsonDocument.Parse(got.Single(r => Kind(r) == "clipCompleted").Body).RootElement;
        Assert.Contains("person", clip.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        // Motion that starts carries no label yet: a channel for people does not take it; the square gets nothing at all.
        Assert.DoesNotContain(got, r => Kind(r) == "motionStarted");
        Assert.Empty(ForCamera(receiver, shapeId));
        // The sender logs a delivery after the receiver has answered, so the log may still be a write behind the receiver.
        var log = await Eventually.ValueAsync(() => fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/notifications/deliveries?channel={channel}"),
            l => l.EnumerateArray().Count(d => d.GetProperty("delivered").GetBoolean()) >= 2, TimeSpan.FromSeconds(30), "both deliveries logged");
        Assert.Equal(2, log.EnumerateArray().Count(d => d.GetProperty("delivered").GetBoolean()));
        Assert.DoesNotContain(log.EnumerateArray(), d => !d.GetProperty("delivered").GetBoolean());

        Assert.Contains("\"device_class\":\"occupancy\"", listener.Last($"homeassistant/binary_sensor/nvrblazor_{walkersId}/objects/config"));
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"nvrblazor/{walkersId}/objects")), s => s == "OFF", what: "object detected OFF after the motion");
        Assert.Equal(["ON", "OFF"], listener.History($"nvrblazor/{walkersId}/objects").Where(p => p == "ON" || p == "OFF").SkipWhile(p => p == "OFF").Distinct());
        Assert.Equal("OFF", listener.Last($"nvrblazor/{walkersId}/objects"));
        using var attributes = JsonDocument.Parse(listener.Last($"nvrblazor/{walkersId}/objects/attributes")!);
        Assert.Equal(["person"], attributes.RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("Pavement", attributes.RootElement.GetProperty("zone").GetString());
        Assert.DoesNotContain("ON", listener.History($"nvrblazor/{shapeId}/objects"));
        var mqttEvent = JsonDocument.Parse(listener.Last($"nvrblazor/{walkersId}/event")!).RootElement;
        Assert.Equal("objectDetected", mqttEvent.GetProperty("kind").GetString());
        (await fixture.Admin.Http.DeleteAsync($"/api/notifications/{bridge}")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_receiver_failing_twice_gets_the_event_on_the_third_try_and_the_log_shows_all_three()
    {
        await using var receiver = new WebhookReceiver(500, 500);
        var channel = await CreateAsync(new { name = "hook-retry", kind = "webhook", address = receiver.Url(), events = "cameraOnline", minGapSeconds = 0 });
        await using var camera = new FakeEsp32Camera("notify-retry");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);

        var received = await Eventually.ValueAsync(() => Task.FromResult(ForCamera(receiver, id)), r => r.Count >= 3, TimeSpan.FromSeconds(60), "three tries");
        Assert.All(received, r => Assert.Equal("cameraOnline", Kind(r)));
        var log = await Eventually.ValueAsync(() => fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/notifications/deliveries?channel={channel}"),
            l => l.GetArrayLength() >= 3, what: "three attempts in the log");
        var attempts = log.EnumerateArray().Reverse().Select(d => (d.GetProperty("attempt").GetInt32(), d.GetProperty("delivered").GetBoolean(), d.GetProperty("outcome").GetString())).ToList();
        Assert.Equal([(1, false, "HTTP 500"), (2, false, "HTTP 500"), (3, true, "HTTP 200")], attempts);
    }

    [Fact]
    public async Task Rules_pick_cameras_and_quiet_hours_and_the_minimum_gap_suppress_only_what_they_should()
    {
        await using var receiver = new WebhookReceiver();
        var now = DateTime.Now;
        await using var chosen = new FakeEsp32Camera("notify-chosen");
        await using var other = new FakeEsp32Camera("notify-other");
        await chosen.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        await other.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var chosenId = await RecordingScript.CameraIdAsync(fixture.Admin, chosen.HostName);
        var otherId = await RecordingScript.CameraIdAsync(fixture.Admin, other.HostName);

        // Three channels to the same receiver, told apart by path: only the chosen camera with a 1 h gap; quiet now; everything.
        await CreateAsync(new { name = "rule-chosen", kind = "webhook", address = receiver.Url("chosen"), events = "motionStarted", cameraIds = new[] { chosenId }, minGapSeconds = 3600 });
        await CreateAsync(new { name = "rule-quiet", kind = "webhook", address = receiver.Url("quiet"), events = "motionStarted", quietFrom = now.AddMinutes(-30).ToString("HH:mm"), quietTo = now.AddMinutes(30).ToString("HH:mm"), minGapSeconds = 0 });
        await CreateAsync(new { name = "rule-all", kind = "webhook", address = receiver.Url("all"), events = "motionStarted", minGapSeconds = 0 });

        var jpeg = FakeEsp32Camera.SyntheticJpeg(3000, 1);
        foreach (var camera in new[] { chosen, other, chosen })
        {
            await camera.SendFrameAsync(jpeg);
            await camera.SendTextAsync("MotionStart");
            await camera.SendTextAsync("MotionEnd");
            await Task.Delay(300);
        }

        var all = await Eventually.ValueAsync(() => Task.FromResult(receiver.Received.Where(r => r.Path == "/all" && CameraOf(r) is { } c && (c == chosenId || c == otherId)).ToList()),
            r => r.Count >= 3, TimeSpan.FromSeconds(30), "three motion starts on the channel without limits");
        // From the camera's MotionStart to the receiver: the time a push takes (reported in docs/performance.md, not asserted).
        var latencies = all.Select(r => (r.At - JsonDocument.Parse(r.Body).RootElement.GetProperty("at").GetDateTimeOffset()).TotalMilliseconds).Order().ToList();
        output.WriteLine($"motion to webhook: {string.Join(", ", latencies.Select(l => $"{l:0} ms"))}");
        await Task.Delay(2000); // what was suppressed had time to arrive, had it not been
        var toChosen = receiver.Received.Where(r => r.Path == "/chosen").ToList();
        Assert.Equal([chosenId], toChosen.Select(r => CameraOf(r)!.Value));
        Assert.DoesNotContain(receiver.Received, r => r.Path == "/quiet" && CameraOf(r) is { } c && (c == chosenId || c == otherId));
        Assert.Equal(2, all.Count(r => CameraOf(r) == chosenId));
    }

    [Fact]
    public async Task Mqtt_carries_motion_and_home_assistant_discovery_removes_a_deleted_camera_and_survives_the_broker_going_away()
    {
        await using var broker = await LocalDaemon.MosquittoAsync();
        await using var receiver = new WebhookReceiver();
        var listener = await MqttListener.ConnectAsync(broker.Port);
        await CreateAsync(new { name = "mqtt", kind = "mqtt", address = "127.0.0.1", port = broker.Port, to = "homeassistant", events = "motionStarted, motionEnded, cameraOnline, cameraOffline" });
        await CreateAsync(new { name = "hook-beside-mqtt", kind = "webhook", address = receiver.Url("beside"), events = "motionStarted", minGapSeconds = 0 });
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last("nvrblazor/status")), s => s == "online", TimeSpan.FromSeconds(30), "the bridge online");

        await using var camera = new FakeEsp32Camera("notify-mqtt");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        var id = await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);
        var config = await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"homeassistant/binary_sensor/nvrblazor_{id}/motion/config")), c => c is { Length: > 0 }, TimeSpan.FromSeconds(30), "motion discovery");
        using (var motionConfig = JsonDocument.Parse(config!))
        {
            Assert.Equal($"nvrblazor/{id}/motion", motionConfig.RootElement.GetProperty("state_topic").GetString());
            Assert.Equal("motion", motionConfig.RootElement.GetProperty("device_class").GetString());
            Assert.Equal("notify-mqtt", motionConfig.RootElement.GetProperty("device").GetProperty("name").GetString());
        }
        Assert.NotNull(await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"homeassistant/camera/nvrblazor_{id}/snapshot/config")), c => c is { Length: > 0 }, what: "camera discovery"));
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"nvrblazor/{id}/availability")), s => s == "online", what: "available");

        var jpeg = FakeEsp32Camera.SyntheticJpeg(3000, 7);
        await camera.SendFrameAsync(jpeg);
        await camera.SendTextAsync("MotionStart");
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"nvrblazor/{id}/motion")), s => s == "ON", what: "motion ON");
        Assert.Equal(jpeg, listener.LastBytes($"nvrblazor/{id}/snapshot"));
        var motionEvent = await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"nvrblazor/{id}/event")), e => e is not null, what: "the motion event as JSON");
        Assert.Equal("motionStarted", JsonDocument.Parse(motionEvent!).RootElement.GetProperty("kind").GetString());
        await camera.SendTextAsync("MotionEnd");
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"nvrblazor/{id}/motion")), s => s == "OFF", what: "motion OFF");

        // The broker goes away: the webhook still gets motion; the bridge reconnects when the broker is back.
        await broker.StopAsync();
        await camera.SendTextAsync("MotionStart");
        await Eventually.ValueAsync(() => Task.FromResult(receiver.Received.Count(r => CameraOf(r) == id)), n => n >= 2, TimeSpan.FromSeconds(30), "motion at the webhook while the broker is down");
        await camera.SendTextAsync("MotionEnd");
        await broker.StartAsync();
        await listener.DisposeAsync();
        listener = await MqttListener.ConnectAsync(broker.Port);
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last("nvrblazor/status")), s => s == "online", TimeSpan.FromSeconds(60), "the bridge back online");
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"homeassistant/binary_sensor/nvrblazor_{id}/motion/config")), c => c is { Length: > 0 }, what: "discovery again after the reconnect");

        // A camera that goes away in the middle of a motion: the sensor goes off and the camera unavailable.
        await camera.SendTextAsync("MotionStart");
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"nvrblazor/{id}/motion")), s => s == "ON", what: "motion ON again");
        await camera.DisposeAsync();
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"nvrblazor/{id}/motion")), s => s == "OFF", what: "motion OFF when the camera left");
        await Eventually.ValueAsync(() => Task.FromResult(listener.Last($"nvrblazor/{id}/availability")), s => s == "offline", what: "unavailable when the camera left");

        // Deleting the camera removes its entities (empty retained configs).
        (await fixture.Admin.Http.DeleteAsync($"/api/cameras/{id}")).EnsureSuccessStatusCode();
        // Four messages, each on its way on its own: wait for each (a busy machine delivered the first before the others once).
        foreach (var entity in new[] { "binary_sensor/nvrblazor_{0}/motion", "camera/nvrblazor_{0}/snapshot", "binary_sensor/nvrblazor_{0}/online", "binary_sensor/nvrblazor_{0}/objects" })
        {
            var topic = $"homeassistant/{string.Format(System.Globalization.CultureInfo.InvariantCulture, entity, id)}/config";
            await Eventually.ValueAsync(() => Task.FromResult(listener.Last(topic)), c => c == "", what: $"{topic} emptied");
        }
        await listener.DisposeAsync();
    }

    [Fact]
    public async Task An_email_arrives_over_smtp_with_the_motion_picture_attached_and_send_test_reports_the_exact_error()
    {
        await using var smtp = await LocalDaemon.SmtpAsync();
        var channel = await CreateAsync(new { name = "mail", kind = "email", address = "127.0.0.1", port = smtp.Port, security = "none", from = "nvr@example.org", to = "owner@example.org", events = "motionStarted", minGapSeconds = 0 });
        await using var camera = new FakeEsp32Camera("notify-mail");
        await camera.ConnectAsync(new Uri(fixture.Server.BaseUri, "ws"));
        await RecordingScript.CameraIdAsync(fixture.Admin, camera.HostName);
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        await camera.SendFrameAsync(jpeg);
        await camera.SendTextAsync("MotionStart");

        var text = await Eventually.ValueAsync(async () => string.Join("\n", LocalDaemon.Mail(smtp)) is { Length: > 0 } mail ? mail : await fixture.Admin.Http.GetStringAsync($"/api/notifications/deliveries?channel={channel}"),
            t => t.Contains("notify-mail: motion", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the e-mail in the mailbox (else: the delivery log)");
        Assert.Contains("To: owner@example.org", text);
        Assert.Contains("Content-Type: image/jpeg", text);
        Assert.Contains(Convert.ToBase64String(jpeg)[..60], text.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await camera.SendTextAsync("MotionEnd");

        // Send test against a server that is not there says why.
        await smtp.StopAsync();
        using var test = await fixture.Admin.Http.PostAsync($"/api/notifications/{channel}/test", null);
        var outcome = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(outcome.GetProperty("delivered").GetBoolean());
        Assert.Contains("refused", outcome.GetProperty("outcome").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_bad_channel_is_refused_with_what_is_wrong_and_secrets_never_come_back()
    {
        using (var bad = await fixture.Admin.Http.PostAsJsonAsync("/api/notifications", new { name = "x", kind = "webhook", address = "ftp://example.org" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("http or https URL", await bad.Content.ReadAsStringAsync());
        }
        using (var bad = await fixture.Admin.Http.PostAsJsonAsync("/api/notifications", new { name = "x", kind = "webhook", address = "http://127.0.0.1/", quietFrom = "25:00" }))
            Assert.Contains("HH:mm", await bad.Content.ReadAsStringAsync());
        await CreateAsync(new { name = "with-secret", kind = "webhook", address = "http://127.0.0.1:9/", secret = "do-not-show-me" });
        var listed = await fixture.Admin.Http.GetStringAsync("/api/notifications");
        Assert.DoesNotContain("do-not-show-me", listed, StringComparison.Ordinal);
        Assert.Contains("\"hasSecret\":true", listed, StringComparison.Ordinal);
        using var viewer = await InProcessApp.SignedInAsNewUserAsync(fixture.Server, "notify-viewer", "looks-at-cameras-only-1", NvrBlazor.Domain.Users.Roles.Viewer);
        using var refused = await viewer.GetAsync("/api/notifications");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private async Task<int> CreateAsync(object channel)
    {
        using var response = await fixture.Admin.Http.PostAsJsonAsync("/api/notifications", channel);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static string? Kind(WebhookReceiver.Request request) => JsonDocument.Parse(request.Body).RootElement.GetProperty("kind").GetString();

    private static int? CameraOf(WebhookReceiver.Request request) =>
        JsonDocument.Parse(request.Body).RootElement.TryGetProperty("cameraId", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : null;

    private static List<WebhookReceiver.Request> ForCamera(WebhookReceiver receiver, int id) => receiver.Received.Where(r => CameraOf(r) == id).ToList();
}

/// <summary>An MQTT client (MQTTnet) subscribed to everything on the test's broker, keeping every payload of each topic.</summary>
public sealed class MqttListener : IAsyncDisposable
{
    private readonly IMqttClient client;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> last = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Topic, byte[] Payload)> all = new();

    private MqttListener(IMqttClient client) => this.client = client;

    public static async Task<MqttListener> ConnectAsync(int port)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var listener = new MqttListener(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            listener.last[e.ApplicationMessage.Topic] = payload;
            listener.all.Enqueue((e.ApplicationMessage.Topic, payload));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-listener-" + Guid.NewGuid()).Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("#").Build());
        return listener;
    }

    public string? Last(string topic) => last.TryGetValue(topic, out var payload) ? Encoding.UTF8.GetString(payload) : null;

    public byte[]? LastBytes(string topic) => last.GetValueOrDefault(topic);

    /// <summary>Every payload of a topic in the order received, retained ones included.</summary>
    public IReadOnlyList<string> History(string topic) => all.Where(m => m.Topic == topic).Select(m => Encoding.UTF8.GetString(m.Payload)).ToList();

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
            await client.DisconnectAsync();
        client.Dispose();
    }
}
