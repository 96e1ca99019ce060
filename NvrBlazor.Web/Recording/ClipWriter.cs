using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// One clip being written: its row (inserted when it opens, state Recording), its ffmpeg, and the
/// resampling of arriving frames to the clip's constant rate. The rate is the camera's own, measured on
/// the frames' capture times (CaptureClock): from the pre-roll when it spans 3 s, otherwise on the clip's first 3 s
/// of frames, held back until then (a camera that just connected has no history to measure). Also keeps
/// the best thumbnail candidate (the analysed frame showing the moving region whole and largest).
/// </summary>
internal sealed class ClipWriter(ClipReason reason, int? knownFps, CameraLive camera, string recordingsRoot)
{
    /// <summary>
    /// How much of a camera's stream measures its rate, and the most that is held back for it. Three seconds, not one:
    /// a camera that starts slowly and then catches up (a reconnect, a busy network) measured 5-6 fps for 10 over one second.
    /// </summary>
    private static readonly TimeSpan MeasureFor = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MeasureAtMost = TimeSpan.FromSeconds(5);
    private const int FallbackFps = 10;

    private readonly List<LiveFrame> measuring = [];
    private ConstantRateResampler? resampler;
    private LiveFrame? previous;
    private DateTimeOffset start;
    /// <summary>The first frame's camera time, when the camera's clock counts milliseconds: the clip's timeline then follows it.</summary>
    private long? firstCameraMs;
    private double bestRank = -1;
    private byte[]? best;
    private IReadOnlyList<NvrBlazor.Domain.Detection.PixelBox>? bestBoxes;

    public ClipReason Reason => reason;
    /// <summary>The rate the camera says it sends at (an ESP32's status "fps"), if any.</summary>
    public int? ClaimedFps => ClaimedFpsOf(camera);

    public static int? ClaimedFpsOf(CameraLive camera) =>
        int.TryParse(camera.StatusValue("fps"), System.Globalization.CultureInfo.InvariantCulture, out var fps) ? fps : null;
    public int Fps { get; private set; } = knownFps ?? 0;
    public Clip? Row { get; private set; }
    public ClipEncoder? Encoder { get; private set; }
    public (int Width, int Height)? Size { get; private set; }
    public DateTimeOffset Start => start;
    /// <summary>Frames held back while the rate is measured (the clip opens with them).</summary>
    public bool HasPending => measuring.Count > 0;
    public long FramesWritten => resampler?.Written ?? 0;
    public TimeSpan Duration => resampler?.Duration ?? TimeSpan.Zero;
    public string FullPath => Path.Combine(recordingsRoot, Row!.Path);
    public string PartPath => FullPath + ClipFiles.PartSuffix;
    public string ThumbnailFullPath => Path.Combine(recordingsRoot, ClipFiles.ThumbnailOf(Row!.Path));

    /// <summary>
    /// The rate of these frames (whole frames per second, 1-30), or null when they span less than <see cref="MeasureFor"/>.
    /// The camera's own claimed rate wins over a measurement that wobbles (<see cref="ClipFrameRate"/>).
    /// </summary>
    public static int? RateOf(IReadOnlyList<LiveFrame> frames, int? claimed = null)
    {
        if (frames.Count < 3)
            return null;
        var span = PreciseCameraClock(frames)
            ? TimeSpan.FromMilliseconds(frames[^1].CameraTimeMs!.Value - frames[0].CameraTimeMs!.Value)
            : frames[^1].CapturedAt - frames[0].CapturedAt;
        if (span < MeasureFor)
            return null;
        return ClipFrameRate.Of(frames.Count, span, claimed);
    }

    /// <summary>
    /// Whether these frames carry a millisecond camera clock (an agent, a browser): then the clip is timed by it,
    /// immune to network bursts. The ESP32's whole seconds (every stamp a multiple of 1000) only bound the time.
    /// </summary>
    public static bool PreciseCameraClock(IReadOnlyList<LiveFrame> frames) =>
        frames.All(f => f.CameraTimeMs is not null) && frames.Any(f => f.CameraTimeMs % 1000 != 0)
        && frames.Zip(frames.Skip(1)).All(p => p.Second.CameraTimeMs >= p.First.CameraTimeMs);

    /// <summary>
    /// Holds a frame back until the rate is known; true when the clip can open (then <see cref="OpenAsync"/> writes what was held).
    /// </summary>
    public bool Hold(LiveFrame frame)
    {
        measuring.Add(frame);
        if (Fps > 0)
            return true;
        if (RateOf(measuring, ClaimedFps) is { } fps)
            Fps = fps;
        else if (frame.CapturedAt - measuring[0].CapturedAt >= MeasureAtMost)
            Fps = Math.Max(1, (int)Math.Round((measuring.Count - 1) / MeasureAtMost.TotalSeconds));
        return Fps > 0;
    }

