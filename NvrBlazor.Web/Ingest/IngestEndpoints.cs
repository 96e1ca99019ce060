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
        return app.Map("/ws", async (HttpContext context, CameraRegistry registry, CameraHub hub, IngestOptions options, IngestLogThrottle throttle, TimeProvider clock, ILoggerFactory logs) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("/ws is the camera WebSocket endpoint (ws://<server>:9090/ws).");
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = new Esp32Session(socket, context.Connection.RemoteIpAddress?.ToString(), registry, hub, options, throttle, clock, logs.CreateLogger<Esp32Session>());
            await session.RunAsync(context.RequestAborted);
        }).AllowAnonymous().RequireRateLimiting(ConnectPolicy).ExcludeFromDescription();
    }
}

/// <summary>One warning a minute per camera or address and kind of trouble (see OncePerInterval).</summary>
public sealed class IngestLogThrottle
{
    private readonly OncePerInterval once = new(TimeSpan.FromMinutes(1));

    public bool Allow(string key, DateTimeOffset now, out int held) => once.Allow(key, now, out held);
}
