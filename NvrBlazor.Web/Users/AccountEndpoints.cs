using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace NvrBlazor.Web.Users;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a plain form post (it clears a cookie, which a circuit cannot do). [FromForm] makes it antiforgery-checked.</summary>
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/account/logout", async (SignInManager<NvrUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(LocalUrl.OrHome(returnUrl) == "/" ? "/login" : LocalUrl.OrHome(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();
}
