using System.Globalization;
using System.Text;
using NvrBlazor.Domain.Retention;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// Applies the retention plan: deletes each planned clip's file, thumbnail and row together (files only
/// inside the recordings folder), holds the cameras set to stop recording at a limit, and prunes old
/// job history and the motion events that outlived their clips. Protection and recording state are read again just before deleting, so a clip protected
/// while the plan was made is kept.
/// </summary>
public sealed partial class RetentionJob(
    RetentionPlanning planning, ClipStore store, StorageFolders folders, RecordingHolds holds, JobHistory history,
    ILogger<RetentionJob> logger) : HousekeepingJob
{
    public const string JobName = "retention";
    private const int Batch = 500;

    public override string Name => JobName;

    public override async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        var snapshot = await planning.PlanAsync(cancellationToken);
        var plan = snapshot.Plan;
        var names = snapshot.Cameras.ToDictionary(c => c.Id, c => c.Name);
        var held = holds.All;
        holds.Replace(plan.Stops.ToDictionary(s => s.CameraId, s => $"Recording stopped by retention: {s.Why}. It resumes when its clips are within the limits again (delete or unprotect clips, or raise the limit)."));
        foreach (var stop in plan.Stops.Where(s => !held.ContainsKey(s.CameraId)))
            LogStopped(logger, CameraName(stop.CameraId, names), stop.Why);
        foreach (var released in held.Keys.Where(id => plan.Stops.All(s => s.CameraId != id)))
            LogResumed(logger, CameraName(released, names));

        var deleted = new List<PlannedDeletion>();
        var failures = new List<string>();
        long freed = 0;
        foreach (var chunk in plan.Deletions.Chunk(Batch))
        {
            var planned = chunk.ToDictionary(d => d.Clip.Id);
            var gone = new List<long>();
            foreach (var (id, path) in await store.StillDeletableAsync(planned.Keys, cancellationToken))
            {
                try
                {
                    freed += ClipFiles.DeleteFilesOf(folders.RecordingsPath, path);
                    gone.Add(id);
                    deleted.Add(planned[id]);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    failures.Add($"{path}: {e.Message}");
                    LogDeleteFailed(logger, path, e.Message);
                }
            }
            await store.RemoveRowsAsync(gone, cancellationToken);
        }
        var pruned = await history.PruneAsync(cancellationToken);
        var motionPruned = await store.PruneMotionAsync(snapshot.Cameras.ToDictionary(c => c.Id, c => c.Policy.KeepDays), planning.DefaultDays, snapshot.Now, cancellationToken);

        var summary = Summarize(deleted, plan, names, freed, pruned, motionPruned, planning.DefaultDays);
        foreach (var warning in plan.Warnings)
            LogWarning(logger, warning);
        var error = failures.Count == 0 ? null : $"{failures.Count} clip(s) could not be deleted and stay listed; first: {failures[0]}";
        return new JobResult(deleted.Count, freed, summary, error, Noteworthy: plan.Stops.Count > 0 || plan.Warnings.Count > 0 || pruned > 0 || motionPruned > 0);
    }

    private static string Summarize(List<PlannedDeletion> deleted, RetentionPlan plan, Dictionary<int, string> names, long freed, int pruned, int motionPruned, int defaultDays)
    {
        var text = new StringBuilder();
        if (deleted.Count == 0)
            text.Append("Nothing to delete.");
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Deleted {deleted.Count} clip(s), {RetentionPlanner.Size(freed)} freed: ");
            text.AppendJoin("; ", deleted.GroupBy(d => (d.Clip.CameraId, d.Rule)).OrderBy(g => g.Key.CameraId).ThenBy(g => g.Key.Rule).Select(g =>
                string.Create(CultureInfo.InvariantCulture, $"{CameraName(g.Key.CameraId, names)}: {g.Count()} by {RuleText(g.Key.Rule)} ({RetentionPlanner.Size(g.Sum(d => d.Clip.Bytes))})")));
            text.Append('.');
        }
        foreach (var stop in plan.Stops)
            text.Append(CultureInfo.InvariantCulture, $" {CameraName(stop.CameraId, names)} stopped recording: {stop.Why}.");
        foreach (var warning in plan.Warnings)
            text.Append(' ').Append(warning);
        if (pruned > 0)
            text.Append(CultureInfo.InvariantCulture, $" {pruned} job run(s) older than {JobHistory.KeptFor.TotalDays:0} days pruned from the history.");
        if (motionPruned > 0)
            text.Append(CultureInfo.InvariantCulture, $" {motionPruned} motion event(s) without a clip pruned: older than their camera keeps clips ({defaultDays} days unless the camera has its own).");
        return text.ToString();
    }

    public static string CameraName(int? id, IReadOnlyDictionary<int, string> names) =>
        id is { } known && names.TryGetValue(known, out var name) ? name : id is null ? "deleted cameras" : $"deleted camera #{id}";

    public static string RuleText(RetentionRule rule) => rule switch
    {
        RetentionRule.Age => "age",
        RetentionRule.CameraSize => "camera size limit",
        RetentionRule.TotalSize => "total size limit",
        _ => "minimum free space",
    };

    [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Retention: camera '{Camera}' stopped recording: {Why}. Raise its limit or delete clips to resume.")]
    private static partial void LogStopped(ILogger logger, string camera, string why);

    [LoggerMessage(EventId = 713, Level = LogLevel.Information, Message = "Retention: camera '{Camera}' is within its limits again and records again.")]
    private static partial void LogResumed(ILogger logger, string camera);

    [LoggerMessage(EventId = 711, Level = LogLevel.Error, Message = "Retention could not delete {Path}: {Error}. The clip stays listed; the next run tries again.")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 712, Level = LogLevel.Warning, Message = "Retention: {Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);
}
