namespace NvrBlazor.Domain.Recording;

/// <summary>The whole frame rate a clip is written at, from frames measured over a span and the rate the camera claims.</summary>
public static class ClipFrameRate
{
    /// <summary>How far (a share of the claimed rate) a measured rate may be from the camera's own "fps" for the claim to win.</summary>
    public const double ClaimBelievedWithin = 0.35;

    /// <summary>
    /// Whole frames per second, 1-30. A camera that says its rate (an ESP32's status "fps") is believed when the measurement
    /// is within <see cref="ClaimBelievedWithin"/> of it: arrival times after a restart or under load wobble (9.4, 7.6 and 12.3
    /// were measured for a 10 fps camera on a busy 2-core machine), and a clip is timed by its frames' capture times anyway,
    /// so a rate a little off only repeats or drops frames.
    /// </summary>
    public static int Of(int frames, TimeSpan span, int? claimed)
    {
        var measured = (frames - 1) / span.TotalSeconds;
        var rate = claimed is > 0 and <= 30 && Math.Abs(measured - claimed.Value) <= ClaimBelievedWithin * claimed.Value ? claimed.Value : measured;
        return (int)Math.Clamp(Math.Round(rate), 1, 30);
    }
}
