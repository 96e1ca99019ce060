using NvrBlazor.Domain.Motion;

namespace NvrBlazor.Tests.Domain.Motion;

/// <summary>When the analyzer decodes a frame: every tick while something moves, rarely while the scene is still.</summary>
public class AnalysisPacerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly MotionSettings Settings = new();
    private static readonly MotionResult Quiet = new(false, false, false, 0.0002);

    /// <summary>JPEG sizes of a still, noisy VGA scene (16.6 KB, about 40 bytes between frames).</summary>
    private static Func<int, int> Still(int seed)
    {
        var random = new Random(seed);
        return _ => 16_600 + random.Next(-40, 41);
    }

    /// <summary>
    /// Ticks <paramref name="from"/> to <paramref name="to"/> (exclusive) with the sizes given per tick; each analysed
    /// frame gets <paramref name="result"/>. The pattern: x for an analysed tick, . for a skipped one.
    /// </summary>
    private static string Ticks(AnalysisPacer pacer, int from, int to, Func<int, int> size, MotionResult result)
    {
        var pattern = "";
        for (var i = from; i < to; i++)
        {
            var bytes = size(i);
            var at = Start + i * Tick;
            var look = pacer.ShouldAnalyse(bytes, at);
            pattern += look ? 'x' : '.';
            if (look)
                pacer.Analysed(bytes, at, result, Settings);
        }
        return pattern;
    }

    [Fact]
    public void A_still_scene_is_decoded_every_two_seconds_instead_of_at_every_tick()
    {
        var pattern = Ticks(new AnalysisPacer(), 0, 50, Still(1), Quiet); // 10 s at 5 ticks a second
        Assert.InRange(pattern.Count(c => c == 'x'), 5, 6);
        Assert.StartsWith("x.........x.........x", pattern);
    }

    [Fact]
    public void A_frame_whose_size_jumps_is_decoded_on_the_same_tick_and_then_every_tick_while_there_is_change()
    {
        var pacer = new AnalysisPacer();
        Ticks(pacer, 0, 12, Still(2), Quiet);
        // Just after a quiet look, a figure enters: its first frame is 1.3 % larger (the walk in the benchmark).
        var jump = 16_600 * 1013 / 1000;
        Assert.Equal("x", Ticks(pacer, 12, 13, _ => jump, new MotionResult(false, false, false, 0.02)));
        // Motion (until the detector's stop frames): every tick whatever the sizes say.
        Assert.Equal("xxxxxxxxxxx", Ticks(pacer, 13, 24, _ => jump + 10, new MotionResult(true, false, false, 0.0005)));
        // Then every tick for a second after the last change, and quiet looks every 2 s from there.
        Assert.Equal("xxxx.........x....", Ticks(pacer, 24, 42, _ => jump + 10, Quiet));
    }

    [Fact]
    public void A_change_that_compresses_alike_is_still_seen_within_two_seconds()
    {
        var pacer = new AnalysisPacer();
        var sizes = Still(3);
        Ticks(pacer, 0, 10, sizes, Quiet);
        // A small object changes nothing in the size: one of the next 10 ticks (2 s) is analysed anyway.
        Assert.Equal(1, Ticks(pacer, 10, 20, sizes, Quiet).Count(c => c == 'x'));
    }

    [Fact]
    public void A_scene_whose_size_jitters_a_lot_needs_a_bigger_jump()
    {
        var pacer = new AnalysisPacer();
        // Rain or a flickering lamp: sizes swing by 500 bytes between ticks; ticks 0, 10, 20, ... are looked at.
        Func<int, int> swinging = i => 16_600 + (i % 2 == 0 ? 250 : -250);
        Assert.StartsWith("x.........x.........x", Ticks(pacer, 0, 41, swinging, Quiet));
        // Tick 40 was analysed at 16,850. A swing of 600 bytes is this scene's normal; 2,000 bytes is not.
        Assert.Equal(".", Ticks(pacer, 41, 42, _ => 16_850 + 600, Quiet));
        Assert.Equal("x", Ticks(pacer, 42, 43, _ => 16_850 + 2_000, Quiet));
    }

    [Fact]
    public void The_swings_of_a_passing_figure_do_not_raise_the_bar_for_the_next_one()
    {
        var pacer = new AnalysisPacer();
        var still = Still(5);
        Ticks(pacer, 0, 10, still, Quiet);
        // Someone walks through: sizes swing by 800 bytes from tick to tick while motion is on.
        Ticks(pacer, 10, 30, i => 17_000 + (i % 2 == 0 ? 400 : -400), new MotionResult(true, false, false, 0.05));
        // Quiet again: a second of full rate after the last motion, then a look every 2 s (tick 43).
        Assert.Equal("xxxx.........x", Ticks(pacer, 30, 44, still, Quiet));
        // The next figure's first frame (+1.3 %) is looked at on its tick, as in a scene that never moved.
        Assert.Equal("x", Ticks(pacer, 44, 45, _ => 16_600 * 1013 / 1000, Quiet));
    }
}
