using NvrBlazor.Domain.Retention;

namespace NvrBlazor.Web.Retention.Pages;

public partial class StoragePage
{
    private const int Shown = 200;
    private ForecastDto? forecast;
    private IDisposable? changes;

    public void Dispose() => changes?.Dispose();
    private bool interactive;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
            return;
        interactive = true;
        // A retention run, a camera's limits or the disk alert change what this page forecasts.
        changes = Updates.Subscribe(TimeSpan.FromSeconds(2), () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }),
            PageTopic.Jobs, PageTopic.Cameras, PageTopic.Disk);
        StateHasChanged();
    }

    private async Task LoadAsync() => forecast = await Forecast.BuildAsync(CancellationToken.None);

    private static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm");

    private static string Days(double days) => days >= 100 ? $"{days:0} days" : $"{days:0.#} days";

    private static string LimitText(RetentionRule rule) => rule switch
    {
        RetentionRule.Age => "its keep-days",
        RetentionRule.CameraSize => "its size limit",
        RetentionRule.TotalSize => "the total limit",
        _ => "the disk's free space",
    };
}
