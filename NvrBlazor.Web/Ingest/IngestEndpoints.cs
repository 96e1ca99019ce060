using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Ingest;

public static class IngestEndpoints
{
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Nvr:Ingest").Get<IngestOptions>() ?? new IngestOptions());
        services.AddSingleton<CameraHub>();
        services.AddSingleton<CameraRegistry>();
        return services;
    }

    /// <summary>
    /// /ws: the ESP32 firmware's fixed path. Anonymous by necessity (the camera cannot send
    /// credentials); admission is decided per camera by the registry (pending until approved).
    /// </summary>
    public static IEndpointConventionBuilder MapIngest(this WebApplication app)
    {
        app.UseWebSockets();
        return app.Map("/ws", async (HttpContext context, CameraRegistry registry, CameraHub hub, IngestOptions options, TimeProvider clock, ILoggerFactory logs) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("/ws is the camera WebSocket endpoint (ws://<server>:9090/ws).");
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = new Esp32Session(socket, context.Connection.RemoteIpAddress?.ToString(), registry, hub, options, clock, logs.CreateLogger<Esp32Session>());
            await session.RunAsync(context.RequestAborted);
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
