using NvrBlazor.Domain.Detection;
using NvrBlazor.Domain.Motion;

namespace NvrBlazor.Web.Cameras;

/// <summary>
/// What a camera's source counts as frames and messages come in (Ingest's sessions, the pullers): taken in, refused and
/// why. Written only by the source; shown to admins and exported on /metrics.
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
}

/// <summary>What the live viewers of a camera count (Live/ViewerConnection): who watches, what reached them, what their queues dropped.</summary>
public sealed class ViewerCounters
{
    /// <summary>Frames written to live viewers' sockets, counted once per viewer.</summary>
    public long FramesDelivered;
    /// <summary>Frames a live viewer's queue dropped because that viewer read too slowly (the oldest go).</summary>
    public long DroppedForViewers;
    /// <summary>Live viewers subscribed to this camera now.</summary>
    public long Viewers;
}

/// <summary>What the camera's recorder says of itself (Recording/CameraRecorder): whether a clip is being written, and the frames it could not take.</summary>
public sealed class RecorderStatus
{
    private int recording;

    /// <summary>
    /// Frames the recorder refused because its queue was full (Nvr:Recording:QueueMaxMb or TotalQueueMaxMb; the clip
    /// fails with the reason), or that were still queued when it stopped.
    /// </summary>
    public long DroppedFrames;

    /// <summary>True while a clip of this camera is being written.</summary>
    public bool Recording
    {
        get => Volatile.Read(ref recording) == 1;
        set => Volatile.Write(ref recording, value ? 1 : 0);
    }
}

/// <summary>
/// The commands waiting for a camera: queued by CameraControl (an admin, the API), taken by the camera's source when
/// the camera's single command slot is free.
/// </summary>
public sealed class CommandOutbox
{
    private readonly Lock gate = new();
    private readonly Queue<string> queue = new();

    public void Enqueue(string command)
    {
        lock (gate)
            queue.Enqueue(command);
    }

    /// <summary>Everything queued, oldest first, and the queue emptied (the source packs it into as few messages as fit).</summary>
    public IReadOnlyList<string> TakeAll()
    {
        lock (gate)
        {
            if (queue.Count == 0)
                return [];
            var all = queue.ToList();
            queue.Clear();
            return all;
        }
    }

    /// <summary>Puts back what did not fit in the message just sent, ahead of anything queued since.</summary>
    public void ReturnUnsent(IEnumerable<string> commands)
    {
        lock (gate)
        {
            var rest = queue.ToList();
            queue.Clear();
            foreach (var command in commands.Concat(rest))
                queue.Enqueue(command);
        }
    }
}

/// <summary>
/// What a camera said besides frames: its status fields, the last 100 messages each way, its last free text, whether it
/// is paused, and (a pulled camera) why its pictures do not come. Written by the camera's source; outgoing lines too.
/// </summary>
public sealed class CameraMessages(Action? changed)
{
    public const int LogCapacity = 100;
    private readonly Lock gate = new();
    private readonly Queue<CameraLogEntry> log = new();
    private readonly Dictionary<string, string> status = new(StringComparer.Ordinal);

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

    /// <summary>The camera's last free-text message (not status, motion or a setting echo), shown at the bottom of its tile for a few seconds.</summary>
    public CameraLogEntry? LastInfo { get; private set; }

    /// <summary>The camera said it is paused (it keeps the connection with "paused" messages); its next frame clears it.</summary>
    public bool Paused { get; private set; }

    /// <summary>A camera the server pulls: why the last attempt to fetch its pictures failed; null once pictures flow.</summary>
    public string? SourceError { get; private set; }

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

    public void SetInfo(DateTimeOffset at, string text)
    {
        lock (gate)
            LastInfo = new CameraLogEntry(at, false, text);
    }

    public void SetPaused(bool paused)
    {
        if (Paused == paused)
            return;
        Paused = paused;
        if (paused)
            changed?.Invoke();
    }

    public void AddLog(DateTimeOffset at, bool outgoing, string text)
    {
        lock (gate)
            AddLogLocked(at, outgoing, text);
        changed?.Invoke();
    }

    /// <summary>The puller's verdict: an error is also written to the message log; null clears it.</summary>
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

    private void AddLogLocked(DateTimeOffset at, bool outgoing, string text)
    {
        log.Enqueue(new CameraLogEntry(at, outgoing, text));
        while (log.Count > LogCapacity)
            log.Dequeue();
    }
}

