using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Users;

namespace NvrBlazor.Web.Cameras;

public sealed record CameraCounters(long FramesReceived, long BytesReceived, long NotJpeg, long NoTimestamp, long OversizedMessages, long BrokenJson);

public sealed record CameraDto(
    int Id, string Name, string? HostName, CameraKind Kind, CameraState State, bool Online,
    double Fps, double KilobitsPerSecond, int? Width, int? Height, DateTimeOffset? LastSeen, string? RemoteAddress,
    bool Motion, CameraCounters Counters);

public sealed record CameraStateChange(CameraState State);

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

    private static async Task<Results<Ok<CameraDto>, NotFound>> GetAsync(int id, CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var camera = await registry.FindAsync(id, cancellationToken);
        return camera is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(camera, hub.Find(id), clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<CameraDto>, NotFound>> SetStateAsync(
        int id, CameraStateChange change, HttpContext context, CameraRegistry registry, CameraHub hub, TimeProvider clock, CancellationToken cancellationToken)
    {
        var camera = await registry.SetStateAsync(id, change.State, context.User.Identity?.Name ?? "?", cancellationToken);
        return camera is null ? TypedResults.NotFound() : TypedResults.Ok(ToDto(camera, hub.Find(id), clock.GetUtcNow()));
    }

    private static CameraDto ToDto(Camera camera, CameraLive? live, DateTimeOffset now)
    {
        var (fps, kbps) = live?.Rates(now) ?? (0, 0);
        var size = FrameSizes.FromStatus(live?.Status.GetValueOrDefault("framesize"));
        var counters = live?.Counters;
        return new CameraDto(
            camera.Id, camera.Name, camera.HostName, camera.Kind, camera.State, live?.Online ?? false,
            Math.Round(fps, 1), Math.Round(kbps, 1), size?.Width ?? camera.Width, size?.Height ?? camera.Height,
            live?.LastFrame?.ReceivedAt ?? camera.LastSeenAt, live?.RemoteAddress ?? camera.LastRemoteAddress, live?.Motion ?? false,
            new CameraCounters(counters?.FramesReceived ?? 0, counters?.BytesReceived ?? 0, counters?.NotJpeg ?? 0,
                counters?.NoTimestamp ?? 0, counters?.OversizedMessages ?? 0, counters?.BrokenJson ?? 0));
    }
}
