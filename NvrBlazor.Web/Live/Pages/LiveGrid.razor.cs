using Microsoft.AspNetCore.Components;

namespace NvrBlazor.Web.Live.Pages;

public partial class LiveGrid
{
    [SupplyParameterFromQuery(Name = "wall")] public string? WallQuery { get; set; }

    protected override bool Wall => WallQuery is "1" or "true";

    private int columns;
    private IDisposable? changes;

    protected override async Task OnInitializedAsync()
    {
        await LoadCamerasAsync();
        columns = await Layout.GetAsync(User, CancellationToken.None);
        // Cameras approved, added or granted meanwhile, and a disk alert, appear without a reload.
        changes = Updates.Subscribe(TimeSpan.FromSeconds(1), () => InvokeAsync(RefreshAsync), PageTopic.Cameras, PageTopic.Disk);
    }

    private async Task RefreshAsync()
    {
        var before = string.Join(',', Cameras.Select(c => $"{c.Id}:{c.Name}")) + Disk.Alert;
        await LoadCamerasAsync();
        // Re-rendered only when something shown here changed: the cameras, or the disk alert.
        if (before != string.Join(',', Cameras.Select(c => $"{c.Id}:{c.Name}")) + Disk.Alert)
            StateHasChanged();
    }

    private async Task SetColumnsAsync(int value)
    {
        columns = value;
        await Layout.SetAsync(User, value, CancellationToken.None);
    }

    private string GridStyle => columns == 0 ? "" : $"grid-template-columns: repeat({columns}, minmax(0, 1fr))";

    protected override ValueTask DisposeCoreAsync()
    {
        changes?.Dispose();
        return ValueTask.CompletedTask;
    }
}
