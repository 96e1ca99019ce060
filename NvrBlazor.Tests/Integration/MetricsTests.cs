using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>/metrics on the real server: the counters follow real camera and viewer traffic, and only Admins and local callers read them.</summary>
public partial class MetricsTests(IngestServerFixture fixture) : IClassFixture<IngestServerFixture>
{
    [Fact]
    public async Task Counters_follow_what_a_camera_sent_and_what_its_viewer_received()
    {
        await using var camera = new FakeEsp32Camera("metrics-cam");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var id = (await fixture.CameraWhenAsync("metrics-cam", c => c.GetProperty("online").GetBoolean(), "online")).GetProperty("id").GetInt32();
        using (var approve = await fixture.Admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" }))
            Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        var viewer = await ViewerSocket.ConnectAsync(fixture.Server.BaseUri, fixture.Admin.Cookies);
        await viewer.SubscribeAsync(id);
        await viewer.TextAsync(t => t.GetProperty("type").GetString() == "camera", "the camera's state");
        await Eventually.ValueAsync(() => MetricAsync("nvr_camera_viewers", id), v => v == 1, what: "one viewer in /metrics");

        for (var i = 0; i < 20; i++)
        {
            await camera.SendFrameAsync(FakeEsp32Camera.SyntheticJpeg(5_000 + i, i));
            if (i % 7 == 0)
                await camera.SendBinaryAsync([0x01, 0x02, 0x03, 0x04, 0x05]);
            await Task.Delay(50);
        }
        await Eventually.ValueAsync(() => Task.FromResult(viewer.FramesOf(id)), n => n == 20, what: "20 frames at the viewer");

        Assert.Equal(20, await MetricAsync("nvr_camera_frames_received_total", id));
        Assert.Equal(Enumerable.Range(0, 20).Sum(i => 5_000 + i), await MetricAsync("nvr_camera_received_bytes_total", id));
        Assert.Equal(3, await MetricAsync("nvr_camera_frames_refused_total", id, "reason", "not_jpeg"));
        Assert.Equal(0, await MetricAsync("nvr_camera_frames_refused_total", id, "reason", "over_max_fps"));
        Assert.Equal(20, await MetricAsync("nvr_camera_frames_delivered_total", id));
        Assert.Equal(0, await MetricAsync("nvr_camera_frames_dropped_total", id, "by", "viewer"));
        Assert.Equal(1, await MetricAsync("nvr_camera_online", id));

        await viewer.DisposeAsync();
        await Eventually.ValueAsync(() => MetricAsync("nvr_camera_viewers", id), v => v == 0, what: "no viewer once the socket closed");
    }

    [Fact]
    public async Task Every_line_is_a_comment_or_a_sample_and_process_figures_are_there()
    {
        using var local = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        using var response = await local.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.Matches(Line(), line);
        foreach (var family in new[] { "process_cpu_seconds_total", "process_resident_memory_bytes", "dotnet_gc_allocated_bytes_total", "nvr_clips_total", "nvr_live_sockets" })
            Assert.Contains($"# TYPE {family} ", text, StringComparison.Ordinal);
        Assert.True(Sample(text, "process_resident_memory_bytes") > 10_000_000);
    }

    [Fact]
    public async Task A_caller_behind_a_proxy_header_is_not_local()
    {
        using var local = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await local.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task With_loopback_access_off_only_an_admin_reads_metrics()
    {
        await using var server = await NvrServer.StartAsync(new Dictionary<string, string> { ["Nvr__Metrics__AllowLoopback"] = "false" });
        using var anonymous = new HttpClient { BaseAddress = server.BaseUri };
        using (var response = await anonymous.GetAsync("/metrics"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var viewer = await InProcessApp.SignedInAsNewUserAsync(server, "metrics-viewer", "prometheus-scraper-passphrase", Roles.Viewer);
        using (var response = await viewer.GetAsync("/metrics"))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        using (var response = await admin.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("# TYPE nvr_camera_frames_received_total counter", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private async Task<double> MetricAsync(string name, int cameraId, string? label = null, string? value = null)
    {
        using var local = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        var text = await local.GetStringAsync("/metrics");
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal)
            && l.Contains($"camera=\"{cameraId}\"", StringComparison.Ordinal) && (label is null || l.Contains($"{label}=\"{value}\"", StringComparison.Ordinal)));
        return line is null ? double.NaN : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static double Sample(string text, string name)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.]+(E[+-]?[0-9]+)?|\+Inf|-Inf|NaN))$""")]
    private static partial Regex Line();
}
