namespace NvrBlazor.Web.Data;

public enum AuditAction
{
    LiveView = 0, Command = 1, ClipView = 2, ClipDownload = 3, ClipDelete = 4, ClipProtect = 5, CameraAddress = 6,

    // Admin actions and sign-ins (who did it is the line's user; the detail says to what, with before → after).
    User = 7, Grants = 8, Camera = 9, Settings = 10, SignIn = 11, SignInFailed = 12, JobRun = 13,

    // A program took a camera's frames (snapshot.jpg or the MJPEG stream), once per user and camera in the window.
    Frames = 14,

    // A user created or revoked one of their API keys (the detail names the key, never the key itself).
    ApiKey = 15,
}

/// <summary>
/// One line of the audit log (table AuditEntries): who did what to which camera or clip. The camera's name is
/// copied so the line stays readable after the camera is renamed or deleted.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string UserName { get; set; } = "";
    public AuditAction Action { get; set; }
    public int? CameraId { get; set; }
    public string CameraName { get; set; } = "";
    public string Detail { get; set; } = "";
    /// <summary>The clip a clip action was about (the row may be gone since: deleted clips stay named in their audit lines).</summary>
    public long? ClipId { get; set; }
}
