using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Hangfire.Client;
using Hangfire.Dashboard;
using Hangfire.Storage.SQLite;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// Hangfire in this process: job storage in its own SQLite file (data/jobs.db) polled every second, so a
/// queued run starts at once; two workers (the two housekeeping jobs; they take turns through the gate), two
/// more for notification deliveries and their retries; and the dashboard under /admin/hangfire for Admins.
/// </summary>
public static class HangfireHosting
{
    public const string DashboardPath = "/admin/hangfire";

    public static IServiceCollection AddHousekeepingHangfire(this IServiceCollection services, StorageFolders folders)
    {
        services.AddHttpContextAccessor();
        services.AddHangfire((provider, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseSQLiteStorage(folders.JobsDatabasePath, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) })
            .UseFilter(new RequesterStamp(provider.GetRequiredService<IHttpContextAccessor>())));
        services.AddHangfireServer(server =>
        {
            server.WorkerCount = 2;
            server.ServerName = "nvrblazor";
            // Jobs stop at once on shutdown (they watch the token); this only bounds a job that does not.
            server.ShutdownTimeout = TimeSpan.FromSeconds(10);
        });
        // Notification deliveries have their own workers, so a housekeeping run never delays a push, and look for
        // retries that are due every second (the default, 15 s, would make "retried after 2 s" take 15).
        services.AddHangfireServer(server =>
        {
            server.WorkerCount = 2;
            server.ServerName = "nvrblazor-notifications";
            server.Queues = [Notifications.NotificationSender.Queue];
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            server.ShutdownTimeout = TimeSpan.FromSeconds(5);
        });
        return services;
    }

    /// <summary>The dashboard for Admins: the endpoint requires the Admin role, and so does the dashboard's own filter.</summary>
    public static void MapHousekeepingDashboard(this WebApplication app) =>
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new AdminsOnly()],
            AppPath = "/admin/jobs",
            DashboardTitle = "NvrBlazor jobs",
            DisplayStorageConnectionString = false,
            DefaultRecordsPerPage = 20,
        }).RequireAuthorization(new AuthorizeAttribute { Roles = Roles.Admin });

    private sealed class AdminsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }
}

/// <summary>
/// Stamps a job created during a signed-in user's request (the dashboard's "Trigger now" or "Requeue") with
/// who asked, so the run history names them.
/// </summary>
public sealed class RequesterStamp(IHttpContextAccessor http) : IClientFilter
{
    public const string Parameter = "RequestedBy";

    public void OnCreating(CreatingContext context)
    {
        if (http.HttpContext?.User.Identity is { IsAuthenticated: true, Name: { } name })
            context.SetJobParameter(Parameter, name);
    }

    public void OnCreated(CreatedContext context)
    {
    }
}
