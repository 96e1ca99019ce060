using NvrBlazor.Domain.Motion;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Motion;

/// <summary>
/// Server-side motion detection for one camera: takes only the newest frame (a queue of one that drops
/// older frames), at most Nvr:Motion:MaxAnalysisFps a second, decodes it small and gray, runs the
/// Domain detector and reports to the camera's live state. It does nothing while the camera's own
/// motion reports count (MotionSource Camera, or Auto once the camera has reported).
/// </summary>
public sealed partial class MotionAnalyzer : IAsyncDisposable
{
    /// <summary>Analysed pictures are at least this wide (an 80x60 picture from VGA at 1/8).</summary>
    public const int MinAnalysisWidth = 80;
    private readonly CameraLive camera;
    private readonly TimeSpan interval;
    private readonly ILogger logger;
    private readonly FrameSubscription frames;
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;
    private volatile MotionSettings settings;
    private DateTimeOffset lastProblemLogged;

    public MotionAnalyzer(CameraLive camera, MotionSettings settings, double maxAnalysisFps, ILogger logger)
    {
        this.camera = camera;
        this.settings = settings;
        this.logger = logger;
        interval = TimeSpan.FromSeconds(1 / Math.Clamp(maxAnalysisFps, 0.1, 30));
        frames = camera.Subscribe(capacity: 1);
        running = Task.Run(() => RunAsync(stop.Token));
    }

    public long Analysed { get; private set; }
    public long Unreadable { get; private set; }

    public void Update(MotionSettings next)
    {
        if (next != settings)
            settings = next;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var decoder = new GrayscaleDecoder();
        var current = settings;
        var detector = new MotionDetector(current);
        try
        {
            while (await frames.Frames.WaitToReadAsync(cancellationToken))
            {
                LiveFrame? newest = null;
                while (frames.Frames.TryRead(out var frame))
                    newest = frame;
                if (newest is null || camera.MotionOrigin != MotionOrigin.Server)
                    continue;
                if (current != settings)
                {
                    current = settings;
                    detector = new MotionDetector(current);
                }
                var started = DateTimeOffset.UtcNow;
                Analyse(decoder, detector, newest);
                var rest = interval - (DateTimeOffset.UtcNow - started);
                if (rest > TimeSpan.Zero)
                    await Task.Delay(rest, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Analyse(GrayscaleDecoder decoder, MotionDetector detector, LiveFrame frame)
    {
        var picture = decoder.Decode(frame.Jpeg, MinAnalysisWidth, out var problem);
        if (picture is not { } gray)
        {
            Unreadable++;
            if (frame.ReceivedAt - lastProblemLogged > TimeSpan.FromMinutes(1))
            {
                lastProblemLogged = frame.ReceivedAt;
                LogUnreadable(logger, camera.Name, problem ?? "?", Unreadable);
            }
            return;
        }
        var result = detector.Analyse(gray.Gray.Span, gray.Width, gray.Height);
        Analysed++;
        camera.SetServerMotion(result.Motion, new MotionScore(result.Score, frame));
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        frames.Dispose();
        await running;
        stop.Dispose();
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning,
        Message = "Camera '{Camera}': a frame could not be decoded for motion detection ({Problem}); {Count} so far. The frame is still recorded; motion detection skips it.")]
    private static partial void LogUnreadable(ILogger logger, string camera, string problem, long count);
}
