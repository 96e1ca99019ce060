using System.Net.WebSockets;
using System.Text;

namespace NvrBlazor.Bench.Load;

/// <summary>
/// The ingest issue's bad inputs, each from its own connection, running beside healthy cameras:
/// binary that is not a JPEG, a JPEG cut short, a JPEG without a timestamp, broken JSON, a camera
/// flooding far above Nvr:Ingest:MaxFps, a message over Nvr:Ingest:MaxMessageBytes (the server closes
/// with 1009; it reconnects), sockets that open and never speak (closed at the idle timeout; reopened),
/// a connect storm from one address (429s, from 3 s on), and an agent with a wrong token once a second (401).
/// </summary>
public sealed class BadInputTraffic(Uri server, IReadOnlyList<byte[]> frames)
{
    private long attempts, refused429, refused401, closed1009, idleClosed;
    private readonly List<Task> running = [];

    public string Summary => $"{Interlocked.Read(ref attempts):N0} storm connects ({Interlocked.Read(ref refused429):N0} answered 429), " +
        $"{Interlocked.Read(ref refused401):N0} wrong-token connects refused 401, {Interlocked.Read(ref closed1009):N0} oversized messages closed with 1009, " +
        $"{Interlocked.Read(ref idleClosed):N0} silent sockets closed at the idle timeout";

    /// <summary>Starts every bad client; the connect storm begins 3 s later, once the others are connected (it leaves no connects for anyone else from this address).</summary>
    public void Start(CancellationToken stop)
    {
        var jpeg = frames[0];
        running.Add(Esp32LoopAsync("bad-not-jpeg", 10, _ => Encoding.ASCII.GetBytes("this is not a picture at all, just bytes"), stop));
        running.Add(Esp32LoopAsync("bad-cut-short", 10, _ => jpeg[..(jpeg.Length / 2)], stop));
        running.Add(Esp32LoopAsync("bad-no-timestamp", 10, _ => jpeg, stop));
        running.Add(Esp32LoopAsync("bad-json", 10, null, stop));
        running.Add(Esp32LoopAsync("bad-flood", 300, n => [.. jpeg, .. Encoding.ASCII.GetBytes(DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))], stop));
        running.Add(OversizedLoopAsync(stop));
        running.Add(SilentLoopAsync(stop));
        running.Add(StormLoopAsync("ingest?token=not-a-real-token", stop, pace: TimeSpan.FromSeconds(1)));
        running.Add(Task.Run(async () =>
        {
            await PauseAsync(stop, seconds: 3);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StormLoopAsync("ws", stop)));
        }, CancellationToken.None));
    }

    public async Task StopAsync()
    {
        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>An ESP32 camera that identifies itself, then sends <paramref name="make"/> (binary) or broken JSON (text) at <paramref name="rate"/>/s, reconnecting when closed.</summary>
    private async Task Esp32LoopAsync(string hostName, double rate, Func<long, byte[]>? make, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var camera = new SimulatedCamera(0, WireProtocol.Esp32, hostName);
            try
            {
                await camera.ConnectAsync(server, stop, keepAlive: false);
                for (long n = 0; !stop.IsCancellationRequested; n++)
                {
                    if (make is null)
                        await camera.SendAsync(Encoding.UTF8.GetBytes($"#{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}|{{\"hostName\":\"{hostName}\",\"fps\":"), WebSocketMessageType.Text, stop);
                    else
                        await camera.SendAsync(make(n), WebSocketMessageType.Binary, stop);
                    await Task.Delay(TimeSpan.FromSeconds(1 / rate), stop);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                await PauseAsync(stop);
            }
            finally
            {
                await camera.DisposeAsync();
            }
        }
    }

    private async Task OversizedLoopAsync(CancellationToken stop)
    {
        var huge = new byte[3 * 1024 * 1024];
        huge[0] = 0xFF;
        huge[1] = 0xD8;
        while (!stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(new Uri($"ws://{server.Host}:{server.Port}/ws"), stop);
                await socket.SendAsync(Encoding.UTF8.GetBytes($"#{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}|{{\"hostName\":\"bad-oversized\"}}"), WebSocketMessageType.Text, true, stop);
                await socket.SendAsync(huge, WebSocketMessageType.Binary, true, stop);
                var buffer = new byte[1024];
                while ((await socket.ReceiveAsync(buffer, stop)).MessageType != WebSocketMessageType.Close)
                {
                }
                if (socket.CloseStatus == WebSocketCloseStatus.MessageTooBig)
                    Interlocked.Increment(ref closed1009);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
            await PauseAsync(stop);
        }
    }

    private async Task SilentLoopAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = new ClientWebSocket();
                try
                {
                    await socket.ConnectAsync(new Uri($"ws://{server.Host}:{server.Port}/ws"), stop);
                    var buffer = new byte[1024];
                    while ((await socket.ReceiveAsync(buffer, stop)).MessageType != WebSocketMessageType.Close)
                    {
                    }
                    Interlocked.Increment(ref idleClosed);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    await PauseAsync(stop);
                }
            }
        }));
    }

    private async Task StormLoopAsync(string path, CancellationToken stop, TimeSpan? pace = null)
    {
        while (!stop.IsCancellationRequested)
        {
            if (pace is { } wait)
                await PauseAsync(stop, (int)wait.TotalSeconds);
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            Interlocked.Increment(ref attempts);
            try
            {
                await socket.ConnectAsync(new Uri($"ws://{server.Host}:{server.Port}/{path}"), stop);
                socket.Abort();
            }
            catch (WebSocketException)
            {
                if ((int)socket.HttpStatusCode == 429)
                    Interlocked.Increment(ref refused429);
                else if ((int)socket.HttpStatusCode == 401)
                    Interlocked.Increment(ref refused401);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static async Task PauseAsync(CancellationToken stop, int seconds = 1)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
