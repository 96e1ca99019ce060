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
/// What happened to one camera's frames since the server started: taken in, refused (and why),
/// delivered to live viewers, dropped (and by whom). Shown to admins and exported on /metrics.
/// </summary>
public sealed class FrameCounters
{
    public long FramesReceived;
    public long BytesReceived;
    public long NotJpeg;
    public long NoTimestamp;
    public long OversizedMessages;
    public long BrokenJson;
    public long DroppedOverMaxFps;
    /// <summary>Frames written to live viewers' sockets, counted once per viewer.</summary>
    public long FramesDelivered;
    /// <summary>Frames a live viewer's queue dropped because that viewer read too slowly (the oldest go).</summary>
    public long DroppedForViewers;
    /// <summary>
    /// Frames the recorder refused because its queue was full (Nvr:Recording:QueueMaxMb or TotalQueueMaxMb; the clip
    /// fails with the reason), or that were still queued when it stopped.
    /// </summary>
    public long DroppedByRecorder;
    /// <summary>Live viewers subscribed to this camera now.</summary>
    public long Viewers;
}

/// <summary>
/// The live state of one camera (CameraHub keeps one per registered camera that has connected):
/// online, last frame, measured rates, status fields, motion, the last 100 messages, counters, and
/// the subscribers frames fan out to.
/// </summary>
public sealed class CameraLive(int id, string name, CameraState state, Action? changed = null, Events.NvrEvents? events = null)
{
    public const int LogCapacity = 100;
    private readonly Lock gate = new();
    private readonly RateMeter rates = new();
    private readonly Queue<CameraLogEntry> log = new();
    private readonly Dictionary<string, string> status = new(StringComparer.Ordinal);
    private readonly Queue<string> outbox = new();
    private IFrameSink[] subscribers = [];
    private bool cameraReportsMotion, cameraMotion, serverMotion;
    private long motionStarts;
    private Action<string>? closeSession;

    public int Id { get; } = id;
    public string Name { get; set; } = name;
    public CameraState State { get; set; } = state;
    public bool Online { get; private set; }
    public string? RemoteAddress { get; private set; }
    public LiveFrame? LastFrame { get; private set; }
    /// <summary>The size of the frames themselves (read from the JPEG header every 30th frame), which beats what the status claims.</summary>
    public (int Width, int Height)? FrameSize { get; private set; }
    /// <summary>Motion as the camera's recording settings define it (MotionSources.Effective): the camera's own reports or the server's detector.</summary>
    public bool Motion
    {
        get
        {
            lock (gate)
                return EffectiveMotion;
        }
    }

    /// <summary>Counts every start of (effective) motion, so a consumer polling it cannot miss a short event between two looks.</summary>
    public long MotionStarts => Interlocked.Read(ref motionStarts);

    /// <summary>Set from the camera's recording settings by the recorder; decides whose motion counts.</summary>
    public MotionSource MotionSource { get; set; } = MotionSource.Auto;

    public MotionOrigin MotionOrigin
    {
        get
        {
            lock (gate)
                return Origin;
        }
    }

    /// <summary>Whose motion counts now (callers hold the gate).</summary>
    private MotionOrigin Origin => MotionSources.Effective(MotionSource, cameraReportsMotion);

    /// <summary>When the effective motion last changed: the camera's message arrived, or the analysed frame that changed it arrived.</summary>
    public DateTimeOffset? MotionChangedAt { get; private set; }

    /// <summary>The server detector's last analysed frame and score (null until it has analysed one).</summary>
    public MotionScore? LastScore { get; private set; }

    private bool EffectiveMotion => Origin == MotionOrigin.Camera ? cameraMotion : serverMotion;
    /// <summary>True while a clip of this camera is being written (set by the recorder).</summary>
    public bool Recording { get; set; }
    /// <summary>The camera's last free-text message (not status, motion or a setting echo), shown at the bottom of its tile for a few seconds.</summary>
    public CameraLogEntry? LastInfo { get; private set; }
    /// <summary>The camera said it is paused (it keeps the connection with "paused" messages); the next frame clears it.</summary>
    public bool Paused { get; private set; }
    public FrameCounters Counters { get; } = new();

    /// <summary>A camera the server pulls: why the last attempt to fetch its pictures failed ("connection refused", "401 from camera"); null once pictures flow.</summary>
    public string? SourceError { get; private set; }

