using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Tests.Web;

/// <summary>The clip encoder on FFMpegCore with the real ffmpeg: what a clip file is, and how each way of ending it ends.</summary>
public class ClipEncoderTests
{
    [Fact]
    public async Task Frames_written_then_finished_give_an_h264_clip_of_exactly_those_frames()
    {
        var frames = await Media.MovingSquareFramesAsync(3, 0, 3);
        var output = Path.Combine(TestPaths.NewTempFolder("encoder"), "clip.mp4");
        var ffmpeg = new Ffmpeg("ffmpeg");
        var encoder = ffmpeg.StartClip(output, 10);
        Assert.Equal(1, ffmpeg.Running.Count);
        foreach (var frame in frames)
            await encoder.WriteAsync(frame, 1, CancellationToken.None);
        await encoder.WriteAsync(frames[^1], 5, CancellationToken.None); // a slow camera's frame, written five times

        var exit = await encoder.FinishAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit.Succeeded, exit.Describe());
        Assert.Equal(0, ffmpeg.Running.Count);
        var facts = await Media.ProbeAsync(output);
        Assert.Equal(("h264", "yuvj420p", 10.0), (facts.Codec, facts.PixelFormat, facts.FrameRate));
        Assert.Equal(frames.Count + 5, facts.Packets);
        Assert.InRange(await ffmpeg.DurationAsync(output, CancellationToken.None) ?? 0, 3.4, 3.6);
    }

    [Fact]
    public async Task A_clip_shows_the_camera_s_levels_of_gray()
    {
        // A dark and a light half: levels a player would shift if the clip's range flag did not match its pixels
        // (full-range pixels shown as limited range turn 48 into 37 and 208 into 223).
        var folder = TestPaths.NewTempFolder("levels");
        await Media.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", "color=c=0x303030:s=160x240:r=10:d=2", "-f", "lavfi", "-i", "color=c=0xD0D0D0:s=160x240:r=10:d=2",
            "-filter_complex", "[0][1]hstack", "-q:v", "3", Path.Combine(folder, "f%03d.jpg"));
        var frames = Directory.GetFiles(folder, "f*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var output = Path.Combine(folder, "clip.mp4");
        var encoder = new Ffmpeg("ffmpeg").StartClip(output, 10);
        foreach (var frame in frames)
            await encoder.WriteAsync(frame, 1, CancellationToken.None);
        Assert.True((await encoder.FinishAsync(TimeSpan.FromSeconds(30))).Succeeded);

        var camera = await GrayHalvesAsync(Path.Combine(folder, "f001.jpg"));
        var clip = await GrayHalvesAsync(output);
        Assert.InRange(clip.Dark, camera.Dark - 3, camera.Dark + 3);
        Assert.InRange(clip.Light, camera.Light - 3, camera.Light + 3);
    }

    /// <summary>The mean gray level of the left and right half of a picture's first frame, as ffmpeg (honouring its range) shows it.</summary>
    private static async Task<(double Dark, double Light)> GrayHalvesAsync(string file)
    {
        var gray = file + ".gray";
        await Media.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", file, "-frames:v", "1", "-vf", "format=gray", "-f", "rawvideo", "-y", gray);
        var pixels = await File.ReadAllBytesAsync(gray);
        Assert.Equal(320 * 240, pixels.Length);
        double dark = 0, light = 0;
        for (var i = 0; i < pixels.Length; i++)
        {
            if (i % 320 < 150)
                dark += pixels[i];
            else if (i % 320 >= 170)
                light += pixels[i];
        }
        return (dark / (150 * 240), light / (150 * 240));
    }

    [Fact]
    public async Task An_ffmpeg_that_gets_SIGTERM_itself_finishes_its_file_and_says_so()
    {
        var frames = await Media.MovingSquareFramesAsync(4, 0, 4);
        var output = Path.Combine(TestPaths.NewTempFolder("encoder-term"), "clip.mp4");
        var encoder = new Ffmpeg("ffmpeg").StartClip(output, 10);
        foreach (var frame in frames.Take(30))
            await encoder.WriteAsync(frame, 1, CancellationToken.None);
        var pid = await Eventually.ValueAsync(() => Task.FromResult(FfmpegWriting(output)), p => p is not null, what: "ffmpeg writing the clip");
        await Media.RunAsync("kill", "-TERM", pid!.Value.ToString());

        // ffmpeg notices the signal at its next read; an idle pipe read just waits. Ending the input, as a stopping
        // recorder does, lets it finish: its exit (255) says it was stopped by a signal, not that it failed.
        var exit = await encoder.FinishAsync(TimeSpan.FromSeconds(10));
        Assert.True(exit.StoppedBySignal, exit.Describe());
        // A recorder still writing then finds ffmpeg gone, with the same reason.
        var stopped = await Assert.ThrowsAsync<FfmpegException>(async () => await encoder.WriteAsync(frames[30], 1, CancellationToken.None));
        Assert.True(stopped.Exit!.StoppedBySignal, stopped.Message);
        var seconds = await new Ffmpeg("ffmpeg").DurationAsync(output, CancellationToken.None);
        Assert.NotNull(seconds);
        Assert.InRange(seconds.Value, 1.0, 4.0);
    }

    [Fact]
    public async Task A_kill_ends_ffmpeg_at_once_and_what_was_written_up_to_the_last_fragment_plays()
    {
        var frames = await Media.MovingSquareFramesAsync(5, 0, 5);
        var output = Path.Combine(TestPaths.NewTempFolder("encoder-kill"), "clip.mp4.part");
        var ffmpeg = new Ffmpeg("ffmpeg");
        var encoder = ffmpeg.StartClip(output, 10);
        foreach (var frame in frames)
            await encoder.WriteAsync(frame, 1, CancellationToken.None);
        // Two keyframe intervals are on disk once ffmpeg has taken 5 s of frames.
        await Eventually.ValueAsync(() => Task.FromResult(new FileInfo(output).Length), length => length > 20_000, what: "fragments on disk");

        encoder.Kill();
        var exit = await encoder.Exited.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(exit.Succeeded);
        Assert.Equal(0, ffmpeg.Running.Count);
        var remuxed = output.Replace(".part", "", StringComparison.Ordinal);
        Assert.True((await ffmpeg.RemuxAsync(output, remuxed, CancellationToken.None)).Succeeded);
        Assert.InRange(await ffmpeg.DurationAsync(remuxed, CancellationToken.None) ?? 0, 1.9, 5.1);
    }

    [Fact]
    public async Task A_missing_ffmpeg_fails_the_first_write_naming_the_setting()
    {
        var encoder = new Ffmpeg("/nonexistent/ffmpeg").StartClip(Path.Combine(TestPaths.NewTempFolder("encoder-missing"), "clip.mp4"), 10);
        var jpeg = await TestJpeg.CreateAsync();
        var exit = await encoder.Exited.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("Nvr:Ffmpeg:Path", exit.Describe());

        var failure = await Assert.ThrowsAsync<FfmpegException>(async () => await encoder.WriteAsync(jpeg, 1, CancellationToken.None));

        Assert.Contains("Nvr:Ffmpeg:Path", failure.Message);
        Assert.Null(await new Ffmpeg("/nonexistent/ffmpeg").DurationAsync("/etc/hostname", CancellationToken.None));
    }

    [Fact]
    public async Task A_file_that_is_not_a_video_has_no_duration()
    {
        var file = Path.Combine(TestPaths.NewTempFolder("not-video"), "clip.mp4");
        await File.WriteAllTextAsync(file, "<html>not a video</html>");
        Assert.Null(await new Ffmpeg("ffmpeg").DurationAsync(file, CancellationToken.None));
    }

    /// <summary>The ffmpeg process whose command line names <paramref name="output"/>.</summary>
    private static int? FfmpegWriting(string output)
    {
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
                continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                if (commandLine.Length > 1 && Path.GetFileName(commandLine[0]) == "ffmpeg" && commandLine.Contains(output))
                    return pid;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return null;
    }
}
