using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NvrBlazor.Domain.Detection;

namespace NvrBlazor.Domain.Zones;

/// <summary>A corner of an area, as fractions of the picture (0-1, from the top left), so it holds at any resolution.</summary>
public readonly record struct ZonePoint(double X, double Y);

/// <summary>A named polygon on a camera's picture.</summary>
public sealed record ZoneArea(string Name, IReadOnlyList<ZonePoint> Points)
{
    /// <summary>Whether a point (fractions of the picture) lies inside: even-odd rule, as a browser fills the polygon.</summary>
    public bool Contains(double x, double y)
    {
        var inside = false;
        for (int i = 0, j = Points.Count - 1; i < Points.Count; j = i++)
        {
            var (a, b) = (Points[i], Points[j]);
            if ((a.Y > y) != (b.Y > y) && x < (b.X - a.X) * (y - a.Y) / (b.Y - a.Y) + a.X)
                inside = !inside;
        }
        return inside;
    }
}

/// <summary>
/// Where on a camera's picture things count. <see cref="Masks"/> are never watched (a tree, a road, a clock); when
/// there are <see cref="Zones"/>, only they are (a driveway). Both apply to the motion detector (a changed pixel counts
/// when it is watched) and to the object detector (an object counts when the bottom centre of its box, where it stands,
/// is watched). No areas: the whole picture is watched. Stored in the camera's row as JSON; equal when their JSON is.
/// </summary>
public sealed class CameraZones : IEquatable<CameraZones>
{
    public const int MaxAreas = 16;
    public const int MaxPoints = 32;
    public const int MaxNameLength = 40;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static CameraZones None { get; } = new([], []);

    private CameraZones(IReadOnlyList<ZoneArea> masks, IReadOnlyList<ZoneArea> zones)
    {
        Masks = masks;
        Zones = zones;
        Stored = masks.Count == 0 && zones.Count == 0 ? null : JsonSerializer.Serialize(new StoredAreas(masks, zones), Json);
    }

    public IReadOnlyList<ZoneArea> Masks { get; }
    public IReadOnlyList<ZoneArea> Zones { get; }
    /// <summary>The camera row's text (null: no areas).</summary>
    public string? Stored { get; }
    public bool Any => Stored is not null;

    /// <summary>Areas as a person drew them, checked: the areas, or null and the sentence naming what is wrong.</summary>
    public static CameraZones? From(IReadOnlyList<ZoneArea>? masks, IReadOnlyList<ZoneArea>? zones, out string? problem)
    {
        masks ??= [];
        zones ??= [];
        problem = Check(masks, "mask") ?? Check(zones, "zone");
        if (problem is null && masks.Count + zones.Count > MaxAreas)
            problem = $"A camera has at most {MaxAreas} masks and zones together; this one has {masks.Count + zones.Count}.";
        return problem is null ? new CameraZones([.. masks.Select(Tidy)], [.. zones.Select(Tidy)]) : null;
    }

