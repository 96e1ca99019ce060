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
    private readonly ConcurrentDictionary<(string User, int Camera), DateTimeOffset> recentViews = new();

    public Task LiveViewAsync(string userName, int cameraId, string cameraName, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = (userName, cameraId);
        if (recentViews.TryGetValue(key, out var last) && now - last < LiveViewWindow)
            return Task.CompletedTask;
        recentViews[key] = now;
        if (recentViews.Count > 10_000)
        {
            foreach (var (old, at) in recentViews)
            {
                if (now - at >= LiveViewWindow)
                    recentViews.TryRemove(old, out _);
            }
        }
        return AddAsync(new AuditEntry { At = now, UserName = userName, Action = AuditAction.LiveView, CameraId = cameraId, CameraName = cameraName, Detail = "opened live" }, cancellationToken);
    }

    public Task CommandAsync(string userName, int cameraId, string cameraName, string command, CancellationToken cancellationToken) =>
        AddAsync(new AuditEntry { At = clock.GetUtcNow(), UserName = userName, Action = AuditAction.Command, CameraId = cameraId, CameraName = cameraName, Detail = command }, cancellationToken);

    private async Task AddAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        entry.UserName = Clip(entry.UserName, 256);
        entry.CameraName = Clip(entry.CameraName, 100);
        entry.Detail = Clip(entry.Detail, 200);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
            db.AuditEntries.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // The action itself already happened; losing its audit line is logged, never thrown at the user.
            LogNotWritten(logger, entry.UserName, entry.Action, entry.CameraName, e.Message);
        }
    }

    /// <summary>Newest first, optionally one user's or one camera's, at most <paramref name="take"/> lines.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? userName, int? cameraId, AuditAction? action, int take, CancellationToken cancellationToken)
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
        return await query.OrderByDescending(e => e.Id).Take(Math.Clamp(take, 1, 1000)).ToListAsync(cancellationToken);
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(EventId = 410, Level = LogLevel.Error, Message = "Audit line not written ({User} {Action} {Camera}): {Error}")]
    private static partial void LogNotWritten(ILogger logger, string user, AuditAction action, string camera, string error);
}
