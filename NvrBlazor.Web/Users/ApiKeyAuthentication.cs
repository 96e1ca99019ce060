using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Data;

namespace NvrBlazor.Web.Users;

/// <summary>
/// Requests that carry an API key (<c>Authorization: Bearer nvrk_…</c>, or an HTTP Basic password that is one) are
/// authenticated by the key, as its owner with the owner's current roles and camera rights; every other request by
/// the sign-in cookie. A locked owner's keys stop working; a deleted owner's keys are gone (cascade).
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDbContextFactory<NvrDbContext> contexts, UserManager<NvrUser> users, IUserClaimsPrincipalFactory<NvrUser> principals, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    /// <summary>The default scheme: the key when the request carries one, else the cookie.</summary>
    public const string Selector = "KeyOrCookie";
    public static readonly TimeSpan LastUsedEvery = TimeSpan.FromMinutes(1);
    private const string FailureItem = "nvr:api-key-failure";

    public static bool CarriesKey(HttpRequest request)
    {
        var (key, error) = ApiKeyText.FromAuthorization(request.Headers.Authorization);
        return key is not null || error is not null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (key, error) = ApiKeyText.FromAuthorization(Request.Headers.Authorization);
        if (error is not null)
            return Fail($"The Authorization header is not an API key: {error}.");
        if (key is null)
            return AuthenticateResult.NoResult();

        var hash = ApiKeyText.Hash(key);
        await using var db = await contexts.CreateDbContextAsync(Context.RequestAborted);
        var stored = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
        if (stored is null)
            return Fail("This API key is not known: it was revoked, or never issued by this server.");
        var user = await users.FindByIdAsync(stored.UserId);
        if (user is null)
            return Fail("This API key's user no longer exists.");
        if (await users.IsLockedOutAsync(user))
            return Fail("This API key's user is locked.");

        var now = clock.GetUtcNow();
        if (stored.LastUsed is not { } used || now - used >= LastUsedEvery)
            await db.ApiKeys.Where(k => k.Id == stored.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsed, now), Context.RequestAborted);

        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName, principal.Identities.First().NameClaimType, principal.Identities.First().RoleClaimType);
        identity.AddClaim(new Claim(KeyIdClaim, stored.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Which key a request came with (for the audit log and for refusing key management to keys).</summary>
    public const string KeyIdClaim = "nvr:api-key";

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    /// <summary>
    /// Programs that only know user:password URLs (ffmpeg, OpenCV, VLC, Home Assistant's MJPEG camera) send them
    /// only after a Basic challenge. Offered on the frame endpoints alone: on the rest of the API a browser's
    /// fetch with an expired cookie would pop up the browser's password dialog.
    /// </summary>
    public static void OfferKeyChallenge(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var frames = path.StartsWith("/api/cameras/", StringComparison.Ordinal) && (path.EndsWith("/mjpeg", StringComparison.Ordinal) || path.EndsWith("/snapshot.jpg", StringComparison.Ordinal));
        // One header per scheme: ffmpeg reads a Basic challenge only at the start of a header line.
        context.Response.Headers.WWWAuthenticate = frames ? new Microsoft.Extensions.Primitives.StringValues(["Basic realm=\"NvrBlazor API key\"", "Bearer"]) : "Bearer";
    }

    /// <summary>401 with the reason, and the schemes a program may answer with.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        OfferKeyChallenge(Context);
        var reason = Context.Items[FailureItem] as string ?? "This request needs an API key or a signed-in user.";
        await Response.WriteAsJsonAsync(new { error = reason });
    }
}
