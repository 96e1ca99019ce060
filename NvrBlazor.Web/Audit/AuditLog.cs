using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Web.Audit;

/// <summary>
/// Writes and reads the audit log. Opening a camera live is recorded once per user and camera in
/// <see cref="LiveViewWindow"/>: scrolling a tile out of view and back, or a page reconnecting, is
/// the same viewing, not a new line.
/// </summary>
public sealed partial class AuditLog(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AuditLog> logger)
{
    public static readonly TimeSpan LiveViewWindow = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(string User, AuditAction Action, long Id), DateTimeOffset> recentViews = new();

    public Task LiveViewAsync(string userName, int cameraId, string cameraName, CancellationToken cancellationToken) =>
        FirstInWindow(userName, AuditAction.LiveView, cameraId)
            ? AddAsync(new AuditEntry { At = clock.GetUtcNow(), UserName = userName, Action = AuditAction.LiveView, CameraId = cameraId, CameraName = cameraName, Detail = "opened live" }, cancellationToken)
            : Task.CompletedTask;

    /// <summary>A program took a camera's frames (snapshot.jpg polled every second is one line per <see cref="LiveViewWindow"/>).</summary>
    public Task FramesAsync(string userName, int cameraId, string cameraName, string detail, CancellationToken cancellationToken) =>
        FirstInWindow(userName, AuditAction.Frames, cameraId)
            ? AddAsync(new AuditEntry { At = clock.GetUtcNow(), UserName = userName, Action = AuditAction.Frames, CameraId = cameraId, CameraName = cameraName, Detail = detail }, cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// Watching or downloading a clip: the many range requests of one playback (seeking, a player
    /// buffering ahead, a resumed download) are one line per user, clip and action in <see cref="LiveViewWindow"/>.
    /// </summary>
    public Task ClipAccessAsync(string userName, AuditAction action, Clip clip, string detail, CancellationToken cancellationToken) =>
        FirstInWindow(userName, action, clip.Id) ? ClipAsync(userName, action, clip, detail, cancellationToken) : Task.CompletedTask;

    /// <summary>A clip action (one line each time: deletions, protection, clips taken in a ZIP).</summary>
    public Task ClipAsync(string userName, AuditAction action, Clip clip, string detail, CancellationToken cancellationToken) =>
        ClipsAsync(userName, action, [clip], detail, cancellationToken);

    /// <summary>One line per clip, written together (a ZIP of a thousand clips is one database write).</summary>
    public Task ClipsAsync(string userName, AuditAction action, IEnumerable<Clip> clips, string detail, CancellationToken cancellationToken) =>
        AddAsync(clips.Select(clip => Line(userName, action, clip, detail)).ToArray(), cancellationToken);

    private AuditEntry Line(string userName, AuditAction action, Clip clip, string detail) => new()
    {
        At = clock.GetUtcNow(), UserName = userName, Action = action, CameraId = clip.CameraId, CameraName = clip.CameraName,
        ClipId = clip.Id, Detail = $"clip {clip.Id} ({clip.Start.ToLocalTime():yyyy-MM-dd HH:mm:ss}): {detail}",
    };

    /// <summary>
    /// True for the first call per user, action and id in the window. Atomic: two tiles or tabs opening the same
    /// camera in the same instant write one line (a read-then-write let both through: two lines in one second).
    /// </summary>
    private bool FirstInWindow(string userName, AuditAction action, long id)
    {
        var now = clock.GetUtcNow();
        var key = (userName, action, id);
        while (true)
        {
            if (!recentViews.TryGetValue(key, out var last))
            {
                if (recentViews.TryAdd(key, now))
                    break;
                continue;
            }
            if (now - last < LiveViewWindow)
                return false;
            if (recentViews.TryUpdate(key, now, last))
                break;
        }
        if (recentViews.Count > 10_000)
        {
            foreach (var (old, at) in recentViews)
            {
                if (now - at >= LiveViewWindow)
                    recentViews.TryRemove(old, out _);
            }
        }
        return true;
    }

    /// <summary>A known camera connected from another address (user "camera": nobody did it by hand).</summary>
    public Task CameraAddressAsync(int cameraId, string cameraName, string detail, CancellationToken cancellationToken) =>
        AddAsync(new AuditEntry { At = clock.GetUtcNow(), UserName = "camera", Action = AuditAction.CameraAddress, CameraId = cameraId, CameraName = cameraName, Detail = detail }, cancellationToken);

    /// <summary>An admin action or a sign-in: one line, the actor as its user, the detail naming what changed (before → after).</summary>
    public Task AdminAsync(string actor, AuditAction action, string detail, CancellationToken cancellationToken, int? cameraId = null, string cameraName = "") =>
        AddAsync(new AuditEntry { At = clock.GetUtcNow(), UserName = actor, Action = action, CameraId = cameraId, CameraName = cameraName, Detail = detail }, cancellationToken);

    public Task CommandAsync(string userName, int cameraId, string cameraName, string command, CancellationToken cancellationToken) =>
        AddAsync(new AuditEntry { At = clock.GetUtcNow(), UserName = userName, Action = AuditAction.Command, CameraId = cameraId, CameraName = cameraName, Detail = command }, cancellationToken);

    private Task AddAsync(AuditEntry entry, CancellationToken cancellationToken) => AddAsync([entry], cancellationToken);

    private async Task AddAsync(AuditEntry[] entries, CancellationToken cancellationToken)
    {
        if (entries.Length == 0)
            return;
        foreach (var entry in entries)
        {
            entry.UserName = Cut(entry.UserName, 256);
            entry.CameraName = Cut(entry.CameraName, 100);
            entry.Detail = Cut(entry.Detail, 200);
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
            db.AuditEntries.AddRange(entries);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // The action itself already happened; losing its audit line is logged, never thrown at the user.
            LogNotWritten(logger, entries[0].UserName, entries[0].Action, entries[0].CameraName, e.Message);
        }
    }

    /// <summary>Every camera, by name: the Audit log page's camera filter (read here, so Audit needs nothing from Cameras).</summary>
    public async Task<IReadOnlyList<Camera>> CamerasAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        return await db.Cameras.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Newest first, optionally one user's, one camera's, one clip's or one action's, older than line <paramref name="before"/>, at most <paramref name="take"/> lines.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? userName, int? cameraId, AuditAction? action, int take, CancellationToken cancellationToken,
        long? clipId = null, long? before = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(userName))
            query = query.Where(e => e.UserName == userName);
        if (cameraId is not null)
            query = query.Where(e => e.CameraId == cameraId);
        if (action is not null)
            query = query.Where(e => e.Action == action);
        if (clipId is not null)
            query = query.Where(e => e.ClipId == clipId);
        if (before is not null)
            query = query.Where(e => e.Id < before);
        return await query.OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(EventId = 410, Level = LogLevel.Error, Message = "Audit line not written ({User} {Action} {Camera}): {Error}")]
    private static partial void LogNotWritten(ILogger logger, string user, AuditAction action, string camera, string error);
}
