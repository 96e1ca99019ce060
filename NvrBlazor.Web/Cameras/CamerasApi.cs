using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Users;

namespace NvrBlazor.Web.Cameras;

public sealed record CameraCounters(long FramesReceived, long BytesReceived, long NotJpeg, long NoTimestamp, long OversizedMessages, long BrokenJson, long DroppedOverMaxFps);

public sealed record CameraDto(
    int Id, string Name, string? HostName, CameraKind Kind, CameraState State, bool Online,
    double Fps, double KilobitsPerSecond, int? Width, int? Height, DateTimeOffset? LastSeen, string? RemoteAddress,
    bool Motion, CameraCounters Counters);

public sealed record CameraStateChange(CameraState State);

public sealed record ProblemMessage(string Error);

public sealed record CameraCommand(string? Command);

public sealed record NewCamera(string? Name, CameraKind Kind);

/// <summary>The token is in this answer and nowhere else, ever: it is stored only as a hash.</summary>
public sealed record CameraCreated(CameraDto Camera, string? Token, string ConnectUrl);

public sealed record CommandQueued(IReadOnlyList<int> CameraIds, string Command);

/// <summary>One camera with its status fields and the last messages sent and received.</summary>
public sealed record CameraDetailDto(CameraDto Camera, IReadOnlyDictionary<string, string> Status, IReadOnlyList<CameraLogEntry> Log);

