using Microsoft.AspNetCore.Components;
using MudBlazor;
using NvrBlazor.Domain.Clips;
using System.Globalization;

namespace NvrBlazor.Web.Clips.Pages;

public partial class TimelinePage
{
    [SupplyParameterFromQuery(Name = "day")] public string? DayQuery { get; set; }
    [SupplyParameterFromQuery(Name = "hour")] public int? HourQuery { get; set; }
    [SupplyParameterFromQuery(Name = "camera")] public string? CameraQuery { get; set; }
    [SupplyParameterFromQuery(Name = "label")] public string? LabelQuery { get; set; }

    private DateOnly day;
    private int? hour;
    private List<int> cameras = [];
    private string? label;
    private TimelineAxis? axis;
    private TimelineData? data;
    private DateTimeOffset now;
    private List<Row> rows = [];

    /// <summary>One camera's row; CameraId is null for the clips of a camera deleted since (Admins see them, under the name they were recorded with).</summary>
    private sealed record Row(int? CameraId, string Name, IReadOnlyList<ClipDto> Clips);

    protected override async Task OnInitializedAsync()
    {
        await LoadRightsAsync();
        cameras = VisibleIds(CameraQuery);
        label = KnownLabel(LabelQuery);
        var today = DateOnly.FromDateTime(Clock.GetLocalNow().DateTime);
        var chosen = DateOnly.TryParseExact(DayQuery, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : today;
        await LoadAsync(chosen, HourQuery is >= 0 and <= 23 ? HourQuery : null);
    }

    /// <summary>A day or hour the user chose: shown, and kept in the address so it can be bookmarked or shared.</summary>
    private async Task ShowAsync(DateOnly shownDay, int? shownHour)
    {
        await LoadAsync(shownDay, shownHour);
        var query = $"/clips/timeline?day={day:yyyy-MM-dd}" + (hour is null ? "" : $"&hour={hour}") + (cameras.Count > 0 ? $"&camera={string.Join(',', cameras)}" : "")
            + (label is null ? "" : $"&label={Uri.EscapeDataString(label)}");
        Navigation.NavigateTo(query, new NavigationOptions { ReplaceHistoryEntry = true });
    }

    private async Task DayChosenAsync(string? text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var chosen))
            await ShowAsync(chosen, null);
    }

    private async Task LoadAsync(DateOnly shownDay, int? shownHour)
    {
        day = shownDay;
        hour = shownHour;
        // The server's local midnight (a day with a clock change is 23 or 25 hours long).
        var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour ?? 0, 0), DateTimeKind.Local));
        var end = hour is null ? new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Local)) : start.AddHours(1);
        axis = new TimelineAxis(start, end - start);
        now = Clock.GetUtcNow();
        var filter = new ClipFilter { Cameras = cameras };
        var scope = await Catalog.ScopeAsync(Rights, filter, CancellationToken.None) ?? new ClipCatalog.Scope(new HashSet<int>());
        data = await Catalog.TimelineAsync(scope, start, end, label, CancellationToken.None);
        var byCamera = data.Clips.ToLookup(c => c.CameraId);
        var known = Cameras.Select(c => c.Id).ToHashSet();
        rows = Cameras.Where(c => cameras.Count == 0 || cameras.Contains(c.Id)).Select(c => new Row(c.Id, c.Name, byCamera[c.Id].ToList())).ToList();
        rows.AddRange(data.Clips.Where(c => c.CameraId is not { } id || !known.Contains(id)).GroupBy(c => c.CameraName)
            .Select(g => new Row(null, g.Key, g.ToList())));
    }

    private void OpenList()
    {
        var start = axis?.Start ?? DateTimeOffset.Now;
        var end = axis?.End ?? DateTimeOffset.Now;
        Navigation.NavigateTo($"/clips?from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(end.ToString("O"))}"
            + (cameras.Count > 0 ? $"&camera={string.Join(',', cameras)}" : "") + (label is null ? "" : $"&label={Uri.EscapeDataString(label)}"));
    }

    private async Task LabelChosenAsync(string? chosen)
    {
        label = chosen;
        await ShowAsync(day, hour);
    }

    private static string Css(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
