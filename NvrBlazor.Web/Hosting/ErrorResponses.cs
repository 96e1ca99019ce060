using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using NvrBlazor.Web.Users;

namespace NvrBlazor.Web.Hosting;

/// <summary>
/// How failures reach the caller. Errors are written directly, not re-executed as a page: re-running
/// a bad POST against a page would fail its antiforgery check a second time and hide the first error.
/// </summary>
public static class ErrorResponses
{
    public static void UseNvrErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A malformed request (bad form, missing antiforgery token) is the caller's error: 400, not 500.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            ExceptionHandler = WriteErrorAsync,
        });
        // Unknown addresses get the app's own "not found" page; only GETs are re-run (see above).
        app.UseWhen(context => HttpMethods.IsGet(context.Request.Method) && !UsersServiceCollectionExtensions.IsApiRequest(context.Request),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
    }

    private static async Task WriteErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = context.Response.StatusCode;
        var message = error is BadHttpRequestException bad
            ? $"The request was not understood: {bad.Message}"
            : $"The server could not complete this request; the details are in its log under request id {context.TraceIdentifier}.";
        if (UsersServiceCollectionExtensions.IsApiRequest(context.Request))
        {
            await context.Response.WriteAsJsonAsync(new { status, error = message });
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Error · NvrBlazor</title></head>" +
            $"<body style=\"font-family:sans-serif;padding:2rem\"><h1>Error {status}</h1><p>{WebUtility.HtmlEncode(message)}</p><p><a href=\"/\">Back to the start page</a></p></body></html>");
    }
}
