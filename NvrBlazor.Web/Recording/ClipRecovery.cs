using NvrBlazor.Domain.Recording;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Recording;

/// <summary>
/// Makes clips whole after something went wrong. At startup: every clip row still "recording" and
/// every .mp4.part file left by a killed server is remuxed into a playable .mp4 and indexed with its
/// real duration, or moved to recordings/_damaged/ with a log line; no row stays "recording". After an
/// ffmpeg crash: the part written so far is kept when it plays.
/// </summary>
public sealed partial class ClipRecovery(Ffmpeg ffmpeg, ClipStore store, StorageFolders folders, ILogger<ClipRecovery> logger)
{
    /// <summary>Remuxes <paramref name="part"/> into the clip's .mp4; returns its duration, or null (and no .mp4) when nothing in it plays.</summary>
    public async Task<double?> SalvageAsync(string part, string final, CancellationToken cancellationToken)
    {
        if (!File.Exists(part) || new FileInfo(part).Length == 0)
            return null;
        var exit = await ffmpeg.RemuxAsync(part, final, cancellationToken);
        var duration = exit.Succeeded ? await ffmpeg.DurationAsync(final, cancellationToken) : null;
        if (duration is not null)
        {
            File.Delete(part);
            return duration;
        }
        File.Delete(final);
        // The remux can fail for want of space (the disk that stopped the clip): a fragmented MP4 plays as it is.
        if (await ffmpeg.DurationAsync(part, cancellationToken) is { } asItIs)
        {
            File.Move(part, final, overwrite: true);
            return asItIs;
        }
        LogUnplayable(logger, part, exit.Describe());
        return null;
    }

    public async Task RepairAsync(CancellationToken cancellationToken)
    {
        var repaired = 0;
        foreach (var clip in await store.InStateAsync(ClipState.Recording, cancellationToken))
        {
            await RepairRowAsync(clip, cancellationToken);
            repaired++;
        }
        var known = await store.AllPathsAsync(cancellationToken);
        foreach (var part in ClipFiles.Walk(folders.RecordingsPath).Where(f => f.Name.EndsWith(".mp4" + ClipFiles.PartSuffix, StringComparison.Ordinal)))
        {
            var relative = Path.GetRelativePath(folders.RecordingsPath, part.FullName);
            if (known.Contains(relative[..^ClipFiles.PartSuffix.Length]))
                continue;
            await IndexOrphanAsync(part.FullName, cancellationToken);
            repaired++;
        }
        if (repaired > 0)
            LogRepairDone(logger, repaired);
    }

    /// <summary>A clip row left "recording" by a stop: its part remuxed and the row completed, or the row marked failed.</summary>
    public async Task RepairRowAsync(Clip clip, CancellationToken cancellationToken)
    {
        var final = Path.Combine(folders.RecordingsPath, clip.Path);
        var part = final + ClipFiles.PartSuffix;
        double? duration = null;
        if (File.Exists(part))
            duration = await SalvageAsync(part, final, cancellationToken);
        else if (File.Exists(final))
            duration = await ffmpeg.DurationAsync(final, cancellationToken);

        if (duration is { } seconds)
        {
            Complete(clip, final, seconds, "recovered after the server stopped unexpectedly");
            LogRecovered(logger, clip.CameraName, clip.Path, seconds);
        }
        else
        {
            clip.State = ClipState.Failed;
            clip.Error = File.Exists(part)
                ? $"the server stopped while recording and nothing playable was written; the file was moved to {MoveToDamaged(part)}"
                : "the server stopped while recording and the file was missing at restart";
            LogLost(logger, clip.CameraName, clip.Path, clip.Error);
        }
        await store.SaveAsync(clip, cancellationToken);
    }

