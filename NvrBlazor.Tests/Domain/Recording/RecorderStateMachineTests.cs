using NvrBlazor.Domain.Recording;

namespace NvrBlazor.Tests.Domain.Recording;

public class RecorderStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    internal static DateTimeOffset At(double seconds) => T0.AddMilliseconds(Math.Round(seconds * 1000));

    /// <summary>Frames at 10 fps from <paramref name="from"/> to <paramref name="to"/>, with every action they caused and when.</summary>
    internal static List<(double At, RecorderAction Action)> Frames(RecorderStateMachine machine, double from, double to)
    {
        var actions = new List<(double, RecorderAction)>();
        for (var tenth = (int)Math.Round(from * 10); tenth <= (int)Math.Round(to * 10); tenth++)
            actions.AddRange(machine.OnFrame(At(tenth / 10.0)).Select(a => (tenth / 10.0, a)));
        return actions;
    }

    [Fact]
    public void Motion_opens_a_clip_that_starts_a_pre_roll_earlier_and_ends_a_post_roll_after_motion_ends()
    {
        var machine = new RecorderStateMachine(RecordingSettings.Default);
        Assert.Empty(Frames(machine, 0, 9.9));
        Assert.Equal([new StartClip(ClipReason.Motion, At(5))], machine.OnMotion(true, At(10)));
        Assert.Empty(Frames(machine, 10, 29.9));
        Assert.Empty(machine.OnMotion(false, At(30)));
        Assert.Equal(RecorderState.Recording, machine.State);
        var actions = Frames(machine, 30, 45);
        Assert.Equal(RecorderState.Idle, machine.State);
        var end = Assert.Single(actions);
        Assert.Equal(40, end.At);
        Assert.Equal(new EndClip(At(40), "no motion for the post-roll"), end.Action);
    }

    [Fact]
    public void Motion_during_post_roll_extends_the_same_clip()
    {
        var machine = new RecorderStateMachine(RecordingSettings.Default);
        machine.OnMotion(true, At(0));
        machine.OnMotion(false, At(2));
        Assert.Empty(Frames(machine, 2, 11));
        Assert.Equal(RecorderState.PostRoll, machine.State);
        Assert.Empty(machine.OnMotion(true, At(11.5)));
        Assert.Equal(RecorderState.Recording, machine.State);
        machine.OnMotion(false, At(13));
        var actions = Frames(machine, 13, 30);
        Assert.Equal([(23.0, (RecorderAction)new EndClip(At(23), "no motion for the post-roll"))], actions);
    }

    [Fact]
    public void A_clip_at_the_maximum_length_rolls_over_into_the_next_at_the_same_frame()
    {
        var settings = RecordingSettings.Default with { MaxClipLength = TimeSpan.FromSeconds(60) };
        var machine = new RecorderStateMachine(settings);
        machine.OnMotion(true, At(5)); // clip from 0 (pre-roll 5 s)
        var actions = Frames(machine, 5, 130);
        Assert.Equal(
            [(60.0, (RecorderAction)new EndClip(At(60), "maximum clip length")), (60.0, new StartClip(ClipReason.Motion, At(60))),
             (120.0, new EndClip(At(120), "maximum clip length")), (120.0, new StartClip(ClipReason.Motion, At(120)))],
            actions);
        Assert.Equal(RecorderState.Recording, machine.State);
    }

    [Fact]
    public void Manual_recording_lasts_until_stopped_even_without_motion_and_includes_the_pre_roll()
    {
        var machine = new RecorderStateMachine(RecordingSettings.Default);
        Assert.Equal([new StartClip(ClipReason.Manual, At(15))], machine.OnManual(true, At(20)));
        Assert.Empty(Frames(machine, 20, 100));
        Assert.Equal([new EndClip(At(100), "manual recording stopped")], machine.OnManual(false, At(100)));
        Assert.Equal(RecorderState.Idle, machine.State);
    }

    [Fact]
    public void Stopping_a_manual_clip_while_motion_goes_on_keeps_recording_as_a_motion_clip()
    {
        var machine = new RecorderStateMachine(RecordingSettings.Default);
        machine.OnManual(true, At(0));
        machine.OnMotion(true, At(3));
        Assert.Empty(machine.OnManual(false, At(4)));
        Assert.Equal(ClipReason.Motion, machine.Reason);
        machine.OnMotion(false, At(6));
        Assert.Equal([(16.0, (RecorderAction)new EndClip(At(16), "no motion for the post-roll"))], Frames(machine, 6, 20));
    }

    [Fact]
    public void Continuous_mode_records_back_to_back_clips_and_off_records_nothing()
    {
        var continuous = new RecorderStateMachine(RecordingSettings.Default with { Mode = RecordingMode.Continuous, MaxClipLength = TimeSpan.FromSeconds(30) });
        var actions = Frames(continuous, 0, 61);
        Assert.Equal(5, actions.Count);
        Assert.Equal((0.0, (RecorderAction)new StartClip(ClipReason.Continuous, At(0))), actions[0]);
        Assert.Equal(new StartClip(ClipReason.Continuous, At(30)), actions[2].Action);

        var off = new RecorderStateMachine(RecordingSettings.Default with { Mode = RecordingMode.Off });
        Assert.Empty(off.OnMotion(true, At(1)));
        Assert.Empty(Frames(off, 0, 20));
        Assert.Equal(RecorderState.Idle, off.State);
    }

    [Fact]
    public void Closing_or_turning_recording_off_ends_the_open_clip()
    {
        var machine = new RecorderStateMachine(RecordingSettings.Default);
        machine.OnMotion(true, At(0));
        Assert.Equal([new EndClip(At(3), "recording mode changed")], machine.Change(RecordingSettings.Default with { Mode = RecordingMode.Off }, At(3)));
        var other = new RecorderStateMachine(RecordingSettings.Default);
        Assert.Empty(other.Close(At(1), "camera offline"));
        other.OnMotion(true, At(2));
        Assert.Equal([new EndClip(At(4), "camera offline")], other.Close(At(4), "camera offline"));
    }
}

