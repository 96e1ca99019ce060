using NvrBlazor.Domain.Detection;
using NvrBlazor.Domain.Motion;
using NvrBlazor.Domain.Zones;

namespace NvrBlazor.Tests.Domain.Zones;

public class CameraZonesTests
{
    private static ZoneArea Rect(string name, double left, double top, double right, double bottom) =>
        new(name, [new(left, top), new(right, top), new(right, bottom), new(left, bottom)]);

    private static CameraZones Zones(IReadOnlyList<ZoneArea>? masks = null, IReadOnlyList<ZoneArea>? zones = null) =>
        CameraZones.From(masks, zones, out var problem) ?? throw new InvalidOperationException(problem);

    [Fact]
    public void A_point_is_inside_a_polygon_by_the_even_odd_rule_including_a_concave_one()
    {
        // An L: the square 0-1 without its top right quarter.
        var l = new ZoneArea("L", [new(0, 0), new(0.5, 0), new(0.5, 0.5), new(1, 0.5), new(1, 1), new(0, 1)]);
        Assert.True(l.Contains(0.25, 0.25));
        Assert.True(l.Contains(0.75, 0.75));
        Assert.False(l.Contains(0.75, 0.25)); // the cut-out corner
        Assert.False(l.Contains(1.5, 0.75));
    }

    [Fact]
    public void Masks_are_never_watched_and_zones_are_the_only_places_watched_when_there_are_any()
    {
        var masked = Zones(masks: [Rect("Tree", 0, 0, 0.5, 1)]);
        Assert.False(masked.Watches(0.25, 0.5));
        Assert.True(masked.Watches(0.75, 0.5));

        var zoned = Zones(masks: [Rect("Bin", 0.6, 0.6, 0.7, 0.7)], zones: [Rect("Driveway", 0.5, 0.5, 1, 1)]);
        Assert.False(zoned.Watches(0.25, 0.25)); // outside every zone
        Assert.True(zoned.Watches(0.9, 0.9));
        Assert.False(zoned.Watches(0.65, 0.65)); // a mask inside the zone wins
        Assert.Equal(["Driveway"], zoned.ZonesAt(0.9, 0.9));

        Assert.True(CameraZones.None.Watches(0.1, 0.1));
        Assert.Null(CameraZones.None.Stored);
    }

    [Fact]
    public void An_object_counts_where_it_stands_the_bottom_centre_of_its_box()
    {
        var zones = Zones(zones: [Rect("Driveway", 0, 0.5, 1, 1)]);
        // A person whose head is above the zone but whose feet are in it counts; one standing above it does not.
        Assert.True(zones.Counts(new PixelBox(100, 100, 50, 150), 640, 480)); // feet at y 250 of 480 (0.52)
        Assert.False(zones.Counts(new PixelBox(100, 20, 50, 150), 640, 480)); // feet at y 170 (0.35)
        Assert.True(CameraZones.None.Counts(new PixelBox(0, 0, 1, 1), 640, 480));
    }

    [Fact]
    public void The_raster_marks_pixels_by_their_centres()
    {
        var (watched, count) = Zones(masks: [Rect("Left half", 0, 0, 0.5, 1)]).Raster(4, 2)!.Value;
        Assert.Equal([false, false, true, true, false, false, true, true], watched);
        Assert.Equal(4, count);
        Assert.Null(CameraZones.None.Raster(4, 2));
    }

