using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Live;

public partial class CameraControls
{
    public const int LogShown = 30;
    [Parameter, EditorRequired] public int CameraId { get; set; }
    [Parameter, EditorRequired] public string CameraName { get; set; } = "";
    [Parameter, EditorRequired] public CameraKind Kind { get; set; }

    private string command = "";
    private string? feedback;
    private bool showLog;
    private bool open;
    private IDisposable? activity;
    private (string Command, DateTimeOffset At)? lastSent;
    private CommandConfirmation? confirmation;

    private CameraLive? Live => Hub.Find(CameraId);
    private bool Paused => Live?.Paused == true || Live?.StatusValue("pause") == "1";
    private int? FrameSizeIndex => FrameSizes.FromStatus(Live?.StatusValue("framesize"))?.Index;
    private int? Lamp => int.TryParse(Live?.StatusValue("lamp"), out var lamp) ? Math.Clamp(lamp, 0, 15) : null;
    private int? Quality => int.TryParse(Live?.StatusValue("quality"), out var quality) ? Math.Clamp(quality, 4, 63) : null;
    /// <summary>Newest first: the echo of what was just sent is at the top, in view.</summary>
    private IReadOnlyList<CameraLogEntry> Log => Live?.Log.TakeLast(LogShown).Reverse().ToList() ?? [];

    /// <summary>The camera's status keys plus the firmware's extra commands (ESP32_PROTOCOL.md).</summary>
    private IEnumerable<string> Suggestions =>
        (Live?.Status.Keys ?? []).Concat(Esp32Commands.Extras).Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase);

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter" && await SendAsync(command))
            command = "";
    }

    private async Task<bool> SendAsync(string text)
    {
        if (await Access.CurrentAdminAsync(AuthenticationStateProvider) is not { } admin)
        {
            feedback = "Only admins control cameras.";
            return false;
        }
        var sentAt = Clock.GetUtcNow(); // before the send: a quick camera may echo before SendAsync returns
        var result = await Control.SendAsync(admin, CameraId, text, CancellationToken.None);
        if (result.Outcome == CommandOutcome.Queued)
        {
            lastSent = (text.Trim(), sentAt);
            Confirm();
            Follow();
            _ = RecheckAsync(lastSent.Value);
        }
        else
        {
            lastSent = null;
            confirmation = null;
            feedback = result.Problem;
        }
        if (result.Outcome == CommandOutcome.Queued && text.Trim() is "pause=1" or "pause=0")
            Live?.Messages.SetStatusValue("pause", text.Trim()[^1..]);
        return result.Outcome == CommandOutcome.Queued;
    }

    private bool? manualShown;
    private bool Manual => manualShown ?? Recording.IsManual(CameraId);

    private async Task ToggleRecordingAsync()
    {
        if (await Access.CurrentAdminAsync(AuthenticationStateProvider) is null)
        {
            feedback = "Only admins record by hand.";
            return;
        }
        var record = !Manual;
        lastSent = null; // the feedback below is about recording, not the last command
        confirmation = null;
        if (Recording.SetManual(CameraId, record))
        {
            manualShown = record;
            feedback = record ? "Recording until you stop it" : "Recording stopped";
        }
        else
        {
            feedback = "This camera cannot record now: it must be approved and online.";
        }
    }

    private void ToggleOpen()
    {
        open = !open;
        Follow();
    }

    /// <summary>Opened by a click or a tap (hover cannot be reached on a phone); while open it follows the camera's messages.</summary>
    private void ToggleLog()
    {
        showLog = !showLog;
        Follow();
    }

    /// <summary>Follows the camera's messages while the panel is open or an echo is awaited; nothing otherwise.</summary>
    private void Follow()
    {
        var needed = open || confirmation == CommandConfirmation.Waiting;
        if (needed)
        {
            activity ??= Updates.Subscribe(TimeSpan.FromSeconds(1), () => InvokeAsync(() => { Confirm(); Follow(); StateHasChanged(); }), PageTopic.CameraActivity);
            return;
        }
        activity?.Dispose();
        activity = null;
    }

    /// <summary>A camera that went quiet sends no activity to re-check on: the verdict is taken once the wait is over.</summary>
    private async Task RecheckAsync((string Command, DateTimeOffset At) sent)
    {
        await Task.Delay(CommandEcho.Wait + TimeSpan.FromMilliseconds(200), Clock);
        if (lastSent == sent)
            await InvokeAsync(() => { Confirm(); Follow(); StateHasChanged(); });
    }

    /// <summary>"lamp=7: waiting for the camera", then confirmed or "not confirmed by the camera" after 5 s (ESP32_PROTOCOL.md: most settings are echoed).</summary>
    private void Confirm()
    {
        if (lastSent is not { } sent)
            return;
        var received = Live?.Log.Where(e => !e.Outgoing).Select(e => (e.At, e.Text)).ToList() ?? [];
        confirmation = CommandEcho.Check(sent.Command, sent.At, received, Clock.GetUtcNow());
        feedback = confirmation switch
        {
            CommandConfirmation.Confirmed => $"{sent.Command}: confirmed by the camera",
            CommandConfirmation.Waiting => $"Sent {sent.Command}, waiting for the camera",
            CommandConfirmation.NotConfirmed => $"{sent.Command}: not confirmed by the camera",
            _ => $"Sent {sent.Command}",
        };
    }

    public void Dispose() => activity?.Dispose();
}
