namespace NvrBlazor.Domain.Clips;

/// <summary>Where something sits on a timeline row, in percent of the row's width.</summary>
public readonly record struct TimelinePlace(double LeftPercent, double WidthPercent);

/// <summary>
/// A timeline's horizontal axis: a day or an hour from <see cref="Start"/>. Places spans on it (clipped
/// at both ends, never narrower than <see cref="MinWidthPercent"/> so a 2 s clip on a 24 h row can
/// still be clicked) and names its ticks.
/// </summary>
public sealed record TimelineAxis(DateTimeOffset Start, TimeSpan Length)
{
    public const double MinWidthPercent = 0.2;

    public DateTimeOffset End => Start + Length;

    /// <summary>Null when the span lies entirely outside the axis. A span without an end runs to <paramref name="now"/>.</summary>
    public TimelinePlace? Place(DateTimeOffset from, DateTimeOffset? to, DateTimeOffset now)
    {
        var end = to ?? now;
        if (end < from)
            end = from;
        // Outside: starts at or after the end, or ends before the start (a span ending exactly at the start touches nothing).
        if (from >= End || end < Start || (end == Start && from < Start))
            return null;
        var left = Percent(from < Start ? Start : from);
        var right = Percent(end > End ? End : end);
        var width = Math.Max(right - left, MinWidthPercent);
        if (left + width > 100)
            left = Math.Max(0, 100 - width);
        return new TimelinePlace(Math.Round(left, 3), Math.Round(width, 3));
    }

    /// <summary>The tick marks: every 2 hours on a day (13 with both ends), every 10 minutes on an hour (7).</summary>
    public IReadOnlyList<(DateTimeOffset At, double LeftPercent)> Ticks()
    {
        var step = Length > TimeSpan.FromHours(1) ? TimeSpan.FromHours(2) : TimeSpan.FromMinutes(10);
        var ticks = new List<(DateTimeOffset, double)>();
        for (var at = Start; at <= End; at += step)
            ticks.Add((at, Math.Round(Percent(at), 3)));
        return ticks;
    }

    /// <summary>The time at a horizontal position (0-100 %): where a click on the row points.</summary>
    public DateTimeOffset At(double percent) => Start + Length * (Math.Clamp(percent, 0, 100) / 100);

    private double Percent(DateTimeOffset at) => (at - Start) / Length * 100;
}
