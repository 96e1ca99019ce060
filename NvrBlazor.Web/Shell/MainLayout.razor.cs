using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;
using MudBlazor.Services;

namespace NvrBlazor.Web.Shell;

public partial class MainLayout : IAsyncDisposable
{
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IBrowserViewportService Viewport { get; set; } = default!;
    [CascadingParameter] private ThemeChoice Theme { get; set; }

    private MudThemeProvider themeProvider = default!;
    private IJSObjectReference? module;
    private ThemeChoice choice;
    private bool dark;
    private bool systemDark;
    private bool drawerOpen = true;

    private string ThemeIcon => choice switch
    {
        ThemeChoice.Light => Icons.Material.Filled.LightMode,
        ThemeChoice.Dark => Icons.Material.Filled.DarkMode,
        _ => Icons.Material.Filled.BrightnessAuto,
    };

    protected override void OnInitialized()
    {
        choice = Theme;
        dark = choice == ThemeChoice.Dark;
        Navigation.LocationChanged += CloseDrawerOnPhone;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
            return;
        try
        {
            module = await Js.InvokeAsync<IJSObjectReference>("import", "./Shell/MainLayout.razor.js");
            systemDark = await themeProvider.GetSystemDarkModeAsync();
            await themeProvider.WatchSystemDarkModeAsync(SystemChangedAsync);
            // Below the drawer's breakpoint it covers the page: it starts closed there.
            if (await Viewport.IsBreakpointWithinWindowSizeAsync(Breakpoint.SmAndDown))
                drawerOpen = false;
            Apply();
            await module.InvokeVoidAsync("interactive");
        }
        catch (JSDisconnectedException)
        {
        }
    }

    /// <summary>On a phone the drawer lies over the page: picking a page closes it, so the page gets the whole width.</summary>
    private async void CloseDrawerOnPhone(object? sender, LocationChangedEventArgs args)
    {
        try
        {
            if (drawerOpen && await Viewport.IsBreakpointWithinWindowSizeAsync(Breakpoint.SmAndDown))
            {
                drawerOpen = false;
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (Exception e) when (e is JSDisconnectedException or ObjectDisposedException or TaskCanceledException)
        {
        }
    }

    private async Task SystemChangedAsync(bool isDark)
    {
        systemDark = isDark;
        Apply();
        await InvokeAsync(StateHasChanged);
    }

    private async Task ChooseThemeAsync(ThemeChoice chosen)
    {
        choice = chosen;
        Apply();
        if (module is not null)
            await module.InvokeVoidAsync("remember", ThemeCookie.Name, ThemeCookie.Text(chosen));
    }

    private void Apply()
    {
        dark = choice switch
        {
            ThemeChoice.Dark => true,
            ThemeChoice.Light => false,
            _ => systemDark,
        };
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        Navigation.LocationChanged -= CloseDrawerOnPhone;
        await module.ReleaseAsync();
    }
}
