using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Recording;
using NvrBlazor.Web.Retention;

namespace NvrBlazor.Bench;

/// <summary>
/// A retention run over N clips (rows and 1 KB files, 60 % past their 14 days) on the real app on
/// loopback, while one agent camera streams VGA at 10 fps to one viewer socket: the run's wall time, and
/// the camera-to-viewer latency (send to receive, same clock) when idle and during the run.
/// </summary>
internal static class RetentionBenchmark
{
    private const string Password = "retention-bench-passphrase-1";

    public static async Task<int> RunAsync(int clips, List<byte[]> frames)
    {
        var root = Directory.CreateTempSubdirectory("nvr-bench-retention-").FullName;
        var port = NvrBlazor.Bench.Load.ServerUnderTest.FreePort();
        await using var app = await NvrApplication.CreateAsync(
        [
            $"--Nvr:DataPath={root}/data", $"--Nvr:RecordingsPath={root}/recordings", "--Nvr:ListenAddress=127.0.0.1",
            $"--Nvr:Http:Port={port}", $"--Nvr:Https:Port={NvrBlazor.Bench.Load.ServerUnderTest.FreePort()}", $"--Nvr:Admin:Password={Password}",
            "--Nvr:Retention:Schedule=off", "--Nvr:Reconcile:Schedule=off", "--Logging:LogLevel:Default=Warning",
        ]) ?? throw new InvalidOperationException("the app did not build");
        await app.StartAsync();
        using var api = new NvrBlazor.Bench.Load.NvrApi(new Uri($"http://127.0.0.1:{port}/"));
        await api.SignInAsync(Password);
        var (cameraId, token) = await api.CreateAgentAsync("Bench");
        var cookies = api.Cookies;

        var seeding = Stopwatch.StartNew();
        await SeedAsync(app, Path.Combine(root, "recordings"), cameraId, clips);
        Console.WriteLine(FormattableString.Invariant($"seeded {clips:N0} clips (rows and 1 KB files) in {seeding.Elapsed.TotalSeconds:0.0} s"));

        var sent = new ConcurrentDictionary<long, long>();
        var latencies = new ConcurrentQueue<(string Phase, double Ms)>();
        var phase = "warm-up";
        using var stop = new CancellationTokenSource();
        using var viewer = new ClientWebSocket();
        viewer.Options.Cookies = cookies;
        await viewer.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/live/socket"), stop.Token);
        await viewer.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { op = "subscribe", camera = cameraId }), WebSocketMessageType.Text, true, stop.Token);
        var reading = Task.Run(() => ReadAsync(viewer, sent, latencies, () => phase, stop.Token));
        using var camera = new ClientWebSocket();
        await camera.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ingest?token={token}"), stop.Token);
        var sending = Task.Run(() => SendAsync(camera, frames, sent, stop.Token));

        await Task.Delay(TimeSpan.FromSeconds(5));
        phase = "idle";
        await Task.Delay(TimeSpan.FromSeconds(20));
        phase = "during";
        var jobs = app.Services.GetRequiredService<HousekeepingJobs>();
        if (jobs.Run(RetentionJob.JobName, JobTrigger.Manual, "bench") != RunRequest.Started)
            throw new InvalidOperationException("retention did not start");
        var history = app.Services.GetRequiredService<JobHistory>();
        JobRun? run = null;
        while (run?.Ended is null)
        {
            await Task.Delay(100);
            run = (await history.RecentAsync(RetentionJob.JobName, 1, CancellationToken.None)).FirstOrDefault();
        }
        phase = "after";
        await stop.CancelAsync();
        await Task.WhenAll(sending.ContinueWith(_ => { }), reading.ContinueWith(_ => { }));

        var wall = (run.Ended.Value - run.Started).TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"retention over {clips:N0} clips: {run.ClipsDeleted:N0} deleted, {run.BytesFreed / 1e6:0.0} MB freed, wall {wall:0.00} s ({run.ClipsDeleted / wall:N0} clips/s), outcome {run.Outcome}"));
        foreach (var name in new[] { "idle", "during" })
        {
            var ms = latencies.Where(l => l.Phase == name).Select(l => l.Ms).Order().ToList();
            if (ms.Count == 0)
            {
                Console.WriteLine($"live latency {name}: no frames");
                continue;
            }
            Console.WriteLine(FormattableString.Invariant(
                $"live latency {name,-6} ({ms.Count} frames): p50 {NvrBlazor.Bench.Load.ScenarioRunner.Percentile(ms, 50):0.00} ms, p99 {NvrBlazor.Bench.Load.ScenarioRunner.Percentile(ms, 99):0.00} ms, max {ms[^1]:0.00} ms"));
        }
        await app.StopAsync();
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static async Task SeedAsync(WebApplication app, string recordings, int cameraId, int count)
    {
        var now = DateTimeOffset.UtcNow;
        var span = TimeSpan.FromDays(35); // 60 % of the clips are older than the default 14 days
        var content = new byte[1024];
        Random.Shared.NextBytes(content);
        var factory = app.Services.GetRequiredService<IDbContextFactory<NvrDbContext>>();
        foreach (var batch in Enumerable.Range(0, count).Chunk(10_000))
        {
            var rows = batch.Select(i =>
            {
                var start = now - span + span * i / count;
                var path = Path.Combine(ClipFiles.CameraFolder(cameraId, "Bench"), start.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"{i:D7}.mp4");
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(recordings, path))!);
                File.WriteAllBytes(Path.Combine(recordings, path), content);
                return new Clip { CameraId = cameraId, CameraName = "Bench", Start = start, End = start.AddSeconds(10), DurationSeconds = 10, Bytes = content.Length, Path = path, State = ClipState.Complete };
            }).ToList();
            await using var db = await factory.CreateDbContextAsync();
            db.Clips.AddRange(rows);
            await db.SaveChangesAsync();
        }
    }

    /// <summary>An agent camera at 10 fps; each frame's capture time is its key for the latency measurement.</summary>
    private static async Task SendAsync(ClientWebSocket camera, List<byte[]> frames, ConcurrentDictionary<long, long> sent, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var baseMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 100) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
                await Task.Delay(due, cancellationToken);
            var jpeg = frames[i % frames.Count];
            var message = new byte[8 + jpeg.Length];
            BinaryPrimitives.WriteInt64BigEndian(message, baseMs + i * 100);
            jpeg.CopyTo(message, 8);
            sent[baseMs + i * 100] = Stopwatch.GetTimestamp();
            await camera.SendAsync(message, WebSocketMessageType.Binary, true, cancellationToken);
        }
    }

    private static async Task ReadAsync(ClientWebSocket viewer, ConcurrentDictionary<long, long> sent, ConcurrentQueue<(string, double)> latencies, Func<string> phase, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await viewer.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                count += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Binary && count >= 21 && buffer[0] == 1
                && sent.TryRemove(BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(5)), out var at))
                latencies.Enqueue((phase(), Stopwatch.GetElapsedTime(at).TotalMilliseconds));
        }
    }
}
