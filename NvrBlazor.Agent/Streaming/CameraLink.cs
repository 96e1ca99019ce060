using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using FFMpegCore;
using NvrBlazor.Agent.Capture;
using NvrBlazor.Domain.Agent;
using NvrBlazor.Domain.Ingest;
using NvrBlazor.Domain.Motion;

namespace NvrBlazor.Agent.Streaming;

public enum LinkState { Connecting, Connected, Refused, Disconnected, Stopped }

/// <summary>
/// One camera of the agent: keeps a WebSocket to the server's <c>/ingest</c> open (reconnecting with
/// <see cref="ReconnectDelay"/>), captures with <see cref="FfmpegCapture"/> while connected and not paused, sends each
/// picture as the protocol's binary frame, and applies the server's commands (<see cref="AgentCommands"/>), echoing them.
/// Everything it does is said in one log line per event, with the camera's name and never its token.
/// </summary>
public sealed class CameraLink(AgentConfig config, AgentCamera camera, FFOptions ffmpeg, Action<string> agentLog)
{
    private static readonly TimeSpan PausedBeat = TimeSpan.FromSeconds(2);
    private const int MaxServerMessageBytes = 64 * 1024;
    private readonly ReconnectDelay delay = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private CancellationTokenSource? captureRun;
    private long framesSent;
    private readonly Action<string> log = line => agentLog(SecretText.Redact(line));

    public string Name => camera.Name;
    public LinkState State { get; private set; } = LinkState.Connecting;
    public string? LastProblem { get; private set; }
    public int? CameraId { get; private set; }
    public CaptureSettings Settings { get; private set; } = camera.Capture;
    public long FramesSent => Interlocked.Read(ref framesSent);
    public DateTimeOffset? NextAttemptAt { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            State = LinkState.Connecting;
            TimeSpan wait;
            using (var socket = new ClientWebSocket())
            {
                socket.Options.CollectHttpResponseDetails = true;
                socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
                try
                {
                    using var connectLimit = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    connectLimit.CancelAfter(TimeSpan.FromSeconds(15));
                    await socket.ConnectAsync(config.IngestUri(camera.Token), connectLimit.Token);
                }
                catch (Exception e) when (!stop.IsCancellationRequested && e is WebSocketException or OperationCanceledException or HttpRequestException)
                {
                    var refused = socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                    wait = refused ? delay.Refused() : delay.Failed();
                    State = refused ? LinkState.Refused : LinkState.Disconnected;
                    LastProblem = socket.HttpStatusCode switch
                    {
                        HttpStatusCode.Unauthorized => $"the server refused the token {camera.TokenHint} (401): check this camera's \"token\" in agent.json, or rotate it on Admin > Cameras",
                        HttpStatusCode.Forbidden => "the server refused the camera (403): an admin has disabled it",
                        HttpStatusCode.TooManyRequests => "the server asks to slow down (429: too many connection attempts from this address)",
                        { } status when status != 0 => $"the server answered {(int)status} {status} instead of opening the WebSocket",
                        _ => $"cannot reach {config.Server}: {Inner(e).Message}",
                    };
                    await WaitAsync(wait, stop);
                    continue;
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                State = LinkState.Connected;
                LastProblem = null;
                var reason = await SessionAsync(socket, stop);
                if (stop.IsCancellationRequested)
                {
                    await CloseAsync(socket, "the agent is stopping");
                    break;
                }
                State = LinkState.Disconnected;
                LastProblem = reason;
                wait = delay.Failed();
            }
            await WaitAsync(wait, stop);
        }
        State = LinkState.Stopped;
        log($"{camera.Name}: stopped after sending {FramesSent} frames");
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken stop)
    {
        NextAttemptAt = DateTimeOffset.UtcNow + wait;
        log($"{camera.Name}: {LastProblem}; trying again in {wait.TotalSeconds:0} s");
        try
        {
            await Task.Delay(wait, stop);
        }
        catch (OperationCanceledException)
        {
        }
        NextAttemptAt = null;
    }

