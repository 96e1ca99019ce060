using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// snapshot.jpg and the MJPEG stream, as Home Assistant or VLC read them: over HTTP with the user's sign-in, only for
/// cameras that user may see, each frame once, at most the asked fps.
/// </summary>
public class MjpegApiTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_stream_sends_each_new_frame_once_the_snapshot_is_the_latest_and_strangers_get_nothing()
    {
        using var admin = await fixture.AdminAsync();
        await using var camera = new FakeEsp32Camera("mjpeg-porch");
        var id = await ConnectApprovedAsync(camera, admin);

        // Ten distinct frames at 10 fps while a reader takes the stream: it gets them in order, none twice, nothing else.
        var sent = Enumerable.Range(0, 10).Select(i => FakeEsp32Camera.SyntheticJpeg(4000 + i, i)).ToList();
        using var response = await admin.Http.GetAsync($"/api/cameras/{id}/mjpeg", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("multipart/x-mixed-replace", response.Content.Headers.ContentType?.ToString());
        await using var body = await response.Content.ReadAsStreamAsync();
        var reading = ReadPartsAsync(body, sent.Count, TimeSpan.FromSeconds(15));
        foreach (var frame in sent)
        {
            await camera.SendFrameAsync(frame);
            await Task.Delay(100);
        }
        var parts = await reading;
        Assert.NotEmpty(parts);
        Assert.Equal(parts.Count, parts.Select(Convert.ToBase64String).Distinct().Count());
        var positions = parts.Select(p => sent.FindIndex(s => s.AsSpan().SequenceEqual(p))).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order().ToList(), positions);
        Assert.Equal(sent.Count - 1, positions[^1]);

        // The latest frame, as the camera sent it.
        using (var snapshot = await admin.Http.GetAsync($"/api/cameras/{id}/snapshot.jpg"))
        {
            Assert.Equal("image/jpeg", snapshot.Content.Headers.ContentType?.MediaType);
            Assert.Equal(sent[^1], await snapshot.Content.ReadAsByteArrayAsync());
        }

        // A viewer without rights to the camera, and nobody signed in, get nothing.
        using var viewer = await fixture.ViewerAsync();
        using (var refused = await viewer.Http.GetAsync($"/api/cameras/{id}/mjpeg", HttpCompletionOption.ResponseHeadersRead))
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using (var refused = await viewer.Http.GetAsync($"/api/cameras/{id}/snapshot.jpg"))
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var stranger = fixture.Client();
        using (var anonymous = await stranger.Http.GetAsync($"/api/cameras/{id}/mjpeg", HttpCompletionOption.ResponseHeadersRead))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var bad = await admin.Http.GetAsync($"/api/cameras/{id}/mjpeg?fps=0", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("fps must be between", await bad.Content.ReadAsStringAsync());
        }

        // Who took frames is in the audit log, once.
        var audit = await admin.Http.GetFromJsonAsync<JsonElement>($"/api/audit?camera={id}&action=frames");
        Assert.Single(audit.EnumerateArray(), e => e.GetProperty("userName").GetString() == ServerFixture.FirstRunAdminName);
    }

    [Fact]
    public async Task An_fps_cap_sends_at_most_that_many_frames_a_second()
    {
        using var admin = await fixture.AdminAsync();
        await using var camera = new FakeEsp32Camera("mjpeg-yard");
        var id = await ConnectApprovedAsync(camera, admin);

        using var response = await admin.Http.GetAsync($"/api/cameras/{id}/mjpeg?fps=2", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var reading = ReadPartsAsync(body, int.MaxValue, TimeSpan.FromSeconds(3));
        await camera.StreamAsync(10, TimeSpan.FromSeconds(3), jpegBytes: 3000);
        var parts = await reading;
        // 30 frames sent in 3 s; at 2 fps at most 6 (+1 for the frame at the start) arrive.
        Assert.InRange(parts.Count, 3, 7);
    }

    [Fact]
    public async Task A_reader_that_stops_reading_slows_neither_the_camera_nor_another_reader()
    {
        using var admin = await fixture.AdminAsync();
        await using var camera = new FakeEsp32Camera("mjpeg-stalled");
        var id = await ConnectApprovedAsync(camera, admin);

        // One reader takes the stream and never reads it: its socket buffers fill after a few frames of 30 KB.
        using var stalled = await admin.Http.GetAsync($"/api/cameras/{id}/mjpeg", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stalled.StatusCode);
        using var healthy = await admin.Http.GetAsync($"/api/cameras/{id}/mjpeg", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await healthy.Content.ReadAsStreamAsync();
        var sent = Enumerable.Range(0, 60).Select(i => FakeEsp32Camera.SyntheticJpeg(30_000 + i, i)).ToList();
        var reading = ReadPartsAsync(body, sent.Count, TimeSpan.FromSeconds(20));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var frame in sent)
        {
            await camera.SendFrameAsync(frame);
            await Task.Delay(100);
        }
        var sending = clock.Elapsed;
        var parts = await reading;

        // 60 frames at 10 fps take 6 s plus the sends themselves; a camera held up by the stalled reader would take far longer.
        Assert.True(sending < TimeSpan.FromSeconds(15), $"the camera needed {sending.TotalSeconds:0.0} s to send 60 frames");
        // The reading client gets the frames in order, each once; its own 2-frame queue may drop one on a busy machine.
        var positions = parts.Select(p => sent.FindIndex(s => s.AsSpan().SequenceEqual(p))).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Distinct().Order().ToList(), positions);
        Assert.True(parts.Count >= sent.Count - 3, $"the reading client got {parts.Count} of {sent.Count} frames");
    }

    private Task<int> ConnectApprovedAsync(FakeEsp32Camera camera, NvrClient admin) => ConnectApprovedAsync(fixture.Server, camera, admin);

    /// <summary>Connects the fake camera and approves it; returns its id.</summary>
    internal static async Task<int> ConnectApprovedAsync(NvrServer server, FakeEsp32Camera camera, NvrClient admin)
    {
        await camera.ConnectAsync(server.BaseUri);
        var id = (await Eventually.ValueAsync(() => admin.Http.GetFromJsonAsync<JsonElement>("/api/cameras"),
                all => all.EnumerateArray().Any(c => c.GetProperty("hostName").GetString() == camera.HostName), what: camera.HostName))
            .EnumerateArray().Single(c => c.GetProperty("hostName").GetString() == camera.HostName).GetProperty("id").GetInt32();
        (await admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" })).Dispose();
        return id;
    }

    /// <summary>Reads multipart parts (Content-Length framed) until <paramref name="count"/> arrived or the time is up.</summary>
    internal static async Task<List<byte[]>> ReadPartsAsync(Stream body, int count, TimeSpan timeout)
    {
        var parts = new List<byte[]>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (parts.Count < count)
            {
                var headers = await ReadHeadersAsync(body, cts.Token);
                var length = int.Parse(headers.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim());
                var part = new byte[length];
                await body.ReadExactlyAsync(part, cts.Token);
                parts.Add(part);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return parts;
    }

    private static async Task<string> ReadHeadersAsync(Stream body, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) || !text.ToString().Contains("Content-Length", StringComparison.Ordinal))
        {
            await body.ReadExactlyAsync(one, cancellationToken);
            text.Append((char)one[0]);
        }
        return text.ToString();
    }
}
