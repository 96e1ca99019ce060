namespace NvrBlazor.Domain.Detection;

/// <summary>
/// Reads NanoDet-g's output (docs/detection.md). For each of three grids (strides 8, 16 and 32 over the
/// 416x416 input) every cell has 80 class scores (already through a sigmoid) and, for each side of its box
/// (left, top, right, bottom), 11 logits over the distances 0-10 strides from the cell's centre: the distance
/// is their softmax-weighted mean (generalised focal loss). The best class of each cell above the minimum
/// score becomes a box; overlapping boxes of one label keep the best.
/// </summary>
public static class NanoDetDecoder
{
    public const int InputSize = 416;
    public const int Bins = 11;
    public static readonly IReadOnlyList<int> Strides = [8, 16, 32];

    /// <param name="scores">Per stride: cells x 80 scores.</param>
    /// <param name="regressions">Per stride: cells x 4 sides x 11 bins.</param>
    public static List<DetectedObject> Decode(IReadOnlyList<ReadOnlyMemory<float>> scores, IReadOnlyList<ReadOnlyMemory<float>> regressions,
        Letterbox letterbox, float minScore, float maxOverlap = 0.5f)
    {
        if (scores.Count != Strides.Count || regressions.Count != Strides.Count)
            throw new ArgumentException($"NanoDet gives {Strides.Count} score and {Strides.Count} box outputs, not {scores.Count} and {regressions.Count}");
        var classes = CocoLabels.All.Count;
        var candidates = new List<DetectedObject>();
        Span<float> distances = stackalloc float[4];
        for (var level = 0; level < Strides.Count; level++)
        {
            var stride = Strides[level];
            var grid = InputSize / stride;
            var levelScores = scores[level].Span;
            var levelBoxes = regressions[level].Span;
            if (levelScores.Length != grid * grid * classes || levelBoxes.Length != grid * grid * 4 * Bins)
                throw new ArgumentException($"stride {stride}: expected {grid * grid} cells of {classes} scores and {4 * Bins} box values");
            for (var cell = 0; cell < grid * grid; cell++)
            {
                var cellScores = levelScores.Slice(cell * classes, classes);
                var best = 0;
                for (var c = 1; c < classes; c++)
                {
                    if (cellScores[c] > cellScores[best])
                        best = c;
                }
                if (cellScores[best] < minScore)
                    continue;
                for (var side = 0; side < 4; side++)
                    distances[side] = ExpectedBin(levelBoxes.Slice((cell * 4 + side) * Bins, Bins)) * stride;
                var cx = (cell % grid + 0.5f) * stride;
                var cy = (cell / grid + 0.5f) * stride;
                var box = PixelBox.FromCorners(cx - distances[0], cy - distances[1], cx + distances[2], cy + distances[3]);
                candidates.Add(new DetectedObject(CocoLabels.All[best], cellScores[best], letterbox.ToPicture(box)));
            }
        }
        return NonMaxSuppression.Apply(candidates, maxOverlap);
    }

    /// <summary>The softmax-weighted mean of the bin indices.</summary>
    public static float ExpectedBin(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var value in logits)
            max = Math.Max(max, value);
        float sum = 0, weighted = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = MathF.Exp(logits[i] - max);
            sum += e;
            weighted += e * i;
        }
        return weighted / sum;
    }
}

/// <summary>
/// Reads MediaPipe BlazeFace's back-camera model (256x256 input): 512 anchors on a 16x16 grid (2 a cell)
/// and 384 on an 8x8 grid (6 a cell), each with a score logit and 16 values of which the first four are the
/// face's centre offset and size in input pixels (the rest are six landmarks, not used here).
/// </summary>
public static class BlazeFaceDecoder
{
    public const int InputSize = 256;
    private static readonly (int Grid, int PerCell)[] Layers = [(16, 2), (8, 6)];

    /// <param name="scores">Per layer: anchors x 1 logit.</param>
    /// <param name="regressions">Per layer: anchors x 16.</param>
    public static List<DetectedObject> Decode(IReadOnlyList<ReadOnlyMemory<float>> scores, IReadOnlyList<ReadOnlyMemory<float>> regressions,
        Letterbox letterbox, float minScore, float maxOverlap = 0.3f)
    {
        if (scores.Count != Layers.Length || regressions.Count != Layers.Length)
            throw new ArgumentException($"BlazeFace gives {Layers.Length} score and {Layers.Length} box outputs, not {scores.Count} and {regressions.Count}");
        var candidates = new List<DetectedObject>();
        for (var layer = 0; layer < Layers.Length; layer++)
        {
            var (grid, perCell) = Layers[layer];
            var layerScores = scores[layer].Span;
            var layerBoxes = regressions[layer].Span;
            var anchors = grid * grid * perCell;
            if (layerScores.Length != anchors || layerBoxes.Length != anchors * 16)
                throw new ArgumentException($"layer {layer}: expected {anchors} anchors");
            for (var anchor = 0; anchor < anchors; anchor++)
            {
                var score = 1 / (1 + MathF.Exp(-Math.Clamp(layerScores[anchor], -100, 100)));
                if (score < minScore)
                    continue;
                var cell = anchor / perCell;
                var cx = ((cell % grid) + 0.5f) / grid * InputSize + layerBoxes[anchor * 16];
                var cy = ((cell / grid) + 0.5f) / grid * InputSize + layerBoxes[anchor * 16 + 1];
                var width = layerBoxes[anchor * 16 + 2];
                var height = layerBoxes[anchor * 16 + 3];
                var box = new PixelBox(cx - width / 2, cy - height / 2, width, height);
                candidates.Add(new DetectedObject("face", score, letterbox.ToPicture(box)));
            }
        }
        return NonMaxSuppression.Apply(candidates, maxOverlap);
    }
}