    /// <summary>One connection: capture and send until the server closes, the network fails, or the agent stops. Returns why it ended.</summary>
    private async Task<string> SessionAsync(ClientWebSocket socket, CancellationToken stop)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var frames = Channel.CreateBounded<CapturedFrame>(new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var motion = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });
        var sender = SendFramesAsync(socket, frames.Reader, session.Token);
        var capture = CaptureLoopAsync(socket, frames.Writer, motion.Writer, session.Token);
        var motionSender = SendMotionAsync(socket, motion.Reader, session.Token);
        string reason;
        try
        {
            await SendTextAsync(socket, JsonSerializer.Serialize(Settings.Status(camera.Name)), session.Token);
            // "MotionEnd" at once tells the server this camera reports its own motion (in Auto it then stops
            // decoding this camera's frames for its own detector) and that nothing moves yet.
            if (camera.Motion is not null)
                await SendTextAsync(socket, "MotionEnd", session.Token);
            reason = await ReceiveAsync(socket, session.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            reason = stop.IsCancellationRequested ? "stopping" : $"the connection failed: {Inner(e).Message}";
        }
        await session.CancelAsync();
        await Task.WhenAll(sender, capture, motionSender);
        return reason;
    }

    private async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken stop)
    {
        var buffer = new byte[4096];
        var carried = false;
        while (true)
        {
            var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(socket, "closed by the server"); // answer the close, so the server sees a clean end
                    return $"the server closed the connection ({(int?)result.CloseStatus} {result.CloseStatusDescription})";
                }
                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxServerMessageBytes)
                {
                    await CloseAsync(socket, "message too big", WebSocketCloseStatus.MessageTooBig);
                    return $"the server sent a message over {MaxServerMessageBytes / 1024} KB (commands are short): disconnected";
                }
            }
            while (!result.EndOfMessage);
            if (result.MessageType != WebSocketMessageType.Text)
                continue;
            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            if (text.StartsWith("connected=", StringComparison.Ordinal))
            {
                CameraId = int.TryParse(text["connected=".Length..], out var id) ? id : null;
                log($"{camera.Name}: connected to {config.Server} as camera {CameraId}, sending {Settings.Width}x{Settings.Height} at {Settings.Fps} fps");
                continue;
            }
            if (text.StartsWith("ack=", StringComparison.Ordinal))
            {
                if (!carried)
                {
                    carried = true;
                    delay.Succeeded(); // the server takes our frames: the next failure starts from a short wait again
                }
                continue;
            }
            await ApplyAsync(socket, text, stop);
        }
    }

    private async Task ApplyAsync(ClientWebSocket socket, string command, CancellationToken stop)
    {
        var outcome = AgentCommands.Apply(Settings, command);
        var before = Settings;
        Settings = outcome.Settings;
        foreach (var echo in outcome.Echoes)
            await SendTextAsync(socket, echo, stop);
        foreach (var refusal in outcome.Refused)
            await SendTextAsync(socket, "refused " + refusal, stop);
        if (outcome.StatusAsked)
            await SendTextAsync(socket, JsonSerializer.Serialize(Settings.Status(camera.Name)), stop);
        if (Settings != before)
        {
            log($"{camera.Name}: the server set {string.Join(";", outcome.Echoes)}");
            try
            {
                captureRun?.Cancel(); // the capture loop starts again with the new settings (or pauses)
            }
            catch (ObjectDisposedException)
            {
                // between two runs: the next one reads the new settings
            }
        }
    }

    /// <summary>Sends MotionStart/MotionEnd as the detector changes its mind (at most one of each in turn).</summary>
    private async Task SendMotionAsync(ClientWebSocket socket, ChannelReader<bool> changes, CancellationToken stop)
    {
        var on = false;
        await Safely(async () =>
        {
            await foreach (var motion in changes.ReadAllAsync(stop))
            {
                if (motion == on)
                    continue;
                on = motion;
                await SendTextAsync(socket, motion ? "MotionStart" : "MotionEnd", stop);
            }
        });
    }

    /// <summary>The gray output for this run's settings, feeding a fresh detector (a new size is a new background).</summary>
    private GrayOutput? MotionOutput(CaptureSettings settings, ChannelWriter<bool> changes)
    {
        if (camera.Motion is not { } motion)
            return null;
        // Motion ends after about a second without change, whatever the rate.
        var detector = new MotionDetector(motion with { StopFrames = Math.Max(motion.StopFrames, settings.Fps) });
        var (width, height) = GrayOutput.SizeFor(settings);
        changes.TryWrite(false);
        return new GrayOutput(width, height, picture =>
        {
            var result = detector.Analyse(picture.Span, width, height);
            if (result.Started || result.Ended)
                changes.TryWrite(result.Motion);
        });
    }

    private async Task CaptureLoopAsync(ClientWebSocket socket, ChannelWriter<CapturedFrame> frames, ChannelWriter<bool> motion, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var settings = Settings;
            using var run = CancellationTokenSource.CreateLinkedTokenSource(stop);
            captureRun = run;
            if (settings.Paused)
            {
                // The server closes a connection that is silent for 10 s: a paused camera says so every 2 s.
                await Safely(() => SendTextAsync(socket, "paused", stop));
                await Safely(() => Task.Delay(PausedBeat, run.Token));
                continue;
            }
            var started = DateTimeOffset.UtcNow;
            var ended = await FfmpegCapture.RunAsync(camera.Source, camera.InputOptions, settings, frames, MotionOutput(settings, motion), ffmpeg, run.Token);
            if (run.IsCancellationRequested)
                continue; // stopping, or new settings
            failures = DateTimeOffset.UtcNow - started > TimeSpan.FromSeconds(30) ? 1 : failures + 1;
            var wait = TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5)));
            var problem = SecretText.Redact($"capture from {camera.Source} stopped: {ended}; starting it again in {wait.TotalSeconds:0} s");
            log($"{camera.Name}: {problem}");
            LastProblem = problem;
            // Said on the camera's message log; repeated every 5 s so the server does not close the silent connection.
            for (var waited = TimeSpan.Zero; waited < wait && !stop.IsCancellationRequested; waited += TimeSpan.FromSeconds(5))
            {
                await Safely(() => SendTextAsync(socket, problem, stop));
                await Safely(() => Task.Delay(TimeSpan.FromSeconds(Math.Min(5, (wait - waited).TotalSeconds)), stop));
            }
        }
    }

    private async Task SendFramesAsync(ClientWebSocket socket, ChannelReader<CapturedFrame> frames, CancellationToken stop)
    {
        var header = new byte[NvrFrameParser.HeaderBytes];
        try
        {
            await foreach (var frame in frames.ReadAllAsync(stop))
            {
                // The capture time and the JPEG as two fragments of one message: the picture is not copied.
                BinaryPrimitives.WriteInt64BigEndian(header, frame.CapturedAtMs);
                await SendAsync(socket, WebSocketMessageType.Binary, stop, header, frame.Jpeg);
                Interlocked.Increment(ref framesSent);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The session ends: the receive loop reports why.
        }
    }

    private Task SendTextAsync(ClientWebSocket socket, string payload, CancellationToken stop) =>
        SendAsync(socket, WebSocketMessageType.Text, stop, Encoding.UTF8.GetBytes($"#{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}|{payload}"));

    /// <summary>One message from its parts; messages from the capture, the commands and the motion detector take turns.</summary>
    private async Task SendAsync(ClientWebSocket socket, WebSocketMessageType type, CancellationToken stop, params ReadOnlyMemory<byte>[] parts)
    {
        await sending.WaitAsync(stop);
        try
        {
            for (var i = 0; i < parts.Length; i++)
                await socket.SendAsync(parts[i], type, i == parts.Length - 1, stop);
        }
        finally
        {
            sending.Release();
        }
    }

    private static async Task Safely(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
        }
    }

    private static async Task CloseAsync(ClientWebSocket socket, string reason, WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Safely(() => socket.State == WebSocketState.CloseReceived
            ? socket.CloseOutputAsync(status, reason, limit.Token)
            : socket.CloseAsync(status, reason, limit.Token));
    }

    private static Exception Inner(Exception e) => e.InnerException is { } inner && e is WebSocketException or HttpRequestException ? Inner(inner) : e;
}
