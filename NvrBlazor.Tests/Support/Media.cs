using System.Diagnostics;
using System.Text.Json;

namespace NvrBlazor.Tests.Support;

/// <summary>The real ffmpeg and ffprobe, for making test frames and checking what the server recorded.</summary>
public static class Media
{
    public sealed record VideoFacts(double Duration, string Codec, long Packets, double FrameRate, string PixelFormat);

    public static async Task<VideoFacts> ProbeAsync(string file)
    {
        var json = await RunAsync("ffprobe", "-v", "error", "-count_packets", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,nb_read_packets,r_frame_rate,pix_fmt:format=duration", "-of", "json", file);
        using var document = JsonDocument.Parse(json);
        var stream = document.RootElement.GetProperty("streams")[0];
        var rate = stream.GetProperty("r_frame_rate").GetString()!.Split('/');
        return new VideoFacts(
            double.Parse(document.RootElement.GetProperty("format").GetProperty("duration").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            stream.GetProperty("codec_name").GetString()!,
            long.Parse(stream.GetProperty("nb_read_packets").GetString()!),
            double.Parse(rate[0]) / double.Parse(rate[1]),
            stream.GetProperty("pix_fmt").GetString()!);
    }

    /// <summary>
    /// Real JPEG frames at 10 fps: a gray picture with sensor-like noise, and from <paramref name="motionFrom"/>
    /// to <paramref name="motionTo"/> seconds a white square crossing it (the server's detector must see it).
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> MovingSquareFramesAsync(int seconds, double motionFrom, double motionTo, int width = 320, int height = 240)
    {
        var folder = TestPaths.NewTempFolder("frames");
        var x = $"if(between(t,{motionFrom},{motionTo}),mod((t-{motionFrom})*90,{width - 48}),-200)";
        await RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", $"color=c=0x607080:s={width}x{height}:r=10:d={seconds},noise=alls=12:allf=t",
            "-f", "lavfi", "-i", $"color=c=white:s=48x48:r=10:d={seconds}",
            "-filter_complex", $"[0][1]overlay=x='{x}':y={height / 2 - 24}:eval=frame",
            "-q:v", "5", Path.Combine(folder, "f%04d.jpg"));
        return Directory.GetFiles(folder, "f*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
    }

    /// <summary>
    /// The benchmark's "walk" (NvrBlazor.Bench/Load/TestFrames.cs): a dark figure a tenth of the picture wide and half its
    /// height, shaped like a standing person but not one, crossing a still test picture between the two times.
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> WalkFramesAsync(int seconds, double motionFrom, double motionTo, int width = 640, int height = 480)
    {
        var folder = TestPaths.NewTempFolder("walk");
        var (figureWidth, figureHeight) = (width / 10, height / 2);
        var x = $"if(between(t,{motionFrom},{motionTo}),(t-{motionFrom})/({motionTo}-{motionFrom})*{width + figureWidth}-{figureWidth},-{width})";
        await RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=10",
            "-f", "lavfi", "-i", $"color=c=0x302820:s={figureWidth}x{figureHeight}:r=10",
            "-filter_complex", $"[0]select=eq(n\\,0),loop=loop={seconds * 10}:size=1:start=0,noise=alls=6:allf=t[bg];[bg][1]overlay=x='{x}':y={height - figureHeight - height / 10}:eval=frame",
            "-frames:v", (seconds * 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "-q:v", "5", Path.Combine(folder, "f%04d.jpg"));
        return Directory.GetFiles(folder, "f*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
    }

    /// <summary>Runs a program to its end; its standard output, or an exception with its errors when it fails.</summary>
    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var (exitCode, output, errors) = await ExecuteAsync(program, arguments);
        if (exitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {exitCode}: {errors}");
        return output;
    }

    /// <summary>Runs a program that may fail or be missing (mount without the right): its exit code, -1 when it cannot start.</summary>
    public static async Task<int> ExitCodeAsync(string program, params string[] arguments)
    {
        try
        {
            return (await ExecuteAsync(program, arguments)).ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> ExecuteAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, errors);
    }
}