    [Theory]
    [InlineData("", 3, 0.5, "Zone 1 has no name.")]
    [InlineData("Yard", 2, 0.5, "Zone 'Yard' has 2 corners; an area needs at least 3.")]
    [InlineData("Yard", 33, 0.5, "Zone 'Yard' has 33 corners; at most 32.")]
    [InlineData("Yard", 3, 1.5, "Zone 'Yard' has a corner at (1.5, 1.5); corners are fractions of the picture, 0 to 1.")]
    public void A_bad_area_is_refused_with_a_sentence_naming_it(string name, int corners, double far, string expected)
    {
        // Corners on a circle of radius 0.4 around the centre, the first moved to (far, far).
        var points = Enumerable.Range(0, corners).Select(i => i == 0 && far > 1 ? new ZonePoint(far, far)
            : new ZonePoint(0.5 + 0.4 * Math.Cos(i * 2 * Math.PI / corners), 0.5 + 0.4 * Math.Sin(i * 2 * Math.PI / corners))).ToList();
        Assert.Null(CameraZones.From(null, [new ZoneArea(name, points)], out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void Flat_areas_twin_names_and_too_many_areas_are_refused()
    {
        Assert.Null(CameraZones.From([new ZoneArea("Line", [new(0, 0), new(0.5, 0.5), new(1, 1)])], null, out var flat));
        Assert.Equal("Mask 'Line' covers no area (its corners are on one line or one point).", flat);
        Assert.Null(CameraZones.From(null, [Rect("Yard", 0, 0, 1, 1), Rect(" yard ", 0, 0, 0.5, 0.5)], out var twice));
        Assert.Equal("Two zones are named 'Yard'.", twice);
        Assert.Null(CameraZones.From([.. Enumerable.Range(0, 17).Select(i => Rect($"M{i}", 0, 0, 0.5, 0.5))], null, out var many));
        Assert.Equal("A camera has at most 16 masks and zones together; this one has 17.", many);
    }

    [Fact]
    public void Stored_text_reads_back_equal_and_unreadable_text_gives_none_and_the_reason()
    {
        var zones = Zones(masks: [Rect(" Tree ", 0, 0, 0.123456, 1)], zones: [Rect("Driveway", 0.5, 0.5, 1, 1)]);
        Assert.Equal("Tree", zones.Masks[0].Name);
        Assert.Equal(0.1235, zones.Masks[0].Points[1].X);
        var again = CameraZones.Parse(zones.Stored, out var none);
        Assert.Null(none);
        Assert.Equal(zones, again);
        Assert.NotSame(zones, again);
        Assert.Equal("1 mask(s), 1 zone(s): Driveway", again.ToString());

        Assert.Same(CameraZones.None, CameraZones.Parse("{not json", out var problem));
        Assert.StartsWith("the camera's zones are not readable JSON", problem);
        Assert.Same(CameraZones.None, CameraZones.Parse("""{"masks":[{"name":"x","points":[]}]}""", out var invalid));
        Assert.Equal("Mask 'x' has 0 corners; an area needs at least 3.", invalid);
    }

    /// <summary>An 80x60 frame (a VGA picture at 1/8): a textured scene with a bright block, or without.</summary>
    private static byte[] Frame(Random noise, int? blockX)
    {
        var frame = new byte[80 * 60];
        for (var y = 0; y < 60; y++)
            for (var x = 0; x < 80; x++)
                frame[y * 80 + x] = (byte)Math.Clamp((blockX is { } b && x >= b && x < b + 12 && y >= 20 && y < 32 ? 235 : 60 + x + (y / 6 % 2) * 40) + noise.Next(-6, 7), 0, 255);
        return frame;
    }

    private static bool MotionOf(CameraZones zones, int from, int to)
    {
        var detector = new MotionDetector(new MotionSettings(Sensitivity: 50, MinAreaPercent: 1, StartFrames: 2, StopFrames: 5), zones);
        var noise = new Random(3);
        for (var i = 0; i < 20; i++)
            detector.Analyse(Frame(noise, null), 80, 60);
        var started = false;
        for (var x = from; x <= to; x += 2)
            started |= detector.Analyse(Frame(noise, x), 80, 60).Started;
        return started;
    }

    [Fact]
    public void Motion_inside_a_mask_triggers_nothing_and_the_same_motion_outside_it_does()
    {
        var leftMasked = Zones(masks: [Rect("Tree", 0, 0, 0.5, 1)]);
        Assert.False(MotionOf(leftMasked, 0, 26)); // a block moving within the left half (x 0-37 of 80)
        Assert.True(MotionOf(leftMasked, 42, 66)); // the same block in the right half
        Assert.True(MotionOf(CameraZones.None, 0, 26));
    }

    [Fact]
    public void With_a_zone_only_motion_inside_it_counts_as_a_share_of_the_zone()
    {
        var rightZone = Zones(zones: [Rect("Driveway", 0.5, 0, 1, 1)]);
        Assert.False(MotionOf(rightZone, 0, 26));
        Assert.True(MotionOf(rightZone, 42, 66));
        // The block is 3 % of the picture and 6 % of the zone: a 5 % minimum is met only because the zone is the whole.
        var detector = new MotionDetector(new MotionSettings(MinAreaPercent: 5, StartFrames: 1), rightZone);
        var noise = new Random(4);
        detector.Analyse(Frame(noise, null), 80, 60);
        Assert.True(detector.Analyse(Frame(noise, 50), 80, 60).Motion);
        var whole = new MotionDetector(new MotionSettings(MinAreaPercent: 5, StartFrames: 1));
        whole.Analyse(Frame(noise, null), 80, 60);
        Assert.False(whole.Analyse(Frame(noise, 50), 80, 60).Motion);
    }
}
