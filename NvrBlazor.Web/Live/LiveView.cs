using NvrBlazor.Web.Shell;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Live;

/// <summary>
/// What the live grid and the single-camera page share: the user's rights and visible cameras, read
/// on the server, and the JS module (LiveTile.razor.js) that carries the video over the live socket.
/// </summary>
public abstract class LiveView : ComponentBase, IAsyncDisposable
{
    [Inject] protected CameraAccess Access { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private IJSObjectReference? module;
    protected ViewerRights? Rights { get; private set; }
    protected System.Security.Claims.ClaimsPrincipal User { get; private set; } = new();
    protected IReadOnlyList<Camera> Cameras { get; private set; } = [];
    protected bool IsAdmin => Rights?.IsAdmin == true;
    protected bool Loaded { get; private set; }

    /// <summary>A wall display: the page shows pictures only, without the app's chrome, and keeps the screen awake.</summary>
    protected virtual bool Wall => false;
    private bool wallShown;

    protected async Task LoadCamerasAsync()
    {
        User = (await AuthenticationState).User;
        Rights = await Access.RightsAsync(User, CancellationToken.None);
        Cameras = await Access.VisibleAsync(Rights, CancellationToken.None);
        Loaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender)
            {
                module = await Js.InvokeAsync<IJSObjectReference>("import", "./Live/LiveTile.razor.js");
                await module.InvokeVoidAsync("start");
            }
            else if (module is not null)
            {
                await module.InvokeVoidAsync("scan");
            }
            if (module is not null && wallShown != Wall)
            {
                wallShown = Wall;
                await module.InvokeVoidAsync("wall", Wall);
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }

    protected ValueTask FullscreenAsync(ElementReference element) => module?.InvokeVoidAsync("fullscreen", element) ?? ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await DisposeCoreAsync();
        await module.ReleaseAsync("stop");
        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}
