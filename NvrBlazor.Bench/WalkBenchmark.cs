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
/// </list>
/// </summary>
internal static class WalkBenchmark
{
    /// <param name="recording">A recording mode to set on every camera instead of the shipped one (off: what ingest alone costs).</param>
    public static async Task<int> RunAsync(string mode, int cameras, int seconds, string? recording = null)
    {
        var walk = mode == "walk";
        var frames = walk ? await TestFrames.LoadWalkAsync("vga") : await TestFrames.LoadAsync("vga", moving: false);
        await using var server = await ServerUnderTest.StartAsync(ServerUnderTest.FindWebDll(), new Dictionary<string, string>
        {
            ["Nvr__Ingest__Esp32Admission"] = "Open", // no approval step; everything else as shipped
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
        var pid = server.ProcessId!.Value;
        var cpu0 = Cpu(pid);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(sockets.Select((socket, index) => StreamAsync(socket, frames, seconds, walk, index)));
        var streamed = clock.Elapsed.TotalSeconds;
        // The clips still open end after their post-roll; their cost belongs to the run.
        var clips = await WaitForClipsAsync(api, server.BaseUri, walk);
        var cpu1 = Cpu(pid);
        var total = (cpu1.Server - cpu0.Server) + (cpu1.Ffmpeg - cpu0.Ffmpeg);
        var received = cameras * seconds * 10;
        Console.WriteLine(FormattableString.Invariant($"{mode}: {cameras} ESP32 cameras, VGA 10 fps, {seconds} s streamed ({streamed:0.0} s), then {clock.Elapsed.TotalSeconds - streamed:0.0} s until every clip was written"));
        Console.WriteLine(FormattableString.Invariant($"  server CPU {cpu1.Server - cpu0.Server:0.00} s, ffmpeg CPU {cpu1.Ffmpeg - cpu0.Ffmpeg:0.00} s, {clips.Count} clips of {(clips.Count == 0 ? 0 : clips.Average(c => c.Seconds)):0.0} s average ({clips.Sum(c => c.Bytes) / 1024.0 / 1024:0.0} MB)"));
        Console.WriteLine(FormattableString.Invariant($"  {total / (cameras * seconds):0.000} CPU-s per camera-second; {total / received * 1000:0.00} ms per received frame"));
        foreach (var socket in sockets)
            socket.Abort();
        await Task.WhenAll(draining);
        return 0;
    }

    /// <summary>The server's CPU seconds, and its ffmpeg children's: running ones from /proc, finished ones as the kernel counted them.</summary>
    private static (double Server, double Ffmpeg) Cpu(int pid) =>
        (ProcFs.CpuSeconds(pid) ?? 0, (ProcFs.ReapedChildrenCpuSeconds(pid) ?? 0) + ProcFs.Children(pid).Values.Sum());

    private static async Task StreamAsync(ClientWebSocket socket, IReadOnlyList<byte[]> frames, int seconds, bool walk, int index)
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
            var jpeg = frames[inCycle];
            var digits = Encoding.ASCII.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
            await socket.SendAsync((byte[])[.. jpeg, .. digits], WebSocketMessageType.Binary, true, CancellationToken.None);
        }
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

    private static async Task<List<(double Seconds, long Bytes)>> WaitForClipsAsync(NvrApi api, Uri server, bool walk)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = api.Cookies }) { BaseAddress = server };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var items = (await http.GetFromJsonAsync<JsonElement>("/api/clips?pageSize=500")).EnumerateArray().ToList();
            if (!walk || items.All(c => c.GetProperty("state").GetString() != "recording") || DateTime.UtcNow > deadline)
                return items.Select(c => (c.GetProperty("durationSeconds").GetDouble(), c.GetProperty("bytes").GetInt64())).ToList();
            await Task.Delay(500);
        }
    }
}
