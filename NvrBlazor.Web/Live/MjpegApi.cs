using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using NvrBlazor.Web.Audit;
using NvrBlazor.Web.Cameras;

namespace NvrBlazor.Web.Live;

/// <summary>
/// Frames for other programs (Home Assistant's MJPEG camera, VLC, OpenCV's VideoCapture, a person's script): the latest
/// frame as a JPEG, and a multipart MJPEG stream. Both need a signed-in user with rights to the camera, like the live page.
/// The stream sends each new frame once (the seed server re-sent the same frame in a busy loop), at most
/// <c>fps</c> a second when asked, through a 2-frame queue that drops the oldest frame for a slow reader.
/// </summary>
public static class MjpegApi
{
    public const int QueueFrames = 2;
    public const double MaxFps = 30;
    private const string Boundary = "nvrframe";
    private static readonly byte[] PartStart = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ");
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] PartEnd = "\r\n"u8.ToArray();

    public static void MapMjpegApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/cameras/{id:int}");
        group.MapGet("/snapshot.jpg", SnapshotAsync)
            .WithSummary("The camera's latest frame as it sent it (image/jpeg); 404 when it has sent none since the server started.");
        group.MapGet("/mjpeg", StreamAsync)
            .WithSummary("The camera live as multipart/x-mixed-replace MJPEG: each new frame once, optional fps cap (0.1-30); a slow reader loses old frames, not time.");
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> SnapshotAsync(
        int id, HttpContext context, CameraAccess access, CameraHub hub, AuditLog audit, CancellationToken cancellationToken)
    {
        if (await access.VisibleCameraAsync(context.User, id, cancellationToken) is not { } camera || hub.Find(id)?.LastFrame is not { } frame)
            return TypedResults.NotFound();
        await audit.FramesAsync(context.User.Identity?.Name ?? "?", camera.Id, camera.Name, "snapshot.jpg", cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(frame.Jpeg, "image/jpeg");
    }

    private static async Task<IResult> StreamAsync(
        int id, double? fps, HttpContext context, CameraAccess access, CameraHub hub, AuditLog audit, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        if (fps is { } asked && (!double.IsFinite(asked) || asked < 0.1 || asked > MaxFps))
            return TypedResults.BadRequest(new ProblemMessage($"fps must be between 0.1 and {MaxFps:0}, or left out for every frame."));
        if (await access.VisibleCameraAsync(context.User, id, cancellationToken) is not { } camera)
            return TypedResults.NotFound();
        await audit.FramesAsync(context.User.Identity?.Name ?? "?", camera.Id, camera.Name, fps is null ? "MJPEG stream" : FormattableString.Invariant($"MJPEG stream at most {fps} fps"), cancellationToken);

        var live = hub.For(camera);
        using var frames = live.Subscribe(QueueFrames);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var response = context.Response;
        response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        response.Headers.CacheControl = "no-store";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        // The headers at once: a reader (and its timeout) should not wait for a camera that has not sent a frame yet.
        await response.StartAsync(stopping.Token);
        await response.BodyWriter.FlushAsync(stopping.Token); // StartAsync alone leaves the headers in Kestrel's buffer
        var spacing = fps is { } cap ? TimeSpan.FromSeconds(1 / cap) : TimeSpan.Zero;
        var last = DateTimeOffset.MinValue;
        try
        {
            // The picture at once, not after the camera's next frame (a paused camera may send none for minutes).
            if (live.LastFrame is { } current)
            {
                await WritePartAsync(response.BodyWriter, current.Jpeg, stopping.Token);
                last = current.ReceivedAt;
            }
            await foreach (var frame in frames.ReadAllAsync(stopping.Token))
            {
                if (frame.ReceivedAt <= last || frame.ReceivedAt - last < spacing)
                    continue;
                await WritePartAsync(response.BodyWriter, frame.Jpeg, stopping.Token);
                last = frame.ReceivedAt;
            }
        }
        catch (OperationCanceledException)
        {
            // The reader went away, or the server is stopping: the stream just ends.
        }
        return TypedResults.Empty;
    }

    /// <summary>One part: the fixed header with the length written in place (nothing allocated per frame), the shared JPEG, CRLF.</summary>
    private static async Task WritePartAsync(System.IO.Pipelines.PipeWriter writer, byte[] jpeg, CancellationToken cancellationToken)
    {
        var span = writer.GetSpan(PartStart.Length + 11 + HeaderEnd.Length);
        PartStart.CopyTo(span);
        Utf8Formatter.TryFormat(jpeg.Length, span[PartStart.Length..], out var digits);
        HeaderEnd.CopyTo(span[(PartStart.Length + digits)..]);
        writer.Advance(PartStart.Length + digits + HeaderEnd.Length);
        writer.Write(jpeg);
        writer.Write(PartEnd);
        var flushed = await writer.FlushAsync(cancellationToken);
        if (flushed.IsCanceled || flushed.IsCompleted)
            throw new OperationCanceledException();
    }
}
