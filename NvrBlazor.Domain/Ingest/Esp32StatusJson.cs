using System.Text.Json;

namespace NvrBlazor.Domain.Ingest;

/// <summary>
/// The camera's status JSON, read as flat key/value text. The firmware repeats `hostName` and
/// `framesize` in the full status (a dictionary deserialiser throws), mixes strings and numbers, and
/// may nest nothing: we read it token by token, let the last duplicate win, and keep every value as
/// text. Anything that is not a flat JSON object gives null.
/// </summary>
public static class Esp32StatusJson
{
    /// <summary>Caps what one camera can make us hold: the real full status has about 150 keys.</summary>
    public const int MaxKeys = 512;
    public const int MaxValueLength = 1024;

    public static IReadOnlyDictionary<string, string>? TryParse(string json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                    return reader.Read() ? null : values;
                if (reader.TokenType != JsonTokenType.PropertyName)
                    return null;
                var key = reader.GetString()!;
                if (!reader.Read())
                    return null;
                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    JsonTokenType.Null => "",
                    _ => null,
                };
                if (value is null)
                {
                    // A nested object or array: not something this firmware sends; skip it whole.
                    reader.Skip();
                    continue;
                }
                if (value.Length > MaxValueLength)
                    value = value[..MaxValueLength];
                if (values.Count >= MaxKeys && !values.ContainsKey(key))
                    continue;
                values[key] = value;
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
