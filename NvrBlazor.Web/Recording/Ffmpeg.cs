using FFMpegCore;
using NvrBlazor.Domain.Recording;
using FFMpegCore.Enums;

namespace NvrBlazor.Web.Recording;

/// <summary>How an ffmpeg run ended: its exit code (null when it could not start or was killed) and the end of what it wrote to stderr.</summary>
public sealed record FfmpegExit(int? ExitCode, string ErrorTail)
{
    /// <summary>ffmpeg's exit code after SIGTERM or SIGINT: it stopped reading, wrote the end of its file and exited.</summary>
    public const int StoppedBySignalCode = 255;

    public bool Succeeded => ExitCode == 0;

    /// <summary>
    /// ffmpeg got SIGTERM itself (a stop of the server's whole process group: systemd, docker stop, timeout) and
    /// finished its file: the clip is complete up to that moment, not failed.
    /// </summary>
    public bool StoppedBySignal => ExitCode == StoppedBySignalCode;

    public string Describe() => ExitCode switch
    {
        null => $"ffmpeg did not finish: {Tail}",
        0 => "ffmpeg finished",
        StoppedBySignalCode => "ffmpeg was stopped by a signal and finished its file",
        var code and > 128 => $"ffmpeg was killed (signal {code - 128}){(ErrorTail.Length > 0 ? $": {Tail}" : "")}",
        var code => $"ffmpeg exited with code {code}: {Tail}",
    };

    private string Tail => ErrorTail.Length == 0 ? "(no error output)" : ErrorTail;
}

/// <summary>An ffmpeg that could not start or stopped taking frames; the message says why, with ffmpeg's own words.</summary>
public sealed class FfmpegException(string message, FfmpegExit? exit = null, Exception? inner = null) : Exception(message, inner)
{
    public FfmpegExit? Exit { get; } = exit;
}

