using NvrBlazor.Web.Shell;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Live.Pages;

public partial class Publish
{
    private IJSObjectReference? module;
    private ElementReference video;
    private ElementReference stats;
    private bool? secure;
    private IReadOnlyList<MediaDevice> devices = [];
    private string? deviceId;
    private string resolution = "640x480";
    private string actualSize = "";
    private int quality = 80;
    private int fps = 10;
    private IReadOnlyList<Camera> cameras = [];
    private int? cameraId;
    private string newName = "";
    private string? problem;
    private bool publishing;

    private sealed record MediaDevice(string Id, string Label);

    private int HttpsPortHint => EndpointOptions.FromConfiguration(Configuration).HttpsPort;

    protected override async Task OnInitializedAsync() => await LoadCamerasAsync();

    private async Task LoadCamerasAsync() =>
        cameras = (await Registry.ListAsync(CancellationToken.None)).Where(c => c.Kind == CameraKind.Browser && c.State != CameraState.Disabled).ToList();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        module = await Js.InvokeAsync<IJSObjectReference>("import", "./Live/Pages/Publish.razor.js");
        secure = await module.InvokeAsync<bool>("secure");
        if (secure == true)
        {
            devices = await module.InvokeAsync<List<MediaDevice>>("devices");
            deviceId = devices.FirstOrDefault(d => d.Id.Length > 0)?.Id;
            if (deviceId is not null)
                await PreviewAsync();
        }
        StateHasChanged();
    }

    private async Task PreviewAsync()
    {
        if (module is null || deviceId is null)
            return;
        var (width, height) = Size(resolution);
        try
        {
            actualSize = $"The webcam delivers {await module.InvokeAsync<string>("preview", video, deviceId, width, height)}.";
            problem = null;
        }
        catch (JSException e)
        {
            problem = $"The webcam could not be opened: {e.Message}";
        }
    }

    private async Task CreateAsync()
    {
        var name = newName.Trim();
        if (name.Length is 0 or > 100)
        {
            problem = "A camera name has 1 to 100 characters.";
            return;
        }
        var actor = (await AuthenticationStateProvider.GetAuthenticationStateAsync()).User.Identity?.Name ?? "?";
        var (camera, _) = await Registry.CreateAsync(name, CameraKind.Browser, actor, CancellationToken.None);
        await LoadCamerasAsync();
        cameraId = camera.Id;
        newName = "";
        problem = null;
    }

    private async Task StartAsync()
    {
        if (module is null || cameraId is null)
            return;
        await module.InvokeVoidAsync("start", video, stats, cameraId, quality / 100.0, fps);
        publishing = true;
    }

    private async Task ConfigureAsync()
    {
        if (module is not null)
            await module.InvokeVoidAsync("configure", quality / 100.0, fps);
    }

    private async Task StopAsync()
    {
        if (module is not null)
            await module.InvokeVoidAsync("stop");
        publishing = false;
    }

    private static (int Width, int Height) Size(string resolution)
    {
        var parts = resolution.Split('x');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        await module.ReleaseAsync("release");
    }
}
