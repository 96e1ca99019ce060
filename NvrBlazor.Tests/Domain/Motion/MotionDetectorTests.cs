using NvrBlazor.Domain.Motion;

namespace NvrBlazor.Tests.Domain.Motion;

/// <summary>The detector on synthetic 80x60 grayscale frames (a VGA picture decoded at 1/8).</summary>
public class MotionDetectorTests
{
    private const int W = 80, H = 60;

    /// <summary>A textured scene (gradient and stripes) with sensor noise, optionally a bright block and a brightness change.</summary>
    private static byte[] Scene(Random noise, int noiseLevel = 6, (int X, int Y)? block = null, double gain = 1, int offset = 0)
    {
        var frame = new byte[W * H];
        for (var y = 0; y < H; y++)
        {
            for (var x = 0; x < W; x++)
            {
                double v = 60 + x + (y / 6 % 2) * 40;
                if (block is { } b && x >= b.X && x < b.X + 12 && y >= b.Y && y < b.Y + 12)
                    v = 235;
                v = v * gain + offset + noise.Next(-noiseLevel, noiseLevel + 1);
                frame[y * W + x] = (byte)Math.Clamp(Math.Round(v), 0, 255);
            }
        }
        return frame;
    }

    [Fact]
    public void A_static_noisy_scene_never_triggers()
    {
        var detector = new MotionDetector(new MotionSettings(Sensitivity: 80, MinAreaPercent: 1));
        var noise = new Random(1);
        for (var i = 0; i < 300; i++)
        {
            var result = detector.Analyse(Scene(noise, noiseLevel: 8), W, H);
            Assert.False(result.Motion, $"frame {i}: score {result.Score:P2}");
        }
    }

    [Fact]
    public void A_moving_block_starts_motion_within_the_start_frames_and_it_stops_after_the_quiet_frames()
    {
        var detector = new MotionDetector(new MotionSettings(Sensitivity: 50, MinAreaPercent: 1, StartFrames: 3, StopFrames: 5));
        var noise = new Random(2);
        for (var i = 0; i < 30; i++)
            Assert.False(detector.Analyse(Scene(noise), W, H).Motion);

        var startedAt = -1;
        for (var i = 0; i < 20; i++)
        {
            var result = detector.Analyse(Scene(noise, block: (5 + i * 3, 20)), W, H);
            if (result.Started)
                startedAt = i;
            Assert.True(result.Score < 0.2, $"a 12x12 block is about 3 % of the picture, not {result.Score:P1}");
        }
        Assert.Equal(2, startedAt); // the third frame in a row with motion
        Assert.True(detector.Motion);

        var endedAt = -1;
        for (var i = 0; i < 10; i++)
        {
            if (detector.Analyse(Scene(noise), W, H).Ended)
                endedAt = i;
        }
        Assert.Equal(4, endedAt); // the fifth quiet frame
        Assert.False(detector.Motion);
    }

    [Theory]
    [InlineData(1.0, 50)]   // a lamp: everything 50 levels brighter
    [InlineData(1.3, 0)]    // the sun: everything 30 % brighter, contrast too
    [InlineData(0.5, -10)]  // dusk
    public void A_global_brightness_change_is_not_motion(double gain, int offset)
    {
        var detector = new MotionDetector(new MotionSettings(Sensitivity: 70, MinAreaPercent: 1, StartFrames: 1));
        var noise = new Random(3);
        for (var i = 0; i < 20; i++)
            detector.Analyse(Scene(noise), W, H);
        for (var i = 0; i < 20; i++)
        {
            var result = detector.Analyse(Scene(noise, gain: gain, offset: offset), W, H);
            Assert.False(result.Motion, $"frame {i} after the change: score {result.Score:P2}");
        }
    }

    [Fact]
    public void A_block_too_small_for_the_minimum_area_is_ignored()
    {
        var detector = new MotionDetector(new MotionSettings(Sensitivity: 50, MinAreaPercent: 10, StartFrames: 1));
        var noise = new Random(4);
        for (var i = 0; i < 10; i++)
            detector.Analyse(Scene(noise), W, H);
        for (var i = 0; i < 10; i++)
            Assert.False(detector.Analyse(Scene(noise, block: (5 + i * 5, 10)), W, H).Motion);
    }

    [Fact]
    public void A_new_resolution_starts_a_new_background_and_a_short_buffer_is_refused()
    {
        var detector = new MotionDetector(new MotionSettings(StartFrames: 1));
        var noise = new Random(5);
        detector.Analyse(Scene(noise), W, H);
        Assert.False(detector.Analyse(new byte[40 * 30], 40, 30).Motion);
        var error = Assert.Throws<ArgumentException>(() => detector.Analyse(new byte[10], W, H));
        Assert.Contains("80x60", error.Message);
    }

    [Theory]
    [InlineData(0, 1.0, 2, 5, "Sensitivity")]
    [InlineData(50, 0.0, 2, 5, "Minimum changed area")]
    [InlineData(50, 1.0, 0, 5, "Start frames")]
    [InlineData(50, 1.0, 2, 0, "Stop frames")]
    public void Bad_settings_are_named(int sensitivity, double area, int start, int stop, string named) =>
        Assert.StartsWith(named, new MotionSettings(sensitivity, area, start, stop).Problem());
}
