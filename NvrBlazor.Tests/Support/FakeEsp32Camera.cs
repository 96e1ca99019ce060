using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// Behaves like an ESP32-CAM running the MJPEG2SD firmware's remote streaming, per
/// ../shared/ESP32_PROTOCOL.md, written independently of the server's parsers: every message in
/// 10 KiB fragments, `#ts|payload` text, JPEG followed by ASCII seconds, and commands handled like the
/// firmware (fps/framesize/socketFps/pause/reset/socketJpg applied silently, any other key=value
/// echoed, status / status?q answered with JSON, "paused" every 2 s while paused).
/// </summary>
public sealed class FakeEsp32Camera : IAsyncDisposable
{
    public const int FragmentBytes = 10 * 1024;
    private readonly ClientWebSocket socket = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private Task? receiving;

    public FakeEsp32Camera(string hostName) => HostName = hostName;

    public string HostName { get; }
    public string? Greeting { get; private set; }
    public ConcurrentQueue<string> CommandsReceived { get; } = new();
    public Dictionary<string, string> Settings { get; } = new() { ["fps"] = "10", ["framesize"] = "8", ["quality"] = "12", ["enableMotion"] = "1" };
    public bool Paused { get; private set; }
    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;
    public string? CloseReason => socket.CloseStatusDescription;
    public WebSocketState State => socket.State;
    public int FramesSent { get; private set; }

    /// <summary>Completes when the server closed the connection (or it dropped).</summary>
    public Task Closed => receiving ?? Task.CompletedTask;

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <param name="from">The loopback address to connect from (127.0.5.1 ...): another network, as the server sees it.</param>
    public async Task ConnectAsync(Uri server, bool sendStatus = true, System.Net.IPAddress? from = null)
    {
        var uri = new Uri($"ws://{server.Host}:{server.Port}/ws");
        if (from is null)
            await socket.ConnectAsync(uri, stop.Token);
        else
        {
            using var invoker = new HttpMessageInvoker(LocalAddress.Handler(from));
            await socket.ConnectAsync(uri, invoker, stop.Token);
        }
        Greeting = await ReceiveTextAsync(stop.Token);
        receiving = Task.Run(ReceiveLoopAsync);
        if (sendStatus)
            await SendStatusAsync();
    }

    /// <summary>The full status: hostName and framesize appear twice, values are strings except llevel.</summary>
    public Task SendStatusAsync() =>
        SendTextAsync("{\"hostName\":\"" + HostName + "\",\"framesize\":\"" + Settings["framesize"] + "\",\"fps\":\"" + Settings["fps"] +
                      "\",\"clock\":\"12:00:00\",\"up_time\":\"0-00:01:00\",\"free_heap\":\"123456\",\"wifi_rssi\":\"-61\",\"fw_version\":\"8.8a\",\"llevel\":1," +
                      "\"quality\":\"" + Settings["quality"] + "\",\"hostName\":\"" + HostName + "\",\"framesize\":\"" + Settings["framesize"] + "\",\"pwd\":\"****\"}");

    public Task SendTextAsync(string payload, long? time = null) =>
        SendFragmentedAsync(Encoding.UTF8.GetBytes($"#{time ?? Now}|{payload}"), WebSocketMessageType.Text);

    public Task SendRawTextAsync(string text) => SendFragmentedAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendFrameAsync(byte[] jpeg, long? time = null)
    {
        var digits = Encoding.ASCII.GetBytes((time ?? Now).ToString());
        await SendFragmentedAsync([.. jpeg, .. digits], WebSocketMessageType.Binary);
        FramesSent++;
    }

    public Task SendBinaryAsync(byte[] bytes) => SendFragmentedAsync(bytes, WebSocketMessageType.Binary);

    /// <summary>Streams at <paramref name="fps"/> for <paramref name="duration"/>; while paused, sends "paused" every 2 s instead.</summary>
    public async Task StreamAsync(double fps, TimeSpan duration, int jpegBytes = 30_000, byte[]? jpeg = null)
    {
        var interval = TimeSpan.FromSeconds(1 / fps);
        var start = DateTime.UtcNow;
        var next = start;
        var lastPaused = DateTime.MinValue;
        while (DateTime.UtcNow - start < duration && socket.State == WebSocketState.Open)
        {
            if (Paused)
            {
                if (DateTime.UtcNow - lastPaused >= TimeSpan.FromSeconds(2))
                {
                    await SendTextAsync("paused");
                    lastPaused = DateTime.UtcNow;
                }
                await Task.Delay(100);
                continue;
            }
            await SendFrameAsync(jpeg ?? SyntheticJpeg(jpegBytes, FramesSent));
            next += interval;
            var wait = next - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
        }
    }

    /// <summary>FF D8, a JFIF-like header, deterministic filler, FF D9: enough for a server that does not decode.</summary>
    public static byte[] SyntheticJpeg(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        for (var i = 4; i < size - 2; i++)
        {
            if (bytes[i] == 0xFF)
                bytes[i] = 0x00;
        }
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }

    private async Task SendFragmentedAsync(byte[] message, WebSocketMessageType type)
    {
        await sendLock.WaitAsync();
        try
        {
            for (var offset = 0; offset < message.Length || offset == 0; offset += FragmentBytes)
            {
                var length = Math.Min(FragmentBytes, message.Length - offset);
                var last = offset + length >= message.Length;
                await socket.SendAsync(message.AsMemory(offset, length), type, last, stop.Token);
                if (last)
                    break;
            }
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var text = await ReceiveTextAsync(stop.Token);
                if (text is null)
                {
                    // Like any WebSocket client library (the firmware's included): answer the server's close.
                    if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", stop.Token);
                    return;
                }
                CommandsReceived.Enqueue(text);
                await ExecuteAsync(text);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    private async Task ExecuteAsync(string message)
    {
        foreach (var command in message.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = command.IndexOf('=');
            if (equals < 0)
            {
                if (command is "status" or "status?q")
                    await SendStatusAsync();
                continue;
            }
            var key = command[..equals];
            var value = command[(equals + 1)..];
            switch (key)
            {
                case "pause":
                    Paused = value == "1";
                    break;
                case "fps" or "framesize" or "socketFps" or "reset" or "socketJpg":
                    Settings[key] = value;
                    break;
                default:
                    await SendTextAsync($"{key}={value}");
                    Settings[key] = value;
                    break;
            }
        }
    }

    private async Task<string?> ReceiveTextAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(message.ToArray());
        }
    }

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
            return;
        disposed = true;
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        await stop.CancelAsync();
        if (receiving is not null)
            await receiving.WaitAsync(TimeSpan.FromSeconds(5));
        socket.Dispose();
        stop.Dispose();
        sendLock.Dispose();
    }
}
