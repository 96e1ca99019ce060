using System.Diagnostics;
using FFMpegCore;

namespace NvrBlazor.Agent.Capture;

/// <summary><c>--discover</c>: the V4L2 capture devices of this machine and the formats and sizes each offers.</summary>
public static class Discovery
{
    public static async Task<IReadOnlyList<string>> ListAsync(FFOptions options, string devFolder = "/dev")
    {
        var devices = Directory.Exists(devFolder)
            ? Directory.GetFiles(devFolder, "video*").Order(StringComparer.Ordinal).ToArray()
            : [];
        if (devices.Length == 0)
            return [$"No capture devices ({devFolder}/video*) found. Plug in a webcam, or check that this user is in the 'video' group."];
        var lines = new List<string>();
        foreach (var device in devices)
        {
            lines.Add(device + ":");
            var modes = await FormatsAsync(device, options);
            lines.AddRange(modes.Count > 0 ? modes.Select(m => "  " + m) : ["  no video capture formats (often the metadata node of a webcam)"]);
        }
        return lines;
    }

    private static async Task<List<string>> FormatsAsync(string device, FFOptions options)
    {
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(options))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[] { "-hide_banner", "-f", "v4l2", "-list_formats", "all", "-i", device })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // "[video4linux2,v4l2 @ 0x...] Compressed:       mjpeg :          Motion-JPEG : 640x480 1280x720"
        return stderr.Split('\n')
            .Where(l => l.Contains("Raw", StringComparison.Ordinal) || l.Contains("Compressed", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 1)..].Trim())
            .ToList();
    }
}
