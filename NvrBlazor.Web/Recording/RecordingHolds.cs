using System.Collections.Frozen;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// Cameras that may not start a clip now, and why: set by each retention run for the cameras whose
/// choice is to stop recording rather than lose clips when a storage limit is hit, cleared by the next
/// run that finds them within their limits. A clip already being written ends normally.
/// </summary>
public sealed class RecordingHolds
{
    private volatile FrozenDictionary<int, string> holds = FrozenDictionary<int, string>.Empty;

    public string? Why(int cameraId) => holds.GetValueOrDefault(cameraId);

    public IReadOnlyDictionary<int, string> All => holds;

    public void Replace(IReadOnlyDictionary<int, string> next) => holds = next.ToFrozenDictionary();
}
