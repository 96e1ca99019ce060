using NvrBlazor.Web.Cameras;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Live;

namespace NvrBlazor.Web.CameraAdmin;

/// <summary>A camera's frame counters since the server started (the same figures /metrics exports).</summary>
public sealed record CameraCounters(
    long FramesReceived, long BytesReceived, long NotJpeg, long NoTimestamp, long OversizedMessages, long BrokenJson, long DroppedOverMaxFps,
    long FramesDelivered, long DroppedForViewers, long DroppedByRecorder, long Viewers);

public sealed record CameraDto(
    int Id, string Name, string? HostName, CameraKind Kind, CameraState State, bool Online,
    double Fps, double KilobitsPerSecond, int? Width, int? Height, DateTimeOffset? LastSeen, string? RemoteAddress,
    bool Motion, CameraCounters Counters, NvrBlazor.Domain.Recording.RecordingMode RecordingMode, bool RecordingNow,
    CameraAddressPolicy AddressPolicy, string? PendingReason, PullDto? Pull = null);

/// <summary>A pull camera's source as an admin set it: never its password (hasLogin says whether one is stored); error: why the last pull failed.</summary>
public sealed record PullDto(NvrBlazor.Domain.Pull.PullKind Kind, string Url, double Fps, int? Width, bool HasLogin, string? Error);

/// <summary>
/// A pull camera's source. user null: keep the stored login (editing); "" : none. A user and password in the URL are
/// moved out of it.
/// </summary>
public sealed record PullInput(NvrBlazor.Domain.Pull.PullKind Kind, string? Url, double? Fps = null, int? Width = null, string? User = null, string? Password = null);

/// <summary>Where an approved ESP32 camera may reconnect from: sameSubnet (default) or any.</summary>
public sealed record AddressPolicyChange(CameraAddressPolicy Policy);

public sealed record CameraStateChange(CameraState State);

public sealed record CameraCommand(string? Command, IReadOnlyList<int>? CameraIds = null);

public sealed record NewCamera(string? Name, CameraKind Kind, PullInput? Pull = null);

/// <summary>The token is in this answer and nowhere else, ever: it is stored only as a hash. A pull camera has neither token nor connect address.</summary>
public sealed record CameraCreated(CameraDto Camera, string? Token, string? ConnectUrl);

public sealed record CommandQueued(IReadOnlyList<int> CameraIds, string Command);

/// <summary>One camera with its status fields and the last messages sent and received.</summary>
public sealed record CameraDetailDto(CameraDto Camera, IReadOnlyDictionary<string, string> Status, IReadOnlyList<CameraLogEntry> Log);