/// <summary>
/// A camera's motion: what the camera reports (written by its source), what the server's detector found (written by
/// Motion/MotionAnalyzer), and whose of the two counts (the camera's "Motion from" setting, written from its row in the
/// registry). Announces every change of the effective motion.
/// </summary>
public sealed class CameraMotion(Action<bool, DateTimeOffset, MotionOrigin, double?> announce)
{
    private readonly Lock gate = new();
    private bool cameraReportsMotion, cameraMotion, serverMotion;
    private long starts;
    private MotionSource source = MotionSource.Auto;

    /// <summary>Motion as the camera's recording settings define it (MotionSources.Effective): the camera's own reports or the server's detector.</summary>
    public bool Moving
    {
        get
        {
            lock (gate)
                return Effective;
        }
    }

    /// <summary>Counts every start of (effective) motion, so a consumer polling it cannot miss a short event between two looks.</summary>
    public long Starts => Interlocked.Read(ref starts);

    /// <summary>The camera's "Motion from" setting (from its row: CameraHub.For).</summary>
    public MotionSource Source
    {
        get
        {
            lock (gate)
                return source;
        }
    }

    public MotionOrigin Origin
    {
        get
        {
            lock (gate)
                return OriginLocked;
        }
    }

    /// <summary>When the effective motion last changed: the camera's message arrived, or the analysed frame that changed it arrived.</summary>
    public DateTimeOffset? ChangedAt { get; private set; }

    /// <summary>The server detector's last analysed frame and score (null until it has analysed one).</summary>
    public MotionScore? LastScore { get; private set; }

    private MotionOrigin OriginLocked => MotionSources.Effective(source, cameraReportsMotion);
    private bool Effective => OriginLocked == MotionOrigin.Camera ? cameraMotion : serverMotion;

    internal void Configure(MotionSource setting)
    {
        lock (gate)
            source = setting;
    }

    /// <summary>The camera said MotionStart / MotionEnd (received at <paramref name="at"/>).</summary>
    public void ReportedByCamera(bool moving, DateTimeOffset at)
    {
        lock (gate)
        {
            var before = Effective;
            cameraReportsMotion = true;
            cameraMotion = moving;
            Changed(before, at);
        }
    }

    /// <summary>The server's detector analysed a frame.</summary>
    public void Analysed(bool moving, MotionScore score)
    {
        lock (gate)
        {
            var before = Effective;
            serverMotion = moving;
            LastScore = score;
            Changed(before, score.Frame.ReceivedAt);
        }
    }

    /// <summary>A new connection must prove again that its camera reports motion (its settings may have changed).</summary>
    internal void Connected()
    {
        lock (gate)
        {
            cameraReportsMotion = false;
            cameraMotion = false;
        }
    }

    /// <summary>The camera went away: whatever it or the detector last said no longer holds. Answers whether it was moving.</summary>
    internal bool Disconnected()
    {
        lock (gate)
        {
            var was = Effective;
            cameraMotion = false;
            serverMotion = false;
            return was;
        }
    }

    private void Changed(bool before, DateTimeOffset at)
    {
        var now = Effective;
        if (before == now)
            return;
        ChangedAt = at;
        if (now)
            Interlocked.Increment(ref starts);
        var origin = OriginLocked;
        announce(now, at, origin, origin == MotionOrigin.Server ? LastScore?.Score : null);
    }
}

/// <summary>One look of the object detector at a camera's frame: what it found (in the frame's pixels) and when.</summary>
public sealed record DetectionLook(LiveFrame Frame, IReadOnlyList<DetectedObject> Found, DateTimeOffset At);

/// <summary>
/// The object detector's latest look at this camera (written by Detection/DetectionService; read by the recorder, which
/// labels motion events with it, and by the API), and its counts.
/// </summary>
public sealed class CameraDetections
{
    private DetectionLook? latest;

    /// <summary>Frames the detector analysed.</summary>
    public long Analysed;
    /// <summary>Frames that waited for the detector and were replaced by a newer one of the same camera (the budget was spent).</summary>
    public long Skipped;

    public DetectionLook? Latest => Volatile.Read(ref latest);

    public void Report(DetectionLook look)
    {
        Volatile.Write(ref latest, look);
        Interlocked.Increment(ref Analysed);
    }
}
