using Microsoft.Net.Http.Headers;

namespace NvrBlazor.Web.Hosting;

/// <summary>
/// Serves /_framework/blazor.web.js from the resource that build/BlazorWebScriptFromNet9.targets
/// embeds (the feed lacks the .NET 10 package that normally provides it). Delete with that file.
/// </summary>
public static class BlazorScriptEndpoint
{
    public static IEndpointConventionBuilder MapBlazorScript(this IEndpointRouteBuilder app)
    {
        var script = ReadScript();
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(script))[..16]}\"");
        return app.MapGet("/_framework/blazor.web.js", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(script, "text/javascript", entityTag: etag);
        }).AllowAnonymous().ExcludeFromDescription();
    }

    private static byte[] ReadScript()
    {
        using var stream = typeof(BlazorScriptEndpoint).Assembly.GetManifestResourceStream("blazor.web.js")
            ?? throw new InvalidOperationException("blazor.web.js is not embedded; see build/BlazorWebScriptFromNet9.targets.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
