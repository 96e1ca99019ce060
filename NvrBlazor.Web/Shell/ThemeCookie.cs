namespace NvrBlazor.Web.Shell;

/// <summary>The light/dark choice, kept by Radzen's cookie theme service and read here on the server for the first paint.</summary>
public static class ThemeCookie
{
    public const string Name = "nvr.theme";
    public const string Light = "material";
    public const string Dark = "material-dark";

    public static string Read(HttpRequest request) =>
        request.Cookies[Name] is Dark ? Dark : Light;
}