/// <summary>
/// Everything NvrBlazor asks of ffmpeg and ffprobe (Nvr:Ffmpeg:Path), through FFMpegCore: a
/// <see cref="ClipEncoder"/> per clip, <see cref="RemuxAsync"/> and <see cref="DurationAsync"/> to repair
/// and measure files. Every encoder it starts is known to <see cref="Running"/>, which stops them at shutdown.
/// </summary>
public sealed class Ffmpeg
{
    public Ffmpeg(string path)
    {
        Path = path;
        var folder = path.Contains('/', StringComparison.Ordinal) ? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))! : "";
        // FFMpegCore runs "<BinaryFolder>/ffmpeg" and "<BinaryFolder>/ffprobe"; an empty folder means PATH.
        Options = new FFOptions { BinaryFolder = folder, LogLevel = FFMpegLogLevel.Error };
    }

    /// <summary>The setting as given: "ffmpeg" (looked up on PATH) or a full path to a file called ffmpeg, with ffprobe beside it.</summary>
    public string Path { get; }
    public FFOptions Options { get; }
    public RunningEncoders Running { get; } = new();

    /// <summary>Why Nvr:Ffmpeg:Path cannot work with FFMpegCore, or null.</summary>
    public static string? Problem(string path) =>
        System.IO.Path.GetFileName(path) == "ffmpeg"
            ? null
            : $"Nvr:Ffmpeg:Path must name a file called 'ffmpeg' (with 'ffprobe' in the same folder), or be just 'ffmpeg' to use PATH; '{path}' is not.";

    /// <summary>No probing of the input (otherwise ffmpeg waits ~5 s of frames before it writes anything), one decoding thread.</summary>
    public const string ClipInputArguments = "-probesize 32 -analyzeduration 0 -threads 1";

    /// <summary>
    /// x264's constant rate factor with the ultrafast preset: chosen by measurement (docs/recording.md, "Encoder settings"):
    /// 2.8 times less CPU than veryfast at CRF 23, a closer picture to the camera's (SSIM 0.995 against 0.993), 1.8 times the size.
    /// </summary>
    public const int ClipQuality = 28;

    /// <summary>
    /// The output side of a clip: H.264 4:2:0 (what every browser plays) in the JPEG's own full range of levels
    /// (yuvj420p, flagged in the stream, so players show the camera's levels): converting to limited range cost
    /// 11-17 % of ffmpeg's CPU and changed every pixel (docs/performance.md, "Encoder settings"). One encoder thread, a
    /// keyframe every 2 s and fragmented MP4 (a fragment per keyframe) flushed as each fragment completes, so a clip
    /// is playable up to its last fragment whatever happens to the process.
    /// </summary>
    public static string ClipOutputArguments(int fps) =>
        "-an -threads 1 -pix_fmt yuvj420p " +
        // H.264 in 4:2:0 needs even dimensions; cameras' are, a browser's may not be.
        "-vf scale=trunc(iw/2)*2:trunc(ih/2)*2 " +
        $"-g {fps * 2} -movflags +frag_keyframe+empty_moov+default_base_moof " +
        // Each fragment reaches the disk when it is complete, not when ffmpeg's 32 KB output buffer fills.
        "-flush_packets 1";

    /// <summary>Starts ffmpeg on a new clip; frames go in through <see cref="ClipEncoder.WriteAsync"/>.</summary>
    public ClipEncoder StartClip(string output, int fps)
    {
        var encoder = new ClipEncoder(this, output, fps);
        Running.Add(encoder);
        return encoder;
    }

    /// <summary>Rewrites a (possibly cut-off) fragmented MP4 into a plain one, keeping every complete fragment.</summary>
    public async Task<FfmpegExit> RemuxAsync(string input, string output, CancellationToken cancellationToken)
    {
        var tail = new StderrTail();
        try
        {
            EnsureExists("ffmpeg");
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromMinutes(2));
            var result = await FFMpegArguments
                .FromFileInput(input, verifyExists: false, _ => { })
                .OutputToFile(output, overwrite: true, o => o.WithCustomArgument("-c copy -movflags +faststart -f mp4"))
                .NotifyOnStandardError(tail.Add)
                .CancellableThrough(limit.Token, TimeSpan.Zero)
                .ProcessAsynchronously(throwOnError: false, Options, CancellationToken.None);
            return result.Cancelled ? new FfmpegExit(null, "gave up after 120 s") : new FfmpegExit(result.ExitCode, tail.Text);
        }
        catch (Exception e) when (IsStartFailure(e))
        {
            return new FfmpegExit(null, CannotStart(e));
        }
    }

    /// <summary>The container's duration as ffprobe reads it; null when the file is not a playable video.</summary>
    public async Task<double?> DurationAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            EnsureExists("ffprobe");
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(30));
            var analysis = await FFProbe.AnalyseAsync(file, Options, null, limit.Token);
            var seconds = analysis.Duration.TotalSeconds;
            return analysis.PrimaryVideoStream is not null && seconds > 0 ? seconds : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is FFMpegCore.Exceptions.FFMpegException or System.Text.Json.JsonException || IsStartFailure(e))
        {
            // Not a video (or ffprobe is missing): nothing playable.
            return null;
        }
    }

    /// <summary>
    /// Checks that a configured folder really holds the tool: FFMpegCore would otherwise quietly run whatever
    /// ffmpeg is on PATH, not the one the setting names. Throws the same failure as a binary that cannot start.
    /// </summary>
    internal void EnsureExists(string tool)
    {
        if (Options.BinaryFolder.Length > 0 && System.IO.Path.Combine(Options.BinaryFolder, tool) is var file && !File.Exists(file))
            throw new FileNotFoundException($"'{file}' does not exist", file);
    }

    internal static bool IsStartFailure(Exception e) =>
        e is System.ComponentModel.Win32Exception or FileNotFoundException or FFMpegCore.Exceptions.FFMpegException or Instances.Exceptions.InstanceException
        || e.InnerException is System.ComponentModel.Win32Exception;

    internal string CannotStart(Exception e) =>
        $"'{Path}' could not be started ({e.InnerException?.Message ?? e.Message}); install ffmpeg or set Nvr:Ffmpeg:Path";
}

/// <summary>Every clip encoder running now, so a shutdown can finish them all and none is forgotten.</summary>
public sealed class RunningEncoders
{
    private readonly HashSet<ClipEncoder> encoders = [];

    public int Count
    {
        get
        {
            lock (encoders)
                return encoders.Count;
        }
    }

    internal void Add(ClipEncoder encoder)
    {
        lock (encoders)
            encoders.Add(encoder);
    }

    internal void Remove(ClipEncoder encoder)
    {
        lock (encoders)
            encoders.Remove(encoder);
    }

    /// <summary>The last step of a shutdown: an encoder still running after the recorders finished is ended (input closed), then killed after <paramref name="grace"/>.</summary>
    public async Task StopAllAsync(TimeSpan grace)
    {
        List<ClipEncoder> left;
        lock (encoders)
            left = [.. encoders];
        await Task.WhenAll(left.Select(e => e.FinishAsync(grace)));
    }
}