/// <summary>
/// /api/cameras. Reading (list, one camera, snapshot) is for every signed-in user and shows only the
/// cameras they may see (CameraAccess); a camera that is not theirs is 404, exactly like one that does
/// not exist. Changing anything and sending commands is for Admins.
/// </summary>
public static class CamerasApi
{
    public static RouteGroupBuilder MapCamerasApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/cameras").RequireAuthorization();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:int}", GetAsync);
        group.MapGet("/{id:int}/snapshot", SnapshotAsync);

        var admin = group.MapGroup("").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        admin.MapPut("/{id:int}/state", SetStateAsync).DisableAntiforgery();
        admin.MapPut("/{id:int}/address-policy", SetAddressPolicyAsync).DisableAntiforgery()
            .WithSummary("Where an approved ESP32 camera may reconnect from: {\"policy\":\"sameSubnet\"} (its last address's /24; outside it, back to pending) or \"any\".");
        admin.MapPost("/{id:int}/commands", SendAsync).DisableAntiforgery();
        admin.MapPost("/commands", BroadcastAsync).DisableAntiforgery();
        admin.MapPost("/", CreateAsync).DisableAntiforgery();
        admin.MapPost("/{id:int}/token", RotateTokenAsync).DisableAntiforgery();
        admin.MapPut("/{id:int}/pull", SetPullAsync).DisableAntiforgery()
            .WithSummary("A pull camera's source: {\"kind\":\"mjpeg|snapshot|rtsp\",\"url\",\"fps\",\"width\" (RTSP),\"user\",\"password\"}; user omitted keeps the stored login.");
        admin.MapDelete("/{id:int}", DeleteAsync).DisableAntiforgery();
        return group;
    }

    public static void AddCamerasJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));

    private static async Task<Ok<List<CameraDto>>> ListAsync(HttpContext context, CameraAccess access, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var cameras = await access.VisibleAsync(await access.RightsAsync(context.User, cancellationToken), cancellationToken);
        return TypedResults.Ok(cameras.Select(c => ToDto(c, hub.Find(c.Id), clock.GetUtcNow())).ToList());
    }

    /// <summary>One camera with its status; the message log (commands and answers) is for Admins only.</summary>
    private static async Task<Results<Ok<CameraDetailDto>, NotFound>> GetAsync(int id, HttpContext context, CameraAccess access, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await access.VisibleCameraAsync(context.User, id, cancellationToken) is not { } camera)
            return TypedResults.NotFound();
        var live = hub.Find(id);
        var log = context.User.IsInRole(Roles.Admin) ? live?.Log ?? [] : [];
        return TypedResults.Ok(new CameraDetailDto(ToDto(camera, live, clock.GetUtcNow()),
            live?.Status ?? new Dictionary<string, string>(), log));
    }

    private static async Task<Results<Created<CameraCreated>, BadRequest<ProblemMessage>>> CreateAsync(
        NewCamera body, HttpContext context, CameraRegistry registry, NvrBlazor.Web.Pull.PullCredentials credentials, TimeProvider clock, CancellationToken cancellationToken)
    {
        var name = body.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
            return TypedResults.BadRequest(new ProblemMessage("A camera name has 1 to 100 characters."));
        if (body.Kind == CameraKind.Esp32)
            return TypedResults.BadRequest(new ProblemMessage("ESP32 cameras add themselves by connecting to /ws; create 'agent' (token), 'browser' or 'pull' cameras here."));
        if (body.Kind == CameraKind.Pull)
        {
            if (body.Pull is null)
                return TypedResults.BadRequest(new ProblemMessage("A pull camera needs \"pull\": {\"kind\": \"mjpeg\", \"url\": \"http://192.168.1.50:81/stream\"}."));
            var input = ParsePull(body.Pull);
            if (input.Problem is not null)
                return TypedResults.BadRequest(new ProblemMessage(input.Problem));
            var pulled = await registry.CreatePullAsync(name, input.Source!, credentials.Protect(input.User, input.Password), Actor(context), cancellationToken);
            return TypedResults.Created($"/api/cameras/{pulled.Id}", new CameraCreated(ToDto(pulled, null, clock.GetUtcNow()), null, null));
        }
        var (camera, token) = await registry.CreateAsync(name, body.Kind, Actor(context), cancellationToken);
        return TypedResults.Created($"/api/cameras/{camera.Id}",
            new CameraCreated(ToDto(camera, null, clock.GetUtcNow()), token, ConnectUrl(context.Request, camera.Id, token)));
    }

    public static NvrBlazor.Domain.Pull.PullSourceInput ParsePull(PullInput input) =>
        NvrBlazor.Domain.Pull.PullSource.Parse(input.Kind, input.Url, input.Fps, input.Width, input.User, input.Password);

    private static async Task<Results<Ok<CameraDto>, NotFound, BadRequest<ProblemMessage>>> SetPullAsync(
        int id, PullInput body, HttpContext context, CameraRegistry registry, NvrBlazor.Web.Pull.PullCredentials credentials, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var input = ParsePull(body);
        if (input.Problem is not null)
            return TypedResults.BadRequest(new ProblemMessage(input.Problem));
        // A login typed into the URL counts as typed, even when the user field was left out.
        var keepLogin = body.User is null && input.User is null;
        var camera = await registry.SetPullAsync(id, input.Source!, credentials.Protect(input.User, input.Password), keepLogin, Actor(context), cancellationToken);
        return camera is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(camera, hub.Find(id), clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<CameraCreated>, NotFound>> RotateTokenAsync(
        int id, HttpContext context, CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var token = await registry.RotateTokenAsync(id, Actor(context), cancellationToken);
        if (token is null || await registry.FindAsync(id, cancellationToken) is not { } camera)
            return TypedResults.NotFound();
        return TypedResults.Ok(new CameraCreated(ToDto(camera, hub.Find(id), clock.GetUtcNow()), token, ConnectUrl(context.Request, id, token)));
    }

    /// <summary>Deletes the camera; its clips are kept unless ?deleteClips=true.</summary>
    private static async Task<Results<NoContent, NotFound>> DeleteAsync(int id, HttpContext context, CameraRegistry registry, NvrBlazor.Web.Recording.ClipStore clips, CancellationToken cancellationToken, bool deleteClips = false) =>
        await registry.DeleteAsync(id, Actor(context), deleteClips ? clips.DeleteAllOfCameraAsync : null, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

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

    /// <summary>The camera's last frame as received (for an Admin also a pending camera: it is how one is previewed before approval).</summary>
    private static async Task<Results<FileContentHttpResult, NotFound>> SnapshotAsync(int id, HttpContext context, CameraAccess access, CameraHub hub, CancellationToken cancellationToken)
    {
        if (await access.VisibleCameraAsync(context.User, id, cancellationToken) is null || hub.Find(id)?.LastFrame is not { } frame)
            return TypedResults.NotFound();
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(frame.Jpeg, "image/jpeg");
    }

    /// <summary>Queues a command for one online camera; it is sent when the camera's command slot is free.</summary>
    private static async Task<Results<Accepted<CommandQueued>, NotFound, Conflict<ProblemMessage>, BadRequest<ProblemMessage>>> SendAsync(
        int id, CameraCommand body, HttpContext context, CameraControl control, CancellationToken cancellationToken)
    {
        var result = await control.SendAsync(Actor(context), id, body.Command, cancellationToken);
        return result.Outcome switch
        {
            CommandOutcome.Queued => TypedResults.Accepted($"/api/cameras/{id}", new CommandQueued([id], body.Command!.Trim())),
            CommandOutcome.Invalid => TypedResults.BadRequest(new ProblemMessage(result.Problem!)),
            CommandOutcome.Offline => TypedResults.Conflict(new ProblemMessage(result.Problem!)),
            _ => TypedResults.NotFound(),
        };
    }

    /// <summary>Queues a command for every online camera that is not disabled (or only those in cameraIds).</summary>
    private static async Task<Results<Accepted<CommandQueued>, BadRequest<ProblemMessage>>> BroadcastAsync(
        CameraCommand body, HttpContext context, CameraControl control, CancellationToken cancellationToken)
    {
        var (sent, problem) = await control.BroadcastAsync(Actor(context), body.CameraIds, body.Command, cancellationToken);
        return problem is not null
            ? TypedResults.BadRequest(new ProblemMessage(problem))
            : TypedResults.Accepted("/api/cameras", new CommandQueued(sent, body.Command!.Trim()));
    }

    private static string Actor(HttpContext context) => context.User.Identity?.Name ?? "?";

    private static async Task<Results<Ok<CameraDto>, NotFound>> SetStateAsync(
        int id, CameraStateChange change, HttpContext context, CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var camera = await registry.SetStateAsync(id, change.State, Actor(context), cancellationToken);
        return camera is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(camera, hub.Find(id), clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<CameraDto>, NotFound>> SetAddressPolicyAsync(
        int id, AddressPolicyChange change, HttpContext context, CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var camera = await registry.SetAddressPolicyAsync(id, change.Policy, Actor(context), cancellationToken);
        return camera is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(camera, hub.Find(id), clock.GetUtcNow()));
    }

    public static CameraDto ToDto(Camera camera, CameraLive? live, DateTimeOffset now)
    {
        var (fps, kbps) = live?.Rates(now) ?? (0, 0);
        var size = FrameSizes.FromStatus(live?.StatusValue("framesize"));
        var counters = live?.Counters;
        var viewers = live?.ViewerCounters;
        return new CameraDto(
            camera.Id, camera.Name, camera.HostName, camera.Kind, camera.State, live?.Online ?? false,
            Math.Round(fps, 1), Math.Round(kbps, 1),
            live?.FrameSize?.Width ?? size?.Width ?? camera.Width, live?.FrameSize?.Height ?? size?.Height ?? camera.Height,
            live?.LastFrame?.ReceivedAt ?? camera.LastSeenAt, live?.RemoteAddress ?? camera.LastRemoteAddress, live?.Motion ?? false,
            new CameraCounters(counters?.FramesReceived ?? 0, counters?.BytesReceived ?? 0, counters?.NotJpeg ?? 0,
                counters?.NoTimestamp ?? 0, counters?.OversizedMessages ?? 0, counters?.BrokenJson ?? 0, counters?.DroppedOverMaxFps ?? 0,
                viewers?.FramesDelivered ?? 0, viewers?.DroppedForViewers ?? 0, live?.Recorder.DroppedFrames ?? 0, viewers?.Viewers ?? 0),
            camera.RecordingMode, live?.Recording ?? false, camera.AddressPolicy, camera.PendingReason,
            camera.PullSource is { } pull ? new PullDto(pull.Kind, pull.Url, pull.Fps, pull.Width, camera.PullCredentials is not null, live?.SourceError) : null);
    }
}
