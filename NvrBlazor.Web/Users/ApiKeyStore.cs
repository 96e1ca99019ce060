using Microsoft.EntityFrameworkCore;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Web.Users;

/// <summary>A user's own API keys: list, create (the key is returned once, only its hash is kept), revoke.</summary>
public sealed class ApiKeyStore(IDbContextFactory<NvrDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    public const int MaxKeysPerUser = 20;
    public const int MaxNameLength = 100;

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId).ToListAsync(cancellationToken);
        return [.. keys.OrderBy(k => k.Created)];
    }

    /// <summary>The new key (shown to its owner once), or why none was made.</summary>
    public async Task<(ApiKey? Row, string? Key, string? Error)> CreateAsync(string userId, string userName, string? name, CancellationToken cancellationToken)
    {
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
            return (null, null, $"Give the key a name of 1 to {MaxNameLength} characters (what uses it: \"Home Assistant\", \"garage script\").");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.ApiKeys.Where(k => k.UserId == userId).Select(k => k.Name).ToListAsync(cancellationToken);
        if (existing.Count >= MaxKeysPerUser)
            return (null, null, $"You have {existing.Count} keys, the most a user may have: revoke one you no longer use.");
        if (existing.Contains(name, StringComparer.OrdinalIgnoreCase))
            return (null, null, $"You already have a key named \"{name}\": choose another name.");

        var (key, hash) = ApiKeyText.Create();
        var row = new ApiKey { UserId = userId, Name = name, Shown = ApiKeyText.Shown(key), Hash = hash, Created = clock.GetUtcNow() };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AdminAsync(userName, AuditAction.ApiKey, $"created key \"{name}\" ({row.Shown}…)", cancellationToken);
        return (row, key, null);
    }

    public async Task<bool> RevokeAsync(string userId, string userName, int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.UserId == userId, cancellationToken);
        if (row is null)
            return false;
        db.ApiKeys.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AdminAsync(userName, AuditAction.ApiKey, $"revoked key \"{row.Name}\" ({row.Shown}…)", cancellationToken);
        return true;
    }
}
