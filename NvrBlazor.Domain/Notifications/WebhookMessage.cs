using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NvrBlazor.Domain.Notifications;

/// <summary>The body shapes a webhook can send: our own event JSON, or what ntfy, Gotify, Discord and Slack expect.</summary>
public enum WebhookShape { Generic = 0, Ntfy = 1, Gotify = 2, Discord = 3, Slack = 4 }

/// <summary>
/// What a webhook POSTs (body, content type, extra headers) and its signature. The signature is HMAC-SHA256 with
/// the channel's secret over "&lt;timestamp&gt;.&lt;body&gt;", sent as <c>X-Nvr-Signature: sha256=&lt;hex&gt;</c> beside
/// <c>X-Nvr-Timestamp</c> (Unix seconds): a receiver recomputes it and refuses old timestamps (replays).
/// </summary>
public static class WebhookMessage
{
    public const string SignatureHeader = "X-Nvr-Signature";
    public const string TimestampHeader = "X-Nvr-Timestamp";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static (string Body, string ContentType, IReadOnlyList<(string Name, string Value)> Headers) Build(WebhookShape shape, NvrEvent e)
    {
        var text = e.DownloadUrl is { } link ? $"{e.Message}\n{link}" : e.Message;
        return shape switch
        {
            // ntfy: the body is the message; title, tags and the click target go in headers (https://docs.ntfy.sh/publish/).
            WebhookShape.Ntfy => (e.Message, "text/plain; charset=utf-8",
                [("Title", e.Title), ("Tags", e.Kind is EventKinds.MotionStarted or EventKinds.ClipCompleted or EventKinds.ObjectDetected ? "rotating_light" : "camera"),
                 .. e.DownloadUrl is { } click ? new[] { ("Click", click) } : []]),
            WebhookShape.Gotify => (new JsonObject { ["title"] = e.Title, ["message"] = text, ["priority"] = 5 }.ToJsonString(), "application/json", []),
            WebhookShape.Discord => (new JsonObject { ["content"] = $"**{e.Title}**\n{text}" }.ToJsonString(), "application/json", []),
            WebhookShape.Slack => (new JsonObject { ["text"] = $"*{e.Title}*\n{text}" }.ToJsonString(), "application/json", []),
            _ => (JsonSerializer.Serialize(e, Json), "application/json", []),
        };
    }

    public static string Sign(string secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    public static bool Verify(string secret, long timestamp, string body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
