namespace NvrBlazor.Domain.Retention;

/// <summary>What a camera does when a size limit (its own, the total, or the disk's free space) is hit.</summary>
public enum LimitAction { DeleteOldest = 0, StopRecording = 1 }

/// <summary>Why retention deletes a clip or stops a camera, in the order the rules are applied.</summary>
public enum RetentionRule { Age = 0, CameraSize = 1, TotalSize = 2, FreeSpace = 3 }

/// <summary>
/// A camera's retention: clips older than <see cref="KeepDays"/> are deleted; its clips may take at most
/// <see cref="MaxBytes"/> (none when null); <see cref="OnLimit"/> says whether hitting a size limit deletes
/// its oldest clips or stops its recording instead. Age always applies: it is the policy, not a limit.
/// </summary>
public sealed record RetentionPolicy(int KeepDays, long? MaxBytes, LimitAction OnLimit)
{
    public const int MaxKeepDays = 3650;

    public string? Problem() =>
        KeepDays is < 1 or > MaxKeepDays ? $"Keep days must be 1 to {MaxKeepDays} (it is {KeepDays})."
        : MaxBytes is <= 0 ? "The size limit must be more than 0 GB, or empty for none."
        : !Enum.IsDefined(OnLimit) ? $"The limit action {(int)OnLimit} is unknown."
        : null;
}

/// <summary>
/// Limits over all cameras: total size of the recordings (none when null) and the share of the disk kept
/// free, never less than <see cref="MinFreeFloorBytes"/> (what the recorder needs to keep recording).
/// </summary>
public sealed record GlobalLimits(long? MaxTotalBytes, double MinFreePercent, long MinFreeFloorBytes = 0)
{
    public long MinFreeBytes(DiskSpace disk) => Math.Max((long)(disk.TotalBytes * MinFreePercent / 100), MinFreeFloorBytes);
}

/// <summary>The recordings disk's size and free space, in bytes.</summary>
public readonly record struct DiskSpace(long TotalBytes, long FreeBytes);

/// <summary>What retention needs to know of a clip. <see cref="Writing"/>: its recorder still writes it.</summary>
public sealed record RetentionClip(long Id, int? CameraId, DateTimeOffset Start, long Bytes, bool Protected, bool Writing)
{
    public bool Deletable => !Protected && !Writing;
}
