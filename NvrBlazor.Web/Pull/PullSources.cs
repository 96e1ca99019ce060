using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using FFMpegCore;
using NvrBlazor.Agent.Capture;
using NvrBlazor.Domain.Agent;
using NvrBlazor.Domain.Pull;

namespace NvrBlazor.Web.Pull;

/// <summary>
/// How one attempt to pull a camera ended, in words for the admin; <see cref="Refused"/>: the camera refused us (401, 403)
/// and a person must fix it; <see cref="Interrupted"/>: our own ffmpeg got a stop signal (the server's process group is
/// being stopped), which is no fault of the camera.
/// </summary>
public sealed record PullEnd(string Reason, bool Refused = false, bool Interrupted = false);

/// <summary>One way of fetching a camera's JPEG pictures: hands each to <c>onPicture</c> until the source fails (the answer says why) or <c>stop</c> is cancelled.</summary>
public interface IPullSource
{
    Task<PullEnd> RunAsync(Action<byte[]> onPicture, CancellationToken stop);
}

/// <summary>What the HTTP sources share: a client per camera (its login answers Basic or Digest challenges) and errors in the words an admin needs.</summary>
public static class HttpPull
{
    /// <summary>How long a camera may take to connect, answer, or send the next bytes of its stream.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The largest picture taken (a snapshot, or a stream with no picture in it that long is not MJPEG).</summary>
    public const int MaxPictureBytes = 8 * 1024 * 1024;

    public static HttpClient ClientFor(PullLogin? login)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = Timeout,
            MaxAutomaticRedirections = 3,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (login is not null)
        {
            handler.Credentials = new NetworkCredential(login.User, login.Password);
            handler.PreAuthenticate = true;
        }
        return new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The camera's answer when it is not a success: 401 and 403 are refusals (retried slowly), anything else an error.</summary>
    public static PullEnd? Refusal(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Unauthorized => new("401 from camera: check the user and password", Refused: true),
        HttpStatusCode.Forbidden => new("403 from camera: this user may not see the stream", Refused: true),
        var code when (int)code >= 300 => new($"HTTP {(int)code} {response.ReasonPhrase} from camera: check the URL"),
        _ => null,
    };

    public static string MediaType(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType ?? "no content type";

    /// <summary>Why an HTTP exchange with a camera failed, in a few words (never the URL's credentials: the stored URL has none).</summary>
    public static string Describe(Exception e)
    {
        if (e is OperationCanceledException)
            return $"no answer from the camera for {Timeout.TotalSeconds:0} s";
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        if (socket is not null)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused: nothing listens at that address and port",
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found: check the address",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable: is the camera on this network?",
                SocketError.TimedOut => $"the camera did not answer within {Timeout.TotalSeconds:0} s",
                SocketError.ConnectionReset => "the camera reset the connection",
                var other => $"network error: {other}",
            };
        }
        return e switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "host not found: check the address",
            HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } => "the camera closed the connection in the middle of its answer",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => $"TLS failed: {e.Message}",
            HttpRequestException or IOException => $"the connection broke: {e.Message}",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
    }
}

/// <summary>
/// An MJPEG stream over HTTP (<c>multipart/x-mixed-replace</c>, as ESP32 <c>CameraWebServer</c> on port 81 and most IP
/// cameras serve it). The parts are cut by the JPEG's own markers, so a camera's odd boundary or missing Content-Length
/// does not matter; pictures are passed on as the camera made them, never decoded or encoded again.
/// </summary>
public sealed class MjpegPull(HttpClient client, Uri url) : IPullSource
{
    public async Task<PullEnd> RunAsync(Action<byte[]> onPicture, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(HttpPull.Timeout);
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (HttpPull.Refusal(response) is { } refused)
            return refused;
        var type = HttpPull.MediaType(response);
        if (type.Equals("image/jpeg", StringComparison.OrdinalIgnoreCase))
            return new("the URL serves one JPEG picture, not an MJPEG stream: add it as a snapshot URL");
        if (!type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            return new($"not an MJPEG stream: the URL serves {type}");
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        var splitter = new JpegStreamSplitter(HttpPull.MaxPictureBytes);
        var buffer = new byte[64 * 1024];
        var pictures = 0L;
        while (true)
        {
            timeout.CancelAfter(HttpPull.Timeout); // a stream that stalls is as dead as one that closed
            var read = await body.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return new(splitter.HeldBytes > 1
                    ? $"the stream stopped in the middle of a picture (after {pictures} pictures)"
                    : $"the camera ended the stream (after {pictures} pictures)");
            }
            foreach (var picture in splitter.Add(buffer.AsSpan(0, read)))
            {
                pictures++;
                onPicture(picture);
            }
            if (pictures == 0 && splitter.SkippedBytes > HttpPull.MaxPictureBytes)
                return new($"not an MJPEG stream: no JPEG picture in its first {HttpPull.MaxPictureBytes / 1024 / 1024} MB");
        }
    }
}

