namespace NvrBlazor.Web.Common;

/// <summary>
/// Whether a request comes from one of our own pages. Browsers send Origin on every WebSocket request and
/// on every POST/PUT/DELETE, and Sec-Fetch-Site on every request; a request with neither is not from a
/// browser (an agent, curl, a test client), so the cookie or token alone decides.
/// </summary>
public static class SameOrigin
{
    public static bool Allows(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        // "same-site" is another port or a sibling subdomain of this host: a different origin all the same.
        if (site is "cross-site" or "same-site")
            return false;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return true;
        // Host and port, not the scheme: behind a TLS-terminating proxy the request is http and the page https.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Cross-site request forgery: a state-changing request that carries the sign-in cookie must come from
    /// our own pages. The cookie is SameSite=Lax, which still lets a page on another port of the same host
    /// (or a sibling subdomain) post with it. Safe methods and cookie-less requests pass.
    /// </summary>
    public static IApplicationBuilder UseSameOriginWrites(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
            && request.Cookies.Count > 0 && !Allows(request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync($"Refused: this {request.Method} comes from another site ({Describe(request)}); NvrBlazor accepts changes only from its own pages.");
            return;
        }
        await next();
    });

    /// <summary>
    /// Headers on every response: no MIME sniffing (a clip or thumbnail is never run as a script), no full
    /// addresses leaked to other sites in Referer, and HSTS on HTTPS (browsers then refuse a downgrade).
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "same-origin";
        if (context.Request.IsHttps)
            headers.StrictTransportSecurity = "max-age=31536000";
        return next();
    });

    /// <summary>
    /// Scripts only from this server (no inline script anywhere: an injected &lt;script&gt; does not run), no
    /// framing by other sites, forms and sockets only to this server. Inline styles stay allowed: the
    /// component library sets positions and sizes in style attributes, which cannot run code.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    private static string Describe(HttpRequest request) =>
        request.Headers.Origin.ToString() is { Length: > 0 } origin ? $"Origin {origin}" : $"Sec-Fetch-Site {request.Headers["Sec-Fetch-Site"]}";
}
