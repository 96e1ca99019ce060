namespace NvrBlazor.Domain.Detection;

/// <summary>A rectangle in a picture's pixels (left, top, width, height).</summary>
public readonly record struct PixelBox(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    public static PixelBox FromCorners(float left, float top, float right, float bottom) => new(left, top, right - left, bottom - top);

    /// <summary>Intersection over union: 1 for the same box, 0 for boxes that do not touch.</summary>
    public float IoU(PixelBox other)
    {
        var width = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var height = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (width <= 0 || height <= 0)
            return 0;
        var shared = width * height;
        return shared / (Area + other.Area - shared);
    }

    /// <summary>The box cut to a picture of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public PixelBox ClampTo(int width, int height) =>
        FromCorners(Math.Clamp(X, 0, width), Math.Clamp(Y, 0, height), Math.Clamp(Right, 0, width), Math.Clamp(Bottom, 0, height));
}

/// <summary>What a detector found: a label (a COCO class name, or "face"), its score (0-1) and where.</summary>
public sealed record DetectedObject(string Label, float Score, PixelBox Box);

/// <summary>Keeps the best of boxes that cover the same thing: greedy non-maximum suppression, per label.</summary>
public static class NonMaxSuppression
{
    public static List<DetectedObject> Apply(IEnumerable<DetectedObject> candidates, float maxOverlap)
    {
        var kept = new List<DetectedObject>();
        foreach (var candidate in candidates.OrderByDescending(c => c.Score))
        {
            if (!kept.Exists(k => k.Label == candidate.Label && k.Box.IoU(candidate.Box) > maxOverlap))
                kept.Add(candidate);
        }
        return kept;
    }
}

/// <summary>The 80 COCO classes, in the order NanoDet scores them.</summary>
public static class CocoLabels
{
    public static readonly IReadOnlyList<string> All =
    [
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
        "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
        "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
        "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
        "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
        "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven",
        "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
    ];
}

/// <summary>Every label the server's detectors give: NanoDet's 80 COCO classes, then BlazeFace's "face" (on people, where a camera asks for it).</summary>
public static class DetectorLabels
{
    public const string Face = "face";

    public static readonly IReadOnlyList<string> All = [.. CocoLabels.All, Face];

    public static bool Known(string label) => All.Contains(label, StringComparer.Ordinal);

    /// <summary>Labels as a person types them ("Person, car"): trimmed, lower case, once each, empty ones left out.</summary>
    public static List<string> Tidy(IEnumerable<string> labels) =>
        [.. labels.Select(l => l.Trim().ToLowerInvariant()).Where(l => l.Length > 0).Distinct()];
}

/// <summary>Part of a packed RGB picture, copied out (for a second model that looks only inside a first one's box).</summary>
public sealed record RgbCrop(byte[] Rgb, int Width, int Height, int OriginX, int OriginY)
{
    /// <summary>The whole pixels of <paramref name="box"/> (cut to the picture); null when nothing of it is inside.</summary>
    public static RgbCrop? Cut(ReadOnlySpan<byte> rgb, int width, int height, PixelBox box)
    {
        var inside = box.ClampTo(width, height);
        int left = (int)MathF.Floor(inside.X), top = (int)MathF.Floor(inside.Y);
        int right = (int)MathF.Ceiling(inside.Right), bottom = (int)MathF.Ceiling(inside.Bottom);
        if (right - left < 2 || bottom - top < 2)
            return null;
        var cropWidth = right - left;
        var copy = new byte[cropWidth * (bottom - top) * 3];
        for (var y = top; y < bottom; y++)
            rgb.Slice((y * width + left) * 3, cropWidth * 3).CopyTo(copy.AsSpan((y - top) * cropWidth * 3));
        return new RgbCrop(copy, cropWidth, bottom - top, left, top);
    }

    /// <summary>A box found in the crop, in the whole picture's pixels.</summary>
    public PixelBox ToPicture(PixelBox box) => box with { X = box.X + OriginX, Y = box.Y + OriginY };
}
