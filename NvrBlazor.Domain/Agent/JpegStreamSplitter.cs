namespace NvrBlazor.Domain.Agent;

/// <summary>
/// Cuts a byte stream of back-to-back JPEGs (ffmpeg's <c>-f mjpeg</c> output, or the body of an MJPEG part) into
/// whole pictures. It walks the JPEG's segments to the scan and then looks for the end marker in the entropy-coded
/// data, where a 0xFF byte is always followed by 0x00 or a restart marker: an end marker inside an EXIF thumbnail
/// therefore does not cut a picture short. Bytes before a start marker are skipped and counted.
/// </summary>
public sealed class JpegStreamSplitter(int maxPictureBytes = 8 * 1024 * 1024)
{
    private byte[] buffer = new byte[64 * 1024];
    private int length;

    /// <summary>Bytes thrown away: garbage between pictures, or a picture larger than the limit.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Bytes held for a picture not yet complete (a stream that ends with more than one byte held ended mid-picture).</summary>
    public int HeldBytes => length;

    /// <summary>Adds bytes read from the stream and returns the pictures they completed, each in its own array.</summary>
    public IReadOnlyList<byte[]> Add(ReadOnlySpan<byte> data)
    {
        if (length + data.Length > buffer.Length)
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + data.Length));
        data.CopyTo(buffer.AsSpan(length));
        length += data.Length;

        var pictures = new List<byte[]>();
        var start = 0;
        while (true)
        {
            var soi = IndexOfStart(buffer.AsSpan(start, length - start));
            if (soi < 0)
            {
                // Keep a trailing 0xFF: it may be the first half of the next start marker.
                var keep = length - start > 0 && buffer[length - 1] == 0xFF ? 1 : 0;
                SkippedBytes += length - start - keep;
                start = length - keep;
                break;
            }
            SkippedBytes += soi;
            start += soi;
            var end = EndOf(buffer.AsSpan(start, length - start));
            if (end < 0)
            {
                if (length - start > maxPictureBytes)
                {
                    SkippedBytes += length - start;
                    start = length;
                }
                break;
            }
            pictures.Add(buffer.AsSpan(start, end).ToArray());
            start += end;
        }
        Buffer.BlockCopy(buffer, start, buffer, 0, length - start);
        length -= start;
        return pictures;
    }

    private static ReadOnlySpan<byte> StartMarker => [0xFF, 0xD8];

    private static int IndexOfStart(ReadOnlySpan<byte> data) => data.IndexOf(StartMarker);

    /// <summary>
    /// The length of the complete JPEG at the start of <paramref name="data"/>, or -1 while it is incomplete. One walk:
    /// a marker with a length (APPn, DQT, SOS's header, ...) is skipped whole, so its payload cannot end the picture;
    /// between segments (the entropy-coded data) FF 00 stuffing, fill bytes and restart markers are stepped over, and
    /// FF D9 ends it. Progressive JPEGs, with several scans, come out the same way.
    /// </summary>
    public static int EndOf(ReadOnlySpan<byte> data)
    {
        var i = StartMarker.Length;
        while (i + 1 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                i++;
                continue;
            }
            var marker = data[i + 1];
            if (marker == 0xD9)
                return i + 2;
            if (marker == 0xFF)
                i++; // a fill byte
            else if (marker is 0x00 or 0x01 or >= 0xD0 and <= 0xD7)
                i += 2; // stuffing, TEM, or a restart marker: no length
            else if (i + 4 > data.Length)
                return -1;
            else
                i += 2 + ((data[i + 2] << 8) | data[i + 3]);
        }
        return -1;
    }
}
