namespace NvrBlazor.Domain.Detection;

/// <summary>
/// Where a picture sits inside a model's square input: scaled to fit whole (aspect kept), centred, the rest
/// padded. Maps the model's boxes back to the picture's pixels.
/// </summary>
public readonly record struct Letterbox(float Scale, float PadX, float PadY, int PictureWidth, int PictureHeight)
{
    public static Letterbox For(int pictureWidth, int pictureHeight, int size)
    {
        if (pictureWidth <= 0 || pictureHeight <= 0 || size <= 0)
            throw new ArgumentOutOfRangeException(nameof(pictureWidth), $"a {pictureWidth}x{pictureHeight} picture cannot be fitted into {size}");
        var scale = Math.Min((float)size / pictureWidth, (float)size / pictureHeight);
        return new Letterbox(scale, (size - pictureWidth * scale) / 2, (size - pictureHeight * scale) / 2, pictureWidth, pictureHeight);
    }

    /// <summary>A box in the model's input pixels as a box in the picture's pixels, cut to the picture.</summary>
    public PixelBox ToPicture(PixelBox input) =>
        PixelBox.FromCorners((input.X - PadX) / Scale, (input.Y - PadY) / Scale, (input.Right - PadX) / Scale, (input.Bottom - PadY) / Scale)
            .ClampTo(PictureWidth, PictureHeight);

    /// <summary>
    /// Writes the picture (packed RGB, 3 bytes a pixel) into <paramref name="tensor"/>, sampled bilinearly:
    /// each value is byte * <paramref name="multiply"/> + <paramref name="add"/>, padding is <paramref name="padValue"/>.
    /// Planar (NCHW: all R, then G, then B) or interleaved (NHWC: RGB per pixel).
    /// </summary>
    public void Fill(ReadOnlySpan<byte> rgb, Span<float> tensor, int size, bool planar, float multiply, float add, float padValue)
    {
        if (rgb.Length < PictureWidth * PictureHeight * 3)
            throw new ArgumentException($"{rgb.Length} bytes are not a {PictureWidth}x{PictureHeight} RGB picture", nameof(rgb));
        if (tensor.Length != size * size * 3)
            throw new ArgumentException($"the input holds {tensor.Length} values, not 3x{size}x{size}", nameof(tensor));
        var plane = size * size;
        // Where each input column samples the picture: the same for every row, so worked out once (-1: padding).
        Span<int> columns = size <= 1024 ? stackalloc int[size] : new int[size];
        Span<float> columnWeights = size <= 1024 ? stackalloc float[size] : new float[size];
        for (var x = 0; x < size; x++)
        {
            // The centre of the input pixel, in the picture's coordinates (half-pixel centres).
            var sx = (x + 0.5f - PadX) / Scale - 0.5f;
            var x0 = Math.Clamp((int)MathF.Floor(sx), 0, PictureWidth - 1);
            columns[x] = sx <= -0.5f || sx >= PictureWidth - 0.5f ? -1 : x0;
            columnWeights[x] = Math.Clamp(sx - x0, 0, 1);
        }
        for (var y = 0; y < size; y++)
        {
            var sy = (y + 0.5f - PadY) / Scale - 0.5f;
            var inside = sy > -0.5f && sy < PictureHeight - 0.5f;
            var y0 = Math.Clamp((int)MathF.Floor(sy), 0, PictureHeight - 1);
            var y1 = Math.Min(y0 + 1, PictureHeight - 1);
            var fy = Math.Clamp(sy - y0, 0, 1);
            for (var x = 0; x < size; x++)
            {
                var index = y * size + x;
                var x0 = columns[x];
                if (!inside || x0 < 0)
                {
                    for (var c = 0; c < 3; c++)
                        tensor[planar ? c * plane + index : index * 3 + c] = padValue;
                    continue;
                }
                var x1 = Math.Min(x0 + 1, PictureWidth - 1);
                var fx = columnWeights[x];
                for (var c = 0; c < 3; c++)
                {
                    float top = rgb[(y0 * PictureWidth + x0) * 3 + c] * (1 - fx) + rgb[(y0 * PictureWidth + x1) * 3 + c] * fx;
                    float bottom = rgb[(y1 * PictureWidth + x0) * 3 + c] * (1 - fx) + rgb[(y1 * PictureWidth + x1) * 3 + c] * fx;
                    tensor[planar ? c * plane + index : index * 3 + c] = (top * (1 - fy) + bottom * fy) * multiply + add;
                }
            }
        }
    }
}