    /// <summary>Inserts the row, saves a first thumbnail, starts ffmpeg and writes the held frames. Throws FfmpegException (the row then exists, to be marked failed).</summary>
    public async Task OpenAsync(Ffmpeg ffmpeg, ClipStore store, CancellationToken cancellationToken)
    {
        if (Fps <= 0)
            Fps = RateOf(measuring, ClaimedFps) ?? FallbackFps; // the clip ends before the rate could be measured
        var first = measuring[0];
        start = first.CapturedAt;
        if (PreciseCameraClock(measuring))
        {
            // The first frames of a connection may arrive in one burst, before the camera's clock offset is known:
            // the held frames say when the first one was really taken.
            firstCameraMs = first.CameraTimeMs;
            start = DateTimeOffset.FromUnixTimeMilliseconds(first.CameraTimeMs!.Value)
                + measuring.Min(f => f.CapturedAt - DateTimeOffset.FromUnixTimeMilliseconds(f.CameraTimeMs!.Value));
        }
        resampler = new ConstantRateResampler(Fps);
        Size = JpegHeader.TryReadSize(first.Jpeg);
        Row = new Clip
        {
            CameraId = camera.Id,
            CameraName = camera.Name,
            Start = start,
            FrameRate = Fps,
            Path = ClipFiles.NewClipPath(recordingsRoot, camera.Id, camera.Name, start),
            Reason = reason,
            State = ClipState.Recording,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(FullPath)!);
        await store.AddAsync(Row, cancellationToken);
        // A first thumbnail now, so even a clip repaired after a crash has one; the best frame replaces it at the end.
        await File.WriteAllBytesAsync(ThumbnailFullPath, first.Jpeg, cancellationToken);
        Row.ThumbnailPath = ClipFiles.ThumbnailOf(Row.Path);
        Encoder = ffmpeg.StartClip(PartPath, Fps);
        var held = measuring.ToList();
        measuring.Clear();
        foreach (var frame in held)
            await AddAsync(frame, cancellationToken);
    }

    /// <summary>Writes the previous frame into every output slot that began before this one arrived.</summary>
    public async Task AddAsync(LiveFrame frame, CancellationToken cancellationToken)
    {
        var slots = resampler!.SlotsBefore(Elapsed(frame));
        if (previous is not null && slots > 0)
            await Encoder!.WriteAsync(previous.Jpeg, slots, cancellationToken);
        previous = frame;
    }

    /// <summary>Where a frame sits in the clip: by the camera's millisecond clock when it has one (and it did not jump), else by its capture time.</summary>
    private TimeSpan Elapsed(LiveFrame frame) =>
        firstCameraMs is { } first && frame.CameraTimeMs is { } ms && ms - first is >= 0 and < 24 * 3_600_000
            ? TimeSpan.FromMilliseconds(ms - first)
            : frame.CapturedAt - start;

    /// <summary>The last frame fills the clip up to <paramref name="at"/> (at least one frame: a clip is never empty).</summary>
    public async Task EndFramesAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (previous is null || Encoder is null)
            return;
        var oneFrame = TimeSpan.FromSeconds(1.0 / Fps);
        var slots = resampler!.SlotsBefore((at - start) < oneFrame ? oneFrame : at - start);
        if (slots > 0)
            await Encoder.WriteAsync(previous.Jpeg, slots, cancellationToken);
        previous = null;
    }

    /// <summary>What the object detector saw in this clip's frames (the row's Labels when it ends).</summary>
    public NvrBlazor.Domain.Detection.DetectionTally Objects { get; } = new(0);

    /// <summary>
    /// A thumbnail candidate with its <see cref="NvrBlazor.Domain.Motion.ThumbnailChoice"/> rank; the best so far is kept.
    /// <paramref name="boxes"/>: what the detector found in it, drawn on the thumbnail when it is saved.
    /// </summary>
    public void Consider(double rank, byte[] jpeg, IReadOnlyList<NvrBlazor.Domain.Detection.PixelBox>? boxes = null)
    {
        if (rank > bestRank)
        {
            bestRank = rank;
            best = jpeg;
            bestBoxes = boxes;
        }
    }

    /// <summary>Writes the best candidate; one with detections gets their boxes drawn (left plain if that fails: the picture matters more).</summary>
    public async Task SaveBestThumbnailAsync()
    {
        if (best is null)
            return;
        var picture = bestBoxes is { Count: > 0 } boxes ? NvrBlazor.Web.Detection.BoxedSnapshot.Draw(best, boxes, out _) ?? best : best;
        await File.WriteAllBytesAsync(ThumbnailFullPath, picture);
    }
}
