using Microsoft.AspNetCore.Components;

namespace NvrBlazor.Web.Users.Pages;

public partial class AccessDenied
{
    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    // The page itself is a 403, so scripts and API clients see the refusal in the status code too.
    protected override void OnInitialized() => HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
}
