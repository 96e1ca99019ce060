using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// Makes the clip index and the recordings folder agree after crashes or files moved by hand: rows whose
/// file is gone are removed; .mp4 files without a row are indexed (duration from ffprobe); stale .part
/// files are repaired or set aside in _damaged/; empty folders are removed. Anything being written, or
/// touched in the last <see cref="Settle"/>, is left for the next run. Symbolic links are never followed,
/// indexed or deleted: they are counted and named in the log.
/// </summary>
public sealed partial class ReconcileJob(
    IDbContextFactory<NvrDbContext> contexts, ClipStore store, ClipRecovery recovery, RecordingService recording, StorageFolders folders,
    TimeProvider clock, ILogger<ReconcileJob> logger) : HousekeepingJob
{
    public const string JobName = "reconcile";
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(2);

    public override string Name => JobName;

    private sealed class Counts
    {
        public int RowsRemoved, FilesIndexed, PartsRepaired, RowsRepaired, MovedToDamaged, FoldersRemoved, LinksSkipped;
        public long BytesFreed;
        public readonly List<string> Errors = [];
    }

    public override async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        await recording.Repaired.WaitAsync(cancellationToken);
        // Without the folder every row would look like a clip whose file is gone: an unmounted disk must not empty the index.
        if (!Directory.Exists(folders.RecordingsPath))
            throw new DirectoryNotFoundException($"The recordings folder {folders.RecordingsPath} is missing (a disk not mounted?); nothing was changed. Mount or create it (Nvr:RecordingsPath).");
        var counts = new Counts();
        var settledBefore = clock.GetUtcNow() - Settle;
        var open = recording.OpenClipPaths();
        var known = await ReconcileRowsAsync(open, settledBefore, counts, cancellationToken);
        await ReconcileFilesAsync(known, open, settledBefore, counts, cancellationToken);
        RemoveEmptyFolders(folders.RecordingsPath, settledBefore, counts);

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{counts.RowsRemoved} row(s) without a file removed; {counts.FilesIndexed} file(s) without a row indexed; " +
            $"{counts.PartsRepaired + counts.RowsRepaired} unfinished clip(s) repaired; {counts.MovedToDamaged} unplayable file(s) moved to {ClipFiles.DamagedFolder}/; " +
            $"{counts.FoldersRemoved} empty folder(s) removed; {counts.LinksSkipped} symbolic link(s) left alone.");
        var error = counts.Errors.Count == 0 ? null : $"{counts.Errors.Count} item(s) failed; first: {counts.Errors[0]}";
        var changed = counts.FilesIndexed + counts.PartsRepaired + counts.RowsRepaired + counts.MovedToDamaged + counts.FoldersRemoved + counts.LinksSkipped > 0;
        return new JobResult(counts.RowsRemoved, counts.BytesFreed, summary, error, Noteworthy: changed);
    }

    /// <summary>Rows first: finished rows whose file is gone go; rows left "recording" by a crash are repaired. Returns every path still indexed.</summary>
    private async Task<HashSet<string>> ReconcileRowsAsync(IReadOnlySet<string> open, DateTimeOffset settledBefore, Counts counts, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Clips.AsNoTracking().Select(c => new { c.Id, c.Path, c.State, c.Bytes }).ToListAsync(cancellationToken);
        var known = rows.Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        var missing = new List<long>();
        foreach (var row in rows)
        {
            if (open.Contains(row.Path))
                continue;
            var full = ClipFiles.ResolveInside(folders.RecordingsPath, row.Path);
            if (row.State == ClipState.Recording)
            {
                // Not written to for a while and not open in a recorder: left behind by a crash (a clip just finishing has fresh files).
                if (full is null || !Settled(full, settledBefore) || !Settled(full + ClipFiles.PartSuffix, settledBefore))
                    continue;
                if (await db.Clips.FirstOrDefaultAsync(c => c.Id == row.Id && c.State == ClipState.Recording, cancellationToken) is { } stuck
                    && !recording.OpenClipPaths().Contains(stuck.Path))
                {
                    await Try(counts, row.Path, () => recovery.RepairRowAsync(stuck, cancellationToken));
                    counts.RowsRepaired++;
                }
                continue;
            }
            // A failed clip with nothing playable never had a file: its row is the record of the failure, and ages out with retention.
            var hadFile = row.State == ClipState.Complete || row.Bytes > 0;
            if (!hadFile || full is not null && (File.Exists(full) || File.Exists(full + ClipFiles.PartSuffix)))
                continue;
            if (full is not null)
                counts.BytesFreed += ClipFiles.DeleteFilesOf(folders.RecordingsPath, row.Path); // the thumbnail left behind
            else
                LogOutside(logger, row.Path);
            missing.Add(row.Id);
            known.Remove(row.Path);
            LogRowRemoved(logger, row.Path);
        }
        await store.RemoveRowsAsync(missing, cancellationToken);
        counts.RowsRemoved += missing.Count;
        return known;
    }

    /// <summary>Walks the folder without following links: .mp4 and .mp4.part files without a row are indexed or set aside.</summary>
    private async Task ReconcileFilesAsync(HashSet<string> known, IReadOnlySet<string> open, DateTimeOffset settledBefore, Counts counts, CancellationToken cancellationToken)
    {
        var files = ClipFiles.Walk(folders.RecordingsPath, link =>
        {
            counts.LinksSkipped++;
            LogLink(logger, Path.GetRelativePath(folders.RecordingsPath, link.FullName), link.LinkTarget!);
        });
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(folders.RecordingsPath, file.FullName);
            var isPart = file.Name.EndsWith(".mp4" + ClipFiles.PartSuffix, StringComparison.Ordinal);
            if (!isPart && !file.Name.EndsWith(".mp4", StringComparison.Ordinal))
                continue;
            var clipPath = isPart ? relative[..^ClipFiles.PartSuffix.Length] : relative;
            if (known.Contains(clipPath) || open.Contains(clipPath) || file.LastWriteTimeUtc > settledBefore.UtcDateTime)
                continue;
            if (isPart && File.Exists(file.FullName[..^ClipFiles.PartSuffix.Length]))
                continue; // the .mp4 beside it is handled on its own
            await Try(counts, relative, async () =>
            {
                if (await recovery.IndexOrphanAsync(file.FullName, cancellationToken))
                {
                    known.Add(clipPath);
                    if (isPart)
                        counts.PartsRepaired++;
                    else
                        counts.FilesIndexed++;
                }
                else
                    counts.MovedToDamaged++;
            });
        }
    }

    /// <summary>Removes empty folders bottom-up (never the recordings folder itself, never one changed in the settle time: a recorder may be about to write there).</summary>
    private void RemoveEmptyFolders(string folder, DateTimeOffset settledBefore, Counts counts)
    {
        foreach (var directory in new DirectoryInfo(folder).EnumerateDirectories())
        {
            if (directory.LinkTarget is not null)
                continue;
            // Settled is judged before emptying its sub-folders: removing them touches this folder, and that change is ours.
            var settled = directory.LastWriteTimeUtc <= settledBefore.UtcDateTime;
            RemoveEmptyFolders(directory.FullName, settledBefore, counts);
            if (!settled || directory.EnumerateFileSystemInfos().Any())
                continue;
            try
            {
                directory.Delete();
                counts.FoldersRemoved++;
            }
            catch (IOException)
            {
                // Something was written into it meanwhile: it stays.
            }
        }
    }

    private static bool Settled(string file, DateTimeOffset settledBefore) => !File.Exists(file) || File.GetLastWriteTimeUtc(file) <= settledBefore.UtcDateTime;

    private async Task Try(Counts counts, string path, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbUpdateException or FfmpegException)
        {
            counts.Errors.Add($"{path}: {e.Message}");
            LogItemFailed(logger, path, e.Message);
        }
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Warning, Message = "Reconcile: clip {Path} is in the index but its file is gone; the row was removed.")]
    private static partial void LogRowRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "Reconcile: {Path} is a symbolic link to {Target}; it is not followed, indexed or deleted. Remove it if it is not meant to be there.")]
    private static partial void LogLink(ILogger logger, string path, string target);

    [LoggerMessage(EventId = 722, Level = LogLevel.Error, Message = "Reconcile: clip row {Path} points outside the recordings folder; the row was removed and nothing outside was touched.")]
    private static partial void LogOutside(ILogger logger, string path);

    [LoggerMessage(EventId = 723, Level = LogLevel.Error, Message = "Reconcile could not handle {Path}: {Error}. The next run tries again.")]
    private static partial void LogItemFailed(ILogger logger, string path, string error);
}
