using NvrBlazor.Web.Data;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Health;

public sealed record DatabaseHealth(bool Reachable, string? Error);
public sealed record FfmpegHealth(bool Found, string Path, string? Version, string? Error);
public sealed record RecordingsHealth(string Path, long? FreeBytes, long? TotalBytes, string? Error);

/// <summary>The body of GET /healthz. Status: "healthy"; "degraded" (app works, something is missing: ffmpeg); "unhealthy" (database unreachable, 503).</summary>
public sealed record HealthReport(string Status, DateTimeOffset CheckedAt, DatabaseHealth Database, FfmpegHealth Ffmpeg, RecordingsHealth Recordings)
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";
}

public sealed class HealthReporter(IServiceScopeFactory scopes, FfmpegProbe ffmpeg, StorageFolders folders, TimeProvider clock)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var database = await CheckDatabaseAsync(cancellationToken);
        var probe = await ffmpeg.GetAsync(cancellationToken);
        var recordings = CheckRecordings();
        var status = !database.Reachable ? HealthReport.Unhealthy
            : !probe.Found || recordings.Error is not null ? HealthReport.Degraded
            : HealthReport.Healthy;
        return new HealthReport(status, clock.GetUtcNow(), database,
            new FfmpegHealth(probe.Found, probe.Path, probe.Version, probe.Error), recordings);
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
