namespace NvrBlazor.Tests.Support;

/// <summary>Real JPEGs made by the real ffmpeg (its test pattern), for tests where a browser must decode the picture.</summary>
public static class TestJpeg
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, byte[]> Cache = [];

    public static async Task<byte[]> CreateAsync(int width = 320, int height = 240)
    {
        var key = $"{width}x{height}";
        await Gate.WaitAsync();
        try
        {
            if (Cache.TryGetValue(key, out var cached))
                return cached;
            var file = Path.Combine(TestPaths.NewTempFolder("jpeg"), $"{key}.jpg");
            await Media.RunAsync("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc2=size={key}", "-frames:v", "1", "-y", file);
            return Cache[key] = await File.ReadAllBytesAsync(file);
        }
        finally
        {
            Gate.Release();
        }
    }
}
