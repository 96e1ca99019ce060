namespace NvrBlazor.Domain.Retention;

public sealed record PlannedDeletion(RetentionClip Clip, RetentionRule Rule);

/// <summary>A camera set to stop recording rather than lose clips, and the limit that stops it.</summary>
public sealed record RecordingStop(int CameraId, RetentionRule Rule, string Why);

/// <summary>What one retention run deletes (oldest first within each rule), which cameras stop recording, and what it cannot achieve.</summary>
public sealed record RetentionPlan(IReadOnlyList<PlannedDeletion> Deletions, IReadOnlyList<RecordingStop> Stops, IReadOnlyList<string> Warnings)
{
    public long Bytes => Deletions.Sum(d => d.Clip.Bytes);
}

/// <summary>
/// Decides what retention deletes. Pure: the clips, policies, limits and disk come in; the plan comes out.
/// The same plan is the dry run shown as a forecast and the list the retention job deletes.
/// Rules, in order: (1) age per camera; (2) each camera's size cap; (3) the total size cap; (4) the
/// disk's minimum free share. Within a rule clips go oldest first (ties by id). Protected clips and
/// clips being written are never planned. A camera whose choice is <see cref="LimitAction.StopRecording"/>
/// loses no clip to a size rule: it is listed to stop recording while that limit is exceeded.
/// Clips of deleted cameras follow the default policy.
/// </summary>
public static class RetentionPlanner
{
    public static RetentionPlan Plan(
        IEnumerable<RetentionClip> clips, IReadOnlyDictionary<int, RetentionPolicy> cameras, RetentionPolicy defaults,
        GlobalLimits limits, DiskSpace? disk, DateTimeOffset now)
    {
        var byAge = clips.OrderBy(c => c.Start).ThenBy(c => c.Id).ToList();
        var deletions = new List<PlannedDeletion>();
        var gone = new HashSet<long>();
        var stops = new Dictionary<int, RecordingStop>();
        var warnings = new List<string>();
        RetentionPolicy PolicyOf(RetentionClip clip) => clip.CameraId is { } id && cameras.TryGetValue(id, out var policy) ? policy : defaults;

        void Delete(RetentionClip clip, RetentionRule rule)
        {
            gone.Add(clip.Id);
            deletions.Add(new PlannedDeletion(clip, rule));
        }

        IEnumerable<RetentionClip> Left() => byAge.Where(c => !gone.Contains(c.Id));

        // Frees at least `needed` bytes from the oldest deletable clips that `eligible` admits; returns what is still missing.
        long Free(long needed, Func<RetentionClip, bool> eligible, RetentionRule rule)
        {
            foreach (var clip in Left().Where(c => c.Deletable && eligible(c)).ToList())
            {
                if (needed <= 0)
                    break;
                Delete(clip, rule);
                needed -= clip.Bytes;
            }
            return Math.Max(needed, 0);
        }

        void StopAll(RetentionRule rule, string why)
        {
            foreach (var (id, policy) in cameras)
                if (policy.OnLimit == LimitAction.StopRecording)
                    stops.TryAdd(id, new RecordingStop(id, rule, why));
        }

        // 1. Age.
        foreach (var clip in byAge)
            if (clip.Deletable && clip.Start < now - TimeSpan.FromDays(PolicyOf(clip).KeepDays))
                Delete(clip, RetentionRule.Age);

        // 2. Each camera's own size cap.
        foreach (var (id, policy) in cameras.OrderBy(c => c.Key))
        {
            if (policy.MaxBytes is not { } cap)
                continue;
            var over = Left().Where(c => c.CameraId == id).Sum(c => c.Bytes) - cap;
            if (over <= 0)
                continue;
            if (policy.OnLimit == LimitAction.StopRecording)
                stops.TryAdd(id, new RecordingStop(id, RetentionRule.CameraSize, $"its clips take {Size(cap + over)}, over its limit of {Size(cap)}"));
            else if (Free(over, c => c.CameraId == id, RetentionRule.CameraSize) is > 0 and var missing)
                warnings.Add($"Camera {id} stays {Size(missing)} over its limit of {Size(cap)}: the rest of its clips are protected or being written.");
        }

        bool DeletesOldest(RetentionClip clip) => PolicyOf(clip).OnLimit == LimitAction.DeleteOldest;

        // 3. Total size of all recordings.
        if (limits.MaxTotalBytes is { } maxTotal && Left().Sum(c => c.Bytes) - maxTotal is > 0 and var totalOver)
        {
            StopAll(RetentionRule.TotalSize, $"the recordings take {Size(maxTotal + totalOver)}, over the total limit of {Size(maxTotal)}");
            if (Free(totalOver, DeletesOldest, RetentionRule.TotalSize) is > 0 and var missing)
                warnings.Add($"The recordings stay {Size(missing)} over the total limit of {Size(maxTotal)}: the rest are protected, being written, or of cameras set to stop recording.");
        }

        // 4. Free space on the disk, counting what the rules above free.
        if (disk is { } space && limits.MinFreeBytes(space) is > 0 and var wanted
            && wanted - (space.FreeBytes + deletions.Sum(d => d.Clip.Bytes)) is > 0 and var shortBy)
        {
            StopAll(RetentionRule.FreeSpace, $"less than {Size(wanted)} of the disk is free");
            if (Free(shortBy, DeletesOldest, RetentionRule.FreeSpace) is > 0 and var missing)
                warnings.Add($"The disk stays {Size(missing)} short of {Size(wanted)} free: deleting every clip retention may delete is not enough.");
        }

        return new RetentionPlan(deletions, stops.Values.OrderBy(s => s.CameraId).ToList(), warnings);
    }

    /// <summary>A byte count for people: "512 KB", "3.4 MB", "1.25 GB".</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024L * 1024 => FormattableString.Invariant($"{bytes / 1024.0:0} KB"),
        < 1024L * 1024 * 1024 => FormattableString.Invariant($"{bytes / 1024.0 / 1024:0.#} MB"),
        _ => FormattableString.Invariant($"{bytes / 1024.0 / 1024 / 1024:0.##} GB"),
    };
}
