namespace NvrBlazor.Domain.Ingest;

public sealed record CommandPreset(string Name, string Commands);

/// <summary>
/// Presets as admins edit them: one `Name|commands` per line, as on the Python server's control page.
/// Blank lines are ignored; every other line must have a name, a '|' and commands a camera accepts.
/// </summary>
public static class CommandPresetText
{
    public const int MaxNameLength = 100;

    public static IReadOnlyList<CommandPreset> Defaults { get; } =
    [
        new("Defaults", "framesize=7;fps=5;dbgVerbose=1;enableMotion=0;socketFps=0"),
        new("Low bandwidth with motion", "framesize=5;fps=15;socketFps=2;enableMotion=1"),
        new("Enable motion detect", "enableMotion=1"),
    ];

    /// <summary>The presets, or the problems found, each naming its line.</summary>
    public static (IReadOnlyList<CommandPreset> Presets, IReadOnlyList<string> Errors) Parse(string text)
    {
        var presets = new List<CommandPreset>();
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
                continue;
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            var where = $"Line {i + 1}";
            if (bar < 0)
            {
                errors.Add($"{where}: write it as Name|commands, e.g. Night|framesize=5;lamp=0.");
                continue;
            }
            var name = line[..bar].Trim();
            var commands = line[(bar + 1)..].Trim();
            if (name.Length == 0)
                errors.Add($"{where}: the preset needs a name before '|'.");
            else if (name.Length > MaxNameLength)
                errors.Add($"{where}: the name is longer than {MaxNameLength} characters.");
            else if (!names.Add(name))
                errors.Add($"{where}: another preset is already called '{name}'.");
            if (Esp32Commands.Validate(commands) is { } refusal)
                errors.Add($"{where}: {refusal}");
            presets.Add(new CommandPreset(name, commands));
        }
        return errors.Count > 0 ? ([], errors) : (presets, errors);
    }

    public static string Format(IEnumerable<CommandPreset> presets) =>
        string.Join('\n', presets.Select(p => $"{p.Name}|{p.Commands}"));
}
