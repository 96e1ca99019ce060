using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using NvrBlazor.Web.Shell;

namespace NvrBlazor.Web.Clips.Pages;

public partial class PlayerPage
{
    private static readonly double[] Speeds = [0.25, 0.5, 1, 1.5, 2, 4, 8];
    [Parameter] public long Id { get; set; }

    private bool loaded;
    private ClipDto? clip;
    private ClipDto? previous, next;
    private IJSObjectReference? module;

    protected override async Task OnParametersSetAsync()
    {
        await LoadRightsAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var found = await Catalog.FindAsync(Rights, Id, CancellationToken.None);
        clip = found is null ? null : ClipDto.Of(found);
        (previous, next) = found is null ? (null, null) : await Catalog.NeighboursAsync(found, CancellationToken.None);
        loaded = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        await base.OnAfterRenderAsync(firstRender);
        if (module is not null || clip is null)
            return;
        try
        {
            module = await Js.InvokeAsync<IJSObjectReference>("import", "./Clips/Pages/PlayerPage.razor.js");
            await module.InvokeVoidAsync("attach");
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private double speed = 1;

    private async Task SpeedAsync(double chosen)
    {
        if (!Speeds.Contains(chosen))
            return;
        speed = chosen;
        if (module is not null)
            await module.InvokeVoidAsync("speed", chosen);
    }

    private async Task ToggleProtectedAsync()
    {
        if (clip is null)
            return;
        await Catalog.SetProtectedAsync(Rights, clip.Id, !clip.Protected, CancellationToken.None);
        await LoadAsync();
    }

    private async Task DeleteAsync()
    {
        if (clip is null || Rights is not { IsAdmin: true } rights)
            return;
        if (!await Dialogs.ConfirmAsync("Delete clip", $"Delete this clip ({Size(clip.Bytes)}) for good?" + (clip.Protected ? " It is protected." : ""), "Delete"))
            return;
        var target = next ?? previous;
        await Catalog.DeleteAsync(rights, [clip.Id], CancellationToken.None);
        Navigation.NavigateTo(target is null ? "/clips" : $"/clips/{target.Id}");
    }

    public async ValueTask DisposeAsync()
    {
        await module.ReleaseAsync("detach");
    }

    private string ListLink => clip?.CameraId is { } camera ? $"/clips?camera={camera}" : "/clips";

    private string TimelineLink => $"/clips/timeline?day={clip!.Start.ToLocalTime():yyyy-MM-dd}" + (clip.CameraId is { } camera ? $"&camera={camera}" : "");
}
