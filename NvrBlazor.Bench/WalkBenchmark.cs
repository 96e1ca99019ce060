using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NvrBlazor.Bench.Load;

namespace NvrBlazor.Bench;

/// <summary>
/// What a camera costs in the default configuration, server and ffmpeg together, against the real server
/// (Release build, shipped settings, a child process on loopback). N ESP32 cameras (the firmware's
/// protocol) send VGA at 10 fps:
/// <list type="bullet">
/// <item><c>walk</c>: 30 s cycles of a still scene in which a figure walks through from second 10 to 20; each
/// camera reports MotionStart and MotionEnd around it, as the MJPEG2SD firmware does; recording as shipped
/// (motion, pre-roll 5 s, post-roll 10 s). The cost per camera-second counts everything from the first frame
/// until the last clip is written.</item>
/// <item><c>idle</c>: the still scene and no motion reports, so the server's own detector watches every camera
/// (the default for cameras that report nothing); no viewer. The cost per received frame.</item>
/// <item><c>detect</c>: the walk without motion reports, so the server's detector must find the figure; the time from
/// the figure's first frame to the camera showing motion (polled every 25 ms), per camera and cycle, and the cost.</item>
/// </list>
/// <c>NVR_BENCH_SERVER_DLL</c> names another build of the server (a before/after comparison).
/// </summary>
internal static class WalkBenchmark
{
    /// <param name="recording">A recording mode to set on every camera instead of the shipped one (off: what ingest alone costs).</param>
    /// <param name="warmup">Seconds streamed (and their clips written) before the measurement starts.</param>
    public static async Task<int> RunAsync(string mode, int cameras, int seconds, int warmup, string? recording = null)
    {
        var walk = mode == "walk";
        var detect = mode == "detect";
        var frames = walk || detect ? await TestFrames.LoadWalkAsync("vga") : await TestFrames.LoadAsync("vga", moving: false);
        var dll = Environment.GetEnvironmentVariable("NVR_BENCH_SERVER_DLL") is { Length: > 0 } other ? other : ServerUnderTest.PublishedWebDll();
        await using var server = await ServerUnderTest.StartAsync(dll, new Dictionary<string, string>
        {
            ["Nvr__Ingest__Esp32Admission"] = "Open", // no approval step; everything else as shipped
            // All cameras connect at once from one address: more than the shipped burst of 20 would be answered 429.
            ["Nvr__Ingest__ConnectBurst"] = Math.Max(20, cameras).ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        });
        using var api = new NvrApi(server.BaseUri);
        await api.SignInAsync(server.AdminPassword);

        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < cameras; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{server.BaseUri.Host}:{server.BaseUri.Port}/ws"), CancellationToken.None);
            await SendTextAsync(socket, $"{{\"hostName\":\"walk-{i}\",\"framesize\":\"8\",\"fps\":\"10\",\"quality\":\"12\"}}");
            sockets.Add(socket);
        }
        var draining = sockets.Select(DrainAsync).ToList();
        while ((await api.CamerasByHostNameAsync()).Count < cameras)
            await Task.Delay(200);

