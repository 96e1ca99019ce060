using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Motion;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// Runs a <see cref="CameraRecorder"/> for every active camera that is online, with the settings from its
/// row (re-read every few seconds and at once after an admin saves them), repairs what the last run
/// left unfinished before recording anything, and checks the free disk space.
/// </summary>
public sealed partial class RecordingService(
    CameraHub hub, IDbContextFactory<NvrDbContext> contexts, ClipRecovery recovery, DiskSpaceGuard disk,
    RecorderParts parts, ILogger<RecordingService> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettingsEvery = TimeSpan.FromSeconds(5);
    private readonly Dictionary<int, CameraRecorder> recorders = [];
    /// <summary>Recorders finishing their last clip: each on its own, so a slow one never delays another camera.</summary>
    private readonly HashSet<Task> stopping = [];
    private readonly Lock gate = new();
    private Dictionary<int, CameraRecordingSettings> settings = [];
    private DateTimeOffset settingsReadAt = DateTimeOffset.MinValue;
    private volatile bool settingsChanged;
    private readonly TaskCompletionSource repaired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool ServerMotionAvailable => parts.ServerMotionAvailable;

    /// <summary>Called after an admin changed a camera's settings: they apply within a second.</summary>
    public void SettingsChanged() => settingsChanged = true;

    /// <summary>Manual Record / Stop; false when the camera has no recorder (not active, or offline).</summary>
    public bool SetManual(int cameraId, bool record)
    {
        lock (gate)
        {
            if (!recorders.TryGetValue(cameraId, out var recorder))
                return false;
            recorder.SetManual(record);
            return true;
        }
    }

    public bool IsManual(int cameraId)
    {
        lock (gate)
            return recorders.TryGetValue(cameraId, out var recorder) && recorder.ManualRecording;
    }

    /// <summary>Done when the startup repair of unfinished clips has run (housekeeping waits for it, so the two never handle the same file).</summary>
    public Task Repaired => repaired.Task;

    /// <summary>Each running recorder's queued bytes, by camera id (for /metrics).</summary>
    public IReadOnlyDictionary<int, long> QueueBytes()
    {
        lock (gate)
            return recorders.ToDictionary(r => r.Key, r => r.Value.QueueBytes);
    }

    /// <summary>The relative paths of the clips being written at this moment.</summary>
    public IReadOnlySet<string> OpenClipPaths()
    {
        lock (gate)
            return recorders.Values.Select(r => r.OpenClipPath).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await recovery.RepairAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRepairFailed(logger, e);
        }
        finally
        {
            repaired.TrySetResult();
        }
        using var timer = new PeriodicTimer(Every);
        try
        {
            do
            {
                try
                {
                    await SyncAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSyncFailed(logger, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            // The server is stopping: every recorder writes what is queued, ends its clip at the last frame and
            // records it, before the services it needs (database, logging) are disposed.
            List<CameraRecorder> all;
            lock (gate)
            {
                all = recorders.Values.ToList();
                recorders.Clear();
            }
            foreach (var recorder in all)
                Stop(recorder, "the server is stopping");
            Task[] waiting;
            lock (gate)
                waiting = [.. stopping];
            await Task.WhenAll(waiting);
            await parts.Ffmpeg.Running.StopAllAsync(TimeSpan.FromSeconds(5));
        }
    }

    private void Stop(CameraRecorder recorder, string why)
    {
        var task = recorder.StopAsync(why);
        lock (gate)
            stopping.Add(task);
        _ = task.ContinueWith(done =>
        {
            lock (gate)
                stopping.Remove(done);
        }, TaskScheduler.Default);
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        disk.Check();
        var now = parts.Clock.GetUtcNow();
        // A camera that just came online as active (new, or approved a moment ago) is read at once, not at the next 5 s read.
        var unknown = hub.All.Any(c => c.Online && c.State == CameraState.Active && !settings.ContainsKey(c.Id));
        if (settingsChanged || unknown || now - settingsReadAt >= SettingsEvery)
        {
            settingsChanged = false;
            settingsReadAt = now;
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            settings = (await db.Cameras.AsNoTracking().Where(c => c.State == CameraState.Active).ToListAsync(cancellationToken))
                .ToDictionary(c => c.Id, CameraRecordingSettings.Of);
        }

        var ending = new List<(CameraRecorder Recorder, string Why)>();
        lock (gate)
        {
            foreach (var camera in hub.All)
            {
                var wanted = camera.Online && camera.State == CameraState.Active && settings.ContainsKey(camera.Id);
                recorders.TryGetValue(camera.Id, out var recorder);
                if (recorder is not null && (!wanted || !recorder.Running))
                {
                    recorders.Remove(camera.Id);
                    ending.Add((recorder, !camera.Online ? "the camera went offline" : "the camera is no longer active"));
                    recorder = null;
                }
                if (wanted && recorder is null)
                    recorders[camera.Id] = new CameraRecorder(camera, settings[camera.Id], parts);
                else if (wanted)
                    recorder!.Update(settings[camera.Id]);
            }
            foreach (var id in recorders.Keys.Where(id => hub.Find(id) is null).ToList())
            {
                ending.Add((recorders[id], "the camera was deleted"));
                recorders.Remove(id);
            }
        }
        foreach (var (recorder, why) in ending)
            Stop(recorder, why);
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Critical, Message = "The startup repair of unfinished clips failed; unfinished clips stay as they are until the next start.")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 431, Level = LogLevel.Error, Message = "Recording could not read the cameras' settings: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, string error);
}

public static class RecordingServiceCollectionExtensions
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddRecording(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RecordingOptions.FromConfiguration(configuration);
        if (Ffmpeg.Problem(FfmpegProbe.PathFrom(configuration)) is { } problem)
            throw new StartupException(problem);
        services.AddSingleton(options);
        services.AddSingleton(provider => new Ffmpeg(provider.GetRequiredService<FfmpegProbe>().ConfiguredPath));
        services.AddSingleton<ClipStore>();
        services.AddSingleton<ClipRecovery>();
        services.AddSingleton<DiskSpaceGuard>();
        services.AddSingleton<RecordingHolds>();
        services.AddSingleton(provider => new ServerMotionSupport(options.JpegLibrary, provider.GetRequiredService<ILogger<ServerMotionSupport>>()));
        services.AddSingleton(provider => new RecorderParts(
            provider.GetRequiredService<Ffmpeg>(), provider.GetRequiredService<ClipStore>(), provider.GetRequiredService<ClipRecovery>(),
            provider.GetRequiredService<DiskSpaceGuard>(), provider.GetRequiredService<RecordingHolds>(), provider.GetRequiredService<StorageFolders>(), options,
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<CameraRecorder>>(),
            provider.GetRequiredService<ServerMotionSupport>().Available, provider.GetRequiredService<ServerCounters>(),
            provider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping, provider.GetService<Events.NvrEvents>()));
        services.AddSingleton<RecordingService>();
        services.AddHostedService(provider => provider.GetRequiredService<RecordingService>());
        // A stop (SIGTERM) gives the recorders time to write what is queued (2 s at most), let ffmpeg finish
        // each clip (killed after 10 s) and store the rows, and no more: open pages show their reconnect dialog
        // only once the host is down. Services stop side by side, so Hangfire's own stop does not add to it.
        services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = ShutdownTimeout;
            host.ServicesStopConcurrently = true;
        });
        return services;
    }
}
