using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NvrBlazor.Web.Recording;

/// <summary>How an ffmpeg run ended: its exit code (null when it could not start or was killed) and the end of what it wrote to stderr.</summary>
public sealed record FfmpegExit(int? ExitCode, string ErrorTail)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe() => ExitCode switch
    {
        null => $"ffmpeg did not finish: {Tail}",
        0 => "ffmpeg finished",
        var code and > 128 => $"ffmpeg was killed (signal {code - 128}){(ErrorTail.Length > 0 ? $": {Tail}" : "")}",
        var code => $"ffmpeg exited with code {code}: {Tail}",
    };

    private string Tail => ErrorTail.Length == 0 ? "(no error output)" : ErrorTail;
}

/// <summary>An ffmpeg that could not start or stopped taking frames; the message says why, with ffmpeg's own words.</summary>
public sealed class FfmpegException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Everything NvrBlazor does with the ffmpeg binary (Nvr:Ffmpeg:Path) lives here: the arguments, the
/// process, stdin, a bounded tail of stderr, the exit code and killing it. One <see cref="ClipProcess"/>
/// per clip; <see cref="RemuxAsync"/> and <see cref="DurationAsync"/> repair and measure files.
/// </summary>
public sealed class Ffmpeg(string path)
{
    public string Path { get; } = path;

    /// <summary>ffprobe comes in the same package, beside ffmpeg.</summary>
    public string ProbePath => Path.Contains('/', StringComparison.Ordinal)
        ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "ffprobe")
        : "ffprobe";

    /// <summary>
    /// Arguments for one clip: JPEGs on stdin at a constant rate (the recorder resamples to it), H.264
    /// yuv420p (what every browser plays), a keyframe every 2 s and fragmented MP4 (a fragment per
    /// keyframe), so a clip is playable up to its last fragment whatever happens to the process.
    /// </summary>
    public static IReadOnlyList<string> ClipArguments(string output, int fps) =>
    [
        "-hide_banner", "-loglevel", "error",
        // No probing of the input: otherwise ffmpeg waits ~5 s of frames before it writes anything.
        "-probesize", "32", "-analyzeduration", "0",
        "-f", "image2pipe", "-framerate", fps.ToString(CultureInfo.InvariantCulture), "-c:v", "mjpeg", "-i", "pipe:0",
        "-an", "-c:v", "libx264", "-preset", "veryfast", "-threads", "1", "-pix_fmt", "yuv420p",
        // H.264 in yuv420p needs even dimensions; cameras' are, a browser's may not be.
        "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2",
        "-g", (fps * 2).ToString(CultureInfo.InvariantCulture),
        "-movflags", "+frag_keyframe+empty_moov+default_base_moof",
        // Each fragment reaches the disk when it is complete, not when ffmpeg's 32 KB output buffer fills.
        "-flush_packets", "1",
        "-f", "mp4", "-y", output,
    ];

    public ClipProcess StartClip(string output, int fps) => new(Start(Path, ClipArguments(output, fps), redirectInput: true), output);

    /// <summary>Rewrites a (possibly cut-off) fragmented MP4 into a plain one, keeping every complete fragment.</summary>
    public async Task<FfmpegExit> RemuxAsync(string input, string output, CancellationToken cancellationToken) =>
        await RunAsync(Path, ["-hide_banner", "-loglevel", "error", "-i", input, "-c", "copy", "-movflags", "+faststart", "-f", "mp4", "-y", output],
            TimeSpan.FromMinutes(2), cancellationToken);

    /// <summary>The container's duration as ffprobe reads it; null when the file is not a playable video.</summary>
    public async Task<double?> DurationAsync(string file, CancellationToken cancellationToken)
    {
        var (exit, output) = await RunWithOutputAsync(ProbePath,
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file],
            TimeSpan.FromSeconds(30), cancellationToken);
        return exit.Succeeded && double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : null;
    }

    private static async Task<FfmpegExit> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await RunWithOutputAsync(program, arguments, timeout, cancellationToken)).Exit;

    private static async Task<(FfmpegExit Exit, string Output)> RunWithOutputAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Start(program, arguments, redirectInput: false);
        }
        catch (FfmpegException e)
        {
            return (new FfmpegExit(null, e.Message), "");
        }
        using (process)
        {
            var tail = new StderrTail(process);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                var output = await process.StandardOutput.ReadToEndAsync(limit.Token);
                await process.WaitForExitAsync(limit.Token);
                await tail.Completed;
                return (new FfmpegExit(process.ExitCode, tail.Text), output);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (new FfmpegExit(null, $"gave up after {timeout.TotalSeconds:0} s"), "");
            }
        }
    }

    private static Process Start(string program, IReadOnlyList<string> arguments, bool redirectInput)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = !redirectInput,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        try
        {
            return Process.Start(start) ?? throw new FfmpegException($"'{program}' did not start");
        }
        catch (Win32Exception e)
        {
            throw new FfmpegException($"'{program}' could not be started ({e.Message}); install ffmpeg or set Nvr:Ffmpeg:Path", e);
        }
    }
}

/// <summary>Keeps the last few lines ffmpeg wrote to stderr (enough to say what went wrong, never unbounded).</summary>
internal sealed class StderrTail
{
    private const int MaxChars = 1500;
    private readonly StringBuilder text = new();

    public StderrTail(Process process) => Completed = ReadAsync(process.StandardError);

    public Task Completed { get; }

    public string Text
    {
        get
        {
            lock (text)
                return text.ToString().Trim();
        }
    }

    private async Task ReadAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (text)
                {
                    text.Append(line).Append('\n');
                    if (text.Length > MaxChars)
                        text.Remove(0, text.Length - MaxChars);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }
}

/// <summary>One clip's ffmpeg: frames in through stdin, then a clean finish (stdin closed, exit awaited) or a kill.</summary>
public sealed class ClipProcess : IDisposable
{
    private readonly Process process;
    private readonly StderrTail tail;
    private readonly Stream input;

    internal ClipProcess(Process process, string output)
    {
        this.process = process;
        Output = output;
        tail = new StderrTail(process);
        input = process.StandardInput.BaseStream;
    }

    public string Output { get; }
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;

    /// <summary>Writes one JPEG <paramref name="times"/> times (a duplicated frame for a slow camera). Throws FfmpegException when ffmpeg is gone.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> jpeg, int times, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < times; i++)
                await input.WriteAsync(jpeg, cancellationToken);
        }
        catch (IOException e)
        {
            throw new FfmpegException((await FinishAsync(TimeSpan.FromSeconds(5))).Describe(), e);
        }
    }

    /// <summary>Closes stdin so ffmpeg writes its last fragment and exits; kills it if it has not after <paramref name="timeout"/>.</summary>
    public async Task<FfmpegExit> FinishAsync(TimeSpan timeout)
    {
        try
        {
            await input.DisposeAsync();
        }
        catch (IOException)
        {
            // ffmpeg is already gone; its exit code says why.
        }
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await tail.Completed.WaitAsync(TimeSpan.FromSeconds(2));
            return new FfmpegExit(process.ExitCode, tail.Text);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            Kill();
            return new FfmpegExit(null, $"did not exit within {timeout.TotalSeconds:0} s after its input ended; killed. {tail.Text}");
        }
    }

    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
            Kill();
        process.Dispose();
    }
}
