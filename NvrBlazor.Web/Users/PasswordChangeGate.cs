using Microsoft.AspNetCore.Components.Endpoints;

namespace NvrBlazor.Web.Users;

/// <summary>
/// A user whose password was generated or set by an admin reaches only the change-password page
/// (and sign-out) until they choose their own. Pages redirect there; API calls answer 403.
/// </summary>
public static class PasswordChangeGate
{
    public const string ChangePasswordPath = "/account/password";

    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.HasClaim(NvrClaimsPrincipalFactory.MustChangePasswordClaim, "true") && IsGated(context))
        {
            if (UsersServiceCollectionExtensions.IsApiRequest(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(new { error = $"Change your password first at {ChangePasswordPath}." });
                return;
            }
            context.Response.Redirect($"{ChangePasswordPath}?returnUrl={Uri.EscapeDataString(context.Request.Path + context.Request.QueryString)}");
            return;
        }
        await next(context);
    });

    private static bool IsGated(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(ChangePasswordPath) || path.StartsWithSegments("/account/logout"))
            return false;
        var endpoint = context.GetEndpoint();
        return UsersServiceCollectionExtensions.IsApiRequest(context.Request)
            || endpoint?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
            || path.StartsWithSegments("/_blazor");
    }
}