        if (recording is not null)
            foreach (var id in (await api.CamerasByHostNameAsync()).Values)
                await api.SetRecordingAsync(id, recording, "auto");
        // Warm-up: what is measured is the server as it runs for months, not its first minutes of compiling code. At
        // least `warmup` seconds (30: a walk and its clip), then 30 s more at a time while the server still compiled
        // more than 0.05 s of code in the last 30 s (its hot methods recompiled optimised: 0.56 s of CPU in the server's
        // second half-minute and 0.18-0.28 s in each of the next two at 50 idle cameras, docs/performance.md), at most
        // 5 minutes more.
        var warmed = 0;
        if (warmup > 0)
        {
            var compiled = Compiling(await api.MetricsAsync());
            for (var chunk = warmup; chunk > 0; chunk = 30)
            {
                await Task.WhenAll(sockets.Select((socket, index) => StreamAsync(socket, frames, chunk, walk, index, null)));
                warmed += chunk;
                var now = Compiling(await api.MetricsAsync());
                if (now - compiled < 0.05 || warmed >= warmup + 300)
                    break;
                compiled = now;
            }
            await WaitForClipsAsync(api, server.BaseUri, walk);
        }
        var before = (await WaitForClipsAsync(api, server.BaseUri, walk: false)).Select(c => c.Id).ToHashSet();
        var pid = server.ProcessId!.Value;
        var metrics0 = await api.MetricsAsync();
        var received0 = metrics0.Sum("nvr_camera_frames_received_total");
        var cpu0 = Cpu(pid);
        var clock = Stopwatch.StartNew();
        var entered = detect ? Enumerable.Range(0, cameras).Select(_ => new List<long>()).ToArray() : null;
        using var polling = new CancellationTokenSource();
        var detected = detect ? PollMotionAsync(api, cameras, polling.Token) : Task.FromResult(new List<long>[cameras]);
        await Task.WhenAll(sockets.Select((socket, index) => StreamAsync(socket, frames, seconds, walk, index, entered?[index])));
        var streamed = clock.Elapsed.TotalSeconds;
        await polling.CancelAsync();
        if (entered is not null)
            ReportDetection(entered, await detected);
        // The clips still open end after their post-roll; their cost belongs to the run.
        var clips = (await WaitForClipsAsync(api, server.BaseUri, walk)).Where(c => !before.Contains(c.Id)).ToList();
        var cpu1 = Cpu(pid);
        var total = (cpu1.Server - cpu0.Server) + (cpu1.Ffmpeg - cpu0.Ffmpeg);
        // What the server counted, not what was meant to be sent: a client that fell behind must not flatter the figure.
        var metrics1 = await api.MetricsAsync();
        var received = metrics1.Sum("nvr_camera_frames_received_total") - received0;
        // A server still compiling its hot code (the first minutes after a start) is not what it costs for months.
        var jit = Compiling(metrics1) - Compiling(metrics0);
        var jitted = metrics1.Sum("dotnet_jit_methods_total") - metrics0.Sum("dotnet_jit_methods_total");
        Console.WriteLine(FormattableString.Invariant($"{mode}: {cameras} ESP32 cameras, VGA 10 fps, {warmed} s warm-up, then {seconds} s streamed ({streamed:0.0} s), then {clock.Elapsed.TotalSeconds - streamed:0.0} s until every clip was written; the server took in {received:N0} frames of {cameras * seconds * 10:N0} sent"));
        Console.WriteLine(FormattableString.Invariant($"  server CPU {cpu1.Server - cpu0.Server:0.00} s (of which compiling code: {jit:0.00} s, {jitted:N0} methods), ffmpeg CPU {cpu1.Ffmpeg - cpu0.Ffmpeg:0.00} s, {clips.Count} clips of {(clips.Count == 0 ? 0 : clips.Average(c => c.Seconds)):0.0} s average ({clips.Sum(c => c.Bytes) / 1024.0 / 1024:0.0} MB)"));
        Console.WriteLine(FormattableString.Invariant($"  {total / (cameras * seconds):0.000} CPU-s per camera-second; {total / received * 1000:0.00} ms per received frame") +
            // Answering the status polls (40 a second) takes most of the server's CPU in a detect run.
            (detect ? " (with the status polls: not what a camera costs; see walk and idle)" : ""));
        var detection = (await api.HealthAsync()).GetProperty("detection");
        Console.WriteLine(detection.GetProperty("on").GetBoolean()
            ? FormattableString.Invariant($"  object detection on ({ServerUnderTest.DetectionModels()}): {detection.GetProperty("analysed").GetInt64():N0} frames analysed since the start, {detection.GetProperty("skipped").GetInt64():N0} skipped")
            : "  object detection off (no models; NVR_BENCH_MODELS)");
        foreach (var socket in sockets)
            socket.Abort();
        await Task.WhenAll(draining);
        return 0;
    }

    /// <summary>Seconds the server has spent compiling code since its start (/metrics).</summary>
    private static double Compiling(Metrics metrics) => metrics.Sum("dotnet_jit_compilation_seconds_total");

    /// <summary>The server's CPU seconds, and its ffmpeg children's: running ones from /proc, finished ones as the kernel counted them.</summary>
    private static (double Server, double Ffmpeg) Cpu(int pid) =>
        (ProcFs.CpuSeconds(pid) ?? 0, (ProcFs.ReapedChildrenCpuSeconds(pid) ?? 0) + ProcFs.Children(pid).Values.Sum());

    /// <summary>The first frame of each cycle with the figure in it (it walks in from second 10).</summary>
    private const int FigureEnters = 100;

    /// <param name="entered">When given: the times the figure's first frame of each cycle was sent.</param>
    private static async Task StreamAsync(ClientWebSocket socket, IReadOnlyList<byte[]> frames, int seconds, bool walk, int index, List<long>? entered)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < seconds * 10; i++)
        {
            var wait = TimeSpan.FromMilliseconds(i * 100) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            var inCycle = i % frames.Count;
            if (walk && inCycle == 100)
                await SendTextAsync(socket, "MotionStart");
            if (walk && inCycle == 200)
                await SendTextAsync(socket, "MotionEnd");
            if (entered is not null && inCycle == FigureEnters)
                entered.Add(Stopwatch.GetTimestamp());
            var jpeg = frames[inCycle];
            var digits = Encoding.ASCII.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            await socket.SendAsync((byte[])[.. jpeg, .. digits], WebSocketMessageType.Binary, true, CancellationToken.None);
        }
    }

    /// <summary>For each camera (walk-0, walk-1, ...), the times its motion went from off to on.</summary>
    private static async Task<List<long>[]> PollMotionAsync(NvrApi api, int cameras, CancellationToken stop)
    {
        var starts = Enumerable.Range(0, cameras).Select(_ => new List<long>()).ToArray();
        var was = new bool[cameras];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var camera in (await api.CamerasAsync()).EnumerateArray())
                {
                    var name = camera.GetProperty("hostName").GetString() ?? "";
                    if (!name.StartsWith("walk-", StringComparison.Ordinal))
                        continue;
                    var index = int.Parse(name[5..], CultureInfo.InvariantCulture);
                    var motion = camera.GetProperty("motion").GetBoolean();
                    if (motion && !was[index])
                        starts[index].Add(Stopwatch.GetTimestamp());
                    was[index] = motion;
                }
                await Task.Delay(25, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return starts;
    }

    private static void ReportDetection(List<long>[] entered, List<long>[] detected)
    {
        var delays = new List<double>();
        for (var camera = 0; camera < entered.Length; camera++)
        {
            foreach (var at in entered[camera])
            {
                var first = detected[camera].Where(d => d >= at).DefaultIfEmpty(-1).Min();
                if (first >= 0 && Stopwatch.GetElapsedTime(at, first) < TimeSpan.FromSeconds(10))
                    delays.Add(Stopwatch.GetElapsedTime(at, first).TotalMilliseconds);
            }
        }
        var walks = entered.Sum(e => e.Count);
        delays.Sort();
        Console.WriteLine(FormattableString.Invariant($"  detected {delays.Count} of {walks} walks; from the figure's first frame to motion on: median {(delays.Count == 0 ? double.NaN : delays[delays.Count / 2]):0} ms, min {delays.DefaultIfEmpty(double.NaN).First():0}, max {delays.DefaultIfEmpty(double.NaN).Last():0} ms (polled every 25 ms)"));
    }

    private static Task SendTextAsync(ClientWebSocket socket, string payload) =>
        socket.SendAsync(Encoding.UTF8.GetBytes($"#{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}|{payload}"), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task DrainAsync(ClientWebSocket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
                await socket.ReceiveAsync(buffer, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    private static async Task<List<(long Id, double Seconds, long Bytes)>> WaitForClipsAsync(NvrApi api, Uri server, bool walk)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = api.Cookies }) { BaseAddress = server };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var items = (await http.GetFromJsonAsync<JsonElement>("/api/clips?pageSize=500")).EnumerateArray().ToList();
            if (!walk || items.All(c => c.GetProperty("state").GetString() != "recording") || DateTime.UtcNow > deadline)
                return items.Select(c => (c.GetProperty("id").GetInt64(), c.GetProperty("durationSeconds").GetDouble(), c.GetProperty("bytes").GetInt64())).ToList();
            await Task.Delay(500);
        }
    }
}
