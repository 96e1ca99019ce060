using System.Diagnostics;
using System.Globalization;
using NvrBlazor.Bench.Load;
using NvrBlazor.Domain.Motion;
using NvrBlazor.Web.Motion;
using NvrBlazor.Web.Recording;

// Benchmarks behind docs/performance.md. Run: dotnet run -c Release --project NvrBlazor.Bench -- <...>
//   --scenario <name|all|series|custom> [options]   the load benchmark: simulated cameras and viewers against the real server (see --help)
//   motion                     CPU per analysed frame (1/8-scale gray decode + detector) at VGA and HD
//   record <cameras> <seconds> N cameras recording VGA 10 fps at once in real time: ffmpeg CPU per camera-second, and lateness
//   walk|idle|detect <cameras> <seconds> [warm-up seconds, 30, longer while the server still compiles] [mode] the default configuration's cost per camera (server + ffmpeg): a walk every 30 s with the camera's motion reports, a still scene watched by the server's detector, or the walk found by the server's detector (how soon)
//   encoders [vga|hd]          x264 presets and CRFs on the 30 s walk: ffmpeg CPU, size, SSIM against the camera's JPEGs
//   models <folder>            NanoDet and BlazeFace inference times (the folder tools/models/install-models.sh filled)
//   retention <clips>          a retention run over N clips on the real app: wall time, and live-view latency idle vs during the run
if (args.FirstOrDefault() is { } first && first.StartsWith("--", StringComparison.Ordinal) && first != "--help")
    return await LoadBenchmark.RunAsync(args);
