namespace NvrBlazor.Domain.Detection;

/// <summary>
/// Which detections count for a camera (its chosen labels, default person, and a minimum score): what starts a clip
/// in the "when an object is detected" recording mode. <paramref name="Faces"/>: also look for faces on the people
/// found (BlazeFace, label "face"; off by default).
/// </summary>
public sealed record ObjectTrigger(IReadOnlyList<string> Labels, double MinScore, bool Faces = false)
{
    public const double DefaultMinScore = 0.5;
    public static ObjectTrigger Default { get; } = new(["person"], DefaultMinScore);

    public bool Matches(IEnumerable<DetectedObject> found) => Matching(found).Any();

    /// <summary>The detections that count: the chosen labels at or above the minimum score, best first.</summary>
    public IEnumerable<DetectedObject> Matching(IEnumerable<DetectedObject> found) =>
        found.Where(d => d.Score >= MinScore && Labels.Contains(d.Label, StringComparer.Ordinal)).OrderByDescending(d => d.Score);

    /// <summary>Null when usable; otherwise the sentence naming the bad value.</summary>
    public string? Problem() =>
        Labels.Count == 0 ? "Choose at least one label for object detection (for example person)."
        : Labels.FirstOrDefault(l => !DetectorLabels.Known(l)) is { } unknown ? $"'{unknown}' is not one of the detector's labels (person, car, dog, ... the 80 COCO classes, or face)."
        : MinScore is < 0.05 or > 0.99 ? "The minimum detection score must be 0.05 to 0.99."
        : null;

    /// <summary>The labels as stored in the camera's row: "person,car".</summary>
    public string Stored => string.Join(',', Labels);

    /// <summary>Labels as a person types them ("Person, car"): trimmed, lower case, once each.</summary>
    public static ObjectTrigger From(IEnumerable<string>? labels, double? minScore, bool faces = false) =>
        new(labels is null ? Default.Labels : DetectorLabels.Tidy(labels), minScore ?? DefaultMinScore, faces);
}
