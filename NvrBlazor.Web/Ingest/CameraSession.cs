using System.Net.WebSockets;
using System.Text;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Ingest;

public enum CameraProtocol
{
    /// <summary>/ws: the ESP32-CAM_MJPEG2SD firmware's protocol, byte for byte (../shared/ESP32_PROTOCOL.md).</summary>
    Esp32,
    /// <summary>/ingest: NvrBlazor's own protocol for browsers and agents (docs/protocol.md).</summary>
    Nvr,
}

/// <summary>
/// One camera connection: reassembled messages, `#time|payload` text, frames, commands, idle timeout.
/// ESP32 cameras identify themselves by their first status; NvrBlazor-protocol cameras are known
/// (token or admin cookie) before the socket opens. Nothing a camera sends can throw past this class
/// or touch another camera.
/// </summary>
public sealed partial class CameraSession(
    WebSocket socket, CameraProtocol protocol, Camera? known, string? remoteAddress, CameraRegistry registry, CameraHub hub,
    IngestOptions options, IngestLogThrottle throttle, TimeProvider clock, ILogger<CameraSession> logger)
{
    private static readonly TimeSpan AckEvery = TimeSpan.FromSeconds(1);
    private DateTimeOffset nextAck;
    private readonly FrameRateLimit rateLimit = new(options.MaxFps);
    private readonly CaptureClock captureClock = new(protocol == CameraProtocol.Esp32 ? CaptureClock.Esp32Resolution : CaptureClock.MillisecondResolution);
    private readonly SemaphoreSlim sending = new(1, 1);
    // This connection's hold on its camera, once it is known: the only way to publish frames or take it offline.
    private CameraSourceLink? link;
    private CameraLive? camera => link?.Camera;
    // One delegate instance: the hub compares it to know whether this session is still the camera's current one.
    private Action<string>? requestClose;
    // The firmware has one command slot, filled only when empty and run once per frame loop: after a
    // message is sent, the next waits until the camera has sent something (a frame, an echo, "paused").
    private bool commandInFlight;
    private DateTimeOffset nextStatusPoll;

    public async Task RunAsync(CancellationToken aborted)
    {
        requestClose = RequestClose;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var reader = new WebSocketMessageReader(socket, options.MaxMessageBytes);
        if (protocol == CameraProtocol.Esp32)
        {
            // The Python server's greeting; the firmware ignores it, we send it for compatibility.
            // Not the machine name: anyone on the network may connect here.
            await SendTextAsync("Connected to: NvrBlazor", stop.Token);
        }
        else
        {
            _ = Attach(known!); // an authenticated connection always attaches (it replaces an older one)
            await SendTextAsync($"connected={known!.Id}", stop.Token);
        }
        // One timer per connection, pushed back by every message (no timer per message): when it fires,
        // the camera is told why in a close frame and aborted if it does not answer within 2 s.
        using var idle = new Timer(_ => OnIdle(), null, options.IdleTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var message = await reader.ReceiveAsync(stop.Token);
                idle.Change(options.IdleTimeout, Timeout.InfiniteTimeSpan);
                switch (message.Kind)
                {
                    case ReceivedKind.Closed:
                        await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                        return;
                    case ReceivedKind.TooBig:
                        if (camera is not null)
                            Interlocked.Increment(ref camera.Counters.OversizedMessages);
                        LogTooBig(logger, CameraName, options.MaxMessageBytes);
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message over {options.MaxMessageBytes} bytes (Nvr:Ingest:MaxMessageBytes)");
                        return;
                    case ReceivedKind.Text:
                        if (!await OnTextAsync(Encoding.UTF8.GetString(message.Bytes.Span), stop.Token))
                            return;
                        break;
                    case ReceivedKind.Binary:
                        if (!await OnFrameAsync(message.Bytes, stop.Token))
                            return;
                        break;
                }
                commandInFlight = false;
                await SendNextCommandAsync(stop.Token);
                await SendAckAsync(stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The network went away: the camera reconnects by itself 10 s later.
        }
        finally
        {
            if (link is not null)
            {
                link.Dispose();
                LogDisconnected(logger, link.Camera.Name);
                await registry.RememberLastSeenAsync(link.Camera);
            }
        }
    }

    private async void OnIdle()
    {
        try
        {
            LogIdle(logger, CameraName, options.IdleTimeoutSeconds);
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"no message for {options.IdleTimeoutSeconds} s");
            await Task.Delay(TimeSpan.FromSeconds(2));
            // The camera did not answer the close: the pending receive ends with the abort.
            if (socket.State != WebSocketState.Closed)
                socket.Abort();
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
        }
    }

    private string CameraName => camera?.Name ?? $"unidentified camera at {remoteAddress}";

    private async Task<bool> OnTextAsync(string text, CancellationToken cancellationToken)
    {
        var message = Esp32TextParser.Parse(text);
        if (camera is null)
        {
            var hostName = message.Status?.GetValueOrDefault("hostName");
            if (string.IsNullOrWhiteSpace(hostName))
                return true; // Not identified yet: the status JSON or a frame will tell who this is.
            if (!await IdentifyAsync(hostName.Trim(), cancellationToken))
                return false;
        }
        var now = clock.GetUtcNow();
        var messages = link!.Messages;
        messages.AddLog(now, outgoing: false, message.Payload);
        switch (message.Kind)
        {
            case Esp32TextKind.Status:
                messages.MergeStatus(message.Status!);
                break;
            case Esp32TextKind.MotionStart:
                link.ReportMotion(true, now);
                break;
            case Esp32TextKind.MotionEnd:
                link.ReportMotion(false, now);
                break;
            case Esp32TextKind.Setting:
                messages.SetStatusValue(message.SettingKey!, message.SettingValue!);
                break;
            case Esp32TextKind.Info when message.Payload.TrimStart().StartsWith('{'):
                Interlocked.Increment(ref link.Counters.BrokenJson);
                break;
            case Esp32TextKind.Paused:
                messages.SetPaused(true);
                break;
            case Esp32TextKind.Info:
                messages.SetInfo(now, message.Payload);
                break;
        }
        return true;
    }

    private async Task<bool> OnFrameAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        // A camera without a set clock sends no text at all: it is known by its address.
        if (camera is null && !await IdentifyAsync($"ip:{remoteAddress}", cancellationToken))
            return false;
        var now = clock.GetUtcNow();
        if (!rateLimit.TryTake(now))
        {
            // Dropped before any copy: a flooding camera costs us a parse of nothing.
            Interlocked.Increment(ref camera!.Counters.DroppedOverMaxFps);
            if (throttle.Allow($"maxfps:{camera.Id}", now, out var held))
                LogOverMaxFps(logger, camera.Name, options.MaxFps, held);
            return true;
        }
        var frame = protocol == CameraProtocol.Esp32 ? Esp32FrameParser.Parse(bytes) : NvrFrameParser.Parse(bytes);
        if (!frame.IsUsable)
        {
            Interlocked.Increment(ref camera!.Counters.NotJpeg);
            if (throttle.Allow($"frame:{camera.Id}", now, out var held))
                LogBadFrame(logger, camera.Name, frame.Problem, held);
            return true;
        }
        if (frame.Problem == FrameProblem.NoTimestamp)
            Interlocked.Increment(ref camera!.Counters.NoTimestamp);
        // The one copy of a frame: the receive buffer is reused, subscribers share this array. It is not zeroed
        // first, as ToArray's would be: the copy fills it (that zeroing was 1 % of an idle server's CPU at 50 cameras).
        var jpeg = GC.AllocateUninitializedArray<byte>(frame.Jpeg.Length);
        frame.Jpeg.Span.CopyTo(jpeg);
        link!.Publish(new LiveFrame(link.Camera.Id, jpeg, frame.CameraTimeMs, now, captureClock.CapturedAt(frame.CameraTimeMs, now)));
        return true;
    }

    /// <summary>
    /// Sends queued commands, packed into one message that fits the camera's 127-byte slot. When none
    /// are waiting and the poll is due, asks for the quick status (status?q) on its own: the reference
    /// server refreshed every camera once a minute (Nvr:Ingest:StatusPollSeconds).
    /// </summary>
    private async Task SendNextCommandAsync(CancellationToken cancellationToken)
    {
        if (link is null || commandInFlight)
            return;
        var now = clock.GetUtcNow();
        var queued = link.Commands.TakeAll();
        string message;
        if (queued.Count > 0)
        {
            message = Esp32Commands.Pack(queued)[0];
            var sentCount = message.Split(';').Length;
            link.Commands.ReturnUnsent(queued.SelectMany(c => c.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Skip(sentCount));
        }
        else if (now >= nextStatusPoll)
        {
            message = "status?q";
            nextStatusPoll = now + options.StatusPoll;
        }
        else
        {
            return;
        }
        await SendTextAsync(message, cancellationToken);
        link.Messages.AddLog(now, outgoing: true, message);
        commandInFlight = true;
    }

    private async Task<bool> IdentifyAsync(string hostName, CancellationToken cancellationToken)
    {
        if (hostName.Length > 64)
            hostName = hostName[..64];
        if (NvrBlazor.Domain.Users.LogText.HasControl(hostName))
        {
            // A newline in a name would forge log lines and break every page that shows it.
            if (throttle.Allow($"control:{remoteAddress}", clock.GetUtcNow(), out var dropped))
                LogRefused(logger, NvrBlazor.Domain.Users.LogText.Safe(hostName), remoteAddress, "its hostName contains control characters", dropped);
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "hostName contains control characters");
            return false;
        }
        var admission = await registry.AdmitEsp32Async(hostName, remoteAddress, options.Esp32Admission, options.MaxPending, cancellationToken);
        if (admission.Refusal is not null)
        {
            // A refused camera retries every 10 s for ever: one line a minute is enough.
            if (throttle.Allow($"refused:{hostName}", clock.GetUtcNow(), out var held))
                LogRefused(logger, hostName, remoteAddress, admission.Refusal, held);
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, admission.Refusal);
            return false;
        }
        if (Attach(admission.Camera!) is { } conflict)
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, conflict);
            return false;
        }
        return true;
    }

    /// <summary>The refusal when the camera is live on another connection that this one may not replace; null when attached.</summary>
    private string? Attach(Camera registered)
    {
        link = hub.Connect(registered, remoteAddress, requestClose!, clock.GetUtcNow(), mayReplaceLive: protocol == CameraProtocol.Nvr, out var refusal);
        if (link is null)
        {
            var live = hub.For(registered);
            if (throttle.Allow($"conflict:{registered.Id}", clock.GetUtcNow(), out var held))
                LogConflict(logger, live.Name, remoteAddress, live.RemoteAddress, held);
            return refusal;
        }
        // The first status arrives unasked; the first poll comes one interval after connecting.
        nextStatusPoll = clock.GetUtcNow() + options.StatusPoll;
        LogConnected(logger, link.Camera.Name, remoteAddress, link.Camera.State);
        return null;
    }

    /// <summary>NvrBlazor protocol only: once a second, how many frames the server has taken (the publisher shows it).</summary>
    private async Task SendAckAsync(CancellationToken cancellationToken)
    {
        if (protocol != CameraProtocol.Nvr || camera is null)
            return;
        var now = clock.GetUtcNow();
        if (now < nextAck)
            return;
        nextAck = now + AckEvery;
        await SendTextAsync($"ack={Interlocked.Read(ref camera.Counters.FramesReceived)}", cancellationToken);
    }

    /// <summary>
    /// Called by the hub when this session must end (replaced by a reconnect, camera disabled or
    /// deleted). A close frame with the reason, not a cancelled receive: cancelling would abort the
    /// socket and the camera would never learn why.
    /// </summary>
    private void RequestClose(string reason) => _ = CloseAsync(WebSocketCloseStatus.PolicyViolation, reason);

    private async Task SendTextAsync(string text, CancellationToken cancellationToken)
    {
        await sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sending.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        // Close reasons are limited to 123 bytes by the WebSocket protocol.
        var text = reason.Length > 120 ? reason[..120] : reason;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await sending.WaitAsync(timeout.Token);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(status, text, timeout.Token);
            }
            finally
            {
                sending.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Camera '{Camera}' connected from {RemoteAddress} ({State}).")]
    private static partial void LogConnected(ILogger logger, string camera, string? remoteAddress, CameraState state);

    [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "Camera '{Camera}' disconnected.")]
    private static partial void LogDisconnected(ILogger logger, string camera);

    [LoggerMessage(EventId = 318, Level = LogLevel.Warning, Message = "Camera '{Camera}': a second connection from {RemoteAddress} claimed it while it is live from {LiveAddress}; refused. If the camera moved, it reconnects once the old connection is idle ({Held} more in the last minute).")]
    private static partial void LogConflict(ILogger logger, string camera, string? remoteAddress, string? liveAddress, int held);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Camera '{HostName}' from {RemoteAddress} refused: {Reason} ({Held} more refusals in the last minute).")]
    private static partial void LogRefused(ILogger logger, string hostName, string? remoteAddress, string reason, int held);

    [LoggerMessage(EventId = 316, Level = LogLevel.Warning, Message = "Camera '{Camera}' sends more than {MaxFps} frames/s (Nvr:Ingest:MaxFps): excess frames dropped ({Held} more in the last minute).")]
    private static partial void LogOverMaxFps(ILogger logger, string camera, double maxFps, int held);

    [LoggerMessage(EventId = 317, Level = LogLevel.Warning, Message = "Camera '{Camera}' sent a binary message that is not a usable JPEG frame ({Problem}); dropped ({Held} more in the last minute).")]
    private static partial void LogBadFrame(ILogger logger, string camera, NvrBlazor.Domain.Ingest.FrameProblem problem, int held);

    [LoggerMessage(EventId = 313, Level = LogLevel.Information, Message = "{Camera}: nothing received for {Seconds} s (Nvr:Ingest:IdleTimeoutSeconds); connection closed.")]
    private static partial void LogIdle(ILogger logger, string camera, int seconds);

    [LoggerMessage(EventId = 314, Level = LogLevel.Warning, Message = "{Camera}: a message over {Limit} bytes (Nvr:Ingest:MaxMessageBytes); connection closed with 1009.")]
    private static partial void LogTooBig(ILogger logger, string camera, int limit);
}
