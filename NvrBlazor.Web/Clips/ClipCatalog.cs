using Microsoft.EntityFrameworkCore;
using NvrBlazor.Domain.Clips;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Live;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Web.Clips;

/// <summary>A clip as the API and pages show it. Times are UTC; pages show them in the browser user's server-local time.</summary>
public sealed record ClipDto(long Id, int? CameraId, string CameraName, DateTimeOffset Start, DateTimeOffset? End, double DurationSeconds,
    double FrameRate, long Frames, long Bytes, ClipReason Reason, ClipState State, bool Protected, string? Error, bool HasThumbnail,
    IReadOnlyList<string> Labels)
{
    public static ClipDto Of(Clip clip) => new(clip.Id, clip.CameraId, clip.CameraName, clip.Start, clip.End, clip.DurationSeconds,
        clip.FrameRate, clip.Frames, clip.Bytes, clip.Reason, clip.State, clip.Protected, clip.Error, clip.ThumbnailPath is not null,
        NvrBlazor.Domain.Detection.DetectionTally.Split(clip.Labels));
}

public sealed record ClipPage(IReadOnlyList<ClipDto> Clips, ClipCursor? Next);

public sealed record ClipSummary(int Count, long Bytes, double DurationSeconds);

/// <summary>A motion event on the timeline, with what the object detector saw in it (labels best first, the best score and its box "x,y,w,h").</summary>
public sealed record MotionSpan(long Id, int? CameraId, DateTimeOffset Start, DateTimeOffset? End, long? ClipId, string? Labels, double? BestScore, string? Box);

/// <summary>What a day view needs for its rows: the clips and motion that overlap the range, per camera.</summary>
public sealed record TimelineData(IReadOnlyList<ClipDto> Clips, IReadOnlyList<MotionSpan> Motion);

/// <summary>
/// The clip index as users search it, always through their rights: Admins see every clip (also of
/// deleted cameras), Viewers the clips of the cameras they may watch. A clip the user may not see is
/// answered exactly like one that does not exist. Newest first, paged by <see cref="ClipCursor"/>.
/// </summary>
public sealed partial class ClipCatalog(IDbContextFactory<NvrDbContext> contexts, CameraAccess access, StorageFolders folders, ClipStore store, AuditLog audit, ILogger<ClipCatalog> logger)
{
    public const int MaxPageSize = 500;

    /// <summary>
    /// The camera ids this search may touch: null for "every clip" (an Admin without a camera filter),
    /// or a set (possibly empty). Null as the result of the whole call means the filter names a camera
    /// the user may not see, which callers answer with 404.
    /// </summary>
    public async Task<Scope?> ScopeAsync(ViewerRights? rights, ClipFilter filter, CancellationToken cancellationToken)
    {
        if (rights is null)
            return null;
        if (rights.IsAdmin)
            return new Scope(filter.Cameras.Count == 0 ? null : filter.Cameras.ToHashSet());
        var visible = (await access.VisibleAsync(rights, cancellationToken)).Select(c => c.Id).ToHashSet();
        if (filter.Cameras.Count == 0)
            return new Scope(visible);
        return filter.Cameras.All(visible.Contains) ? new Scope(filter.Cameras.ToHashSet()) : null;
    }

    /// <summary>Which cameras a query covers: null is all of them (Admins only).</summary>
    public sealed record Scope(IReadOnlySet<int>? Cameras);

    /// <summary>
    /// One page, newest first. With a camera scope each camera is read on its own through the
    /// (CameraId, Start) index and the pages are merged, so the cost is a few index steps per camera
    /// whatever the table's size (no sort of every matching row).
    /// </summary>
    public async Task<ClipPage> PageAsync(Scope scope, ClipFilter filter, ClipCursor? after, int pageSize, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ReadPageAsync(db, scope, filter, after, pageSize, cancellationToken);
    }

