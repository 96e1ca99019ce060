using Microsoft.AspNetCore.Components;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Live;

public partial class BroadcastBar
{
    [Parameter, EditorRequired] public IReadOnlyList<int> CameraIds { get; set; } = [];

    private string command = "";
    private string? selectedPreset;
    private string? feedback;
    private bool editing;
    private string presetsText = "";
    private IReadOnlyList<string> presetErrors = [];
    private IReadOnlyList<CommandPreset> presets = [];

    protected override async Task OnInitializedAsync() => await LoadPresetsAsync();

    private async Task LoadPresetsAsync()
    {
        await using var db = await Databases.CreateDbContextAsync();
        presets = await PresetsApi.LoadAsync(db, CancellationToken.None);
        presetsText = CommandPresetText.Format(presets);
    }

    private async Task SendAsync()
    {
        if (await Access.CurrentAdminAsync(AuthenticationStateProvider) is not { } admin)
        {
            feedback = "Only admins control cameras.";
            return;
        }
        var (sent, problem) = await Control.BroadcastAsync(admin, CameraIds, command, CancellationToken.None);
        feedback = problem ?? (sent.Count == 0 ? "No camera on this page is online." : $"Sent to {sent.Count} camera(s).");
    }

    private async Task SavePresetsAsync()
    {
        if (await Access.CurrentAdminAsync(AuthenticationStateProvider) is not { } admin)
            return;
        await using var db = await Databases.CreateDbContextAsync();
        var (saved, errors) = await PresetsApi.SaveAsync(db, presetsText, admin, Logs, CancellationToken.None);
        presetErrors = errors;
        if (errors.Count == 0)
        {
            presets = saved;
            presetsText = CommandPresetText.Format(saved);
            editing = false;
            feedback = $"Saved {saved.Count} preset(s).";
        }
    }
}
