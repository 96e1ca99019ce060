using System.Collections.Concurrent;
using System.Threading.Channels;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Motion;
using NvrBlazor.Domain.Notifications;

namespace NvrBlazor.Web.Cameras;

/// <summary>
/// One received frame. The JPEG array is shared by every subscriber, never copied per viewer.
/// <see cref="CapturedAt"/> is when the camera took it, on the server's clock (<see cref="CaptureClock"/>):
/// what a recording is timed by; <see cref="ReceivedAt"/> is when it arrived.
/// </summary>
public sealed record LiveFrame(int CameraId, byte[] Jpeg, long? CameraTimeMs, DateTimeOffset ReceivedAt, DateTimeOffset CapturedAt)
{
    public LiveFrame(int cameraId, byte[] jpeg, long? cameraTimeMs, DateTimeOffset receivedAt)
        : this(cameraId, jpeg, cameraTimeMs, receivedAt, receivedAt)
    {
    }
}

public sealed record CameraLogEntry(DateTimeOffset At, bool Outgoing, string Text);

/// <summary>The server detector's latest verdict: the changed share of the picture (0-1) of an analysed frame, and where it changed.</summary>
public sealed record MotionScore(double Score, LiveFrame Frame, MotionBox? Box = null);

/// <summary>A consumer of a camera's frames. Offer must never block: the camera's receive loop calls it.</summary>
public interface IFrameSink
{
    void Offer(LiveFrame frame);
}

/// <summary>
/// The live state of one camera (CameraHub keeps one per registered camera that has connected), in parts with one
/// writer each: the connection and its frames (the camera's source, through its <see cref="CameraSourceLink"/>),
/// <see cref="Messages"/> (the source), <see cref="Commands"/> (queued by CameraControl, taken by the source),
/// <see cref="MotionState"/> (the source for what the camera reports, Motion/ for the server's detector, the registry
/// row for whose counts), <see cref="Counters"/> (the source), <see cref="ViewerCounters"/> (the live viewers) and
/// <see cref="Recorder"/> (the recorder). Everyone else reads.
/// </summary>
public sealed class CameraLive
{
    private readonly Lock gate = new();
    private readonly RateMeter rates = new();
    private readonly Action? changed;
    private readonly Events.NvrEvents? events;
    private IFrameSink[] subscribers = [];
    private Action<string>? closeSession;

    public CameraLive(int id, string name, CameraState state, Action? changed = null, Events.NvrEvents? events = null)
    {
        Id = id;
        Name = name;
        State = state;
        this.changed = changed;
        this.events = events;
        Messages = new CameraMessages(changed);
        MotionState = new CameraMotion((moving, at, origin, score) =>
            Tell(moving ? EventKinds.MotionStarted : EventKinds.MotionEnded, at, moving ? $"Motion on {Name}" : $"Motion ended on {Name}",
                origin == MotionOrigin.Camera ? "camera" : "server", score));
    }

    public int Id { get; }
    public string Name { get; set; }
    public CameraState State { get; set; }

    public CameraMessages Messages { get; }
    public CommandOutbox Commands { get; } = new();
    public CameraMotion MotionState { get; }
    public FrameCounters Counters { get; } = new();
    public ViewerCounters ViewerCounters { get; } = new();
    public RecorderStatus Recorder { get; } = new();
    public CameraDetections Detections { get; } = new();
    /// <summary>Where motion and objects count on this camera's picture (its masks and zones), as last saved.</summary>
    public NvrBlazor.Domain.Zones.CameraZones Zones { get; set; } = NvrBlazor.Domain.Zones.CameraZones.None;
    /// <summary>The object detector also looks for faces on this camera's people (a recording setting).</summary>
    public bool DetectFaces { get; set; }

    public bool Online { get; private set; }
    public string? RemoteAddress { get; private set; }
    public LiveFrame? LastFrame { get; private set; }
    /// <summary>The size of the frames themselves (read from the JPEG header every 30th frame), which beats what the status claims.</summary>
    public (int Width, int Height)? FrameSize { get; private set; }

