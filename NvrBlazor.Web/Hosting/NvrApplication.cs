using NvrBlazor.Web.CameraAdmin;
using NvrBlazor.Web.Pull;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Clips;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Detection;
using NvrBlazor.Web.Health;
using NvrBlazor.Web.Ingest;
using NvrBlazor.Web.Shell;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Live;
using NvrBlazor.Web.Metrics;
using NvrBlazor.Web.Notifications;
using NvrBlazor.Web.Recording;
using NvrBlazor.Web.Retention;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Web.Hosting;

/// <summary>The composition root: each capability registers its services and maps its endpoints here.</summary>
public static class NvrApplication
{
    /// <summary>Builds the app, prepares folders and database, creates the first admin. Null when it cannot start (the reason is logged).</summary>
    public static async Task<WebApplication?> CreateAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(NvrApplication).Assembly.GetName().Name,
            // The published app's CSS and JS live beside it, wherever it is started from (the default, the
            // working directory's wwwroot, served every asset as an empty 200 when started elsewhere).
            // A plain build has no wwwroot beside it: UseStaticWebAssets serves the project's.
            WebRootPath = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? Path.Combine(AppContext.BaseDirectory, "wwwroot") : null,
        });
        // Serves package assets (MudBlazor's CSS/JS, the Blazor script) from a plain build too, not only after publish; a no-op when published.
        builder.WebHost.UseStaticWebAssets();
        using var startupLogs = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
        var startupLog = startupLogs.CreateLogger("NvrBlazor.Startup");

        try
        {
            var folders = StorageFolders.Prepare(builder.Configuration, builder.Environment.ContentRootPath);
            Recording.FfmpegPipes.Sweep(Path.GetTempPath(), startupLog);
            builder.AddNvrEndpoints(folders, startupLog);
            builder.Services.AddSingleton(folders);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddNvrData(folders);
            builder.Services.AddUsers(builder.Configuration, folders);
            builder.Services.AddHealth();
            builder.Services.AddMetrics(builder.Configuration);
            builder.Services.AddIngest(builder.Configuration);
            builder.Services.AddPull();
            builder.Services.AddLive();
            builder.Services.AddRecording(builder.Configuration);
            builder.Services.AddDetection(builder.Configuration, folders);
            builder.Services.AddClips();
            builder.Services.AddRetention(builder.Configuration, folders);
            builder.Services.AddNotifications(builder.Configuration);
            builder.Services.AddCamerasJson();
            builder.Services.AddOpenApi();
            builder.Services.AddShell();

            var app = builder.Build();
            await app.Services.MigrateDatabaseAsync();
            await using (var scope = app.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<FirstRunAdmin>().EnsureAsync();
            _ = app.Services.GetRequiredService<FfmpegProbe>().GetAsync();

            app.UseNvrErrorResponses();
            app.UseSecurityHeaders();
            app.UseSameOriginWrites();
            // Routing after the status-code pages: a re-executed "/not-found" is routed again (with the implicit
            // routing at the very start, the unknown address kept its empty match and answered a bare 404).
            app.UseRouting();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UsePasswordChangeGate();
            app.UseAntiforgery();

            app.MapHealth();
            app.MapNvrMetrics();
            app.MapAccountEndpoints();
            app.MapApiKeysApi();
            app.MapIngest();
            app.MapNvrIngest();
            app.MapLive();
            app.MapMjpegApi();
            app.MapGrantsApi();
            app.MapAuditApi();
            app.MapCamerasApi();
            app.MapPresetsApi();
            app.MapRecordingApi();
            app.MapZonesApi();
            app.MapClipsApi();
            app.MapRetentionApi();
            app.MapNotificationsApi();
            // The API description, for signed-in users (the fallback policy): /openapi/v1.json.
            app.MapOpenApi();
            app.MapShell();
            return app;
        }
        catch (StartupException e)
        {
            startupLog.LogCritical("NvrBlazor cannot start: {Reason}", e.Message);
            return null;
        }
    }
}
