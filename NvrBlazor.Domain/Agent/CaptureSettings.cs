using System.Globalization;
using NvrBlazor.Domain.Ingest;

namespace NvrBlazor.Domain.Agent;

/// <summary>
/// What an agent camera captures: rate, picture size, JPEG quality on the ESP32's scale (4-63, lower is better, so
/// that <c>quality=</c> means the same to every camera), and whether it is paused.
/// </summary>
public sealed record CaptureSettings(int Fps, int Width, int Height, int Quality, bool Paused = false)
{
    public const int MaxFps = 30;
    public const int MinQuality = 4;
    public const int MaxQuality = 63;

    /// <summary>ffmpeg's <c>-q:v</c> (2-31, lower is better) for this quality.</summary>
    public int FfmpegQuality => Math.Clamp((int)Math.Round(Quality / 2.0), 2, 31);

    /// <summary>The ESP32 framesize index of this size, when it is one of the table's.</summary>
    public int? FrameSizeIndex => FrameSizes.All.FirstOrDefault(f => f.Width == Width && f.Height == Height)?.Index;

    public string? Problem()
    {
        if (Fps is < 1 or > MaxFps)
            return $"fps must be 1 to {MaxFps}, not {Fps}";
        if (Width is < 16 or > 4096 || Height is < 16 or > 4096 || Width % 2 != 0 || Height % 2 != 0)
            return $"size must be two even numbers of 16 to 4096 pixels, e.g. 640x480, not {Width}x{Height}";
        if (Quality is < MinQuality or > MaxQuality)
            return $"quality must be {MinQuality} (best) to {MaxQuality}, not {Quality}";
        return null;
    }

    /// <summary>Reads "640x480"; null when it is not two numbers joined by x.</summary>
    public static (int Width, int Height)? ParseSize(string? text)
    {
        var parts = (text ?? "").Split('x', 'X');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? (w, h) : null;
    }

    /// <summary>The status object an agent sends on connecting, with the ESP32's field names.</summary>
    public IReadOnlyDictionary<string, string> Status(string name) => new Dictionary<string, string>
    {
        ["hostName"] = name,
        ["fps"] = Fps.ToString(CultureInfo.InvariantCulture),
        ["framesize"] = FrameSizeIndex?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["size"] = $"{Width}x{Height}",
        ["quality"] = Quality.ToString(CultureInfo.InvariantCulture),
        ["paused"] = Paused ? "1" : "0",
        ["agent"] = "NvrBlazor.Agent",
    };
}

/// <summary>The outcome of a server command for an agent camera: the new settings, what to echo, what was refused.</summary>
public sealed record CommandOutcome(CaptureSettings Settings, IReadOnlyList<string> Echoes, IReadOnlyList<string> Refused, bool StatusAsked);

/// <summary>
/// Applies the server's <c>key=value;key=value</c> commands an agent understands: <c>fps=</c>, <c>framesize=</c>
/// (the ESP32 table's index), <c>quality=</c> and <c>pause=</c>, and the bare word <c>status</c>. Each applied
/// command is echoed as the camera now has it; anything else is refused with the reason, so the admin sees it in the
/// camera's message log.
/// </summary>
public static class AgentCommands
{
    public static CommandOutcome Apply(CaptureSettings settings, string message)
    {
        var echoes = new List<string>();
        var refused = new List<string>();
        var statusAsked = false;
        foreach (var part in message.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? null : part[(equals + 1)..];
            if (key is "status" or "status?q" && value is null)
            {
                statusAsked = true;
                continue;
            }
            var number = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            CaptureSettings? next = (key, number) switch
            {
                ("fps", { } fps) => settings with { Fps = fps },
                ("quality", { } quality) => settings with { Quality = quality },
                ("pause", 0 or 1) => settings with { Paused = number == 1 },
                ("framesize", { } index) when index >= 0 && index < FrameSizes.All.Count => settings with { Width = FrameSizes.All[index].Width, Height = FrameSizes.All[index].Height },
                _ => null,
            };
            if (next is null)
            {
                refused.Add(key is "fps" or "quality" or "pause" or "framesize"
                    ? $"{part}: not a valid value for {key}"
                    : $"{part}: this agent applies only fps, framesize, quality, pause and status");
                continue;
            }
            if (next.Problem() is { } problem)
            {
                refused.Add($"{part}: {problem}");
                continue;
            }
            settings = next;
            echoes.Add($"{key}={value}");
        }
        return new CommandOutcome(settings, echoes, refused, statusAsked);
    }
}
