using NvrBlazor.Web.Data;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Detection;
using NvrBlazor.Web.Motion;
using NvrBlazor.Web.Recording;
using NvrBlazor.Web.Retention;
using NvrBlazor.Domain.Retention;

namespace NvrBlazor.Web.Health;

public sealed record DatabaseHealth(bool Reachable, string? Error);
public sealed record FfmpegHealth(bool Found, string Path, string? Version, string? Error);
public sealed record RecordingsHealth(string Path, long? FreeBytes, long? TotalBytes, string? Error);

/// <summary>Recording: the disk alert (recording stopped for lack of space), server motion detection (off without libturbojpeg), cameras recording now.</summary>
public sealed record RecordingHealth(string? DiskAlert, bool ServerMotion, string? ServerMotionProblem, int CamerasRecording);

/// <summary>
/// Object detection (docs/detection.md): on, or off and why (no model installed, libturbojpeg missing); frames
/// analysed and skipped (a newer frame of the camera replaced one still waiting) since the start, over all cameras;
/// the frames waiting now and the most that ever waited (never more than the cameras).
/// Off does not make the server degraded: cameras record on motion as before.
/// </summary>
public sealed record DetectionHealth(bool On, string? Problem, string ModelsPath, long Analysed, long Skipped, int Waiting, int MostWaiting);

/// <summary>One housekeeping job: its schedule in words, its latest finished run's outcome and time, its last success, its next scheduled run.</summary>
public sealed record HousekeepingJobHealth(string Name, string Schedule, string? LastOutcome, DateTimeOffset? LastRun, DateTimeOffset? LastSuccess, DateTimeOffset? NextRun);

/// <summary>The housekeeping jobs, and why they make the server degraded (empty when they do not).</summary>
public sealed record HousekeepingHealthSection(IReadOnlyList<HousekeepingJobHealth> Jobs, IReadOnlyList<string> Problems);

/// <summary>
/// The body of GET /healthz. Status: "healthy"; "degraded" (app works, something is missing or stopped:
/// ffmpeg, libturbojpeg, disk space for recording, a housekeeping job failing or late), with the reasons;
/// "unhealthy" (database unreachable, 503).
/// </summary>
public sealed record HealthReport(string Status, IReadOnlyList<string> Reasons, DateTimeOffset CheckedAt, DatabaseHealth Database, FfmpegHealth Ffmpeg,
    RecordingsHealth Recordings, RecordingHealth Recording, HousekeepingHealthSection Housekeeping, DetectionHealth Detection)
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";
}

public sealed class HealthReporter(
    IServiceScopeFactory scopes, FfmpegProbe ffmpeg, StorageFolders folders, TimeProvider clock, DiskSpaceGuard disk, ServerMotionSupport motion, CameraHub hub,
    HousekeepingJobs jobs, JobHistory history, ObjectDetection detection)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var database = await CheckDatabaseAsync(cancellationToken);
        var probe = await ffmpeg.GetAsync(cancellationToken);
        var recordings = CheckRecordings();
        var recording = new RecordingHealth(disk.Alert, motion.Available, motion.Problem, hub.All.Count(c => c.Recording));
        var housekeeping = database.Reachable ? await CheckHousekeepingAsync(cancellationToken) : new HousekeepingHealthSection([], []);
        var reasons = new List<string>();
        if (!database.Reachable)
            reasons.Add($"database: {database.Error}");
        if (!probe.Found)
            reasons.Add($"ffmpeg not found: {probe.Error}");
        if (recordings.Error is not null)
            reasons.Add($"recordings folder: {recordings.Error}");
        if (recording.DiskAlert is not null)
            reasons.Add(recording.DiskAlert);
        if (!recording.ServerMotion)
            reasons.Add(recording.ServerMotionProblem ?? "server motion detection is off");
        reasons.AddRange(housekeeping.Problems);
        var status = !database.Reachable ? HealthReport.Unhealthy : reasons.Count > 0 ? HealthReport.Degraded : HealthReport.Healthy;
        return new HealthReport(status, reasons, clock.GetUtcNow(), database,
            new FfmpegHealth(probe.Found, probe.Path, probe.Version, probe.Error), recordings, recording, housekeeping,
            new DetectionHealth(detection.Available, detection.Problem, detection.Options.ModelsPath,
                hub.All.Sum(c => Interlocked.Read(ref c.Detections.Analysed)), hub.All.Sum(c => Interlocked.Read(ref c.Detections.Skipped)),
                detection.Queue.Count, detection.Queue.Peak));
    }

    private async Task<HousekeepingHealthSection> CheckHousekeepingAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var next = jobs.NextRuns();
        var sections = new List<HousekeepingJobHealth>();
        var facts = new List<JobHealthFacts>();
        foreach (var job in jobs.Jobs)
        {
            var last = (await history.RecentAsync(job.Name, 5, cancellationToken)).FirstOrDefault(r => r.Outcome != JobOutcome.Running);
            var success = await history.LastSucceededAsync(job.Name, cancellationToken);
            var completed = await history.LastCompletedAsync(job.Name, cancellationToken);
            sections.Add(new HousekeepingJobHealth(job.Name, job.Schedule?.Describe() ?? "off", last?.Outcome.ToString().ToLowerInvariant(), last?.Started,
                success?.Ended, job.Schedule is null ? null : next.GetValueOrDefault(job.Name)));
            facts.Add(new JobHealthFacts(job.Name, job.Schedule?.LongestGap(now, TimeZoneInfo.Local), last?.Outcome == JobOutcome.Failed, last?.Ended, completed?.Ended));
        }
        return new HousekeepingHealthSection(sections, HousekeepingHealth.Problems(facts, jobs.StartedAt, now));
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