    /// <summary>The page read itself (static so the million-row benchmark times exactly this).</summary>
    public static async Task<ClipPage> ReadPageAsync(NvrDbContext db, Scope scope, ClipFilter filter, ClipCursor? after, int pageSize, CancellationToken cancellationToken)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var rows = new List<Clip>();
        foreach (var query in PageQueries(db, scope, filter, after, pageSize + 1))
            rows.AddRange(await query.ToListAsync(cancellationToken));
        var page = rows.OrderByDescending(c => c.Start).ThenByDescending(c => c.Id).Take(pageSize + 1).ToList();
        var next = page.Count > pageSize ? new ClipCursor(page[pageSize - 1].Start.ToUnixTimeMilliseconds(), page[pageSize - 1].Id) : (ClipCursor?)null;
        return new ClipPage(page.Take(pageSize).Select(ClipDto.Of).ToList(), next);
    }

    /// <summary>The SQL queries behind one page (one per camera in scope, or one for all): public so the query-plan test checks exactly these.</summary>
    public static IEnumerable<IQueryable<Clip>> PageQueries(NvrDbContext db, Scope scope, ClipFilter filter, ClipCursor? after, int take)
    {
        IQueryable<Clip> Ordered(IQueryable<Clip> query)
        {
            if (after is { } cursor)
            {
                var start = DateTimeOffset.FromUnixTimeMilliseconds(cursor.StartMilliseconds);
                query = query.Where(c => c.Start <= start && (c.Start < start || c.Id < cursor.Id));
            }
            return query.OrderByDescending(c => c.Start).ThenByDescending(c => c.Id).Take(take);
        }
        var matching = Matching(db, filter);
        if (scope.Cameras is null)
            return [Ordered(matching)];
        return scope.Cameras.Order().Select(id => Ordered(matching.Where(c => c.CameraId == id))).ToList();
    }

    /// <summary>How many clips match and their size: what the ZIP confirmation shows before a download starts.</summary>
    public async Task<ClipSummary> SummaryAsync(Scope scope, ClipFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await SummaryQuery(db, scope, filter).FirstOrDefaultAsync(cancellationToken) ?? new ClipSummary(0, 0, 0);
    }

    /// <summary>The one aggregate query behind <see cref="SummaryAsync"/> (public for the query-plan benchmark).</summary>
    public static IQueryable<ClipSummary> SummaryQuery(NvrDbContext db, Scope scope, ClipFilter filter) =>
        InScope(Matching(db, filter), scope).GroupBy(_ => 1)
            .Select(g => new ClipSummary(g.Count(), g.Sum(c => c.Bytes), g.Sum(c => c.DurationSeconds)));

    /// <summary>Every clip matching, newest first, at most <paramref name="limit"/> (for ZIP downloads of a filter).</summary>
    public async Task<List<Clip>> AllAsync(Scope scope, ClipFilter filter, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await InScope(Matching(db, filter), scope).OrderByDescending(c => c.Start).ThenByDescending(c => c.Id)
            .Take(limit).AsNoTracking().ToListAsync(cancellationToken);
    }

    /// <summary>The clips with these ids if the user may see every one of them; null when any is missing or not theirs.</summary>
    public async Task<List<Clip>?> TheseAsync(ViewerRights? rights, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (rights is null)
            return null;
        var distinct = ids.Distinct().ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clips = await db.Clips.AsNoTracking().Where(c => distinct.Contains(c.Id)).ToListAsync(cancellationToken);
        if (clips.Count != distinct.Count)
            return null;
        var visible = rights.IsAdmin ? null : (await access.VisibleAsync(rights, cancellationToken)).Select(c => c.Id).ToHashSet();
        if (visible is not null && !clips.All(c => c.CameraId is { } camera && visible.Contains(camera)))
            return null;
        return clips.OrderByDescending(c => c.Start).ThenByDescending(c => c.Id).ToList();
    }

    /// <summary>One clip if this user may see it; null both when it does not exist and when it is not theirs.</summary>
    public async Task<Clip?> FindAsync(ViewerRights? rights, long id, CancellationToken cancellationToken) =>
        (await TheseAsync(rights, [id], cancellationToken))?.SingleOrDefault();

    /// <summary>The clips just before and after this one on the same camera (the player's previous / next).</summary>
    public async Task<(ClipDto? Previous, ClipDto? Next)> NeighboursAsync(Clip clip, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sameCamera = db.Clips.AsNoTracking().Where(c => c.CameraId == clip.CameraId && c.Id != clip.Id);
        var start = clip.Start;
        var previous = await sameCamera.Where(c => c.Start <= start && (c.Start < start || c.Id < clip.Id))
            .OrderByDescending(c => c.Start).ThenByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        var next = await sameCamera.Where(c => c.Start >= start && (c.Start > start || c.Id > clip.Id))
            .OrderBy(c => c.Start).ThenBy(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        return (previous is null ? null : ClipDto.Of(previous), next is null ? null : ClipDto.Of(next));
    }

    /// <summary>The clips and motion overlapping [from, to) for the cameras in scope: a day (or hour) of the timeline.</summary>
    /// <summary>Clips and motion events overlapping [from, to); with <paramref name="label"/>, only those in which the detector saw it.</summary>
    public async Task<TimelineData> TimelineAsync(Scope scope, DateTimeOffset from, DateTimeOffset to, string? label, CancellationToken cancellationToken)
    {
        const int Limit = 20_000;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var clips = await InScope(Matching(db, new ClipFilter { From = from, To = to, Label = label }), scope)
            .OrderBy(c => c.Start).Take(Limit).AsNoTracking().ToListAsync(cancellationToken);
        var earliest = EarliestStart(from);
        var motion = db.MotionEvents.AsNoTracking().Where(m => m.Start >= earliest && m.Start < to && (m.End == null || m.End > from));
        if (scope.Cameras is { } cameras)
        {
            var ids = cameras.ToList();
            motion = motion.Where(m => m.CameraId != null && ids.Contains(m.CameraId.Value));
        }
        if (label is not null)
        {
            var within = "," + label + ",";
            motion = motion.Where(m => m.Labels != null && ("," + m.Labels + ",").Contains(within));
        }
        var spans = await motion.OrderBy(m => m.Start).Take(Limit)
            .Select(m => new MotionSpan(m.Id, m.CameraId, m.Start, m.End, m.ClipId, m.Labels, m.BestScore, m.Box)).ToListAsync(cancellationToken);
        return new TimelineData(clips.Select(ClipDto.Of).ToList(), spans);
    }

    /// <summary>Protects or releases a clip the user may see (retention never deletes a protected clip): the clip as it is now, null when it is not theirs.</summary>
    public async Task<Clip?> SetProtectedAsync(ViewerRights? rights, long id, bool protect, CancellationToken cancellationToken)
    {
        if (rights is null || await FindAsync(rights, id, cancellationToken) is not { } clip)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Clips.Where(c => c.Id == id).ExecuteUpdateAsync(set => set.SetProperty(c => c.Protected, protect), cancellationToken) != 1)
            return null; // deleted meanwhile
        clip.Protected = protect;
        await audit.ClipAsync(rights.UserName, AuditAction.ClipProtect, clip, protect ? "protected" : "protection removed", cancellationToken);
        return clip;
    }

    /// <summary>
    /// Deletes clips (Admin): file, .part, thumbnail and row together; their motion events stay, unlinked.
    /// A clip still being written is left alone and reported.
    /// </summary>
    public async Task<DeleteOutcome> DeleteAsync(ViewerRights rights, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var clips = await TheseAsync(rights, ids, cancellationToken);
        if (clips is null || !rights.IsAdmin)
            return new DeleteOutcome(0, 0, [], NotFound: true);
        var busy = clips.Where(c => c.State == ClipState.Recording).Select(c => c.Id).ToList();
        var deletable = clips.Where(c => c.State != ClipState.Recording).ToList();
        if (deletable.Count == 0)
            return new DeleteOutcome(0, 0, busy, NotFound: false);
        var freed = deletable.Sum(clip => ClipFiles.DeleteFilesOf(folders.RecordingsPath, clip.Path));
        await store.RemoveRowsAsync(deletable.Select(c => c.Id).ToList(), cancellationToken);
        await audit.ClipsAsync(rights.UserName, AuditAction.ClipDelete, deletable, "deleted with its file and thumbnail", cancellationToken);
        LogDeleted(logger, rights.UserName, deletable.Count, freed / 1e6);
        return new DeleteOutcome(deletable.Count, freed, busy, NotFound: false);
    }

    public sealed record DeleteOutcome(int Deleted, long BytesFreed, IReadOnlyList<long> StillRecording, bool NotFound);

    /// <summary>The real path of a clip's video or thumbnail, when that file exists inside the recordings folder.</summary>
    public string? FileOf(Clip clip, bool thumbnail = false)
    {
        var relative = thumbnail ? clip.ThumbnailPath : clip.Path;
        return relative is not null && ClipFiles.ResolveInside(folders.RecordingsPath, relative) is { } full && File.Exists(full) ? full : null;
    }

    private static IQueryable<Clip> InScope(IQueryable<Clip> query, Scope scope)
    {
        if (scope.Cameras is null)
            return query;
        var ids = scope.Cameras.ToList();
        return query.Where(c => c.CameraId != null && ids.Contains(c.CameraId.Value));
    }

    private static IQueryable<Clip> Matching(NvrDbContext db, ClipFilter filter)
    {
        var query = db.Clips.AsNoTracking();
        if (filter.From is { } from)
        {
            // Overlap: ended after 'from' (or still running), and started no earlier than the longest clip
            // can last before it, which bounds the index range.
            var earliest = EarliestStart(from);
            query = query.Where(c => c.Start >= earliest && (c.End == null || c.End > from));
        }
        if (filter.To is { } to)
            query = query.Where(c => c.Start < to);
        if (filter.Reason is { } reason)
            query = query.Where(c => c.Reason == reason);
        if (filter.Label is { } label)
        {
            var within = "," + label + ",";
            query = query.Where(c => c.Labels != null && ("," + c.Labels + ",").Contains(within));
        }
        if (filter.ProtectedOnly)
            query = query.Where(c => c.Protected);
        if (filter.MinSeconds is { } min and > 0)
            query = query.Where(c => c.DurationSeconds >= min);
        return query;
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "{User} deleted {Count} clip(s), {Megabytes:0.0} MB freed.")]
    private static partial void LogDeleted(ILogger logger, string user, int count, double megabytes);

    /// <summary>The earliest start a clip overlapping <paramref name="from"/> can have; a 'from' near year 1 must not run below DateTimeOffset.MinValue (that answered 500).</summary>
    private static DateTimeOffset EarliestStart(DateTimeOffset from) =>
        from.UtcTicks - DateTimeOffset.MinValue.UtcTicks < RecordingSettings.LongestClip.Ticks ? DateTimeOffset.MinValue : from - RecordingSettings.LongestClip;
}
