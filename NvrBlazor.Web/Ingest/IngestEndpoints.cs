using System.Threading.RateLimiting;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Ingest;

public static class IngestEndpoints
{
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Nvr:Ingest").Get<IngestOptions>() ?? new IngestOptions();
        services.AddSingleton(options);
        services.AddSingleton<CameraHub>();
        services.AddSingleton<CameraRegistry>();
        services.AddSingleton<IngestLogThrottle>();
        services.AddRateLimiter(limiter =>
        {
            // Thousands of connects a second from one address must not cost more than a 429 each.
            limiter.AddPolicy(ConnectPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.ConnectBurst),
                    TokensPerPeriod = Math.Max(1, options.ConnectsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                var services = context.HttpContext.RequestServices;
                services.GetRequiredService<ServerCounters>().ConnectRefused();
                var address = context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (services.GetRequiredService<IngestLogThrottle>().Allow($"connects:{address}", services.GetRequiredService<TimeProvider>().GetUtcNow(), out var held))
                {
                    services.GetRequiredService<ILoggerFactory>().CreateLogger("NvrBlazor.Ingest")
                        .LogWarning("Too many camera connection attempts from {Address}: refused with 429 (Nvr:Ingest:ConnectBurst, Nvr:Ingest:ConnectsPerSecond; {Held} more in the last minute).", address, held);
                }
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }

    private const string ConnectPolicy = "camera-connects";

    /// <summary>
    /// /ws: the ESP32 firmware's fixed path. Anonymous by necessity (the camera cannot send
    /// credentials); admission is decided per camera by the registry (pending until approved).
    /// </summary>
    public static IEndpointConventionBuilder MapIngest(this WebApplication app)
    {
        app.UseWebSockets();
        app.UseRateLimiter();
        return app.Map("/ws", async (HttpContext context, CameraRegistry registry, CameraHub hub, IngestOptions options, IngestLogThrottle throttle, TimeProvider clock, ILoggerFactory logs, IHostApplicationLifetime lifetime) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("/ws is the camera WebSocket endpoint (ws://<server>:9090/ws).");
                return;
            }
            // The ESP32 firmware never sends Origin; browsers always do. A web page must not pose as a camera.
            if (context.Request.Headers.Origin.Count > 0)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("/ws is for ESP32 cameras; a request from a web page (it carries an Origin header) is refused.");
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = new CameraSession(socket, CameraProtocol.Esp32, null, context.Connection.RemoteIpAddress?.ToString(), registry, hub, options, throttle, clock, logs.CreateLogger<CameraSession>());
            // A stopping server ends its camera connections at once (cameras reconnect by themselves): the host must not wait out its shutdown timeout on them.
            using var untilStopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            await session.RunAsync(untilStopping.Token);
        }).AllowAnonymous().RequireRateLimiting(ConnectPolicy).ExcludeFromDescription();
    }

    /// <summary>
    /// /ingest: NvrBlazor's own camera protocol (docs/protocol.md). An agent shows its token
    /// (?token=...); the browser publishing page shows a signed-in Admin's cookie and names a browser
    /// camera (?camera=id). Refusals happen before the WebSocket opens: 401 unknown, 403 not allowed.
    /// </summary>
    public static IEndpointConventionBuilder MapNvrIngest(this WebApplication app) =>
        app.Map("/ingest", async (HttpContext context, CameraRegistry registry, CameraHub hub, IngestOptions options, IngestLogThrottle throttle, TimeProvider clock, ILoggerFactory logs, IHostApplicationLifetime lifetime) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("/ingest is the NvrBlazor camera WebSocket endpoint; see docs/protocol.md.");
                return;
            }
            var (camera, status) = await AuthenticateAsync(context, registry);
            if (camera is null)
            {
                context.Response.StatusCode = status;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = new CameraSession(socket, CameraProtocol.Nvr, camera, context.Connection.RemoteIpAddress?.ToString(), registry, hub, options, throttle, clock, logs.CreateLogger<CameraSession>());
            // A stopping server ends its camera connections at once (cameras reconnect by themselves): the host must not wait out its shutdown timeout on them.
            using var untilStopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            await session.RunAsync(untilStopping.Token);
        }).AllowAnonymous().RequireRateLimiting(ConnectPolicy).ExcludeFromDescription();

    private static async Task<(Camera? Camera, int Status)> AuthenticateAsync(HttpContext context, CameraRegistry registry)
    {
        Camera? camera = null;
        if (context.Request.Query["token"].ToString() is { Length: > 0 } token)
        {
            camera = await registry.FindByTokenAsync(token, context.RequestAborted);
            if (camera is null)
                return (null, StatusCodes.Status401Unauthorized);
        }
        else if (int.TryParse(context.Request.Query["camera"], out var id))
        {
            if (context.User.Identity?.IsAuthenticated != true)
                return (null, StatusCodes.Status401Unauthorized);
            if (!context.User.IsInRole(NvrBlazor.Domain.Users.Roles.Admin) || !SameOrigin.Allows(context.Request))
                return (null, StatusCodes.Status403Forbidden);
            camera = await registry.FindAsync(id, context.RequestAborted);
            if (camera is not { Kind: CameraKind.Browser })
                return (null, StatusCodes.Status404NotFound);
        }
        else
        {
            return (null, StatusCodes.Status401Unauthorized);
        }
        return camera.State == CameraState.Disabled ? (null, StatusCodes.Status403Forbidden) : (camera, StatusCodes.Status200OK);
    }
}

/// <summary>One warning a minute per camera or address and kind of trouble (see OncePerInterval).</summary>
public sealed class IngestLogThrottle
{
    private readonly OncePerInterval once = new(TimeSpan.FromMinutes(1));

    public bool Allow(string key, DateTimeOffset now, out int held) => once.Allow(key, now, out held);
}
