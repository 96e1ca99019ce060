using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using NvrBlazor.Domain.Clips;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Web.Shell;

namespace NvrBlazor.Web.Clips.Pages;

public partial class ClipsPage
{
    private const int PageSize = 48;
    private const string LocalMinute = "yyyy-MM-ddTHH:mm";

    [SupplyParameterFromQuery(Name = "camera")] public string? CameraQuery { get; set; }
    [SupplyParameterFromQuery(Name = "from")] public string? FromQuery { get; set; }
    [SupplyParameterFromQuery(Name = "to")] public string? ToQuery { get; set; }
    [SupplyParameterFromQuery(Name = "reason")] public string? ReasonQuery { get; set; }
    [SupplyParameterFromQuery(Name = "min")] public double? MinSecondsQuery { get; set; }
    [SupplyParameterFromQuery(Name = "protected")] public bool? ProtectedQuery { get; set; }
    [SupplyParameterFromQuery(Name = "label")] public string? LabelQuery { get; set; }

    private List<int> cameras = [];
    private string? fromText, toText;
    private DateTime? from => LocalTime(fromText);
    private DateTime? to => LocalTime(toText);
    private ClipReason? reason;
    private double? minSeconds;
    private bool protectedOnly;
    private string? label;
    private string? problem;
    private ClipFilter filter = ClipFilter.Everything;
    private ClipCatalog.Scope? scope;
    private ClipPage? page;
    private ClipSummary? summary;
    private readonly List<ClipCursor?> cursors = [null];
    private int pageIndex;
    private readonly HashSet<long> selected = [];

    protected override async Task OnInitializedAsync()
    {
        await LoadRightsAsync();
        cameras = VisibleIds(CameraQuery);
        fromText = LocalTime(FromQuery)?.ToString(LocalMinute, System.Globalization.CultureInfo.InvariantCulture);
        toText = LocalTime(ToQuery)?.ToString(LocalMinute, System.Globalization.CultureInfo.InvariantCulture);
        reason = Enum.TryParse<ClipReason>(ReasonQuery, ignoreCase: true, out var r) ? r : null;
        minSeconds = MinSecondsQuery;
        protectedOnly = ProtectedQuery == true;
        label = KnownLabel(LabelQuery);
        await SearchAsync();
    }

    private static DateTime? LocalTime(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeLocal, out var at) ? at.LocalDateTime : null;

    private async Task ToggleCameraAsync(int id, bool on)
    {
        if (on && !cameras.Contains(id))
            cameras.Add(id);
        else if (!on)
            cameras.Remove(id);
        await SearchAsync();
    }

    private async Task SearchAsync()
    {
        filter = new ClipFilter
        {
            Cameras = cameras.ToList(),
            From = from is { } f ? new DateTimeOffset(f) : null,
            To = to is { } t ? new DateTimeOffset(t) : null,
            Reason = reason, ProtectedOnly = protectedOnly, MinSeconds = minSeconds, Label = label,
        };
        problem = filter.Problem();
        if (problem is not null)
            return;
        KeepInAddress();
        scope = await Catalog.ScopeAsync(Rights, filter, CancellationToken.None) ?? new ClipCatalog.Scope(new HashSet<int>());
        cursors.Clear();
        cursors.Add(null);
        selected.Clear();
        summary = await Catalog.SummaryAsync(scope, filter, CancellationToken.None);
        await GoAsync(0);
    }

