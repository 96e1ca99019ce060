using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using NvrBlazor.Web.Data;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Users;

public static class UsersServiceCollectionExtensions
{
    /// <summary>How often a signed-in cookie or an open page re-checks that its user still exists, is not locked and kept its roles.</summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddUsers(this IServiceCollection services, IConfiguration configuration, StorageFolders folders)
    {
        var policy = configuration.GetSection("Nvr:Users").Get<UsersOptions>() ?? new UsersOptions();
        services.AddSingleton(policy);

        // Keys in the data folder: sign-in cookies stay valid across restarts and upgrades.
        services.AddDataProtection()
            .SetApplicationName("NvrBlazor")
            .PersistKeysToFileSystem(new DirectoryInfo(folders.KeysPath));

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = ApiKeyAuthentication.Selector;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddPolicyScheme(ApiKeyAuthentication.Selector, "API key or sign-in cookie", options =>
                options.ForwardDefaultSelector = context =>
                    ApiKeyAuthentication.CarriesKey(context.Request) ? ApiKeyAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddIdentityCookies();

        services.AddIdentityCore<NvrUser>(options =>
            {
                options.User.RequireUniqueEmail = false;
                options.SignIn.RequireConfirmedAccount = false;
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                // Length over character classes (NIST SP 800-63B): a long passphrase beats "Passw0rd!".
                options.Password.RequiredLength = policy.MinPasswordLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                // Accounts are locked only by admins (Admin > Users); failed sign-ins are throttled by SignInGuard.
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<NvrDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<NvrClaimsPrincipalFactory>()
            .AddPasswordValidator<CommonPasswordValidator>()
            .AddDefaultTokenProviders();

        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = RevalidationInterval);
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "nvr.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = "/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/access-denied";
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;
            // Identity's events object carries OnValidatePrincipal (the security stamp check every
            // RevalidationInterval): replacing the object dropped it, and old cookies of deleted, reset or
            // signed-out users kept working. Only the redirects are ours.
            // API and WebSocket clients get status codes; browsers navigating pages get redirects.
            options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
            // Signing in on /login follows its ReturnUrl query by itself: only to this server, percent-encoded
            // (a raw "é" in a Location header answered 500).
            options.Events.OnRedirectToReturnUrl = context =>
            {
                context.Response.Redirect(LocalUrl.OrHome(context.RedirectUri));
                return Task.CompletedTask;
            };
        });

        services.AddAuthorization(options =>
        {
            // Secure by default: an endpoint is open only if it says [AllowAnonymous].
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAuthenticationStateProvider>();
        services.AddScoped<UserAdministration>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<SignInGuard>();
        services.AddTransient<FirstRunAdmin>();
        return services;
    }

    /// <summary>Machine clients (API, camera sockets, a metrics scraper) get status codes and JSON, never redirects or HTML pages.</summary>
    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/ws") || request.Path.StartsWithSegments("/ingest")
        || request.Path.StartsWithSegments(Metrics.MetricsEndpoint.Path)
        // Judged from the header: this also runs before the WebSockets middleware has looked at the request.
        || string.Equals(request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase);

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApiRequest(context.Request))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized && context.Request.Path.StartsWithSegments("/api"))
                ApiKeyAuthentication.OfferKeyChallenge(context.HttpContext);
        }
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
