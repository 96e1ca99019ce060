using System.Diagnostics;
using System.Globalization;

namespace NvrBlazor.Bench.Load;

/// <summary>
/// Camera-like JPEGs made once with ffmpeg and kept in a cache folder: ffmpeg's test pattern with sensor
/// noise (every frame differs, as from a real sensor), either moving (the pattern's moving parts) or a
/// still scene (its first picture held, noise only). Quality like an ESP32's.
/// </summary>
public static class TestFrames
{
    public static readonly Dictionary<string, string> Sizes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["qvga"] = "320x240", ["vga"] = "640x480", ["hd"] = "1280x720",
    };

    public static string CacheFolder =>
        Environment.GetEnvironmentVariable("NVR_BENCH_CACHE") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "nvrblazor-bench");

    public static async Task<List<byte[]>> LoadAsync(string resolution, bool moving, int count = 50)
    {
        if (!Sizes.TryGetValue(resolution, out var size))
            throw new ArgumentException($"--resolution must be one of {string.Join(", ", Sizes.Keys)}, not '{resolution}'");
        var folder = Path.Combine(CacheFolder, $"{resolution.ToLowerInvariant()}-{(moving ? "moving" : "still")}-{count}");
        if (!Directory.Exists(folder) || Directory.GetFiles(folder, "*.jpg").Length != count)
            await GenerateAsync(folder, size, moving, count);
        return Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
    }

    /// <summary>
    /// 30 s of a camera watching a still scene (the test pattern's first picture, sensor noise) in which a dark
    /// figure walks across from second 10 to second 20: 300 frames at 10 fps, the recording cost scenario.
    /// </summary>
    public static async Task<List<byte[]>> LoadWalkAsync(string resolution)
    {
        if (!Sizes.TryGetValue(resolution, out var size))
            throw new ArgumentException($"--resolution must be one of {string.Join(", ", Sizes.Keys)}, not '{resolution}'");
        var folder = Path.Combine(CacheFolder, $"{resolution.ToLowerInvariant()}-walk-300");
        if (!Directory.Exists(folder) || Directory.GetFiles(folder, "*.jpg").Length != 300)
        {
            var width = int.Parse(size.Split('x')[0], CultureInfo.InvariantCulture);
            var height = int.Parse(size.Split('x')[1], CultureInfo.InvariantCulture);
            var (figureWidth, figureHeight) = (width / 10, height / 2);
            var x = $"if(between(t,10,20),(t-10)/10*{width + figureWidth}-{figureWidth},-{width})";
            await GenerateAsync(folder, ["-f", "lavfi", "-i", $"testsrc2=size={size}:rate=10",
                "-f", "lavfi", "-i", $"color=c=0x302820:s={figureWidth}x{figureHeight}:r=10",
                "-filter_complex", $"[0]select=eq(n\\,0),loop=loop=300:size=1:start=0,noise=alls=6:allf=t[bg];[bg][1]overlay=x='{x}':y={height - figureHeight - height / 10}:eval=frame",
                "-frames:v", "300"]);
        }
        return Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
    }

    private static Task GenerateAsync(string folder, string size, bool moving, int count)
    {
        var source = $"testsrc2=size={size}:rate=10";
        var filter = moving ? "noise=alls=8:allf=t" : $"select=eq(n\\,0),loop=loop={count}:size=1:start=0,noise=alls=8:allf=t";
        return GenerateAsync(folder, ["-f", "lavfi", "-i", source, "-vf", filter, "-frames:v", count.ToString(CultureInfo.InvariantCulture)]);
    }

    private static async Task GenerateAsync(string folder, string[] input)
    {
        var building = folder + ".tmp";
        if (Directory.Exists(building))
            Directory.Delete(building, recursive: true);
        Directory.CreateDirectory(building);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", .. input, "-q:v", "8", Path.Combine(building, "f%03d.jpg")])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start (apt install ffmpeg)");
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg could not make the test frames: {errors}");
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
        Directory.Move(building, folder);
    }
}
