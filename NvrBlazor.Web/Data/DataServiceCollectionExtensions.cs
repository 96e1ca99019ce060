using Microsoft.EntityFrameworkCore;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddNvrData(this IServiceCollection services, StorageFolders folders)
    {
        // The factory also registers NvrDbContext as scoped (Identity uses that); components and singletons create short-lived contexts from it.
        services.AddDbContextFactory<NvrDbContext>(options => options.UseSqlite($"Data Source={folders.DatabasePath}"));
        return services;
    }

    /// <summary>Creates or upgrades the schema. WAL lets the UI read while ingest and jobs write.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NvrDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
