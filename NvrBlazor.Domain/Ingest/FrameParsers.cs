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

/// <summary>One binary message split into the JPEG bytes and the camera's capture time (unix milliseconds), without copying.</summary>
public readonly record struct ParsedFrame(ReadOnlyMemory<byte> Jpeg, long? CameraTimeMs, FrameProblem Problem)
{
    public bool IsUsable => Problem is FrameProblem.None or FrameProblem.NoTimestamp;
}

public static class Esp32FrameParser
{
    /// <summary>A clock-less camera may send any number of digits (ESP32_PROTOCOL.md); beyond 12 digits of seconds it is not a time.</summary>
    private const int MaxTimestampDigits = 12;

    /// <summary>
    /// A frame is the JPEG (FF D8 ... FF D9) immediately followed by ASCII decimal digits. There is no
    /// separator: we take the trailing run of digits and require FF D9 right before it.
    /// </summary>
    public static ParsedFrame Parse(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length < 4 || span[0] != 0xFF || span[1] != 0xD8)
            return new ParsedFrame(default, null, FrameProblem.NotJpeg);

        var end = span.Length;
        while (end > 2 && span[end - 1] is >= (byte)'0' and <= (byte)'9')
            end--;
        var digits = span[end..];
        if (end < 4 || span[end - 2] != 0xFF || span[end - 1] != 0xD9)
        {
            // The digits may be part of the JPEG's entropy data: a JPEG ending in FF D9 with no digits after it.
            return span[^2] == 0xFF && span[^1] == 0xD9
                ? new ParsedFrame(message, null, FrameProblem.NoTimestamp)
                : new ParsedFrame(default, null, FrameProblem.NoEndOfImage);
        }
        var jpeg = message[..end];
        if (digits.Length == 0)
            return new ParsedFrame(jpeg, null, FrameProblem.NoTimestamp);
        if (digits.Length > MaxTimestampDigits)
            return new ParsedFrame(jpeg, null, FrameProblem.None);
        long seconds = 0;
        foreach (var d in digits)
            seconds = (seconds * 10) + (d - '0');
        return new ParsedFrame(jpeg, seconds * 1000, FrameProblem.None);
    }
}

/// <summary>
/// NvrBlazor's own camera protocol (docs/protocol.md): 8 bytes of capture time in unix milliseconds,
/// big-endian, then the JPEG. A fixed header instead of the ESP32's trailing digits: nothing to scan.
/// </summary>
public static class NvrFrameParser
{
    public const int HeaderBytes = 8;

    public static ParsedFrame Parse(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length < HeaderBytes + 4)
            return new ParsedFrame(default, null, FrameProblem.NotJpeg);
        var jpeg = message[HeaderBytes..];
        var bytes = jpeg.Span;
        if (bytes[0] != 0xFF || bytes[1] != 0xD8)
            return new ParsedFrame(default, null, FrameProblem.NotJpeg);
        if (bytes[^2] != 0xFF || bytes[^1] != 0xD9)
            return new ParsedFrame(default, null, FrameProblem.NoEndOfImage);
        var milliseconds = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(span);
        return milliseconds > 0
            ? new ParsedFrame(jpeg, milliseconds, FrameProblem.None)
            : new ParsedFrame(jpeg, null, FrameProblem.NoTimestamp);
    }
}
