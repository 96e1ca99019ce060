using NvrBlazor.Domain.Motion;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Domain.Retention;

namespace NvrBlazor.Web.Data;

/// <summary>Esp32, Browser and Agent cameras push to the server; a Pull camera is fetched by the server (Pull/).</summary>
public enum CameraKind { Esp32 = 0, Browser = 1, Agent = 2, Pull = 3 }

/// <summary>Pending: admitted but not trusted (frames are an admin preview only). Active: shown and recorded. Disabled: refused.</summary>
public enum CameraState { Pending = 0, Active = 1, Disabled = 2 }

/// <summary>A camera in the registry (table Cameras). Live state (online, fps, last frame) is in CameraHub, not here.</summary>
public sealed class Camera
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public CameraKind Kind { get; set; }
    /// <summary>ESP32: the hostName from its status, or "ip:&lt;address&gt;" for a camera without a set clock (it sends no status).</summary>
    public string? HostName { get; set; }
    /// <summary>Token cameras: SHA-256 of the token, never the token itself.</summary>
    public string? TokenHash { get; set; }
    public CameraState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public string? LastRemoteAddress { get; set; }
    /// <summary>ESP32: where it may reconnect from once approved (default: its last address's /24).</summary>
    public NvrBlazor.Domain.Ingest.CameraAddressPolicy AddressPolicy { get; set; }
    /// <summary>Why an approved camera is pending again (it came back from another network); null for a new camera.</summary>
    public string? PendingReason { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }

    // Pull cameras (Admin > Cameras > Add camera > Pull from a URL): what the server fetches, see NvrBlazor.Domain.Pull.PullSource.
    public NvrBlazor.Domain.Pull.PullKind? PullKind { get; set; }
    /// <summary>Never with a user or password in it.</summary>
    public string? PullUrl { get; set; }
    public double? PullFps { get; set; }
    /// <summary>RTSP only: the width frames are scaled to (null: the camera's own size).</summary>
    public int? PullWidth { get; set; }
    /// <summary>"user\npassword", protected with ASP.NET Core data protection; never sent to a browser or logged.</summary>
    public string? PullCredentials { get; set; }

    public NvrBlazor.Domain.Pull.PullSource? PullSource =>
        Kind == CameraKind.Pull && PullKind is { } kind && PullUrl is { } url ? new(kind, url, PullFps ?? NvrBlazor.Domain.Pull.PullSource.DefaultFps, PullWidth) : null;

    // Recording settings (Admin > Cameras > Recording); defaults as in RecordingSettings.Default and MotionSettings.
    public RecordingMode RecordingMode { get; set; } = RecordingMode.Motion;
    public MotionSource MotionSource { get; set; } = MotionSource.Auto;
    public int MotionSensitivity { get; set; } = 50;
    public double MotionMinAreaPercent { get; set; } = 1.0;
    public int PreRollSeconds { get; set; } = 5;
    public int PostRollSeconds { get; set; } = 10;
    public int MaxClipSeconds { get; set; } = 300;
    /// <summary>The object detector's labels that count for this camera ("person,car") and their minimum score: what the Detected recording mode waits for.</summary>
    public string DetectLabels { get; set; } = "person";
    public double DetectMinScore { get; set; } = NvrBlazor.Domain.Detection.ObjectTrigger.DefaultMinScore;
    /// <summary>Also look for faces on the people found (BlazeFace on each person's head and shoulders).</summary>
    public bool DetectFaces { get; set; }
    /// <summary>Masks and zones drawn on the picture (Domain.Zones.CameraZones as JSON); null: the whole picture is watched.</summary>
    public string? Zones { get; set; }

    // Retention (Admin > Cameras > Recording): null days = Nvr:Retention:DefaultDays, null GB = no cap of its own.
    public int? RetentionDays { get; set; }
    public double? RetentionMaxGb { get; set; }
    public LimitAction OnStorageLimit { get; set; } = LimitAction.DeleteOldest;
}
