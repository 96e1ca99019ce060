using System.Text.Json;
using NvrBlazor.Domain.Motion;

namespace NvrBlazor.Domain.Agent;

/// <summary>
/// One camera of an agent: the token the server gave it, what to capture, and how. With <paramref name="Motion"/> the
/// agent detects motion itself (the Domain detector on small gray pictures ffmpeg makes beside the JPEGs) and reports
/// MotionStart/MotionEnd, so the server need not decode this camera's frames. <paramref name="InputOptions"/> are
/// extra ffmpeg input options for the source (a webcam's format, size and rate as <c>--discover</c> lists them).
/// </summary>
public sealed record AgentCamera(string Name, string Token, string Source, CaptureSettings Capture, MotionSettings? Motion = null, string? InputOptions = null)
{
    /// <summary>The token shortened for logs: never the whole secret.</summary>
    public string TokenHint => Token.Length <= 8 ? "***" : Token[..8] + "…";
}

/// <summary>
/// <c>agent.json</c>: the server's address and the cameras. Read strictly: a mistake is reported with where it is
/// and what was expected, and nothing starts until the whole file is right.
/// </summary>
public sealed record AgentConfig(Uri Server, IReadOnlyList<AgentCamera> Cameras)
{
    public const int DefaultFps = 10;
    public const string DefaultSize = "640x480";
    public const int DefaultQuality = 12;

    /// <summary>The /ingest WebSocket address for a token.</summary>
    public Uri IngestUri(string token)
    {
        var scheme = Server.Scheme switch { "https" or "wss" => "wss", _ => "ws" };
        var builder = new UriBuilder(Server) { Scheme = scheme, Port = Server.IsDefaultPort ? -1 : Server.Port };
        builder.Path = builder.Path.TrimEnd('/') + "/ingest";
        builder.Query = "token=" + Uri.EscapeDataString(token);
        return builder.Uri;
    }

    public static (AgentConfig? Config, IReadOnlyList<string> Problems) Parse(string json)
    {
        var problems = new List<string>();
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return (null, [$"not JSON: {e.Message}"]);
        }
        if (root.ValueKind != JsonValueKind.Object)
            return (null, ["the file must hold one object: {\"server\": \"http://...:9090\", \"cameras\": [...]}"]);

        Uri? server = null;
        var serverText = Text(root, "server");
        if (serverText is null)
            problems.Add("server: missing; write the NvrBlazor address, e.g. \"http://192.168.1.10:9090\"");
        else if (!Uri.TryCreate(serverText, UriKind.Absolute, out server) || server.Scheme is not ("http" or "https" or "ws" or "wss"))
            problems.Add($"server: \"{serverText}\" is not an http, https, ws or wss address");

        var cameras = new List<AgentCamera>();
        if (!root.TryGetProperty("cameras", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            problems.Add("cameras: missing or empty; list at least one {\"name\", \"token\", \"source\"}");
        else
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var where = $"cameras[{index++}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{where}: must be an object");
                    continue;
                }
                var name = Text(item, "name");
                var token = Text(item, "token");
                var source = Text(item, "source");
                if (string.IsNullOrWhiteSpace(name))
                    problems.Add($"{where}.name: missing");
                else
                    where = $"{where} ({name})";
                if (string.IsNullOrWhiteSpace(token))
                    problems.Add($"{where}.token: missing; it is shown once when an admin adds an agent camera on Admin > Cameras");
                if (string.IsNullOrWhiteSpace(source))
                    problems.Add($"{where}.source: missing; e.g. \"/dev/video0\", \"rtsp://...\" or \"lavfi:testsrc2\"");
                var size = CaptureSettings.ParseSize(Text(item, "size") ?? DefaultSize);
                if (size is null)
                    problems.Add($"{where}.size: \"{Text(item, "size")}\" is not WIDTHxHEIGHT, e.g. \"640x480\"");
                var fps = Number(item, "fps", DefaultFps, where, problems);
                var quality = Number(item, "quality", DefaultQuality, where, problems);
                MotionSettings? motion = null;
                if (item.TryGetProperty("motion", out var motionFlag) && motionFlag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    problems.Add($"{where}.motion: must be true or false");
                else if (motionFlag.ValueKind == JsonValueKind.True)
                {
                    motion = new MotionSettings(Sensitivity: Number(item, "sensitivity", new MotionSettings().Sensitivity, where, problems));
                    if (motion.Problem() is { } motionProblem)
                        problems.Add($"{where}: {motionProblem}");
                }
                if (size is not { } s || name is null || token is null || source is null)
                    continue;
                var capture = new CaptureSettings(fps, s.Width, s.Height, quality);
                if (capture.Problem() is { } problem)
                    problems.Add($"{where}: {problem}");
                else
                    cameras.Add(new AgentCamera(name, token, source, capture, motion, Text(item, "inputOptions")));
            }
            foreach (var duplicate in cameras.GroupBy(c => c.Token).Where(g => g.Count() > 1))
                problems.Add($"cameras {string.Join(" and ", duplicate.Select(c => c.Name))} share one token: each camera needs its own (one connection per token)");
        }
        return problems.Count == 0 ? (new AgentConfig(server!, cameras), []) : (null, problems);
    }

    private static string? Text(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Number(JsonElement item, string property, int fallback, string where, List<string> problems)
    {
        if (!item.TryGetProperty(property, out var value))
            return fallback;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            return number;
        problems.Add($"{where}.{property}: must be a whole number");
        return fallback;
    }
}
