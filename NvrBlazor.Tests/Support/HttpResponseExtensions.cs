namespace NvrBlazor.Tests.Support;

public static class HttpResponseExtensions
{
    /// <summary>Where a redirect points, as path and query, whether the server wrote it absolute or relative.</summary>
    public static string RedirectPath(this HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new InvalidOperationException($"{(int)response.StatusCode} has no Location header");
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }
}
