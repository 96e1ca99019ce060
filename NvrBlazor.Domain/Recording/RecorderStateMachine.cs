namespace NvrBlazor.Domain.Recording;

/// <summary>When a camera records: never, on motion, always, or on motion once the object detector has seen a chosen label (Detected).</summary>
public enum RecordingMode { Off, Motion, Continuous, Detected }

public enum ClipReason { Motion, Manual, Continuous }

public enum RecorderState { Idle, Recording, PostRoll }

/// <summary>Per-camera recording settings (defaults: motion, 5 s pre-roll, 10 s post-roll, 300 s clips).</summary>
public sealed record RecordingSettings(RecordingMode Mode, TimeSpan PreRoll, TimeSpan PostRoll, TimeSpan MaxClipLength)
{
    public static RecordingSettings Default { get; } = new(RecordingMode.Motion, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300));

    /// <summary>No clip is longer: a clip overlapping a time range started at most this long before it (what clip searches rely on).</summary>
    public static readonly TimeSpan LongestClip = TimeSpan.FromHours(2);

    /// <summary>Clips follow motion (Motion, or Detected once a chosen label is seen).</summary>
    public bool RecordsOnMotion => Mode is RecordingMode.Motion or RecordingMode.Detected;

    public string? Problem() =>
        PreRoll < TimeSpan.Zero || PreRoll > TimeSpan.FromSeconds(60) ? "Pre-roll must be 0 to 60 seconds."
        : PostRoll < TimeSpan.Zero || PostRoll > TimeSpan.FromSeconds(600) ? "Post-roll must be 0 to 600 seconds."
        : MaxClipLength < TimeSpan.FromSeconds(10) || MaxClipLength > LongestClip ? "Maximum clip length must be 10 seconds to 2 hours."
        : null;
}

/// <summary>What the recorder must do now.</summary>
public abstract record RecorderAction;

/// <summary>Open a clip; its first frames are the pre-roll (from <see cref="From"/>).</summary>
public sealed record StartClip(ClipReason Reason, DateTimeOffset From) : RecorderAction;

/// <summary>Close the current clip at <see cref="At"/>.</summary>
public sealed record EndClip(DateTimeOffset At, string Why) : RecorderAction;

/// <summary>
/// When a camera's clips start and end: idle → recording (motion, manual or continuous) → post-roll
/// after the last motion → idle. Motion during post-roll extends the clip; a clip reaching the
/// maximum length (pre-roll included) ends and the next starts at the same frame, so a rollover loses nothing; manual
/// recording lasts until stopped. In Detected mode motion starts (or extends) a clip only once the object detector has
/// seen a chosen label during it (<see cref="OnObjects"/>); the pre-roll is counted back from that moment. Pure: times
/// come in, actions come out.
/// </summary>
public sealed class RecorderStateMachine(RecordingSettings settings)
{
    private DateTimeOffset clipStart;
    private DateTimeOffset lastMotion;
    private bool motion;
    // Detected mode: a chosen label was seen during the motion going on now.
    private bool objectSeen;
    private bool manual;

    public RecordingSettings Settings { get; private set; } = settings;
    public RecorderState State { get; private set; }
    public ClipReason? Reason { get; private set; }
    /// <summary>An admin asked to record and has not stopped it (kept across a failed clip, so recording carries on).</summary>
    public bool Manual => manual;

    public IReadOnlyList<RecorderAction> OnMotion(bool isMotion, DateTimeOffset at)
    {
        motion = isMotion;
        lastMotion = at;
        if (!isMotion)
            objectSeen = false;
        if (!isMotion || !Settings.RecordsOnMotion || (Settings.Mode == RecordingMode.Detected && !objectSeen))
            return [];
        return MotionCounts(at);
    }

    /// <summary>The object detector saw a chosen label (Detected mode: the motion going on now counts from here on).</summary>
    public IReadOnlyList<RecorderAction> OnObjects(DateTimeOffset at)
    {
        if (!motion || objectSeen)
            return [];
        objectSeen = true;
        if (Settings.Mode != RecordingMode.Detected)
            return [];
        lastMotion = at;
        return MotionCounts(at);
    }

    private IReadOnlyList<RecorderAction> MotionCounts(DateTimeOffset at)
    {
        switch (State)
        {
            case RecorderState.Idle:
                return [Start(ClipReason.Motion, at - Settings.PreRoll)];
            case RecorderState.PostRoll:
                State = RecorderState.Recording;
                break;
        }
        return [];
    }

    public IReadOnlyList<RecorderAction> OnManual(bool record, DateTimeOffset at)
    {
        manual = record;
        if (record)
        {
            if (State == RecorderState.Idle)
                return [Start(ClipReason.Manual, at - Settings.PreRoll)];
            // Already recording: the clip becomes manual and lasts until stopped.
            Reason = ClipReason.Manual;
            State = RecorderState.Recording;
            return [];
        }
        if (Reason != ClipReason.Manual)
            return [];
        // Stopped by hand while motion goes on (or in continuous mode): the clip carries on for that reason.
        if (Settings.RecordsOnMotion && motion && (Settings.Mode == RecordingMode.Motion || objectSeen))
        {
            Reason = ClipReason.Motion;
            return [];
        }
        if (Settings.Mode == RecordingMode.Continuous)
        {
            Reason = ClipReason.Continuous;
            return [];
        }
        return [Stop(at, "manual recording stopped")];
    }

    /// <summary>Called for every frame (and on a timer while frames are missing): ends post-roll, rolls over long clips, starts continuous clips.</summary>
    public IReadOnlyList<RecorderAction> OnFrame(DateTimeOffset at)
    {
        if (State == RecorderState.Idle)
            return Settings.Mode == RecordingMode.Continuous ? [Start(ClipReason.Continuous, at)] : [];
        if (at - clipStart >= Settings.MaxClipLength)
        {
            var reason = Reason!.Value;
            return [new EndClip(at, "maximum clip length"), Start(reason, at)];
        }
        if (manual || Reason == ClipReason.Continuous)
            return [];
        // In Detected mode, motion in which no chosen label was seen does not hold the clip open.
        if (motion && (Settings.Mode != RecordingMode.Detected || objectSeen))
            return [];
        if (State == RecorderState.Recording)
            State = RecorderState.PostRoll;
        if (at - lastMotion >= Settings.PostRoll)
            return [Stop(at, "no motion for the post-roll")];
        return [];
    }

    /// <summary>Recording turned off, the camera went away or the server is stopping: the open clip ends.</summary>
    public IReadOnlyList<RecorderAction> Close(DateTimeOffset at, string why) => State == RecorderState.Idle ? [] : [Stop(at, why)];

    public IReadOnlyList<RecorderAction> Change(RecordingSettings next, DateTimeOffset at)
    {
        Settings = next;
        var stopIt = State != RecorderState.Idle && !manual && (next.Mode == RecordingMode.Off || (next.RecordsOnMotion && Reason == ClipReason.Continuous));
        return stopIt ? [Stop(at, "recording mode changed")] : [];
    }

    private StartClip Start(ClipReason reason, DateTimeOffset from)
    {
        State = RecorderState.Recording;
        Reason = reason;
        clipStart = from;
        return new StartClip(reason, from);
    }

    private EndClip Stop(DateTimeOffset at, string why)
    {
        State = RecorderState.Idle;
        Reason = null;
        return new EndClip(at, why);
    }
}
