using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// One clip being written: its row (inserted when the first frame comes, state Recording), its ffmpeg,
/// and the resampling of arriving frames to the clip's constant rate. Also keeps the best thumbnail
/// candidate (the analysed frame with the most motion).
/// </summary>
internal sealed class ClipWriter(ClipReason reason, int fps, CameraLive camera, string recordingsRoot)
{
    private ConstantRateResampler? resampler;
    private LiveFrame? previous;
    private DateTimeOffset start;
    private double bestScore = -1;
    private byte[]? best;

    public ClipReason Reason => reason;
    public int Fps => fps;
    public Clip? Row { get; private set; }
    public ClipProcess? Process { get; private set; }
    public (int Width, int Height)? Size { get; private set; }
    public DateTimeOffset Start => start;
    public long FramesWritten => resampler?.Written ?? 0;
    public TimeSpan Duration => resampler?.Duration ?? TimeSpan.Zero;
    public string FullPath => Path.Combine(recordingsRoot, Row!.Path);
    public string PartPath => FullPath + ClipFiles.PartSuffix;
    public string ThumbnailFullPath => Path.Combine(recordingsRoot, ClipFiles.ThumbnailOf(Row!.Path));

    /// <summary>Inserts the row, saves a first thumbnail and starts ffmpeg. Throws FfmpegException (the row then exists, to be marked failed).</summary>
    public async Task OpenAsync(LiveFrame first, Ffmpeg ffmpeg, ClipStore store, CancellationToken cancellationToken)
    {
        start = first.ReceivedAt;
        resampler = new ConstantRateResampler(fps);
        Size = JpegHeader.TryReadSize(first.Jpeg);
        Row = new Clip
        {
            CameraId = camera.Id,
            CameraName = camera.Name,
            Start = start,
            FrameRate = fps,
            Path = ClipFiles.NewClipPath(recordingsRoot, camera.Id, camera.Name, start),
            Reason = reason,
            State = ClipState.Recording,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(FullPath)!);
        await store.AddAsync(Row, cancellationToken);
        // A first thumbnail now, so even a clip repaired after a crash has one; the best frame replaces it at the end.
        await File.WriteAllBytesAsync(ThumbnailFullPath, first.Jpeg, cancellationToken);
        Row.ThumbnailPath = ClipFiles.ThumbnailOf(Row.Path);
        Process = ffmpeg.StartClip(PartPath, fps);
    }

    /// <summary>Writes the previous frame into every output slot that began before this one arrived.</summary>
    public async Task AddAsync(LiveFrame frame, CancellationToken cancellationToken)
    {
        var slots = resampler!.SlotsBefore(frame.ReceivedAt - start);
        if (previous is not null && slots > 0)
            await Process!.WriteAsync(previous.Jpeg, slots, cancellationToken);
        previous = frame;
    }

    /// <summary>The last frame fills the clip up to <paramref name="at"/> (at least one frame: a clip is never empty).</summary>
    public async Task EndFramesAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (previous is null || Process is null)
            return;
        var oneFrame = TimeSpan.FromSeconds(1.0 / fps);
        var slots = resampler!.SlotsBefore((at - start) < oneFrame ? oneFrame : at - start);
        if (slots > 0)
            await Process.WriteAsync(previous.Jpeg, slots, cancellationToken);
        previous = null;
    }

    public void Consider(double score, byte[] jpeg)
    {
        if (score > bestScore)
        {
            bestScore = score;
            best = jpeg;
        }
    }

    public async Task SaveBestThumbnailAsync()
    {
        if (best is not null)
            await File.WriteAllBytesAsync(ThumbnailFullPath, best);
    }
}