    /// <summary>The puller's verdict: an error is also written to the camera's message log; null clears it.</summary>
    public void SetSourceError(string? error, DateTimeOffset at)
    {
        lock (gate)
        {
            if (error == SourceError)
                return;
            SourceError = error;
            if (error is not null)
                AddLogLocked(at, outgoing: false, error);
        }
        changed?.Invoke();
    }

    public (double Fps, double KilobitsPerSecond) Rates(DateTimeOffset now)
    {
        lock (gate)
            return rates.Measure(now);
    }

    public IReadOnlyDictionary<string, string> Status
    {
        get
        {
            lock (gate)
                return new Dictionary<string, string>(status);
        }
    }

    /// <summary>One status field, without copying the whole status (a full ESP32 status has ~150 keys).</summary>
    public string? StatusValue(string key)
    {
        lock (gate)
            return status.GetValueOrDefault(key);
    }

    public IReadOnlyList<CameraLogEntry> Log
    {
        get
        {
            lock (gate)
                return log.ToList();
        }
    }

    /// <summary>How recent a frame makes a connection "live": an ESP32 claiming the same hostName may not replace it.</summary>
    public static readonly TimeSpan LiveFor = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A new connection for this camera: the previous one (if any) is told to close, so a reconnect replaces
    /// it cleanly. Unless <paramref name="mayReplaceLive"/> (an authenticated agent or browser), a connection
    /// that sent a frame in the last <see cref="LiveFor"/> is kept and the newcomer refused: an ESP32 cannot
    /// authenticate, so anyone could otherwise take a camera over by claiming its hostName. Returns the
    /// refusal, or null when connected.
    /// </summary>
    public string? Connect(string? remoteAddress, Action<string> close, DateTimeOffset now, bool mayReplaceLive)
    {
        Action<string>? previous;
        bool wasOnline;
        lock (gate)
        {
            if (!mayReplaceLive && StreamingLocked(now))
            {
                var refusal = SecondConnection(remoteAddress);
                AddLogLocked(now, outgoing: false, refusal);
                return refusal;
            }
            previous = closeSession;
            closeSession = close;
            wasOnline = Online;
            Online = true;
            // A new connection must prove again that this camera reports motion (its settings may have changed).
            cameraReportsMotion = false;
            cameraMotion = false;
            RemoteAddress = remoteAddress;
        }
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
        lock (gate)
        {
            var refusal = SecondConnection(remoteAddress);
            AddLogLocked(now, outgoing: false, refusal);
            return refusal;
        }
    }

    private bool StreamingLocked(DateTimeOffset now) => closeSession is not null && LastFrame is { } last && now - last.ReceivedAt < LiveFor;

    private string SecondConnection(string? remoteAddress) =>
        $"refused a second connection from {remoteAddress ?? "?"}: camera '{Name}' is connected from {RemoteAddress ?? "?"} and sending frames";

    /// <summary>Only the session that is current may mark the camera offline.</summary>
    public void Disconnect(Action<string>? close)
    {
        bool wasMoving;
        lock (gate)
        {
            if (!ReferenceEquals(closeSession, close))
                return;
            wasMoving = EffectiveMotion;
            closeSession = null;
            Online = false;
            cameraMotion = false;
            serverMotion = false;
        }
        changed?.Invoke();
        var now = DateTimeOffset.UtcNow;
        // A motion sensor must not stay "on" for a camera that went away in the middle of a motion.
        if (wasMoving)
            Tell(EventKinds.MotionEnded, now, $"Motion ended on {Name}: it went offline");
        Tell(EventKinds.CameraOffline, now, $"{Name} is offline");
    }

    public void CloseSession(string reason)
    {
        Action<string>? close;
        lock (gate)
            close = closeSession;
        close?.Invoke(reason);
    }

    public void Publish(LiveFrame frame)
    {
        IFrameSink[] current;
        var size = Counters.FramesReceived % 30 == 0 ? JpegHeader.TryReadSize(frame.Jpeg) : null;
        lock (gate)
        {
            if (size is not null)
                FrameSize = size;
            LastFrame = frame;
            Paused = false;
            rates.Add(frame.ReceivedAt, frame.Jpeg.Length);
            Counters.FramesReceived++;
            Counters.BytesReceived += frame.Jpeg.Length;
            current = subscribers;
        }
        foreach (var subscriber in current)
            subscriber.Offer(frame);
        changed?.Invoke();
    }

    public void MergeStatus(IReadOnlyDictionary<string, string> values)
    {
        lock (gate)
        {
            foreach (var (key, value) in values)
                status[key] = value;
        }
    }

