using NvrBlazor.Domain.Motion;

namespace NvrBlazor.Tests.Domain.Motion;

/// <summary>The thumbnail of a walk: the real detector on synthetic 80x60 frames of someone crossing the picture.</summary>
public class ThumbnailChoiceTests
{
    private const int W = 80, H = 60;

    /// <summary>
    /// A textured, noisy scene with a bright figure at <paramref name="x"/> (may be partly outside the picture), as wide as
    /// <paramref name="width"/> and twice as tall: someone walking in from the left edge towards the camera, growing as they come.
    /// </summary>
    private static byte[] Frame(Random noise, int x, int width)
    {
        var frame = new byte[W * H];
        var height = Math.Min(H - 4, width * 2);
        var top = H - 2 - height;
        for (var y = 0; y < H; y++)
        {
            for (var px = 0; px < W; px++)
            {
                double v = 60 + px + (y / 6 % 2) * 40;
                if (px >= x && px < x + width && y >= top && y < top + height)
                    v = 235;
                frame[y * W + px] = (byte)Math.Clamp(Math.Round(v + noise.Next(-6, 7)), 0, 255);
            }
        }
        return frame;
    }

    [Fact]
    public void The_chosen_frame_shows_the_walker_whole_not_the_one_with_the_most_change_at_the_edge()
    {
        var detector = new MotionDetector(new MotionSettings(Sensitivity: 50, MinAreaPercent: 1));
        var noise = new Random(7);
        for (var i = 0; i < 20; i++)
            detector.Analyse(Frame(noise, -100, 10), W, H);

        (int X, int Width, double Rank)? best = null;
        (int X, int Width, double Score)? mostChange = null;
        (int X, int Width)? lastWhole = null;
        for (var step = 0; step < 40; step++)
        {
            var width = 8 + step / 2;
            var x = -width + step * 3;
            if (x >= W)
                break;
            var result = detector.Analyse(Frame(noise, x, width), W, H);
            if (x >= 0 && x + width <= W)
                lastWhole = (x, width);
            var rank = ThumbnailChoice.Rank(result.Box);
            if (rank > (best?.Rank ?? -1))
                best = (x, width, rank);
            if (result.Score > (mostChange?.Score ?? -1))
                mostChange = (x, width, result.Score);
        }

        Assert.NotNull(best);
        // The figure is entirely inside the picture in the chosen frame...
        Assert.InRange(best.Value.X, 0, W - best.Value.Width);
        // ...where the old rule (the most changed area) chose a frame with the figure cut by the edge.
        Assert.True(mostChange!.Value.X + mostChange.Value.Width > W, $"the most change was at x={mostChange.Value.X}, width {mostChange.Value.Width}");
        // And it is the largest whole view: the figure grows as it comes, so the last frame with all of it inside.
        Assert.InRange(best.Value.Width, lastWhole!.Value.Width - 1, lastWhole.Value.Width);
    }

    [Fact]
    public void A_box_inside_the_picture_beats_a_larger_box_at_the_edge_and_any_box_beats_none()
    {
        var inside = new MotionBox(0.3, 0.3, 0.5, 0.6, TouchesEdge: false);
        var atEdge = new MotionBox(0, 0.1, 0.6, 0.9, TouchesEdge: true);
        Assert.True(ThumbnailChoice.Rank(inside) > ThumbnailChoice.Rank(atEdge));
        Assert.True(ThumbnailChoice.Rank(atEdge) > ThumbnailChoice.Rank(null));
        Assert.True(ThumbnailChoice.Rank(inside with { Right = 0.7 }) > ThumbnailChoice.Rank(inside));
    }

    [Fact]
    public void The_motion_box_is_where_the_change_is()
    {
        var detector = new MotionDetector(new MotionSettings());
        var noise = new Random(3);
        for (var i = 0; i < 20; i++)
            detector.Analyse(Frame(noise, -100, 10), W, H);
        var result = detector.Analyse(Frame(noise, 30, 10), W, H);
        var box = Assert.IsType<MotionBox>(result.Box);
        Assert.False(box.TouchesEdge);
        Assert.Equal(30.0 / W, box.Left, 0.02);
        Assert.Equal(40.0 / W, box.Right, 0.02);
        Assert.Equal((H - 2 - 20) / (double)H, box.Top, 0.03);
        Assert.Null(detector.Analyse(Frame(noise, -100, 10), W, H).Box); // nothing changed: no box
    }
}