    // Readers' shorthand for the parts.
    public bool Motion => MotionState.Moving;
    public long MotionStarts => MotionState.Starts;
    public MotionSource MotionSource => MotionState.Source;
    public MotionOrigin MotionOrigin => MotionState.Origin;
    public DateTimeOffset? MotionChangedAt => MotionState.ChangedAt;
    public MotionScore? LastScore => MotionState.LastScore;
    public bool Recording => Recorder.Recording;
    public bool Paused => Messages.Paused;
    public CameraLogEntry? LastInfo => Messages.LastInfo;
    public string? SourceError => Messages.SourceError;
    public IReadOnlyDictionary<string, string> Status => Messages.Status;
    public string? StatusValue(string key) => Messages.StatusValue(key);
    public IReadOnlyList<CameraLogEntry> Log => Messages.Log;

    public (double Fps, double KilobitsPerSecond) Rates(DateTimeOffset now)
    {
        lock (gate)
            return rates.Measure(now);
    }

    /// <summary>How recent a frame makes a connection "live": an ESP32 claiming the same hostName may not replace it.</summary>
    public static readonly TimeSpan LiveFor = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A new connection for this camera (CameraHub.Connect): the previous one (if any) is told to close, so a reconnect
    /// replaces it cleanly. Unless <paramref name="mayReplaceLive"/> (an authenticated agent or browser, the server's
    /// own puller), a connection that sent a frame in the last <see cref="LiveFor"/> is kept and the newcomer refused:
    /// an ESP32 cannot authenticate, so anyone could otherwise take a camera over by claiming its hostName. Returns the
    /// refusal, or null when connected.
    /// </summary>
    internal string? Connect(string? remoteAddress, Action<string> close, DateTimeOffset now, bool mayReplaceLive)
    {
        Action<string>? previous;
        bool wasOnline;
        lock (gate)
        {
            if (!mayReplaceLive && StreamingLocked(now))
            {
                var refusal = SecondConnection(remoteAddress);
                Messages.AddLog(now, outgoing: false, refusal);
                return refusal;
            }
            previous = closeSession;
            closeSession = close;
            wasOnline = Online;
            Online = true;
            RemoteAddress = remoteAddress;
        }
        MotionState.Connected();
        previous?.Invoke("replaced by a new connection from the same camera");
        changed?.Invoke();
        if (!wasOnline)
            Tell(State == CameraState.Pending ? EventKinds.CameraPending : EventKinds.CameraOnline, now,
                State == CameraState.Pending ? $"{Name} connected from {remoteAddress ?? "?"} and waits for an admin's approval" : $"{Name} is online");
        return null;
    }

    /// <summary>Publishes an event of this camera on the server's event stream (cheap: a queue write per reader).</summary>
    private void Tell(EventKinds kind, DateTimeOffset at, string message, string? source = null, double? score = null) =>
        events?.Publish(new NvrEvent { Kind = kind, At = at, CameraId = Id, CameraName = Name, Source = source, Score = score, Message = message });

    /// <summary>A connection is open and sent a frame in the last <see cref="LiveFor"/>.</summary>
    public bool IsStreaming(DateTimeOffset now)
    {
        lock (gate)
            return StreamingLocked(now);
    }

    /// <summary>Why a connection claiming this camera while it streams is refused (also written to its message log for admins).</summary>
    public string RefuseSecondConnection(string? remoteAddress, DateTimeOffset now)
    {
        var refusal = SecondConnection(remoteAddress);
        Messages.AddLog(now, outgoing: false, refusal);
        return refusal;
    }

    private bool StreamingLocked(DateTimeOffset now) => closeSession is not null && LastFrame is { } last && now - last.ReceivedAt < LiveFor;

    private string SecondConnection(string? remoteAddress) =>
        $"refused a second connection from {remoteAddress ?? "?"}: camera '{Name}' is connected from {RemoteAddress ?? "?"} and sending frames";

    /// <summary>Only the connection that is current may mark the camera offline.</summary>
    internal void Disconnect(Action<string> close)
    {
        lock (gate)
        {
            if (!ReferenceEquals(closeSession, close))
                return;
            closeSession = null;
            Online = false;
        }
        var wasMoving = MotionState.Disconnected();
        changed?.Invoke();
        var now = DateTimeOffset.UtcNow;
        // A motion sensor must not stay "on" for a camera that went away in the middle of a motion.
        if (wasMoving)
            Tell(EventKinds.MotionEnded, now, $"Motion ended on {Name}: it went offline");
        Tell(EventKinds.CameraOffline, now, $"{Name} is offline");
    }

