using NvrBlazor.Domain.Detection;

namespace NvrBlazor.Tests.Domain.Detection;

/// <summary>The pure parts of detection: boxes, fitting a picture into a model's input, and reading the models' outputs.</summary>
public class DetectionMathTests
{
    [Fact]
    public void IoU_is_one_for_the_same_box_zero_for_boxes_apart_and_the_shared_part_otherwise()
    {
        var box = new PixelBox(10, 10, 20, 20);
        Assert.Equal(1f, box.IoU(box), 5);
        Assert.Equal(0f, box.IoU(new PixelBox(30, 10, 20, 20)), 5);
        // Half of each overlaps: 200 shared of 600 in all.
        Assert.Equal(1 / 3f, box.IoU(new PixelBox(20, 10, 20, 20)), 5);
    }

    [Fact]
    public void Suppression_keeps_the_best_of_overlapping_boxes_of_one_label_and_boxes_of_other_labels()
    {
        var kept = NonMaxSuppression.Apply(
        [
            new DetectedObject("person", 0.6f, new PixelBox(0, 0, 10, 20)),
            new DetectedObject("person", 0.9f, new PixelBox(1, 1, 10, 20)),
            new DetectedObject("dog", 0.5f, new PixelBox(1, 1, 10, 20)),
            new DetectedObject("person", 0.4f, new PixelBox(50, 0, 10, 20)),
        ], maxOverlap: 0.5f);
        Assert.Equal(["person 0.9", "dog 0.5", "person 0.4"], kept.Select(k => $"{k.Label} {k.Score}"));
    }

    [Fact]
    public void A_vga_picture_fills_the_width_of_a_416_input_centred_and_its_boxes_map_back()
    {
        var letterbox = Letterbox.For(640, 480, 416);
        Assert.Equal(0.65f, letterbox.Scale, 5);
        Assert.Equal(0f, letterbox.PadX, 5);
        Assert.Equal(52f, letterbox.PadY, 5);
        Assert.Equal(new PixelBox(0, 0, 640, 480), letterbox.ToPicture(new PixelBox(0, 52, 416, 312)));
        // A box reaching into the padding is cut at the picture's edge.
        Assert.Equal(new PixelBox(320, 0, 320, 240), letterbox.ToPicture(new PixelBox(208, 0, 300, 208)));
    }

    [Fact]
    public void Fill_writes_the_picture_planar_or_interleaved_normalised_with_padding_around_it()
    {
        // 2x1: a red pixel and a blue one, into a 4x4 input: scale 2, one padding row above and below.
        byte[] rgb = [255, 0, 0, 0, 0, 255];
        var letterbox = Letterbox.For(2, 1, 4);
        Assert.Equal((2f, 0f, 1f), (letterbox.Scale, letterbox.PadX, letterbox.PadY));
        var planar = new float[48];
        letterbox.Fill(rgb, planar, 4, planar: true, multiply: 1 / 255f, add: 0, padValue: -1);
        Assert.All(planar[..4], v => Assert.Equal(-1f, v)); // row 0 of R: padding
        Assert.Equal(1f, planar[4], 3); // R at (0, 1): the red pixel
        Assert.Equal(0f, planar[7], 3); // R at (3, 1): the blue pixel
        Assert.Equal(1f, planar[32 + 7], 3); // B at (3, 1)
        var interleaved = new float[48];
        letterbox.Fill(rgb, interleaved, 4, planar: false, multiply: 2 / 255f, add: -1, padValue: 0);
        Assert.Equal([1f, -1f, -1f], interleaved[12..15].Select(v => MathF.Round(v, 3)));
        Assert.Equal([0f, 0f, 0f], interleaved[..3]);
        Assert.Throws<ArgumentException>(() => letterbox.Fill(rgb, new float[47], 4, true, 1, 0, 0));
    }

    [Fact]
    public void The_distance_of_a_side_is_the_softmax_weighted_mean_of_its_bins()
    {
        var sure = new float[11];
        sure[3] = 30;
        Assert.Equal(3f, NanoDetDecoder.ExpectedBin(sure), 3);
        Assert.Equal(5f, NanoDetDecoder.ExpectedBin(new float[11]), 3);
    }

