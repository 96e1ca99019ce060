namespace NvrBlazor.Domain.Motion;

/// <summary>
/// Per-camera motion settings. Sensitivity 1-100 (higher = smaller differences count);
/// MinAreaPercent = share of the picture that must change; StartFrames / StopFrames = how many
/// analysed frames in a row with / without motion start / stop an event.
/// </summary>
public sealed record MotionSettings(int Sensitivity = 50, double MinAreaPercent = 1.0, int StartFrames = 2, int StopFrames = 5)
{
    /// <summary>Null when usable; otherwise the sentence naming the bad value.</summary>
    public string? Problem() =>
        Sensitivity is < 1 or > 100 ? $"Sensitivity is {Sensitivity}; it must be 1 to 100."
        : MinAreaPercent is < 0.01 or > 100 ? $"Minimum changed area is {MinAreaPercent}%; it must be 0.01 to 100."
        : StartFrames is < 1 or > 100 ? $"Start frames is {StartFrames}; it must be 1 to 100."
        : StopFrames is < 1 or > 1000 ? $"Stop frames is {StopFrames}; it must be 1 to 1000."
        : null;
}

/// <summary>What one analysed frame showed. Score is the changed share of the picture (0-1).</summary>
/// <summary>One analysed frame: motion on or off, the changed share of the picture, and where the change is (null when nothing changed).</summary>
public readonly record struct MotionResult(bool Motion, bool Started, bool Ended, double Score, MotionBox? Box = null);

/// <summary>
/// Where a frame changed, as fractions of the picture (0-1): the box holding the changed pixels,
/// without the outermost 2 % of them on each side (stray noise pixels do not stretch it).
/// <see cref="TouchesEdge"/> when it reaches the picture's border within one analysis pixel: the moving
/// thing is then probably cut off by the frame.
/// </summary>
public readonly record struct MotionBox(double Left, double Top, double Right, double Bottom, bool TouchesEdge)
{
    public double Area => Math.Max(0, Right - Left) * Math.Max(0, Bottom - Top);
}

/// <summary>
/// Server-side motion detection over small grayscale frames (decoded at 1/8 scale). Each frame is
/// compared with a slowly adapting background after both are normalised to the same mean and
/// contrast, so a lamp switched on or the sun behind a cloud changes nothing; a pixel counts as
/// changed when it differs by more than the sensitivity's share of the picture's contrast and by more
/// than the noise floor. Motion starts after StartFrames frames in a row with enough changed area and
/// stops after StopFrames frames without. With <paramref name="zones"/>, only watched pixels (outside masks, inside a
/// zone if there are zones) count, and the changed area is their share of the watched pixels.
/// </summary>
public sealed class MotionDetector(MotionSettings settings, NvrBlazor.Domain.Zones.CameraZones? zones = null)
{
    /// <summary>Differences below this many gray levels are sensor noise, whatever the contrast.</summary>
    public const double NoiseFloor = 10;
    /// <summary>A flat picture's contrast is taken as at least this, so its noise is not magnified.</summary>
    public const double MinContrast = 16;
    private const double AdaptRate = 0.05;
    private const double AdaptRateChanged = 0.005;

    private const double BoxTrim = 0.02;

    private float[] background = [];
    private int[] changedPerColumn = [];
    private int[] changedPerRow = [];
    private bool[]? watched;
    private int watchedCount;
    private int width, height;
    private int withMotion, withoutMotion;

    public bool Motion { get; private set; }
    public MotionSettings Settings { get; } = settings;

