using System.Diagnostics;

namespace NvrBlazor.Bench.Load;

/// <summary>
/// Runs one scenario end to end: server up, admin signed in, cameras connected and approved, viewers
/// subscribed, traffic for a warm-up, then a measuring window (server CPU from /proc, memory sampled
/// every 250 ms, /metrics before and after), then everything stopped and counted.
/// </summary>
public sealed class ScenarioRunner(BenchOptions options)
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    public async Task<ScenarioResult> RunAsync(Scenario scenario)
    {
        var frames = await TestFrames.LoadAsync(scenario.Resolution, moving: true);
        var settings = new Dictionary<string, string>();
        if (scenario.Twist != Twist.BadInput)
        {
            // 200 simulated cameras all come from 127.0.0.1; real ones each have their own address.
            settings["Nvr__Ingest__ConnectBurst"] = "100000";
            settings["Nvr__Ingest__ConnectsPerSecond"] = "100000";
        }
        await using var server = options.Url is { } url
            ? ServerUnderTest.Remote(url, options.Password!)
            : await ServerUnderTest.StartAsync(options.ServerDll ?? ServerUnderTest.PublishedWebDll(), settings);
        try
        {
            return await MeasureAsync(scenario, server, frames);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ScenarioResult(scenario) { Error = e.Message, Crashed = server.Crashed, Notes = server.Crashed ? server.Output : "" };
        }
    }

    private async Task<ScenarioResult> MeasureAsync(Scenario scenario, ServerUnderTest server, List<byte[]> frames)
    {
        using var api = new NvrApi(server.BaseUri);
        await api.SignInAsync(server.AdminPassword);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var baseline = Rss(server) ?? (long)(await api.MetricsAsync()).Sum("process_resident_memory_bytes");

        using var stop = new CancellationTokenSource();
        var cameras = await ConnectCamerasAsync(scenario, server, api, stop.Token);
        var ids = cameras.Select(c => c.Id).ToHashSet();
        var window = new MeasuringWindow(cameras.Count);
        var viewers = await OpenViewersAsync(scenario, server, api, cameras, window, stop.Token);

        Log($"  {cameras.Count} cameras, {viewers.Count} viewer sockets ready; streaming");
        var interval = TimeSpan.FromSeconds(1 / scenario.Fps);
        var streaming = cameras.Select(c => Task.Run(() => c.StreamAsync(frames, scenario.Fps, interval * Random.Shared.NextDouble(), stop.Token))).ToList();
        var bad = scenario.Twist == Twist.BadInput ? new BadInputTraffic(server.BaseUri, frames) : null;
        bad?.Start(stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(options.WarmUpSeconds));
        var before = await api.MetricsAsync();
        var pid = server.ProcessId;
        var cpu0 = Cpu(server, before);
        var children0 = pid is { } p0 ? ProcFs.Children(p0) : [];
        var reaped0 = pid is { } p1 ? ProcFs.ReapedChildrenCpuSeconds(p1) ?? 0 : 0;
        var bench0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        window.Open(cameras);
        var rss = new List<long>();
        var sampling = SampleRssAsync(server, api, rss, scenario.Seconds!.Value);
        await Task.Delay(TimeSpan.FromSeconds(scenario.Seconds!.Value));
        window.Close(cameras);
        var seconds = clock.Elapsed.TotalSeconds;
        var after = await api.MetricsAsync();
        var cpu1 = Cpu(server, after);
        var ffmpeg = pid is { } p2 ? FfmpegCpu(children0, ProcFs.Children(p2), (ProcFs.ReapedChildrenCpuSeconds(p2) ?? 0) - reaped0) : 0;
        var benchCpu = (Process.GetCurrentProcess().TotalProcessorTime - bench0).TotalSeconds;
        await sampling;

        await stop.CancelAsync();
        await Task.WhenAll(streaming);
        if (bad is not null)
            await bad.StopAsync();
        await Task.Delay(Grace);
        var end = await api.MetricsAsync();
        var endRss = Rss(server) ?? (long)end.Sum("process_resident_memory_bytes");
        foreach (var viewer in viewers)
            await viewer.StopAsync();
        var reading = viewers.Where(v => !v.Stalls).ToList();
        var latencies = reading.SelectMany(v => v.Latencies).Order().ToList();
        var notes = new List<string>();
        if (viewers.FirstOrDefault(v => v.Stalls) is { } stalled)
        {
            var left = end.Sum("nvr_live_sockets");
            notes.Add($"the stalled viewer (subscribed to all {stalled.Cameras.Count} cameras, never reading) " +
                (left < viewers.Count ? "was disconnected by the server (no data taken for 60 s)" : "still had its socket open at the end") +
                "; server RSS through the window: " + string.Join(", ", Enumerable.Range(0, 5).Select(q => rss.Count == 0 ? "?" : $"{rss[Math.Min(rss.Count - 1, q * (rss.Count - 1) / 4)] / 1048576.0:0}")) + " MB (0, 25, 50, 75, 100 %)");
        }
        if (bad is not null)
            notes.Add($"bad input: {bad.Summary}; server counted {end.Sum("nvr_camera_frames_refused_total", "reason=\"not_jpeg\""):N0} non-JPEG/cut frames, " +
                $"{end.Sum("nvr_camera_frames_without_timestamp_total"):N0} without timestamp, {end.Sum("nvr_camera_broken_json_total"):N0} broken JSON, " +
                $"{end.Sum("nvr_camera_frames_refused_total", "reason=\"over_max_fps\""):N0} over max fps, {end.Sum("nvr_camera_oversized_messages_total"):N0} oversized, " +
                $"{end.Sum("nvr_ingest_connects_refused_total"):N0} connects refused 429");
        if (cameras.Any(c => c.Failed))
            notes.Add($"{cameras.Count(c => c.Failed)} camera connections failed while sending");
        foreach (var camera in cameras)
            await camera.DisposeAsync();
        foreach (var viewer in viewers)
            await viewer.DisposeAsync();

        return new ScenarioResult(scenario)
        {
            Crashed = server.Crashed,
            AverageJpegBytes = frames.Average(f => f.Length),
            Sent = cameras.Sum(c => c.Sent),
            ReceivedByServer = (long)end.Sum("nvr_camera_frames_received_total", cameras: ids),
            RefusedByServer = (long)(end.Sum("nvr_camera_frames_refused_total", cameras: ids) + end.Sum("nvr_camera_oversized_messages_total", cameras: ids)),
            Expected = reading.Sum(v => v.Cameras.Sum(c => c.Sent)),
            Delivered = reading.Sum(v => v.Cameras.Sum(c => v.Received(c.Index))),
            ExpectedInWindow = reading.Sum(v => v.Cameras.Sum(window.SentInside)),
            DeliveredInWindowToViewers = reading.Sum(v => v.Cameras.Sum(c => v.Received(c.Index, inWindow: true))),
            DroppedForViewers = (long)end.Sum("nvr_camera_frames_dropped_total", "by=\"viewer\"", ids),
            DroppedByRecorder = (long)end.Sum("nvr_camera_frames_dropped_total", "by=\"recorder\"", ids),
            WindowSeconds = seconds,
            ReceivedInWindow = after.Sum("nvr_camera_frames_received_total") - before.Sum("nvr_camera_frames_received_total"),
            DeliveredInWindow = after.Sum("nvr_camera_frames_delivered_total") - before.Sum("nvr_camera_frames_delivered_total"),
            LatencySamples = latencies.Count,
            P50 = Percentile(latencies, 50),
            P99 = Percentile(latencies, 99),
            Max = latencies.Count > 0 ? latencies[^1] : double.NaN,
            ServerCpuSeconds = cpu1 - cpu0,
            FfmpegCpuSeconds = ffmpeg,
            BenchCpuSeconds = benchCpu,
            BaselineRss = baseline,
            WindowStartRss = rss.FirstOrDefault(),
            SteadyRss = rss.Count > 0 ? rss.Order().ElementAt(rss.Count / 2) : 0,
            PeakRss = rss.Count > 0 ? rss.Max() : 0,
            EndRss = endRss,
            RssSamples = rss,
            HeapAtStart = before.Sum("dotnet_gc_heap_bytes"),
            HeapAtEnd = after.Sum("dotnet_gc_heap_bytes"),
            Gen0 = Delta(before, after, "dotnet_gc_collections_total", "generation=\"0\""),
            Gen1 = Delta(before, after, "dotnet_gc_collections_total", "generation=\"1\""),
            Gen2 = Delta(before, after, "dotnet_gc_collections_total", "generation=\"2\""),
            AllocatedBytes = Delta(before, after, "dotnet_gc_allocated_bytes_total"),
            ClipsComplete = end.Sum("nvr_clips_total", "outcome=\"complete\""),
            ClipsFailed = end.Sum("nvr_clips_total", "outcome=\"failed\""),
            WorstSendLateMs = cameras.Max(c => c.WorstLateMs),
            Notes = string.Join("; ", notes),
        };
    }

    private async Task<List<SimulatedCamera>> ConnectCamerasAsync(Scenario scenario, ServerUnderTest server, NvrApi api, CancellationToken cancellationToken)
    {
        var cameras = Enumerable.Range(0, scenario.Cameras).Select(i => new SimulatedCamera(i, ProtocolOf(i), $"bench-cam-{i:D3}")).ToList();
        foreach (var camera in cameras.Where(c => c.Protocol == WireProtocol.Nvr))
            (camera.Id, camera.Token) = await api.CreateAgentAsync(camera.HostName);
        await ForEachAsync(cameras, 16, c => c.ConnectAsync(server.BaseUri, cancellationToken));
        var esp32 = cameras.Where(c => c.Protocol == WireProtocol.Esp32).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (esp32.Count > 0)
        {
            var known = await api.CamerasByHostNameAsync();
            foreach (var camera in esp32.Where(c => known.ContainsKey(c.HostName)).ToList())
            {
                camera.Id = known[camera.HostName];
                await api.ApproveAsync(camera.Id);
                esp32.Remove(camera);
            }
            if (esp32.Count > 0 && DateTime.UtcNow > deadline)
                throw new TimeoutException($"{esp32.Count} ESP32 cameras never registered");
            await Task.Delay(200, cancellationToken);
        }
        var (mode, source) = scenario.Twist == Twist.Record ? ("continuous", "auto") : ("motion", options.Motion);
        foreach (var camera in cameras)
            await api.SetRecordingAsync(camera.Id, mode, source);
        return cameras;
    }

    private WireProtocol ProtocolOf(int index) => options.Protocol switch
    {
        "esp32" => WireProtocol.Esp32,
        "nvr" => WireProtocol.Nvr,
        _ => index % 2 == 0 ? WireProtocol.Esp32 : WireProtocol.Nvr,
    };

    private static async Task<List<SimulatedViewer>> OpenViewersAsync(
        Scenario scenario, ServerUnderTest server, NvrApi api, List<SimulatedCamera> cameras, MeasuringWindow window, CancellationToken cancellationToken)
    {
        var viewers = cameras.SelectMany(c => Enumerable.Range(0, scenario.Viewers).Select(_ => new SimulatedViewer([c], window, stalls: false))).ToList();
        if (scenario.Twist == Twist.StalledViewer)
            viewers.Add(new SimulatedViewer(cameras.Take(64).ToList(), window, stalls: true));
        await ForEachAsync(viewers, 16, v => v.ConnectAsync(server.BaseUri, api.Cookies, cancellationToken));
        return viewers;
    }

    private static async Task ForEachAsync<T>(IEnumerable<T> items, int parallel, Func<T, Task> action)
    {
        using var slots = new SemaphoreSlim(parallel);
        await Task.WhenAll(items.Select(async item =>
        {
            await slots.WaitAsync();
            try
            {
                await action(item);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    private static async Task SampleRssAsync(ServerUnderTest server, NvrApi api, List<long> samples, int seconds)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if ((Rss(server) ?? (long)(await api.MetricsAsync()).Sum("process_resident_memory_bytes")) is var bytes and > 0)
                samples.Add(bytes);
            await Task.Delay(250);
        }
    }

    private static long? Rss(ServerUnderTest server) => server.ProcessId is { } pid ? ProcFs.ResidentBytes(pid) : null;

    private static double Cpu(ServerUnderTest server, Metrics metrics) =>
        server.ProcessId is { } pid && ProcFs.CpuSeconds(pid) is { } seconds ? seconds : metrics.Sum("process_cpu_seconds_total");

    /// <summary>ffmpeg CPU inside the window: running children's growth, new children's whole CPU, and the CPU of those that ended meanwhile.</summary>
    private static double FfmpegCpu(Dictionary<int, double> before, Dictionary<int, double> after, double reaped) =>
        after.Sum(c => c.Value - before.GetValueOrDefault(c.Key)) + reaped;

    private static double Delta(Metrics before, Metrics after, string name, string? labels = null) => after.Sum(name, labels) - before.Sum(name, labels);

    public static double Percentile(List<double> sorted, int percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * percent / 100.0) - 1, 0, sorted.Count - 1)];

    private static void Log(string line) => Console.Error.WriteLine(line);
}