    [Fact]
    public void Nanodet_output_becomes_a_box_around_the_cells_centre_in_the_pictures_pixels()
    {
        // One cell scores a person: stride 16, cell (5, 7), every side 2 bins (32 px) from the centre (88, 120).
        var (scores, boxes) = EmptyNanoDetOutput();
        var cell = 7 * 26 + 5;
        scores[1][cell * 80] = 0.9f;
        scores[1][cell * 80 + 2] = 0.3f; // a weaker "car" in the same cell does not make a second box
        for (var side = 0; side < 4; side++)
            boxes[1][(cell * 4 + side) * 11 + 2] = 30;
        var found = NanoDetDecoder.Decode(scores.Select(s => (ReadOnlyMemory<float>)s).ToList(), boxes.Select(b => (ReadOnlyMemory<float>)b).ToList(),
            Letterbox.For(832, 832, 416), minScore: 0.35f);
        var person = Assert.Single(found);
        Assert.Equal("person", person.Label);
        // The picture is twice the input's size.
        Assert.Equal(new PixelBox(112, 176, 128, 128), Rounded(person.Box));
        Assert.Throws<ArgumentException>(() => NanoDetDecoder.Decode([scores[0], scores[1]], [boxes[0], boxes[1]], Letterbox.For(416, 416, 416), 0.35f));
    }

    [Fact]
    public void Blazeface_output_becomes_a_face_box_on_its_anchor()
    {
        float[] scores16 = new float[512], scores8 = new float[384], boxes16 = new float[512 * 16], boxes8 = new float[384 * 16];
        Array.Fill(scores16, -10f);
        Array.Fill(scores8, -10f);
        // The second anchor of cell (3, 4) on the 16x16 grid: centre (56, 72), moved by (4, -2), 20 wide and 30 high.
        var anchor = (4 * 16 + 3) * 2 + 1;
        scores16[anchor] = 5;
        boxes16[anchor * 16] = 4;
        boxes16[anchor * 16 + 1] = -2;
        boxes16[anchor * 16 + 2] = 20;
        boxes16[anchor * 16 + 3] = 30;
        var face = Assert.Single(BlazeFaceDecoder.Decode([scores16, scores8], [boxes16, boxes8], Letterbox.For(256, 256, 256), 0.5f));
        Assert.Equal("face", face.Label);
        Assert.Equal(new PixelBox(50, 55, 20, 30), Rounded(face.Box));
        Assert.InRange(face.Score, 0.99f, 1f);
    }

    [Fact]
    public void A_crop_copies_the_boxes_pixels_and_maps_its_boxes_back()
    {
        // 4x2 picture whose every pixel holds its own x in R and y in G.
        var rgb = new byte[4 * 2 * 3];
        for (var y = 0; y < 2; y++)
            for (var x = 0; x < 4; x++)
                (rgb[(y * 4 + x) * 3], rgb[(y * 4 + x) * 3 + 1]) = ((byte)x, (byte)y);
        var crop = RgbCrop.Cut(rgb, 4, 2, new PixelBox(1.5f, -3, 2, 10))!;
        Assert.Equal((3, 2, 1, 0), (crop.Width, crop.Height, crop.OriginX, crop.OriginY));
        Assert.Equal([1, 0, 0, 2, 0, 0, 3, 0, 0, 1, 1, 0, 2, 1, 0, 3, 1, 0], crop.Rgb.Select(b => (int)b));
        Assert.Equal(new PixelBox(2, 1, 1, 1), crop.ToPicture(new PixelBox(1, 1, 1, 1)));
        Assert.Null(RgbCrop.Cut(rgb, 4, 2, new PixelBox(10, 10, 5, 5)));
    }

    private static (float[][] Scores, float[][] Boxes) EmptyNanoDetOutput()
    {
        var cells = NanoDetDecoder.Strides.Select(s => (416 / s) * (416 / s)).ToArray();
        return (cells.Select(c => new float[c * 80]).ToArray(), cells.Select(c => new float[c * 44]).ToArray());
    }

    private static PixelBox Rounded(PixelBox box) => new(MathF.Round(box.X), MathF.Round(box.Y), MathF.Round(box.Width), MathF.Round(box.Height));
}

