using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Web.Live;

public sealed record CameraGrants(bool AllCameras, IReadOnlyList<int>? CameraIds);

/// <summary>GET/PUT /api/users/{userName}/cameras (Admin): the same grants as Admin > Users, for scripts.</summary>
public static class GrantsApi
{
    public static RouteGroupBuilder MapGrantsApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/users/{userName}/cameras").RequireAuthorization(policy => policy.RequireRole(Roles.Admin));
        group.MapGet("/", GetAsync);
        group.MapPut("/", PutAsync).DisableAntiforgery();
        return group;
    }

    private static async Task<Results<Ok<CameraGrants>, NotFound>> GetAsync(string userName, UserManager<NvrUser> users, CameraAccess access, CancellationToken cancellationToken)
    {
        if (await users.FindByNameAsync(userName) is not { } user)
            return TypedResults.NotFound();
        var (all, ids) = await access.GrantsAsync(user.Id, cancellationToken);
        return TypedResults.Ok(new CameraGrants(all, ids.Order().ToList()));
    }

    private static async Task<Results<Ok<CameraGrants>, NotFound>> PutAsync(
        string userName, CameraGrants body, HttpContext context, UserManager<NvrUser> users, CameraAccess access, CancellationToken cancellationToken)
    {
        if (await users.FindByNameAsync(userName) is not { } user)
            return TypedResults.NotFound();
        await access.SetGrantsAsync(user.Id, body.AllCameras, body.CameraIds ?? [], context.User.Identity?.Name ?? "?", cancellationToken);
        var (all, ids) = await access.GrantsAsync(user.Id, cancellationToken);
        return TypedResults.Ok(new CameraGrants(all, ids.Order().ToList()));
    }
}