    /// <summary>Tells the current connection to close (the camera was disabled, deleted, or its token replaced).</summary>
    public void CloseSession(string reason)
    {
        Action<string>? close;
        lock (gate)
            close = closeSession;
        close?.Invoke(reason);
    }

    internal void Publish(LiveFrame frame)
    {
        IFrameSink[] current;
        var size = Counters.FramesReceived % 30 == 0 ? JpegHeader.TryReadSize(frame.Jpeg) : null;
        lock (gate)
        {
            if (size is not null)
                FrameSize = size;
            LastFrame = frame;
            rates.Add(frame.ReceivedAt, frame.Jpeg.Length);
            Counters.FramesReceived++;
            Counters.BytesReceived += frame.Jpeg.Length;
            current = subscribers;
        }
        Messages.SetPaused(false);
        foreach (var subscriber in current)
            subscriber.Offer(frame);
        changed?.Invoke();
    }

    /// <summary>
    /// A bounded queue of frames for one consumer; when it is full the oldest frame is dropped, so a slow
    /// consumer never slows the camera. With a <paramref name="backlog"/>, a frame that arrived more than that before
    /// the camera's newest is dropped too when it is read: the queue then holds a span of time, not only a count of
    /// frames. <paramref name="onDropped"/> runs for each dropped frame.
    /// </summary>
    public FrameSubscription Subscribe(int capacity, Action? onDropped = null, TimeSpan? backlog = null)
    {
        var subscription = new FrameSubscription(this, capacity, onDropped, backlog);
        Attach(subscription);
        return subscription;
    }

    /// <summary>Adds a consumer with its own queueing rules (the recorder's is bounded in bytes and never drops silently).</summary>
    public void Attach(IFrameSink sink)
    {
        lock (gate)
            subscribers = [.. subscribers, sink];
    }

    public void Unsubscribe(IFrameSink subscription)
    {
        lock (gate)
            subscribers = subscribers.Where(s => !ReferenceEquals(s, subscription)).ToArray();
    }
}

/// <summary>
/// A camera source's hold on its camera: what Ingest's sessions (/ws, /ingest) and the server's pullers get from
/// <see cref="CameraHub.Connect"/> while a camera's frames come through them, and the only way to publish its frames,
/// report its motion, or take it offline (<see cref="Dispose"/>). A later source (RTSP push, ONVIF, ...) is one more
/// holder of this, nothing else.
/// </summary>
public sealed class CameraSourceLink : IDisposable
{
    private readonly Action<string> close;

    internal CameraSourceLink(CameraLive camera, Action<string> close)
    {
        Camera = camera;
        this.close = close;
    }

    public CameraLive Camera { get; }
    public CameraMessages Messages => Camera.Messages;
    public CommandOutbox Commands => Camera.Commands;
    public FrameCounters Counters => Camera.Counters;

    /// <summary>A frame taken in: to every subscriber (live viewers, motion, the recorder), the array shared, never copied.</summary>
    public void Publish(LiveFrame frame) => Camera.Publish(frame);

    /// <summary>The camera said MotionStart / MotionEnd.</summary>
    public void ReportMotion(bool moving, DateTimeOffset at) => Camera.MotionState.ReportedByCamera(moving, at);

    /// <summary>The connection ended: the camera is offline (unless a newer connection of it took over meanwhile).</summary>
    public void Dispose() => Camera.Disconnect(close);
}

public sealed class FrameSubscription : IFrameSink, IDisposable
{
    private readonly CameraLive camera;
    private readonly Channel<LiveFrame> channel;
    private readonly Action? onDropped;
    private readonly TimeSpan? backlog;
    private readonly Lock order = new();
    private bool anyOffered;
    private long dropped;

