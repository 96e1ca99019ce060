using NvrBlazor.Domain.Detection;
using NvrBlazor.Web.Motion;

namespace NvrBlazor.Web.Detection;

/// <summary>A frame with the detector's boxes drawn on it (yellow, as on the live page): the thumbnail of a clip in which something was detected.</summary>
public static class BoxedSnapshot
{
    private static readonly (byte, byte, byte) Yellow = (255, 214, 0);

    /// <summary>The JPEG with the boxes drawn, at its own size; null and the reason when it cannot be decoded or encoded.</summary>
    public static byte[]? Draw(ReadOnlySpan<byte> jpeg, IReadOnlyList<PixelBox> boxes, out string? problem)
    {
        using var decoder = new RgbDecoder();
        // A minimum width no picture has: decoded at full size.
        if (decoder.Decode(jpeg, int.MaxValue, out problem) is not { } picture)
            return null;
        var pixels = picture.Pixels.ToArray();
        foreach (var box in boxes)
            RgbDrawing.Outline(pixels, picture.Width, picture.Height, box, RgbDrawing.ThicknessFor(picture.Width), Yellow);
        return TurboJpeg.EncodeRgb(pixels, picture.Width, picture.Height, quality: 85, out problem);
    }
}