    /// <summary>
    /// A clip file without a row (a lost insert, or copied in by hand): an .mp4.part is remuxed first, an .mp4
    /// measured as it is; then it is indexed under the camera its folder names, starting at the time its
    /// name gives. Nothing playable is set aside in _damaged/. True when indexed.
    /// </summary>
    public async Task<bool> IndexOrphanAsync(string file, CancellationToken cancellationToken)
    {
        var isPart = file.EndsWith(ClipFiles.PartSuffix, StringComparison.Ordinal);
        var final = isPart ? file[..^ClipFiles.PartSuffix.Length] : file;
        var relative = Path.GetRelativePath(folders.RecordingsPath, final);
        var cameraFolder = relative.Split(Path.DirectorySeparatorChar)[0];
        var duration = isPart ? await SalvageAsync(file, final, cancellationToken) : await ffmpeg.DurationAsync(final, cancellationToken);
        if (duration is not { } seconds)
        {
            LogLost(logger, cameraFolder, relative, $"no clip row and nothing playable; moved to {MoveToDamaged(file)}");
            return false;
        }
        var cameraId = ClipFiles.CameraIdOfFolder(cameraFolder);
        var cameraName = cameraId is { } id ? await store.CameraNameAsync(id, cancellationToken) : null;
        var start = ClipFiles.StartOf(relative) ?? new DateTimeOffset(File.GetLastWriteTimeUtc(final), TimeSpan.Zero) - TimeSpan.FromSeconds(seconds);
        var clip = new Clip { CameraId = cameraName is null ? null : cameraId, CameraName = cameraName ?? cameraFolder, Start = start, Path = relative, Reason = ClipReason.Motion };
        Complete(clip, final, seconds, isPart ? "found without an index row after an unclean stop; recovered" : "found on disk without an index row; indexed by housekeeping");
        await store.AddAsync(clip, cancellationToken);
        if (isPart)
            LogRecovered(logger, clip.CameraName, relative, seconds);
        else
            LogIndexed(logger, clip.CameraName, relative, seconds);
        return true;
    }

    private void Complete(Clip clip, string final, double seconds, string note)
    {
        clip.State = ClipState.Complete;
        clip.DurationSeconds = seconds;
        clip.End = clip.Start + TimeSpan.FromSeconds(seconds);
        clip.Bytes = new FileInfo(final).Length;
        if (clip.FrameRate > 0)
            clip.Frames = (long)Math.Round(seconds * clip.FrameRate);
        var thumbnail = ClipFiles.ThumbnailOf(clip.Path);
        clip.ThumbnailPath = File.Exists(Path.Combine(folders.RecordingsPath, thumbnail)) ? thumbnail : null;
        clip.Error = note;
    }

    /// <summary>Moves a file that cannot be repaired to recordings/_damaged/ (same sub-path), where an operator can look at it.</summary>
    public string MoveToDamaged(string file)
    {
        var relative = Path.GetRelativePath(folders.RecordingsPath, file);
        var target = Path.Combine(folders.RecordingsPath, ClipFiles.DamagedFolder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(file, target, overwrite: true);
        return Path.Combine(ClipFiles.DamagedFolder, relative);
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "Camera '{Camera}': clip {Path} was cut off by an unclean stop and has been repaired ({Seconds:0.0} s playable).")]
    private static partial void LogRecovered(ILogger logger, string camera, string path, double seconds);

    [LoggerMessage(EventId = 424, Level = LogLevel.Warning, Message = "Camera '{Camera}': clip {Path} was on disk without an index row; indexed ({Seconds:0.0} s).")]
    private static partial void LogIndexed(ILogger logger, string camera, string path, double seconds);

    [LoggerMessage(EventId = 421, Level = LogLevel.Error, Message = "Camera '{Camera}': clip {Path} could not be repaired: {Why}.")]
    private static partial void LogLost(ILogger logger, string camera, string path, string why);

    [LoggerMessage(EventId = 422, Level = LogLevel.Warning, Message = "{Part} holds nothing playable ({Why}).")]
    private static partial void LogUnplayable(ILogger logger, string part, string why);

    [LoggerMessage(EventId = 423, Level = LogLevel.Information, Message = "Startup repair looked at {Count} clips left unfinished by the last run.")]
    private static partial void LogRepairDone(ILogger logger, int count);
}