public class ConstantRateResamplerTests
{
    [Fact]
    public void A_steady_camera_at_the_output_rate_writes_each_frame_once()
    {
        var resampler = new ConstantRateResampler(10);
        var counts = Enumerable.Range(0, 50).Select(i => resampler.SlotsBefore(TimeSpan.FromMilliseconds(i * 100))).ToList();
        Assert.Equal(0, counts[0]);
        Assert.All(counts.Skip(1), c => Assert.Equal(1, c));
        Assert.Equal(1, resampler.SlotsBefore(TimeSpan.FromSeconds(5))); // the clip ends: the last frame fills its slot
        Assert.Equal(50, resampler.Written);
        Assert.Equal(TimeSpan.FromSeconds(5), resampler.Duration);
    }

    [Fact]
    public void A_slow_camera_is_duplicated_and_a_fast_one_dropped_so_clip_time_is_wall_time()
    {
        var slow = new ConstantRateResampler(10);
        var writes = new List<int>();
        for (var i = 0; i <= 25; i++) // 2.5 fps for 10 s
            writes.Add(slow.SlotsBefore(TimeSpan.FromMilliseconds(i * 400)));
        Assert.All(writes.Skip(1), c => Assert.InRange(c, 4, 4));
        Assert.Equal(TimeSpan.FromSeconds(10), slow.Duration);

        var fast = new ConstantRateResampler(10);
        var dropped = 0;
        for (var i = 0; i <= 250; i++) // 25 fps for 10 s
        {
            if (fast.SlotsBefore(TimeSpan.FromMilliseconds(i * 40)) == 0 && i > 0)
                dropped++;
        }
        Assert.Equal(100, fast.Written);
        Assert.Equal(150, dropped);
    }

