namespace NvrBlazor.Domain.Ingest;

public sealed record FrameSize(int Index, string Name, int Width, int Height);

/// <summary>The ESP32 camera's frame size table: `framesize=I` selects row I.</summary>
public static class FrameSizes
{
    public static IReadOnlyList<FrameSize> All { get; } =
    [
        new(0, "96X96", 96, 96), new(1, "QQVGA", 160, 120), new(2, "QCIF", 176, 144), new(3, "HQVGA", 240, 176),
        new(4, "240X240", 240, 240), new(5, "QVGA", 320, 240), new(6, "CIF", 400, 296), new(7, "HVGA", 480, 320),
        new(8, "VGA", 640, 480), new(9, "SVGA", 800, 600), new(10, "XGA", 1024, 768), new(11, "HD", 1280, 720),
        new(12, "SXGA", 1280, 1024), new(13, "UXGA", 1600, 1200),
    ];

    /// <summary>The row for a status value such as "8" (the firmware sends it as a string); null when it is not a known index.</summary>
    public static FrameSize? FromStatus(string? value) =>
        int.TryParse(value, out var index) && index >= 0 && index < All.Count ? All[index] : null;
}
