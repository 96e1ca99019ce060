namespace NvrBlazor.Web.Data;

/// <summary>A Viewer may see this camera (table CameraGrants). Deleting the user or the camera deletes the grant.</summary>
public sealed class CameraGrant
{
    public string UserId { get; set; } = "";
    public int CameraId { get; set; }
}
