using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace NvrBlazor.Tests.Support;

/// <summary>One frame as a browser receives it on the live socket, parsed here independently of the server's code.</summary>
public sealed record ViewerFrame(int CameraId, long CameraTimeMs, long ReceivedMs, byte[] Jpeg);

/// <summary>
/// A hand-made client of the live socket (/live/socket, docs/protocol.md), with a user's sign-in
/// cookie. Reading is started explicitly, so a test can play a viewer that reads nothing.
/// </summary>
public sealed class ViewerSocket : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly CancellationTokenSource stop = new();
    private Task? reading;

    public ConcurrentQueue<ViewerFrame> Frames { get; } = new();
    public ConcurrentQueue<JsonElement> Texts { get; } = new();
    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public static async Task<ViewerSocket> ConnectAsync(Uri server, CookieContainer? cookies, string? origin = null, bool startReading = true)
    {
        var viewer = new ViewerSocket();
        viewer.socket.Options.Cookies = cookies;
        viewer.socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
            viewer.socket.Options.SetRequestHeader("Origin", origin);
        await viewer.socket.ConnectAsync(new Uri($"ws://{server.Host}:{server.Port}/live/socket"), viewer.stop.Token);
        if (startReading)
            viewer.StartReading();
        return viewer;
    }

    /// <summary>The HTTP status a refused upgrade answered with.</summary>
    public static async Task<HttpStatusCode> RefusalAsync(Uri server, CookieContainer? cookies, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = cookies;
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
            socket.Options.SetRequestHeader("Origin", origin);
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{server.Host}:{server.Port}/live/socket"), CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        throw new InvalidOperationException("The live socket opened; a refusal was expected.");
    }

    public void StartReading() => reading ??= Task.Run(ReadLoopAsync);

    public Task SendAsync(string text) => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, stop.Token);

    public Task SendBinaryAsync(byte[] bytes) => socket.SendAsync(bytes, WebSocketMessageType.Binary, true, stop.Token);

    public Task SubscribeAsync(int cameraId) => SendAsync($"{{\"op\":\"subscribe\",\"camera\":{cameraId}}}");

    public Task UnsubscribeAsync(int cameraId) => SendAsync($"{{\"op\":\"unsubscribe\",\"camera\":{cameraId}}}");

    public int FramesOf(int cameraId) => Frames.Count(f => f.CameraId == cameraId);

    /// <summary>
    /// A camera's frame rate and size as this viewer sees them, from the frames' capture times over the last
    /// <paramref name="frames"/> frames (the first <paramref name="skip"/> left out: on subscribing the server sends the
    /// last frame it has, however old, and a source may still be starting). The rate is the inverse of the median gap
    /// between frames, not of the mean: a stall of the loaded CI machine (a two-second gap, after which the server rightly
    /// drops the burst a source sends to catch up) would otherwise read as a slow camera (CI measured 5.5 fps for 10).
    /// </summary>
    public async Task<(double Fps, (int, int)? Size)> RateAsync(int cameraId, int frames, int skip = 5)
    {
        var seen = await Eventually.ValueAsync(() => Task.FromResult(Frames.Where(f => f.CameraId == cameraId).ToList()),
            list => list.Count >= frames + skip, TimeSpan.FromSeconds(60), $"{frames} frames of camera {cameraId}");
        seen = seen[^frames..];
        var gaps = seen.Zip(seen.Skip(1), (a, b) => b.CameraTimeMs - a.CameraTimeMs).Order().ToList();
        var median = gaps.Count % 2 == 1 ? gaps[gaps.Count / 2] : (gaps[gaps.Count / 2 - 1] + gaps[gaps.Count / 2]) / 2.0;
        return (1000.0 / median, NvrBlazor.Domain.Ingest.JpegHeader.TryReadSize(seen[^1].Jpeg));
    }

    /// <summary>
    /// The configured rate, within 0.7-1.25x: never a faster source's own rate, a changed rate (10 → 5) told apart, and
    /// room for an ffmpeg starved by a loaded CI machine (a run measured 3.13 fps for 4).
    /// </summary>
    public static void AssertRate(double configured, double measured) => Assert.InRange(measured, 0.7 * configured, 1.25 * configured);

    public Task<JsonElement> TextAsync(Func<JsonElement, bool> match, string what) =>
        Eventually.ValueAsync(() => Task.FromResult(Texts.FirstOrDefault(match)), t => t.ValueKind == JsonValueKind.Object, what: what);

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                var bytes = message.ToArray();
                message.SetLength(0);
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    Texts.Enqueue(JsonDocument.Parse(bytes).RootElement.Clone());
                }
                else if (bytes.Length >= 21 && bytes[0] == 1)
                {
                    Frames.Enqueue(new ViewerFrame(
                        BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)),
                        BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(5)),
                        BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(13)),
                        bytes[21..]));
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (reading is not null)
            await reading;
        socket.Dispose();
        stop.Dispose();
    }
}
