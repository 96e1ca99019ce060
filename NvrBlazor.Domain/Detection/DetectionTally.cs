namespace NvrBlazor.Domain.Detection;

/// <summary>
/// What the detector found over one motion event: each label's best score and the box it had then, and the
/// single best detection (its frame becomes the event's snapshot). Only labels at or above the minimum score count.
/// </summary>
public sealed class DetectionTally(float minScore)
{
    private readonly Dictionary<string, DetectedObject> best = new(StringComparer.Ordinal);

    /// <summary>The best detection so far (of any label), or null.</summary>
    public DetectedObject? Best { get; private set; }

    /// <summary>Counts one analysed frame's detections; true when one of them is the new best (its frame is the one to keep).</summary>
    public bool Add(IEnumerable<DetectedObject> found)
    {
        var newBest = false;
        foreach (var detection in found)
        {
            if (detection.Score < minScore)
                continue;
            if (!best.TryGetValue(detection.Label, out var known) || detection.Score > known.Score)
                best[detection.Label] = detection;
            if (Best is null || detection.Score > Best.Score)
            {
                Best = detection;
                newBest = true;
            }
        }
        return newBest;
    }

    /// <summary>The labels seen, best score first: "person,car".</summary>
    public string? Labels => best.Count == 0 ? null : string.Join(',', best.Values.OrderByDescending(d => d.Score).ThenBy(d => d.Label, StringComparer.Ordinal).Select(d => d.Label));

    public bool Saw(string label) => best.ContainsKey(label);

    public float? BestScoreOf(string label) => best.TryGetValue(label, out var d) ? d.Score : null;

    /// <summary>A box as stored: "x,y,w,h" in whole pixels.</summary>
    public static string Format(PixelBox box) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{MathF.Round(box.X)},{MathF.Round(box.Y)},{MathF.Round(box.Width)},{MathF.Round(box.Height)}");

    /// <summary>Labels as stored (comma-separated), split; empty for none.</summary>
    public static IReadOnlyList<string> Split(string? labels) =>
        string.IsNullOrEmpty(labels) ? [] : labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