    /// <summary>The filters live in the address: a reload keeps them, and the view can be bookmarked or sent to someone.</summary>
    private void KeepInAddress()
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var query = new Dictionary<string, object?>
        {
            ["camera"] = cameras.Count > 0 ? string.Join(',', cameras) : null,
            ["from"] = from?.ToString(LocalMinute, invariant),
            ["to"] = to?.ToString(LocalMinute, invariant),
            ["reason"] = reason?.ToString().ToLowerInvariant(),
            ["min"] = minSeconds,
            ["protected"] = protectedOnly ? true : null,
            ["label"] = label,
        };
        var address = Navigation.GetUriWithQueryParameters(query);
        if (address != Navigation.Uri)
            Navigation.NavigateTo(address, new NavigationOptions { ReplaceHistoryEntry = true });
    }

    private async Task GoAsync(int index)
    {
        if (scope is null || index < 0 || index >= cursors.Count && page?.Next is null)
            return;
        if (index == cursors.Count)
            cursors.Add(page!.Next);
        pageIndex = index;
        selected.Clear(); // a selection is of the clips in view: actions never reach clips the user no longer sees
        page = await Catalog.PageAsync(scope, filter, cursors[index], PageSize, CancellationToken.None);
    }

    private void Toggle(long id, bool on)
    {
        if (on)
            selected.Add(id);
        else
            selected.Remove(id);
    }

    private void SelectPage()
    {
        foreach (var clip in page?.Clips ?? [])
            selected.Add(clip.Id);
    }

    private List<ClipDto> SelectedClips() => (page?.Clips ?? []).Where(c => selected.Contains(c.Id)).ToList();

    private async Task DownloadSelectedAsync()
    {
        var clips = SelectedClips();
        if (clips.Count == 0)
            return;
        if (await Dialogs.ConfirmAsync("Download ZIP", $"Download {clips.Count} clip(s), {Size(clips.Sum(c => c.Bytes))}, as one ZIP?", "Download"))
            await DownloadAsync($"/api/clips/zip?ids={string.Join(',', clips.Select(c => c.Id))}");
    }

    private async Task DownloadMatchingAsync()
    {
        if (scope is null)
            return;
        summary = await Catalog.SummaryAsync(scope, filter, CancellationToken.None);
        if (summary.Count > ClipZip.MaxClips)
        {
            await Dialogs.TellAsync("Too many clips", $"{summary.Count} clips match; at most {ClipZip.MaxClips} go in one ZIP. Narrow the cameras or the time range.");
            return;
        }
        if (await Dialogs.ConfirmAsync("Download ZIP", $"Download all {summary.Count} matching clip(s), {Size(summary.Bytes)}, as one ZIP?", "Download"))
            await DownloadAsync($"/api/clips/zip?{filter.ToQueryString()}");
    }

    private IJSObjectReference? module;

    private async Task DownloadAsync(string url)
    {
        module ??= await Js.InvokeAsync<IJSObjectReference>("import", "./Clips/Pages/ClipsPage.razor.js");
        await module.InvokeVoidAsync("download", url);
    }

    public async ValueTask DisposeAsync()
    {
        await module.ReleaseAsync();
    }

    private async Task ProtectSelectedAsync(bool protect)
    {
        foreach (var clip in SelectedClips())
            await Catalog.SetProtectedAsync(Rights, clip.Id, protect, CancellationToken.None);
        await GoAsync(pageIndex);
    }

    private async Task DeleteSelectedAsync()
    {
        var clips = SelectedClips();
        if (Rights is not { IsAdmin: true } rights || clips.Count == 0)
            return;
        var protectedCount = clips.Count(c => c.Protected);
        if (!await Dialogs.ConfirmAsync("Delete clips", $"Delete {clips.Count} clip(s), {Size(clips.Sum(c => c.Bytes))}, for good?"
                + (protectedCount > 0 ? $" {protectedCount} of them are protected." : ""), "Delete"))
            return;
        var outcome = await Catalog.DeleteAsync(rights, clips.Select(c => c.Id).ToList(), CancellationToken.None);
        if (outcome.StillRecording.Count > 0)
            await Dialogs.TellAsync("Still recording", $"{outcome.StillRecording.Count} clip(s) are still being recorded and were kept.");
        await SearchAsync();
    }

    private void OpenTimeline()
    {
        // The day the user is looking at: the start of the range, else the newest clip listed, else today.
        var day = (from ?? page?.Clips.FirstOrDefault()?.Start.LocalDateTime ?? DateTime.Now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Navigation.NavigateTo($"/clips/timeline?day={day}" + (cameras.Count > 0 ? $"&camera={string.Join(',', cameras)}" : "")
            + (label is null ? "" : $"&label={Uri.EscapeDataString(label)}"));
    }
}
