namespace NvrBlazor.Domain.Notifications;

/// <summary>What happened, as notification rules choose it (flags: a rule picks any set).</summary>
[Flags]
public enum EventKinds
{
    None = 0,
    MotionStarted = 1,
    MotionEnded = 2,
    ClipCompleted = 4,
    CameraOnline = 8,
    CameraOffline = 16,
    CameraPending = 32,
    DiskFull = 64,
    JobFailed = 128,
    /// <summary>The object detector saw one of the camera's chosen objects (where it watches) during motion: once per motion event.</summary>
    ObjectDetected = 512,
    All = MotionStarted | MotionEnded | ClipCompleted | CameraOnline | CameraOffline | CameraPending | DiskFull | JobFailed | ObjectDetected,
    /// <summary>Not for people (no rule offers it): tells the MQTT bridge to remove the camera's Home Assistant entities.</summary>
    CameraRemoved = 256,
}

/// <summary>
/// A channel's rule: which events, which cameras (null: all, including future ones), quiet hours in the server's
/// local time (from == to: none; from &gt; to wraps past midnight), and the least time between two notifications of
/// one kind of one camera (a long motion, or motion that starts and stops every few seconds, gives one push, not twenty).
/// Events without a camera (disk, jobs) ignore the camera choice and the gap. <paramref name="Labels"/> (null: any) limits
/// what a camera saw to the object detector's labels: motion, clip and object events pass only when they carry one of
/// them (motion that starts carries none yet, so such a rule takes "object detected" or "clip finished" instead).
/// </summary>
public sealed record NotificationRule(EventKinds Events, IReadOnlySet<int>? CameraIds, TimeOnly QuietFrom, TimeOnly QuietTo, TimeSpan MinGap,
    IReadOnlySet<string>? Labels = null)
{
    /// <summary>Events about what a camera saw: the ones a label choice applies to.</summary>
    public const EventKinds Sightings = EventKinds.MotionStarted | EventKinds.MotionEnded | EventKinds.ClipCompleted | EventKinds.ObjectDetected;

    public bool InQuietHours(TimeOnly local) =>
        QuietFrom != QuietTo && (QuietFrom < QuietTo ? local >= QuietFrom && local < QuietTo : local >= QuietFrom || local < QuietTo);

    /// <summary>Null when the event is to be sent; otherwise why not (for the delivery log and the tests).</summary>
    public string? Suppresses(EventKinds kind, int? cameraId, TimeOnly local, DateTimeOffset at, DateTimeOffset? lastSentForCamera, IReadOnlyList<string>? labels = null)
    {
        if ((Events & kind) == 0)
            return $"the rule does not include {kind}";
        if (cameraId is { } id && CameraIds is not null && !CameraIds.Contains(id))
            return "the rule does not include this camera";
        if (Labels is { Count: > 0 } wanted && (Sightings & kind) != 0 && !(labels ?? []).Any(wanted.Contains))
            return $"the rule wants {string.Join(", ", wanted.Order(StringComparer.Ordinal))}; the event saw {(labels is { Count: > 0 } ? string.Join(", ", labels) : "no object")}";
        if (InQuietHours(local))
            return $"quiet hours {QuietFrom:HH\\:mm}-{QuietTo:HH\\:mm}";
        if (cameraId is not null && lastSentForCamera is { } last && at - last < MinGap)
            return $"less than {MinGap.TotalSeconds:0} s since this camera's last notification";
        return null;
    }
}
