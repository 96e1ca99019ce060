namespace NvrBlazor.Web.Retention.Pages;

public partial class JobsPage
{
    private readonly CancellationTokenSource disposed = new();
    private IDisposable? changes;
    private IReadOnlyList<JobDto> jobs = [];
    private bool interactive;
    private string? message;
    private bool messageOk;

    protected override async Task OnInitializedAsync() => await LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
            return;
        interactive = true;
        // Keeps the page current while it is open: a run started elsewhere (schedule, low space) shows up by itself.
        changes = Updates.Subscribe(TimeSpan.FromMilliseconds(500), () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }), PageTopic.Jobs);
        StateHasChanged();
    }

    private async Task LoadAsync() => jobs = await RetentionApi.JobsAsync(Jobs, History, disposed.Token);

    private async Task RunAsync(string name)
    {
        var user = (await Authentication.GetAuthenticationStateAsync()).User.Identity?.Name;
        var result = Jobs.Run(name, JobTrigger.Manual, user);
        (messageOk, message) = result switch
        {
            RunRequest.Started => (true, $"Job {name} started; its run appears below when it begins."),
            RunRequest.AlreadyRunning => (false, $"Job {name} is already running or waiting to start."),
            _ => (false, $"There is no job {name}."),
        };
        await LoadAsync();
    }

    private static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss");

    private static string TriggerText(JobRun run) => run.Trigger switch
    {
        JobTrigger.Manual => $"run now by {run.RequestedBy}",
        JobTrigger.LowSpace => "low disk space",
        JobTrigger.Startup => "server start",
        _ => "schedule",
    };

    public void Dispose()
    {
        changes?.Dispose();
        disposed.Cancel();
        disposed.Dispose();
    }
}
