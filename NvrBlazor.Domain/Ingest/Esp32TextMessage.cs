namespace NvrBlazor.Domain.Ingest;

public enum Esp32TextKind
{
    /// <summary>A JSON status object (the first message after connecting, or an answer to status / status?q).</summary>
    Status,
    MotionStart,
    MotionEnd,
    /// <summary>`key=value`: the camera applied a setting (an echo of a command, or a change made on the camera).</summary>
    Setting,
    /// <summary>Sent every 2 s while streaming is paused; keeps the connection alive.</summary>
    Paused,
    /// <summary>Anything else: free text for the camera's message log.</summary>
    Info,
}

/// <summary>
/// One text message from an ESP32 camera, `#&lt;unix seconds&gt;|&lt;payload&gt;` (ESP32_PROTOCOL.md).
/// <see cref="CameraTime"/> is null when the prefix is missing or unreadable; such a message is still
/// kept, as free text, because the camera's own log is worth showing even when it is odd.
/// </summary>
public sealed record Esp32TextMessage(Esp32TextKind Kind, long? CameraTime, string Payload, IReadOnlyDictionary<string, string>? Status = null)
{
    public string? SettingKey => Kind == Esp32TextKind.Setting ? Payload[..Payload.IndexOf('=', StringComparison.Ordinal)] : null;
    public string? SettingValue => Kind == Esp32TextKind.Setting ? Payload[(Payload.IndexOf('=', StringComparison.Ordinal) + 1)..] : null;
}

public static class Esp32TextParser
{
    public static Esp32TextMessage Parse(string text)
    {
        var (time, payload) = SplitPrefix(text);
        var trimmed = payload.Trim();
        if (trimmed.Length > 0 && trimmed[0] == '{')
        {
            // The firmware does not escape strings: JSON that does not parse is kept as text (the session goes on).
            var status = Esp32StatusJson.TryParse(trimmed);
            if (status is not null)
                return new Esp32TextMessage(Esp32TextKind.Status, time, trimmed, status);
            return new Esp32TextMessage(Esp32TextKind.Info, time, payload);
        }
        switch (trimmed)
        {
            case "MotionStart":
                return new Esp32TextMessage(Esp32TextKind.MotionStart, time, trimmed);
            case "MotionEnd":
                return new Esp32TextMessage(Esp32TextKind.MotionEnd, time, trimmed);
            case "paused":
                return new Esp32TextMessage(Esp32TextKind.Paused, time, trimmed);
        }
        if (IsSetting(trimmed))
            return new Esp32TextMessage(Esp32TextKind.Setting, time, trimmed);
        return new Esp32TextMessage(Esp32TextKind.Info, time, payload);
    }

    private static (long? Time, string Payload) SplitPrefix(string text)
    {
        if (text.Length < 3 || text[0] != '#')
            return (null, text);
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar < 2 || bar > 21)
            return (null, text);
        var digits = text.AsSpan(1, bar - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
                return (null, text);
        }
        return long.TryParse(digits, out var seconds) ? (seconds, text[(bar + 1)..]) : (null, text[(bar + 1)..]);
    }

    /// <summary>`key=value` with a key of letters, digits or underscore (the firmware's config keys).</summary>
    private static bool IsSetting(string payload)
    {
        var equals = payload.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals > 64)
            return false;
        for (var i = 0; i < equals; i++)
        {
            var c = payload[i];
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
                return false;
        }
        return payload.IndexOfAny(['\n', '\r']) < 0;
    }
}