    internal FrameSubscription(CameraLive camera, int capacity, Action? onDropped, TimeSpan? backlog)
    {
        this.camera = camera;
        this.onDropped = onDropped;
        this.backlog = backlog;
        channel = Channel.CreateBounded<LiveFrame>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        }, _ => Drop());
    }

    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Waits until a frame is queued; false once the subscription ended.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => channel.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>
    /// The oldest queued frame that is still within the backlog of the camera's newest (older ones are dropped and
    /// counted here: a reader that fell behind catches up to the picture of the last backlog, not of a minute ago).
    /// </summary>
    public bool TryRead(out LiveFrame frame)
    {
        while (channel.Reader.TryRead(out frame!))
        {
            if (backlog is { } span && camera.LastFrame is { } newest && newest.ReceivedAt - frame.ReceivedAt > span)
            {
                Drop();
                continue;
            }
            return true;
        }
        return false;
    }

    public async IAsyncEnumerable<LiveFrame> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await WaitToReadAsync(cancellationToken))
            while (TryRead(out var frame))
                yield return frame;
    }

    private void Drop()
    {
        Interlocked.Increment(ref dropped);
        onDropped?.Invoke();
    }

    public void Offer(LiveFrame frame)
    {
        // An uncontended lock (no allocation): it only orders a frame against OfferFirst at the moment of subscribing.
        lock (order)
        {
            anyOffered = true;
            channel.Writer.TryWrite(frame);
        }
    }

    /// <summary>
    /// The camera's last frame for a new subscriber, so the picture is there at once: queued only if no frame came
    /// through the subscription yet (else it would be a duplicate, or older than one already queued).
    /// </summary>
    public void OfferFirst(LiveFrame last)
    {
        lock (order)
        {
            if (!anyOffered)
                channel.Writer.TryWrite(last);
            anyOffered = true;
        }
    }

    public void Dispose()
    {
        camera.Unsubscribe(this);
        channel.Writer.TryComplete();
    }
}

/// <summary>
/// Every camera's live state, by camera id. A singleton: ingest writes it, pages and consumers read it. Open pages
/// learn of a camera's activity through <see cref="PageUpdates"/> (none in unit tests).
/// </summary>
public sealed class CameraHub(PageUpdates? updates = null, Events.NvrEvents? events = null)
{
    private readonly ConcurrentDictionary<int, CameraLive> cameras = new();
    private readonly Action? changed = updates is null ? null : () => updates.Changed(PageTopic.CameraActivity);

    /// <summary>The camera's live state, brought up to date with its row (name, state, whose motion counts).</summary>
    public CameraLive For(Camera camera)
    {
        var live = cameras.GetOrAdd(camera.Id, _ => new CameraLive(camera.Id, camera.Name, camera.State, changed, events));
        live.Name = camera.Name;
        live.State = camera.State;
        live.MotionState.Configure(camera.MotionSource);
        live.DetectFaces = camera.DetectFaces;
        // Replaced only when changed: a new value restarts the camera's motion detector (its background).
        if (NvrBlazor.Domain.Zones.CameraZones.Parse(camera.Zones, out _) is var zones && !zones.Equals(live.Zones))
            live.Zones = zones;
        return live;
    }

    /// <summary>
    /// A camera source connects <paramref name="camera"/>: the link it publishes through, or null and the refusal (an
    /// ESP32 claiming a camera that is live on another connection). <paramref name="close"/> is how the hub asks this
    /// connection to end; it identifies the connection, so pass the same delegate instance for its whole life.
    /// </summary>
    public CameraSourceLink? Connect(Camera camera, string? remoteAddress, Action<string> close, DateTimeOffset now, bool mayReplaceLive, out string? refusal)
    {
        var live = For(camera);
        refusal = live.Connect(remoteAddress, close, now, mayReplaceLive);
        return refusal is null ? new CameraSourceLink(live, close) : null;
    }

    public CameraLive? Find(int id) => cameras.GetValueOrDefault(id);

    /// <summary>Every camera that has connected since the server started.</summary>
    public IReadOnlyCollection<CameraLive> All => cameras.Values.ToList();

    public void Remove(int id)
    {
        if (cameras.TryRemove(id, out var live))
            live.CloseSession("the camera was deleted");
        events?.Publish(new NvrEvent { Kind = EventKinds.CameraRemoved, At = DateTimeOffset.UtcNow, CameraId = id, CameraName = live?.Name, Message = $"{live?.Name ?? "camera " + id} was deleted" });
    }
}