    /// <summary>The areas a camera row holds; a row that cannot be read (edited by hand) gives none and the reason.</summary>
    public static CameraZones Parse(string? stored, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(stored))
            return None;
        try
        {
            var areas = JsonSerializer.Deserialize<StoredAreas>(stored, Json);
            return From(areas?.Masks, areas?.Zones, out problem) ?? None;
        }
        catch (JsonException e)
        {
            problem = $"the camera's zones are not readable JSON ({e.Message})";
            return None;
        }
    }

    /// <summary>Whether a point of the picture (fractions) is watched: in no mask, and in a zone if there are zones.</summary>
    public bool Watches(double x, double y) =>
        !Masks.Any(m => m.Contains(x, y)) && (Zones.Count == 0 || Zones.Any(z => z.Contains(x, y)));

    /// <summary>The names of the zones holding the point (fractions).</summary>
    public IEnumerable<string> ZonesAt(double x, double y) => Zones.Where(z => z.Contains(x, y)).Select(z => z.Name);

    /// <summary>Whether an object counts: the bottom centre of its box (where it stands) is watched.</summary>
    public bool Counts(PixelBox box, int pictureWidth, int pictureHeight) =>
        !Any || StandsAt(box, pictureWidth, pictureHeight) is var (x, y) && Watches(x, y);

    /// <summary>The first zone where an object stands (the bottom centre of its box); null when it stands in none.</summary>
    public string? ZoneOf(PixelBox box, int pictureWidth, int pictureHeight) =>
        StandsAt(box, pictureWidth, pictureHeight) is var (x, y) ? ZonesAt(x, y).FirstOrDefault() : null;

    private static (double X, double Y) StandsAt(PixelBox box, int pictureWidth, int pictureHeight) =>
        ((box.X + box.Width / 2) / pictureWidth, box.Bottom / pictureHeight);

    /// <summary>
    /// Which pixels of a <paramref name="width"/>x<paramref name="height"/> picture are watched (by their centres),
    /// row by row, and how many; null when all are.
    /// </summary>
    public (bool[] Watched, int Count)? Raster(int width, int height)
    {
        if (!Any)
            return null;
        var watched = new bool[width * height];
        var count = 0;
        for (int y = 0, i = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++, i++)
            {
                if (Watches((x + 0.5) / width, (y + 0.5) / height))
                {
                    watched[i] = true;
                    count++;
                }
            }
        }
        return (watched, count);
    }

    public bool Equals(CameraZones? other) => other is not null && Stored == other.Stored;
    public override bool Equals(object? obj) => Equals(obj as CameraZones);
    public override int GetHashCode() => Stored?.GetHashCode(StringComparison.Ordinal) ?? 0;

    public override string ToString() => Any
        ? string.Create(CultureInfo.InvariantCulture, $"{Masks.Count} mask(s), {Zones.Count} zone(s){(Zones.Count > 0 ? ": " + string.Join(", ", Zones.Select(z => z.Name)) : "")}")
        : "the whole picture";

    private static string? Check(IReadOnlyList<ZoneArea> areas, string kind)
    {
        foreach (var (area, index) in areas.Select((a, i) => (a, i + 1)))
        {
            var name = area?.Name?.Trim();
            if (area is null || string.IsNullOrEmpty(name))
                return $"{Capital(kind)} {index} has no name.";
            if (name.Length > MaxNameLength)
                return $"The name of {kind} '{name[..20]}...' is longer than {MaxNameLength} characters.";
            if (area.Points is null || area.Points.Count < 3)
                return $"{Capital(kind)} '{name}' has {area.Points?.Count ?? 0} corners; an area needs at least 3.";
            if (area.Points.Count > MaxPoints)
                return $"{Capital(kind)} '{name}' has {area.Points.Count} corners; at most {MaxPoints}.";
            if (area.Points.Where(p => !(p.X is >= 0 and <= 1) || !(p.Y is >= 0 and <= 1)).Select(p => (ZonePoint?)p).FirstOrDefault() is { } outside)
                return string.Create(CultureInfo.InvariantCulture,
                    $"{Capital(kind)} '{name}' has a corner at ({outside.X}, {outside.Y}); corners are fractions of the picture, 0 to 1.");
            if (Math.Abs(Area(area.Points)) < 1e-4)
                return $"{Capital(kind)} '{name}' covers no area (its corners are on one line or one point).";
        }
        return areas.GroupBy(a => a.Name.Trim(), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? $"Two {kind}s are named '{twice.Key}'."
            : null;
    }

    private static string Capital(string kind) => char.ToUpperInvariant(kind[0]) + kind[1..];

    private static double Area(IReadOnlyList<ZonePoint> points)
    {
        double sum = 0;
        for (int i = 0, j = points.Count - 1; i < points.Count; j = i++)
            sum += (points[j].X + points[i].X) * (points[j].Y - points[i].Y);
        return sum / 2;
    }

    /// <summary>Names trimmed, corners rounded to 4 decimals (a tenth of a pixel at 1080p; keeps the stored text short).</summary>
    private static ZoneArea Tidy(ZoneArea area) =>
        new(area.Name.Trim(), [.. area.Points.Select(p => new ZonePoint(Math.Round(p.X, 4), Math.Round(p.Y, 4)))]);

    private sealed record StoredAreas(IReadOnlyList<ZoneArea>? Masks, IReadOnlyList<ZoneArea>? Zones);
}
