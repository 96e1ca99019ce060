namespace NvrBlazor.Web.Users;

/// <summary>Return URLs come from the query string: only paths on this server are followed (no open redirect).</summary>
public static class LocalUrl
{
    public static string OrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
