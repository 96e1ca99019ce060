using MudBlazor;

namespace NvrBlazor.Web.Health;

public partial class Overview
{
    private HealthReport? report;

    protected override Task OnInitializedAsync() => RefreshAsync();

    private async Task RefreshAsync() => report = await Reporter.CheckAsync(CancellationToken.None);

    private Severity StatusSeverity => report?.Status switch
    {
        HealthReport.Healthy => Severity.Success,
        HealthReport.Degraded => Severity.Warning,
        _ => Severity.Error,
    };

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (double)(1L << 40):0.0} TiB",
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        _ => $"{bytes / 1024.0:0.0} KiB",
    };
}