var mode = args.FirstOrDefault() ?? "--help";
return mode switch
{
    "motion" => await Benchmarks.MotionAsync(),
    "models" => await NvrBlazor.Bench.ModelBenchmark.RunAsync(args.ElementAtOrDefault(1) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nvrblazor", "models")),
    "retention" => await NvrBlazor.Bench.RetentionBenchmark.RunAsync(int.Parse(args.ElementAtOrDefault(1) ?? "100000", CultureInfo.InvariantCulture), await TestFrames.LoadAsync("vga", moving: true)),
    "encoders" => await Benchmarks.EncodersAsync(args.ElementAtOrDefault(1) ?? "vga"),
    "walk" or "idle" or "detect" => await NvrBlazor.Bench.WalkBenchmark.RunAsync(mode, int.Parse(args.ElementAtOrDefault(1) ?? "5", CultureInfo.InvariantCulture), int.Parse(args.ElementAtOrDefault(2) ?? "60", CultureInfo.InvariantCulture), int.Parse(args.ElementAtOrDefault(3) ?? "30", CultureInfo.InvariantCulture), args.ElementAtOrDefault(4)),
    "record" => await Benchmarks.RecordAsync(int.Parse(args.ElementAtOrDefault(1) ?? "4", CultureInfo.InvariantCulture), int.Parse(args.ElementAtOrDefault(2) ?? "30", CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine("       NvrBlazor.Bench motion | record <cameras> <seconds> | encoders [vga|hd] | walk|idle|detect <cameras> <seconds> [warm-up seconds] [recording mode] | models [folder] | retention <clips>");
    return 2;
}

internal static class Benchmarks
{
    public static async Task<int> MotionAsync()
    {
        if (!TurboJpeg.TryLoad("libturbojpeg.so.0", out var why))
        {
            Console.Error.WriteLine(why);
            return 1;
        }
        foreach (var (name, size) in new[] { ("VGA", "640x480"), ("HD", "1280x720") })
        {
            var frames = await TestFrames.LoadAsync(name, moving: true);
            using var decoder = new GrayscaleDecoder();
            var detector = new MotionDetector(new MotionSettings());
            const int rounds = 2000;
            for (var i = 0; i < 100; i++)
                Analyse(decoder, detector, frames[i % frames.Count]);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < rounds; i++)
                Analyse(decoder, detector, frames[i % frames.Count]);
            wall.Stop();
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(FormattableString.Invariant(
                $"motion {name} ({size}, {frames.Average(f => f.Length) / 1024:0} KB JPEG): {used.TotalMilliseconds / rounds:0.000} ms CPU, {wall.Elapsed.TotalMilliseconds / rounds:0.000} ms wall per analysed frame"));
        }
        return 0;
    }

    private static void Analyse(GrayscaleDecoder decoder, MotionDetector detector, byte[] jpeg)
    {
        var picture = decoder.Decode(jpeg, MotionAnalyzer.MinAnalysisWidth, out var problem) ?? throw new InvalidOperationException(problem);
        detector.Analyse(picture.Pixels.Span, picture.Width, picture.Height);
    }

    /// <summary>N clips written at once, each fed VGA frames at 10 fps on a real-time schedule; reports ffmpeg CPU and how late frames got.</summary>
    public static async Task<int> RecordAsync(int cameras, int seconds)
    {
        var frames = await TestFrames.LoadAsync("vga", moving: true);
        var folder = Directory.CreateTempSubdirectory("nvr-bench-").FullName;
        var ffmpeg = new Ffmpeg("ffmpeg");
        // ffmpeg's CPU as the kernel counts it for children that ended and were waited for: exact, no sampling.
        var cpuBefore = ProcFs.ReapedChildrenCpuSeconds(Environment.ProcessId) ?? 0;
        var clips = Enumerable.Range(0, cameras).Select(i => ffmpeg.StartClip(Path.Combine(folder, $"cam{i}.mp4"), 10)).ToList();
        var start = DateTime.UtcNow;
        var lateness = new double[cameras];
        await Task.WhenAll(clips.Select(async (clip, index) =>
        {
            for (var i = 0; i < seconds * 10; i++)
            {
                var due = start + TimeSpan.FromMilliseconds(i * 100);
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait);
                lateness[index] = Math.Max(lateness[index], (DateTime.UtcNow - due).TotalMilliseconds);
                await clip.WriteAsync(frames[(i + index) % frames.Count], 1, CancellationToken.None);
            }
        }));
        foreach (var clip in clips)
            await clip.FinishAsync(TimeSpan.FromSeconds(60));
        var total = (ProcFs.ReapedChildrenCpuSeconds(Environment.ProcessId) ?? 0) - cpuBefore;
        Console.WriteLine(FormattableString.Invariant(
            $"record {cameras} cameras x {seconds} s VGA 10 fps: ffmpeg CPU {total:0.0} s = {total / (cameras * seconds) * 1000:0} ms per camera-second; worst frame lateness {lateness.Max():0} ms"));
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    /// <summary>
    /// Each encoder setting on the same 300 frames (the walk): the ffmpeg CPU to turn the JPEGs into the clip (decode +
    /// encode, the kernel's count for the finished child), the file size, and SSIM of the clip against the JPEGs it was made from.
    /// </summary>
    public static async Task<int> EncodersAsync(string resolution)
    {
        var frames = await TestFrames.LoadWalkAsync(resolution);
        var folder = Directory.CreateTempSubdirectory("nvr-bench-encoders-").FullName;
        for (var i = 0; i < frames.Count; i++)
            await File.WriteAllBytesAsync(Path.Combine(folder, $"f{i:000}.jpg"), frames[i]);
        var input = new[] { "-hide_banner", "-loglevel", "error", "-f", "image2", "-framerate", "10", "-i", Path.Combine(folder, "f%03d.jpg") };
        var seconds = frames.Count / 10.0;
        var decode = await ChildCpuAsync([.. input, "-f", "null", "-"]);
        Console.WriteLine(FormattableString.Invariant($"{resolution}, {frames.Count} frames ({seconds:0} s at 10 fps), JPEG {frames.Average(f => f.Length) / 1024:0} KB average"));
        Console.WriteLine(FormattableString.Invariant($"decoding the JPEGs alone: {decode / seconds * 1000:0} ms per camera-second"));
        Console.WriteLine("| preset | CRF | ffmpeg CPU per camera-second | size per minute | SSIM (Y) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (preset, crf) in new[] { ("veryfast", 23), ("veryfast", 28), ("superfast", 23), ("superfast", 28), ("ultrafast", 23), ("ultrafast", 28) })
        {
            var output = Path.Combine(folder, $"{preset}-{crf}.mp4");
            var cpu = await ChildCpuAsync([.. input, "-c:v", "libx264", "-preset", preset, "-crf", crf.ToString(CultureInfo.InvariantCulture),
                .. Ffmpeg.ClipOutputArguments(10).Split(' '), "-f", "mp4", "-y", output]);
            var ssim = await SsimAsync(output, input);
            Console.WriteLine(FormattableString.Invariant(
                $"| {preset} | {crf} | {cpu / seconds * 1000:0} ms | {new FileInfo(output).Length / seconds * 60 / 1024 / 1024:0.0} MB | {ssim:0.0000} |"));
        }
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    /// <summary>Runs ffmpeg to its end; its user+system CPU seconds.</summary>
    private static async Task<double> ChildCpuAsync(IEnumerable<string> arguments)
    {
        var before = ProcFs.ReapedChildrenCpuSeconds(Environment.ProcessId) ?? 0;
        await RunFfmpegAsync(arguments);
        return (ProcFs.ReapedChildrenCpuSeconds(Environment.ProcessId) ?? 0) - before;
    }

    private static async Task<double> SsimAsync(string clip, string[] source)
    {
        var errors = await RunFfmpegAsync(["-hide_banner", "-loglevel", "info", "-i", clip, .. source[3..], "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"]);
        var at = errors.LastIndexOf(" Y:", StringComparison.Ordinal);
        return double.Parse(errors[(at + 3)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static async Task<string> RunFfmpegAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}: {errors}");
        return errors;
    }
}
