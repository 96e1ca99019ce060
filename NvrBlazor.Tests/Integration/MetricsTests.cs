using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>/metrics on the real server: the counters follow real camera and viewer traffic, and only Admins and local callers read them.</summary>
public class MetricsTests(IngestServerFixture fixture) : IClassFixture<IngestServerFixture>
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
        // Every frame is either written to the viewer or dropped from its queue (by design, when the socket is
        // slower than the camera: a CI run under load once dropped 1 of 20), and /metrics says which, exactly.
        var (delivered, _) = await Eventually.ValueAsync(
            async () => (Delivered: await MetricAsync("nvr_camera_frames_delivered_total", id), Dropped: await MetricAsync("nvr_camera_frames_dropped_total", id, "by", "viewer")),
            counts => counts.Delivered + counts.Dropped == 20 && viewer.FramesOf(id) == (int)counts.Delivered,
            what: "20 frames delivered to the viewer or dropped for it, and the delivered ones at the viewer");
        Assert.InRange(delivered, 10, 20);

        Assert.Equal(20, await MetricAsync("nvr_camera_frames_received_total", id));
        Assert.Equal(Enumerable.Range(0, 20).Sum(i => 5_000 + i), await MetricAsync("nvr_camera_received_bytes_total", id));
        Assert.Equal(3, await MetricAsync("nvr_camera_frames_refused_total", id, "reason", "not_jpeg"));
        Assert.Equal(0, await MetricAsync("nvr_camera_frames_refused_total", id, "reason", "over_max_fps"));
        Assert.Equal(1, await MetricAsync("nvr_camera_online", id));

        await viewer.DisposeAsync();
        await Eventually.ValueAsync(() => MetricAsync("nvr_camera_viewers", id), v => v == 0, what: "no viewer once the socket closed");
    }

    /// <summary>Every name the README documents, as a real Prometheus parser (the Python client's, Debian python3-prometheus-client, run by Debian's /usr/bin/python3: a pyenv python3 on the PATH does not see Debian's modules) reads them.</summary>
    public static readonly string[] DocumentedNames =
    [
        "nvr_camera_online", "nvr_camera_frames_received_total", "nvr_camera_received_bytes_total", "nvr_camera_frames_refused_total",
        "nvr_camera_frames_without_timestamp_total", "nvr_camera_oversized_messages_total", "nvr_camera_broken_json_total",
        "nvr_camera_frames_delivered_total", "nvr_camera_frames_dropped_total", "nvr_camera_viewers", "nvr_camera_recording",
        "nvr_recorder_queue_bytes", "nvr_clips_total", "nvr_live_sockets", "nvr_ingest_connects_refused_total",
        "process_cpu_seconds_total", "process_resident_memory_bytes", "process_resident_memory_peak_bytes", "process_start_time_seconds",
        "dotnet_gc_collections_total", "dotnet_gc_allocated_bytes_total", "dotnet_gc_heap_bytes", "dotnet_gc_pause_seconds_total",
        "dotnet_threadpool_threads", "dotnet_jit_compilation_seconds_total", "dotnet_jit_methods_total",
    ];

    [Fact]
    public async Task A_real_prometheus_parser_reads_every_documented_name_and_the_process_figures()
    {
        await using var camera = new FakeEsp32Camera("metrics-parsed-cam");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        await fixture.CameraWhenAsync("metrics-parsed-cam", c => c.GetProperty("online").GetBoolean(), "online");

        using var local = new HttpClient { BaseAddress = fixture.Server.BaseUri };
        using var response = await local.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);
        var text = await response.Content.ReadAsStringAsync();
        var file = Path.Combine(TestPaths.NewTempFolder("metrics"), "metrics.txt");
        await File.WriteAllTextAsync(file, text);

        // One line per sample: "<sample name> <type of its family> <value>". A line it cannot parse fails the script.
        var parsed = await Media.RunAsync("/usr/bin/python3", "-c", """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    print(sample.name, family.type, sample.value)
            """, file);
        var samples = parsed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        foreach (var name in DocumentedNames)
            Assert.Contains(samples, s => s[0] == name);
        Assert.All(samples.Where(s => s[0].EndsWith("_total", StringComparison.Ordinal)), s => Assert.Equal("counter", s[1]));
        Assert.Equal("gauge", samples.First(s => s[0] == "nvr_camera_online")[1]);
        Assert.True(double.Parse(samples.Single(s => s[0] == "process_resident_memory_bytes")[2], CultureInfo.InvariantCulture) > 10_000_000);
        Assert.True(double.Parse(samples.Single(s => s[0] == "process_cpu_seconds_total")[2], CultureInfo.InvariantCulture) > 0);
        // Even the published (ReadyToRun) server compiles: generic code over its own types, and hot methods recompiled optimised.
        Assert.True(double.Parse(samples.Single(s => s[0] == "dotnet_jit_methods_total")[2], CultureInfo.InvariantCulture) > 0);
        Assert.True(double.Parse(samples.Single(s => s[0] == "dotnet_jit_compilation_seconds_total")[2], CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task A_deleted_camera_leaves_the_metrics()
    {
        await using var camera = new FakeEsp32Camera("metrics-gone-cam");
        await camera.ConnectAsync(fixture.Server.BaseUri);
        var id = (await fixture.CameraWhenAsync("metrics-gone-cam", c => c.GetProperty("online").GetBoolean(), "online")).GetProperty("id").GetInt32();
        await Eventually.ValueAsync(() => MetricAsync("nvr_camera_online", id), v => v == 1, what: "the camera in /metrics");
        await camera.DisposeAsync();
        using (var delete = await fixture.Admin.Http.DeleteAsync($"/api/cameras/{id}"))
            Assert.True(delete.IsSuccessStatusCode, $"delete answered {delete.StatusCode}");
        await Eventually.ValueAsync(() => MetricAsync("nvr_camera_online", id), double.IsNaN, what: "no series for the deleted camera");
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
}