/// <summary>A JPEG snapshot URL fetched at the camera's rate (one request after another, on one kept-alive connection).</summary>
public sealed class SnapshotPull(HttpClient client, Uri url, TimeSpan interval, TimeProvider clock) : IPullSource
{
    public async Task<PullEnd> RunAsync(Action<byte[]> onPicture, CancellationToken stop)
    {
        var next = clock.GetUtcNow();
        var buffer = new MemoryStream();
        while (true)
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                timeout.CancelAfter(HttpPull.Timeout);
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (HttpPull.Refusal(response) is { } refused)
                    return refused;
                var type = HttpPull.MediaType(response);
                if (!type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && type != "application/octet-stream" && type != "no content type")
                    return new($"not a JPEG picture: the URL serves {type}");
                if (response.Content.Headers.ContentLength > HttpPull.MaxPictureBytes)
                    return new($"the picture is over {HttpPull.MaxPictureBytes / 1024 / 1024} MB");
                buffer.SetLength(0);
                await using (var body = await response.Content.ReadAsStreamAsync(timeout.Token))
                {
                    var chunk = new byte[64 * 1024];
                    int read;
                    while ((read = await body.ReadAsync(chunk, timeout.Token)) > 0)
                    {
                        buffer.Write(chunk, 0, read);
                        if (buffer.Length > HttpPull.MaxPictureBytes)
                            return new($"the picture is over {HttpPull.MaxPictureBytes / 1024 / 1024} MB");
                    }
                }
                var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
                var end = bytes is [0xFF, 0xD8, ..] ? JpegStreamSplitter.EndOf(bytes) : -1;
                if (end < 0)
                    return new($"not a JPEG picture ({type}, {bytes.Length} bytes that are not a whole JPEG)");
                onPicture(bytes[..end].ToArray());
            }
            var now = clock.GetUtcNow();
            next = next + interval < now ? now : next + interval;
            await Task.Delay(next - now, clock, stop);
        }
    }
}

/// <summary>
/// RTSP (H.264/H.265/MJPEG inside) turned into JPEG pictures at the camera's rate and width by ffmpeg through
/// FFMpegCore: the agent's own capture (<see cref="FfmpegCapture"/>), over TCP. ffmpeg's words come back redacted.
/// </summary>
public sealed class RtspPull(string urlWithLogin, PullSource source, FFOptions options) : IPullSource
{
    /// <summary>The JPEG output: the camera's rate, its width kept or scaled with the aspect kept, quality as an ESP32's default (12 → -q:v 6).</summary>
    public static string OutputOptions(PullSource source) =>
        FormattableString.Invariant($"-an -vf fps={source.Fps}{(source.Width is { } w ? $",scale={w}:-2" : "")} -q:v 6");

    public async Task<PullEnd> RunAsync(Action<byte[]> onPicture, CancellationToken stop)
    {
        var frames = Channel.CreateBounded<CapturedFrame>(new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var run = Task.Run(async () =>
        {
            try
            {
                return await FfmpegCapture.RunAsync(urlWithLogin, null, OutputOptions(source), frames.Writer, null, options, stop);
            }
            finally
            {
                frames.Writer.TryComplete();
            }
        }, CancellationToken.None);
        await foreach (var frame in frames.Reader.ReadAllAsync(CancellationToken.None))
            onPicture(frame.Jpeg);
        var reason = SecretText.Redact(await run);
        if (reason == FfmpegCapture.StoppedBySignal)
            return new(reason, Interrupted: true);
        var refused = reason.Contains("401 Unauthorized", StringComparison.Ordinal) || reason.Contains("403 Forbidden", StringComparison.Ordinal);
        return new(refused ? $"{(reason.Contains("401", StringComparison.Ordinal) ? "401" : "403")} from camera: check the user and password ({reason})" : reason, refused);
    }
}
