using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Users;

/// <summary>
/// /api/account/keys: the signed-in user's own API keys, for scripts that set themselves up. Only with the sign-in
/// cookie: a key cannot mint or revoke keys (a leaked key cannot make itself permanent).
/// </summary>
public static class ApiKeysApi
{
    public sealed record KeyInfo(int Id, string Name, string StartsWith, DateTimeOffset Created, DateTimeOffset? LastUsed);
    public sealed record NewKey(string? Name);
    public sealed record CreatedKey(KeyInfo Info, string Key);

    public static RouteGroupBuilder MapApiKeysApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/account/keys")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = IdentityConstants.ApplicationScheme });
        group.MapGet("/", ListAsync).WithSummary("Your API keys: name, first characters, created, last used (the key itself is never shown again).");
        group.MapPost("/", CreateAsync).DisableAntiforgery().WithSummary("Creates a named key and returns it once; only its SHA-256 is kept.");
        group.MapDelete("/{id:int}", RevokeAsync).DisableAntiforgery().WithSummary("Revokes a key: programs using it get 401 from the next request.");
        return group;
    }

    public static KeyInfo Info(ApiKey key) => new(key.Id, key.Name, key.Shown, key.Created, key.LastUsed);

    private static string UserId(HttpContext context) => context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    private static string UserName(HttpContext context) => context.User.Identity?.Name ?? "?";

    private static async Task<Ok<List<KeyInfo>>> ListAsync(HttpContext context, ApiKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(UserId(context), cancellationToken)).Select(Info).ToList());

    private static async Task<Results<Created<CreatedKey>, BadRequest<ProblemMessage>>> CreateAsync(NewKey body, HttpContext context, ApiKeyStore keys, CancellationToken cancellationToken)
    {
        var (row, key, error) = await keys.CreateAsync(UserId(context), UserName(context), body.Name, cancellationToken);
        return row is null || key is null
            ? TypedResults.BadRequest(new ProblemMessage(error ?? "The key was not created."))
            : TypedResults.Created($"/api/account/keys/{row.Id}", new CreatedKey(Info(row), key));
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(int id, HttpContext context, ApiKeyStore keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(UserId(context), UserName(context), id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
