using NvrBlazor.Domain.Clips;

namespace NvrBlazor.Tests.Domain.Clips;

public class ClipNamesTests
{
    [Theory]
    [InlineData("Front door", "Front-door")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("Garage: left/right", "Garage-left-right")]
    [InlineData("Küche 2", "Küche-2")]
    [InlineData("   ", "camera")]
    [InlineData("a\u0000b\nc", "a-b-c")]
    public void A_camera_name_becomes_a_safe_readable_file_name_part(string name, string expected) =>
        Assert.Equal(expected, ClipNames.SafeCamera(name));

    [Fact]
    public void A_download_is_named_camera_underscore_local_date_and_time()
    {
        var start = new DateTimeOffset(2026, 11, 22, 7, 5, 9, TimeSpan.FromHours(1));
        Assert.Equal("Front-door_2026-11-22_07-05-09.mp4", ClipNames.Download("Front door", start));
    }

    [Fact]
    public void Names_in_one_archive_never_collide()
    {
        var unique = new ClipNames.Unique();
        Assert.Equal("a_1.mp4", unique.Next("a_1.mp4"));
        Assert.Equal("a_1_2.mp4", unique.Next("a_1.mp4"));
        Assert.Equal("A_1_3.mp4", unique.Next("A_1.mp4"));
        Assert.Equal("b.mp4", unique.Next("b.mp4"));
    }
}

public class ClipCursorTests
{
    [Fact]
    public void A_cursor_round_trips()
    {
        var cursor = new ClipCursor(1_764_000_000_123, 42);
        Assert.True(ClipCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("12_")]
    [InlineData("_5")]
    [InlineData("12_0")]
    [InlineData("-1_5")]
    [InlineData("12_5_7")]
    [InlineData("1e3_5")]
    [InlineData("99999999999999999999_1")]
    public void Anything_else_is_refused(string? text) => Assert.False(ClipCursor.TryParse(text, out _));
}

public class TimelineAxisTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimelineAxis Day = new(Midnight, TimeSpan.FromDays(1));

    [Fact]
    public void A_span_sits_at_its_share_of_the_day()
    {
        var place = Day.Place(Midnight.AddHours(6), Midnight.AddHours(12), Midnight.AddDays(2));
        Assert.Equal(new TimelinePlace(25, 25), place);
    }

    [Fact]
    public void A_span_crossing_midnight_is_clipped_at_both_ends()
    {
        Assert.Equal(new TimelinePlace(0, 12.5), Day.Place(Midnight.AddHours(-1), Midnight.AddHours(3), Midnight.AddDays(2)));
        Assert.Equal(new TimelinePlace(87.5, 12.5), Day.Place(Midnight.AddHours(21), Midnight.AddHours(25), Midnight.AddDays(2)));
    }

    [Fact]
    public void A_short_clip_stays_wide_enough_to_click_and_inside_the_row()
    {
        Assert.Equal(TimelineAxis.MinWidthPercent, Day.Place(Midnight.AddHours(12), Midnight.AddHours(12).AddSeconds(2), Midnight.AddDays(2))!.Value.WidthPercent);
        var last = Day.Place(Midnight.AddDays(1).AddSeconds(-1), Midnight.AddDays(1), Midnight.AddDays(2))!.Value;
        Assert.True(last.LeftPercent + last.WidthPercent <= 100.0001);
    }

    [Fact]
    public void Spans_outside_are_left_out_and_a_running_clip_ends_now()
    {
        Assert.Null(Day.Place(Midnight.AddDays(1), Midnight.AddDays(1).AddHours(1), Midnight.AddDays(2)));
        Assert.Null(Day.Place(Midnight.AddHours(-2), Midnight, Midnight.AddDays(2)));
        Assert.Equal(new TimelinePlace(50, 25), Day.Place(Midnight.AddHours(12), null, Midnight.AddHours(18)));
    }

    [Fact]
    public void Ticks_are_every_two_hours_on_a_day_and_every_ten_minutes_on_an_hour()
    {
        Assert.Equal(13, Day.Ticks().Count);
        var hour = new TimelineAxis(Midnight.AddHours(10), TimeSpan.FromHours(1));
        Assert.Equal([0, 16.667, 33.333, 50, 66.667, 83.333, 100], hour.Ticks().Select(t => t.LeftPercent));
        Assert.Equal(Midnight.AddHours(10.5), hour.At(50));
    }
}
