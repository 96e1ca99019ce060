using NvrBlazor.Domain.Agent;
using NvrBlazor.Domain.Pull;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Pull;

/// <summary>
/// Keeps one pull camera's pictures coming: runs its source, puts each picture into the camera's live state at most at
/// the camera's rate (the same path as a pushed frame: live view, motion, recording), marks it online while pictures
/// flow and offline when they stop, writes why on the camera (its card and message log), and tries again with backoff:
/// 1 s doubling to 30 s, 60 s after a 401 or 403, back to 1 s after a connection that held for 30 s. A camera that fails touches nothing but itself.
/// </summary>
public sealed partial class CameraPuller : IAsyncDisposable
{
    // The camera's row as last read (PullService refreshes it): a rename or a new "Motion from" reaches the next connection.
    private volatile Camera camera;
    private readonly PullSource source;
    private readonly PullLogin? login;
    private readonly CameraHub hub;
    private readonly CameraRegistry registry;
    private readonly Recording.Ffmpeg ffmpeg;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping;
    private Task running = Task.CompletedTask;

    public CameraPuller(Camera camera, PullLogin? login, CameraHub hub, CameraRegistry registry, Recording.Ffmpeg ffmpeg, TimeProvider clock, ILogger logger, CancellationToken serverStopping)
    {
        // The server's stop (SIGTERM) ends every pull at once, before the host gets round to stopping the service.
        stopping = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        this.camera = camera;
        source = camera.PullSource ?? throw new ArgumentException($"camera {camera.Id} is not a pull camera", nameof(camera));
        this.login = login;
        this.hub = hub;
        this.registry = registry;
        this.ffmpeg = ffmpeg;
        this.clock = clock;
        this.logger = logger;
    }

    /// <summary>How long pictures must have flowed for the next failure to count as a new one (retried after 1 s, logged).</summary>
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);

    /// <summary>The camera's row; set again when it changed in anything but its source or login (those mean a new puller).</summary>
    public Camera Camera
    {
        get => camera;
        set => camera = value;
    }

    public void Start() => running = Task.Run(() => RunAsync(stopping.Token));

    /// <summary>Host and port only: what the camera list shows as "from".</summary>
    private string Address => new Uri(source.Url).Authority;

    private IPullSource SourceFor(HttpClient? http) => source.Kind switch
    {
        PullKind.Mjpeg => new MjpegPull(http!, new Uri(source.Url)),
        PullKind.Snapshot => new SnapshotPull(http!, new Uri(source.Url), source.Interval, clock),
        _ => new RtspPull(source.UrlWith(login?.User, login?.Password), source, ffmpeg.Options),
    };

    private async Task RunAsync(CancellationToken stop)
    {
        var live = hub.For(camera);
        var delay = new ReconnectDelay();
        using var http = source.Kind == PullKind.Rtsp ? null : HttpPull.ClientFor(login);
        string? lastLogged = null;
        // The last connection broke after a few pictures: its reconnect is not news (only a recovery or a first start is logged).
        var flapping = false;
        LogStarting(logger, camera.Name, PullSource.Describe(source.Kind), source.Url, source.Fps);
        while (!stop.IsCancellationRequested)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
            string? closedBecause = null;
            // One delegate instance: the hub compares it to know whether this attempt is still the camera's connection.
            Action<string> close = reason =>
            {
                closedBecause = reason;
                attempt.Cancel();
            };
            var spacing = new FrameSpacing(source.Interval);
            CameraSourceLink? link = null;
            var pictures = 0L;
            DateTimeOffset? connectedAt = null;
            PullEnd ended;
            try
            {
                ended = await SourceFor(http).RunAsync(jpeg =>
                {
                    var now = clock.GetUtcNow();
                    if (pictures++ == 0)
                    {
                        link = hub.Connect(camera, Address, close, now, mayReplaceLive: true, out _);
                        live.Messages.SetSourceError(null, now);
                        connectedAt = now;
                        if (!flapping)
                            LogPulling(logger, camera.Name, source.Url);
                    }
                    if (spacing.TryTake(now))
                        link?.Publish(new LiveFrame(camera.Id, jpeg, now.ToUnixTimeMilliseconds(), now));
                }, attempt.Token);
            }
            catch (Exception) when (attempt.IsCancellationRequested)
            {
                ended = new(closedBecause ?? "stopped");
            }
            catch (Exception e)
            {
                // Whatever went wrong is this camera's problem alone: said on the camera, retried.
                ended = new(HttpPull.Describe(e));
            }
            if (link is not null)
            {
                link.Dispose();
                await registry.RememberLastSeenAsync(live);
            }
            // Back to a quick retry only after a connection that held: a source that breaks after every few pictures
            // is retried with growing waits, and logged once, like one that cannot be reached at all.
            var held = connectedAt is { } since && clock.GetUtcNow() - since >= StableAfter;
            flapping = connectedAt is not null && !held;
            if (held)
            {
                delay.Succeeded();
                lastLogged = null;
            }
            if (closedBecause is not null && !stop.IsCancellationRequested)
            {
                // The hub closed it: the camera was disabled or deleted, and PullService (woken by that change) stops this
                // puller within a moment. Not the camera's trouble; no quick reconnect to bring a deleted camera back. If
                // it was enabled again meanwhile, this puller simply goes on.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            if (ended.Interrupted)
            {
                // A stop of the server's process group reaches ffmpeg at the same moment as the server: give the server's
                // own stop a moment to arrive before calling it the camera's trouble.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            if (stop.IsCancellationRequested)
                break;
            var reason = SecretText.Redact(ended.Reason);
            var wait = ended.Refused ? delay.Refused() : delay.Failed();
            live.Messages.SetSourceError(reason, clock.GetUtcNow());
            // One line per new trouble, not one per retry: a camera that stays unplugged logs once.
            if (reason != lastLogged)
            {
                LogFailed(logger, camera.Name, source.Url, reason, wait.TotalSeconds);
                lastLogged = reason;
            }
            try
            {
                await Task.Delay(wait, clock, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await running;
        stopping.Dispose();
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "Camera '{Camera}': pulling its {Kind} from {Url} at up to {Fps} frames/s.")]
    private static partial void LogStarting(ILogger logger, string camera, string kind, string url, double fps);

    [LoggerMessage(EventId = 331, Level = LogLevel.Information, Message = "Camera '{Camera}': pictures are coming from {Url}.")]
    private static partial void LogPulling(ILogger logger, string camera, string url);

    [LoggerMessage(EventId = 332, Level = LogLevel.Warning, Message = "Camera '{Camera}': pulling {Url} failed: {Reason}. Trying again in {Seconds:0.#} s (Admin > Cameras shows the camera's last error).")]
    private static partial void LogFailed(ILogger logger, string camera, string url, string reason, double seconds);
}
