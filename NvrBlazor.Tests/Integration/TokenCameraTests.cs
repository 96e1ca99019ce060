using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>NvrBlazor's own protocol on /ingest, spoken here straight from docs/protocol.md.</summary>
public class TokenCameraTests(IngestServerFixture fixture) : IClassFixture<IngestServerFixture>
{
    private Uri IngestUri(string query) => new($"ws://127.0.0.1:{fixture.Server.HttpPort}/ingest?{query}");

    private async Task<(int Id, string Token, string Url)> CreateAgentAsync(string name)
    {
        using var response = await fixture.Admin.Http.PostAsJsonAsync("/api/cameras", new { name, kind = "agent" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("camera").GetProperty("id").GetInt32(), body.GetProperty("token").GetString()!, body.GetProperty("connectUrl").GetString()!);
    }

    private static byte[] NvrFrame(long milliseconds, byte[] jpeg)
    {
        var message = new byte[8 + jpeg.Length];
        BinaryPrimitives.WriteInt64BigEndian(message, milliseconds);
        jpeg.CopyTo(message, 8);
        return message;
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    private async Task<JsonElement> CameraByIdAsync(int id) =>
        (await fixture.Admin.Http.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}")).GetProperty("camera");

    [Fact]
    public async Task An_agent_streams_with_its_token_gets_acknowledgements_and_a_wrong_token_is_refused()
    {
        var (id, token, url) = await CreateAgentAsync("Garage agent");
        Assert.Equal($"ws://127.0.0.1:{fixture.Server.HttpPort}/ingest?token={token}", url);

        using (var wrong = new ClientWebSocket())
        {
            var refused = await Assert.ThrowsAsync<WebSocketException>(() => wrong.ConnectAsync(IngestUri("token=nvr_not-a-token"), CancellationToken.None));
            Assert.Contains("401", refused.Message);
        }

        using var agent = new ClientWebSocket();
        await agent.ConnectAsync(new Uri(url), CancellationToken.None);
        Assert.Equal($"connected={id}", await ReceiveTextAsync(agent));
        var jpeg = await TestJpeg.CreateAsync(320, 240);
        var sentAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 10; i++)
            await agent.SendAsync(NvrFrame(sentAt + (i * 100), jpeg), WebSocketMessageType.Binary, true, CancellationToken.None);
        await agent.SendAsync(Encoding.UTF8.GetBytes($"#{sentAt}|MotionStart"), WebSocketMessageType.Text, true, CancellationToken.None);

        var ack = await ReceiveTextAsync(agent);
        Assert.StartsWith("ack=", ack);
        var camera = await Eventually.ValueAsync(() => CameraByIdAsync(id), c => c.GetProperty("counters").GetProperty("framesReceived").GetInt64() == 10, what: "10 frames");
        Assert.Equal("agent", camera.GetProperty("kind").GetString());
        Assert.Equal("active", camera.GetProperty("state").GetString());
        Assert.Equal(320, camera.GetProperty("width").GetInt32());
        Assert.True((await Eventually.ValueAsync(() => CameraByIdAsync(id), c => c.GetProperty("motion").GetBoolean(), what: "motion")).GetProperty("motion").GetBoolean());
    }

    [Fact]
    public async Task A_rotated_token_stops_working_at_once_and_no_token_is_ever_stored_in_clear()
    {
        var (id, token, url) = await CreateAgentAsync("Rotating agent");
        using var first = new ClientWebSocket();
        await first.ConnectAsync(new Uri(url), CancellationToken.None);
        await ReceiveTextAsync(first);

        using var rotate = await fixture.Admin.Http.PostAsync($"/api/cameras/{id}/token", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var newToken = (await rotate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.NotEqual(token, newToken);

        // The connection made with the old token is closed, and the old token is refused.
        var buffer = new byte[256];
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            WebSocketReceiveResult result;
            do
                result = await first.ReceiveAsync(buffer, timeout.Token);
            while (result.MessageType != WebSocketMessageType.Close);
        }
        Assert.Contains("token", first.CloseStatusDescription);
        using (var old = new ClientWebSocket())
            Assert.Contains("401", (await Assert.ThrowsAsync<WebSocketException>(() => old.ConnectAsync(new Uri(url), CancellationToken.None))).Message);
        using (var fresh = new ClientWebSocket())
            await fresh.ConnectAsync(IngestUri($"token={newToken}"), CancellationToken.None);

        var stored = string.Concat(Directory.GetFiles(fixture.Server.DataPath, "nvr.db*").Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            return reader.ReadToEnd();
        }));
        Assert.DoesNotContain(token, stored);
        Assert.DoesNotContain(newToken, stored);
        Assert.Contains(NvrBlazor.Domain.Ingest.CameraToken.Hash(newToken), stored);
    }

    [Fact]
    public async Task A_browser_camera_publishes_with_an_admins_sign_in_and_nobody_else()
    {
        using var created = await fixture.Admin.Http.PostAsJsonAsync("/api/cameras", new { name = "Laptop webcam", kind = "browser" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("camera").GetProperty("id").GetInt32();
        Assert.Equal(JsonValueKind.Null, body.GetProperty("token").ValueKind);

        using (var admin = new ClientWebSocket())
        {
            admin.Options.Cookies = fixture.Admin.Cookies;
            await admin.ConnectAsync(IngestUri($"camera={id}"), CancellationToken.None);
            Assert.Equal($"connected={id}", await ReceiveTextAsync(admin));
        }

        using var viewer = await InProcessApp.SignedInAsNewUserAsync(fixture.Server, "publish-viewer", "token-camera-passphrase", NvrBlazor.Domain.Users.Roles.Viewer);
        using (var asViewer = new ClientWebSocket())
        {
            asViewer.Options.Cookies = viewer.Cookies;
            Assert.Contains("403", (await Assert.ThrowsAsync<WebSocketException>(() => asViewer.ConnectAsync(IngestUri($"camera={id}"), CancellationToken.None))).Message);
        }
        using (var anonymous = new ClientWebSocket())
            Assert.Contains("401", (await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(IngestUri($"camera={id}"), CancellationToken.None))).Message);
    }

    [Fact]
    public async Task Esp32_cameras_cannot_be_created_by_hand_and_names_are_checked()
    {
        using var esp = await fixture.Admin.Http.PostAsJsonAsync("/api/cameras", new { name = "x", kind = "esp32" });
        Assert.Equal(HttpStatusCode.BadRequest, esp.StatusCode);
        using var empty = await fixture.Admin.Http.PostAsJsonAsync("/api/cameras", new { name = " ", kind = "agent" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }
}
