namespace NvrBlazor.Web.Users;

/// <summary>Return URLs come from the query string: only paths on this server are followed (no open redirect).</summary>
public static class LocalUrl
{
    public static string OrHome(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || (url.Length > 1 && (url[1] == '/' || url[1] == '\\')) || url.Any(char.IsControl))
            return "/";
        // A Location header is ASCII: anything else is percent-encoded (a raw "é" answered 500).
        return url.All(char.IsAscii) ? url
            : Uri.TryCreate(new Uri("http://local"), url, out var absolute) && absolute.Host == "local" ? absolute.PathAndQuery + absolute.Fragment : "/";
    }
}
