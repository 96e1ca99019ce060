using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using NvrBlazor.Domain.Notifications;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Shell;

namespace NvrBlazor.Web.Notifications.Pages;

public partial class NotificationsPage : IDisposable
{
    private static readonly EventKinds[] Kinds =
        [EventKinds.MotionStarted, EventKinds.MotionEnded, EventKinds.ObjectDetected, EventKinds.ClipCompleted, EventKinds.CameraOnline, EventKinds.CameraOffline, EventKinds.CameraPending, EventKinds.DiskFull, EventKinds.JobFailed];

    [Inject] private ChannelStore Store { get; set; } = default!;
    [Inject] private NotificationSender Sender { get; set; } = default!;
    [Inject] private CameraRegistry Registry { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private PageUpdates Updates { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    private IReadOnlyList<NotificationChannel> channels = [];
    private IReadOnlyList<NotificationDelivery> deliveries = [];
    private IReadOnlyList<Camera> cameras = [];
    // Never null once the page is up: closing the form sets formOpen, not editing = null. A MudSelect writes its
    // choice a browser round trip after the click (it first closes its list through JS), so a Save pressed within that
    // round trip ran first; the late write then hit a null form and ended the admin's circuit (seen in CI).
    private Form editing = new();
    private bool formOpen;
    private string? error;
    private int? testing;
    private (bool Delivered, string Text)? tested;
    private IDisposable? changes;

    /// <summary>The form's model: the API's input with the UI's own choices (all cameras, the set chosen).</summary>
    private sealed class Form
    {
        public int Id { get; set; }
        public string Name { get; set; } = "";
        public ChannelKind Kind { get; set; }
        public bool Enabled { get; set; } = true;
        public EventKinds Events { get; set; } = EventKinds.MotionStarted | EventKinds.ClipCompleted | EventKinds.DiskFull | EventKinds.JobFailed;
        public bool AllCameras { get; set; } = true;
        public HashSet<int> CameraIds { get; } = [];
        public string? QuietFrom { get; set; }
        public string? QuietTo { get; set; }
        public int MinGapSeconds { get; set; } = 60;
        public string? Address { get; set; }
        public int Port { get; set; }
        public WebhookShape Shape { get; set; }
        public SmtpSecurity Security { get; set; }
        public string? UserName { get; set; }
        public string? From { get; set; }
        public string? To { get; set; }
        public string? Secret { get; set; }
        public bool HasSecret { get; set; }
        public string? Labels { get; set; }
    }

    protected override async Task OnInitializedAsync()
    {
        cameras = await Registry.ListAsync(CancellationToken.None);
        await LoadAsync();
        // New deliveries (and channels saved by another admin) show without a reload.
        changes = Updates.Subscribe(TimeSpan.FromSeconds(1), () => InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }), PageTopic.Notifications);
    }

    public void Dispose() => changes?.Dispose();

    private async Task LoadAsync()
    {
        channels = await Store.ListAsync(CancellationToken.None);
        deliveries = await Store.DeliveriesAsync(null, 50, CancellationToken.None);
    }

    private void StartAdding()
    {
        // A second press (a double click, or a click queued behind a slow first one) keeps what was typed.
        if (formOpen && editing.Id == 0)
            return;
        editing = new Form();
        formOpen = true;
        error = null;
    }

    private void Edit(NotificationChannel channel)
    {
        var info = NotificationsApi.Info(channel);
        editing = new Form
        {
            Id = channel.Id, Name = channel.Name, Kind = channel.Kind, Enabled = channel.Enabled, Events = channel.Events, AllCameras = channel.CameraIds is null,
            QuietFrom = channel.QuietFromMinutes == channel.QuietToMinutes ? null : info.QuietFrom, QuietTo = channel.QuietFromMinutes == channel.QuietToMinutes ? null : info.QuietTo,
            MinGapSeconds = channel.MinGapSeconds, Address = channel.Address, Port = channel.Port, Shape = channel.Shape, Security = channel.Security,
            UserName = channel.UserName, From = channel.From, To = channel.To, HasSecret = info.HasSecret,
            Labels = info.Labels is null ? null : string.Join(", ", info.Labels),
        };
        editing.CameraIds.UnionWith(info.CameraIds ?? []);
        formOpen = true;
        error = null;
    }

