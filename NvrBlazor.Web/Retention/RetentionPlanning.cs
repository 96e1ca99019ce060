using Microsoft.EntityFrameworkCore;
using NvrBlazor.Domain.Retention;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Retention;

/// <summary>A camera as retention sees it (deleted cameras have none: their clips follow the default policy).</summary>
public sealed record CameraPolicy(int Id, string Name, CameraState State, RetentionPolicy Policy, bool OwnDays);

/// <summary>Everything one plan was made from, and the plan: the retention job deletes it, the forecast shows it.</summary>
public sealed record RetentionSnapshot(
    IReadOnlyList<RetentionClip> Clips, IReadOnlyList<CameraPolicy> Cameras, GlobalLimits Limits, DiskSpace? Disk, DateTimeOffset Now, RetentionPlan Plan);

/// <summary>Reads the clips, the cameras' policies and the disk, and asks the Domain planner what to delete.</summary>
public sealed class RetentionPlanning(
    IDbContextFactory<NvrDbContext> contexts, StorageFolders folders, RetentionOptions options, RecordingOptions recording, TimeProvider clock)
{
    private const long GiB = 1024L * 1024 * 1024;
    /// <summary>Retention keeps this much more free than the recorder's own minimum (Nvr:Recording:MinFreeMb), so recording never stops for space that retention could free.</summary>
    private const long RecorderMargin = 128L * 1024 * 1024;

    /// <summary>Nvr:Retention:DefaultDays: what cameras without their own keep days, and deleted cameras' clips, keep.</summary>
    public int DefaultDays => options.DefaultDays;

    public GlobalLimits Limits => options.Limits with { MinFreeFloorBytes = recording.MinFreeBytes + RecorderMargin };

    public async Task<RetentionSnapshot> PlanAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var cameras = (await db.Cameras.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken))
            .Select(c => new CameraPolicy(c.Id, c.Name, c.State, PolicyOf(c), c.RetentionDays is not null)).ToList();
        var clips = await db.Clips.AsNoTracking()
            .Select(c => new RetentionClip(c.Id, c.CameraId, c.Start, c.Bytes, c.Protected, c.State == ClipState.Recording))
            .ToListAsync(cancellationToken);
        var disk = Disk();
        var now = clock.GetUtcNow();
        var limits = Limits;
        var plan = RetentionPlanner.Plan(clips, cameras.ToDictionary(c => c.Id, c => c.Policy), options.DefaultPolicy, limits, disk, now);
        return new RetentionSnapshot(clips, cameras, limits, disk, now, plan);
    }

    public RetentionPolicy PolicyOf(Camera camera) =>
        new(camera.RetentionDays ?? options.DefaultDays, camera.RetentionMaxGb is { } gb ? (long)(gb * GiB) : null, camera.OnStorageLimit);

    /// <summary>The recordings disk, or null when it cannot be read (the free-space rule then waits for the next run).</summary>
    public DiskSpace? Disk()
    {
        try
        {
            var drive = new DriveInfo(folders.RecordingsPath);
            return new DiskSpace(drive.TotalSize, drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
