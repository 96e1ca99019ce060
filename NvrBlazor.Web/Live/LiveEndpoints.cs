using NvrBlazor.Web.Hosting;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Metrics;

namespace NvrBlazor.Web.Live;

public static class LiveEndpoints
{
    public const string SocketPath = "/live/socket";

    public static IServiceCollection AddLive(this IServiceCollection services)
    {
        services.AddSingleton<CameraAccess>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<CameraControl>();
        services.AddSingleton<LiveLayoutPreference>();
        return services;
    }

    /// <summary>
    /// The live socket: signed-in users only (the fallback policy answers 401 before the upgrade), and
    /// only from a page of this server (a cross-site page cannot ride the user's cookie to the video).
    /// </summary>
    public static IEndpointConventionBuilder MapLive(this WebApplication app) =>
        app.Map(SocketPath, async (HttpContext context, CameraAccess access, CameraRegistry registry, CameraHub hub, AuditLog audit, ServerCounters counters, TimeProvider clock, ILoggerFactory logs, IHostApplicationLifetime lifetime) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync($"{SocketPath} is the live video WebSocket of the live page; see docs/protocol.md.");
                return;
            }
            if (!SameOrigin.Allows(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var connection = new ViewerConnection(socket, context.User, access, registry, hub, audit, clock, logs.CreateLogger<ViewerConnection>());
            counters.LiveSocketOpened();
            try
            {
                // A stopping server ends live sockets at once (the page reconnects by itself) instead of waiting out the host's shutdown timeout.
                using var untilStopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
                await connection.RunAsync(untilStopping.Token);
            }
            finally
            {
                counters.LiveSocketClosed();
            }
        }).ExcludeFromDescription();
}
