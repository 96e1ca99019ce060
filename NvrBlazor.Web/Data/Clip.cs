using NvrBlazor.Domain.Motion;
using NvrBlazor.Domain.Recording;

namespace NvrBlazor.Web.Data;

public enum ClipState { Recording = 0, Complete = 1, Failed = 2 }

/// <summary>
/// One recorded clip (table Clips). Path and ThumbnailPath are relative to the recordings folder. The
/// camera's name is copied so a clip stays readable after its camera is renamed or deleted. Times are
/// stored as Unix milliseconds so SQLite can sort and range-filter them.
/// </summary>
public sealed class Clip
{
    public long Id { get; set; }
    public int? CameraId { get; set; }
    public string CameraName { get; set; } = "";
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public double DurationSeconds { get; set; }
    public double FrameRate { get; set; }
    public long Frames { get; set; }
    public long Bytes { get; set; }
    public string Path { get; set; } = "";
    public string? ThumbnailPath { get; set; }
    /// <summary>What the object detector saw while the clip was written, best score first ("person,car"); null for nothing.</summary>
    public string? Labels { get; set; }
    public ClipReason Reason { get; set; }
    public ClipState State { get; set; }
    public string? Error { get; set; }
    /// <summary>Kept by retention whatever its age or the space it takes; set and cleared by users on the clips pages.</summary>
    public bool Protected { get; set; }
}

/// <summary>One stretch of motion (table MotionEvents), linked to the clip it started in (none when recording was off).</summary>
public sealed class MotionEvent
{
    public long Id { get; set; }
    public int? CameraId { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset? End { get; set; }
    public MotionOrigin Source { get; set; }
    /// <summary>The largest changed share of the picture (0-1) the server measured; null for camera-reported motion.</summary>
    public double? PeakScore { get; set; }
    public long? ClipId { get; set; }
    /// <summary>What the object detector saw during the event, best score first ("person,car"); null when it saw nothing or was off.</summary>
    public string? Labels { get; set; }
    /// <summary>The best detection's score (0-1) and its box in the frame's pixels ("x,y,w,h").</summary>
    public double? BestScore { get; set; }
    public string? Box { get; set; }
}
