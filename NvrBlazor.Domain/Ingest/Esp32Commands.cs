namespace NvrBlazor.Domain.Ingest;

/// <summary>
/// What may be sent to an ESP32 camera. The firmware copies a text message into one 127-character
/// command buffer only when it is empty and runs it once per frame loop, so the server sends one
/// message at a time, joins queued commands with ';', and refuses anything longer than the buffer.
/// </summary>
public static class Esp32Commands
{
    public const int MaxMessageBytes = 127;

    /// <summary>Commands the firmware executes without echoing them back (ESP32_PROTOCOL.md).</summary>
    public static readonly IReadOnlySet<string> NotEchoed = new HashSet<string>(StringComparer.Ordinal) { "fps", "framesize", "socketFps", "pause", "reset", "socketJpg" };

    /// <summary>Extra words the live page offers besides the camera's status keys.</summary>
    public static readonly IReadOnlyList<string> Extras = ["save", "reset", "socketFps", "dbgMotion", "dbgVerbose", "delete", "upload", "stopStream", "lamp", "pause", "resetLog"];

    /// <summary>Null when the command string can be sent; otherwise the sentence for the user.</summary>
    public static string? Validate(string command)
    {
        if (string.IsNullOrWhiteSpace(command))
            return "Type a command, e.g. fps=10 or status.";
        var bytes = System.Text.Encoding.UTF8.GetByteCount(command);
        if (bytes > MaxMessageBytes)
            return $"The command is {bytes} bytes; an ESP32 camera accepts at most {MaxMessageBytes} per message. Send it in parts.";
        foreach (var c in command)
        {
            if (char.IsControl(c))
                return "The command contains a control character (such as a line break); use ';' between commands.";
        }
        foreach (var part in command.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            if (NotEchoed.Contains(key) && equals < 0)
                return $"'{key}' needs a value, e.g. {key}={(key == "pause" ? "1" : key == "framesize" ? "8" : "10")}; the camera ignores it bare.";
        }
        return null;
    }

    /// <summary>Joins queued commands into as few messages as fit the camera's buffer, in order.</summary>
    public static IReadOnlyList<string> Pack(IEnumerable<string> commands)
    {
        var messages = new List<string>();
        var current = "";
        foreach (var command in commands.SelectMany(c => c.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var joined = current.Length == 0 ? command : current + ";" + command;
            if (System.Text.Encoding.UTF8.GetByteCount(joined) <= MaxMessageBytes)
            {
                current = joined;
                continue;
            }
            if (current.Length > 0)
                messages.Add(current);
            current = command;
        }
        if (current.Length > 0)
            messages.Add(current);
        return messages;
    }
}
