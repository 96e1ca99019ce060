using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace NvrBlazor.Bench.Load;

/// <summary>
/// One browser page's live socket (/live/socket with the admin's cookie) subscribed to some cameras.
/// For every frame it reads the camera's sequence comment and records the latency from the camera's
/// send (same process, same clock) when the frame was sent inside the measuring window. A "stalled"
/// viewer subscribes and then never reads again, like a browser tab frozen on a bad network.
/// </summary>
public sealed class SimulatedViewer(IReadOnlyList<SimulatedCamera> cameras, MeasuringWindow window, bool stalls) : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();
    private readonly Dictionary<int, long> received = [];
    private readonly Dictionary<int, long> receivedInWindow = [];
    private readonly HashSet<int> confirmed = [];
    private readonly TaskCompletionSource allConfirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private Task reading = Task.CompletedTask;

    public IReadOnlyList<SimulatedCamera> Cameras => cameras;
    public bool Stalls => stalls;
    /// <summary>Latencies (ms) of frames sent inside the window; filled only by the reading task.</summary>
    public List<double> Latencies { get; } = new(capacity: 4096);
    /// <summary>How the socket ended: null while open; the server's close or abort otherwise.</summary>
    public string? Ended { get; private set; }

    /// <summary>Frames of camera <paramref name="index"/> this viewer got (all, or only those sent inside the measuring window).</summary>
    public long Received(int index, bool inWindow = false)
    {
        lock (received)
            return (inWindow ? receivedInWindow : received).GetValueOrDefault(index);
    }

    public async Task ConnectAsync(Uri server, CookieContainer cookies, CancellationToken cancellationToken)
    {
        socket.Options.Cookies = cookies;
        await socket.ConnectAsync(new Uri($"ws://{server.Host}:{server.Port}/live/socket"), cancellationToken);
        reading = Task.Run(ReadAsync, CancellationToken.None);
        foreach (var camera in cameras)
            await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"op\":\"subscribe\",\"camera\":{camera.Id}}}"), WebSocketMessageType.Text, true, cancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await allConfirmed.Task.WaitAsync(timeout.Token);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(count), stop.Token);
                    count += result.Count;
                }
                while (!result.EndOfMessage && count < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Ended = $"closed by the server: {socket.CloseStatus} {socket.CloseStatusDescription}";
                    return;
                }
                if (result.MessageType == WebSocketMessageType.Text)
                    OnText(buffer.AsSpan(0, count));
                else if (count > 21 && buffer[0] == 1)
                    OnFrame(buffer.AsSpan(0, count));
                if (stalls && allConfirmed.Task.IsCompleted)
                    return; // never read again: the server's queue and the network buffers fill up
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException e)
        {
            Ended = $"aborted: {e.Message}";
        }
    }

    private void OnText(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf("\"type\":\"camera\""u8) < 0)
            return;
        var at = text.IndexOf("\"camera\":"u8);
        var digits = text[(at + 9)..];
        var id = 0;
        for (var i = 0; i < digits.Length && char.IsAsciiDigit((char)digits[i]); i++)
            id = (id * 10) + (digits[i] - '0');
        if (confirmed.Add(id) && confirmed.Count == cameras.Count)
            allConfirmed.TrySetResult();
    }

    private void OnFrame(ReadOnlySpan<byte> message)
    {
        var now = Stopwatch.GetTimestamp();
        if (SimulatedCamera.Marker(message[21..]) is not var (sequence, index))
            return;
        lock (received)
            received[index] = received.GetValueOrDefault(index) + 1;
        if (window.Contains(index, sequence) && cameras.FirstOrDefault(c => c.Index == index) is { } camera)
        {
            Latencies.Add(Stopwatch.GetElapsedTime(camera.SentAt(sequence), now).TotalMilliseconds);
            lock (received)
                receivedInWindow[index] = receivedInWindow.GetValueOrDefault(index) + 1;
        }
    }

    /// <summary>The viewer's latencies, safe to read once it has stopped.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        try
        {
            await reading;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        socket.Abort();
        socket.Dispose();
        stop.Dispose();
    }
}

/// <summary>Per camera, the sequence numbers sent inside the measuring window: from its first frame after the window opened to its first after it closed.</summary>
public sealed class MeasuringWindow(int cameras)
{
    private readonly long[] first = Enumerable.Repeat(long.MaxValue, cameras).ToArray();
    private readonly long[] end = Enumerable.Repeat(long.MaxValue, cameras).ToArray();

    public void Open(IEnumerable<SimulatedCamera> all)
    {
        foreach (var camera in all)
            Volatile.Write(ref first[camera.Index], camera.Sent);
    }

    public void Close(IEnumerable<SimulatedCamera> all)
    {
        foreach (var camera in all)
            Volatile.Write(ref end[camera.Index], camera.Sent);
    }

    public long SentInside(SimulatedCamera camera) => Volatile.Read(ref end[camera.Index]) - Volatile.Read(ref first[camera.Index]);

    public bool Contains(int index, long sequence) =>
        index < first.Length && sequence >= Volatile.Read(ref first[index]) && sequence < Volatile.Read(ref end[index]);
}