/// <summary>What one motion event remembers of the detector's findings.</summary>
public class DetectionTallyTests
{
    [Fact]
    public void The_tally_keeps_each_labels_best_score_and_the_single_best_detection_above_the_minimum()
    {
        var tally = new DetectionTally(minScore: 0.5f);
        Assert.Null(tally.Labels);
        Assert.False(tally.Add([new DetectedObject("person", 0.4f, new PixelBox(0, 0, 1, 1))]));
        Assert.Null(tally.Best);
        Assert.True(tally.Add([new DetectedObject("car", 0.6f, new PixelBox(0, 0, 2, 2)), new DetectedObject("person", 0.55f, new PixelBox(1, 1, 2, 2))]));
        Assert.Equal("car,person", tally.Labels);
        Assert.True(tally.Add([new DetectedObject("person", 0.9f, new PixelBox(3.4f, 4.6f, 10, 20))]));
        Assert.False(tally.Add([new DetectedObject("car", 0.7f, new PixelBox(0, 0, 2, 2))]));
        Assert.Equal("person,car", tally.Labels);
        Assert.Equal(0.9f, tally.BestScoreOf("person"));
        Assert.True(tally.Saw("car"));
        Assert.False(tally.Saw("dog"));
        Assert.Equal("3,5,10,20", DetectionTally.Format(tally.Best!.Box));
        Assert.Equal(["person", "car"], DetectionTally.Split("person, car"));
        Assert.Empty(DetectionTally.Split(null));
    }
}

/// <summary>The detector's queue: one waiting frame per camera, newest wins, cameras served in turn.</summary>
public class NewestPerCameraTests
{
    [Fact]
    public async Task A_newer_frame_replaces_the_waiting_one_and_cameras_are_served_in_the_order_they_started_waiting()
    {
        var queue = new NewestPerCamera<string>();
        Assert.False(queue.Offer(1, "a1"));
        Assert.False(queue.Offer(2, "b1"));
        Assert.True(queue.Offer(1, "a2"));
        Assert.True(queue.Offer(1, "a3"));
        Assert.Equal(2, queue.Count);
        Assert.Equal((1, "a3"), await queue.TakeAsync(CancellationToken.None));
        Assert.False(queue.Offer(1, "a4"));
        Assert.Equal((2, "b1"), await queue.TakeAsync(CancellationToken.None));
        Assert.Equal((1, "a4"), await queue.TakeAsync(CancellationToken.None));
        using var nothing = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(nothing.Token));
    }
}

/// <summary>A frame with a detected object makes the clip's thumbnail, unless the object is cut by the picture's edge.</summary>
public class DetectedThumbnailRankTests
{
    [Fact]
    public void A_whole_detected_object_beats_any_motion_box_and_one_at_the_edge_does_not()
    {
        // Motion boxes are in fractions of the picture: the whole picture is the largest there is.
        var bestMotion = NvrBlazor.Domain.Motion.ThumbnailChoice.Rank(new NvrBlazor.Domain.Motion.MotionBox(0, 0, 1, 1, TouchesEdge: false));
        Assert.True(NvrBlazor.Domain.Motion.ThumbnailChoice.DetectedRank(0.5f, touchesEdge: false) > bestMotion);
        var smallWholeMotion = NvrBlazor.Domain.Motion.ThumbnailChoice.Rank(new NvrBlazor.Domain.Motion.MotionBox(0.4, 0.4, 0.5, 0.5, TouchesEdge: false));
        Assert.True(NvrBlazor.Domain.Motion.ThumbnailChoice.DetectedRank(0.99f, touchesEdge: true) < smallWholeMotion);
    }
}

/// <summary>Which detections count for a camera.</summary>
public class ObjectTriggerTests
{
    [Fact]
    public void Only_a_chosen_label_at_or_above_the_minimum_score_matches()
    {
        var trigger = ObjectTrigger.From([" Person", "car", "person", ""], 0.6);
        Assert.Equal(["person", "car"], trigger.Labels);
        Assert.Equal("person,car", trigger.Stored);
        Assert.Null(trigger.Problem());
        Assert.True(trigger.Matches([new DetectedObject("dog", 0.9f, default), new DetectedObject("car", 0.6f, default)]));
        Assert.False(trigger.Matches([new DetectedObject("dog", 0.9f, default), new DetectedObject("person", 0.59f, default)]));
        Assert.Equal(ObjectTrigger.Default.Labels, ObjectTrigger.From(null, null).Labels);
        Assert.Contains("'unicorn' is not one of the detector's labels", ObjectTrigger.From(["unicorn"], null).Problem());
        Assert.Contains("at least one label", ObjectTrigger.From([" "], null).Problem());
        Assert.Contains("0.05 to 0.99", ObjectTrigger.From(["person"], 1.5).Problem());
    }
}