    [Fact]
    public void A_wobbling_camera_still_gives_exactly_the_wall_time()
    {
        var resampler = new ConstantRateResampler(10);
        var random = new Random(7);
        var t = 0.0;
        while (t < 35)
        {
            resampler.SlotsBefore(TimeSpan.FromSeconds(t));
            t += 0.03 + random.NextDouble() * 0.2;
        }
        resampler.SlotsBefore(TimeSpan.FromSeconds(35));
        Assert.Equal(350, resampler.Written);
    }

    [Fact]
    public void A_non_positive_rate_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantRateResampler(0));
}

public class PreRollBufferTests
{
    [Fact]
    public void It_keeps_only_the_last_seconds_and_never_more_bytes_than_allowed()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        var buffer = new PreRollBuffer<int>(TimeSpan.FromSeconds(5), 1_000_000);
        for (var i = 0; i < 100; i++)
            buffer.Add(t0.AddSeconds(i * 0.1), 1_000, i);
        var kept = buffer.TakeAll();
        Assert.Equal(51, kept.Count);
        Assert.Equal(49, kept[0].Item);
        Assert.Equal(0, buffer.Bytes);

        var small = new PreRollBuffer<int>(TimeSpan.FromSeconds(5), 10_000);
        for (var i = 0; i < 100; i++)
            small.Add(t0.AddSeconds(i * 0.1), 3_000, i);
        Assert.Equal(3, small.Count);
        Assert.InRange(small.Bytes, 0, 10_000);
    }
}

/// <summary>Recording mode Detected: motion counts only once the object detector has seen a chosen label during it.</summary>
public class DetectedModeTests
{
    private static DateTimeOffset At(double seconds) => RecorderStateMachineTests.At(seconds);
    private static List<(double At, RecorderAction Action)> Frames(RecorderStateMachine machine, double from, double to) => RecorderStateMachineTests.Frames(machine, from, to);

    [Fact]
    public void Detected_mode_records_motion_only_from_when_a_chosen_label_is_seen_with_the_pre_roll_before_it()
    {
        var machine = new RecorderStateMachine(RecordingSettings.Default with { Mode = RecordingMode.Detected });
        Assert.Empty(machine.OnObjects(At(1))); // a label without motion starts nothing
        Assert.Empty(machine.OnMotion(true, At(10)));
        Assert.Empty(Frames(machine, 10, 11.9));
        Assert.Equal(RecorderState.Idle, machine.State);
        Assert.Equal([new StartClip(ClipReason.Motion, At(7))], machine.OnObjects(At(12)));
        Assert.Empty(machine.OnObjects(At(13))); // once per motion
        Assert.Empty(Frames(machine, 12, 29.9));
        machine.OnMotion(false, At(30));
        Assert.Equal([(40.0, (RecorderAction)new EndClip(At(40), "no motion for the post-roll"))], Frames(machine, 30, 45));
    }

    [Fact]
    public void In_detected_mode_motion_without_a_chosen_label_neither_starts_nor_holds_a_clip()
    {
        var machine = new RecorderStateMachine(RecordingSettings.Default with { Mode = RecordingMode.Detected });
        machine.OnMotion(true, At(0));
        Assert.Empty(Frames(machine, 0, 60));
        Assert.Equal(RecorderState.Idle, machine.State);
        machine.OnMotion(false, At(60));
        // A person, then motion without one during the post-roll: it does not hold the clip, which ends a post-roll after that motion began.
        machine.OnMotion(true, At(70));
        Assert.Single(machine.OnObjects(At(71)));
        machine.OnMotion(false, At(75));
        Assert.Empty(machine.OnMotion(true, At(78)));
        Assert.Equal([(88.0, (RecorderAction)new EndClip(At(88), "no motion for the post-roll"))], Frames(machine, 75, 100));
    }

    [Fact]
    public void Labels_seen_in_motion_mode_change_nothing()
    {
        var machine = new RecorderStateMachine(RecordingSettings.Default);
        Assert.Single(machine.OnMotion(true, At(10)));
        Assert.Empty(machine.OnObjects(At(11)));
        Assert.Equal(RecorderState.Recording, machine.State);
    }
}
