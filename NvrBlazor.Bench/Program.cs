using System.Diagnostics;
using System.Globalization;
using NvrBlazor.Domain.Motion;
using NvrBlazor.Web.Motion;
using NvrBlazor.Web.Recording;

// Benchmarks behind docs/performance.md. Run: dotnet run -c Release --project NvrBlazor.Bench -- <motion|record> [options]
//   motion                     CPU per analysed frame (1/8-scale gray decode + detector) at VGA and HD
//   record <cameras> <seconds> N cameras recording VGA 10 fps at once in real time: ffmpeg CPU per camera-second, and lateness
//   retention <clips>          a retention run over N clips on the real app: wall time, and live-view latency idle vs during the run
var mode = args.FirstOrDefault() ?? "motion";
return mode switch
{
    "motion" => await Benchmarks.MotionAsync(),
    "retention" => await NvrBlazor.Bench.RetentionBenchmark.RunAsync(int.Parse(args.ElementAtOrDefault(1) ?? "100000", CultureInfo.InvariantCulture), await Benchmarks.FramesAsync("640x480", 50)),
    "record" => await Benchmarks.RecordAsync(int.Parse(args.ElementAtOrDefault(1) ?? "4", CultureInfo.InvariantCulture), int.Parse(args.ElementAtOrDefault(2) ?? "30", CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: NvrBlazor.Bench motion | record <cameras> <seconds> | retention <clips>");
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
            var frames = await FramesAsync(size, 50);
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
        var frames = await FramesAsync("640x480", 50);
        var folder = Directory.CreateTempSubdirectory("nvr-bench-").FullName;
        var ffmpeg = new Ffmpeg("ffmpeg");
        var clips = Enumerable.Range(0, cameras).Select(i => ffmpeg.StartClip(Path.Combine(folder, $"cam{i}.mp4"), 10)).ToList();
        var cpuByPid = new Dictionary<int, double>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                foreach (var clip in clips)
                    if (CpuSeconds(clip.ProcessId) is { } cpu)
                        cpuByPid[clip.ProcessId] = cpu;
                await Task.Delay(200);
            }
        });
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
        // The last samples before the encoders finish.
        await Task.Delay(300);
        await sampling.CancelAsync();
        await sampler;
        foreach (var clip in clips)
        {
            await clip.FinishAsync(TimeSpan.FromSeconds(60));
            clip.Dispose();
        }
        var total = cpuByPid.Values.Sum();
        Console.WriteLine(FormattableString.Invariant(
            $"record {cameras} cameras x {seconds} s VGA 10 fps: ffmpeg CPU {total:0.0} s = {total / (cameras * seconds) * 1000:0} ms per camera-second; worst frame lateness {lateness.Max():0} ms"));
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of stat (11 and 12 after the name), in clock ticks (100 a second).
            return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Camera-like JPEGs: ffmpeg's moving test pattern with sensor noise.</summary>
    public static async Task<List<byte[]>> FramesAsync(string size, int count)
    {
        var folder = Directory.CreateTempSubdirectory("nvr-bench-frames-").FullName;
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var argument in new[] { "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size={size}:rate=10,noise=alls=8:allf=t",
                     "-frames:v", count.ToString(CultureInfo.InvariantCulture), "-q:v", "8", Path.Combine(folder, "f%03d.jpg") })
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
            await process.WaitForExitAsync();
        var frames = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        Directory.Delete(folder, recursive: true);
        return frames;
    }
}
