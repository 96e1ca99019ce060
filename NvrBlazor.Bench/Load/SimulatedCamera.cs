using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace NvrBlazor.Bench.Load;

public enum WireProtocol { Esp32, Nvr }

/// <summary>
/// One camera on the wire. ESP32: /ws, a status JSON naming its hostName first, each frame the JPEG
/// followed by the capture second in ASCII digits, every message in 10 KiB fragments as the firmware
/// sends them. NvrBlazor protocol: /ingest?token=, an 8-byte big-endian capture time in ms, then the
/// JPEG. Each frame carries its sequence number in a JPEG comment right after the start marker, so a
/// viewer knows exactly which frame arrived and when it was sent (one clock: this process).
/// </summary>
public sealed class SimulatedCamera(int index, WireProtocol protocol, string hostName) : IAsyncDisposable
{
    public const int Esp32FragmentBytes = 10 * 1024;
    /// <summary>FF D8, then FF FE (comment), length 12, sequence (8 bytes), camera index (2 bytes).</summary>
    public const int MarkerBytes = 2 + 2 + 2 + 8 + 2;
    public const int SequenceOffsetInJpeg = 6;
    private const int Ring = 1 << 16;
    private readonly ClientWebSocket socket = new();
    private readonly long[] sentAt = new long[Ring];
    private Task? draining;
    private Task keepingAlive = Task.CompletedTask;
    private readonly CancellationTokenSource stopKeepingAlive = new();

    public int Index { get; } = index;
    public WireProtocol Protocol { get; } = protocol;
    public string HostName { get; } = hostName;
    public int Id { get; set; }
    public string? Token { get; set; }
    /// <summary>Frames sent so far; the next frame's sequence number.</summary>
    public long Sent => Interlocked.Read(ref sent);
    private long sent;
    /// <summary>How far behind its schedule the camera fell at worst (the benchmark machine itself was too busy).</summary>
    public double WorstLateMs { get; private set; }
    public bool Failed { get; private set; }

    /// <summary>When frame <paramref name="sequence"/> left (Stopwatch ticks).</summary>
    public long SentAt(long sequence) => Volatile.Read(ref sentAt[sequence & (Ring - 1)]);

    public async Task ConnectAsync(Uri server, CancellationToken cancellationToken, bool keepAlive = true)
    {
        var path = Protocol == WireProtocol.Esp32 ? "ws" : $"ingest?token={Uri.EscapeDataString(Token!)}";
        await socket.ConnectAsync(new Uri($"ws://{server.Host}:{server.Port}/{path}"), cancellationToken);
        draining = Task.Run(DrainAsync, CancellationToken.None);
        await SendStatusAsync(cancellationToken);
        if (keepAlive)
            keepingAlive = Task.Run(KeepAliveAsync, CancellationToken.None);
    }

    /// <summary>The camera's status (an ESP32 names itself with it); capture time in seconds or milliseconds by protocol.</summary>
    private Task SendStatusAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var time = Protocol == WireProtocol.Esp32 ? now.ToUnixTimeSeconds() : now.ToUnixTimeMilliseconds();
        var status = $"#{time}|{{\"hostName\":\"{HostName}\",\"framesize\":\"8\",\"fps\":\"10\",\"quality\":\"12\"}}";
        return SendAsync(Encoding.UTF8.GetBytes(status), WebSocketMessageType.Text, cancellationToken);
    }

    /// <summary>Until it streams, the camera sends its status every 3 s, so the server's idle timeout (10 s) does not close it while the benchmark sets up.</summary>
    private async Task KeepAliveAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), stopKeepingAlive.Token);
                await SendStatusAsync(stopKeepingAlive.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    /// <summary>Sends frames at <paramref name="fps"/> on a fixed schedule (starting after <paramref name="offset"/>) until cancelled.</summary>
    public async Task StreamAsync(IReadOnlyList<byte[]> frames, double fps, TimeSpan offset, CancellationToken cancellationToken)
    {
        await stopKeepingAlive.CancelAsync();
        await keepingAlive;
        var buffer = new byte[frames.Max(f => f.Length) + MarkerBytes + 32];
        var interval = TimeSpan.FromSeconds(1 / fps);
        var start = Stopwatch.GetTimestamp();
        try
        {
            for (long i = 0; !cancellationToken.IsCancellationRequested; i++)
            {
                var wait = offset + (interval * i) - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, cancellationToken);
                else
                    WorstLateMs = Math.Max(WorstLateMs, -wait.TotalMilliseconds);
                var length = Build(buffer, frames[(int)((i + Index) % frames.Count)], i);
                Volatile.Write(ref sentAt[i & (Ring - 1)], Stopwatch.GetTimestamp());
                await SendAsync(buffer.AsMemory(0, length), WebSocketMessageType.Binary, cancellationToken);
                Interlocked.Increment(ref sent);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
            Failed = true;
        }
    }

    /// <summary>The frame as this camera's protocol sends it, with the sequence comment; returns its length.</summary>
    private int Build(byte[] buffer, byte[] jpeg, long sequence)
    {
        var at = 0;
        var now = DateTimeOffset.UtcNow;
        if (Protocol == WireProtocol.Nvr)
        {
            BinaryPrimitives.WriteInt64BigEndian(buffer, now.ToUnixTimeMilliseconds());
            at = 8;
        }
        buffer[at] = 0xFF;
        buffer[at + 1] = 0xD8;
        buffer[at + 2] = 0xFF;
        buffer[at + 3] = 0xFE;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(at + 4), 12);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(at + SequenceOffsetInJpeg), sequence);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(at + 14), (ushort)Index);
        jpeg.AsSpan(2).CopyTo(buffer.AsSpan(at + MarkerBytes));
        at += MarkerBytes + jpeg.Length - 2;
        if (Protocol == WireProtocol.Esp32)
            at += Encoding.ASCII.GetBytes(now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), buffer.AsSpan(at));
        return at;
    }

    /// <summary>Reads the camera's sequence number and index from a JPEG that went through the server.</summary>
    public static (long Sequence, int Index)? Marker(ReadOnlySpan<byte> jpeg) =>
        jpeg.Length >= MarkerBytes && jpeg[2] == 0xFF && jpeg[3] == 0xFE
            ? (BinaryPrimitives.ReadInt64BigEndian(jpeg[SequenceOffsetInJpeg..]), BinaryPrimitives.ReadUInt16BigEndian(jpeg[14..]))
            : null;

    public async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        if (Protocol == WireProtocol.Nvr)
        {
            await socket.SendAsync(message, type, true, cancellationToken);
            return;
        }
        for (var offset = 0; offset < message.Length; offset += Esp32FragmentBytes)
        {
            var length = Math.Min(Esp32FragmentBytes, message.Length - offset);
            await socket.SendAsync(message.Slice(offset, length), type, offset + length == message.Length, cancellationToken);
        }
    }

    /// <summary>The server's greeting, status polls and acks are read and dropped (a real camera reads them too).</summary>
    private async Task DrainAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopKeepingAlive.CancelAsync();
        await keepingAlive;
        stopKeepingAlive.Dispose();
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        socket.Abort();
        if (draining is not null)
            await draining;
        socket.Dispose();
    }
}