    private async Task SaveAsync()
    {
        var form = editing;
        var input = new NotificationsApi.ChannelInput(form.Name, form.Kind, form.Enabled, form.Events, form.AllCameras ? null : [.. form.CameraIds],
            form.QuietFrom, form.QuietTo, form.MinGapSeconds, form.Address, form.Port, form.Shape, form.Security, form.UserName, form.From, form.To,
            string.IsNullOrEmpty(form.Secret) ? null : form.Secret,
            string.IsNullOrWhiteSpace(form.Labels) ? null : form.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var (channel, problem) = NotificationsApi.Validate(input, form.Id);
        if (channel is null)
        {
            error = problem;
            return;
        }
        if (await Store.SaveAsync(channel, input.Secret, await ActorAsync(), CancellationToken.None) is null)
        {
            error = "This channel was deleted meanwhile (by another admin): add it again.";
            return;
        }
        formOpen = false;
        error = null;
        await LoadAsync();
    }

    private async Task TestAsync(NotificationChannel channel)
    {
        testing = channel.Id;
        tested = null;
        StateHasChanged();
        var (delivered, outcome) = await NotificationsApi.SendTestAsync(channel, Store, Sender, Time, CancellationToken.None);
        tested = (delivered, $"{channel.Name}: {(delivered ? "delivered" : "failed")} — {outcome}");
        testing = null;
        await LoadAsync();
    }

    private async Task DeleteAsync(NotificationChannel channel)
    {
        if (!await Dialogs.ConfirmAsync("Delete channel", $"Delete \"{channel.Name}\" and its delivery log?", "Delete"))
            return;
        await Store.DeleteAsync(channel.Id, await ActorAsync(), CancellationToken.None);
        await LoadAsync();
    }

    private async Task<string> ActorAsync() => (await AuthenticationState).User.Identity?.Name ?? "?";

    private string SecretLabel(string label) => editing.HasSecret ? $"{label} (stored; type to replace)" : label;

    private string CameraName(int id) => cameras.FirstOrDefault(c => c.Id == id)?.Name ?? $"#{id}";

    private static string Target(NotificationChannel channel) => channel.Kind switch
    {
        ChannelKind.Webhook => $"{ShapeText(channel.Shape)}: {channel.Address}",
        ChannelKind.Email => $"e-mail to {channel.To} via {channel.Address}",
        _ => $"MQTT {channel.Address}:{(channel.Port > 0 ? channel.Port : 1883)}, {channel.TopicPrefix}/…{(string.IsNullOrWhiteSpace(channel.To) ? "" : ", Home Assistant discovery")}",
    };

    private static string ShapeText(WebhookShape shape) => shape switch
    {
        WebhookShape.Ntfy => "ntfy",
        WebhookShape.Gotify => "Gotify",
        WebhookShape.Discord => "Discord",
        WebhookShape.Slack => "Slack",
        _ => "JSON event (generic)",
    };

    private static string KindText(EventKinds kind) => kind switch
    {
        EventKinds.MotionStarted => "motion",
        EventKinds.MotionEnded => "motion ended",
        EventKinds.ObjectDetected => "object detected",
        EventKinds.ClipCompleted => "clip finished",
        EventKinds.CameraOnline => "camera online",
        EventKinds.CameraOffline => "camera offline",
        EventKinds.CameraPending => "camera waiting for approval",
        EventKinds.DiskFull => "disk full",
        EventKinds.JobFailed => "job failed",
        _ => kind.ToString(),
    };
}
