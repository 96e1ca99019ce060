using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Audit.Pages;

public partial class AuditLogPage
{
    private const int Shown = 1000;
    private IReadOnlyList<AuditEntry> entries = [];
    private IReadOnlyList<Camera> cameras = [];
    private string? userFilter;
    private AuditAction? actionFilter;
    private int? cameraFilter;
    private long? clipFilter;

    protected override async Task OnInitializedAsync()
    {
        cameras = await Audit.CamerasAsync(CancellationToken.None);
        await LoadAsync(null);
    }

    private async Task LoadAsync(long? before) =>
        entries = await Audit.ListAsync(userFilter?.Trim(), cameraFilter, actionFilter, Shown, CancellationToken.None, clipFilter, before);

    private static string ActionText(AuditAction action) => action switch
    {
        AuditAction.LiveView => "Live view",
        AuditAction.Command => "Command",
        AuditAction.ClipView => "Clip played",
        AuditAction.ClipDownload => "Clip downloaded",
        AuditAction.ClipDelete => "Clip deleted",
        AuditAction.ClipProtect => "Clip protection",
        AuditAction.CameraAddress => "Camera address",
        AuditAction.User => "User",
        AuditAction.Grants => "Camera rights",
        AuditAction.Camera => "Camera",
        AuditAction.Settings => "Settings",
        AuditAction.SignIn => "Sign-in",
        AuditAction.SignInFailed => "Failed sign-in",
        AuditAction.JobRun => "Job run",
        AuditAction.Frames => "Frames for a program",
        _ => action.ToString(),
    };
}
