namespace NvrBlazor.Domain.Motion;

/// <summary>
/// Decides, at each of the analyzer's ticks, whether the newest frame is worth decoding. Decoding is most of what
/// server-side motion detection costs, and a still scene needs little of it:
/// <list type="bullet">
/// <item>while motion is on, or for <see cref="Attentive"/> after a look saw a tenth of the area that counts as
/// motion or a frame's size jumped, every tick is analysed (the full rate, as before);</item>
/// <item>while the scene is quiet, a frame is analysed at once when its JPEG size moved away from the last analysed
/// frame's by more than the scene's own jitter (something entering a still picture changes how well it compresses:
/// +1.3 % for the walking figure's first frame against 0.25 % between still frames), and otherwise once every
/// <see cref="QuietLook"/>, which catches what compresses alike (a small object, a slow change of light).</item>
/// </list>
/// The first look on a size jump comes on the same tick as before, so the walk is detected no later than at the full rate.
/// What compresses alike is seen up to <see cref="QuietLook"/> after it began, which the clip's pre-roll (5 s by
/// default) covers: the clip still starts before it.
/// </summary>
public sealed class AnalysisPacer
{
    /// <summary>
    /// How often a quiet scene is looked at whatever its frames' sizes say. Each look is a JPEG decode (0.37 ms for a
    /// VGA frame at 1/8 here, most of it the entropy decoding that no scale skips): at one look a second that was a
    /// quarter of an idle server's CPU at 50 cameras (docs/performance.md).
    /// </summary>
    public static readonly TimeSpan QuietLook = TimeSpan.FromSeconds(2);

    /// <summary>How long the full rate lasts after a look that saw some change or a frame whose size jumped.</summary>
    public static readonly TimeSpan Attentive = TimeSpan.FromSeconds(1);

    /// <summary>A size change counts only above this share of the frame, however steady the scene (JPEG rounding).</summary>
    public const double MinSizeChange = 0.004;

    /// <summary>A size change counts when it is this many times the scene's usual tick-to-tick change.</summary>
    public const double JitterFactor = 3;

    private double jitter;
    private int previousSize = -1;
    private int analysedSize = -1;
    private DateTimeOffset lastAnalysis = DateTimeOffset.MinValue;
    private DateTimeOffset attentiveUntil = DateTimeOffset.MinValue;

    /// <summary>Whether to analyse a new frame of <paramref name="jpegBytes"/> bytes at <paramref name="now"/>.</summary>
    public bool ShouldAnalyse(int jpegBytes, DateTimeOffset now)
    {
        if (previousSize >= 0 && now >= attentiveUntil)
        {
            // The still scene's jitter, as a slowly moving mean of the change between consecutive ticks' frames
            // (not while something moves: a walking figure's swings would raise the bar for the next one).
            var step = Math.Abs(jpegBytes - previousSize);
            jitter = jitter == 0 ? step : jitter + 0.1 * (Math.Min(step, 4 * jitter + 1) - jitter);
        }
        previousSize = jpegBytes;
        if (now < attentiveUntil || analysedSize < 0 || now - lastAnalysis >= QuietLook)
            return true;
        var moved = Math.Abs(jpegBytes - analysedSize);
        if (moved <= Math.Max(JitterFactor * jitter, MinSizeChange * analysedSize))
            return false;
        // Something may be coming in: look at every tick for a while, not only when the size jumps again.
        attentiveUntil = now + Attentive;
        return true;
    }

    /// <summary>What the analysis of a frame found: motion on, or a tenth of the area that counts as motion, keeps the full rate.</summary>
    public void Analysed(int jpegBytes, DateTimeOffset at, MotionResult result, MotionSettings settings)
    {
        analysedSize = jpegBytes;
        lastAnalysis = at;
        if (result.Motion || result.Score * 100 >= settings.MinAreaPercent / 10)
            attentiveUntil = at + Attentive;
    }
}
