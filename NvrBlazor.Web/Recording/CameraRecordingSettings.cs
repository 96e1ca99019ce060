using NvrBlazor.Domain.Motion;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Recording;

/// <summary>A camera's recording settings as the recorder uses them, read from its row in Cameras.</summary>
public sealed record CameraRecordingSettings(RecordingSettings Recording, MotionSource Source, MotionSettings Motion, NvrBlazor.Domain.Detection.ObjectTrigger Objects)
{
    public static CameraRecordingSettings Of(Camera camera) => RecordingSettingsDto.Of(camera).ToSettings();

    /// <summary>Null when usable; otherwise the sentence naming the bad value.</summary>
    public string? Problem() =>
        !Enum.IsDefined(Recording.Mode) ? $"Recording mode {(int)Recording.Mode} is unknown."
        : !Enum.IsDefined(Source) ? $"Motion source {(int)Source} is unknown."
        : Recording.Problem() ?? Motion.Problem() ?? Objects.Problem();
}
