namespace NvrBlazor.Domain.Ingest;

public enum FrameProblem
{
    None,
    /// <summary>Does not start with the JPEG start-of-image marker FF D8.</summary>
    NotJpeg,
    /// <summary>No FF D9 end-of-image marker before the trailing digits (or at the very end).</summary>
    NoEndOfImage,
    /// <summary>A JPEG with no capture time after it: kept, timed by the server's clock.</summary>
    NoTimestamp,
}

/// <summary>One binary message split into the JPEG bytes and the camera's capture time (unix seconds), without copying.</summary>
public readonly record struct Esp32Frame(ReadOnlyMemory<byte> Jpeg, long? CameraTime, FrameProblem Problem)
{
    public bool IsUsable => Problem is FrameProblem.None or FrameProblem.NoTimestamp;
}

public static class Esp32FrameParser
{
    /// <summary>More digits than a 64-bit number holds are not a time; a clock-less camera may send any number (ESP32_PROTOCOL.md).</summary>
    private const int MaxTimestampDigits = 18;

    /// <summary>
    /// A frame is the JPEG (FF D8 ... FF D9) immediately followed by ASCII decimal digits. There is no
    /// separator: we take the trailing run of digits and require FF D9 right before it.
    /// </summary>
    public static Esp32Frame Parse(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length < 4 || span[0] != 0xFF || span[1] != 0xD8)
            return new Esp32Frame(default, null, FrameProblem.NotJpeg);

        var end = span.Length;
        while (end > 2 && span[end - 1] is >= (byte)'0' and <= (byte)'9')
            end--;
        var digits = span[end..];
        if (end < 4 || span[end - 2] != 0xFF || span[end - 1] != 0xD9)
        {
            // The digits may be part of the JPEG's entropy data: a JPEG ending in FF D9 with no digits after it.
            return span[^2] == 0xFF && span[^1] == 0xD9
                ? new Esp32Frame(message, null, FrameProblem.NoTimestamp)
                : new Esp32Frame(default, null, FrameProblem.NoEndOfImage);
        }
        var jpeg = message[..end];
        if (digits.Length == 0)
            return new Esp32Frame(jpeg, null, FrameProblem.NoTimestamp);
        if (digits.Length > MaxTimestampDigits)
            return new Esp32Frame(jpeg, null, FrameProblem.None);
        long value = 0;
        foreach (var d in digits)
            value = (value * 10) + (d - '0');
        return new Esp32Frame(jpeg, value, FrameProblem.None);
    }
}
