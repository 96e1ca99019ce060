using System.Diagnostics;
using System.Globalization;
using NvrBlazor.Web.Detection;
using NvrBlazor.Web.Motion;

namespace NvrBlazor.Bench;

/// <summary>
/// What one inference costs on this machine (one ONNX Runtime thread, as the server runs them): NanoDet on a
/// 768x576 frame of opencv-doc's vtest.avi (decode, letterbox, inference, decoding the output) and BlazeFace on
/// the top half of a person NanoDet found in messi5.jpg. 5 runs to warm up, then 30 timed; wall and CPU.
/// </summary>
public static class ModelBenchmark
{
    public static async Task<int> RunAsync(string folder)
    {
        if (!TurboJpeg.TryLoad("libturbojpeg.so.0", out var why))
        {
            Console.Error.WriteLine(why);
            return 1;
        }
        var frame = Path.Combine(Path.GetTempPath(), "nvr-bench-vtest.jpg");
        using (var ffmpeg = Process.Start("ffmpeg", ["-hide_banner", "-loglevel", "error", "-ss", "2", "-i", "/usr/share/doc/opencv-doc/examples/data/vtest.avi", "-frames:v", "1", "-q:v", "2", "-y", frame]))
            await ffmpeg.WaitForExitAsync();
        var vtest = await File.ReadAllBytesAsync(frame);
        using var nanodet = new NanoDetModel(Path.Combine(folder, NanoDetModel.FileName));
        Report("NanoDet, vtest frame 768x576 (JPEG decode included)", () => nanodet.Detect(vtest, 0.35f).Count);

        using var blazeface = new BlazeFaceModel(Path.Combine(folder, BlazeFaceModel.FileName));
        var picture = nanodet.Decode(await File.ReadAllBytesAsync("/usr/share/doc/opencv-doc/examples/data/messi5.jpg"));
        var rgb = picture.Pixels.ToArray();
        var person = nanodet.Detect(rgb, picture.Width, picture.Height, 0.35f).Where(d => d.Label == "person").MaxBy(d => d.Score)!;
        Report("BlazeFace, top half of a 388x274 person box", () => blazeface.DetectInPerson(rgb, picture.Width, picture.Height, person.Box, 0.5f).Count);
        return 0;
    }

    private static void Report(string what, Func<int> run)
    {
        for (var i = 0; i < 5; i++)
            run();
        var wall = new List<double>();
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var found = 0;
        for (var i = 0; i < 30; i++)
        {
            var clock = Stopwatch.StartNew();
            found = run();
            wall.Add(clock.Elapsed.TotalMilliseconds);
        }
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpu0).TotalMilliseconds / 30;
        wall.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: median {wall[15]:0.0} ms (min {wall[0]:0.0}, max {wall[^1]:0.0}), CPU {cpu:0.0} ms per run, {found} found"));
    }
}
