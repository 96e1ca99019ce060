using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using NvrBlazor.Domain.Live;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Ingest;

namespace NvrBlazor.Web.Live;

/// <summary>What the live socket tells a browser about one camera, once a second and on subscribe.</summary>
public sealed record ViewerCameraState(
    string Type, int Camera, string Name, bool Online, bool Pending, bool Paused, bool Motion, bool Recording,
    double Fps, long? LastFrameAt, string? Info, long? InfoAt);

/// <summary>One object the detector found, in the pixels of the frame it looked at.</summary>
public sealed record ViewerObject(string Label, double Score, int X, int Y, int W, int H);

/// <summary>
/// The object detector's newest look at a camera (type "objects"): what counts there (masks and zones applied), in the
/// frame's pixels (<paramref name="Width"/> x <paramref name="Height"/>), and when that frame arrived. Empty: nothing now.
/// </summary>
public sealed record ViewerObjects(string Type, int Camera, int Width, int Height, long At, IReadOnlyList<ViewerObject> Objects)
{
    public static ViewerObjects? Of(int camera, DetectionLook look) =>
        NvrBlazor.Domain.Ingest.JpegHeader.TryReadSize(look.Frame.Jpeg) is not { } size ? null
        : new("objects", camera, size.Width, size.Height, look.Frame.ReceivedAt.ToUnixTimeMilliseconds(),
            [.. look.Found.Select(o => new ViewerObject(o.Label, Math.Round(o.Score, 2), (int)MathF.Round(o.Box.X), (int)MathF.Round(o.Box.Y), (int)MathF.Round(o.Box.Width), (int)MathF.Round(o.Box.Height)))]);
}

