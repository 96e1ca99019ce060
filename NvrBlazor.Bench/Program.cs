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
//   retention <clips>          a retention run over N clips on the real app: wall time, and live-view latency idle vs during the run
if (args.FirstOrDefault() is { } first && first.StartsWith("--", StringComparison.Ordinal) && first != "--help")
    return await LoadBenchmark.RunAsync(args);
var mode = args.FirstOrDefault() ?? "--help";
return mode switch
{
    "motion" => await Benchmarks.MotionAsync(),
    "retention" => await NvrBlazor.Bench.RetentionBenchmark.RunAsync(int.Parse(args.ElementAtOrDefault(1) ?? "100000", CultureInfo.InvariantCulture), await TestFrames.LoadAsync("vga", moving: true)),
    "record" => await Benchmarks.RecordAsync(int.Parse(args.ElementAtOrDefault(1) ?? "4", CultureInfo.InvariantCulture), int.Parse(args.ElementAtOrDefault(2) ?? "30", CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine("       NvrBlazor.Bench motion | record <cameras> <seconds> | retention <clips>");
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
        detector.Analyse(picture.Gray.Span, picture.Width, picture.Height);
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
}
