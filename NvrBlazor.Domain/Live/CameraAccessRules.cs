namespace NvrBlazor.Domain.Live;

/// <summary>What a camera is to the access rules: only approved (active) cameras are shown to Viewers.</summary>
public enum CameraStanding { Pending, Active, Disabled }

/// <summary>
/// Who may see a camera, live or recorded. Admins see every camera (a pending one is their preview
/// before approval; a disabled one stays theirs to manage). A Viewer sees an active camera when it was granted to them, or
/// when they were given "all cameras, including future ones".
/// </summary>
public static class CameraAccessRules
{
    public static bool CanView(bool isAdmin, bool allCameras, bool granted, CameraStanding standing) => standing switch
    {
        _ when isAdmin => true,
        CameraStanding.Disabled or CameraStanding.Pending => false,
        _ => isAdmin || allCameras || granted,
    };
}
