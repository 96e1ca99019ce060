using System.Buffers.Binary;
using System.Text.Json;

namespace NvrBlazor.Domain.Live;

/// <summary>
/// The live viewer socket (docs/protocol.md, "Live viewer protocol"). Server to browser, a binary
/// message is one frame: a 21-byte header (type 1, camera id as 32-bit big-endian, the camera's
/// capture time and the server's receive time as 64-bit big-endian unix milliseconds, 0 = unknown)
/// followed by the JPEG. The header is written into a buffer each subscription owns and sent as the
/// first fragment of the message, so the JPEG itself is never copied per viewer.
/// </summary>
public static class ViewerFrameHeader
{
    public const int Length = 21;
    public const byte FrameType = 1;

    public static void Write(Span<byte> destination, int cameraId, long cameraTimeMs, long receivedMs)
    {
        destination[0] = FrameType;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], cameraId);
        BinaryPrimitives.WriteInt64BigEndian(destination[5..], cameraTimeMs);
        BinaryPrimitives.WriteInt64BigEndian(destination[13..], receivedMs);
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out int cameraId, out long cameraTimeMs, out long receivedMs)
    {
        cameraId = 0;
        cameraTimeMs = receivedMs = 0;
        if (message.Length < Length || message[0] != FrameType)
            return false;
        cameraId = BinaryPrimitives.ReadInt32BigEndian(message[1..]);
        cameraTimeMs = BinaryPrimitives.ReadInt64BigEndian(message[5..]);
        receivedMs = BinaryPrimitives.ReadInt64BigEndian(message[13..]);
        return true;
    }
}

public enum ViewerRequestKind { Subscribe, Unsubscribe, Status }

/// <summary>A browser's request on the live socket, or why it could not be understood.</summary>
public sealed record ViewerRequest(ViewerRequestKind Kind, int CameraId)
{
    public const int MaxLength = 200;

    /// <summary>Parses <c>{"op":"subscribe"|"unsubscribe"|"status","camera":&lt;id&gt;}</c>; anything else is refused with the reason.</summary>
    public static (ViewerRequest? Request, string? Problem) Parse(string text)
    {
        if (text.Length > MaxLength)
            return (null, $"request longer than {MaxLength} characters");
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, "a request is a JSON object like {\"op\":\"subscribe\",\"camera\":1}");
            if (!root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
                return (null, "missing \"op\" (subscribe, unsubscribe or status)");
            ViewerRequestKind? kind = op.GetString() switch
            {
                "subscribe" => ViewerRequestKind.Subscribe,
                "unsubscribe" => ViewerRequestKind.Unsubscribe,
                "status" => ViewerRequestKind.Status,
                _ => null,
            };
            if (kind is null)
                return (null, $"unknown op '{op.GetString()}' (subscribe, unsubscribe or status)");
            if (!root.TryGetProperty("camera", out var camera) || camera.ValueKind != JsonValueKind.Number || !camera.TryGetInt32(out var id) || id <= 0)
                return (null, "missing or invalid \"camera\" (a positive camera id)");
            return (new ViewerRequest(kind.Value, id), null);
        }
        catch (JsonException)
        {
            return (null, "not JSON");
        }
    }
}
