using NvrBlazor.Domain.Retention;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// A camera's retention as the API and the camera form show it: KeepDays null = Nvr:Retention:DefaultDays,
/// MaxGb null = no size limit of its own, OnLimit = what a size limit does to this camera.
/// </summary>
public sealed record CameraRetentionSettings(int? KeepDays, double? MaxGb, LimitAction OnLimit)
{
    public const double MaxGbLimit = 1_000_000;

    public static CameraRetentionSettings Of(Camera camera) => new(camera.RetentionDays, camera.RetentionMaxGb, camera.OnStorageLimit);

    /// <summary>Null when usable; otherwise the sentence naming the bad value.</summary>
    public string? Problem() =>
        MaxGb is { } gb && (double.IsNaN(gb) || gb <= 0 || gb > MaxGbLimit) ? $"The size limit must be more than 0 and at most {MaxGbLimit:0} GB, or empty for none (it is {gb})."
        : new RetentionPolicy(KeepDays ?? 1, null, OnLimit).Problem();
}
