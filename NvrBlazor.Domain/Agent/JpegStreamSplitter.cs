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

    private static int IndexOfStart(ReadOnlySpan<byte> data)
    {
        for (var i = data.IndexOf((byte)0xFF); i >= 0 && i + 1 < data.Length; )
        {
            if (data[i + 1] == 0xD8)
                return i;
            var next = data[(i + 1)..].IndexOf((byte)0xFF);
            if (next < 0)
                return -1;
            i += 1 + next;
        }
        return -1;
    }

    /// <summary>The length of the complete JPEG at the start of <paramref name="data"/>, or -1 while it is incomplete.</summary>
    public static int EndOf(ReadOnlySpan<byte> data)
    {
        var i = 2; // after FF D8
        while (true)
        {
            // Segments: FF, marker, then (except for standalone markers) a 2-byte big-endian length.
            while (i < data.Length && data[i] == 0xFF && i + 1 < data.Length && data[i + 1] == 0xFF)
                i++; // fill bytes
            if (i + 2 > data.Length)
                return -1;
            if (data[i] != 0xFF)
                return Resync(data, i);
            var marker = data[i + 1];
            if (marker == 0xD9)
                return i + 2;
            if (marker is 0x01 or >= 0xD0 and <= 0xD7)
            {
                i += 2;
                continue;
            }
            if (i + 4 > data.Length)
                return -1;
            var segment = (data[i + 2] << 8) | data[i + 3];
            i += 2 + segment;
            if (marker == 0xDA)
                break; // the scan's entropy-coded data follows its header
        }
        return Resync(data, i);
    }

    /// <summary>Scans entropy-coded data for the next real marker; continues segment parsing after it (progressive JPEGs have several scans).</summary>
    private static int Resync(ReadOnlySpan<byte> data, int i)
    {
        while (i + 1 < data.Length)
        {
            if (data[i] != 0xFF)
            {
                i++;
                continue;
            }
            var next = data[i + 1];
            if (next == 0x00 || next == 0xFF || next is >= 0xD0 and <= 0xD7)
            {
                i += next == 0xFF ? 1 : 2;
                continue;
            }
            if (next == 0xD9)
                return i + 2;
            // Another segment (DHT, SOS of the next progressive scan, ...): parse it, then resync after its header.
            if (i + 4 > data.Length)
                return -1;
            var segment = (data[i + 2] << 8) | data[i + 3];
            i += 2 + segment;
        }
        return -1;
    }
}
