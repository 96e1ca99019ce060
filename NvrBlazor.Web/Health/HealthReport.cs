using NvrBlazor.Web.Data;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Motion;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Health;

public sealed record DatabaseHealth(bool Reachable, string? Error);
public sealed record FfmpegHealth(bool Found, string Path, string? Version, string? Error);
public sealed record RecordingsHealth(string Path, long? FreeBytes, long? TotalBytes, string? Error);

/// <summary>Recording: the disk alert (recording stopped for lack of space), server motion detection (off without libturbojpeg), cameras recording now.</summary>
public sealed record RecordingHealth(string? DiskAlert, bool ServerMotion, string? ServerMotionProblem, int CamerasRecording);

/// <summary>
/// The body of GET /healthz. Status: "healthy"; "degraded" (app works, something is missing or stopped:
/// ffmpeg, libturbojpeg, disk space for recording); "unhealthy" (database unreachable, 503).
/// </summary>
public sealed record HealthReport(string Status, DateTimeOffset CheckedAt, DatabaseHealth Database, FfmpegHealth Ffmpeg, RecordingsHealth Recordings, RecordingHealth Recording)
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";
}

public sealed class HealthReporter(
    IServiceScopeFactory scopes, FfmpegProbe ffmpeg, StorageFolders folders, TimeProvider clock, DiskSpaceGuard disk, ServerMotionSupport motion, CameraHub hub)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var database = await CheckDatabaseAsync(cancellationToken);
        var probe = await ffmpeg.GetAsync(cancellationToken);
        var recordings = CheckRecordings();
        var recording = new RecordingHealth(disk.Alert, motion.Available, motion.Problem, hub.All.Count(c => c.Recording));
        var status = !database.Reachable ? HealthReport.Unhealthy
            : !probe.Found || recordings.Error is not null || recording.DiskAlert is not null || !recording.ServerMotion ? HealthReport.Degraded
            : HealthReport.Healthy;
        return new HealthReport(status, clock.GetUtcNow(), database,
            new FfmpegHealth(probe.Found, probe.Path, probe.Version, probe.Error), recordings, recording);
    }

    private async Task<DatabaseHealth> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
            return await db.Database.CanConnectAsync(cancellationToken)
                ? new DatabaseHealth(true, null)
                : new DatabaseHealth(false, $"cannot open {folders.DatabasePath}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new DatabaseHealth(false, e.Message);
        }
    }

    private RecordingsHealth CheckRecordings()
    {
        try
        {
            var drive = new DriveInfo(folders.RecordingsPath);
            return new RecordingsHealth(folders.RecordingsPath, drive.AvailableFreeSpace, drive.TotalSize, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new RecordingsHealth(folders.RecordingsPath, null, null, e.Message);
        }
    }
}

public static class HealthEndpoints
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<FfmpegProbe>();
        services.AddSingleton<HealthReporter>();
        return services;
    }

    public static IEndpointConventionBuilder MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", async (HealthReporter reporter, CancellationToken cancellationToken) =>
        {
            var report = await reporter.CheckAsync(cancellationToken);
            return TypedResults.Json(report, statusCode: report.Status == HealthReport.Unhealthy ? 503 : 200);
        }).AllowAnonymous().WithName("Health");
}
