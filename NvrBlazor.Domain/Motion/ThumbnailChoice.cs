namespace NvrBlazor.Domain.Motion;

/// <summary>
/// Which frame of a clip becomes its thumbnail: the one that shows the moving thing whole and as large
/// as possible. A frame whose motion box reaches the picture's edge (someone walking in or out) loses to
/// any frame with the box inside the picture; among equals the larger box wins; a frame without a box
/// (a camera that reports motion but no region) only counts until a frame with one comes.
/// </summary>
public static class ThumbnailChoice
{
    /// <summary>
    /// A frame where the object detector found something (score 0-1): above every motion-only rank (at most 4) when the
    /// object is wholly inside the picture; one cut by the picture's edge ranks with the edge-touching motion boxes.
    /// </summary>
    public static double DetectedRank(float score, bool touchesEdge) => touchesEdge ? 1 + score : 10 + score;

    /// <summary>Higher is better.</summary>
    public static double Rank(MotionBox? box) => box switch
    {
        null => 0,
        { TouchesEdge: true } b => 1 + b.Area,
        var b => 3 + b.Value.Area,
    };
}
