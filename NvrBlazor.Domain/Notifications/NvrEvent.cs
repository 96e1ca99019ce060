using System.Globalization;
using System.Text.Json.Serialization;

namespace NvrBlazor.Domain.Notifications;

/// <summary>
/// One thing that happened, as the server's event stream carries it and as a generic webhook receives it
/// (camelCase JSON). Links are paths on this server; <see cref="WithBase"/> makes them absolute.
/// </summary>
public sealed record NvrEvent
{
    [JsonConverter(typeof(CamelCaseKinds))]
    public required EventKinds Kind { get; init; }
    public required DateTimeOffset At { get; init; }
    public int? CameraId { get; init; }
    public string? CameraName { get; init; }
    /// <summary>Motion: "camera" (it reported motion) or "server" (the server's detector saw it).</summary>
    public string? Source { get; init; }
    /// <summary>Motion seen by the server: the share of the picture that changed, 0-1.</summary>
    public double? Score { get; init; }
    public long? ClipId { get; init; }
    public DateTimeOffset? ClipStart { get; init; }
    public double? DurationSeconds { get; init; }
    public string? Reason { get; init; }
    public string? ThumbnailUrl { get; init; }
    /// <summary>What the object detector saw (clip finished: in the clip; object detected: the chosen objects seen), best first.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
    /// <summary>Object detected: the camera's zone where the best of them stands (null: the camera has no zones).</summary>
    public string? Zone { get; init; }
    public string? DownloadUrl { get; init; }
    /// <summary>The event in words, as a push notification or an e-mail subject shows it.</summary>
    public required string Message { get; init; }

    public NvrEvent WithBase(string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(baseUrl))
            return this;
        var root = baseUrl.TrimEnd('/');
        return this with
        {
            ThumbnailUrl = ThumbnailUrl is { } t && t.StartsWith('/') ? root + t : ThumbnailUrl,
            DownloadUrl = DownloadUrl is { } d && d.StartsWith('/') ? root + d : DownloadUrl,
        };
    }

    /// <summary>A short title: "Porch: motion", "Porch: clip 12 s", "Disk full".</summary>
    public string Title => Kind switch
    {
        EventKinds.MotionStarted => $"{CameraName}: motion",
        EventKinds.MotionEnded => $"{CameraName}: motion ended",
        EventKinds.ClipCompleted => string.Create(CultureInfo.InvariantCulture, $"{CameraName}: clip {DurationSeconds ?? 0:0} s{(Labels is { Count: > 0 } seen ? $", {string.Join(", ", seen)}" : "")}"),
        EventKinds.ObjectDetected => $"{CameraName}: {string.Join(", ", Labels ?? [])}{(Zone is null ? "" : $" in {Zone}")}",
        EventKinds.CameraOnline => $"{CameraName}: online",
        EventKinds.CameraOffline => $"{CameraName}: offline",
        EventKinds.CameraPending => $"{CameraName}: waiting for approval",
        EventKinds.DiskFull => "NvrBlazor: recording stopped, disk full",
        EventKinds.JobFailed => "NvrBlazor: a housekeeping job failed",
        _ => "NvrBlazor",
    };
}

/// <summary>Event kinds as the API writes enums: camelCase ("motionStarted").</summary>
public sealed class CamelCaseKinds() : JsonStringEnumConverter<EventKinds>(System.Text.Json.JsonNamingPolicy.CamelCase);
