using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Domain.Users;
using NvrBlazor.Domain.Zones;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.CameraAdmin;

/// <summary>
/// A camera's masks and zones as the API takes and gives them: polygons with corners as fractions of the picture
/// (docs/detection.md, "Zones and masks"). <paramref name="Problem"/>: set when the stored zones could not be read.
/// </summary>
public sealed record ZonesDto(IReadOnlyList<ZoneArea>? Masks, IReadOnlyList<ZoneArea>? Zones, string? Problem = null)
{
    public static ZonesDto Of(CameraZones zones, string? problem = null) => new(zones.Masks, zones.Zones, problem);
}

/// <summary>/api/cameras/{id}/zones: read and replace a camera's masks and zones (Admin).</summary>
public static class ZonesApi
{
    public static RouteGroupBuilder MapZonesApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/cameras/{id:int}").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        group.MapGet("/zones", GetAsync);
        group.MapPut("/zones", PutAsync).DisableAntiforgery();
        return group;
    }

    private static async Task<Results<Ok<ZonesDto>, NotFound>> GetAsync(int id, CameraRegistry registry, CancellationToken cancellationToken)
    {
        if (await registry.FindAsync(id, cancellationToken) is not { } camera)
            return TypedResults.NotFound();
        var zones = CameraZones.Parse(camera.Zones, out var problem);
        return TypedResults.Ok(ZonesDto.Of(zones, problem));
    }

    private static async Task<Results<Ok<ZonesDto>, NotFound, BadRequest<ProblemMessage>>> PutAsync(
        int id, ZonesDto body, HttpContext context, CameraRegistry registry, CancellationToken cancellationToken)
    {
        if (CameraZones.From(body.Masks, body.Zones, out var problem) is not { } zones)
            return TypedResults.BadRequest(new ProblemMessage(problem!));
        if (!await registry.SetZonesAsync(id, zones, context.User.Identity?.Name ?? "?", cancellationToken))
            return TypedResults.NotFound();
        return TypedResults.Ok(ZonesDto.Of(zones));
    }
}
