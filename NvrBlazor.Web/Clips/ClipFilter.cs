using System.Globalization;
using NvrBlazor.Domain.Recording;

namespace NvrBlazor.Web.Clips;

/// <summary>
/// What a user is looking for, as the clips page, the API and ZIP downloads share it. A clip matches a
/// time range when any part of it falls inside [From, To). Empty camera list: every camera the user may see.
/// </summary>
public sealed record ClipFilter
{
    public IReadOnlyList<int> Cameras { get; init; } = [];
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public ClipReason? Reason { get; init; }
    public bool ProtectedOnly { get; init; }
    public double? MinSeconds { get; init; }
    /// <summary>Only clips in which the object detector saw this label (a COCO class name such as person or car).</summary>
    public string? Label { get; init; }

    public static readonly ClipFilter Everything = new();

    public string? Problem() =>
        From is { } from && To is { } to && from >= to ? "'from' must be before 'to'."
        : MinSeconds is < 0 or > 86_400 ? "'minSeconds' must be 0 to 86400."
        : Cameras.Any(id => id <= 0) ? "'camera' must be camera ids (positive whole numbers)."
        : Label is { } label && !NvrBlazor.Domain.Detection.DetectorLabels.Known(label) ? $"'label' must be one of the detector's labels (person, car, dog, ...), not '{label}'."
        : null;

    /// <summary>Reads camera (repeatable, or comma-separated), from, to (ISO 8601), reason, protected, minSeconds, label; the problem names the parameter and the value.</summary>
    public static (ClipFilter? Filter, string? Problem) Parse(IQueryCollection query)
    {
        var cameras = new List<int>();
        foreach (var value in query["camera"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
                return (null, $"'camera' must be a camera id (a positive whole number), not '{value}'.");
            cameras.Add(id);
        }
        if (!TryTime(query["from"], "from", out var from, out var problem) || !TryTime(query["to"], "to", out var to, out problem))
            return (null, problem);
        ClipReason? reason = null;
        if (query["reason"].ToString() is { Length: > 0 } reasonText)
        {
            if (!Enum.TryParse<ClipReason>(reasonText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(reasonText[0]))
                return (null, $"'reason' must be motion, manual or continuous, not '{reasonText}'.");
            reason = parsed;
        }
        var protectedOnly = false;
        if (query["protected"].ToString() is { Length: > 0 } protectedText && !bool.TryParse(protectedText, out protectedOnly))
            return (null, $"'protected' must be true or false, not '{protectedText}'.");
        double? minSeconds = null;
        if (query["minSeconds"].ToString() is { Length: > 0 } minText)
        {
            if (!double.TryParse(minText, NumberStyles.Float, CultureInfo.InvariantCulture, out var min) || !double.IsFinite(min))
                return (null, $"'minSeconds' must be a number of seconds, not '{minText}'.");
            minSeconds = min;
        }
        var label = query["label"].ToString() is { Length: > 0 } labelText ? labelText.Trim().ToLowerInvariant() : null;
        var filter = new ClipFilter { Cameras = cameras.Distinct().ToList(), From = from, To = to, Reason = reason, ProtectedOnly = protectedOnly, MinSeconds = minSeconds, Label = label };
        return filter.Problem() is { } invalid ? (null, invalid) : (filter, null);
    }

    /// <summary>The filter as query parameters, the way <see cref="Parse"/> reads them (for links the browser follows, such as the ZIP download).</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        parts.AddRange(Cameras.Select(id => $"camera={id.ToString(CultureInfo.InvariantCulture)}"));
        if (From is { } from)
            parts.Add($"from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}");
        if (To is { } to)
            parts.Add($"to={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}");
        if (Reason is { } reason)
            parts.Add($"reason={reason.ToString().ToLowerInvariant()}");
        if (ProtectedOnly)
            parts.Add("protected=true");
        if (MinSeconds is { } min)
            parts.Add($"minSeconds={min.ToString(CultureInfo.InvariantCulture)}");
        if (Label is { } label)
            parts.Add($"label={Uri.EscapeDataString(label)}");
        return string.Join('&', parts);
    }

    private static bool TryTime(Microsoft.Extensions.Primitives.StringValues values, string name, out DateTimeOffset? time, out string? problem)
    {
        time = null;
        problem = null;
        var text = values.ToString();
        if (text.Length == 0)
            return true;
        // A time without an offset is the server's local time, like the clip folders and names.
        var iso = text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-';
        if (!iso || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed))
        {
            problem = $"'{name}' must be a date and time in ISO 8601 (for example 2026-11-22T08:00:00Z), not '{text}'.";
            return false;
        }
        time = parsed;
        return true;
    }
}
