namespace NvrBlazor.Domain.Recording;

/// <summary>
/// Turns frames that arrive whenever the camera manages into a constant output rate, so a clip lasts
/// as long as the events in it. Output slot k covers [k/fps, (k+1)/fps) from the clip's start; each
/// slot shows the newest frame that had arrived when it began. When a frame arrives, the slots that
/// began since the previous frame are written with the previous frame (duplicated when the camera is
/// slow); two frames within one slot leave the earlier one unwritten (dropped when it is fast).
/// </summary>
public sealed class ConstantRateResampler(double fps)
{
    public double Fps { get; } = fps > 0 ? fps : throw new ArgumentOutOfRangeException(nameof(fps), "The output rate must be positive.");
    public long Written { get; private set; }

    /// <summary>How many times to write the previous frame, given the time since the clip started at which the next one arrived (or the clip ends).</summary>
    public int SlotsBefore(TimeSpan elapsed)
    {
        // Slots that began strictly before this moment belong to the previous frame.
        var due = (long)Math.Ceiling(elapsed.TotalSeconds * Fps - 1e-9);
        var count = (int)Math.Clamp(due - Written, 0, int.MaxValue);
        Written += count;
        return count;
    }

    public TimeSpan Duration => TimeSpan.FromSeconds(Written / Fps);
}