    public void SetStatusValue(string key, string value)
    {
        lock (gate)
            status[key] = value;
    }

    /// <summary>The camera said MotionStart / MotionEnd (received at <paramref name="at"/>).</summary>
    public void SetCameraMotion(bool motion, DateTimeOffset at)
    {
        lock (gate)
        {
            var before = EffectiveMotion;
            cameraReportsMotion = true;
            cameraMotion = motion;
            Changed(before, at);
        }
    }

    /// <summary>The server's detector analysed a frame.</summary>
    public void SetServerMotion(bool motion, MotionScore score)
    {
        lock (gate)
        {
            var before = EffectiveMotion;
            serverMotion = motion;
            LastScore = score;
            Changed(before, score.Frame.ReceivedAt);
        }
    }

    /// <summary>The camera went away: whatever motion it or the detector last said no longer holds.</summary>
    public void ClearMotion()
    {
        lock (gate)
        {
            cameraMotion = false;
            serverMotion = false;
        }
    }

    private void Changed(bool before, DateTimeOffset at)
    {
        if (before == EffectiveMotion)
            return;
        MotionChangedAt = at;
        if (EffectiveMotion)
            Interlocked.Increment(ref motionStarts);
        var origin = Origin;
        var source = origin == MotionOrigin.Camera ? "camera" : "server";
        var score = origin == MotionOrigin.Server ? LastScore?.Score : null;
        Tell(EffectiveMotion ? EventKinds.MotionStarted : EventKinds.MotionEnded, at,
            EffectiveMotion ? $"Motion on {Name}" : $"Motion ended on {Name}", source, score);
    }

    public void SetPaused()
    {
        lock (gate)
            Paused = true;
        changed?.Invoke();
    }

    public void SetInfo(DateTimeOffset at, string text)
    {
        lock (gate)
            LastInfo = new CameraLogEntry(at, false, text);
    }

    public void AddLog(DateTimeOffset at, bool outgoing, string text)
    {
        lock (gate)
            AddLogLocked(at, outgoing, text);
        changed?.Invoke();
    }

    private void AddLogLocked(DateTimeOffset at, bool outgoing, string text)
    {
        log.Enqueue(new CameraLogEntry(at, outgoing, text));
        while (log.Count > LogCapacity)
            log.Dequeue();
    }

    /// <summary>Commands waiting for the camera's single command slot; the session sends them when the camera is ready.</summary>
    public void EnqueueCommand(string command)
    {
        lock (gate)
            outbox.Enqueue(command);
    }

    /// <summary>Everything queued, oldest first, and the queue emptied (the session packs it into as few messages as fit).</summary>
    public IReadOnlyList<string> TakeCommands()
    {
        lock (gate)
        {
            if (outbox.Count == 0)
                return [];
            var all = outbox.ToList();
            outbox.Clear();
            return all;
        }
    }

    /// <summary>Puts back what did not fit in the message just sent, ahead of anything queued since.</summary>
    public void ReturnCommands(IEnumerable<string> commands)
    {
        lock (gate)
        {
            var rest = outbox.ToList();
            outbox.Clear();
            foreach (var command in commands.Concat(rest))
                outbox.Enqueue(command);
        }
    }

    /// <summary>
    /// A bounded queue of frames for one consumer; when it is full the oldest frame is dropped, so a slow
    /// consumer never slows the camera. <paramref name="onDropped"/> runs for each dropped frame.
    /// </summary>
    public FrameSubscription Subscribe(int capacity, Action? onDropped = null)
    {
        var subscription = new FrameSubscription(this, capacity, onDropped);
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

public sealed class FrameSubscription : IFrameSink, IDisposable
{
    private readonly CameraLive camera;
    private readonly Channel<LiveFrame> channel;
    private long dropped;

    internal FrameSubscription(CameraLive camera, int capacity, Action? onDropped)
    {
        this.camera = camera;
        channel = Channel.CreateBounded<LiveFrame>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        }, _ =>
        {
            Interlocked.Increment(ref dropped);
            onDropped?.Invoke();
        });
    }

    public ChannelReader<LiveFrame> Frames => channel.Reader;
    public long Dropped => Interlocked.Read(ref dropped);

    public void Offer(LiveFrame frame) => channel.Writer.TryWrite(frame);

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

    public CameraLive For(Camera camera)
    {
        var live = cameras.GetOrAdd(camera.Id, _ => new CameraLive(camera.Id, camera.Name, camera.State, changed, events));
        live.Name = camera.Name;
        live.State = camera.State;
        return live;
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
