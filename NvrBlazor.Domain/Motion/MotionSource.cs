namespace NvrBlazor.Domain.Motion;

/// <summary>Whose motion starts a camera's clips: the camera's own MotionStart/MotionEnd, the server's detector, or Auto.</summary>
public enum MotionSource { Auto, Camera, Server }

/// <summary>Where one motion event came from (stored with the event).</summary>
public enum MotionOrigin { Camera, Server }

public static class MotionSources
{
    /// <summary>
    /// Auto believes the camera once it has reported motion on this connection (an ESP32 with its
    /// motion detection on), and detects on the server until then or for a camera that never does.
    /// </summary>
    public static MotionOrigin Effective(MotionSource source, bool cameraReportsMotion) => source switch
    {
        MotionSource.Camera => MotionOrigin.Camera,
        MotionSource.Server => MotionOrigin.Server,
        _ => cameraReportsMotion ? MotionOrigin.Camera : MotionOrigin.Server,
    };
}
