using Radzen;

namespace NvrBlazor.Web.Shell;

public static class ShellServiceCollectionExtensions
{
    public static IServiceCollection AddShell(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // The antiforgery cookie is Secure on HTTPS (the default sends it marked for plain HTTP too).
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddRadzenComponents();
        services.AddRadzenCookieThemeService(options =>
        {
            options.Name = ThemeCookie.Name;
            options.Duration = TimeSpan.FromDays(365);
        });
        return services;
    }

    public static void MapShell(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
