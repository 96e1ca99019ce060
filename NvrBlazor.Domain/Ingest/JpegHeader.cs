namespace NvrBlazor.Domain.Ingest;

/// <summary>Reads a JPEG's width and height from its start-of-frame marker, walking only the header segments.</summary>
public static class JpegHeader
{
    public static (int Width, int Height)? TryReadSize(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
            return null;
        var at = 2;
        while (at + 4 <= jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
                return null;
            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }
            if (marker is 0xD9 or 0xDA)
                return null; // end of image, or entropy-coded data before any frame header
            var length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (length < 2)
                return null;
            // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (at + 9 > jpeg.Length)
                    return null;
                var height = (jpeg[at + 5] << 8) | jpeg[at + 6];
                var width = (jpeg[at + 7] << 8) | jpeg[at + 8];
                return width > 0 && height > 0 ? (width, height) : null;
            }
            at += 2 + length;
        }
        return null;
    }
}
