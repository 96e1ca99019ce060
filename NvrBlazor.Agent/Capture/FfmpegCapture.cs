using System.Threading.Channels;
using FFMpegCore;
using FFMpegCore.Pipes;
using NvrBlazor.Domain.Agent;
using NvrBlazor.Domain.Recording;

namespace NvrBlazor.Agent.Capture;

/// <summary>A JPEG picture as the agent captured it, with the wall-clock time it came out of ffmpeg.</summary>
public readonly record struct CapturedFrame(long CapturedAtMs, byte[] Jpeg);

/// <summary>A second output of the same ffmpeg: small 8-bit gray pictures at the same rate, for motion detection.</summary>
public sealed record GrayOutput(int Width, int Height, Action<ReadOnlyMemory<byte>> OnPicture)
{
    /// <summary>80 pixels across (what the server analyses of a VGA frame), the height keeping the aspect, even.</summary>
    public static (int Width, int Height) SizeFor(CaptureSettings settings) =>
        (80, Math.Max(2, (int)Math.Round(80.0 * settings.Height / settings.Width / 2) * 2));
}

/// <summary>
/// One run of ffmpeg turning a camera source into JPEGs at the settings' rate, size and quality (FFMpegCore, output
/// <c>-f mjpeg</c> to a pipe, cut into pictures by <see cref="JpegStreamSplitter"/>). Pictures go into a queue of two
/// that drops the oldest: a slow network sends fewer frames, never older ones, and never stalls the capture.
/// The run ends when the source ends or fails (the result says why) or when it is cancelled.
/// </summary>
public static partial class FfmpegCapture
{
    /// <summary>ffmpeg's exit code after SIGTERM or SIGINT, which a stop of the whole process group (systemd, docker stop) sends it directly.</summary>
    public const int StoppedBySignalCode = 255;

    /// <summary>Why a run ended when ffmpeg itself got the stop signal: not a failure of the source.</summary>
    public const string StoppedBySignal = "ffmpeg was stopped by a signal";

    [System.Text.RegularExpressions.GeneratedRegex(@"^\[[^\]]* @ 0x[0-9a-f]+\]\s*")]
    private static partial System.Text.RegularExpressions.Regex ContextPrefix();

    /// <summary>ffmpeg's input options for a source: a V4L2 device, "lavfi:" test patterns, RTSP, HTTP, or a file (looped).</summary>
    public static (string Input, string Options) InputOf(string source)
    {
        if (source.StartsWith("lavfi:", StringComparison.Ordinal))
            return (source["lavfi:".Length..], "-re -f lavfi");
        if (source.StartsWith("/dev/video", StringComparison.Ordinal))
            return (source, "-f v4l2");
        if (source.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
            return (source, "-rtsp_transport tcp -timeout 10000000");
        if (source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return (source, "-rw_timeout 10000000");
        return (source, "-re -stream_loop -1"); // a file plays at its own rate, again and again
    }

    private static StreamPipeSink GraySink(GrayOutput gray) => new(async (stream, cancel) =>
    {
        var picture = new byte[gray.Width * gray.Height];
        while (await stream.ReadAtLeastAsync(picture, picture.Length, throwOnEndOfStream: false, cancel) == picture.Length)
            gray.OnPicture(picture);
    });

    public static string OutputOptions(CaptureSettings settings) =>
        $"-an -vf fps={settings.Fps},scale={settings.Width}:{settings.Height} -q:v {settings.FfmpegQuality}";

    /// <summary>Runs ffmpeg until the source ends, fails, or <paramref name="stop"/> is cancelled. Returns why it ended.</summary>
    public static Task<string> RunAsync(string source, string? extraInputOptions, CaptureSettings settings, ChannelWriter<CapturedFrame> frames, GrayOutput? gray, FFOptions options, CancellationToken stop) =>
        RunAsync(source, extraInputOptions, OutputOptions(settings), frames, gray is null ? null : (gray, settings.Fps), options, stop);

    /// <summary>
    /// The same with the JPEG output's options given whole (the server's RTSP puller keeps the camera's aspect with
    /// <c>scale=W:-2</c>). <paramref name="gray"/> is the motion output and its rate.
    /// </summary>
    public static async Task<string> RunAsync(string source, string? extraInputOptions, string outputOptions, ChannelWriter<CapturedFrame> frames, (GrayOutput Output, double Fps)? gray, FFOptions options, CancellationToken stop)
    {
        var tail = new StderrTail(maxChars: 400); // said in one log line and on the camera's message log
        var splitter = new JpegStreamSplitter();
        var (input, inputOptions) = InputOf(source);
        if (!string.IsNullOrWhiteSpace(extraInputOptions))
            inputOptions += " " + extraInputOptions; // e.g. a webcam's "-input_format mjpeg -video_size 1280x720 -framerate 30"
        var pictures = 0L;
        var sink = new StreamPipeSink(async (stream, cancel) =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel)) > 0)
            {
                foreach (var picture in splitter.Add(buffer.AsSpan(0, read)))
                {
                    pictures++;
                    frames.TryWrite(new CapturedFrame(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), picture));
                }
            }
        });
        try
        {
            var arguments = FFMpegArguments.FromFileInput(input, verifyExists: false, o => o.WithCustomArgument(inputOptions));
            var processor = gray is not { Output: var grayOutput, Fps: var grayFps }
                ? arguments.OutputToPipe(sink, o => o.ForceFormat("mjpeg").WithCustomArgument(outputOptions))
                : arguments.OutputToMany(outputs => outputs
                    .OutputToPipe(sink, o => o.ForceFormat("mjpeg").WithCustomArgument(outputOptions))
                    .OutputToPipe(GraySink(grayOutput), o => o.ForceFormat("rawvideo")
                        .WithCustomArgument($"-an -vf fps={grayFps},scale={grayOutput.Width}:{grayOutput.Height}:flags=area,format=gray")));
            var result = await processor
                .NotifyOnStandardError(tail.Add)
                .CancellableThrough(stop, TimeSpan.FromSeconds(2))
                .ProcessAsynchronously(throwOnError: false, options);
            if (stop.IsCancellationRequested)
                return "stopped";
            // Without ffmpeg's "[tcp @ 0x55d0...]" prefixes: the same trouble reads the same on every try (and is logged once).
            var last = string.Join(" | ", tail.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => ContextPrefix().Replace(line, "")));
            return result.ExitCode switch
            {
                0 => $"the source ended after {pictures} pictures",
                StoppedBySignalCode => StoppedBySignal,
                var code => $"ffmpeg exited with code {code} after {pictures} pictures: {(last.Length > 0 ? last : "no message")}",
            };
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            return "stopped";
        }
        catch (Exception e)
        {
            // Whatever failed (no ffmpeg installed, a pipe error, a bad option), it is this camera's capture that
            // failed: the caller says so and tries again; it must never take the agent or its other cameras down.
            return $"ffmpeg could not run: {e.GetType().Name}: {e.Message}";
        }
    }
}
