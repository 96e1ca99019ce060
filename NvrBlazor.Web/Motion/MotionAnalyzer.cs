using NvrBlazor.Domain.Motion;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Motion;

/// <summary>
/// Server-side motion detection for one camera: Nvr:Motion:MaxAnalysisFps times a second it takes the
/// camera's newest frame (if a new one came), and when the <see cref="AnalysisPacer"/> says it is worth it
/// (always while something moves; in a still scene when the frame's size jumps, or every 2 s) decodes it
/// small and gray, runs the Domain detector and reports to the camera's live state. It wakes on its own timer,
/// never per frame, so a camera sending 25 fps costs the same as one sending 5; and it decodes nothing while the
/// camera's own motion reports count (MotionSource Camera, or Auto once the camera has reported).
/// </summary>
public sealed partial class MotionAnalyzer : IAsyncDisposable
{
    /// <summary>Analysed pictures are at least this wide (an 80x60 picture from VGA at 1/8).</summary>
    public const int MinAnalysisWidth = 80;
    private static readonly TimeSpan IdleLook = TimeSpan.FromSeconds(1);
    private readonly CameraLive camera;
    private readonly TimeSpan interval;
    private readonly ILogger logger;
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
        using var timer = new PeriodicTimer(interval);
        var current = settings;
        var zones = camera.Zones;
        var detector = new MotionDetector(current, zones);
        var pacer = new AnalysisPacer();
        LiveFrame? looked = null;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // While the camera's own reports count, look once a second whether that is still so.
                var serverCounts = camera.MotionOrigin == MotionOrigin.Server;
                timer.Period = serverCounts ? interval : IdleLook;
                var newest = camera.LastFrame;
                if (newest is null || ReferenceEquals(newest, looked) || !serverCounts)
                    continue;
                looked = newest;
                if (current != settings || !ReferenceEquals(zones, camera.Zones))
                {
                    (current, zones) = (settings, camera.Zones);
                    detector = new MotionDetector(current, zones);
                    pacer = new AnalysisPacer();
                }
                if (!pacer.ShouldAnalyse(newest.Jpeg.Length, newest.ReceivedAt))
                    continue;
                if (Analyse(decoder, detector, newest) is { } result)
                    pacer.Analysed(newest.Jpeg.Length, newest.ReceivedAt, result, current);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private MotionResult? Analyse(GrayscaleDecoder decoder, MotionDetector detector, LiveFrame frame)
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
            return null;
        }
        var result = detector.Analyse(gray.Pixels.Span, gray.Width, gray.Height);
        Analysed++;
        camera.MotionState.Analysed(result.Motion, new MotionScore(result.Score, frame, result.Box));
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning,
        Message = "Camera '{Camera}': a frame could not be decoded for motion detection ({Problem}); {Count} so far. The frame is still recorded; motion detection skips it.")]
    private static partial void LogUnreadable(ILogger logger, string camera, string problem, long count);
}
