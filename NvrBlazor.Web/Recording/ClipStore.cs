using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Web.Recording;

/// <summary>The Clips and MotionEvents tables as the recorder writes them: one short-lived context per write.</summary>
public sealed class ClipStore(IDbContextFactory<NvrDbContext> contexts, StorageFolders folders)
{
    /// <summary>Deletes every clip of a camera (files, thumbnails, rows, motion events) when an admin deletes the camera with its clips. Returns how many.</summary>
    public async Task<int> DeleteAllOfCameraAsync(int cameraId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clips = await db.Clips.Where(c => c.CameraId == cameraId).ToListAsync(cancellationToken);
        foreach (var clip in clips)
            ClipFiles.DeleteFilesOf(folders.RecordingsPath, clip.Path);
        db.Clips.RemoveRange(clips);
        await db.MotionEvents.Where(m => m.CameraId == cameraId).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return clips.Count;
    }

    /// <summary>
    /// Removes clip rows whose files are already deleted, and unlinks their motion events (which stay, as
    /// a record that motion happened). One statement each however many clips: a thousand-clip delete is not
    /// three thousand round trips.
    /// </summary>
    public async Task RemoveRowsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Clips.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
        await db.MotionEvents.Where(m => m.ClipId != null && ids.Contains(m.ClipId.Value)).ExecuteUpdateAsync(set => set.SetProperty(m => m.ClipId, (long?)null), cancellationToken);
    }

    /// <summary>
    /// Deletes the motion events that lead to no clip (retention deleted it, or the camera was not recording) and began
    /// longer ago than their camera keeps clips (<paramref name="keepDays"/> by camera id; deleted cameras' events, and
    /// those of cameras not listed, follow <paramref name="defaultDays"/>): without this the table grows for as long as
    /// the server runs. An event still linked to a clip (a protected one kept past its days) stays with it. Returns how many.
    /// </summary>
    public async Task<int> PruneMotionAsync(IReadOnlyDictionary<int, int> keepDays, int defaultDays, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pruned = 0;
        foreach (var (camera, days) in keepDays)
        {
            var before = now - TimeSpan.FromDays(days);
            pruned += await db.MotionEvents.Where(m => m.CameraId == camera && m.ClipId == null && m.Start < before).ExecuteDeleteAsync(cancellationToken);
        }
        var known = keepDays.Keys.ToList();
        var fallback = now - TimeSpan.FromDays(defaultDays);
        pruned += await db.MotionEvents.Where(m => (m.CameraId == null || !known.Contains(m.CameraId.Value)) && m.ClipId == null && m.Start < fallback)
            .ExecuteDeleteAsync(cancellationToken);
        return pruned;
    }

    /// <summary>Of these clips, the ones retention may still delete (not protected meanwhile, not being written), with their paths.</summary>
    public async Task<List<(long Id, string Path)>> StillDeletableAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Clips.Where(c => ids.Contains(c.Id) && !c.Protected && c.State != ClipState.Recording)
            .Select(c => new { c.Id, c.Path }).ToListAsync(cancellationToken)).Select(c => (c.Id, c.Path)).ToList();
    }

    /// <summary>Inserts a clip or motion event row.</summary>
    public async Task AddAsync<T>(T row, CancellationToken cancellationToken = default) where T : class
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Add(row);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Writes back a row read or inserted earlier (the recorder keeps its clip's row while writing).</summary>
    public async Task SaveAsync<T>(T row, CancellationToken cancellationToken = default) where T : class
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Update(row);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<List<Clip>> InStateAsync(ClipState state, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Clips.Where(c => c.State == state).ToListAsync(cancellationToken);
    }

    public async Task<HashSet<string>> AllPathsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Clips.Select(c => c.Path).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<string?> CameraNameAsync(int cameraId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Cameras.Where(c => c.Id == cameraId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken);
    }
}
