namespace NvrBlazor.Web.Shell;

/// <summary>
/// The user's light/dark choice, kept in a cookie in their browser (set by MainLayout.razor.js) and read on the
/// server so the first paint already has it: no light flash for someone who chose dark.
/// </summary>
public static class ThemeCookie
{
    public const string Name = "nvr.theme";

    public static ThemeChoice Read(HttpRequest request) => Parse(request.Cookies[Name]);

    /// <summary>"light", "dark" or "system"; anything else (older values included) follows the system.</summary>
    public static ThemeChoice Parse(string? value) => value switch
    {
        "light" or "material" => ThemeChoice.Light,
        "dark" or "material-dark" => ThemeChoice.Dark,
        _ => ThemeChoice.System,
    };

    public static string Text(ThemeChoice choice) => choice.ToString().ToLowerInvariant();
}

public enum ThemeChoice
{
    System,
    Light,
    Dark,
}
