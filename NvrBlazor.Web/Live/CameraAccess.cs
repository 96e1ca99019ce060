using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Domain.Live;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Web.Live;

/// <summary>What one user may see, read fresh from the database (a role or grant changed a second ago counts now).</summary>
public sealed record ViewerRights(string UserId, string UserName, bool IsAdmin, bool AllCameras, IReadOnlySet<int> Granted)
{
    public bool CanView(Camera camera) => CameraAccessRules.CanView(IsAdmin, AllCameras, Granted.Contains(camera.Id), Standing(camera.State));

    public static CameraStanding Standing(CameraState state) => state switch
    {
        CameraState.Active => CameraStanding.Active,
        CameraState.Pending => CameraStanding.Pending,
        _ => CameraStanding.Disabled,
    };
}

/// <summary>The grants that decide which cameras a Viewer sees, and the checks every live, API and clip route makes with them.</summary>
public sealed partial class CameraAccess(IServiceScopeFactory scopes, CameraRegistry registry, AuditLog audit, PageUpdates updates, TimeProvider clock, ILogger<CameraAccess> logger)
{
    /// <summary>The signed-in user's rights, or null when the account no longer exists or is locked out.</summary>
    public async Task<ViewerRights?> RightsAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is null ? null : await RightsAsync(userId, cancellationToken);
    }

    public async Task<ViewerRights?> RightsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.UserName, u.AllCameras, u.LockoutEnd }).FirstOrDefaultAsync(cancellationToken);
        if (user is null || user.LockoutEnd > clock.GetUtcNow())
            return null;
        var isAdmin = await db.UserRoles.Where(r => r.UserId == userId)
            .Join(db.Roles, r => r.RoleId, role => role.Id, (_, role) => role.Name)
            .AnyAsync(name => name == Roles.Admin, cancellationToken);
        var granted = await db.CameraGrants.Where(g => g.UserId == userId).Select(g => g.CameraId).ToListAsync(cancellationToken);
        return new ViewerRights(userId, user.UserName ?? "?", isAdmin, user.AllCameras, granted.ToHashSet());
    }

    /// <summary>
    /// For a page's controls: the user name when the signed-in user is an Admin right now (read from the
    /// database, not from the circuit's possibly minute-old sign-in), otherwise null.
    /// </summary>
    public async Task<string?> CurrentAdminAsync(Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider authentication)
    {
        var rights = await RightsAsync((await authentication.GetAuthenticationStateAsync()).User, CancellationToken.None);
        return rights?.IsAdmin == true ? rights.UserName : null;
    }

    /// <summary>The cameras this user may see, by name.</summary>
    public async Task<IReadOnlyList<Camera>> VisibleAsync(ViewerRights? rights, CancellationToken cancellationToken) =>
        rights is null ? [] : (await registry.ListAsync(cancellationToken)).Where(rights.CanView).ToList();

    /// <summary>The camera if this user may see it; null both when it does not exist and when it is not theirs (no hint which).</summary>
    public async Task<Camera?> VisibleCameraAsync(ClaimsPrincipal principal, int cameraId, CancellationToken cancellationToken)
    {
        var camera = await registry.FindAsync(cameraId, cancellationToken);
        if (camera is null)
            return null;
        var rights = await RightsAsync(principal, cancellationToken);
        return rights?.CanView(camera) == true ? camera : null;
    }

    /// <summary>What an admin edits: the grants as stored, also for a locked account (whose rights are none while locked).</summary>
    public async Task<(bool AllCameras, IReadOnlySet<int> CameraIds)> GrantsAsync(string userId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var all = await db.Users.Where(u => u.Id == userId).Select(u => u.AllCameras).FirstOrDefaultAsync(cancellationToken);
        var ids = await db.CameraGrants.Where(g => g.UserId == userId).Select(g => g.CameraId).ToListAsync(cancellationToken);
        return (all, ids.ToHashSet());
    }

    /// <summary>For the users page: per user, whether they have all cameras and how many are granted one by one.</summary>
    public async Task<IReadOnlyDictionary<string, (bool AllCameras, int Granted)>> SummariesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var counts = await db.CameraGrants.GroupBy(g => g.UserId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var users = await db.Users.Select(u => new { u.Id, u.AllCameras }).ToListAsync(cancellationToken);
        return users.ToDictionary(u => u.Id, u => (u.AllCameras, counts.GetValueOrDefault(u.Id)));
    }

    /// <summary>Replaces a user's grants. Unknown camera ids are ignored (the camera was deleted meanwhile).</summary>
    public async Task<bool> SetGrantsAsync(string userId, bool allCameras, IReadOnlyCollection<int> cameraIds, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
            return false;
        var before = user.AllCameras ? "all cameras" : $"{await db.CameraGrants.CountAsync(g => g.UserId == userId, cancellationToken)} camera(s)";
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Cameras.Where(c => cameraIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        await db.CameraGrants.Where(g => g.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        db.CameraGrants.AddRange(existing.Distinct().Select(id => new CameraGrant { UserId = userId, CameraId = id }));
        user.AllCameras = allCameras;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var after = allCameras ? "all cameras" : $"{existing.Distinct().Count()} camera(s)";
        LogGrantsChanged(logger, actor, user.UserName ?? userId, after);
        var names = allCameras || existing.Count == 0 ? "" : ": " + string.Join(", ", await db.Cameras.Where(c => existing.Contains(c.Id)).OrderBy(c => c.Name).Select(c => c.Name).ToListAsync(cancellationToken));
        await audit.AdminAsync(actor, AuditAction.Grants, $"cameras of '{user.UserName}': {before} → {after}{names}", cancellationToken);
        updates.Changed(PageTopic.Cameras);
        return true;
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "{Actor} set the cameras of '{User}' to {What}.")]
    private static partial void LogGrantsChanged(ILogger logger, string actor, string user, string what);
}
