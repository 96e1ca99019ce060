namespace NvrBlazor.Domain.Detection;

/// <summary>Marks on a packed RGB picture (3 bytes a pixel, rows without padding): what a snapshot shows the detector found.</summary>
public static class RgbDrawing
{
    /// <summary>
    /// The outline of <paramref name="box"/> (cut to the picture), <paramref name="thickness"/> pixels wide, drawn
    /// inside its edges in <paramref name="colour"/>. A box wholly outside the picture draws nothing.
    /// </summary>
    public static void Outline(Span<byte> rgb, int width, int height, PixelBox box, int thickness, (byte R, byte G, byte B) colour)
    {
        if (rgb.Length < width * height * 3)
            throw new ArgumentException($"{rgb.Length} bytes are not a {width}x{height} RGB picture", nameof(rgb));
        var left = Math.Clamp((int)MathF.Round(box.X), 0, width);
        var top = Math.Clamp((int)MathF.Round(box.Y), 0, height);
        var right = Math.Clamp((int)MathF.Round(box.Right), 0, width);   // exclusive
        var bottom = Math.Clamp((int)MathF.Round(box.Bottom), 0, height);
        if (right <= left || bottom <= top)
            return;
        var t = Math.Max(1, thickness);
        Fill(rgb, width, left, top, right, Math.Min(bottom, top + t), colour);          // top edge
        Fill(rgb, width, left, Math.Max(top, bottom - t), right, bottom, colour);       // bottom edge
        Fill(rgb, width, left, top, Math.Min(right, left + t), bottom, colour);         // left edge
        Fill(rgb, width, Math.Max(left, right - t), top, right, bottom, colour);        // right edge
    }

    /// <summary>A line thickness that reads at any size and survives JPEG: 3 pixels up to 960 wide, 5 at 1280.</summary>
    public static int ThicknessFor(int width) => Math.Max(3, width / 240);

    private static void Fill(Span<byte> rgb, int width, int left, int top, int right, int bottom, (byte R, byte G, byte B) colour)
    {
        for (var y = top; y < bottom; y++)
        {
            var row = rgb.Slice((y * width + left) * 3, (right - left) * 3);
            for (var i = 0; i < row.Length; i += 3)
            {
                row[i] = colour.R;
                row[i + 1] = colour.G;
                row[i + 2] = colour.B;
            }
        }
    }
}