/// <summary>
/// /api/cameras. Admin only until per-user camera permissions exist (issue 4): until then a Viewer
/// must not learn which cameras there are.
/// </summary>
public static class CamerasApi
{
    public static RouteGroupBuilder MapCamerasApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/cameras").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapPut("/{id:int}/state", SetStateAsync).DisableAntiforgery();
        group.MapPost("/{id:int}/commands", SendAsync).DisableAntiforgery();
        group.MapPost("/commands", BroadcastAsync).DisableAntiforgery();
        group.MapGet("/{id:int}/snapshot", Snapshot);
        group.MapPost("/", CreateAsync).DisableAntiforgery();
        group.MapPost("/{id:int}/token", RotateTokenAsync).DisableAntiforgery();
        group.MapDelete("/{id:int}", DeleteAsync).DisableAntiforgery();
        return group;
    }

    public static void AddCamerasJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));

    private static async Task<Ok<List<CameraDto>>> ListAsync(CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var cameras = await registry.ListAsync(cancellationToken);
        return TypedResults.Ok(cameras.Select(c => ToDto(c, hub.Find(c.Id), clock.GetUtcNow())).ToList());
    }

    private static async Task<Results<Ok<CameraDetailDto>, NotFound>> GetAsync(int id, CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var camera = await registry.FindAsync(id, cancellationToken);
        if (camera is null)
            return TypedResults.NotFound();
        var live = hub.Find(id);
        return TypedResults.Ok(new CameraDetailDto(ToDto(camera, live, clock.GetUtcNow()),
            live?.Status ?? new Dictionary<string, string>(), live?.Log ?? []));
    }

    private static async Task<Results<Created<CameraCreated>, BadRequest<ProblemMessage>>> CreateAsync(
        NewCamera body, HttpContext context, CameraRegistry registry, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = body.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
            return TypedResults.BadRequest(new ProblemMessage("A camera name has 1 to 100 characters."));
        if (body.Kind == CameraKind.Esp32)
            return TypedResults.BadRequest(new ProblemMessage("ESP32 cameras add themselves by connecting to /ws; create 'agent' (token) or 'browser' cameras here."));
        var (camera, token) = await registry.CreateAsync(name, body.Kind, context.User.Identity?.Name ?? "?", cancellationToken);
        return TypedResults.Created($"/api/cameras/{camera.Id}",
            new CameraCreated(ToDto(camera, null, clock.GetUtcNow()), token, ConnectUrl(context.Request, camera.Id, token)));
    }

    private static async Task<Results<Ok<CameraCreated>, NotFound>> RotateTokenAsync(
        int id, HttpContext context, CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var token = await registry.RotateTokenAsync(id, context.User.Identity?.Name ?? "?", cancellationToken);
        if (token is null || await registry.FindAsync(id, cancellationToken) is not { } camera)
            return TypedResults.NotFound();
        return TypedResults.Ok(new CameraCreated(ToDto(camera, hub.Find(id), clock.GetUtcNow()), token, ConnectUrl(context.Request, id, token)));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(int id, HttpContext context, CameraRegistry registry, CancellationToken cancellationToken) =>
        await registry.DeleteAsync(id, context.User.Identity?.Name ?? "?", cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static string ConnectUrl(HttpRequest request, int cameraId, string? token) =>
        ConnectUrl(request.IsHttps, request.Host.ToString(), cameraId, token);

    /// <summary>Ready to paste into an agent: the address this admin reached the server by, with the token (a browser camera: its id).</summary>
    public static string ConnectUrl(bool https, string authority, int cameraId, string? token)
    {
        var scheme = https ? "wss" : "ws";
        return token is null
            ? $"{scheme}://{authority}/ingest?camera={cameraId}"
            : $"{scheme}://{authority}/ingest?token={token}";
    }

    /// <summary>The camera's last frame as received (admins only: it is also how a pending camera is previewed before approval).</summary>
    private static Results<FileContentHttpResult, NotFound> Snapshot(int id, CameraHub hub, HttpContext context)
    {
        if (hub.Find(id)?.LastFrame is not { } frame)
            return TypedResults.NotFound();
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(frame.Jpeg, "image/jpeg");
    }

    /// <summary>Queues a command for one online camera; it is sent when the camera's command slot is free.</summary>
    private static async Task<Results<Accepted<CommandQueued>, NotFound, Conflict<ProblemMessage>, BadRequest<ProblemMessage>>> SendAsync(
        int id, CameraCommand body, CameraRegistry registry, CameraHub hub, CancellationToken cancellationToken)
    {
        var command = body.Command?.Trim() ?? "";
        if (Esp32Commands.Validate(command) is { } refusal)
            return TypedResults.BadRequest(new ProblemMessage(refusal));
        if (await registry.FindAsync(id, cancellationToken) is null)
            return TypedResults.NotFound();
        if (hub.Find(id) is not { Online: true } live)
            return TypedResults.Conflict(new ProblemMessage("The camera is offline; commands are only sent to connected cameras."));
        live.EnqueueCommand(command);
        return TypedResults.Accepted($"/api/cameras/{id}", new CommandQueued([id], command));
    }

    /// <summary>Queues a command for every online camera that is not disabled.</summary>
    private static async Task<Results<Accepted<CommandQueued>, BadRequest<ProblemMessage>>> BroadcastAsync(
        CameraCommand body, CameraRegistry registry, CameraHub hub, CancellationToken cancellationToken)
    {
        var command = body.Command?.Trim() ?? "";
        if (Esp32Commands.Validate(command) is { } refusal)
            return TypedResults.BadRequest(new ProblemMessage(refusal));
        var sent = new List<int>();
        foreach (var camera in await registry.ListAsync(cancellationToken))
        {
            if (camera.State != CameraState.Disabled && hub.Find(camera.Id) is { Online: true } live)
            {
                live.EnqueueCommand(command);
                sent.Add(camera.Id);
            }
        }
        return TypedResults.Accepted("/api/cameras", new CommandQueued(sent, command));
    }

    private static async Task<Results<Ok<CameraDto>, NotFound>> SetStateAsync(
        int id, CameraStateChange change, HttpContext context, CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var camera = await registry.SetStateAsync(id, change.State, context.User.Identity?.Name ?? "?", cancellationToken);
        return camera is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(camera, hub.Find(id), clock.GetUtcNow()));
    }

    public static CameraDto ToDto(Camera camera, CameraLive? live, DateTimeOffset now)
    {
        var (fps, kbps) = live?.Rates(now) ?? (0, 0);
        var size = FrameSizes.FromStatus(live?.StatusValue("framesize"));
        var counters = live?.Counters;
        return new CameraDto(
            camera.Id, camera.Name, camera.HostName, camera.Kind, camera.State, live?.Online ?? false,
            Math.Round(fps, 1), Math.Round(kbps, 1),
            live?.FrameSize?.Width ?? size?.Width ?? camera.Width, live?.FrameSize?.Height ?? size?.Height ?? camera.Height,
            live?.LastFrame?.ReceivedAt ?? camera.LastSeenAt, live?.RemoteAddress ?? camera.LastRemoteAddress, live?.Motion ?? false,
            new CameraCounters(counters?.FramesReceived ?? 0, counters?.BytesReceived ?? 0, counters?.NotJpeg ?? 0,
                counters?.NoTimestamp ?? 0, counters?.OversizedMessages ?? 0, counters?.BrokenJson ?? 0, counters?.DroppedOverMaxFps ?? 0));
    }
}
