using System.Globalization;

namespace NvrBlazor.Domain.Clips;

/// <summary>
/// Where the next page of a newest-first clip list starts: the start (Unix ms) and id of the last clip
/// shown. Paging by position in the index, not by offset, keeps page 1,000 as fast as page 1.
/// Written "&lt;start&gt;_&lt;id&gt;"; callers treat it as opaque.
/// </summary>
public readonly record struct ClipCursor(long StartMilliseconds, long Id)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{StartMilliseconds}_{Id}");

    public static bool TryParse(string? text, out ClipCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text))
            return false;
        var parts = text.Split('_');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || id <= 0)
            return false;
        cursor = new ClipCursor(start, id);
        return true;
    }
}
