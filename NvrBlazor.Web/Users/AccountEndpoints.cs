using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace NvrBlazor.Web.Users;

public static class AccountEndpoints
{
    /// <summary>
    /// Sign-out is a plain form post (it clears a cookie, which a circuit cannot do). [FromForm] makes it
    /// antiforgery-checked. A new security stamp makes every copy of the cookie (a stolen one, another
    /// device's) refused within a minute: clearing this browser's cookie alone would not end them.
    /// </summary>
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sign-in-failures", (SignInGuard guard) => TypedResults.Ok(guard.Recent))
            .RequireAuthorization(policy => policy.RequireRole(NvrBlazor.Domain.Users.Roles.Admin)).WithTags("Users")
            .WithSummary("The latest failed or refused sign-ins since the server started (at most 200), newest first: time, address, user name as typed, what happened.");
        return app.MapPost("/account/logout", async (HttpContext context, SignInManager<NvrUser> signIn, [FromForm] string? returnUrl) =>
        {
            if (await signIn.UserManager.GetUserAsync(context.User) is { } user)
                await signIn.UserManager.UpdateSecurityStampAsync(user);
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(LocalUrl.OrHome(returnUrl) == "/" ? "/login" : LocalUrl.OrHome(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
