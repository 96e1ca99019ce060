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
            List<CameraRecorder> all;
            lock (gate)
            {
                all = recorders.Values.ToList();
                recorders.Clear();
            }
            await Task.WhenAll(all.Select(r => r.StopAsync("the server is stopping")));
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        disk.Check();
        var now = parts.Clock.GetUtcNow();
        if (settingsChanged || now - settingsReadAt >= SettingsEvery)
        {
            settingsChanged = false;
            settingsReadAt = now;
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            settings = (await db.Cameras.AsNoTracking().Where(c => c.State == CameraState.Active).ToListAsync(cancellationToken))
                .ToDictionary(c => c.Id, CameraRecordingSettings.Of);
        }

        var stopping = new List<(CameraRecorder Recorder, string Why)>();
        lock (gate)
        {
            foreach (var camera in hub.All)
            {
                var wanted = camera.Online && camera.State == CameraState.Active && settings.ContainsKey(camera.Id);
                recorders.TryGetValue(camera.Id, out var recorder);
                if (recorder is not null && (!wanted || !recorder.Running))
                {
                    recorders.Remove(camera.Id);
                    stopping.Add((recorder, !camera.Online ? "the camera went offline" : "the camera is no longer active"));
                    recorder = null;
                }
                if (wanted && recorder is null)
                    recorders[camera.Id] = new CameraRecorder(camera, settings[camera.Id], parts);
                else if (wanted)
                    recorder!.Update(settings[camera.Id]);
            }
            foreach (var id in recorders.Keys.Where(id => hub.Find(id) is null).ToList())
            {
                stopping.Add((recorders[id], "the camera was deleted"));
                recorders.Remove(id);
            }
        }
        await Task.WhenAll(stopping.Select(s => s.Recorder.StopAsync(s.Why)));
    }

    [LoggerMessage(EventId = 430, Level = LogLevel.Critical, Message = "The startup repair of unfinished clips failed; unfinished clips stay as they are until the next start.")]
    private static partial void LogRepairFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 431, Level = LogLevel.Error, Message = "Recording could not read the cameras' settings: {Error}")]
    private static partial void LogSyncFailed(ILogger logger, string error);
}

public static class RecordingServiceCollectionExtensions
{
    public static IServiceCollection AddRecording(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RecordingOptions.FromConfiguration(configuration);
        services.AddSingleton(options);
        services.AddSingleton(provider => new Ffmpeg(provider.GetRequiredService<Health.FfmpegProbe>().ConfiguredPath));
        services.AddSingleton<ClipStore>();
        services.AddSingleton<ClipRecovery>();
        services.AddSingleton<DiskSpaceGuard>();
        services.AddSingleton<RecordingHolds>();
        services.AddSingleton<ServerMotionSupport>();
        services.AddSingleton(provider => new RecorderParts(
            provider.GetRequiredService<Ffmpeg>(), provider.GetRequiredService<ClipStore>(), provider.GetRequiredService<ClipRecovery>(),
            provider.GetRequiredService<DiskSpaceGuard>(), provider.GetRequiredService<RecordingHolds>(), provider.GetRequiredService<StorageFolders>(), options,
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<CameraRecorder>>(),
            provider.GetRequiredService<ServerMotionSupport>().Available, provider.GetRequiredService<Metrics.ServerCounters>()));
        services.AddSingleton<RecordingService>();
        services.AddHostedService(provider => provider.GetRequiredService<RecordingService>());
        return services;
    }
}
