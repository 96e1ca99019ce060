using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Web.Live;

/// <summary>The live page's column count, kept per user in AspNetUsers.LiveColumns (0 = auto, 1 to 4).</summary>
public sealed class LiveLayoutPreference(IDbContextFactory<NvrDbContext> databases)
{
    public static readonly IReadOnlyList<int> Choices = [0, 1, 2, 3, 4];

    public async Task<int> GetAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var columns = await db.Users.Where(u => u.Id == id).Select(u => (int?)u.LiveColumns).FirstOrDefaultAsync(cancellationToken);
        return Choices.Contains(columns ?? 0) ? columns ?? 0 : 0;
    }

    public async Task SetAsync(ClaimsPrincipal user, int columns, CancellationToken cancellationToken)
    {
        if (!Choices.Contains(columns))
            return;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(set => set.SetProperty(u => u.LiveColumns, columns), cancellationToken);
    }
}
