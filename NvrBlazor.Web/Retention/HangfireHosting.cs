using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.Dashboard;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage.SQLite;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Retention;

/// <summary>
/// Hangfire in this process: job storage in its own SQLite file (data/jobs.db) whose workers are woken by every
/// job queued in this process (<see cref="WakingJobQueueProvider"/>), so a queued run starts at once without a
/// poll every second; two workers (the two housekeeping jobs; they take turns through the gate), two more for
/// notification deliveries and their retries; and the dashboard under /admin/hangfire for Admins.
/// </summary>
public static class HangfireHosting
{
    public const string DashboardPath = "/admin/hangfire";
    /// <summary>How often a worker reads its queue when no enqueue in this process woke it (<see cref="WakingJobQueueProvider"/>).</summary>
    private static readonly TimeSpan QueueFallbackPoll = TimeSpan.FromSeconds(15);
    /// <summary>How often due notification retries are moved to their queue.</summary>
    private static readonly TimeSpan RetryPoll = TimeSpan.FromSeconds(1);

    public static IServiceCollection AddHousekeepingHangfire(this IServiceCollection services, StorageFolders folders)
    {
        services.AddHttpContextAccessor();
        services.AddHangfire((provider, configuration) =>
        {
            var storageOptions = new SQLiteStorageOptions { QueuePollInterval = QueueFallbackPoll };
            var storage = configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseSQLiteStorage(folders.JobsDatabasePath, storageOptions)
                .Entry;
            storage.QueueProviders.Add(new WakingJobQueueProvider(storageOptions), [EnqueuedState.DefaultQueue, Notifications.NotificationSender.Queue]);
            configuration.UseFilter(new RequesterStamp(provider.GetRequiredService<IHttpContextAccessor>()));
        });
        services.AddHangfireServer(server =>
        {
            server.WorkerCount = 2;
            server.ServerName = "nvrblazor";
            // Jobs stop at once on shutdown (they watch the token); this only bounds a job that does not.
            server.ShutdownTimeout = TimeSpan.FromSeconds(10);
        });
        // Notification deliveries have their own workers, so a housekeeping run never delays a push. The server is
        // only those workers (no schedulers of its own, which would poll the storage every second for nothing) and
        // one scheduler that moves due retries to the queue every second (the other server's, every 15 s, would make
        // "retried after 2 s" take up to 17). Built as AddHangfireServer builds a server: its overload that takes a
        // process of our own wants the storage before the container exists.
        services.AddTransient<IHostedService>(provider => new BackgroundJobServerHostedService(
            provider.GetRequiredService<JobStorage>(),
            new BackgroundJobServerOptions
            {
                WorkerCount = 2,
                ServerName = "nvrblazor-notifications",
                Queues = [Notifications.NotificationSender.Queue],
                IsLightweightServer = true,
                ShutdownTimeout = TimeSpan.FromSeconds(5),
                Activator = provider.GetService<JobActivator>(),
                FilterProvider = provider.GetService<IJobFilterProvider>(),
                TimeZoneResolver = provider.GetService<ITimeZoneResolver>(),
            },
            [new DelayedJobScheduler(RetryPoll)],
            provider.GetService<IHostApplicationLifetime>()));
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