    public MotionResult Analyse(ReadOnlySpan<byte> gray, int frameWidth, int frameHeight)
    {
        var pixels = frameWidth * frameHeight;
        if (pixels <= 0 || gray.Length < pixels)
            throw new ArgumentException($"A {frameWidth}x{frameHeight} frame needs {pixels} bytes; got {gray.Length}.", nameof(gray));
        gray = gray[..pixels];
        if (frameWidth != width || frameHeight != height)
        {
            // First frame, or the camera changed resolution: this frame is the new background.
            width = frameWidth;
            height = frameHeight;
            background = new float[pixels];
            changedPerColumn = new int[width];
            changedPerRow = new int[height];
            for (var i = 0; i < pixels; i++)
                background[i] = gray[i];
            var raster = zones?.Raster(width, height);
            (watched, watchedCount) = (raster?.Watched, raster?.Count ?? pixels);
            return Step(0, null);
        }

        var (meanNow, contrastNow) = Statistics(gray);
        var (meanBack, contrastBack) = Statistics<float>(background);
        var scale = contrastNow / contrastBack;
        var threshold = Math.Max(NoiseFloor, ThresholdInContrasts(Settings.Sensitivity) * contrastNow);
        var changed = 0;
        Array.Clear(changedPerColumn);
        Array.Clear(changedPerRow);
        for (int y = 0, i = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++, i++)
            {
                // The background as it would look under this frame's brightness and contrast.
                var expected = (background[i] - meanBack) * scale + meanNow;
                var isChanged = Math.Abs(gray[i] - expected) > threshold && (watched is null || watched[i]);
                if (isChanged)
                {
                    changed++;
                    changedPerColumn[x]++;
                    changedPerRow[y]++;
                }
                background[i] += (float)((isChanged ? AdaptRateChanged : AdaptRate) * (gray[i] - background[i]));
            }
        }
        return Step(watchedCount == 0 ? 0 : (double)changed / watchedCount, changed == 0 ? null : Box(changed));
    }

    private MotionBox Box(int changed)
    {
        var (left, right) = Trimmed(changedPerColumn, changed);
        var (top, bottom) = Trimmed(changedPerRow, changed);
        var touches = left == 0 || top == 0 || right == width - 1 || bottom == height - 1;
        return new MotionBox((double)left / width, (double)top / height, (double)(right + 1) / width, (double)(bottom + 1) / height, touches);
    }

    /// <summary>The first and last index between which all but <see cref="BoxTrim"/> of the changed pixels lie on each side.</summary>
    private static (int First, int Last) Trimmed(int[] counts, int total)
    {
        var skip = (int)(total * BoxTrim);
        int first = 0, last = counts.Length - 1, seen = 0;
        for (; first < counts.Length; first++)
        {
            seen += counts[first];
            if (seen > skip)
                break;
        }
        seen = 0;
        for (; last > first; last--)
        {
            seen += counts[last];
            if (seen > skip)
                break;
        }
        return (first, last);
    }

    /// <summary>Sensitivity 100 counts a difference of 0.3 of the picture's contrast; 1 needs about 2.</summary>
    public static double ThresholdInContrasts(int sensitivity) => 0.3 + (100 - Math.Clamp(sensitivity, 1, 100)) * 0.017;

    private MotionResult Step(double score, MotionBox? box)
    {
        var active = score * 100 >= Settings.MinAreaPercent;
        withMotion = active ? withMotion + 1 : 0;
        withoutMotion = active ? 0 : withoutMotion + 1;
        var started = !Motion && withMotion >= Settings.StartFrames;
        var ended = Motion && withoutMotion >= Settings.StopFrames;
        if (started)
            Motion = true;
        if (ended)
            Motion = false;
        return new MotionResult(Motion, started, ended, score, box);
    }

    private static (double Mean, double Contrast) Statistics<T>(ReadOnlySpan<T> values) where T : System.Numerics.INumberBase<T>
    {
        double sum = 0, squares = 0;
        foreach (var value in values)
        {
            var v = double.CreateTruncating(value);
            sum += v;
            squares += v * v;
        }
        var mean = sum / values.Length;
        return (mean, Math.Max(MinContrast, Math.Sqrt(Math.Max(0, squares / values.Length - mean * mean))));
    }
}
