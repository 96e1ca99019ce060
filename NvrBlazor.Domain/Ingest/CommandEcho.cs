namespace NvrBlazor.Domain.Ingest;

/// <summary>What the camera said about a command the admin sent.</summary>
public enum CommandConfirmation
{
    /// <summary>Every echoed part came back.</summary>
    Confirmed,

    /// <summary>Sent; the echo may still come.</summary>
    Waiting,

    /// <summary>No echo within <see cref="CommandEcho.Wait"/>: the camera may not have applied it (a lost slot, an unknown key, offline).</summary>
    NotConfirmed,

    /// <summary>The firmware never echoes these (fps, framesize, socketFps, pause, reset, socketJpg): nothing to wait for.</summary>
    NotEchoed,
}

/// <summary>
/// Whether a command was confirmed by the camera (ESP32_PROTOCOL.md): every <c>key=value</c> except fps, framesize,
/// socketFps, pause, reset and socketJpg is echoed back as <c>#ts|key=value</c> before it is applied.
/// </summary>
public static class CommandEcho
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> NeverEchoed = new(StringComparer.Ordinal) { "fps", "framesize", "socketFps", "pause", "reset", "socketJpg" };

    /// <summary>The parts of a command ("lamp=7;fps=5") the camera will echo ("lamp=7").</summary>
    public static IReadOnlyList<string> EchoedParts(string command) =>
        command.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(part => part.IndexOf('=') is > 0 and var at && !NeverEchoed.Contains(part[..at]))
            .ToList();

    /// <param name="received">Messages received from the camera, with the server's time of arrival.</param>
    public static CommandConfirmation Check(string command, DateTimeOffset sentAt, IEnumerable<(DateTimeOffset At, string Text)> received, DateTimeOffset now)
    {
        var parts = EchoedParts(command);
        if (parts.Count == 0)
            return CommandConfirmation.NotEchoed;
        var since = received.Where(r => r.At >= sentAt).Select(r => r.Text.Trim()).ToList();
        if (parts.All(part => since.Any(text => text == part || text.EndsWith("|" + part, StringComparison.Ordinal))))
            return CommandConfirmation.Confirmed;
        return now - sentAt < Wait ? CommandConfirmation.Waiting : CommandConfirmation.NotConfirmed;
    }
}