/// <summary>
/// One browser page's live socket (docs/protocol.md, "Live viewer protocol"). The browser subscribes to
/// the cameras whose tiles are on screen; each subscription is a queue of the last <see cref="Backlog"/> of frames
/// (at most <see cref="QueueFrames"/>) that drops the oldest, drained by its own pump into the socket. A browser that
/// reads slowly only loses its own frames: ingest and other viewers never wait for it. Rights are read from the
/// database when the socket opens, at every subscribe and every <see cref="RecheckInterval"/>.
/// </summary>
public sealed partial class ViewerConnection(
    WebSocket socket, ClaimsPrincipal user, CameraAccess access, CameraRegistry registry, CameraHub hub,
    AuditLog audit, TimeProvider clock, ILogger<ViewerConnection> logger)
{
    /// <summary>
    /// How far a browser's picture may fall behind the camera before old frames are dropped: 2 s, so a browser that
    /// reads every frame loses none while the server is busy (ten moving cameras with object detection on 2 cores: a
    /// queue of 4 frames, 0.8 s at 5 fps, lost 4 frames of 100 per camera to a stall of the CI machine:
    /// Integration/DetectionLoadTests); a browser that reads slower only loses its own, and sees at most 2 s late.
    /// </summary>
    public static readonly TimeSpan Backlog = TimeSpan.FromSeconds(2);
    /// <summary>Frames a subscription holds at most, whatever the camera's rate (2 s at 32 fps): what bounds its memory.</summary>
    public const int QueueFrames = 64;
    public const int MaxSubscriptions = 64;
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(30);
    /// <summary>A browser that has not taken a single message for this long is gone; its socket is aborted.</summary>
    public static readonly TimeSpan SendStallLimit = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DetectionLook, byte[]> ObjectsMessages = new();

    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly Lock gate = new();
    private readonly Dictionary<int, Subscription> subscriptions = [];
    private long sendStartedTicks;
    private ViewerRights? rights;

    /// <summary>One camera on this page: its queue, its header buffer, its pump; counted in the camera's viewers while it exists.</summary>
    private sealed class Subscription : IDisposable
    {
        public Subscription(CameraLive camera)
        {
            Camera = camera;
            Frames = camera.Subscribe(QueueFrames, () => Interlocked.Increment(ref camera.ViewerCounters.DroppedForViewers), Backlog);
            Interlocked.Increment(ref camera.ViewerCounters.Viewers);
        }

        public CameraLive Camera { get; }
        public FrameSubscription Frames { get; }
        public byte[] Header { get; } = new byte[ViewerFrameHeader.Length];
        public Task Pump { get; set; } = Task.CompletedTask;
        /// <summary>The detector's look last sent to this viewer.</summary>
        public DetectionLook? SentLook { get; set; }

        public void Dispose()
        {
            Frames.Dispose();
            Interlocked.Decrement(ref Camera.ViewerCounters.Viewers);
        }
    }

    private string UserName => rights?.UserName ?? user.Identity?.Name ?? "?";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        rights = await access.RightsAsync(user, cancellationToken);
        if (rights is null)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "this account no longer exists or is locked", cancellationToken);
            return;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ticking = TickAsync(stop.Token);
        try
        {
            await ReceiveAsync(stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            await stop.CancelAsync();
            Subscription[] all;
            lock (gate)
            {
                all = [.. subscriptions.Values];
                subscriptions.Clear();
            }
            foreach (var subscription in all)
                subscription.Dispose();
            await Task.WhenAll(all.Select(s => s.Pump).Append(ticking));
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        using var reader = new WebSocketMessageReader(socket, ViewerRequest.MaxLength);
        while (true)
        {
            var message = await reader.ReceiveAsync(cancellationToken);
            switch (message.Kind)
            {
                case ReceivedKind.Closed:
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                    return;
                case ReceivedKind.TooBig:
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"a request is at most {ViewerRequest.MaxLength} bytes", cancellationToken);
                    return;
                case ReceivedKind.Binary:
                    await SendJsonAsync(new { type = "error", reason = "the live socket takes JSON text requests, not binary messages" }, cancellationToken);
                    break;
                default:
                    var (request, problem) = ViewerRequest.Parse(Encoding.UTF8.GetString(message.Bytes.Span));
                    if (request is null)
                        await SendJsonAsync(new { type = "error", reason = problem }, cancellationToken);
                    else if (!await HandleAsync(request, cancellationToken))
                        return;
                    break;
            }
        }
    }

    /// <summary>False when the connection must end (the account is gone or locked).</summary>
    private async Task<bool> HandleAsync(ViewerRequest request, CancellationToken cancellationToken)
    {
        if (request.Kind == ViewerRequestKind.Unsubscribe)
        {
            Unsubscribe(request.CameraId);
            return true;
        }
        rights = await access.RightsAsync(user, cancellationToken);
        if (rights is null)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "this account no longer exists or is locked", cancellationToken);
            return false;
        }
        var camera = await registry.FindAsync(request.CameraId, cancellationToken);
        if (camera is null || !rights.CanView(camera))
        {
            LogRefused(logger, UserName, request.CameraId);
            await SendJsonAsync(new { type = "refused", camera = request.CameraId, reason = "no such camera, or you may not see it" }, cancellationToken);
            return true;
        }
        var live = hub.For(camera);
        if (request.Kind == ViewerRequestKind.Status)
        {
            await SendJsonAsync(new { type = "status", camera = camera.Id, fields = live.Status }, cancellationToken);
            return true;
        }
        Subscription? added = null;
        var full = false;
        lock (gate)
        {
            if (!subscriptions.ContainsKey(camera.Id))
            {
                full = subscriptions.Count >= MaxSubscriptions;
                if (!full)
                {
                    added = new Subscription(live);
                    subscriptions.Add(camera.Id, added);
                }
            }
        }
        if (full)
        {
            await SendJsonAsync(new { type = "refused", camera = camera.Id, reason = $"at most {MaxSubscriptions} cameras on one page" }, cancellationToken);
            return true;
        }
        await SendJsonAsync(StateOf(live), cancellationToken);
        if (added is not null)
        {
            // The picture is there at once, not after the camera's next frame (a paused camera may send none for minutes).
            if (live.LastFrame is { } last)
                added.Frames.OfferFirst(last);
            added.Pump = PumpAsync(added, cancellationToken);
            await audit.LiveViewAsync(UserName, camera.Id, camera.Name, cancellationToken);
        }
        return true;
    }

    private void Unsubscribe(int cameraId)
    {
        Subscription? removed;
        lock (gate)
            subscriptions.Remove(cameraId, out removed);
        removed?.Dispose();
    }

    /// <summary>
    /// Drains one camera's queue into the socket: the 21-byte header (this subscription's own buffer) as
    /// the first fragment, the shared JPEG as the second. Nothing is copied or allocated per frame.
    /// </summary>
    private async Task PumpAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var frames = subscription.Frames;
        try
        {
            while (await frames.WaitToReadAsync(cancellationToken))
            {
                while (frames.TryRead(out var frame))
                {
                    ViewerFrameHeader.Write(subscription.Header, frame.CameraId, frame.CameraTimeMs ?? 0, frame.ReceivedAt.ToUnixTimeMilliseconds());
                    await sending.WaitAsync(cancellationToken);
                    try
                    {
                        Interlocked.Exchange(ref sendStartedTicks, clock.GetTimestamp());
                        await socket.SendAsync(subscription.Header, WebSocketMessageType.Binary, endOfMessage: false, cancellationToken);
                        await socket.SendAsync(frame.Jpeg, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
                        Interlocked.Increment(ref subscription.Camera.ViewerCounters.FramesDelivered);
                    }
                    finally
                    {
                        Interlocked.Exchange(ref sendStartedTicks, 0);
                        sending.Release();
                    }
                    // A new look of the object detector (at most a few a second): its boxes follow the frame.
                    if (subscription.Camera.Detections.Latest is { } look && !ReferenceEquals(look, subscription.SentLook))
                    {
                        subscription.SentLook = look;
                        if (ObjectsMessage(look) is { Length: > 0 } objects)
                            await SendTextAsync(objects, cancellationToken);
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Once a second: every subscribed camera's state. Every RecheckInterval: the user's rights again.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        var lastCheck = clock.GetUtcNow();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var started = Interlocked.Read(ref sendStartedTicks);
                if (started != 0 && clock.GetElapsedTime(started) > SendStallLimit)
                {
                    LogStalled(logger, UserName, (int)SendStallLimit.TotalSeconds);
                    socket.Abort();
                    return;
                }
                if (clock.GetUtcNow() - lastCheck >= RecheckInterval)
                {
                    lastCheck = clock.GetUtcNow();
                    if (!await RecheckAsync(cancellationToken))
                        return;
                }
                Subscription[] current;
                lock (gate)
                    current = [.. subscriptions.Values];
                // Skipped while a frame is being sent: waiting behind a send that never finishes would keep
                // this loop from ever noticing the stall above (the next state goes out a second later).
                foreach (var subscription in current)
                    await SendJsonAsync(StateOf(subscription.Camera), cancellationToken, skipIfBusy: true);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>A grant taken away, a camera disabled or the account locked bites within RecheckInterval.</summary>
    private async Task<bool> RecheckAsync(CancellationToken cancellationToken)
    {
        rights = await access.RightsAsync(user, cancellationToken);
        if (rights is null)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "this account no longer exists or is locked", cancellationToken);
            return false;
        }
        int[] ids;
        lock (gate)
            ids = [.. subscriptions.Keys];
        foreach (var id in ids)
        {
            var camera = await registry.FindAsync(id, cancellationToken);
            if (camera is not null && rights.CanView(camera))
                continue;
            Unsubscribe(id);
            await SendJsonAsync(new { type = "refused", camera = id, reason = "you may no longer see this camera" }, cancellationToken, skipIfBusy: true);
        }
        return true;
    }

    private ViewerCameraState StateOf(CameraLive camera)
    {
        var now = clock.GetUtcNow();
        var info = camera.LastInfo;
        return new ViewerCameraState("camera", camera.Id, camera.Name, camera.Online, camera.State == CameraState.Pending, camera.Paused,
            camera.Online && camera.Motion, camera.Recording, Math.Round(camera.Rates(now).Fps, 1),
            camera.LastFrame?.ReceivedAt.ToUnixTimeMilliseconds(), info?.Text, info?.At.ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// A look's "objects" message, serialized once for every viewer of the camera (empty when the frame has no size to
    /// tell); kept as long as the look is.
    /// </summary>
    private static byte[] ObjectsMessage(DetectionLook look) =>
        ObjectsMessages.GetValue(look, static l => ViewerObjects.Of(l.Frame.CameraId, l) is { } objects ? JsonSerializer.SerializeToUtf8Bytes(objects, Json) : []);

    private Task SendJsonAsync<T>(T message, CancellationToken cancellationToken, bool skipIfBusy = false) =>
        SendTextAsync(JsonSerializer.SerializeToUtf8Bytes(message, Json), cancellationToken, skipIfBusy);

    private async Task SendTextAsync(byte[] bytes, CancellationToken cancellationToken, bool skipIfBusy = false)
    {
        if (!await sending.WaitAsync(skipIfBusy ? 0 : Timeout.Infinite, cancellationToken))
            return;
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sending.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await sending.WaitAsync(cancellationToken);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await socket.CloseAsync(status, reason, cancellationToken);
            }
            finally
            {
                sending.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "{User} asked to watch camera {CameraId}, which they may not see: refused.")]
    private static partial void LogRefused(ILogger logger, string user, int cameraId);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Live viewer {User} took no data for {Seconds} s; connection aborted.")]
    private static partial void LogStalled(ILogger logger, string user, int seconds);
}
