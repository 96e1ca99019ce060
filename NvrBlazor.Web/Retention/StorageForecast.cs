using Microsoft.EntityFrameworkCore;
using NvrBlazor.Domain.Retention;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Retention;

public sealed record DiskDto(long TotalBytes, long FreeBytes, long MinFreeBytes);

public sealed record LimitsDto(int DefaultDays, long? MaxTotalBytes, double MinFreePercent, string? Schedule, DateTimeOffset? NextRun);

/// <summary>
/// One camera's storage (CameraId null: the clips of deleted cameras). ProjectedDays: the history the limits allow at the last
/// week's rate. Held: why retention keeps it from recording now; StopsRecording: why the next run will (cameras set to stop at a limit).
/// </summary>
public sealed record CameraForecast(
    int? CameraId, string Name, int KeepDays, long? MaxBytes, LimitAction OnLimit, int Clips, long Bytes, DateTimeOffset? Oldest,
    double BytesPerDay, double ProjectedDays, RetentionRule LimitedBy, string? Held, string? StopsRecording);

public sealed record PlannedClipDto(long Id, int? CameraId, string CameraName, DateTimeOffset Start, long Bytes, RetentionRule Rule);

/// <summary>What the next retention run would delete: the count and size of all, the first of them (1000 unless asked) listed oldest first.</summary>
public sealed record NextRunDto(int Count, long Bytes, IReadOnlyList<PlannedClipDto> Clips);

public sealed record ForecastDto(DateTimeOffset At, DiskDto? Disk, LimitsDto Limits, IReadOnlyList<CameraForecast> Cameras, NextRunDto NextRun, IReadOnlyList<string> Warnings);

/// <summary>Admin > Storage and GET /api/retention/forecast: usage per camera, projected history, and a dry run of the retention plan.</summary>
public sealed class StorageForecast(RetentionPlanning planning, RetentionOptions options, HousekeepingJobs jobs, RecordingHolds holds, IDbContextFactory<NvrDbContext> contexts)
{
    public const int MaxListed = 1000;
    public const int MaxLimit = 1_000_000;

    public async Task<ForecastDto> BuildAsync(CancellationToken cancellationToken, int listed = MaxListed)
    {
        var snapshot = await planning.PlanAsync(cancellationToken);
        var now = snapshot.Now;
        var weekAgo = now - RetentionForecast.Window;
        var known = snapshot.Cameras.ToDictionary(c => c.Id);
        var byCamera = snapshot.Clips.GroupBy(c => c.CameraId is { } id && known.ContainsKey(id) ? id : (int?)null)
            .ToDictionary(g => g.Key ?? 0, g => (Clips: g.Count(), Bytes: g.Sum(c => c.Bytes), Oldest: g.Min(c => c.Start), Week: g.Where(c => c.Start >= weekAgo).Sum(c => c.Bytes)));
        double Rate(int key) => byCamera.TryGetValue(key, out var u) ? RetentionForecast.BytesPerDay(u.Week, u.Oldest, now) : 0;
        var shared = RetentionForecast.Shared(snapshot.Limits, snapshot.Disk, snapshot.Clips.Sum(c => c.Bytes), byCamera.Keys.Sum(Rate));
        var stops = snapshot.Plan.Stops.ToDictionary(s => s.CameraId, s => s.Why);

        var cameras = snapshot.Cameras.Select(c =>
        {
            byCamera.TryGetValue(c.Id, out var usage);
            var projection = RetentionForecast.ForCamera(c.Policy, Rate(c.Id), shared);
            return new CameraForecast(c.Id, c.Name, c.Policy.KeepDays, c.Policy.MaxBytes, c.Policy.OnLimit, usage.Clips, usage.Bytes,
                usage.Clips > 0 ? usage.Oldest : null, Rate(c.Id), projection.Days, projection.Limit, holds.Why(c.Id), stops.GetValueOrDefault(c.Id));
        }).ToList();
        if (byCamera.TryGetValue(0, out var orphans))
        {
            var projection = RetentionForecast.ForCamera(options.DefaultPolicy, Rate(0), shared);
            cameras.Add(new CameraForecast(null, "Deleted cameras", options.DefaultDays, null, LimitAction.DeleteOldest, orphans.Clips, orphans.Bytes,
                orphans.Oldest, Rate(0), projection.Days, projection.Limit, null, null));
        }

        var first = snapshot.Plan.Deletions.Take(listed).ToList();
        var ids = first.Select(d => d.Clip.Id).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var names = await db.Clips.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CameraName, cancellationToken);
        var clips = first.Select(d => new PlannedClipDto(d.Clip.Id, d.Clip.CameraId, names.GetValueOrDefault(d.Clip.Id, "?"), d.Clip.Start, d.Clip.Bytes, d.Rule)).ToList();

        var disk = snapshot.Disk is { } space ? new DiskDto(space.TotalBytes, space.FreeBytes, snapshot.Limits.MinFreeBytes(space)) : null;
        var limits = new LimitsDto(options.DefaultDays, snapshot.Limits.MaxTotalBytes, options.MinFreePercent, options.RetentionSchedule?.Expression,
            jobs.NextRuns().GetValueOrDefault(RetentionJob.JobName));
        return new ForecastDto(now, disk, limits, cameras, new NextRunDto(snapshot.Plan.Deletions.Count, snapshot.Plan.Bytes, clips), snapshot.Plan.Warnings);
    }
}
